"""Text helpers: the fresh part of a reply, and a fingerprint of its wording."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable

from .patterns import QUOTE_START

__all__ = ("body_fingerprint", "fresh_text", "normalise")

_URL = re.compile(r"https?://\S+|www\.\S+", re.I)
_EMAIL = re.compile(r"\S+@\S+")
_DIGITS = re.compile(r"\d+")
_NONWORD = re.compile(r"[\W_]+", re.U)
MIN_FINGERPRINT_CHARS = 60


def fresh_text(text: str, limit: int = 20_000) -> str:
    """The part of a reply its sender wrote now: quoted lines and quoted history removed.

    Lines quoted with ``>`` go wherever they are (inline replies). An attribution or an Outlook
    header block ends the fresh text when something was written above it (top-posting); when it
    comes first, the reply is what follows the quoted lines (bottom-posting).
    """
    # HTML parts arrive decoded (parsing.body_text); this is for the plain parts some mail
    # programs write with entities in them ("------&nbsp;原始邮件&nbsp;------").
    text = html.unescape(text[:limit]).replace("\r\n", "\n")
    kept = "\n".join(line for line in text.split("\n") if not line.lstrip().startswith(">"))
    cut = QUOTE_START.search(kept)
    if cut is None:
        return kept
    if kept[: cut.start()].strip():
        return kept[: cut.start()]
    return kept[cut.end() :]


def normalise(text: str, strip: Iterable[str] = ()) -> str:
    """Lower-cased words with names, vehicles, numbers, addresses and links removed."""
    out = text.lower()
    for word in strip:
        if word:
            out = out.replace(word.lower(), " ")
    out = _URL.sub(" ", out)
    out = _EMAIL.sub(" ", out)
    out = _DIGITS.sub(" ", out)
    return " ".join(_NONWORD.sub(" ", out).split())


def body_fingerprint(text: str, strip: Iterable[str] = ()) -> str | None:
    """A short hash of the normalised wording; None when too short to mean anything."""
    norm = normalise(text, strip)
    if len(norm) < MIN_FINGERPRINT_CHARS:
        return None
    return hashlib.sha256(norm.encode()).hexdigest()[:24]
