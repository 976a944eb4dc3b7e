"""The ordered rules. Each looks at one signal and returns a :class:`Finding` or None.

Order (first *decisive* finding sets the kind; every finding is kept as evidence):

1.  ``bounce``             RFC 3464 report, X-Failed-Recipients, mail-system sender + failure text
                           (or an Italian certified-mail failure, X-Ricevuta: errore-consegna)
2.  ``auto_submitted``     Auto-Submitted other than ``no`` (RFC 3834)
3.  ``x_autoreply``        X-Autoreply / X-Autorespond / X-Autoresponder
4.  ``precedence``         Precedence bulk, junk, list or auto_reply
5.  ``suppress``           X-Auto-Response-Suppress (set by Exchange on its own automatic mail)
6.  ``null_return_path``   Return-Path ``<>`` on a message that is not a bounce (RFC 3834 s.3.3)
7.  ``read_receipt``       a disposition notification (RFC 8098 read receipt), not an answer;
                           or a plain-text receipt ("Read: ...", "Return Receipt") whose text
                           opens with the message it is about and when it was read or received
8.  ``delivery_report``    a delivery report (RFC 3464) saying every recipient got the message
                           (or an Italian certified-mail receipt, X-Ricevuta), or a mail
                           system's plain-text report that it was relayed or delivered
9.  ``ooo_subject``        out-of-office wording in the subject, several languages; a holiday
                           word alone ("Vacation plans") is weak evidence only
10. ``auto_subject``       automatic-reply or acknowledgement wording in the subject
11. ``notification_subject`` a lead / inquiry notification subject ("has a lead for you",
                           "New inquiry from ..."), a DMARC or TLS report; a calendar's
                           answer to a meeting request ("Accepted: ...") with nothing typed
                           into it (with a note, evidence only); a system's "... Notification"
                           or a transaction's own title ("Dell Order Confirmation", "Your
                           acme.com Order (Order# 12)"), whose sums are then the order's data
                           and no answer (weak: decides only when nobody speaks, as rule 20
                           does)
12. ``noreply_sender``     a no-reply / notification sender address (also transactions@,
                           shipment-tracking@, statements@ ...), a Unix/service account, a
                           header only a program writes (X-Cron-Env, a git hook's
                           X-Git-Newrev), or a no-reply envelope sender (Return-Path) or
                           Reply-To address
13. ``ooo_body``           out-of-office wording in the fresh text (I am away, with a date or
                           other words between; I am back on ...; the mail is not read or
                           forwarded), unless the reply names both the buyer and the car (no
                           out-of-office rule can), the absence comes only after
                           OOO_LEAD_WORDS words about something else (a person mentioning it),
                           the message is addressed to several people (To and Cc), or the
                           writer asks the reader something before saying they are away
14. ``auto_body``          "automated message", "do not reply" ... in the fresh text
15. ``fast_reply``         received within FAST_REPLY_S of the inquiry: nobody read it
16. ``repetition``         the same normalised body answered another inquiry of this dealership,
                           or came from another dealership: a template
17. ``merge_fields``       a mail-merge field left unfilled ("{{first_name}}", "Dear ,")
18. ``ack_body``           "we have received your inquiry", "a representative will contact you",
                           "we have opened a ticket", "forwarded to the appropriate department",
                           "thank you for your order", "please confirm your e-mail address",
                           "your package has been delivered",
                           unless the writer speaks as "I" and asks the buyer a question
19. ``thanks_opener``      "thank you for your interest / inquiry / reaching out", unless the
                           writer speaks as "I" and asks the buyer a question
20. ``notification_body``  notification wording: "you are receiving this email because",
                           "view it in your browser", ticket numbers, "click here to",
                           "all rights reserved", "is awaiting your approval", "your
                           password will expire", in several languages; an HTML page laid
                           out with tables or headings and no plain-text version; or a data
                           report (lines of "KEY = value", time stamps or figures, hardly a
                           sentence)
21. ``team_signoff``       the closing is signed by a team, not a person ("Your Acme Team")
22. ``generic_greeting``   the salutation names nobody ("Dear customer", "Sehr geehrter Kunde")
23. ``crm_mailer``         a dealer-CRM / bulk-mail fingerprint (X-Mailer, vendor headers such as
                           Amazon SES, SendGrid, Mailchimp, Feedback-ID, a bulk sender's or
                           hosted help desk's Message-ID domain, a web server's envelope sender,
                           a web site's own From address, no sender address at all (From
                           empty or <>), an address with no public domain
                           such as root@localhost, a bulk sender's bounce address, a help
                           desk's "reply above this line")
24. ``list_headers``       List-Id / List-Unsubscribe
25. ``form_fields``        the body is a filled-in form ("Name: …", "Message: …"), or carries a
                           form mailer's server variables (REMOTE_ADDR, HTTP_USER_AGENT): a
                           web-form relay
26. personalisation        persona's name, vehicle, a concrete answer, quoting the inquiry

Rules 10, 11, 13 and 15-25 yield to a concrete answer (a price, "it's available", a time
agreed for the test drive): a person can reply fast, through a CRM, or open with a thank-you
line, and still answer the question; then they are kept as evidence only. Rules 18 and 19 also
yield to a writer who asks the buyer something in the first person ("I'd need the VIN - can
you send it?"): that is how salespeople's first replies begin. A canned reply written as "I"
with a question in it passes here, and is left to timing and repetition (rules 15 and 16).
Rules 20-24 never decide alone: a person's reply sent through a help desk or CRM carries the
same footer and headers, a salesperson may sign for the team, and a help-desk agent may open
with "Dear customer". Nor does a bare holiday subject: people write "Vacation plans" too. When
nothing in the reply is personal, two of them together decide (a transactional notification: a
bulk sender's header plus notification wording, or notification wording signed by a team),
rules 24 and 25 decide alone (a list message; a form's fields relayed by a web site, unless a
person signs under them: meeting details pasted into a note), and rules 20, 22 (a greeting to
"Dear customer" or "Dear Sir/Madam", not a merged name) and 23 decide alone
when nobody speaks in the text: no "I" in any of our languages, no name signed under a
closing, and not the sender's own name in the signature block (a business's name on its
copyright line is not a signature): a password reset sent by PHPMailer, a monitoring alert,
an invoice reminder. Such a verdict also carries a ``nobody_speaks`` finding that says so;
when someone does speak, the personal verdict carries a ``someone_speaks`` finding that names
the voice (the "I", the signed name) for which the mark did not decide.
When nobody speaks, a sum of money is not counted as personal either (an order confirmation's
total, an expense report's amount): only the persona's name, the vehicle, a time agreed or
"it's available" still are. A name under a closing is the business's, not a person's, when it
names the sender's domain ("Sincerely,\nDell ..." from dell.com) or is a company's or team's
name with no title beside it; and "is available" is no answer when it is said of a document, a
download or a room, or of something still to come ("until your room is available").
Headers are trusted over content because a person's mail client does not add them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message

from ..parsing import ParsedMail, message_parts
from . import patterns as p
from .bounce import pec_receipt, success_report, success_text
from .context import ReplyContext

__all__ = (
    "FAST_REPLY_S",
    "RULES",
    "WEAK_RULES",
    "Finding",
    "Inputs",
    "concrete_answer",
    "is_amount",
    "mentioned",
    "voice",
)

FAST_REPLY_S = 60.0
# An out-of-office notice says so at the start: after a greeting and a thank-you line at most.
OOO_LEAD_WORDS = 50
# Evidence that is not decisive: when nothing is personal, two of these together decide, and a
# finding marked ``alone`` (a list header, a form nobody signs) decides by itself.
WEAK_RULES = (
    "ooo_subject",
    "notification_subject",
    "notification_body",
    "team_signoff",
    "generic_greeting",
    "crm_mailer",
    "list_headers",
    "form_fields",
)
# A filled-in form: this many labelled fields that are not contact details, and field lines
# making up this share of the first lines of the text.
FORM_MIN_FIELDS = 4
FORM_MIN_SHARE = 0.4
# A machine's reply can look a little older than the inquiry: two clocks, 1-second INTERNALDATE.
CLOCK_SLACK_S = 120.0

# A concrete answer: an amount of money, the car's availability, or a time agreed for a visit
# or test drive, in any of our languages.
_NUM = r"\d[\d,.'\u00a0\u202f ]*\d"
# "at 10", "10:30", "3 pm", "um 10 Uhr", "à 10h", "a las 10".
_TIME = (
    r"(at \d{1,2}([:.]\d\d)?\s?(am|pm)?|\d{1,2}[:.]\d\d\s?(am|pm)?|\d{1,2}\s?(am|pm)|"
    r"um \d{1,2}([:.]\d\d)?\s?uhr|à \d{1,2}\s?h(\d\d)?|a las \d{1,2}([:.]\d\d)?)\b"
)
# A time with a word that agrees to it ("Saturday at 10 works", "is booked for 3 pm"); the
# opening hours an autoresponder lists have no such word.
_AGREED_TIME = (
    r"\b(works|suits|is (booked|confirmed|set|scheduled|reserved)|booked (you )?in|see you|"
    r"passt|geht|ist (gebucht|bestätigt|reserviert)|c'est not[ée]|est confirm[ée]|"
    r"te esperamos|le esperamos|queda confirmad[oa])\b[^.\n]{0,30}?"
    + _TIME
    + "|"
    + _TIME
    + r"\s(on \w+ )?(works|suits|is (fine|free|open|booked|confirmed)|passt|geht)\b"
)
_AMOUNT = rf"[$€£]\s?{_NUM}|{_NUM}\s?(€|\b(eur|euros?|usd|dollars?)\b)"
_AMOUNT_RE = re.compile(_AMOUNT, re.I)
_CONCRETE = p.Phrases(
    rf"{_AMOUNT}|{_AGREED_TIME}|"
    r"\b(is|it's|still|yes,? it's) (available|in stock|on (our|the) lot)\b|"
    r"\b(has been|was|is) sold\b|\d+(\.\d+)?\s?% (apr|interest)|"
    r"\b(ist|sind) (noch )?(verfügbar|vorrätig|da)\b|\b(est|sont) (encore )?disponibles?\b|"
    r"\b(está|están) (todavía )?disponibles?\b"
)


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    kind: str  # bounce | auto | personal
    subkind: str | None
    reason: str
    decisive: bool
    confidence: float
    # Weak evidence that decides alone when nothing in the reply is personal (a list message,
    # a form's fields relayed by a web site).
    alone: bool = False
    # Weak evidence that decides alone when, besides, nobody speaks in the text (notification
    # wording; a web application's sending library or address).
    lone: bool = False


@dataclass(frozen=True, slots=True)
class Inputs:
    """What every rule may read, computed once per message."""

    mail: ParsedMail
    text: str  # the whole readable body
    fresh: str  # without quoted history
    ctx: ReplyContext
    fingerprint: str | None
    answered: str  # the concrete answer found, '' when none
    buyer_named: str  # the buyer's name as the reply uses it, '' when it does not
    vehicle_named: str  # the words naming the inquiry's vehicle, '' when absent
    priced: str = ""  # a sum left out of ``answered`` because the subject is an order's title


def concrete_answer(text: str) -> str:
    # The answer is near the top of a reply, as every content rule assumes ([:6000]).
    head = text[:6000]
    hits = (m for m in _CONCRETE.finditer(head) if not _notice_availability(head, m))
    m = next(hits, None)
    if m is None or not _RECEIPT_WORDS.search(head):
        return m.group(0) if m else ""
    # Sums on a receipt's lines ("Subtotal: $42.98", "Shipping: $1.99", "1 @ $12.99") are an
    # order's data, not an answer; one "Total:" line may close a salesperson's quote, so it
    # takes two such lines to make a receipt.
    found: list[tuple[str, bool]] = []
    while m is not None and len(found) < _RECEIPT_SCAN:
        start = m.start()
        end = head.find("\n", start)
        line = head[head.rfind("\n", 0, start) + 1 : end if end >= 0 else len(head)]
        on_receipt = bool(_AMOUNT_RE.fullmatch(m.group(0)) and _RECEIPT_LINE.search(line))
        found.append((m.group(0), on_receipt))
        m = next(hits, None)
    if sum(on for _, on in found) < 2:
        return found[0][0]
    return next((answer for answer, on in found if not on), "")


def _notice_availability(head: str, m: p.Hit) -> bool:
    """An "is available" that answers nothing: a service's ("a new document is available",
    "your statement is available online", "is available for 90 days") or one still to come
    ("until your room is available", "I'll call you when it is available")."""
    if "availab" not in m.group(0).lower():
        return False
    return bool(
        _NOT_YET_OR_NOT_A_CAR.search(head, max(0, m.start() - 60), m.start())
        or _NOTICE_WHERE.match(head, m.end())
    )


# What a notice says is available (a document, a card, help or a download), or a condition
# the availability waits on, in the same sentence.
_NOT_YET_OR_NOT_A_CAR = re.compile(
    r"(\b(statements?|documents?|bills?|invoices?|reports?|e-?cards?|cards?|information|info|"
    r"versions?|updates?|upgrades?|files?|downloads?|newsletters?|editions?|balances?|"
    r"help|support|assistance|access|features?|copy|copies|recordings?|transcripts?|receipts?|"
    r"photos?|pictures?|results?|tickets?|messages?|rooms?|seats?|space)\b[^.,;:!?]{0,25}|"
    r"\b(until|till|when|whenever|once|if|as soon as|whether)\b[^.,;:!?]{0,50})$",
    re.I,
)
_NOTICE_WHERE = re.compile(
    r"[ \t]*(online|for (download|viewing|\d+ (days|hours|weeks))|to (view|download|print)\b|"
    r"(at|on) (https?:|www\.)|in your account|on (our|the) (web ?site|site|portal))",
    re.I,
)


# How many concrete answers are read to tell a receipt from a reply.
_RECEIPT_SCAN = 12
# A quick look for any receipt's word before the answers are read one by one.
_RECEIPT_WORDS = re.compile(
    r"total|tax|shipping|s ?& ?h\b|postage|discount|coupon|qty|quantity|\d\s*[@x]\s*[$€£]", re.I
)
# A receipt's line: a total, tax or shipping label at its start, a quantity times a price, or
# an item line that states its quantity.
_RECEIPT_LINE = re.compile(
    r"^\s*[-*(]?\s*(sub-?\s?total|(order|item|grand|shipment \d+) total|total|(sales )?tax|"
    r"shipping( (&|and) handling)?|s ?& ?h|postage|discount|coupon)\b[^\n]{0,60}$|"
    r"\d+\s*(@|x)\s*[$€£]|\b(qty|quantity)\b",
    re.I,
)


def is_amount(answer: str) -> bool:
    """The concrete answer is a sum of money: a notice's total states one as readily."""
    return _AMOUNT_RE.fullmatch(answer) is not None


