"""Configuration of what is asked and when: vehicles (inline or a CSV inventory) and campaigns.

Kept apart from config.py, which imports these models into ``Settings``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from .errors import ConfigError

__all__ = (
    "BANDS",
    "PERIOD_MIN_DAYS",
    "SCENARIOS",
    "CampaignConfig",
    "VehicleConfig",
    "read_inventory",
)

# The built-in scenario library: templates/inquiry/<name>.txt.j2.
SCENARIOS = (
    "price_quote",
    "availability",
    "trade_in",
    "finance",
    "test_drive",
    "after_hours",
)
Period = Literal["quarter", "month", "week"]
Band = Literal["business", "evening", "weekend"]
BANDS: tuple[Band, ...] = ("business", "evening", "weekend")
# The shortest each period can be: N inquiries must fit with 24 h between them.
PERIOD_MIN_DAYS = {"quarter": 89, "month": 28, "week": 7}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class VehicleConfig(_Model):
    """A vehicle in stock that an inquiry can ask about."""

    description: StrictStr = Field(min_length=1)
    stock_number: StrictStr | None = None
    colour: StrictStr | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_string(cls, data: Any) -> Any:
        # The simple shape stays valid: vehicles = ["2025 Toyota RAV4 XLE"].
        return {"description": data} if isinstance(data, str) else data


class CampaignConfig(_Model):
    """How many inquiries a dealership (or every dealership of a group) gets per period."""

    dealerships: tuple[StrictStr, ...] = ()
    group: StrictStr | None = None
    inquiries: StrictInt = Field(default=1, ge=1)
    period: Period = "quarter"
    # Time bands to spread inquiries over, in the dealership's time zone, taken in turn.
    bands: tuple[Band, ...] = Field(default=BANDS, min_length=1)
    scenarios: tuple[StrictStr, ...] = Field(default=SCENARIOS, min_length=1)

    @model_validator(mode="after")
    def _check(self) -> CampaignConfig:
        if bool(self.dealerships) == (self.group is not None):
            raise ValueError("name either dealerships or a group")
        if self.inquiries > PERIOD_MIN_DAYS[self.period]:
            raise ValueError(
                f"inquiries: {self.inquiries} per {self.period} cannot keep 24 h between "
                "two inquiries to one dealership"
            )
        return self

    def covers(self, slug: str, group: str | None) -> bool:
        """Whether the campaign names this dealership, or the group it belongs to."""
        return slug in self.dealerships or (self.group is not None and self.group == group)


def read_inventory(path: Path, where: str) -> tuple[VehicleConfig, ...]:
    """Vehicles from a CSV file with a header row: description, stock_number, colour.

    :raises ConfigError: one line naming the file, the line and the problem.
    """
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"{where}: {path}: not a CSV file: {exc}") from None
    vehicles = []
    for line, row in enumerate(rows, start=2):
        # An empty cell is a missing value.
        data = {k.strip(): v.strip() for k, v in row.items() if k and v and v.strip()}
        try:
            vehicles.append(VehicleConfig.model_validate(data))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "row"
            problem = "missing" if err["type"] == "missing" else err["msg"].lower()
            raise ConfigError(f"{where}: {path.name} line {line}: {field}: {problem}") from None
    if not vehicles:
        raise ConfigError(f"{where}: {path.name}: no vehicles")
    return tuple(vehicles)
