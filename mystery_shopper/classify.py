"""Tell a personal reply from an automatic one or a bounce, and say why.

Rules are checked in this order; the first decisive one sets the verdict, and every rule that
fired is kept as evidence:

1. bounce: a ``multipart/report; report-type=delivery-status`` message, an ``X-Failed-Recipients``
   header, or a mailer-daemon/postmaster sender. Hard unless the DSN says ``Action: delayed``
   or its status code is 4.x.x.
2. auto: ``Auto-Submitted`` other than ``no`` (RFC 3834), ``X-Autoreply``/``X-Autorespond``,
   ``Precedence: bulk|junk|list|auto_reply``; subkind from the subject (out-of-office wording)
   or the header itself.
3. auto: an out-of-office or automatic-reply subject.
4. personal: nothing above fired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .parsing import ParsedMail

__all__ = ("KINDS", "Verdict", "classify")

KINDS = ("personal", "auto", "bounce")

_OOO_SUBJECT = re.compile(
    r"\b(out of (the )?office|automatic reply|auto(matic)?[- ]?reply|autoreply|"
    r"abwesenheitsnotiz|r[ée]ponse automatique|respuesta autom[áa]tica|risposta automatica|"
    r"afwezigheidsbericht|absence)\b",
    re.I,
)
_OOO_WORDS = re.compile(r"out of (the )?office|abwesenheit|absence|vacation|away", re.I)
_BOUNCE_SENDER = re.compile(r"^(mailer-daemon|postmaster)@", re.I)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|delivery status notification|returned mail|delivery (has )?failed|"
    r"failure notice|mail delivery failed|unzustellbar",
    re.I,
)
_STATUS = re.compile(r"^Status:\s*([245])\.\d{1,3}\.\d{1,3}", re.I | re.M)
_ACTION = re.compile(r"^Action:\s*(\w+)", re.I | re.M)


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: str
    subkind: str | None
    reasons: tuple[str, ...]
    confidence: float


def _dsn_text(mail: ParsedMail) -> str:
    parts = []
    for part in mail.message.walk():
        if part.get_content_type() in ("message/delivery-status", "text/plain"):
            payload = part.get_payload(decode=False)
            if isinstance(payload, str):
                parts.append(payload)
            elif isinstance(payload, list):  # message/delivery-status parses into header blocks
                parts.extend(str(p) for p in payload)
    return "\n".join(parts)


def _bounce(mail: ParsedMail) -> Verdict | None:
    reasons = []
    ctype = mail.message.get_content_type()
    report_type = str(mail.message.get_param("report-type", "") or "").lower()
    if ctype == "multipart/report" and report_type == "delivery-status":
        reasons.append("Content-Type: multipart/report; report-type=delivery-status")
    if mail.header("x-failed-recipients"):
        reasons.append(f"X-Failed-Recipients: {mail.header('x-failed-recipients')}")
    if _BOUNCE_SENDER.match(mail.from_address):
        reasons.append(f"sender {mail.from_address} is a mail system")
        if _BOUNCE_SUBJECT.search(mail.subject):
            reasons.append(f"subject {mail.subject!r} reports a delivery failure")
    if not reasons:
        return None
    text = _dsn_text(mail)
    action = _ACTION.search(text)
    status = _STATUS.search(text)
    soft = bool(action and action.group(1).lower() == "delayed") or bool(
        status and status.group(1) == "4"
    )
    if action:
        reasons.append(f"Action: {action.group(1)}")
    if status:
        reasons.append(f"Status: {status.group(0).split(':', 1)[1].strip()}")
    return Verdict("bounce", "soft" if soft else "hard", tuple(reasons), 0.99)


def _auto_headers(mail: ParsedMail) -> list[str]:
    reasons = []
    auto_submitted = mail.header("auto-submitted").strip().lower()
    if auto_submitted and auto_submitted != "no":
        reasons.append(f"Auto-Submitted: {auto_submitted}")
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder"):
        if mail.header(name):
            reasons.append(f"{name.title()}: {mail.header(name)}")
    precedence = mail.header("precedence").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        reasons.append(f"Precedence: {precedence}")
    return reasons


def classify(mail: ParsedMail) -> Verdict:
    """Classify one parsed message as personal, auto or bounce, with the evidence."""
    bounce = _bounce(mail)
    if bounce:
        return bounce
    reasons = _auto_headers(mail)
    ooo = _OOO_SUBJECT.search(mail.subject)
    if ooo:
        reasons.append(f"subject says {ooo.group(0)!r}")
    if reasons:
        if ooo and _OOO_WORDS.search(mail.subject):
            subkind = "out_of_office"
        elif mail.header("precedence").lower() in ("bulk", "list"):
            subkind = "notification"
        else:
            subkind = "autoresponder"
        return Verdict("auto", subkind, tuple(reasons), 0.95 if len(reasons) > 1 else 0.9)
    return Verdict("personal", None, ("no automatic or bounce signal",), 0.6)