def voice(fresh: str, sender: str = "", address: str = "") -> str:
    """How the fresh text speaks in a person's voice, or '' when it speaks as nobody: "I" in
    one of our languages, a name signed under a closing ("Thanks,\nSam"), a last line that is
    only a name ("Sam Lee"), or the sender's own name in the signature block ("Sales Manager
    Sam Lee"). A notice speaks as nobody, or as "we"; the name at its foot is the business's,
    as its copyright line or the domain of the sender's ``address`` says."""
    if hit := p.FIRST_PERSON.search(_voiced(fresh[:3000])):
        return f"the writer says {hit.text!r} (first person)"
    owners = " ".join(m.group(0) for m in p.COPYRIGHT_LINE.finditer(fresh[:6000]))
    if signed := _person_signoff(fresh, address, sender, owners):
        return f"a person signs: {signed!r}"
    lines = [line.strip() for line in fresh[:6000].splitlines() if line.strip()]
    for line in lines[-4:]:
        name = line.strip(" \t-–—~.!")
        if (
            p.SIGNED_NAME.fullmatch(line)
            and not p.NOT_A_NAME.search(line)
            and not _names(owners, name)
            and not _domain_name(name, address, sender)
        ):
            return f"a line near the end is a name: {name!r}"
    if _a_persons_name(sender) and not _names(owners, sender):
        if any(_signs(sender, line) for line in lines[-_SIGNATURE_LINES:]):
            return f"the sender's own name signs the text: {sender!r}"
    return ""


