"""Incremental, read-only IMAP sync of a shopper's folders.

With :mod:`.imap_login` (which opens the connection), the only user of imapclient.

Per folder: SELECT read-only (EXAMINE), compare UIDVALIDITY with the stored one, search for UIDs
above the stored watermark, drop any at or below it (an ``n:*`` range always returns the last
message), and fetch ``BODY.PEEK[]`` so nothing is marked seen. Each fetched batch is handed to
``on_batch``, which must store the messages and the new watermark in one transaction: a crash then
repeats a batch, never skips one.

`Connection` wraps one logged-in client for one thread (IMAPClient is not thread-safe) and adds
what ``watch`` needs: STATUS UIDNEXT checks of folders that are not selected, NOOP, and an IDLE
wait that tells a closed socket from silence. Every imapclient and socket error is translated to
`MailboxError` here.
"""

from __future__ import annotations

import selectors
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import imapclient
from imapclient.exceptions import IMAPClientError

from .config import ShopperConfig
from .errors import MailboxError
from .imap_login import connect, find_folder, logout

__all__ = (
    "Connection",
    "FetchedMessage",
    "FolderBatch",
    "FolderState",
    "WatchedFolder",
    "sync_account",
)

FETCH_ITEMS = [b"BODY.PEEK[]", b"INTERNALDATE", b"RFC822.SIZE"]
# A batch is cut at this many bytes too, so a mailbox of huge messages cannot exhaust memory.
MAX_BATCH_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FolderState:
    uidvalidity: int
    last_uid: int
    uidnext: int | None = None


@dataclass(frozen=True, slots=True)
class WatchedFolder:
    name: str
    junk: bool


@dataclass(frozen=True, slots=True)
class FetchedMessage:
    uid: int
    raw: bytes
    # None only if the server sent no INTERNALDATE; the store then falls back to Received:.
    internal_date: datetime | None
    detected_at: datetime


@dataclass(frozen=True, slots=True)
class FolderBatch:
    folder: str
    junk: bool
    uidvalidity: int
    last_uid: int
    messages: Sequence[FetchedMessage]
    uidvalidity_changed: bool = False
    # Set on the last batch of a sync only: UIDNEXT may be stored once every UID below it is.
    uidnext: int | None = None


def _as_utc(value: object) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _chunks(
    uids: Sequence[int], sizes: Mapping[int, int], batch_size: int, max_bytes: int
) -> Iterator[list[int]]:
    chunk: list[int] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if chunk and (len(chunk) >= batch_size or total + size > max_bytes):
            yield chunk
            chunk, total = [], 0
        chunk.append(uid)
        total += size
    if chunk:
        yield chunk


def _is_news(response: tuple[object, ...]) -> bool:
    # Keepalives ("* OK Still here") are not news; EXISTS, RECENT, EXPUNGE and FETCH are.
    return not (response and response[0] == b"OK")


def _buffered(client: imapclient.IMAPClient) -> bool:
    """True when imaplib's buffered reader already holds unread server data."""
    reader = getattr(client._imap, "file", None)
    if reader is None:
        return False
    sock = client.socket()
    timeout = sock.gettimeout()
    sock.setblocking(False)
    try:
        return bool(reader.peek(1))
    except (BlockingIOError, ssl.SSLWantReadError):
        return False
    finally:
        sock.settimeout(timeout)


