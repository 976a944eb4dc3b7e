"""Watch shopper mailboxes continuously: one thread and one IMAP connection per account.

How an account is watched (the connection budget is one per account, well inside Gmail's 15 and
Dovecot's default 10 per user and IP, so the shopper can still use the mailbox):

1. Connect and log in; resolve the configured folders (special-use flags with LIST).
2. Catch up: a UID sync of every folder. This runs after every (re)connect and every wake-up:
   IDLE only lowers latency, the UID watermark in the database is the source of truth.
3. IDLE on the first folder (INBOX). The wait ends on news, after ``watch.idle_renew_minutes``
   (IDLE is re-issued at least that often), when the connection has been silent for
   ``watch.silent_seconds`` (the watchdog's probe: the catch-up's round trips must be answered),
   when the other folders are due, or on stop. The other folders (Junk, Gmail's All Mail) are
   checked every ``watch.poll_seconds`` with STATUS UIDNEXT while INBOX stays selected, and
   synced only when it changed. A server without IDLE gets NOOP every ``watch.poll_seconds``.
4. Any failure closes the connection and reconnects after a jittered exponential backoff.

A watchdog thread guards every blocking step with a deadline and cuts the socket of a step that
overruns it, for the hangs socket timeouts miss (imapclient #403, #449). Threads are plain
``threading.Thread`` s, never the default executor, whose few workers long waits would starve.
Database writes go through one lock: SQLite has a single writer anyway.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from .config import Settings, ShopperConfig
from .errors import MailboxError, MysteryShopperError
from .inbox import account_ids, load_states, process_new, store_batch, uidvalidity_warning
from .mailbox import Connection, FolderBatch, WatchedFolder

__all__ = ("AccountStats", "Backoff", "Watcher")

log = logging.getLogger(__name__)

# The step most likely to take long is a first sync of a big folder: many batches, each bounded
# by the socket timeout per read. The watchdog allows this many timeouts for one folder's sync.
SYNC_DEADLINE_TIMEOUTS = 20


@dataclass
class AccountStats:
    """What one account's watcher has done, for logs and tests (observability)."""

    name: str
    state: str = "starting"  # starting | connecting | syncing | idle | polling | backoff | stopped
    connects: int = 0
    failures: int = 0
    watchdog_cuts: int = 0
    uidvalidity_changes: int = 0
    stored: int = 0
    idle_supported: bool | None = None
    last_error: str | None = None


class Backoff:
    """Exponential backoff with jitter: 1 s, 2 s, 4 s ... up to ``cap``, each between half and
    all of that, so accounts that lost the same server do not come back in lockstep."""

    def __init__(self, cap: float, rng: random.Random, first: float = 1.0) -> None:
        self.cap, self.first, self._rng, self._failures = cap, first, rng, 0

    def next(self) -> float:
        ceiling: float = min(self.cap, self.first * 2.0 ** min(self._failures, 30))
        self._failures += 1
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def reset(self) -> None:
        self._failures = 0