def _person_signoff(
    fresh: str, address: str = "", sender: str = "", owners: str | None = None
) -> str:
    """The closing and name of the first sign-off a person wrote ("Thanks,\nSam"), or ''.

    A business signs its notices under a closing too: "Sincerely,\nDell Premier Pages
    Service" from dell.com, "Regards,\nCustomer Care". The signed line is the business's when
    it names the sender's domain (its first word, or all its words run together, is a label of
    it) and is not the sender's own display name, when it is on the copyright line, or when it
    is a name with a company's or team's word in it and nothing else (no title after a comma
    or a dash, as "Sam Lee, Service Manager" has)."""
    head = fresh[:6000]
    if owners is None:
        owners = " ".join(m.group(0) for m in p.COPYRIGHT_LINE.finditer(head))
    for signed in p.PERSON_SIGNOFF.finditer(head):
        end = head.find("\n", signed.end())
        line = head[head.rfind("\n", 0, signed.end()) + 1 : end if end >= 0 else len(head)]
        first = signed.group(0).split()[-1]
        if (
            _domain_name(line, address, sender)
            or _names(owners, first)
            or (p.NOT_A_NAME.search(line) and not _TITLED.search(line))
        ):
            continue
        return " ".join(signed.group(0).split())
    return ""


def _domain_name(line: str, address: str, sender: str = "") -> bool:
    """The line names the sender's domain ("Dell ..." from dell.com, "Red Carnation Hotels"
    from redcarnationhotels.com): the business signs, not a person. Not when the line is the
    sender's own name, as a person with a domain of their name signs ("Jordan Vale" from
    jordanvale.com); a business's display name ("Northwind") does not count as that."""
    if _a_persons_name(sender) and sender.strip().lower() in line.lower():
        return False
    domain = address.rpartition("@")[2].lower()
    labels = {label for label in domain.split(".")[:-1] if len(label) > 2}
    words = line.lower().split()
    return bool(words) and (words[0] in labels or "".join(words) in labels)