class Connection:
    """One logged-in IMAP connection, owned by one thread.

    Every method may raise `MailboxError`; the connection is then unusable and must be closed.
    """

    def __init__(self, shopper: ShopperConfig, client: imapclient.IMAPClient) -> None:
        self.shopper = shopper
        self._client = client
        self._selected: str | None = None
        self.last_data = time.monotonic()

    @classmethod
    def open(cls, shopper: ShopperConfig) -> Connection:
        """Connect and log in.

        :raises MailboxError: naming the account.
        """
        return cls(shopper, connect(shopper))

    @contextmanager
    def _translate(self, what: str) -> Iterator[None]:
        try:
            yield
        except (OSError, IMAPClientError, ValueError) as exc:
            self._selected = None
            raise MailboxError(
                f"shopper {self.shopper.name!r}: IMAP {what} failed: {exc or type(exc).__name__}",
                account=self.shopper.name,
            ) from exc
        self.last_data = time.monotonic()

    @property
    def supports_idle(self) -> bool:
        with self._translate("CAPABILITY"):
            return b"IDLE" in self._client.capabilities()

    def folders(self) -> list[WatchedFolder]:
        """The configured folders that exist, in config order; flags found with LIST."""
        out = []
        with self._translate("LIST"):
            for wanted in self.shopper.folders:
                name = find_folder(self._client, wanted)
                if name is not None:
                    out.append(WatchedFolder(name, wanted.lower() == "\\junk"))
        return out

    def has_news(self, folder: WatchedFolder, state: FolderState | None) -> bool:
        """STATUS UIDNEXT/UIDVALIDITY of a folder that is not selected (RFC 3501 6.3.10 forbids
        STATUS as a new-mail check on the selected one, which `sync` re-selects instead)."""
        if state is None or state.uidnext is None or folder.name == self._selected:
            return True
        with self._translate(f"STATUS {folder.name}"):
            status = self._client.folder_status(folder.name, [b"UIDNEXT", b"UIDVALIDITY"])
        return (
            int(status[b"UIDVALIDITY"]) != state.uidvalidity
            or int(status[b"UIDNEXT"]) != state.uidnext
        )

    def sync(
        self,
        folder: WatchedFolder,
        state: FolderState | None,
        on_batch: Callable[[FolderBatch], None],
        *,
        batch_size: int = 100,
        max_batch_bytes: int = MAX_BATCH_BYTES,
    ) -> int:
        """Fetch the folder's messages above the stored watermark; returns how many."""
        client = self._client
        with self._translate(f"sync of {folder.name}"):
            info = client.select_folder(folder.name, readonly=True)
            self._selected = folder.name
            uidvalidity = int(info[b"UIDVALIDITY"])
            uidnext = int(info[b"UIDNEXT"]) if b"UIDNEXT" in info else None
            changed = state is not None and state.uidvalidity != uidvalidity
            last = state.last_uid if state and not changed else 0
            self._announced()  # the SELECT's own EXISTS
            count, first = 0, True
            while True:
                uids = sorted(u for u in client.search(["UID", f"{last + 1}:*"]) if u > last)
                # Dovecot announces a message that arrived meanwhile as an EXISTS after the SEARCH
                # results, which then lack it; IDLE would not announce it again. So search until
                # a search finds nothing and nothing new was announced with it.
                announced = self._announced()
                if uids:
                    count += self._fetch_all(
                        folder,
                        uidvalidity,
                        uids,
                        changed,
                        uidnext,
                        on_batch,
                        batch_size,
                        max_batch_bytes,
                    )
                    changed, uidnext, last = False, None, uids[-1]
                elif first and (state is None or changed or state.uidnext != uidnext):
                    on_batch(
                        FolderBatch(
                            folder.name, folder.junk, uidvalidity, last, (), changed, uidnext
                        )
                    )
                    changed, uidnext = False, None
                first = False
                if not uids and not announced:
                    return count

    def _announced(self) -> bool:
        """Whether the server announced messages (EXISTS) since the last call; forgets them."""
        _, data = self._client._imap.response("EXISTS")
        return bool(data) and data != [None]

    def _fetch_all(
        self,
        folder: WatchedFolder,
        uidvalidity: int,
        uids: list[int],
        changed: bool,
        uidnext: int | None,
        on_batch: Callable[[FolderBatch], None],
        batch_size: int,
        max_batch_bytes: int,
    ) -> int:
        sizes = {
            uid: int(item.get(b"RFC822.SIZE", 0))
            for uid, item in self._client.fetch(uids, [b"RFC822.SIZE"]).items()
        }
        chunks = list(_chunks(uids, sizes, batch_size, max_batch_bytes))
        count = 0
        for i, chunk in enumerate(chunks):
            messages = self._fetch(chunk)
            final = i == len(chunks) - 1
            on_batch(
                FolderBatch(
                    folder.name,
                    folder.junk,
                    uidvalidity,
                    chunk[-1],
                    messages,
                    uidvalidity_changed=changed,
                    uidnext=uidnext if final else None,
                )
            )
            changed = False
            count += len(messages)
        return count

    def _fetch(self, chunk: list[int]) -> list[FetchedMessage]:
        data = self._client.fetch(chunk, FETCH_ITEMS)
        now = datetime.now(UTC)
        return [
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

    def noop(self) -> bool:
        """NOOP on the selected folder (the polling fallback); True if the server reported news."""
        with self._translate("NOOP"):
            _, responses = self._client.noop()
        return any(_is_news(r) for r in responses)

    def idle(self, *, until: float, stop: threading.Event, silent_after: float) -> str:
        """IDLE on the selected folder until news, ``until`` (monotonic), silence or ``stop``.

        Returns ``"news"``, ``"renew"``, ``"silent"`` or ``"stopped"``, after leaving IDLE.
        The wait wakes at least once a second to see ``stop``. A readable socket that yields no
        data is a closed connection, which imapclient's ``idle_check`` would report as silence.
        """
        client = self._client
        with self._translate("IDLE"), selectors.DefaultSelector() as sel:
            client.idle()
            sel.register(client.socket(), selectors.EVENT_READ)
            # Dovecot reports mail that arrived before IDLE right after "+ idling", often in the
            # same packet, which imaplib's reader has then buffered where select() cannot see it.
            reason = "news" if _buffered(client) else ""
            while not reason:
                now = time.monotonic()
                if stop.is_set():
                    reason = "stopped"
                elif now >= until:
                    reason = "renew"
                elif now - self.last_data >= silent_after:
                    reason = "silent"
                elif sel.select(timeout=max(0.0, min(1.0, until - now))):
                    responses = client.idle_check(timeout=0)
                    if not responses:
                        raise ConnectionError("socket readable without data: connection closed")
                    bye = next((r for r in responses if r and r[0] == b"BYE"), None)
                    if bye is not None:
                        words = (p.decode("ascii", "replace") for p in bye if isinstance(p, bytes))
                        raise ConnectionError("server said " + " ".join(words))
                    self.last_data = time.monotonic()
                    if any(_is_news(r) for r in responses):
                        reason = "news"
            client.idle_done()
        return reason

    def abort(self) -> None:
        """Cut the socket from another thread (the watchdog), so a blocked read fails at once.

        The only cross-thread use of the connection: shutting a socket down is safe while
        another thread reads it.
        """
        try:
            self._client.socket().shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def close(self) -> None:
        logout(self._client)


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
    conn = Connection.open(shopper)
    try:
        return sum(
            conn.sync(folder, states.get(folder.name), on_batch, batch_size=batch_size)
            for folder in conn.folders()
        )
    finally:
        conn.close()
