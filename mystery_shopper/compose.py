"""Render an inquiry from a Jinja2 template into a message an ordinary mail client would send.

Templates choose their wording with ``pick(...)``: every call draws from a random generator
seeded by the inquiry's seed, so a run can be replayed exactly, and the list of choices made
(the *phrasing*) is returned so the caller can refuse one that a group has already seen.
"""

from __future__ import annotations

import html
import itertools
import random
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

import jinja2

from .campaign_config import VehicleConfig
from .config import DealershipConfig, Settings, ShopperConfig
from .errors import ComposeError

__all__ = (
    "MOMENTS",
    "Composed",
    "add_typos",
    "builtin_templates_dir",
    "check_templates",
    "compose_inquiry",
    "template_environment",
    "text_to_html",
)

# Everyday slips a hurried buyer makes; never inside a vehicle name, price or address.
_TYPOS = {
    "interested": "intrested",
    "available": "availble",
    "definitely": "definately",
    "tomorrow": "tommorow",
    "weekend": "wekend",
    "possible": "possibel",
    "really": "realy",
    "would": "woudl",
    "thanks": "thnaks",
    "which": "wich",
    "know": "konw",
}
# When, in the dealership's zone, an inquiry goes out (see schedule.py).
MOMENTS = ("business", "morning", "evening", "weekend")
_WORD_RE = re.compile(r"\b(" + "|".join(_TYPOS) + r")\b", re.IGNORECASE)


def builtin_templates_dir() -> Path:
    """``mystery_shopper/templates`` in a wheel; the repository's ``templates/`` in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def template_environment(extra_dir: str | None = None) -> jinja2.Environment:
    """One strict environment: a missing variable fails before anything is sent."""
    dirs = ([extra_dir] if extra_dir else []) + [str(builtin_templates_dir())]
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        keep_trailing_newline=True,
        trim_blocks=True,
    )


@dataclass(frozen=True, slots=True)
class Composed:
    message_id: str
    subject: str
    text: str
    # The wording choices made, e.g. "trade_in:1.0.2.1": equal phrasing reads alike.
    phrasing: str
    message: EmailMessage


class _Picker:
    """``pick(a, b, c)`` in templates: one reproducible choice per call, remembered."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self.choices: list[int] = []

    def __call__(self, *options: Any) -> Any:
        if not options:
            raise ComposeError("pick() needs at least one option")
        i = self._rng.randrange(len(options))
        self.choices.append(i)
        return options[i]


def add_typos(text: str, rng: random.Random, *, at_most: int = 2) -> str:
    """Misspell up to ``at_most`` common words, as a person typing quickly would."""
    spots = list(_WORD_RE.finditer(text))
    rng.shuffle(spots)
    for m in sorted(spots[: rng.randint(0, at_most)], key=lambda m: -m.start()):
        word = m.group(0)
        typo = _TYPOS[word.lower()]
        typo = typo[0].upper() + typo[1:] if word[0].isupper() else typo
        text = text[: m.start()] + typo + text[m.end() :]
    return text


def text_to_html(text: str) -> str:
    """The HTML alternative a webmail client sends: one ``div`` per line, escaped."""
    # quote=False: webmail leaves apostrophes and quotes in text alone.
    lines = [
        f"<div>{html.escape(line, quote=False) or '<br>'}</div>"
        for line in text.rstrip("\n").split("\n")
    ]
    return '<div dir="ltr">' + "".join(lines) + "</div>\n"


def _split_subject(text: str, template: str) -> tuple[str, str]:
    first, _, body = text.lstrip("\n").partition("\n")
    if not first.lower().startswith("subject:"):
        raise ComposeError(f"{template}: first line must be 'Subject: ...'")
    return first.split(":", 1)[1].strip(), body.lstrip("\n")