# A signature line that names a person and then their title: "Sam Lee, Service Manager".
_TITLED = re.compile(r"^[ \t]*[A-ZÀ-Ý][a-zà-ÿ'-]+( [A-ZÀ-Ý][a-zà-ÿ'.-]*){0,2}[ \t]*[,|/–—-]")


# Text in which an "I" is nobody's voice: a link ("ofoto.com/I.jsp"), a FAQ's question line
# ("Q. If I am already a customer ...") and a short label in quotation marks.
_UNVOICED = re.compile(
    r"(https?://|www\.)\S+|^[ \t]*Q[.:)][ \t][^\n]*|"
    # A label in quotation marks: a page's own words ("My Account"), not the writer's.
    r"\"[^\"\n]{1,30}\"|\u201c[^\u201d\n]{1,30}\u201d",
    re.I | re.M,
)


# A Roman numeral one after a capitalised word ("Derivatives I - Applied", "Part I:", "Phase I
# and II"): a title's, not the writer's "I". Case matters, so a plain pattern.
_NUMERAL_I = re.compile(r"\b[A-Z][a-z]+ (I)(?=[ \t]*(?:[-–:,)/]|$|(?:and|&|or) II?\b))", re.M)


def _voiced(text: str) -> str:
    """The text with links, FAQ questions, quoted labels and a title's numeral I blanked (same
    length, so offsets still hold)."""
    text = _UNVOICED.sub(lambda m: " " * len(m.group(0)), text)
    if " I" not in text:
        return text
    return _NUMERAL_I.sub(lambda m: m.group(0)[:-1] + " ", text)


# A signature block: the name, then title, phone, address and mail lines.
_SIGNATURE_LINES = 8
# What may stand beside the name on its signature line: a title ("Referentin", "Sales
# Manager", "조사역") and separators, not a sentence ("Invitation from Google Calendar").
_TITLE = re.compile(r"[|,/–—-]*([A-ZÀ-Ý][\w.&'-]*|[\uac00-\ud7af\u4e00-\u9fff]{1,8})?[|,/–—-]*")
_TITLE_WORDS = 4


