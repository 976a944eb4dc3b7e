"""Tolerant reading of received mail: never raises, whatever a stranger sent.

Python's modern email policy rejects real-world headers (Outlook's ``<[...]>`` Message-IDs,
broken encodings), so headers are read with ``compat32`` and decoded by hand, and every step
that can fail records its error instead of raising.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.header import Header, decode_header, make_header
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime

__all__ = ("ParsedMail", "body_text", "content_hash", "message_parts", "parse_mail")

_MSGID_RE = re.compile(r"<[^<>\s]+>")
_TAG_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.S | re.I)
# What a reader of an HTML mail never sees: the head (title, styles) and comments (Outlook
# hides its CSS in conditional comments).
_HTML_HIDDEN_RE = re.compile(r"<head\b.*?</head\s*>|<!--.*?-->", re.S | re.I)
# Tags that end a line on screen: kept as line breaks, so line-based rules (sign-offs, form
# fields, quoted history) read HTML mail as they read plain text.
_HTML_BREAK_RE = re.compile(
    r"<(br|/?p|/?div|/?tr|/?li|/?h[1-6]|/?table|/?blockquote)\b[^>]*>", re.I
)
# RFC 1896 text/enriched: formatting commands in <...>; a <param> holds arguments, not text.
_ENRICHED_PARAM_RE = re.compile(r"<param>.*?</param>", re.S | re.I)
# A plain part that only says to read the HTML one ("This is an HTML message ... cannot be
# viewed in your mail reader"): the HTML part is what the sender wrote.
_HTML_NOTICE_RE = re.compile(
    r"\bhtml\b.{0,120}\b(cannot|can't|could not|unable|does not|doesn't|not able|not support)|"
    # "Please view the HTML version of this email": a designed template's stand-in plain part.
    r"\b(view|see|read|open) (the|this|our) html version\b",
    re.S | re.I,
)
_TRACE = ("from", "to", "cc", "subject", "date", "message-id", "in-reply-to")


@dataclass(frozen=True, slots=True)
class ParsedMail:
    """What the later stages need from one message, already decoded."""

    message_id: str
    synthetic_id: bool
    from_address: str
    from_name: str
    subject: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    received_header_at: datetime | None
    content_hash: str
    message: Message
    headers: dict[str, str] = field(default_factory=dict)
    parse_error: str | None = None
    date_header_at: datetime | None = None

    def header(self, name: str) -> str:
        """A decoded header value, '' when absent."""
        return self.headers.get(name.lower(), "")


def _raw_8bit(value: Header) -> str:
    """A header sent as raw 8-bit bytes (RFC 6532 UTF-8, else Latin-1), which compat32 wraps."""
    parts = []
    for chunk, charset in decode_header(value):
        if isinstance(chunk, str):
            parts.append(chunk)
            continue
        for codec in (charset if charset and charset != "unknown-8bit" else "utf-8", "utf-8"):
            try:
                parts.append(chunk.decode(codec))
                break
            except (LookupError, UnicodeDecodeError):
                continue
        else:
            parts.append(chunk.decode("latin-1"))
    return "".join(parts)


def _decode(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Header):
        try:
            return _raw_8bit(value)
        except Exception:  # never let one odd header stop the message being read
            return str(value)
    text = str(value)
    try:
        return str(make_header(decode_header(text)))
    except Exception:
        # Undecodable encoded-words: keep the raw text, it is still evidence.
        return text


def _ids(value: str) -> tuple[str, ...]:
    return tuple(m.lower() for m in _MSGID_RE.findall(value))


def content_hash(msg: Message, raw: bytes) -> str:
    """A hash that ignores trace headers, so one message delivered twice hashes the same."""
    h = hashlib.sha256()
    for name in _TRACE:
        h.update(f"{name}:{msg.get(name, '')}\n".encode("utf-8", "surrogateescape"))
    _, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        _, _, body = raw.partition(b"\n\n")
    # Line endings and trailing blank lines differ by route (LMTP adds a CRLF, APPEND does not).
    h.update(body.replace(b"\r\n", b"\n").rstrip())
    return h.hexdigest()


def _to_utc(text: str) -> datetime | None:
    try:
        dt = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _defects(msg: Message, limit: int = 3) -> list[str]:
    """The parser's complaints about any part (a broken multipart puts them on the parts)."""
    found: list[str] = []
    try:
        for part in msg.walk():
            found.extend(type(d).__name__ for d in getattr(part, "defects", []))
            if len(found) >= limit:
                break
    except Exception as exc:  # walking a hostile structure must not raise either
        found.append(f"unwalkable MIME structure: {exc}")
    return found[:limit]


