"""Delivery failures (RFC 3464 and the looser notices many servers still send).

A message is a bounce when it is a ``multipart/report; report-type=delivery-status``, carries
``X-Failed-Recipients``, writes RFC 3464 recipient and action fields into its text, or pairs a
failure subject or body with a second sign of a mail system: a mail-system sender (address or
display name), the null Return-Path bounces are sent from or a mail-system one, a no-reply
sender, or an SMTP reply code in the text. A mail system (by sender or null Return-Path) that
sends back a copy of the message (a ``message/rfc822`` or ``text/rfc822-headers`` part) is a
bounce whatever its wording. A bare ``message/delivery-status`` document is a
bounce too, and so is a status part saying ``failed`` or ``delayed`` in another wrapper (a
gateway's ``multipart/mixed``). The null sender counts whether it is in Return-Path or written
into From (``From: <>``). Text a person quoted (lines starting with ``>``) does not count:
forwarding a bounce is not bouncing.
A Sieve ``reject`` (RFC 5429: a disposition notification saying the message was deleted
because it was rejected) is a bounce too. A delivery report whose every recipient line says the
message arrived (``Action: delivered``, ``relayed``, ``expanded``; Postfix's ``deliverable``
for an address check) is not: nothing failed, so it is an automatic notification (see the
``delivery_report`` rule). Nor is a mail system's plain-text report that the message was
relayed or delivered ("successfully relayed to the following recipients") with no failure
wording beside it.
It is ``soft`` when the notice says delivery is only delayed (``Action: delayed``, a 4.x.x
status, or "will retry" wording), otherwise ``hard``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from ..parsing import ParsedMail, message_parts
from .patterns import (
    ADDRESS,
    BOUNCE_BODY,
    BOUNCE_SENDER,
    BOUNCE_SENDER_NAME,
    BOUNCE_SUBJECT,
    DELAY_WORDS,
    DSN_FIELDS,
    NOREPLY_SENDER,
    PEC_FAILURES,
    SUCCESS_BODY,
)

__all__ = ("BounceInfo", "detect_bounce", "pec_receipt", "success_report", "success_text")

# RFC 3464 actions that report a delivery, not a failure; "deliverable" is Postfix's answer to
# an address check (sendmail -bv), which is a report that was asked for, not a bounce.
_SUCCESS_ACTIONS = frozenset({"delivered", "relayed", "expanded", "deliverable", "expandable"})
_STATUS = re.compile(r"^Status:\s*([245])\.(\d{1,3})\.(\d{1,3})", re.I | re.M)
_ACTION = re.compile(r"^Action:\s*([\w-]+)", re.I | re.M)
_RECIPIENT = re.compile(
    r"^(?:Final|Original)-Recipient:\s*(?:rfc822;)?\s*<?([^\s<>;]+@[^\s<>;]+)>?", re.I | re.M
)
_SMTP_CODE = re.compile(r"\b([45])\d\d[ -]([45])\.\d{1,3}\.\d{1,3}\b")
# An SMTP reply as servers quote it: "550 5.1.1 ...", "550-...", "550 - Requested action ...".
_SMTP_REPLY = re.compile(r"(?<![\d.])[45][05]\d(?:[ -]+[45]\.\d{1,3}\.\d{1,3}|\s*-\s+\w| \w)")
_DELETED = re.compile(r"^Disposition:[^;\n]*;\s*deleted\b", re.I | re.M)
# A line a person quoted ("> ..."); ">>>" opens an SMTP transcript line, which mail systems write.
_QUOTED_LINE = re.compile(r"^[ \t]*>(?!>>[^>]).*$\n?", re.M)


@dataclass(frozen=True, slots=True)
class BounceInfo:
    soft: bool
    failed_recipient: str | None
    reasons: tuple[str, ...]


def _dsn_text(
    msg: Message,
    limit: int = 50_000,
    kind: str = "message/delivery-status",
    *,
    attached: bool = True,
) -> str:
    """The machine-readable status parts, whatever their parsed shape; with
    ``attached=False``, not those of a message attached to this one (a forwarded bounce)."""
    parts: list[str] = []
    for part in message_parts(msg, attached=attached):
        if part.get_content_type() != kind:
            continue
        payload = part.get_payload(decode=False)
        if isinstance(payload, str):
            parts.append(payload)
        elif isinstance(payload, list):  # parsed into header blocks
            parts.extend(str(p) for p in payload)
    return "\n".join(parts)[:limit]


def _recipient(mail: ParsedMail, dsn: str, text: str, own: str) -> str | None:
    failed = mail.header("x-failed-recipients").split(",")[0].strip()
    if failed:
        return failed.lower()
    found = _RECIPIENT.search(dsn)
    if found:
        return found.group(1).lower().rstrip(".")
    # Plain-text notices put the address near the top: take the first one that is not ours.
    # The notice is addressed to the sender of the lost message, so its To is ours too (this
    # matters when our own address is not known, as for `classify FILE`).
    ours = {own} | {a.lower() for a in ADDRESS.findall(mail.header("to"))}
    for m in ADDRESS.finditer(text[:4000]):
        addr = m.group(1).lower().rstrip(".")
        if addr not in ours and not BOUNCE_SENDER.match(addr):
            return addr
    return None


def _report_type(mail: ParsedMail) -> str:
    return str(mail.message.get_param("report-type", "") or "").lower()


def _failed_block(dsn: str) -> str:
    """The per-recipient block of a report that failed (else was delayed): a report can list
    recipients it delivered to before the one it could not."""
    blocks = re.split(r"\n[ \t]*\n", dsn.replace("\r\n", "\n"))
    for wanted in ("failed", "delayed"):
        for block in blocks:
            action = _ACTION.search(block)
            if action and action.group(1).lower() == wanted:
                return block
    return dsn


def _is_delivery_report(mail: ParsedMail) -> bool:
    ctype = mail.message.get_content_type()
    if ctype == "multipart/report":
        return _report_type(mail) == "delivery-status"
    return ctype == "message/delivery-status"


def _all_arrived(dsn: str) -> str | None:
    """The actions of a report's status text when every one of them is a success, else None."""
    actions = [a.lower() for a in _ACTION.findall(dsn)]
    if actions and all(a in _SUCCESS_ACTIONS for a in actions):
        return ", ".join(dict.fromkeys(actions))
    return None