def _names(text: str, name: str) -> re.Match[str] | None:
    """Where the text has the name as whole words ("Sam" is not in "© Samsung")."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)


def _signs(name: str, line: str) -> bool:
    """The line is the name, alone or with a short title beside it."""
    where = _names(line, name)
    if where is None:
        return False
    rest = (line[: where.start()] + " " + line[where.end() :]).split()
    return len(rest) <= _TITLE_WORDS and all(_TITLE.fullmatch(word) for word in rest)


def _a_persons_name(name: str) -> bool:
    """The display name reads as a person's (a given and a family name, or a CJK name): a
    company or a team would sign for a notice too."""
    if p.CJK_NAME.fullmatch(name):
        return True
    return (
        " " in name.strip()
        and p.SIGNED_NAME.fullmatch(name) is not None
        and not p.NOT_A_NAME.search(name)
    )


def _auto(
    rule: str,
    sub: str | None,
    reason: str,
    conf: float,
    decisive: bool = True,
    *,
    alone: bool = False,
    lone: bool = False,
) -> Finding:
    return Finding(rule, "auto", sub, reason, decisive, conf, alone, lone)


def auto_submitted(i: Inputs) -> Finding | None:
    value = i.mail.header("auto-submitted").strip().lower()
    if not value or value.startswith("no"):
        return None
    sub = "autoresponder" if "replied" in value else None
    return _auto("auto_submitted", sub, f"Auto-Submitted: {value[:60]}", 0.97)


def x_autoreply(i: Inputs) -> Finding | None:
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder", "x-autogenerated"):
        value = i.mail.header(name).strip()
        if value and value.lower() not in ("no", "false", "0"):
            return _auto("x_autoreply", "autoresponder", f"{name.title()}: {value[:60]}", 0.97)
    return None


def precedence(i: Inputs) -> Finding | None:
    value = i.mail.header("precedence").strip().lower()
    if value not in ("bulk", "junk", "list", "auto_reply"):
        return None
    sub = "notification" if value in ("bulk", "list") else "autoresponder"
    return _auto("precedence", sub, f"Precedence: {value}", 0.95)


def suppress(i: Inputs) -> Finding | None:
    value = i.mail.header("x-auto-response-suppress").strip()
    if not value:
        return None
    return _auto("suppress", None, f"X-Auto-Response-Suppress: {value[:60]}", 0.85)


def null_return_path(i: Inputs) -> Finding | None:
    if "return-path" in i.mail.headers and i.mail.header("return-path").strip() in ("<>", ""):
        return _auto("null_return_path", None, "Return-Path: <> (null sender)", 0.9)
    return None


def read_receipt(i: Inputs) -> Finding | None:
    msg = i.mail.message
    if msg.get_content_type() == "multipart/report":
        if str(msg.get_param("report-type", "") or "").lower() == "disposition-notification":
            reason = "Content-Type: multipart/report; report-type=disposition-notification"
            return _auto("read_receipt", "notification", reason, 0.95)
        return None
    # The plain-text receipts of Outlook and Lotus Notes: the subject names the receipt and the
    # text opens with the message it is about and when it was read or received.
    if p.RECEIPT_SUBJECT.search(i.mail.subject) and (m := p.RECEIPT_BODY.search(i.fresh[:1500])):
        said = " ".join(m.group(0).split())[-60:]
        reason = f"subject {i.mail.subject[:40]!r} and a receipt's text ('...{said}')"
        return _auto("read_receipt", "notification", reason, 0.93)
    if m := p.NOTES_RECEIPT.search(i.fresh[:1500]):
        reason = f"a Lotus Notes return receipt ({' '.join(m.group(0).split())[:60]!r} ...)"
        return _auto("read_receipt", "notification", reason, 0.93)
    return None


def delivery_report(i: Inputs) -> Finding | None:
    # Reached only when detect_bounce saw no failure: a report that every copy arrived.
    pec = pec_receipt(i.mail)
    if pec:
        reason = f"X-Ricevuta: {pec[:40]} (an Italian certified-mail receipt)"
        return _auto("delivery_report", "notification", reason, 0.95)
    actions = success_report(i.mail)
    if actions is None:
        said = success_text(i.mail, i.text)
        if not said:
            return None
        reason = f"a mail system's report that the message arrived: {said!r}"
        return _auto("delivery_report", "notification", reason, 0.93)
    reason = f"a delivery report (RFC 3464) saying the message arrived (Action: {actions})"
    return _auto("delivery_report", "notification", reason, 0.95)


def ooo_subject(i: Inputs) -> Finding | None:
    m = p.OOO_SUBJECT.search(i.mail.subject)
    if m:
        return _auto("ooo_subject", "out_of_office", f"subject says {m.group(0)!r}", 0.93)
    m = p.VACATION_SUBJECT.search(i.mail.subject)
    reason = f"subject names a holiday {m.group(0)!r}, but says nobody is away" if m else ""
    return m and _auto("ooo_subject", "out_of_office", reason, 0.6, decisive=False)


def auto_subject(i: Inputs) -> Finding | None:
    m = p.AUTO_SUBJECT.search(i.mail.subject)
    return m and _auto("auto_subject", None, f"subject says {m.group(0)!r}", 0.9, not i.answered)


def notification_subject(i: Inputs) -> Finding | None:
    m = p.NOTIFICATION_SUBJECT.search(i.mail.subject)
    if not m:
        if notice := p.NOTICE_SUBJECT.search(i.mail.subject):
            reason = f"subject names a system's notice: {notice.group(0).strip()!r}"
            return _auto("notification_subject", "notification", reason, 0.8, False, lone=True)
        if title := p.TRANSACTION_SUBJECT.search(i.mail.subject):
            reason = f"subject is a transaction's title: {title.group(0).strip()!r}"
            if i.priced:
                reason += f", so {i.priced!r} is the order's data, not an answer"
            return _auto("notification_subject", "notification", reason, 0.8, False, lone=True)
        return _calendar_reply(i)
    reason = f"subject announces a notification: {m.group(0).strip()!r}"
    return _auto("notification_subject", "notification", reason, 0.88, not i.answered)


def _calendar_reply(i: Inputs) -> Finding | None:
    """A calendar's answer to a meeting request: the invitee clicked, nobody wrote. A note typed
    into it ("Accepted: lunch" with "See you there") is the invitee's own words, so a text the
    calendar did not write leaves this as evidence only."""
    m = p.CALENDAR_REPLY_SUBJECT.search(i.mail.subject)
    if not m:
        return None
    typed = p.WORD.findall(p.CALENDAR_REPLY_LINE.sub("", i.fresh[:2000]))
    reason = f"subject {m.group(0).strip()!r}: a calendar's answer to a meeting request"
    if typed:
        reason += ", with a note typed into it"
    return _auto("notification_subject", "notification", reason, 0.85, not typed)


def noreply_sender(i: Inputs) -> Finding | None:
    if p.NOREPLY_SENDER.search(i.mail.from_address):
        return _auto("noreply_sender", "notification", f"sender {i.mail.from_address}", 0.9)
    name = next((h for h in p.PROGRAM_HEADERS if h in i.mail.headers), None)
    if name is not None:
        reason = f"header {name.title()}: a program (cron, a git hook) wrote the message"
        return _auto("noreply_sender", "notification", reason, 0.9)
    # A person's mail client never sets a no-reply envelope sender, nor asks for answers to go
    # to a no-reply address; a mailing system does.
    envelope = i.mail.header("return-path").strip().strip("<>").strip()
    if envelope and p.NOREPLY_ENVELOPE.search(envelope):
        return _auto("noreply_sender", "notification", f"Return-Path <{envelope}>", 0.88)
    for address in p.ADDRESS.findall(i.mail.header("reply-to")):
        if p.NOREPLY_ENVELOPE.search(address):
            return _auto("noreply_sender", "notification", f"Reply-To <{address}>", 0.88)
    return None


def ooo_body(i: Inputs) -> Finding | None:
    m = p.OOO_BODY.search(i.fresh[:4000])
    if not m:
        return None
    # An out-of-office rule cannot name the buyer and the car; a person away who still writes
    # about this inquiry can ("Alex, I'm on leave, but Jo will call you about the RAV4").
    addressed = i.buyer_named and i.vehicle_named
    # A notice of absence opens with the absence; a person mentions it in passing, after
    # writing about something else ("... let me know. I'm out of the office until Monday.").
    before = i.fresh[: m.start()]
    lead = len(before.split())
    # An autoresponder answers the one sender it heard from; a note to several people about
    # one's leave was written to them.
    readers = len(p.ADDRESS.findall(i.mail.header("to") + "," + i.mail.header("cc")))
    # Nor does a notice ask its reader anything before saying the writer is away; a person
    # does ("can you please relay this to Mike today? I will be out of the office Friday").
    asked = _ASKS_READER.search(before)
    reason = f"body says {m.group(0)!r}"
    if addressed:
        reason += ", but the writer names the buyer and the car"
    elif lead > OOO_LEAD_WORDS:
        reason += f", but only after {lead} words about something else"
    elif readers > 1:
        reason += f", but it is addressed to {readers} people, as no autoresponder writes"
    elif asked:
        reason += f", but first the writer asks the reader something ({asked.group(0)!r})"
    return _auto(
        "ooo_body",
        "out_of_office",
        reason,
        0.88,
        not (i.answered or addressed or lead > OOO_LEAD_WORDS or readers > 1 or asked),
    )


# A request put to the reader ("can you", "could you"); not a bare question mark, which a
# notice's "Need help sooner?" has too.
_ASKS_READER = re.compile(r"\b(can|could|would|will) you\b", re.I)


def _notice(m: p.Hit) -> str | None:
    """The subkind for a service's notice (a parcel, a password reset), else None."""
    return "notification" if p.SERVICE_NOTICE.search(m.group(0)) else None


