"""Config for sending: campaigns, vehicles and CSV inventories, OAuth2; and `send --dry-run`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import BASE_CONFIG, write_config
from mailservers import SmtpSink
from sqlmodel import Session, select

from mystery_shopper.cli import cli
from mystery_shopper.config import load_settings
from mystery_shopper.errors import ConfigError
from mystery_shopper.models import Dealership, Inquiry
from mystery_shopper.store import migrate, open_engine, sync_config

BAD = [
    pytest.param(
        BASE_CONFIG + '[[campaigns]]\ndealerships = ["nope"]\n',
        "shop.toml: campaigns[0].dealerships: no dealership 'nope'",
        id="unknown-dealership",
    ),
    pytest.param(
        BASE_CONFIG.replace(
            'timezone = "America/Chicago"', 'timezone = "America/Chicago"\ngroup = "G"'
        )
        + '[[campaigns]]\ngroup = "G"\n[[campaigns]]\ndealerships = ["acme"]\n',
        "shop.toml: campaigns[1]: dealership 'acme' is already in campaigns[0]",
        id="two-campaigns",
    ),
    pytest.param(
        BASE_CONFIG + "[[campaigns]]\ninquiries = 2\n",
        "shop.toml: campaigns[0]: name either dealerships or a group",
        id="campaign-without-target",
    ),
    pytest.param(
        BASE_CONFIG + '[[campaigns]]\ndealerships = ["acme"]\ninquiries = 8\nperiod = "week"\n',
        "shop.toml: campaigns[0]: inquiries: 8 per week cannot keep 24 h between two inquiries "
        "to one dealership",
        id="too-many-per-week",
    ),
    pytest.param(
        BASE_CONFIG + '[[campaigns]]\ndealerships = ["acme"]\nbands = ["night"]\n',
        "shop.toml: campaigns[0].bands[0]: input should be 'business', 'evening' or 'weekend', "
        "got 'night'",
        id="unknown-band",
    ),
    pytest.param(
        BASE_CONFIG.replace('security = "none"\npassword_env', 'auth = "xoauth2"\npassword_env'),
        'shop.toml: shoppers[0].imap: password_env: not used with auth = "xoauth2"',
        id="xoauth2-with-password",
    ),
    pytest.param(
        BASE_CONFIG.replace('port = 2525\nsecurity = "none"', 'auth = "xoauth2"'),
        'shop.toml: shoppers[0].smtp: auth = "xoauth2" needs exactly one of token_env, '
        "token_command",
        id="xoauth2-without-token",
    ),
    pytest.param(
        BASE_CONFIG.replace('password_env = "TEST_IMAP_PASSWORD"', ""),
        "shop.toml: shoppers[0].imap: password_env: missing required key",
        id="imap-without-login",
    ),
    pytest.param(
        BASE_CONFIG.replace(
            'timezone = "America/Chicago"',
            'timezone = "America/Chicago"\nvehicles = [{ year = 1 }]',
        ),
        "shop.toml: dealerships[0].vehicles[0].description: missing required key",
        id="vehicle-without-description",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_sending_config(text: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(write_config(tmp_path, text))
    assert str(info.value).replace(f"{tmp_path}/", "").split(" (and")[0] == message


def test_inventory_csv(tmp_path: Path) -> None:
    (tmp_path / "stock.csv").write_text(
        "description,stock_number,colour\n"
        "2025 Toyota RAV4 XLE,T1,Blueprint\n"
        "2024 Toyota Camry SE,,\n",
        encoding="utf-8",
    )
    text = BASE_CONFIG.replace(
        'timezone = "America/Chicago"',
        'timezone = "America/Chicago"\nvehicles = ["2023 Toyota Prius"]\n'
        'inventory_csv = "stock.csv"',
    )
    dealer = load_settings(write_config(tmp_path, text)).dealerships[0]
    assert [(v.description, v.stock_number, v.colour) for v in dealer.vehicles] == [
        ("2023 Toyota Prius", None, None),
        ("2025 Toyota RAV4 XLE", "T1", "Blueprint"),
        ("2024 Toyota Camry SE", None, None),
    ]


def test_bad_inventory_csv_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "stock.csv").write_text("description,colour\nRAV4,Red\n,Blue\n")
    text = BASE_CONFIG.replace(
        'timezone = "America/Chicago"', 'timezone = "America/Chicago"\ninventory_csv = "stock.csv"'
    )
    with pytest.raises(ConfigError) as info:
        load_settings(write_config(tmp_path, text))
    assert str(info.value).replace(f"{tmp_path}/", "") == (
        "shop.toml: dealerships[0].inventory_csv: stock.csv line 3: description: missing"
    )


def test_missing_token_env_is_reported_by_check_secrets(tmp_path: Path) -> None:
    text = BASE_CONFIG.replace(
        'port = 2525\nsecurity = "none"', 'security = "none"\nauth = "xoauth2"\ntoken_env = "TOK"'
    )
    result = CliRunner().invoke(cli, ["-c", str(write_config(tmp_path, text)), "send"])
    assert result.exit_code == 2
    assert "shoppers[0].smtp.token_env: environment variable TOK is not set" in result.stderr


def test_dry_run_prints_and_sends_nothing(smtp_sink: SmtpSink, tmp_path: Path) -> None:
    text = BASE_CONFIG.replace("port = 2525", f"port = {smtp_sink.port}").replace(
        'timezone = "America/Chicago"',
        'timezone = "America/Chicago"\nvehicles = ["2025 Toyota RAV4 XLE"]',
    )
    config = write_config(tmp_path, text)
    # No password variables needed: nothing logs in.
    result = CliRunner().invoke(cli, ["-c", str(config), "send", "--dry-run"])
    assert result.exit_code == 0, result.output + result.stderr
    out = result.stdout
    assert "dry run: 1 inquiries would be sent now; nothing sent or stored" in out
    assert "--- to sales@acme.test (acme) from shopper alex <alex@shopper.test>" in out
    assert "From: Alex Jordan <alex@shopper.test>" in out and "Subject: " in out
    assert "2025 Toyota RAV4 XLE" in out
    assert smtp_sink.messages == []
    # Not even the database file: a dry run writes nothing anywhere.
    assert not (tmp_path / "test.db").exists()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dry_run_leaves_an_existing_database_untouched(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    engine = open_engine(load_settings(config).database.url)
    sync_config(engine, load_settings(config))
    engine.dispose()
    before = _digest(tmp_path / "test.db")
    # A dealership the database has not seen yet is planned, but not added to it.
    bigger = write_config(
        tmp_path,
        BASE_CONFIG
        + '[[dealerships]]\nslug = "bolt"\nname = "Bolt Cars"\n'
        + 'inquiry_address = "web@bolt.test"\ntimezone = "America/Denver"\n',
    )
    result = CliRunner().invoke(cli, ["-c", str(bigger), "send", "--dry-run"])
    assert result.exit_code == 0, result.output + result.stderr
    assert "dry run: 2 inquiries would be sent now" in result.stdout
    assert "--- to web@bolt.test (bolt)" in result.stdout
    assert _digest(tmp_path / "test.db") == before
    engine = open_engine(load_settings(bigger).database.url)
    with Session(engine) as session:
        assert [d.slug for d in session.exec(select(Dealership)).all()] == ["acme"]
        assert session.exec(select(Inquiry)).all() == []


def test_dry_run_refuses_to_upgrade_an_old_database(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    migrate(open_engine(load_settings(config).database.url, migrate_schema=False), "0003")
    result = CliRunner().invoke(cli, ["-c", str(config), "send", "--dry-run"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "is at schema 0003, not 0004; run any command without --dry-run" in result.stderr


def test_check_renders_every_scenario_before_anything_is_sent(tmp_path: Path) -> None:
    (tmp_path / "mine" / "inquiry").mkdir(parents=True)
    (tmp_path / "mine" / "inquiry" / "special.txt.j2").write_text(
        "Subject: hi\n\nHi {{ dealership.name }}, {{ shopper.nickname }}\n"
    )
    good = BASE_CONFIG + '[[campaigns]]\ndealerships = ["acme"]\n'
    result = CliRunner().invoke(cli, ["-c", str(write_config(tmp_path, good)), "check"])
    assert result.exit_code == 0, result.output
    # 6 scenarios x 1 shopper x 1 dealership x 4 moments x (no vehicle) = 24
    assert "templates: OK (24 renders" in result.stdout
    bad = BASE_CONFIG.replace(
        "[[shoppers]]",
        '[inquiries]\ntemplates_dir = "mine"\nscenarios = ["special"]\n\n[[shoppers]]',
    )
    result = CliRunner().invoke(cli, ["-c", str(write_config(tmp_path, bad)), "check"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "error: inquiry/special.txt.j2: 'dict object' has no attribute 'nickname'"
    ]