class _Watchdog:
    """Cuts the connection of any guarded step that overruns its deadline."""

    def __init__(self, stop: threading.Event) -> None:
        self._stop = stop
        self._lock = threading.Lock()
        self._guards: dict[str, tuple[float, Connection, AccountStats]] = {}
        self._thread = threading.Thread(target=self._run, name="watch-watchdog", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    @contextmanager
    def guard(self, conn: Connection, stats: AccountStats, seconds: float) -> Iterator[None]:
        with self._lock:
            self._guards[stats.name] = (time.monotonic() + seconds, conn, stats)
        try:
            yield
        finally:
            with self._lock:
                self._guards.pop(stats.name, None)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            now = time.monotonic()
            with self._lock:
                overdue = [(k, c, s) for k, (t, c, s) in self._guards.items() if now > t]
                for key, _, _ in overdue:
                    del self._guards[key]
            for _, conn, stats in overdue:
                stats.watchdog_cuts += 1
                log.warning("%s: IMAP step overran its deadline; cutting it", stats.name)
                conn.abort()


class Watcher:
    """Watches every configured shopper account until ``stop`` is set.

    ``on_stored(account, count)`` is called after each commit that stored new messages.
    """

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        stop: threading.Event | None = None,
        on_stored: Callable[[str, int], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.engine, self.settings = engine, settings
        self.stop_event = stop or threading.Event()
        self.on_stored = on_stored
        self.writer_lock = threading.Lock()
        self.stats = {s.name: AccountStats(s.name) for s in settings.shoppers}
        self._rng = rng or random.Random()
        self._watchdog = _Watchdog(self.stop_event)
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start one thread per account (and the watchdog); returns at once."""
        ids = account_ids(self.engine)
        # Messages a crashed run stored but never processed.
        self.process()
        self._watchdog.start()
        for shopper in self.settings.shoppers:
            account = _Account(self, shopper, ids[shopper.name])
            thread = threading.Thread(target=account.run, name=f"watch-{shopper.name}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask every thread to stop and wait for them (each leaves IDLE and logs out)."""
        self.stop_event.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._watchdog.join(1.0)

    def run(self) -> None:
        """Start, block until ``stop_event`` is set (e.g. by a signal handler), then stop."""
        self.start()
        # Short waits: the main thread must keep running Python code for signal handlers.
        while not self.stop_event.wait(0.5):
            pass
        self.stop()

    def process(self) -> None:
        with self.writer_lock:
            process_new(self.engine, self.settings)


class _Account:
    def __init__(self, watcher: Watcher, shopper: ShopperConfig, shopper_id: int) -> None:
        self.w, self.shopper, self.shopper_id = watcher, shopper, shopper_id
        self.stats = watcher.stats[shopper.name]
        self.cfg = watcher.settings.watch
        self.timeout = float(shopper.imap.timeout)
        self.stop = watcher.stop_event
        self._stored = 0

    def run(self) -> None:
        backoff = Backoff(float(self.cfg.backoff_max_seconds), self.w._rng)
        while not self.stop.is_set():
            conn: Connection | None = None
            try:
                self.stats.state = "connecting"
                conn = Connection.open(self.shopper)
                self.stats.connects += 1
                self._serve(conn, backoff)
            except Exception as exc:  # the thread must outlive any failure, and retry
                if conn is not None:
                    conn.close()
                    conn = None
                self.stats.failures += 1
                self.stats.last_error = str(exc)
                delay = backoff.next()
                if isinstance(exc, MysteryShopperError):
                    log.warning("%s; reconnecting in %.1f s", exc, delay)
                else:
                    log.exception("%s: failed; retrying in %.1f s", self.shopper.name, delay)
                self.stats.state = "backoff"
                self.stop.wait(delay)
            finally:
                if conn is not None:
                    conn.close()
        self.stats.state = "stopped"

    def _serve(self, conn: Connection, backoff: Backoff) -> None:
        folders = conn.folders()
        if not folders:
            raise MailboxError(
                f"shopper {self.shopper.name!r}: none of the folders {self.shopper.folders} exist",
                account=self.shopper.name,
            )
        primary, others = folders[0], folders[1:]
        self.stats.idle_supported = conn.supports_idle
        idle = self.stats.idle_supported and self.cfg.idle
        # Catch-up after (re)connect; the primary folder last, so it is selected for IDLE.
        self._sync(conn, [*others, primary])
        backoff.reset()
        renew = float(self.cfg.idle_renew_minutes) * 60
        poll = float(self.cfg.poll_seconds)
        next_others = time.monotonic() + poll
        next_full = time.monotonic() + renew
        while not self.stop.is_set():
            now = time.monotonic()
            if idle:
                until = min(now + renew, next_others) if others else now + renew
                self.stats.state = "idle"
                with self.w._watchdog.guard(conn, self.stats, until - now + 2 * self.timeout):
                    reason = conn.idle(
                        until=until, stop=self.stop, silent_after=float(self.cfg.silent_seconds)
                    )
                if reason == "stopped":
                    return
                if reason == "silent":
                    log.info("%s: IMAP connection silent; probing", self.shopper.name)
                news = True
            else:
                self.stats.state = "polling"
                if self.stop.wait(poll):
                    return
                with self.w._watchdog.guard(conn, self.stats, 2 * self.timeout):
                    news = conn.noop() or time.monotonic() >= next_full
                if news:
                    next_full = time.monotonic() + renew
            due: list[WatchedFolder] = []
            checked = bool(others) and time.monotonic() >= next_others
            if checked:
                states = load_states(self.w.engine, self.shopper_id)
                with self.w._watchdog.guard(conn, self.stats, 2 * self.timeout * len(others)):
                    due = [f for f in others if conn.has_news(f, states.get(f.name))]
                next_others = time.monotonic() + poll
            if news or checked:
                # The primary folder last: it ends selected, and its final UID SEARCH is the last
                # command before IDLE, so no EXISTS can hide in an answer we did not read.
                self._sync(conn, [*due, primary])

    def _sync(self, conn: Connection, folders: Sequence[WatchedFolder]) -> None:
        self.stats.state = "syncing"
        states = load_states(self.w.engine, self.shopper_id)
        self._stored = 0
        for folder in folders:
            with self.w._watchdog.guard(conn, self.stats, SYNC_DEADLINE_TIMEOUTS * self.timeout):
                conn.sync(folder, states.get(folder.name), self._on_batch)
        if self._stored:
            # Match and classify at once, so a reply is reported as promptly as it is stored.
            self.w.process()

    def _on_batch(self, batch: FolderBatch) -> None:
        with self.w.writer_lock:
            stored = store_batch(self.w.engine, self.shopper_id, batch)
        if batch.uidvalidity_changed:
            self.stats.uidvalidity_changes += 1
            log.warning(
                uidvalidity_warning(self.w.engine, self.shopper_id, self.shopper.name, batch)
            )
        if stored:
            self._stored += stored
            self.stats.stored += stored
            if self.w.on_stored is not None:
                self.w.on_stored(self.shopper.name, stored)