def auto_body(i: Inputs) -> Finding | None:
    m = p.AUTO_BODY.search(i.fresh[:6000])
    return m and _auto("auto_body", _notice(m), f"body says {m.group(0)!r}", 0.88)


def fast_reply(i: Inputs) -> Finding | None:
    if i.ctx.sent_at is None or i.ctx.received_at is None:
        return None
    delta = (i.ctx.received_at - i.ctx.sent_at).total_seconds()
    if not -CLOCK_SLACK_S <= delta <= FAST_REPLY_S:
        return None
    reason = f"arrived {max(delta, 0):.0f} s after the inquiry (limit {FAST_REPLY_S:.0f} s)"
    return _auto("fast_reply", None, reason, 0.85, not i.answered)


def repetition(i: Inputs) -> Finding | None:
    fp = i.fingerprint
    if fp is None:
        return None
    if fp in i.ctx.same_dealer_fingerprints:
        reason = f"same wording ({fp[:8]}) answered another inquiry of this dealership"
    elif i.ctx.other_dealer_fingerprints.get(fp, 0) >= 1:
        n = i.ctx.other_dealer_fingerprints[fp]
        reason = f"same wording ({fp[:8]}) came from {n} other dealership(s)"
    else:
        return None
    return _auto("repetition", "crm_template", reason, 0.9, not i.answered)


def merge_fields(i: Inputs) -> Finding | None:
    m = p.MERGE_FIELD.search(i.fresh[:6000])
    if not m:
        return None
    reason = f"an unfilled mail-merge field {m.group(0).strip()!r}: a template"
    return _auto("merge_fields", "crm_template", reason, 0.9, not i.answered)


def _engaged(fresh: str) -> bool:
    """The writer speaks as "I" and asks the buyer a question: someone read the inquiry."""
    head = fresh[:3000]
    return bool(p.FIRST_PERSON.search(_voiced(head)) and p.QUESTION_TO_BUYER.search(head))


def _acknowledgement(rule: str, m: p.Hit, i: Inputs) -> Finding:
    engaged = _engaged(i.fresh)
    reason = f"body says {m.group(0)!r}"
    if engaged:
        reason += ", but the writer speaks as 'I' and asks the buyer a question"
    return _auto(rule, _notice(m), reason, 0.8, not (i.answered or engaged))


def ack_body(i: Inputs) -> Finding | None:
    m = p.ACK_BODY.search(i.fresh[:6000])
    return m and _acknowledgement("ack_body", m, i)


