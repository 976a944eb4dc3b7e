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
    """The part of a reply its sender wrote now: quoted history and HTML entities removed."""
    text = html.unescape(text[:limit]).replace("\r\n", "\n")
    cut = QUOTE_START.search(text)
    if cut and cut.start() > 0:
        return text[: cut.start()]
    if cut:  # the reply starts with quoting: keep the unquoted lines
        return "\n".join(line for line in text.splitlines() if not line.startswith(">"))
    return text


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
