from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import BASE_CONFIG, write_config
from pydantic import ValidationError

from mystery_shopper.cli import cli
from mystery_shopper.config import check_secrets, load_settings
from mystery_shopper.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent


def test_example_config_is_valid() -> None:
    settings = load_settings(REPO / "config.example.toml")
    assert [d.slug for d in settings.dealerships] == ["acme-toyota", "acme-honda"]
    acme = settings.dealership("acme-toyota")
    assert acme.hours["mon"] is not None and acme.hours["mon"].close == time(19)
    assert acme.hours["sun"] is None
    assert settings.shoppers[0].folders == ("INBOX", "\\Junk")


def test_defaults_and_relative_database(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path))
    assert settings.database.url == f"sqlite:///{tmp_path.resolve()}/test.db"
    assert settings.inquiries.observation_window_hours == 72
    assert settings.shoppers[0].smtp.effective_port == 2525
    dealer = settings.dealerships[0]
    assert dealer.hours["sat"] is not None and dealer.hours["sun"] is None


def test_settings_are_immutable(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path))
    with pytest.raises(ValidationError, match="frozen"):
        settings.dealerships[0].slug = "other"  # type: ignore[misc]


BAD = [
    pytest.param(
        BASE_CONFIG.replace('name = "Acme Motors"\n', ""),
        "shop.toml: dealerships[0].name: missing required key",
        id="missing-key",
    ),
    pytest.param(
        BASE_CONFIG.replace("port = 1143", 'port = "1143"'),
        "shop.toml: shoppers[0].imap.port: input should be a valid integer, got '1143'",
        id="wrong-type",
    ),
    pytest.param(
        BASE_CONFIG.replace("America/Chicago", "Mars/Base"),
        "shop.toml: dealerships[0].timezone: unknown time zone 'Mars/Base'",
        id="unknown-timezone",
    ),
    pytest.param(
        BASE_CONFIG.replace('security = "none"\npassword_env', 'security = "ssl"\npassword_env'),
        "shop.toml: shoppers[0].imap.security: input should be 'starttls', 'tls' or 'none', "
        "got 'ssl'",
        id="bad-choice",
    ),
    pytest.param(
        BASE_CONFIG + 'hours = { mon = "18:00-09:00" }\n',
        "shop.toml: dealerships[0].hours: mon: closing time is not after opening time in "
        "'18:00-09:00'",
        id="bad-hours",
    ),
    pytest.param(
        BASE_CONFIG + "colour = 1\n",
        "shop.toml: dealerships[0].colour: unknown key",
        id="unknown-key",
    ),
    pytest.param(
        BASE_CONFIG + "[[dealerships\n",
        "shop.toml: invalid TOML: ",
        id="bad-toml",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_config_is_one_line_and_exit_2(tmp_path: Path, text: str, message: str) -> None:
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert str(info.value).replace(str(path), "shop.toml").startswith(message)
    result = CliRunner().invoke(cli, ["check", "-c", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "Traceback" not in result.output


def test_missing_config_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["-c", str(tmp_path / "nope.toml"), "check"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.toml'}: config file not found"


def test_missing_password_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(tmp_path)
    monkeypatch.delenv("TEST_IMAP_PASSWORD", raising=False)
    settings = load_settings(path)
    with pytest.raises(
        ConfigError,
        match="shoppers\\[0\\].imap.password_env: environment "
        "variable TEST_IMAP_PASSWORD is not set",
    ):
        check_secrets(settings)
    for command in (["poll"], ["send"], ["run"], ["check", "--connect"]):
        result = CliRunner().invoke(cli, ["-c", str(path), *command])
        assert result.exit_code == 2, command
        assert result.stderr.strip().splitlines() == [
            f"error: {path}: shoppers[0].imap.password_env: "
            "environment variable TEST_IMAP_PASSWORD is not set"
        ]


def test_password_never_in_config_or_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_IMAP_PASSWORD", "s3cret-value")
    path = write_config(tmp_path)
    result = CliRunner().invoke(cli, ["-c", str(path), "check"])
    assert result.exit_code == 0
    assert "s3cret-value" not in result.output


def test_password_in_file_is_rejected(tmp_path: Path) -> None:
    text = BASE_CONFIG.replace('password_env = "TEST_IMAP_PASSWORD"', 'password = "hunter2"')
    with pytest.raises(
        ConfigError, match="shoppers\\[0\\].imap: password: not read from the config file"
    ):
        load_settings(write_config(tmp_path, text))


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://shop:hunter2@db.internal/shop",
        "postgresql://shop:hunter2@db.internal:5432/shop",
    ],
)
def test_a_password_in_the_database_url_is_rejected(tmp_path: Path, url: str) -> None:
    text = BASE_CONFIG.replace('url = "sqlite:///test.db"', f'url = "{url}"')
    path = write_config(tmp_path, text)
    result = CliRunner().invoke(cli, ["-c", str(path), "check"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {path}: database.url: holds a password: leave it out and set PGPASSWORD "
        "or ~/.pgpass instead"
    ]
    assert "hunter2" not in result.output
    on_command_line = CliRunner().invoke(
        cli, ["--db", url, "-c", str(write_config(tmp_path)), "report"]
    )
    assert on_command_line.exit_code == 2
    assert "--db: holds a password" in on_command_line.stderr
    assert "hunter2" not in on_command_line.output


@pytest.mark.parametrize(
    "url", ["postgresql+psycopg://shop@db.internal/shop", "sqlite:///a:b@c.db", "sqlite://"]
)
def test_database_urls_without_a_password_are_accepted(tmp_path: Path, url: str) -> None:
    text = BASE_CONFIG.replace('url = "sqlite:///test.db"', f'url = "{url}"')
    assert load_settings(write_config(tmp_path, text)).database.url.endswith(url[-6:])


def test_templates_ship_with_the_package() -> None:
    import mystery_shopper
    from mystery_shopper.compose import builtin_templates_dir

    tdir = builtin_templates_dir()
    assert (tdir / "inquiry" / "price_quote.txt.j2").is_file()
    package = Path(mystery_shopper.__file__).parent
    if "site-packages" in str(package):  # the installed wheel (CI): templates inside it
        assert tdir == package / "templates"


def test_plaintext_login_to_a_remote_host_is_refused(tmp_path: Path) -> None:
    text = BASE_CONFIG.replace(
        'host = "127.0.0.1"\nport = 1143', 'host = "imap.example.net"\nport = 143'
    )
    with pytest.raises(ConfigError) as info:
        load_settings(write_config(tmp_path, text))
    assert (
        'shoppers[0].imap: security = "none" would send the login to imap.example.net '
        'unencrypted; use "starttls" or "tls" (or set allow_plaintext_login = true)'
    ) in str(info.value)
    allowed = text.replace(
        'security = "none"\npassword_env',
        'security = "none"\nallow_plaintext_login = true\npassword_env',
    )
    assert load_settings(write_config(tmp_path, allowed)).shoppers[0].imap.allow_plaintext_login
