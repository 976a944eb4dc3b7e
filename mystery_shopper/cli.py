"""The ``mystery-shopper`` command: a thin shell over the library stages."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import threading
from datetime import UTC, datetime
from pathlib import Path

import click
from rich.console import Console
from sqlalchemy.engine import Engine

from . import __version__
from .alert import findings, record_alerts
from .auth import smtp_credentials
from .classify import ReplyContext, classify
from .classify.explain import as_dict
from .classify.explain import explain as explain_verdict
from .cli_support import State, closed_with_command, config_options, errors, pass_state
from .compose import check_templates, template_environment
from .config import ShopperConfig, check_secrets
from .errors import MysteryShopperError
from .imap_login import connect, logout
from .inbox import poll as poll_mailboxes
from .models import utcnow
from .outbox import Planned, queue_due, send_queued
from .parsing import parse_mail
from .reconcile import reconcile_unknown, save_sent_copies
from .report import build_report, render_json, render_table
from .send import check_login
from .store import open_read_only
from .watch import Watcher

__all__ = ("cli", "main")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mystery-shopper")
@click.option(
    "-c",
    "--config",
    default="mystery-shopper.toml",
    show_default=True,
    envvar="MYSTERY_SHOPPER_CONFIG",
    help="Configuration file (env MYSTERY_SHOPPER_CONFIG).",
)
@click.option("--db", metavar="URL", help="Database URL; overrides [database] url.")
@click.pass_context
def cli(ctx: click.Context, config: str, db: str | None) -> None:
    """Mystery-shop car dealerships by e-mail and time their replies.

    \b
    Example:
        mystery-shopper -c shop.toml check
        mystery-shopper -c shop.toml run      # from cron: send what is due, then poll
        mystery-shopper -c shop.toml report
    """
    ctx.obj = State(config, db)


@cli.command()
@click.option(
    "--connect", "connect_", is_flag=True, help="Also log in to every SMTP and IMAP account."
)
@config_options
@pass_state
@errors
def check(state: State, connect_: bool) -> None:
    """Validate the configuration (offline unless --connect).

    \b
    Example:
        mystery-shopper -c shop.toml check --connect
    """
    settings = state.settings
    click.echo(
        f"{settings.source}: OK ({len(settings.shoppers)} shopper accounts, "
        f"{len(settings.dealerships)} dealerships)"
    )
    env = template_environment(settings.inquiries.templates_dir)
    renders = check_templates(env, settings, utcnow())
    click.echo(f"templates: OK ({renders} renders of every scenario, shopper and dealership)")
    if not connect_:
        return
    check_secrets(settings)
    failed = 0
    for shopper in settings.shoppers:
        for label, attempt in (("IMAP", _check_imap), ("SMTP", _check_smtp)):
            try:
                attempt(shopper)
                click.echo(f"  {shopper.name}: {label} login OK")
            except MysteryShopperError as exc:
                failed += 1
                click.echo(f"  {shopper.name}: {label} FAILED: {exc}", err=True)
    if failed:
        raise click.exceptions.Exit(1)


def _check_imap(shopper: ShopperConfig) -> None:
    logout(connect(shopper))


def _check_smtp(shopper: ShopperConfig) -> None:
    creds = smtp_credentials(shopper)
    asyncio.run(check_login(shopper.smtp, creds=creds, account=shopper.name))


def _do_send(state: State, engine: Engine) -> bool:
    settings = state.settings
    settled = reconcile_unknown(engine, settings, utcnow())
    queued = queue_due(
        engine, settings, template_environment(settings.inquiries.templates_dir), utcnow()
    )
    result = send_queued(engine, settings, utcnow)
    copies = save_sent_copies(engine, settings)
    click.echo(
        f"send: queued {len(queued)}, sent {len(result.sent)}, retry {len(result.retry)}, "
        f"failed {len(result.failed)}, unknown {len(result.unknown)}, "
        f"reconciled {len(settled.found)}, copied to Sent {len(copies.copied)}"
    )
    for inquiry_id in settled.unresolved:
        click.echo(
            f"warning: inquiry {inquiry_id}: outcome unknown and not in the Sent folder; "
            "not resent (check with the shopper's provider)",
            err=True,
        )
    errors = settled.errors + result.errors + copies.errors
    for err in errors:
        click.echo(f"error: {err}", err=True)
    return not errors


def _print_planned(planned: list[Planned]) -> None:
    click.echo(f"dry run: {len(planned)} inquiries would be sent now; nothing sent or stored")
    for p in planned:
        d = p.due
        click.echo(
            f"\n--- to {d.dealership.inquiry_address} ({d.dealership.slug}) "
            f"from shopper {d.shopper.name} <{d.shopper.address}>: scenario {d.scenario}, "
            f"{d.moment}, slot {d.slot or '-'}"
        )
        msg = p.composed.message
        for header in ("From", "To", "Subject", "Date", "Message-ID"):
            click.echo(f"{header}: {msg[header]}")
        click.echo("")
        click.echo(p.composed.text, nl=False)


def _do_poll(state: State, engine: Engine) -> bool:
    result = poll_mailboxes(engine, state.settings)
    click.echo(
        f"poll: fetched {result.fetched}, stored {result.stored}, processed {result.processed}"
    )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for err in result.errors:
        click.echo(f"error: {err}", err=True)
    return not result.errors


@cli.command()
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print what would be sent, to whom, from which shopper; send nothing.",
)
@config_options
@pass_state
@errors
def send(state: State, dry_run: bool) -> None:
    """Queue an inquiry for every dealership that is due one, and send the queue.

    \b
    Example:
        mystery-shopper -c shop.toml send --dry-run
        mystery-shopper -c shop.toml send
    """
    if dry_run:
        settings = state.settings
        env = template_environment(settings.inquiries.templates_dir)
        engine = closed_with_command(open_read_only(settings.database.url))
        _print_planned(queue_due(engine, settings, env, utcnow(), dry_run=True))
        return
    check_secrets(state.settings)
    if not _do_send(state, state.engine()):
        raise click.exceptions.Exit(1)


@cli.command()
@config_options
@pass_state
@errors
def poll(state: State) -> None:
    """Fetch new mail from every shopper mailbox, then match and classify it.

    \b
    Example:
        mystery-shopper -c shop.toml poll
    """
    check_secrets(state.settings)
    if not _do_poll(state, state.engine()):
        raise click.exceptions.Exit(1)


@cli.command()
@config_options
@pass_state
@errors
def watch(state: State) -> None:
    """Watch every shopper mailbox (IDLE) and store replies as they arrive; stop with Ctrl-C or
    SIGTERM. One IMAP connection per account; see [watch] in the configuration.

    \b
    Example:
        mystery-shopper -c shop.toml watch
    """
    check_secrets(state.settings)
    engine = state.engine()
    stop = threading.Event()
    for signo in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signo, lambda *_: stop.set())
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("imapclient").setLevel(logging.WARNING)
    watcher = Watcher(engine, state.settings, stop=stop)
    click.echo(f"watch: {len(state.settings.shoppers)} accounts; stop with Ctrl-C or SIGTERM")
    watcher.run()
    for s in watcher.stats.values():
        click.echo(
            f"watch: {s.name}: stored {s.stored}, connects {s.connects}, failures {s.failures}"
        )


@cli.command()
@config_options
@pass_state
@errors
def run(state: State) -> None:
    """Send what is due, poll the mailboxes and record alerts: the entry point for cron.

    \b
    Example (crontab, every 5 minutes):
        */5 * * * * mystery-shopper -c /etc/mystery-shopper.toml run
    """
    check_secrets(state.settings)
    engine = state.engine()
    ok = _do_send(state, engine)
    ok = _do_poll(state, engine) and ok
    now = utcnow()
    if state.settings.alerts.enabled:
        report = build_report(engine, state.settings, now)
        for f in record_alerts(engine, findings(report.inquiries, state.settings, now), now):
            click.echo(f"ALERT {f.kind}: {f.message}")
    if not ok:
        raise click.exceptions.Exit(1)


def _parse_time(value: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 time: {value!r}") from None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table: for people; json: every figure, for machines.",
)
@click.option("--as-of", metavar="TIME", help="Report as of this ISO 8601 time (default: now).")
@config_options
@pass_state
@errors
def report(state: State, fmt: str, as_of: str | None) -> None:
    """Response times and outcomes per dealership and per inquiry.

    \b
    Example:
        mystery-shopper -c shop.toml report --format json > report.json
    """
    now = _parse_time(as_of) if as_of else utcnow()
    result = build_report(state.engine(), state.settings, now)
    if fmt == "json":
        click.echo(render_json(result))
    else:
        render_table(result, Console())


@cli.command(name="classify")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--explain", is_flag=True, help="Every rule that fired, and the quality rubric.")
@click.option("--persona", default="", help="The buyer's name the inquiry was sent as.")
@click.option("--vehicle", default="", help="The vehicle the inquiry asked about.")
@click.option("--scenario", default="", help="The inquiry's scenario, e.g. price_quote.")
def classify_files(
    files: tuple[Path, ...], as_json: bool, explain: bool, persona: str, vehicle: str, scenario: str
) -> None:
    """Classify raw .eml files as personal, auto or bounce (no config or database needed).

    \b
    Examples:
        mystery-shopper classify --json replies/*.eml
        mystery-shopper classify --explain --persona "Alex Jordan" --vehicle "Toyota RAV4" r.eml
    """
    context = ReplyContext(persona_name=persona, vehicle=vehicle, scenario=scenario)
    failed = False
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            click.echo(f"error: {path}: cannot read: {exc.strerror or exc}", err=True)
            failed = True
            continue
        verdict = classify(parse_mail(raw), context)
        if as_json:
            click.echo(json.dumps({"path": str(path), **as_dict(verdict)}))
        elif explain:
            click.echo(f"{path}\n{explain_verdict(verdict)}")
        else:
            sub = f"/{verdict.subkind}" if verdict.subkind else ""
            click.echo(f"{path}: {verdict.kind}{sub} ({'; '.join(verdict.reasons)})")
    if failed:
        raise click.exceptions.Exit(1)


def main() -> None:
    cli()
