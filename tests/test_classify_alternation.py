"""The rewrite that lets re scan the phrase lists quickly must not change a single match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mystery_shopper.classify import patterns, rules
from mystery_shopper.classify.alternation import branches, literal_first
from mystery_shopper.parsing import body_text, parse_mail

CORPUS = Path(__file__).parent / "data" / "replies"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(a|b)c|d", "ac|bc|d"),
        ("(x )?y", "x y|y"),
        ("((a|b) )?c", "a c|b c|c"),
        ("(a|(b|c)d)e", "ae|bde|cde"),
        ("[|)(]x|y", "[|)(]x|y"),  # a class holding | and parentheses is one token
        (r"\(a|b", r"\(a|b"),  # an escaped parenthesis opens no group
        ("(?=a)b|(?:c|d)e", "(?=a)b|(?:c|d)e"),  # only plain groups are distributed
        ("(ab)+c|(ab)*d|(ab){2}e|(a)??f", "(ab)+c|(ab)*d|(ab){2}e|(a)??f"),  # repeats stay
    ],
)
def test_literal_first(pattern: str, expected: str) -> None:
    assert literal_first(pattern) == expected


def test_branches_split_only_at_the_top_level() -> None:
    assert branches("a(b|c)|[d|e]|f\\|g") == ["a(b|c)", "[d|e]", "f\\|g"]


def _texts() -> list[str]:
    texts = []
    for path in sorted(CORPUS.glob("*.eml")):
        mail = parse_mail(path.read_bytes())
        texts += [mail.subject, mail.from_address, body_text(mail.message)]
    # A sentence for many branches, so matches (not only misses) are compared.
    texts += [
        "Please do not reply. Type your reply above this line. Click here to view your order.",
        "We have received your inquiry; a sales representative will respond within 24 hours.",
        "Thank you for registering! Please confirm your email address. Ticket number: 12345",
        "I am out of the office until Monday. Ich bin ab dem 3. nicht im Büro.",
        "Saturday at 10 works. The RAV4 is $31,200 and still available. Um 10 Uhr passt.",
        "Dear , hi {{ first_name }} - vielen dank für ihre anfrage, wir melden uns bei ihnen",
        "noreply@acme.test ne-pas-repondre@ville.test mailer-daemon@mx.test",
        # ... and without the optional words some branches start with.
        "Do not reply to this email. Confirm your account. Dank für Ihre Anmeldung.",
        "Ticket 1234 has been assigned. Your order has been placed. Mailbox is full.",
    ]
    return [t.lower() for t in texts]


PHRASES = sorted(
    [(name, obj) for name, obj in vars(patterns).items() if isinstance(obj, patterns.Phrases)]
    + [("rules._CONCRETE", rules._CONCRETE)],
    key=lambda item: item[0],
)


@pytest.mark.parametrize(("name", "phrases"), PHRASES, ids=[name for name, _ in PHRASES])
def test_the_rewrite_finds_exactly_the_same_matches(name: str, phrases: patterns.Phrases) -> None:
    flags = phrases._lower.flags & re.M
    original = re.compile(phrases.pattern, flags)
    rewritten = re.compile(literal_first(phrases.pattern), flags)
    for text in _texts():
        for start in range(0, len(text), 97):  # matches at many offsets, not only the first
            a, b = original.search(text, start), rewritten.search(text, start)
            assert (a and a.span()) == (b and b.span()), (name, text[start : start + 80])


@pytest.mark.parametrize(
    "name", ["ACK_BODY", "AUTO_BODY", "BOUNCE_BODY", "NOTIFICATION_BODY", "OOO_BODY"]
)
def test_the_long_phrase_lists_start_every_branch_with_a_character(name: str) -> None:
    # What lets re skip ahead: no branch of the rewritten list starts with a group.
    rewritten = branches(literal_first(getattr(patterns, name).pattern))
    assert all(not b.startswith("(") for b in rewritten), name
