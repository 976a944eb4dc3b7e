"""`watch` against a real Dovecot: IDLE delivery, Junk, server restart, a frozen server, SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from mailservers import Dovecot
from sqlalchemy.engine import Engine
from syncsupport import (
    PASSWORD,
    PASSWORD_ENV,
    add_inquiry,
    dispose_opened,
    reply,
    setup,
    shopper_address,
    stored,
    wait_until,
)

from mystery_shopper.alert import findings
from mystery_shopper.config import Settings
from mystery_shopper.errors import MailboxError
from mystery_shopper.mailbox import Connection, WatchedFolder
from mystery_shopper.report import build_report
from mystery_shopper.watch import AccountStats, Watcher, _Watchdog

SHOPPER = shopper_address(0)
INQUIRY_ID = "<inq.1@shopper.test>"
# Periodic checks far in the future: whatever arrives in INBOX can only be seen through IDLE.
IDLE_ONLY = "poll_seconds = 3600\nidle_renew_minutes = 29\nbackoff_max_seconds = 1"


@pytest.fixture(autouse=True)
def _password_then_close_engines(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    yield
    dispose_opened()


@contextmanager
def watching(engine: Engine, settings: Settings) -> Iterator[Watcher]:
    watcher = Watcher(engine, settings)
    watcher.start()
    try:
        wait_until("the watcher to enter IDLE", lambda: _all(watcher, "idle"))
        yield watcher
    finally:
        watcher.stop(timeout=15)
    assert all(s.state == "stopped" for s in watcher.stats.values())


def _all(watcher: Watcher, state: str) -> bool:
    return all(s.state == state for s in watcher.stats.values())


def test_reply_delivered_by_lmtp_is_stored_and_matched_through_idle(
    dovecot: Dovecot, tmp_path: Path
) -> None:
    _, settings, engine = setup(dovecot, tmp_path, watch=IDLE_ONLY)
    inquiry = add_inquiry(engine, "s0", INQUIRY_ID, datetime.now(UTC) - timedelta(minutes=5))
    with watching(engine, settings) as watcher:
        dovecot.deliver(SHOPPER, reply(SHOPPER, INQUIRY_ID, message_id="<r1@acme.test>"))
        wait_until("the reply to be stored and matched", lambda: _kinds(engine) == ["personal"])
        assert watcher.stats["s0"].connects == 1
    (row,) = stored(engine)
    assert (row.folder, row.junk, row.inquiry_id, row.match_method) == (
        "INBOX",
        False,
        inquiry,
        "message_id",
    )
    # received_at is the server's INTERNALDATE; the Received: time and detection are kept too.
    assert row.received_header_at is not None
    assert abs((row.received_at - row.received_header_at).total_seconds()) <= 1
    assert row.detected_at >= row.received_at - timedelta(seconds=1)
    assert row.date_header_at is not None


def _kinds(engine: Engine) -> list[str | None]:
    return [r.kind for r in stored(engine)]


def test_reply_in_junk_is_found_by_the_periodic_check_and_is_a_finding(
    dovecot: Dovecot, tmp_path: Path
) -> None:
    _, settings, engine = setup(dovecot, tmp_path, watch="poll_seconds = 0.3")
    sent = datetime.now(UTC) - timedelta(minutes=5)
    inquiry = add_inquiry(engine, "s0", INQUIRY_ID, sent)
    with watching(engine, settings):
        dovecot.append(
            SHOPPER, PASSWORD, "Junk", reply(SHOPPER, INQUIRY_ID, message_id="<j1@acme.test>")
        )
        wait_until("the Junk reply to be stored", lambda: _kinds(engine) == ["personal"])
    (row,) = stored(engine)
    assert (row.folder, row.junk, row.inquiry_id) == ("Junk", True, inquiry)
    report = build_report(engine, settings, datetime.now(UTC))
    (line,) = report.inquiries
    assert line.replies_in_junk == 1
    assert "junk" in {f.kind for f in findings(report.inquiries, settings, datetime.now(UTC))}


@pytest.mark.parametrize(
    "graceful",
    [
        # SIGTERM: Dovecot's imap process may outlive its master and keep serving IDLE for a
        # while (then it says BYE): nothing may be lost either way.
        pytest.param(True, id="graceful"),
        # SIGKILL: the socket just closes; IDLE sees a readable socket without data (EOF).
        pytest.param(False, id="killed-EOF"),
    ],
)
def test_dovecot_restart_during_idle_loses_nothing(
    dovecot: Dovecot, tmp_path: Path, graceful: bool
) -> None:
    _, settings, engine = setup(dovecot, tmp_path, watch=IDLE_ONLY)
    with watching(engine, settings) as watcher:
        dovecot.deliver(SHOPPER, reply(SHOPPER, None, message_id="<before@acme.test>"))
        wait_until("the first message", lambda: len(stored(engine)) == 1)
        dovecot.stop(graceful=graceful)
        if not graceful:
            wait_until("the watcher to notice", lambda: watcher.stats["s0"].failures >= 1)
        # Delivered right after the restart: while the watcher is still backing off (killed),
        # or while it is connected to the old process (graceful).
        dovecot.start()
        dovecot.deliver(SHOPPER, reply(SHOPPER, None, message_id="<during@acme.test>"))
        if not graceful:
            wait_until("the reconnect", lambda: watcher.stats["s0"].connects >= 2)
        dovecot.deliver(SHOPPER, reply(SHOPPER, None, message_id="<after@acme.test>"))
        wait_until("all three messages", lambda: len(stored(engine)) == 3, timeout=30)
    ids = sorted(r.message_id for r in stored(engine))
    assert ids == ["<after@acme.test>", "<before@acme.test>", "<during@acme.test>"]


def test_without_idle_the_inbox_is_polled_with_noop(dovecot: Dovecot, tmp_path: Path) -> None:
    _, settings, engine = setup(dovecot, tmp_path, watch="idle = false\npoll_seconds = 0.2")
    watcher = Watcher(engine, settings)
    watcher.start()
    try:
        wait_until("the watcher to poll", lambda: _all(watcher, "polling"))
        dovecot.deliver(SHOPPER, reply(SHOPPER, None, message_id="<p1@acme.test>"))
        dovecot.append(SHOPPER, PASSWORD, "Junk", reply(SHOPPER, None, message_id="<p2@acme.test>"))
        wait_until("both messages", lambda: len(stored(engine)) == 2)
    finally:
        watcher.stop()
    assert watcher.stats["s0"].connects == 1 and watcher.stats["s0"].failures == 0


def test_uidvalidity_change_under_watch_counts_no_reply_twice(
    dovecot: Dovecot, tmp_path: Path
) -> None:
    _, settings, engine = setup(dovecot, tmp_path, watch=IDLE_ONLY)
    add_inquiry(engine, "s0", INQUIRY_ID, datetime.now(UTC) - timedelta(minutes=5))
    with watching(engine, settings) as watcher:
        dovecot.deliver(SHOPPER, reply(SHOPPER, INQUIRY_ID, message_id="<u1@acme.test>"))
        wait_until("the first reply", lambda: len(stored(engine)) == 1)
        with dovecot.connect(SHOPPER, PASSWORD) as client:
            old = int(client.folder_status("INBOX", [b"UIDVALIDITY"])[b"UIDVALIDITY"])
        dovecot.set_uidvalidity(SHOPPER, "INBOX", old + 50)
        dovecot.deliver(SHOPPER, reply(SHOPPER, INQUIRY_ID, message_id="<u2@acme.test>"))
        wait_until("the second reply", lambda: len(stored(engine)) == 2, timeout=30)
        wait_until("the rescan", lambda: watcher.stats["s0"].uidvalidity_changes == 1)
    assert sorted(r.uidvalidity for r in stored(engine)) == [old, old + 50]
    (line,) = build_report(engine, settings, datetime.now(UTC)).inquiries
    assert line.replies == {"personal": 2}


def _imap_processes(dovecot: Dovecot) -> list[int]:
    """PIDs of this Dovecot's per-connection `imap` processes (children of its master)."""
    procs = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            ppid = int(Path(f"/proc/{entry}/stat").read_text().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        procs[int(entry)] = (cmdline, ppid)
    conf = str(dovecot.conf_path).encode()
    masters = {pid for pid, (cmd, _) in procs.items() if conf in cmd and b"doveadm" not in cmd[0]}
    return [
        pid
        for pid, (cmd, ppid) in procs.items()
        # Titled "<instance_name>/imap" (imap-login is a separate process).
        if ppid in masters and cmd[0].endswith(b"/imap")
    ]


def test_a_silent_frozen_server_is_probed_and_left(dovecot: Dovecot, tmp_path: Path) -> None:
    # A silent connection is probed after 1 s; the probe times out after the IMAP timeout (5 s).
    _, settings, engine = setup(dovecot, tmp_path, watch=IDLE_ONLY + "\nsilent_seconds = 1")
    with watching(engine, settings) as watcher:
        frozen = _imap_processes(dovecot)
        assert frozen, "no imap process found for the watcher's connection"
        for pid in frozen:
            os.kill(pid, signal.SIGSTOP)  # the server process stops answering, socket stays open
        try:
            wait_until("a reconnect", lambda: watcher.stats["s0"].connects >= 2, timeout=30)
            dovecot.deliver(SHOPPER, reply(SHOPPER, None, message_id="<thawed@acme.test>"))
            wait_until("the message", lambda: len(stored(engine)) == 1)
        finally:
            for pid in frozen:
                os.kill(pid, signal.SIGCONT)
    assert watcher.stats["s0"].failures >= 1


def test_watchdog_cuts_a_step_that_hangs_past_its_deadline(
    dovecot: Dovecot, tmp_path: Path
) -> None:
    # The socket timeout (60 s) would wait much longer than the step's deadline (0.5 s).
    _, settings, _ = setup(dovecot, tmp_path, imap_timeout=60)
    conn = Connection.open(settings.shoppers[0])
    stop = threading.Event()
    watchdog = _Watchdog(stop)
    watchdog.start()
    stats = AccountStats("s0")
    frozen = _imap_processes(dovecot)
    assert frozen
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    try:
        with pytest.raises(MailboxError, match="IMAP sync of INBOX failed"):
            with watchdog.guard(conn, stats, 0.5):
                conn.sync(WatchedFolder("INBOX", False), None, lambda batch: None)
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
        stop.set()
        conn.close()
    assert stats.watchdog_cuts == 1


def test_watch_command_stops_cleanly_on_sigterm(dovecot: Dovecot, tmp_path: Path) -> None:
    config, _, engine = setup(dovecot, tmp_path, watch=IDLE_ONLY)
    env = {**os.environ, PASSWORD_ENV: PASSWORD}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mystery_shopper", "-c", str(config), "watch"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        dovecot.deliver(SHOPPER, reply(SHOPPER, None, message_id="<w1@acme.test>"))
        wait_until("the message", lambda: [r.kind is not None for r in stored(engine)] == [True])
        time.sleep(0.5)  # let it go back into IDLE
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err.decode()
    assert b"s0: stored 1, connects 1, failures 0" in out
    assert PASSWORD.encode() not in out + err