def thanks_opener(i: Inputs) -> Finding | None:
    m = p.THANKS_OPENER.search(i.fresh[:6000])
    return m and _acknowledgement("thanks_opener", m, i)


# A line break inside a paragraph: mail of the 1990s and 2000s wraps its lines at about 72
# characters, so a template's phrase may be split over two lines.
_WRAPPED = re.compile(r"(?<!\n)\n(?![ \t]*\n)")


def notification_body(i: Inputs) -> Finding | None:
    # Read with wrapped lines joined (each break becomes one space: same length, same offsets).
    m = p.NOTIFICATION_BODY.search(_WRAPPED.sub(" ", i.fresh[:6000]))
    if m:
        reason = f"body has notification wording {m.group(0)!r}"
    elif layout := _designed_page(i.mail.message):
        reason = f"the only body is a designed HTML page ({layout}), with no plain-text version"
    elif data := _data_report(i.fresh):
        reason = f"the body is a data report: {data}"
    else:
        return None
    return _auto("notification_body", "notification", reason, 0.75, False, lone=True)


# A data report: this many data lines, making up this share of the text's lines.
DATA_MIN_LINES = 8
DATA_MIN_SHARE = 0.6
_DIGIT_OR_EQUALS = re.compile(r"[0-9=]")


def _data_report(fresh: str) -> str:
    """How the text is a program's data rather than sentences, or ''.

    A log, a status record or a table of figures mailed by a system is lines of "KEY = value",
    time stamps or rows of figures with hardly a lower-case word; a person writes sentences
    around any figures they send, and an address block has one figure a line."""
    head = fresh[:6000]
    # Every data line has a digit or an "=": most replies are passed over at C speed.
    if len(_DIGIT_OR_EQUALS.findall(head)) < DATA_MIN_LINES:
        return ""
    lines = [line for line in head.splitlines() if line.strip()][:80]
    data = sum(1 for line in lines if p.DATA_LINE.fullmatch(line) or _figures_row(line))
    if data < DATA_MIN_LINES or data < DATA_MIN_SHARE * len(lines):
        return ""
    return f"{data} of its {len(lines)} lines are values, time stamps or figures"


def _figures_row(line: str) -> bool:
    """Two figures or more and fewer than three lower-case words, in any script."""
    if len(p.FIGURE.findall(line)) < 2:
        return False
    return sum(1 for w in p.WORD.findall(line) if w[0].islower()) < 3


# A page laid out by a program: this many table cells, or a heading.
_LAYOUT_CELLS = 4
_CELL_RE = re.compile(rb"<t[dh][\s>]", re.I)
_HEADING_RE = re.compile(rb"<h[1-3][\s>]", re.I)


def _designed_page(msg: Message) -> str:
    """What makes the body a page a program laid out, or ''.

    Mail programs send a plain-text version beside the HTML of what a person writes; a
    template with a table layout or headings and no plain text is a notice's or a newsletter's.
    """
    parts = [
        part
        for part in message_parts(msg, attached=False)
        if not part.is_multipart() and part.get_content_disposition() != "attachment"
    ]
    types = {part.get_content_type() for part in parts}
    if "text/html" not in types or "text/plain" in types:
        return ""
    cells = headings = 0
    for part in parts:
        if part.get_content_type() == "text/html":
            raw = part.get_payload(decode=True)
            if isinstance(raw, bytes):
                cells += len(_CELL_RE.findall(raw))
                headings += len(_HEADING_RE.findall(raw))
    if headings:
        return f"{headings} heading(s)"
    return f"{cells} table cells" if cells >= _LAYOUT_CELLS else ""


def team_signoff(i: Inputs) -> Finding | None:
    m = p.TEAM_SIGNOFF.search(i.fresh[:6000]) or p.TEAM_LINE.search(i.fresh[:6000])
    if not m:
        return None
    reason = f"signed by a team, not a person: {' '.join(m.group(0).split())!r}"
    return _auto("team_signoff", "crm_template", reason, 0.7, decisive=False)


def generic_greeting(i: Inputs) -> Finding | None:
    head = i.fresh[:300]
    # "Dear customer" is a template's; "Dear Sir or Madam" anyone's, a machine's or not.
    sub: str | None = "crm_template"
    m = p.GENERIC_GREETING.search(head)
    if m is None and (m := p.ANYONE_GREETING.search(head)) is not None:
        sub = None
    if m is not None:
        reason = f"the salutation names nobody: {m.group(0).strip()!r}"
    elif merged := p.MERGED_NAME_GREETING.match(head):
        reason = f"the salutation is a name in capitals, as a mail merge writes it: {merged[0]!r}"
    elif filled := p.ADDRESS_GREETING.match(head):
        reason = f"the salutation is an e-mail address, as a mail merge fills it: {filled[0]!r}"
        sub = "notification"
    else:
        return None
    # A letter to "Dear customer" or "Dear Sir/Madam" that nobody signs and nobody speaks in
    # is a notice; a name in capitals may be a person's shouting ("THOMAS DONOHOE,").
    return _auto("generic_greeting", sub, reason, 0.7, decisive=False, lone=m is not None)


