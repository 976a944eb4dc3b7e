"""What we know about the inquiry a reply answers: plain data, filled in by the caller."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ("ReplyContext", "vehicle_terms")

_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True, slots=True)
class ReplyContext:
    """Everything optional: a rule whose input is missing simply does not fire.

    ``same_dealer_fingerprints``: body fingerprints of replies to *other* inquiries of this
    dealership. ``other_dealer_fingerprints``: fingerprint -> number of *other* dealerships
    whose replies had that fingerprint.
    """

    sent_at: datetime | None = None
    received_at: datetime | None = None
    persona_name: str = ""
    shopper_address: str = ""
    vehicle: str = ""
    scenario: str = ""
    inquiry_text: str = ""
    same_dealer_fingerprints: frozenset[str] = frozenset()
    other_dealer_fingerprints: dict[str, int] = field(default_factory=dict)

    @property
    def first_name(self) -> str:
        return self.persona_name.split()[0] if self.persona_name.strip() else ""

    @property
    def names(self) -> list[str]:
        """How a reply may address the buyer: full name, first name, or surname (Herr Jordan)."""
        parts = self.persona_name.split()
        return [
            n
            for n in dict.fromkeys([self.persona_name.strip(), *parts[:1], *parts[1:][-1:]])
            if len(n) >= 2
        ]


def vehicle_terms(vehicle: str) -> list[str]:
    """The words that name a vehicle: the whole string, then the model (word after the make)."""
    words = [w for w in vehicle.split() if not _YEAR.match(w)]
    terms = [vehicle.strip()] if vehicle.strip() else []
    if len(words) >= 2:
        terms.append(words[1])
        terms.append(" ".join(words[:2]))
    elif words:
        terms.append(words[0])
    return [t for t in terms if len(t) >= 2]