def _context(
    shopper: ShopperConfig,
    dealership: DealershipConfig,
    vehicle: VehicleConfig | None,
    moment: str,
    local: datetime,
    pick: _Picker,
) -> dict[str, Any]:
    first, _, last = shopper.display_name.partition(" ")
    return {
        "shopper": {
            "name": shopper.display_name,
            "first_name": first,
            "last_name": last,
            "address": shopper.address,
            "phone": shopper.phone,
            "town": shopper.town,
            "trade_in": shopper.trade_in,
        },
        "dealership": {"name": dealership.name, "slug": dealership.slug},
        "vehicle": vehicle.model_dump() if vehicle else None,
        # business | morning | evening | weekend: when, in the dealership's zone, it is sent.
        "moment": moment,
        "weekday": local.strftime("%A"),
        "pick": pick,
    }


def _message(
    shopper: ShopperConfig,
    /,
    *,
    to: str,
    message_id: str,
    subject: str,
    body: str,
    local: datetime,
    rng: random.Random,
) -> EmailMessage:
    """The MIME message a mail client would build: plain text, optionally an HTML alternative."""
    msg = EmailMessage()
    msg["From"] = formataddr((shopper.display_name, shopper.address))
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(local)
    msg["Message-ID"] = message_id
    msg.set_content(body)
    if shopper.html:
        msg.add_alternative(text_to_html(body), subtype="html")
        # Python marks every part and the boundary as its own; mail clients do neither.
        for part in msg.iter_parts():
            del part["MIME-Version"]
        msg.set_boundary("000000000000" + f"{rng.getrandbits(64):016x}")
    return msg


def compose_inquiry(
    env: jinja2.Environment,
    /,
    *,
    scenario: str,
    shopper: ShopperConfig,
    dealership: DealershipConfig,
    vehicle: VehicleConfig | None,
    now: datetime,
    seed: str,
    moment: str = "business",
    typos: bool = False,
) -> Composed:
    """Render ``inquiry/<scenario>.txt.j2`` for one shopper and dealership.

    The template's first line is ``Subject: ...``; the rest is the plain-text body. The same
    ``seed`` gives the same wording; ``now`` becomes the Date header in the dealership's zone.

    :raises ComposeError: when the template is missing or cannot be rendered.
    """
    name = f"inquiry/{scenario}.txt.j2"
    rng = random.Random(f"{seed}:{scenario}")
    pick = _Picker(rng)
    local = now.astimezone(dealership.zone)
    try:
        text = env.get_template(name).render(
            _context(shopper, dealership, vehicle, moment, local, pick)
        )
    except jinja2.TemplateNotFound:
        raise ComposeError(f"scenario {scenario!r}: template {name} not found") from None
    except jinja2.TemplateError as exc:
        raise ComposeError(f"{name}: {exc}") from exc
    subject, body = _split_subject(text, name)
    body = "\n".join(line.rstrip() for line in body.split("\n"))
    body = re.sub(r"\n{3,}", "\n\n", body).strip("\n") + "\n"
    if typos and rng.random() < 0.5:
        body = add_typos(body, rng)
    # A random UUID, as Thunderbird writes it (make_msgid() would carry our pid and clock);
    # truly random, not from the seed: a replayed run must not reuse a Message-ID.
    message_id = f"<{uuid.uuid4()}@{shopper.domain}>"
    msg = _message(
        shopper,
        to=dealership.inquiry_address,
        message_id=message_id,
        subject=subject,
        body=body,
        local=local,
        rng=rng,
    )
    phrasing = f"{scenario}:" + ".".join(str(c) for c in pick.choices)
    return Composed(message_id, subject, body, phrasing, msg)


def check_templates(env: jinja2.Environment, settings: Settings, now: datetime) -> int:
    """Render every configured scenario for every shopper, dealership and moment; how many.

    :raises ComposeError: at the first template that cannot be rendered.
    """
    scenarios = dict.fromkeys(settings.inquiries.scenarios)
    for campaign in settings.campaigns:
        scenarios.update(dict.fromkeys(campaign.scenarios))
    count = 0
    for scenario, shopper, dealer, moment in itertools.product(
        scenarios, settings.shoppers, settings.dealerships, MOMENTS
    ):
        for vehicle in (*dealer.vehicles[:1], None):
            compose_inquiry(
                env,
                scenario=scenario,
                shopper=shopper,
                dealership=dealer,
                vehicle=vehicle,
                now=now,
                seed=f"check:{count}",
                moment=moment,
            )
            count += 1
    return count