def _failed_actions(dsn: str) -> bool:
    """The status text has a recipient the message failed, or is delayed, for."""
    return any(a.lower() in ("failed", "delayed") for a in _ACTION.findall(dsn))


def success_report(mail: ParsedMail) -> str | None:
    """The actions of a delivery report in which every recipient got the message, else None."""
    return _all_arrived(_dsn_text(mail.message)) if _is_delivery_report(mail) else None


def _null_sender(mail: ParsedMail) -> bool:
    """Sent from the null sender reports use: in the envelope, or written into From."""
    envelope = mail.header("return-path").strip()
    return ("return-path" in mail.headers and envelope in ("<>", "")) or (
        mail.header("from").strip() == "<>"
    )


def _system_sender(mail: ParsedMail) -> bool:
    """The sender is a mail system by address (MAILER-DAEMON@, postmaster@) or by name."""
    return bool(BOUNCE_SENDER.match(mail.from_address) or BOUNCE_SENDER_NAME.search(mail.from_name))


def success_text(mail: ParsedMail, text: str) -> str:
    """A mail system's plain-text report that the message arrived or was relayed ("Your
    message has been successfully relayed to the following recipients"), with no failure
    wording: the words that say so, else ''. Some servers, and corpora that flatten reports,
    give only this text, under a subject ("Delivery Status Notification") a failure has too."""
    if not (_system_sender(mail) or _null_sender(mail)):
        return ""
    head = _QUOTED_LINE.sub("", text[:8000])
    found = SUCCESS_BODY.search(head)
    if found is None or BOUNCE_BODY.search(head) or _failed_actions(_dsn_text(mail.message)):
        return ""
    return found.group(0)


def _sieve_reject(mail: ParsedMail) -> bool:
    """RFC 5429: Sieve's ``reject`` answers with an MDN whose disposition is ``deleted``."""
    if _report_type(mail) != "disposition-notification":
        return False
    mdn = _dsn_text(mail.message, kind="message/disposition-notification")
    if not _DELETED.search(mdn):
        return False
    said = " ".join((mail.header("auto-submitted"), mail.subject)).lower()
    return "rejected" in said or "reject" in mdn.lower()


def pec_receipt(mail: ParsedMail) -> str:
    """The kind of Italian certified-mail (PEC) receipt this is (X-Ricevuta), or ''."""
    return mail.header("x-ricevuta").strip().lower()


def _returns_a_copy(mail: ParsedMail) -> bool:
    """The message carries a returned message (or its headers) as a part of its own."""
    return any(
        part.get_content_type() in ("message/rfc822", "text/rfc822-headers")
        for part in mail.message.walk()
    )


