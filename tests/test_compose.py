"""Inquiry templates: every scenario renders for everyone in the config; golden files; MIME."""

from __future__ import annotations

import itertools
import os
import random
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import write_config

from mystery_shopper.campaign_config import SCENARIOS, VehicleConfig
from mystery_shopper.compose import (
    add_typos,
    compose_inquiry,
    template_environment,
    text_to_html,
)
from mystery_shopper.config import Settings, load_settings
from mystery_shopper.errors import ComposeError
from mystery_shopper.outbox import queue_due, too_alike
from mystery_shopper.store import open_engine, sync_config

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
# Golden files change only when asked: UPDATE_GOLDEN=1 pytest tests/test_compose.py
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
NOW = datetime(2026, 11, 24, 19, 30, tzinfo=UTC)
VEHICLE = VehicleConfig(description="2025 Toyota RAV4 XLE", stock_number="T25-1187", colour="Blue")


# The golden files' own persona and dealership, independent of config.example.toml.
GOLDEN_CONFIG = """
[[shoppers]]
name = "alex"
address = "alex.jordan.cars@example.net"
display_name = "Alex Jordan"
phone = "(312) 555-0147"
town = "Oak Park"
trade_in = "2017 Honda CR-V EX with 78,000 miles"
[shoppers.smtp]
host = "smtp.example.net"
[shoppers.imap]
host = "imap.example.net"
password_env = "X"

[[dealerships]]
slug = "acme-toyota"
name = "Acme Toyota"
inquiry_address = "internet.sales@acme-toyota.example"
timezone = "America/Chicago"
"""


@pytest.fixture(scope="module")
def example() -> Settings:
    return load_settings(REPO / "config.example.toml")


@pytest.fixture
def fixed(tmp_path: Path) -> Settings:
    return load_settings(write_config(tmp_path, GOLDEN_CONFIG))


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run with UPDATE_GOLDEN=1 to write it, then review it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; UPDATE_GOLDEN=1 if intended"


def test_every_scenario_renders_for_every_persona_and_dealership(example: Settings) -> None:
    env = template_environment()
    count = 0
    for scenario, shopper, dealer in itertools.product(
        SCENARIOS, example.shoppers, example.dealerships
    ):
        for vehicle, moment in itertools.product(
            (*dealer.vehicles, None), ("business", "morning", "evening", "weekend")
        ):
            c = compose_inquiry(
                env,
                scenario=scenario,
                shopper=shopper,
                dealership=dealer,
                vehicle=vehicle,
                now=NOW,
                seed=f"{count}",
                moment=moment,
                typos=True,
            )
            count += 1
            assert c.subject and "{" not in c.subject + c.text and "None" not in c.text
            assert shopper.display_name.split()[0] in c.text
            if vehicle is not None:
                assert vehicle.description in c.text
            assert c.phrasing.startswith(f"{scenario}:")
    # scenarios x shoppers x (acme-toyota: 2 vehicles + none, acme-honda: 1 + none) x moments
    assert count == 6 * 2 * (3 + 2) * 4


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_golden(scenario: str, fixed: Settings) -> None:
    shopper = fixed.shoppers[0]
    dealer = fixed.dealerships[0]
    c = compose_inquiry(
        template_environment(),
        scenario=scenario,
        shopper=shopper,
        dealership=dealer,
        vehicle=VEHICLE,
        now=NOW,
        seed="golden",
        moment="evening",
        typos=False,
    )
    check_golden(f"{scenario}.txt", f"Subject: {c.subject}\n\n{c.text}")


def test_golden_message_with_html_alternative(fixed: Settings) -> None:
    shopper = fixed.shoppers[0].model_copy(update={"html": True})
    c = compose_inquiry(
        template_environment(),
        scenario="test_drive",
        shopper=shopper,
        dealership=fixed.dealerships[0],
        vehicle=VEHICLE,
        now=NOW,
        seed="golden",
    )
    raw = c.message.as_string().replace(c.message_id, "<MESSAGE-ID>")
    check_golden("test_drive_html.eml", raw)


