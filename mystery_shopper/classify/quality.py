"""Quality of a personal reply: the DESIGN.md rubric, each check yes/no with its evidence.

Weighting ``QUALITY_VERSION`` 1 (sums to 100): the question answered 30; the buyer's name 15;
the vehicle named 15; a next step offered 15; a named person with direct contact 15; thanks 10.
The answer weighs most because it is what the buyer asked for; thanks least because it costs
nothing. Change the weights only together with the version, so stored scores stay comparable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import ReplyContext, vehicle_terms
from .patterns import CJK_NAME

__all__ = ("QUALITY_VERSION", "WEIGHTS", "Check", "Quality", "assess_quality")

QUALITY_VERSION = 1
WEIGHTS = {
    "answers_question": 30,
    "buyer_name": 15,
    "vehicle_named": 15,
    "next_step": 15,
    "named_contact": 15,
    "thanks": 10,
}

_NUM = r"\d[\d,.'\u00a0\u202f ]*\d"
_MONEY = rf"([$€£]\s?{_NUM}|{_NUM}\s?(\$|€|£|\b(eur|euro|usd|dollars?)\b))"
_ANSWERS = {
    "price": re.compile(_MONEY + r"|out[- ]the[- ]door (price )?(is|would be|comes)", re.I),
    "availability": re.compile(
        r"\b(is|it's|still) (available|in stock|on (our|the) lot)|\bsold\b|just arrived|"
        r"(verfügbar|vorrätig|disponible|en stock|en existencia)",
        re.I,
    ),
    "trade": re.compile(_MONEY + r"|apprais|trade[- ]in value", re.I),
    "financ": re.compile(r"\d+(\.\d+)?\s?%|\bapr\b|\d+\s?(months|monate|mois|meses)", re.I),
    "test_drive": re.compile(
        r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|\b\d{1,2}(:\d\d)?\s?(am|pm|uhr|h)\b|"
        r"tomorrow|morgen|demain|mañana",
        re.I,
    ),
}
_THANKS = re.compile(r"\b(thank|thanks|thx|danke|vielen dank|merci|gracias|grazie|bedankt)", re.I)
_NEXT = re.compile(
    r"come (in|by|down)|stop by|swing by|visit|schedul|appointment|test[- ]drive|"
    r"give me a call|call me|text me|reach me|let me know (when|what|if)|book|reserve|"
    r"termin|vorbeikommen|probefahrt|rufen sie mich|rendez-vous|passer|essai|"
    r"cita|visitarnos|prueba de manejo|llámeme",
    re.I,
)
_PHONE = re.compile(r"(\+?\d[\d\s().-]{7,}\d)")
_GENERIC = re.compile(
    r"team|sales|service|info|internet|bdc|dealer|motors|auto|no-?reply|notification|"
    r"customer|support|department|verkauf|ventas|contact",
    re.I,
)
_SIGNOFF = re.compile(
    r"^\s*(best|regards|kind regards|thanks|thank you|cheers|sincerely|talk soon|"
    r"mit freundlichen gr[üu]ßen|viele gr[üu]ße|beste gr[üu]ße|cordialement|bien à vous|"
    r"saludos|atentamente|un saludo|cordiali saluti)[,!.]?\s*$\n+"
    r"\s*([A-ZÀ-Ý][\w'-]+(\s[A-ZÀ-Ý][\w'-]+)?)",
    re.M,
)


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    passed: bool
    evidence: str


@dataclass(frozen=True, slots=True)
class Quality:
    version: int
    score: int
    checks: tuple[Check, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "version": self.version,
            "score": self.score,
            "checks": {c.name: {"passed": c.passed, "evidence": c.evidence} for c in self.checks},
        }


def _find(pattern: re.Pattern[str], text: str) -> str:
    m = pattern.search(text)
    return m.group(0).strip() if m else ""


def _answer(text: str, scenario: str) -> Check:
    keys = [k for k in _ANSWERS if k in scenario.lower()] or list(_ANSWERS)
    for key in keys:
        hit = _find(_ANSWERS[key], text)
        if hit:
            return Check("answers_question", True, f"{scenario or 'question'}: {hit!r}")
    return Check("answers_question", False, f"no answer to {scenario or 'the question'} found")


def _word(term: str, text: str) -> bool:
    return bool(term) and re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.I) is not None


def _contact(text: str, from_name: str, from_address: str) -> Check:
    signoff = _SIGNOFF.search(text)
    name = signoff.group(2) if signoff else ""
    # A display name of two words, or a CJK name (one word of two to four characters).
    full = len(from_name.split()) >= 2 or CJK_NAME.fullmatch(from_name) is not None
    if not name and from_name and full and not _GENERIC.search(from_name):
        name = from_name
    phone = _find(_PHONE, text)
    local = from_address.split("@")[0]
    direct = phone or (local and not _GENERIC.search(local) and from_address) or ""
    if name and direct:
        return Check("named_contact", True, f"signed {name!r}, direct contact {direct!r}")
    missing = "name" if not name else "phone number or personal address"
    return Check("named_contact", False, f"no {missing}")


def assess_quality(
    text: str, ctx: ReplyContext | None, *, from_name: str = "", from_address: str = ""
) -> Quality:
    """Score the fresh text of a personal reply against the rubric."""
    ctx = ctx or ReplyContext()
    name = next((n for n in ctx.names if _word(n, text)), "")
    vehicle = next((v for v in vehicle_terms(ctx.vehicle) if _word(v, text)), "")
    thanks, step = _find(_THANKS, text), _find(_NEXT, text)
    checks = (
        _answer(text, ctx.scenario),
        Check("buyer_name", bool(name), f"uses {name!r}" if name else "buyer's name not used"),
        Check("vehicle_named", bool(vehicle), f"names {vehicle!r}" if vehicle else "no vehicle"),
        Check("next_step", bool(step), f"offers {step!r}" if step else "no next step"),
        _contact(text, from_name, from_address),
        Check("thanks", bool(thanks), f"says {thanks!r}" if thanks else "no thanks"),
    )
    score = sum(WEIGHTS[c.name] for c in checks if c.passed)
    return Quality(QUALITY_VERSION, score, checks)
