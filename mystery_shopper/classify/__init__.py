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
from .bounce import BounceInfo, detect_bounce
from .context import ReplyContext, vehicle_terms
from .patterns import TRANSACTION_SUBJECT
from .quality import QUALITY_VERSION, Check, Quality, assess_quality
from .rules import (
    RULES,
    WEAK_RULES,
    Finding,
    Inputs,
    concrete_answer,
    is_amount,
    mentioned,
    personalisation,
    voice,
)
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
    decided_by: str | None = None  # the rule that set the kind; None for a personal reply


def _subkind(findings: list[Finding]) -> str:
    named = {f.subkind for f in findings if f.kind == "auto" and f.subkind}
    return next((s for s in _SUBKIND_ORDER if s in named), "autoresponder")


def _reason(f: Finding) -> str:
    return f"{f.rule}: {f.reason}" + ("" if f.decisive else " (evidence)")


def _inputs(mail: ParsedMail, text: str, ctx: ReplyContext) -> Inputs:
    fresh = fresh_text(text)
    strip = [ctx.persona_name, ctx.first_name, *vehicle_terms(ctx.vehicle), mail.from_name]
    answered, priced = concrete_answer(fresh), ""
    # A sum in an order's or a receipt's own mail is its data: nobody asked what it costs.
    if is_amount(answered) and TRANSACTION_SUBJECT.search(mail.subject):
        answered, priced = "", answered
    return Inputs(
        mail=mail,
        text=text,
        fresh=fresh,
        ctx=ctx,
        fingerprint=body_fingerprint(fresh, strip),
        answered=answered,
        priced=priced,
        buyer_named=mentioned(ctx.names, fresh),
        vehicle_named=mentioned(vehicle_terms(ctx.vehicle), fresh),
    )


def _own_text(mail: ParsedMail, text: str) -> str:
    """What the sender wrote: the text without a message attached to it (a forwarded notice
    is not the forwarder's words), unless the attached message is all there is."""
    if not any(part.get_content_maintype() == "message" for part in mail.message.walk()):
        return text
    own = body_text(mail.message, limit=100_000, attached=False)
    return own if own.strip() else text


def reply_fingerprint(mail: ParsedMail, context: ReplyContext | None = None) -> str | None:
    """The fingerprint :func:`classify` would compute, so a caller can look up its repeats."""
    ctx = context or ReplyContext()
    return _inputs(mail, _own_text(mail, body_text(mail.message, limit=100_000)), ctx).fingerprint


def classify(mail: ParsedMail, context: ReplyContext | None = None) -> Verdict:
    """Classify one parsed message as personal, auto or bounce, with the evidence."""
    ctx = context or ReplyContext()
    text = body_text(mail.message, limit=100_000)
    # A bounce quotes the message it returns; the other rules read the sender's own words.
    bounce = detect_bounce(mail, text, ctx.shopper_address)
    if bounce:
        return _bounce_verdict(bounce)
    i = _inputs(mail, _own_text(mail, text), ctx)
    findings = [f for f in (rule(i) for rule in RULES) if f is not None]
    findings.extend(personalisation(i))
    decisive, because = _decisive(findings, i)
    if decisive is not None:
        return _auto_verdict(findings + because, decisive, i)
    return _personal_verdict(findings + because, i)


# Kept with a verdict that one weak sign decided because the text speaks as nobody.
_NOBODY_SPEAKS = Finding(
    "nobody_speaks",
    "auto",
    None,
    "no 'I' and no name signed in the text: a notice, not someone writing",
    False,
    0.7,
)


def _bounce_verdict(bounce: BounceInfo) -> Verdict:
    finding = Finding("bounce", "bounce", None, "; ".join(bounce.reasons), True, 0.99)
    subkind = "soft" if bounce.soft else "hard"
    return Verdict(
        "bounce",
        subkind,
        bounce.reasons,
        0.99,
        (finding,),
        failed_recipient=bounce.failed_recipient,
        decided_by="bounce",
    )