def test_message_looks_like_an_ordinary_mail_client(example: Settings) -> None:
    shopper = example.shoppers[0].model_copy(update={"html": True})
    dealer = example.dealerships[0]
    c = compose_inquiry(
        template_environment(),
        scenario="price_quote",
        shopper=shopper,
        dealership=dealer,
        vehicle=VEHICLE,
        now=NOW,
        seed="x",
    )
    msg = c.message
    assert set(msg.keys()) == {
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "MIME-Version",
        "Content-Type",
    }
    assert msg["From"] == f"{shopper.display_name} <{shopper.address}>"
    assert msg["To"] == dealer.inquiry_address
    assert re.fullmatch(rf"<[0-9a-f-]{{36}}@{re.escape(shopper.domain)}>", c.message_id)
    assert msg["Date"] == "Tue, 24 Nov 2026 13:30:00 -0600"  # the dealership's local time
    assert msg.get_content_type() == "multipart/alternative"
    assert "====" not in (msg.get_boundary() or "")
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all("MIME-Version" not in p for p in parts)
    assert "<div>" in parts[1].get_content() and "&#x27;" not in parts[1].get_content()
    assert text_to_html("a < b & 'c'\n\nd\n") == (
        "<div dir=\"ltr\"><div>a &lt; b &amp; 'c'</div><div><br></div><div>d</div></div>\n"
    )
    plain = example.shoppers[0]
    single = compose_inquiry(
        template_environment(),
        scenario="price_quote",
        shopper=plain,
        dealership=dealer,
        vehicle=VEHICLE,
        now=NOW,
        seed="x",
    )
    assert single.message.get_content_type() == "text/plain"
    assert single.text == c.text  # the same seed gives the same words


def test_missing_variable_fails_before_sending(tmp_path: Path, example: Settings) -> None:
    (tmp_path / "inquiry").mkdir()
    (tmp_path / "inquiry" / "nickname.txt.j2").write_text(
        "Subject: hi\n\nHi, {{ shopper.nickname }}\n"
    )
    with pytest.raises(ComposeError, match="nickname"):
        compose_inquiry(
            template_environment(str(tmp_path)),
            scenario="nickname",
            shopper=example.shoppers[0],
            dealership=example.dealerships[0],
            vehicle=None,
            now=NOW,
            seed="x",
        )


def test_typos_leave_names_numbers_and_vehicles_alone() -> None:
    text = "I'm really interested in the 2025 Toyota RAV4 XLE, stock T25-1187. Thanks, Alex\n"
    changed = {add_typos(text, random.Random(i)) for i in range(50)}
    assert len(changed) > 3
    for out in changed:
        assert "2025 Toyota RAV4 XLE" in out and "T25-1187" in out and "Alex" in out


def test_inquiries_to_one_group_never_read_alike(tmp_path: Path) -> None:
    dealers = "".join(
        f"""
[[dealerships]]
slug = "d{i}"
name = "Dealer {i}"
inquiry_address = "sales@d{i}.test"
timezone = "America/Chicago"
group = "Big Group"
vehicles = ["2025 Toyota RAV4 XLE"]
"""
        for i in range(40)
    )
    text = f"""
[database]
url = "sqlite:///shop.db"
[inquiries]
scenarios = ["finance"]
typos = false
[[shoppers]]
name = "alex"
address = "alex@shopper.test"
display_name = "Alex Jordan"
[shoppers.smtp]
host = "127.0.0.1"
security = "none"
[shoppers.imap]
host = "127.0.0.1"
security = "none"
password_env = "X"
{dealers}"""
    settings = load_settings(write_config(tmp_path, text))
    engine = open_engine(settings.database.url)
    sync_config(engine, settings)
    planned = queue_due(engine, settings, template_environment(), NOW)
    assert len(planned) == 40
    phrasings = [p.inquiry.phrasing or "" for p in planned]
    for a, b in itertools.combinations(phrasings, 2):
        assert not too_alike(a, b), (a, b)
    bodies = {re.sub(r"Dealer \d+", "D", p.composed.text) for p in planned}
    assert len(bodies) == 40
