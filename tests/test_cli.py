from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from helpers import BASE_CONFIG, write_config
from mailservers import Dovecot, SmtpSink

from mystery_shopper.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_with_an_example_and_is_documented(name: str) -> None:
    command = cli.commands[name]
    assert command.help and "Example" in command.help
    assert f"`{name}" in README
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and "Example" in result.stdout


def test_every_option_has_help() -> None:
    commands = [cli, *cli.commands.values()]
    bare = [
        f"{command.name} {p.opts[0]}"
        for command in commands
        for p in command.params
        if isinstance(p, click.Option) and not p.help
    ]
    assert bare == []


def test_module_entry_point() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mystery_shopper", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "classify" in out.stdout


def test_config_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(tmp_path)
    monkeypatch.setenv("MYSTERY_SHOPPER_CONFIG", str(path))
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 0 and f"{path}: OK" in result.stdout


def test_db_option_overrides_config(tmp_path: Path) -> None:
    path = write_config(tmp_path)
    other = tmp_path / "other.db"
    result = CliRunner().invoke(
        cli, ["-c", str(path), "report", "--db", f"sqlite:///{other}", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert other.exists() and not (tmp_path / "test.db").exists()


def test_check_connect_names_the_failing_account(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dovecot.add_user("alex@shopper.test", "right")
    sink = SmtpSink()
    sink.start()
    try:
        text = BASE_CONFIG.replace("port = 2525", f"port = {sink.port}").replace(
            "port = 1143", f"port = {dovecot.imap_port}"
        )
        path = write_config(tmp_path, text)
        monkeypatch.setenv("TEST_IMAP_PASSWORD", "right")
        ok = CliRunner().invoke(cli, ["check", "-c", str(path), "--connect"])
        assert ok.exit_code == 0, ok.output
        assert "alex: IMAP login OK" in ok.stdout and "alex: SMTP login OK" in ok.stdout

        monkeypatch.setenv("TEST_IMAP_PASSWORD", "pw-Zq81-not-it")
        bad = CliRunner().invoke(cli, ["check", "-c", str(path), "--connect"])
        assert bad.exit_code == 1
        assert "alex: IMAP FAILED: shopper 'alex': IMAP login refused" in bad.stderr
        assert "pw-Zq81-not-it" not in bad.output
    finally:
        sink.stop()


def test_group_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in cli.commands:
        assert name in result.stdout
    assert isinstance(cli, click.Group)
