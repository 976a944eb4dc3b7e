"""Tell a personal reply from an automatic one or a bounce, and say why.

Pure: :func:`classify` takes a parsed message and an optional :class:`ReplyContext` (plain
data about the inquiry) and does no I/O. The rules and their order are documented in
:mod:`.rules`; delivery failures in :mod:`.bounce`; the quality rubric in :mod:`.quality`.

Decision: the first decisive finding (bounce first, then the rules in order) sets the kind;
the subkind is the most specific one any auto finding names (out_of_office, crm_template,
notification, then autoresponder); all findings are kept as reasons. Nothing decisive: the
reply is personal, and its quality is scored.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..parsing import ParsedMail, body_text
from .bounce import detect_bounce
from .context import ReplyContext, vehicle_terms
from .quality import QUALITY_VERSION, Check, Quality, assess_quality
from .rules import RULES, Finding, Inputs, concrete_answer, personalisation
from .text import body_fingerprint, fresh_text

__all__ = (
    "KINDS",
    "QUALITY_VERSION",
    "Check",
    "Finding",
    "Quality",
    "ReplyContext",
    "Verdict",
    "assess_quality",
    "body_fingerprint",
    "classify",
    "reply_fingerprint",
)

KINDS = ("personal", "auto", "bounce")
_SUBKIND_ORDER = ("out_of_office", "crm_template", "notification", "autoresponder")


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: str
    subkind: str | None
    reasons: tuple[str, ...]
    confidence: float
    findings: tuple[Finding, ...] = ()
    failed_recipient: str | None = None
    fingerprint: str | None = None
    quality: Quality | None = None


def _subkind(findings: list[Finding]) -> str:
    named = {f.subkind for f in findings if f.kind == "auto" and f.subkind}
    return next((s for s in _SUBKIND_ORDER if s in named), "autoresponder")


def _reason(f: Finding) -> str:
    return f"{f.rule}: {f.reason}" + ("" if f.decisive else " (evidence)")


def _inputs(mail: ParsedMail, text: str, ctx: ReplyContext) -> Inputs:
    fresh = fresh_text(text)
    strip = [ctx.persona_name, ctx.first_name, *vehicle_terms(ctx.vehicle), mail.from_name]
    return Inputs(
        mail=mail,
        text=text,
        fresh=fresh,
        ctx=ctx,
        fingerprint=body_fingerprint(fresh, strip),
        answered=concrete_answer(fresh),
    )


def reply_fingerprint(mail: ParsedMail, context: ReplyContext | None = None) -> str | None:
    """The fingerprint :func:`classify` would compute, so a caller can look up its repeats."""
    ctx = context or ReplyContext()
    return _inputs(mail, body_text(mail.message, limit=100_000), ctx).fingerprint


def classify(mail: ParsedMail, context: ReplyContext | None = None) -> Verdict:
    """Classify one parsed message as personal, auto or bounce, with the evidence."""
    ctx = context or ReplyContext()
    text = body_text(mail.message, limit=100_000)
    bounce = detect_bounce(mail, text, ctx.shopper_address)
    if bounce:
        finding = Finding("bounce", "bounce", None, "; ".join(bounce.reasons), True, 0.99)
        return Verdict(
            "bounce",
            "soft" if bounce.soft else "hard",
            bounce.reasons,
            0.99,
            (finding,),
            failed_recipient=bounce.failed_recipient,
        )
    i = _inputs(mail, text, ctx)
    findings = [f for f in (rule(i) for rule in RULES) if f is not None]
    findings.extend(personalisation(i))
    reasons = tuple(_reason(f) for f in findings)
    decisive = next((f for f in findings if f.decisive), None)
    autos = [f for f in findings if f.kind == "auto"]
    personal = [f for f in findings if f.kind == "personal"]
    if decisive is None and not personal:
        # List headers and nothing written for this buyer. A CRM fingerprint alone never
        # decides: salespeople answer through their CRM too.
        decisive = next((f for f in autos if f.rule == "list_headers"), None)
    if decisive is not None:
        strongest = max(f.confidence for f in autos if f.decisive or f is decisive)
        conf = min(0.99, strongest + 0.02 * (len(autos) - 1) - 0.05 * len(personal))
        return Verdict(
            "auto",
            _subkind(autos),
            reasons,
            round(conf, 2),
            tuple(findings),
            fingerprint=i.fingerprint,
        )
    conf = min(0.95, 0.6 + 0.1 * len(personal)) - 0.1 * len(autos)
    quality = assess_quality(i.fresh, ctx, from_name=mail.from_name, from_address=mail.from_address)
    return Verdict(
        "personal",
        None,
        reasons or ("personal: no automatic or bounce signal",),
        round(max(conf, 0.5), 2),
        tuple(findings),
        fingerprint=i.fingerprint,
        quality=quality,
    )
