"""Incremental, read-only IMAP sync of a shopper's folders (the only user of imapclient).

Per folder: SELECT read-only (EXAMINE), compare UIDVALIDITY with the stored one, search for UIDs
above the stored watermark, drop any at or below it (an ``n:*`` range always returns the last
message), and fetch ``BODY.PEEK[]`` so nothing is marked seen. Each fetched batch is handed to
``on_batch``, which must store the messages and the new watermark in one transaction: a crash then
repeats a batch, never skips one.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import imapclient
from imapclient.exceptions import IMAPClientError

from .auth import credentials
from .config import ShopperConfig
from .errors import MailboxError
from .send import tls_context

__all__ = ("FetchedMessage", "FolderBatch", "FolderState", "connect", "sync_account")

FETCH_ITEMS = [b"BODY.PEEK[]", b"INTERNALDATE", b"RFC822.SIZE"]


@dataclass(frozen=True, slots=True)
class FolderState:
    uidvalidity: int
    last_uid: int


@dataclass(frozen=True, slots=True)
class FetchedMessage:
    uid: int
    raw: bytes
    internal_date: datetime
    detected_at: datetime


@dataclass(frozen=True, slots=True)
class FolderBatch:
    folder: str
    junk: bool
    uidvalidity: int
    last_uid: int
    messages: Sequence[FetchedMessage]
    uidvalidity_changed: bool = False


def connect(shopper: ShopperConfig) -> imapclient.IMAPClient:
    """Log in to the shopper's IMAP server (password or XOAUTH2, see auth.py).

    :raises MailboxError: naming the account when connecting or logging in fails.
    :raises AuthError: when the account's token or password cannot be had.
    """
    cfg = shopper.imap
    where = f"{cfg.host}:{cfg.effective_port}"
    creds = credentials(cfg, account=shopper.name, address=shopper.address)
    ctx = tls_context(cfg.ca_file) if cfg.security != "none" else None
    try:
        client = imapclient.IMAPClient(
            cfg.host,
            port=cfg.effective_port,
            ssl=cfg.security == "tls",
            ssl_context=ctx,
            timeout=imapclient.SocketTimeout(connect=float(cfg.timeout), read=float(cfg.timeout)),
        )
        if cfg.security == "starttls":
            client.starttls(ctx)
    except (OSError, ssl.SSLError, IMAPClientError) as exc:
        raise MailboxError(
            f"shopper {shopper.name!r}: cannot connect to IMAP {where}: {exc}", account=shopper.name
        ) from exc
    try:
        if creds.token is not None:
            client.oauth2_login(creds.username, creds.token)
        else:
            client.login(creds.username, creds.password or "")
    except (OSError, IMAPClientError) as exc:
        _close(client)
        raise MailboxError(
            f"shopper {shopper.name!r}: IMAP login refused by {where}: {exc}", account=shopper.name
        ) from exc
    # Aware datetimes: INTERNALDATE keeps the server's offset instead of becoming naive local time.
    client.normalise_times = False
    return client


def _close(client: imapclient.IMAPClient) -> None:
    try:
        client.logout()
    except (OSError, IMAPClientError):
        try:
            client.shutdown()
        except OSError:
            pass


def _resolve(client: imapclient.IMAPClient, wanted: str) -> tuple[str, bool] | None:
    """``\\Junk`` style names are special-use flags, found with LIST; others are folder names."""
    if wanted.startswith("\\"):
        name = client.find_special_folder(wanted.encode())
        return (name, wanted.lower() == "\\junk") if name else None
    return wanted, False


def _as_utc(value: object) -> datetime:
    if not isinstance(value, datetime):
        return datetime.now(UTC)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sync_folder(
    client: imapclient.IMAPClient,
    folder: str,
    junk: bool,
    state: FolderState | None,
    on_batch: Callable[[FolderBatch], None],
    batch_size: int,
) -> int:
    info = client.select_folder(folder, readonly=True)
    uidvalidity = int(info[b"UIDVALIDITY"])
    changed = state is not None and state.uidvalidity != uidvalidity
    last = state.last_uid if state and not changed else 0
    uids = sorted(u for u in client.search(["UID", f"{last + 1}:*"]) if u > last)
    if changed and not uids:
        on_batch(FolderBatch(folder, junk, uidvalidity, 0, (), uidvalidity_changed=True))
    count = 0
    for start in range(0, len(uids), batch_size):
        chunk = uids[start : start + batch_size]
        data = client.fetch(chunk, FETCH_ITEMS)
        now = datetime.now(UTC)
        messages = [
            FetchedMessage(
                uid=uid,
                raw=bytes(data[uid].get(b"BODY[]") or b""),
                internal_date=_as_utc(data[uid].get(b"INTERNALDATE")),
                detected_at=now,
            )
            # A UID missing from the answer was expunged meanwhile: gone, not an error.
            for uid in chunk
            if uid in data
        ]
        on_batch(
            FolderBatch(folder, junk, uidvalidity, chunk[-1], messages, uidvalidity_changed=changed)
        )
        changed = False
        count += len(messages)
    return count


def sync_account(
    shopper: ShopperConfig,
    states: Mapping[str, FolderState],
    on_batch: Callable[[FolderBatch], None],
    *,
    batch_size: int = 100,
) -> int:
    """Fetch every new message in the shopper's watched folders; returns how many.

    ``states`` maps folder name to the stored position. Folders named by a special-use flag that
    the server does not have are skipped.

    :raises MailboxError: when the server cannot be reached or a command fails.
    """
    client = connect(shopper)
    try:
        total = 0
        for wanted in shopper.folders:
            resolved = _resolve(client, wanted)
            if resolved is None:
                continue
            folder, junk = resolved
            total += _sync_folder(client, folder, junk, states.get(folder), on_batch, batch_size)
        return total
    except (TimeoutError, OSError, IMAPClientError) as exc:
        raise MailboxError(
            f"shopper {shopper.name!r}: IMAP sync failed: {exc}", account=shopper.name
        ) from exc
    finally:
        _close(client)