def crm_mailer(i: Inputs) -> Finding | None:
    mailer = i.mail.header("x-mailer") or i.mail.header("user-agent")
    sub: str | None = "crm_template"
    # A program's own mark (a web application's library or address, a local program, a help
    # desk's reply line): its notices, not salespeople's mail, decide when nobody speaks.
    lone = False
    message_id = i.mail.header("message-id").strip()
    envelope = i.mail.header("return-path").strip().strip("<>")
    if p.CRM_MAILERS.search(mailer) or (lone := bool(p.WEB_MAILERS.search(mailer))):
        reason = f"X-Mailer/User-Agent {mailer[:60]!r} is a CRM or bulk sender"
    elif p.MESSAGE_ID_SENDERS.search(message_id):
        reason = f"Message-ID {message_id[-60:]!r} was written by a bulk sender or help desk"
    elif lone := bool(p.SERVICE_ENVELOPE.search(envelope)):
        reason = f"Return-Path {envelope[:60]!r}: a program on the web host sent it"
    elif lone := bool(p.SITE_SENDER.search(i.mail.from_address)):
        reason = f"sender {i.mail.from_address[:60]!r} is a web site's own address"
    elif lone := not i.mail.from_address.strip():
        # Every mail client writes the sender's address; "From: <>" or no From is a program's.
        reason = "the message names no sender address (From is empty or <>)"
        sub = "notification"
    elif lone := bool(p.LOCAL_SENDER.search(i.mail.from_address)):
        reason = f"sender {i.mail.from_address[:60]!r} has no public domain: a local program's mail"
        sub = "notification"
    elif p.BULK_ENVELOPE.search(envelope):
        # Shops and CRMs alike send this way: it says nothing of which the message is.
        reason = f"Return-Path {envelope[:60]!r} is a bulk sender's bounce address"
        sub = None
    elif name := next((h for h in p.CRM_HEADERS if h in i.mail.headers), None):
        lone = name.startswith("x-php")
        reason = f"header {name} is added by CRM, bulk or web-application senders"
    else:
        reason = ""
    # One finding for the help desk, however many of its marks: its reply line and its
    # Message-ID are the same fact, and an agent's reply carries both.
    marker = p.HELP_DESK_MARKER.search(i.fresh[:6000])
    if marker is not None:
        said = f"body has a help desk's line {marker.group(0)!r}"
        if not reason:
            reason, sub = said, "notification"
        else:
            reason += f"; {said}"
        lone = True  # with nobody speaking, it is the help desk's own notice
    if not reason:
        return None
    return _auto("crm_mailer", sub, reason, 0.75, decisive=False, lone=lone)


def list_headers(i: Inputs) -> Finding | None:
    name = next((h for h in ("list-id", "list-unsubscribe") if h in i.mail.headers), None)
    if name is None:
        return None
    reason = f"{name.title()} header: sent to a list, not written for one buyer"
    return _auto("list_headers", "notification", reason, 0.75, decisive=False, alone=True)


def form_fields(i: Inputs) -> Finding | None:
    cgi = sorted(set(p.CGI_VARIABLES.findall(i.fresh[:6000])))
    if len(cgi) >= 2:
        reason = f"the body carries a form script's server variables ({', '.join(cgi[:3])})"
        return _auto("form_fields", "notification", reason, 0.8, decisive=False, alone=True)
    lines = [line for line in i.fresh[:6000].splitlines() if line.strip()][:60]
    fields = [m for m in map(p.FORM_FIELD.match, lines) if m]
    named = [
        m.group(1).strip() for m in fields if not p.FORM_NOT_A_FIELD.fullmatch(m.group(1).strip())
    ]
    if len(named) < FORM_MIN_FIELDS or len(fields) < FORM_MIN_SHARE * len(lines):
        return None
    reason = f"the body is a filled-in form ({', '.join(named[:4])}, ...)"
    # A person who pastes meeting details or a dial-in under their own note signs it; a web
    # site's relay of a form is signed by nobody.
    signed = _person_signoff(i.fresh, i.mail.from_address, i.mail.from_name)
    if signed:
        reason += f", but a person signs it ({signed!r})"
    return _auto("form_fields", "notification", reason, 0.8, decisive=False, alone=not signed)


def mentioned(words: list[str], text: str) -> str:
    """The first of ``words`` that ``text`` uses as a whole word, or ''."""
    for word in words:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I):
            return word
    return ""


def personalisation(i: Inputs) -> list[Finding]:
    found = []
    ctx = i.ctx
    if i.buyer_named:
        found.append(f"uses the buyer's name {i.buyer_named!r}")
    if i.vehicle_named:
        found.append(f"names the vehicle {i.vehicle_named!r}")
    if i.answered:
        found.append(f"answers concretely: {i.answered!r}")
    if ctx.inquiry_text and _quotes(ctx.inquiry_text, i.text):
        found.append("quotes the inquiry")
    return [Finding("personalisation", "personal", None, r, False, 0.6) for r in found]


def _quotes(inquiry: str, text: str) -> bool:
    flat = " ".join(text.replace(">", " ").split()).lower()
    lines = [" ".join(line.split()).lower() for line in inquiry.splitlines()]
    return any(len(line) >= 25 and line in flat for line in lines)


Rule = Callable[[Inputs], "Finding | None"]
RULES: tuple[Rule, ...] = (
    auto_submitted,
    x_autoreply,
    precedence,
    suppress,
    null_return_path,
    read_receipt,
    delivery_report,
    ooo_subject,
    auto_subject,
    notification_subject,
    noreply_sender,
    ooo_body,
    auto_body,
    fast_reply,
    repetition,
    merge_fields,
    ack_body,
    thanks_opener,
    notification_body,
    team_signoff,
    generic_greeting,
    crm_mailer,
    list_headers,
    form_fields,
)
