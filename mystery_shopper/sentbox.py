"""The shopper's Sent folder over IMAP: file a copy of each inquiry, and find one again.

A mail client files what it sends in the Sent folder; so do we, unless the provider does it for
SMTP submissions itself (``save_to_sent = false``). The folder is the one LIST marks ``\\Sent``
(RFC 6154), or a configured name. Finding a Message-ID there is how a send whose outcome is
unknown gets reconciled.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

import imapclient
from imapclient.exceptions import IMAPClientError

from .config import ShopperConfig
from .errors import MailboxError
from .imap_login import connect, find_folder, logout

__all__ = ("find_in_sent", "save_copies", "sent_folder")


def sent_folder(client: imapclient.IMAPClient, shopper: ShopperConfig) -> str:
    """The name of the shopper's Sent folder.

    :raises MailboxError: when the server marks no folder ``\\Sent``.
    """
    name = find_folder(client, shopper.sent_folder)
    if name is None:
        raise MailboxError(
            f"shopper {shopper.name!r}: the IMAP server marks no folder {shopper.sent_folder}; "
            "set sent_folder to its name",
            account=shopper.name,
        )
    return name


def _search(client: imapclient.IMAPClient, message_id: str) -> list[int]:
    # HEADER search is a substring match: the full "<...>" id keeps it exact enough.
    return list(client.search(["HEADER", "Message-ID", message_id]))


def _fail(shopper: ShopperConfig, what: str, exc: Exception) -> MailboxError:
    return MailboxError(f"shopper {shopper.name!r}: {what}: {exc}", account=shopper.name)


def save_copies(
    shopper: ShopperConfig, copies: Iterable[tuple[bytes, str, datetime]]
) -> Iterator[str]:
    """APPEND each ``(raw, message_id, when)`` to the Sent folder, marked seen, dated ``when``,
    over one login; yields each Message-ID once its copy is there.

    Idempotent: a copy with the same Message-ID is never filed twice, so a crash between the
    APPEND and recording it only repeats the search.

    :raises MailboxError: when the server cannot be reached or refuses.
    """
    client = connect(shopper)
    try:
        folder = sent_folder(client, shopper)
        client.select_folder(folder)
        for raw, message_id, when in copies:
            if not _search(client, message_id):
                client.append(folder, raw, flags=(imapclient.SEEN,), msg_time=when)
            yield message_id
    except (OSError, IMAPClientError) as exc:
        raise _fail(shopper, "cannot file the inquiry in the Sent folder", exc) from exc
    finally:
        logout(client)


def find_in_sent(shopper: ShopperConfig, message_ids: Iterable[str]) -> dict[str, datetime]:
    """Message-ID -> INTERNALDATE (UTC) of each of ``message_ids`` found in the Sent folder.

    :raises MailboxError: when the server cannot be reached or a command fails.
    """
    client = connect(shopper)
    try:
        client.select_folder(sent_folder(client, shopper), readonly=True)
        found: dict[str, datetime] = {}
        for mid in message_ids:
            uids = _search(client, mid)
            if not uids:
                continue
            data = client.fetch(uids[:1], [b"INTERNALDATE"])
            value = data.get(uids[0], {}).get(b"INTERNALDATE")
            if isinstance(value, datetime):
                utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value
                found[mid] = utc.astimezone(UTC)
        return found
    except (OSError, IMAPClientError) as exc:
        raise _fail(shopper, "cannot search the Sent folder", exc) from exc
    finally:
        logout(client)
