"""Small builders shared by the tests (plain data, no servers)."""

from __future__ import annotations

import textwrap
from pathlib import Path

BASE_CONFIG = """
[database]
url = "sqlite:///test.db"

[[shoppers]]
name = "alex"
address = "alex@shopper.test"
display_name = "Alex Jordan"
[shoppers.smtp]
host = "127.0.0.1"
port = 2525
security = "none"
[shoppers.imap]
host = "127.0.0.1"
port = 1143
security = "none"
password_env = "TEST_IMAP_PASSWORD"

[[dealerships]]
slug = "acme"
name = "Acme Motors"
inquiry_address = "sales@acme.test"
timezone = "America/Chicago"
"""


def write_config(tmp_path: Path, text: str = BASE_CONFIG, name: str = "shop.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path
