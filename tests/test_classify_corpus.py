"""Table-driven checks over the labelled corpus we wrote in tests/data/replies.

The label is the file name: ``<kind>[-<subkind>]--<language>--<description>.eml``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mystery_shopper.classify import QUALITY_VERSION, ReplyContext, classify
from mystery_shopper.classify.quality import WEIGHTS
from mystery_shopper.parsing import parse_mail

CORPUS = Path(__file__).parent / "data" / "replies"
CONTEXT = ReplyContext(
    persona_name="Alex Jordan",
    shopper_address="alex.jordan@shopper.test",
    vehicle="2025 Toyota RAV4 XLE",
    scenario="price_quote",
)
FILES = sorted(CORPUS.glob("*.eml"))


def _label(path: Path) -> tuple[str, str | None]:
    kind, _, subkind = path.name.split("--")[0].partition("-")
    return kind, subkind or None


def test_corpus_covers_every_subkind_and_language() -> None:
    labels = {_label(p) for p in FILES}
    for pair in [
        ("personal", None),
        ("auto", "autoresponder"),
        ("auto", "crm_template"),
        ("auto", "out_of_office"),
        ("auto", "notification"),
        ("bounce", "hard"),
        ("bounce", "soft"),
    ]:
        assert pair in labels
    assert {p.name.split("--")[1] for p in FILES} >= {"en", "de", "fr", "es"}


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in FILES])
def test_corpus_message(path: Path) -> None:
    verdict = classify(parse_mail(path.read_bytes()), CONTEXT)
    assert (verdict.kind, verdict.subkind) == _label(path), verdict.reasons
    assert verdict.reasons and 0.5 <= verdict.confidence <= 0.99
    assert (verdict.quality is not None) == (verdict.kind == "personal")


FAILED = {
    "bounce-hard--en--postfix-dsn.eml": "sales@closed-dealer.test",
    "bounce-hard--en--exchange-ndr.eml": "internet.sales@dealer-group.test",
    "bounce-hard--de--unzustellbar-plain.eml": "verkauf@autohaus-alt.test",
    "bounce-hard--en--x-failed-recipients.eml": "leads@gone-motors.test",
    "bounce-soft--en--dsn-delayed.eml": "sales@slow-dealer.test",
    "bounce-soft--en--plain-will-retry.eml": "sales@slow-dealer.test",
    "bounce-soft--en--sendmail-not-yet-delivered.eml": "sales@slow-dealer.test",
    "bounce-hard--it--pec-mancata-consegna.eml": "vendite@pec.concessionaria-rossi.test",
    "bounce-hard--en--gateway-mixed-null-from.eml": "internet.sales@lakeside-toyota.test",
}


@pytest.mark.parametrize(("name", "recipient"), FAILED.items())
def test_bounce_names_the_failed_recipient(name: str, recipient: str) -> None:
    verdict = classify(parse_mail((CORPUS / name).read_bytes()), CONTEXT)
    assert verdict.failed_recipient == recipient
    assert f"failed recipient: {recipient}" in verdict.reasons


QUALITY = [
    # file, score, checks that pass
    (
        "personal--en--full-answer.eml",
        100,
        {"answers_question", "buyer_name", "vehicle_named", "next_step", "named_contact", "thanks"},
    ),
    ("personal--en--short-from-phone.eml", 30, {"next_step", "named_contact"}),
    (
        "personal--de--antwort-mit-preis.eml",
        100,
        {"answers_question", "buyer_name", "vehicle_named", "next_step", "named_contact", "thanks"},
    ),
    (
        "personal--en--html-only-outlook.eml",
        75,
        {"answers_question", "buyer_name", "next_step", "named_contact"},
    ),
    # A Korean display name is one word: the salesperson who signs with it and a phone number
    # is still a named contact.
    ("personal--ko--gyeonjeokseo-cheombu-html.eml", 15, {"named_contact"}),
]


@pytest.mark.parametrize(("name", "score", "passed"), QUALITY)
def test_quality_rubric(name: str, score: int, passed: set[str]) -> None:
    quality = classify(parse_mail((CORPUS / name).read_bytes()), CONTEXT).quality
    assert quality is not None and quality.version == QUALITY_VERSION
    assert {c.name for c in quality.checks if c.passed} == passed
    assert quality.score == score == sum(WEIGHTS[n] for n in passed)
    assert all(c.evidence for c in quality.checks)


def test_weights_are_a_100_point_scale() -> None:
    assert sum(WEIGHTS.values()) == 100
