"""Render an inquiry from a Jinja2 template into a message an ordinary mail client would send."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

import jinja2

from .config import DealershipConfig, ShopperConfig
from .errors import ComposeError

__all__ = ("Composed", "builtin_templates_dir", "compose_inquiry", "template_environment")


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
    )


@dataclass(frozen=True, slots=True)
class Composed:
    message_id: str
    subject: str
    message: EmailMessage


def _split_subject(text: str, template: str) -> tuple[str, str]:
    first, _, body = text.lstrip("\n").partition("\n")
    if not first.lower().startswith("subject:"):
        raise ComposeError(f"{template}: first line must be 'Subject: ...'")
    return first.split(":", 1)[1].strip(), body.lstrip("\n")


def compose_inquiry(
    env: jinja2.Environment,
    /,
    *,
    scenario: str,
    shopper: ShopperConfig,
    dealership: DealershipConfig,
    vehicle: str | None,
    now: datetime,
) -> Composed:
    """Render ``inquiry/<scenario>.txt.j2`` for one shopper and dealership.

    The template's first line is ``Subject: ...``; the rest is the plain-text body.

    :raises ComposeError: when the template is missing or cannot be rendered.
    """
    name = f"inquiry/{scenario}.txt.j2"
    context = {
        "shopper": {
            "name": shopper.display_name,
            "first_name": shopper.display_name.split()[0],
            "address": shopper.address,
        },
        "dealership": {"name": dealership.name, "slug": dealership.slug},
        "vehicle": vehicle,
    }
    try:
        text = env.get_template(name).render(context)
    except jinja2.TemplateNotFound:
        raise ComposeError(f"scenario {scenario!r}: template {name} not found") from None
    except jinja2.TemplateError as exc:
        raise ComposeError(f"{name}: {exc}") from exc
    subject, body = _split_subject(text, name)
    msg = EmailMessage()
    message_id = make_msgid(domain=shopper.domain)
    msg["From"] = formataddr((shopper.display_name, shopper.address))
    msg["To"] = dealership.inquiry_address
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id
    msg.set_content(body)
    return Composed(message_id=message_id, subject=subject, message=msg)