def _signals(mail: ParsedMail, text: str) -> list[str]:
    reasons = []
    # Failure wording only in quoted lines is a person forwarding or answering a bounce.
    head = _QUOTED_LINE.sub("", text[:8000])
    ctype = mail.message.get_content_type()
    # Parameters are parsed anew on every get_param(): read report-type only on a report.
    if ctype == "multipart/report" and _report_type(mail) == "delivery-status":
        reasons.append("Content-Type: multipart/report; report-type=delivery-status (RFC 3464)")
    elif ctype == "multipart/report" and _sieve_reject(mail):
        reasons.append(
            "a Sieve reject (RFC 5429): a receipt saying the message was deleted as rejected"
        )
    elif ctype == "message/delivery-status":
        # The machine-readable report on its own, without its multipart/report wrapper.
        reasons.append("Content-Type: message/delivery-status (an RFC 3464 report on its own)")
    elif _failed_actions(_dsn_text(mail.message, attached=False)):
        # Some gateways send the report as one part of a multipart/mixed message.
        reasons.append(
            "a message/delivery-status part (RFC 3464) says Action: failed or delayed, "
            "outside a multipart/report"
        )
    pec = pec_receipt(mail)
    if pec in PEC_FAILURES:
        reasons.append(f"X-Ricevuta: {pec} (an Italian certified-mail failure notice)")
    if mail.header("x-failed-recipients"):
        reasons.append(f"X-Failed-Recipients: {mail.header('x-failed-recipients')[:200]}")
    fields = head if ctype != "message/delivery-status" else (_dsn_text(mail.message))
    if all(field.search(fields) for field in DSN_FIELDS):
        reasons.append("text carries RFC 3464 Final-Recipient and Action: failed/delayed fields")
    envelope = mail.header("return-path").strip()
    # Reports come from the null sender: in the envelope, or written into From ("From: <>").
    null_sender = _null_sender(mail)
    # The envelope sender of a report is <> or the mail system itself (MAILER-DAEMON@host).
    system_envelope = bool(envelope) and bool(BOUNCE_SENDER.match(envelope.strip("<> ")))
    system_sender = _system_sender(mail)
    # Carriers often send their failure notices from a no-reply address.
    noreply = bool(NOREPLY_SENDER.search(mail.from_address))
    subject = BOUNCE_SUBJECT.search(mail.subject)
    body = BOUNCE_BODY.search(head)
    smtp = _SMTP_REPLY.search(head) if body else None
    if system_sender and (subject or body):
        reasons.append(f"sender {mail.from_address or mail.from_name!r} is a mail system")
    elif (system_sender or null_sender or system_envelope) and _returns_a_copy(mail):
        # Whatever words a mail system uses, sending the message back is what bouncing is.
        who = mail.from_address or mail.from_name or envelope or "<>"
        reasons.append(f"mail system {who!r} sends back a copy of the message")
    elif null_sender and (subject or body):
        reasons.append("sent from the null Return-Path <> that delivery reports use")
    elif system_envelope and (subject or body):
        reasons.append(f"envelope sender {envelope!r} is a mail system")
    elif noreply and body:
        reasons.append(f"no-reply sender {mail.from_address!r} reports a failed delivery")
    elif smtp and (subject or body):
        reasons.append(f"quotes an SMTP reply {smtp.group(0)!r}")
    if (reasons or body) and subject:
        reasons.append(f"subject says {subject.group(0)!r}")
    elif reasons and body:
        reasons.append(f"body says {body.group(0)!r}")
    return reasons


def detect_bounce(mail: ParsedMail, text: str, own_address: str = "") -> BounceInfo | None:
    """A :class:`BounceInfo` when ``mail`` reports a delivery failure, else None."""
    reasons = _signals(mail, text)
    if not reasons:
        return None
    report = _dsn_text(mail.message)
    if _is_delivery_report(mail) and _all_arrived(report):
        return None
    if not _is_delivery_report(mail) and success_text(mail, text):
        return None
    dsn = _failed_block(report)
    if not dsn and mail.message.get_content_type() == "multipart/report":
        dsn = _dsn_text(mail.message, kind="message/disposition-notification")
    action = _ACTION.search(dsn)
    status = _STATUS.search(dsn) or _SMTP_CODE.search(text[:8000])
    if action:
        reasons.append(f"Action: {action.group(1)}")
    if status:
        reasons.append(f"status {status.group(0).split(':', 1)[-1].strip()}")
    if action:
        soft = action.group(1).lower() == "delayed"
    elif status:
        soft = status.group(1) == "4"
    elif pec_receipt(mail).startswith("preavviso"):
        soft = True  # a PEC warning that delivery has not happened yet
    else:
        soft = bool(DELAY_WORDS.search(mail.subject) or DELAY_WORDS.search(text[:3000]))
    if soft:
        reasons.append("delivery only delayed: soft")
    recipient = _recipient(mail, dsn, text, own_address.lower())
    if recipient:
        reasons.append(f"failed recipient: {recipient}")
    return BounceInfo(soft=soft, failed_recipient=recipient, reasons=tuple(reasons))