def _decisive(findings: list[Finding], i: Inputs) -> tuple[Finding | None, list[Finding]]:
    """The first decisive finding; weak evidence decides only when nothing is personal.

    A CRM fingerprint or notification wording alone does not decide a reply written by someone:
    salespeople answer through their CRM or help desk too. With nothing personal in the reply,
    list headers and a filled-in form nobody signs decide alone, any two different kinds of weak
    evidence decide together, and notification wording or a web application's sending mark
    decides alone when nobody speaks in the text (no "I", no name signed): a notice. When
    nobody speaks, a sum of money is not a personal sign either (an order confirmation or an
    expense approval states its amount too), nor is the buyer's name (a mail merge fills it
    in). The second value is the findings that complete the reason: ``nobody_speaks`` for an
    automatic verdict, or ``someone_speaks`` when a person's voice is why a machine's mark did
    not decide.
    """
    first = next((f for f in findings if f.decisive), None)
    if first is not None:
        return first, []
    weak = [f for f in findings if f.rule in WEAK_RULES]
    personal = sum(1 for f in findings if f.kind == "personal")
    # Whether someone speaks is asked at most once, and only when it matters.
    spoken: str | None = None

    def said() -> str:
        nonlocal spoken
        if spoken is None:
            spoken = voice(i.fresh, i.mail.from_name, i.mail.from_address)
        return spoken

    # In a text where nobody speaks, a sum of money is the notice's own data (an order's
    # total, an expense report's amount, a listing's price) and the buyer's name is what a mail
    # merge fills in ("Dear Alex Jordan"): neither is someone answering.
    merged = bool(i.buyer_named) + is_amount(i.answered)
    data_only = 0 < personal == merged and not said()
    if personal and not data_only:
        return None, []
    because = [_NOBODY_SPEAKS] if data_only else []
    if len({f.rule for f in weak}) >= 2:
        return weak[0], because
    alone = next((f for f in weak if f.alone), None)
    if alone is not None:
        return alone, because
    # Only a machine's own marks count here: a team sign-off, a greeting to nobody or a holiday
    # subject is also how a salesperson or a colleague writes, and a dealer CRM's or a bulk
    # platform's header is on salespeople's one-to-one replies too.
    lone = next((f for f in weak if f.lone), None)
    if lone is None:
        return None, []
    if not data_only and said():
        return None, [_someone_speaks(lone, said())]
    return lone, [_NOBODY_SPEAKS]


def _someone_speaks(lone: Finding, how: str) -> Finding:
    """Why a machine's mark that decides a text nobody speaks in did not decide this one."""
    reason = f"{how}, so {lone.rule} alone does not make it a notice"
    return Finding("someone_speaks", "personal", None, reason, False, 0.6)


def _auto_verdict(findings: list[Finding], decisive: Finding, i: Inputs) -> Verdict:
    autos = [f for f in findings if f.kind == "auto"]
    personal = sum(1 for f in findings if f.kind == "personal")
    strongest = max(f.confidence for f in autos if f.decisive or f is decisive)
    conf = min(0.99, strongest + 0.02 * (len(autos) - 1) - 0.05 * personal)
    return Verdict(
        "auto",
        _subkind(autos),
        tuple(_reason(f) for f in findings),
        round(conf, 2),
        tuple(findings),
        fingerprint=i.fingerprint,
        decided_by=decisive.rule,
    )


def _personal_verdict(findings: list[Finding], i: Inputs) -> Verdict:
    autos = sum(1 for f in findings if f.kind == "auto")
    personal = sum(1 for f in findings if f.kind == "personal")
    conf = min(0.95, 0.6 + 0.1 * personal) - 0.1 * autos
    mail = i.mail
    quality = assess_quality(
        i.fresh, i.ctx, from_name=mail.from_name, from_address=mail.from_address
    )
    reasons = tuple(_reason(f) for f in findings)
    return Verdict(
        "personal",
        None,
        reasons or ("personal: no automatic or bounce signal",),
        round(max(conf, 0.5), 2),
        tuple(findings),
        fingerprint=i.fingerprint,
        quality=quality,
    )