def _received_at(msg: Message) -> datetime | None:
    top = msg.get_all("Received") or []
    if not top:
        return None
    _, _, when = str(top[0]).rpartition(";")
    return _to_utc(when)


def parse_mail(raw: bytes) -> ParsedMail:
    """Parse ``raw`` without ever raising; problems go to ``parse_error``."""
    errors: list[str] = []
    try:
        msg = message_from_bytes(raw, policy=compat32)
    except Exception as exc:  # the stdlib parser is lenient, but hostile input can still break it
        errors.append(f"unparsable message: {exc}")
        msg = Message()
    errors.extend(_defects(msg))
    headers: dict[str, str] = {}
    for name, value in msg.items():
        headers.setdefault(name.lower(), _decode(value))
    digest = content_hash(msg, raw)
    ids = _ids(headers.get("message-id", ""))
    message_id, synthetic = (ids[0], False) if ids else (f"<{digest[:32]}@synthetic.invalid>", True)
    name, address = "", ""
    try:
        pairs = getaddresses([headers.get("from", "")])
        if pairs:
            name, address = pairs[0][0], pairs[0][1].lower()
    except Exception as exc:
        errors.append(f"From: {exc}")
    return ParsedMail(
        message_id=message_id,
        synthetic_id=synthetic,
        from_address=address,
        from_name=name,
        subject=headers.get("subject", ""),
        in_reply_to=_ids(headers.get("in-reply-to", "")),
        references=_ids(headers.get("references", "")),
        received_header_at=_received_at(msg),
        content_hash=digest,
        message=msg,
        headers=headers,
        parse_error="; ".join(errors) or None,
        date_header_at=_to_utc(headers.get("date", "")),
    )


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return payload.decode("utf-8", errors="replace")


def _html_text(markup: str) -> str:
    """What a reader sees of an HTML part: no tags, line breaks kept, entities (&uuml;) decoded."""
    markup = _HTML_BREAK_RE.sub("\n", _HTML_HIDDEN_RE.sub(" ", markup))
    return html.unescape(_TAG_RE.sub(" ", markup))


def message_parts(msg: Message, *, attached: bool = True) -> Iterator[Message]:
    """The message and its parts, as Message.walk() gives them; with ``attached=False``,
    without the parts of a message attached to it (a forward's own words only)."""
    yield msg
    if not msg.is_multipart() or (not attached and msg.get_content_maintype() == "message"):
        return
    payload = msg.get_payload()
    for part in payload if isinstance(payload, list) else []:
        if isinstance(part, Message):
            yield from message_parts(part, attached=attached)


def body_text(msg: Message, limit: int = 200_000, *, attached: bool = True) -> str:
    """The readable text of a message: plain parts, else HTML with tags stripped. With
    ``attached=False``, the text of a message attached to it (a forward) is left out."""
    plain: list[str] = []
    html_parts: list[str] = []
    broken: list[str] = []
    for part in message_parts(msg, attached=attached):
        ctype = part.get_content_type()
        if part.get_content_disposition() == "attachment":
            continue
        if ctype == "text/plain":
            plain.append(_part_text(part))
        elif ctype == "text/enriched":
            enriched = _ENRICHED_PARAM_RE.sub("", _part_text(part))
            plain.append(_TAG_RE.sub("", enriched).replace("<<", "<"))
        elif ctype == "text/html":
            html_parts.append(_html_text(_part_text(part)))
        elif part.get_content_maintype() == "multipart" and not part.is_multipart():
            # A multipart whose boundary could not be read (a mangled header): its raw text
            # is still what the sender wrote, so it is read rather than lost.
            payload = part.get_payload()
            if isinstance(payload, str):
                broken.append(payload)
    said = "\n".join(plain)
    if html_parts and len(said.strip()) < 300 and _HTML_NOTICE_RE.search(said):
        said = ""
    text = said if said.strip() else "\n".join(html_parts)
    if not text.strip() and broken:
        text = _TAG_RE.sub(" ", "\n".join(broken))
    return text[:limit]
