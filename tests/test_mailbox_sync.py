"""Sync correctness against a real Dovecot: watermarks, UIDVALIDITY changes, duplicates, folders,
hostile mail, and a poll killed with SIGKILL half-way."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from mailservers import Dovecot
from sqlalchemy import Engine, text
from sqlmodel import select
from syncsupport import (
    PASSWORD,
    PASSWORD_ENV,
    add_inquiry,
    bulk_append,
    dispose_opened,
    reply,
    setup,
    shopper_address,
    stored,
)

from mystery_shopper.inbox import poll
from mystery_shopper.mailbox import Connection, FolderBatch, WatchedFolder
from mystery_shopper.models import MailboxState
from mystery_shopper.report import build_report
from mystery_shopper.store import session_scope

SHOPPER = shopper_address(0)
INQUIRY_ID = "<inq.1@shopper.test>"


@pytest.fixture(autouse=True)
def _password_then_close_engines(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    yield
    dispose_opened()


def _mailbox_state(engine: object, folder: str = "INBOX") -> MailboxState:
    with session_scope(engine) as session:  # type: ignore[arg-type]
        return session.exec(select(MailboxState).where(MailboxState.folder == folder)).one()


def test_second_poll_fetches_nothing_although_n_star_returns_the_last_message(
    dovecot: Dovecot, tmp_path: Path, database_url: str
) -> None:
    _, settings, engine = setup(dovecot, tmp_path, db_url=database_url)
    dovecot.deliver(SHOPPER, reply(SHOPPER, None, message_id="<a@acme.test>"))
    first = poll(engine, settings)
    assert (first.fetched, first.stored, first.errors) == (1, 1, [])
    # "UID SEARCH 2:*" answers UID 1 (RFC 3501 6.4.8): it must be dropped, not fetched again.
    again = poll(engine, settings)
    assert (again.fetched, again.stored, again.errors) == (0, 0, [])
    state = _mailbox_state(engine)
    assert (state.last_uid, state.uidnext) == (1, 2)
    # Read-only: nothing was marked \\Seen.
    with dovecot.connect(SHOPPER, PASSWORD) as client:
        client.select_folder("INBOX", readonly=True)
        assert client.search(["UNSEEN"]) == [1]


def test_received_at_is_the_servers_internaldate_not_the_time_of_polling(
    dovecot: Dovecot, tmp_path: Path, database_url: str
) -> None:
    _, settings, engine = setup(dovecot, tmp_path, db_url=database_url)
    arrived = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    raw = reply(SHOPPER, None, message_id="<old@acme.test>")
    dovecot.append(SHOPPER, PASSWORD, "INBOX", raw, msg_time=arrived)
    before = datetime.now(UTC)
    poll(engine, settings)
    (row,) = stored(engine)
    assert row.received_at == arrived
    assert row.detected_at >= before - timedelta(seconds=1)


def test_uidvalidity_change_rescans_without_counting_any_reply_twice(
    dovecot: Dovecot, tmp_path: Path, database_url: str
) -> None:
    _, settings, engine = setup(dovecot, tmp_path, db_url=database_url)
    inquiry = add_inquiry(engine, "s0", INQUIRY_ID, datetime.now(UTC) - timedelta(minutes=5))
    for n in (1, 2):
        dovecot.deliver(SHOPPER, reply(SHOPPER, INQUIRY_ID, message_id=f"<r{n}@acme.test>"))
    assert poll(engine, settings).stored == 2
    old = _mailbox_state(engine).uidvalidity

    dovecot.set_uidvalidity(SHOPPER, "INBOX", old + 1000)
    dovecot.deliver(SHOPPER, reply(SHOPPER, INQUIRY_ID, message_id="<r3@acme.test>"))
    result = poll(engine, settings)
    # All three UIDs are fetched again under the new UIDVALIDITY; only the new message is stored.
    assert (result.fetched, result.stored) == (3, 1)
    assert len(result.warnings) == 1 and "UIDVALIDITY" in result.warnings[0]
    state = _mailbox_state(engine)
    assert (state.uidvalidity, state.uidvalidity_changes) == (old + 1000, 1)
    assert state.uidvalidity_changed_at is not None
    assert sorted(r.message_id for r in stored(engine)) == [
        "<r1@acme.test>",
        "<r2@acme.test>",
        "<r3@acme.test>",
    ]
    (row,) = build_report(engine, settings, datetime.now(UTC)).inquiries
    assert row.id == inquiry and row.replies == {"personal": 3}
    # And the next poll is incremental again.
    assert poll(engine, settings).fetched == 0


def test_uidvalidity_change_of_an_empty_folder_is_recorded(
    dovecot: Dovecot, tmp_path: Path, database_url: str
) -> None:
    _, settings, engine = setup(dovecot, tmp_path, db_url=database_url)
    poll(engine, settings)
    old = _mailbox_state(engine, "Junk").uidvalidity
    dovecot.set_uidvalidity(SHOPPER, "Junk", old + 7)
    assert poll(engine, settings).warnings
    state = _mailbox_state(engine, "Junk")
    assert (state.uidvalidity, state.uidvalidity_changes) == (old + 7, 1)


def test_same_message_twice_and_in_junk_is_stored_once_per_folder_and_counted_once(
    dovecot: Dovecot, tmp_path: Path, database_url: str
) -> None:
    _, settings, engine = setup(dovecot, tmp_path, db_url=database_url)
    sent = datetime.now(UTC) - timedelta(minutes=5)
    add_inquiry(engine, "s0", INQUIRY_ID, sent)
    raw = reply(SHOPPER, INQUIRY_ID, message_id="<dup@acme.test>")
    # Two LMTP deliveries (each gets its own Received: header) and a copy in Junk.
    dovecot.deliver(SHOPPER, raw)
    dovecot.deliver(SHOPPER, raw)
    dovecot.append(SHOPPER, PASSWORD, "Junk", raw)
    result = poll(engine, settings)
    assert (result.fetched, result.stored) == (3, 2)
    rows = stored(engine)
    assert sorted((r.folder, r.junk) for r in rows) == [("INBOX", False), ("Junk", True)]
    assert all(r.kind == "personal" for r in rows)
    (line,) = build_report(engine, settings, datetime.now(UTC)).inquiries
    assert line.replies == {"personal": 1}


def _corpus() -> dict[str, bytes]:
    """Hostile and broken messages, written for this test."""
    big = base64.encodebytes(os.urandom(6 * 1024 * 1024))
    return {
        "no-message-id": (
            b"From: sam@acme.test\r\nSubject: Re: Price of the RAV4\r\n\r\nHi there\r\n"
        ),
        "outlook-id": (
            b"From: Sam <sam@acme.test>\r\nMessage-ID: <[0f1e2d3c@acme.test]>\r\n"
            b"In-Reply-To: <inq.1@shopper.test>\r\nSubject: Re: Price\r\n\r\nYes, in stock.\r\n"
        ),
        "broken-mime": (
            b"From: x@elsewhere.test\r\nMessage-ID: <broken@elsewhere.test>\r\n"
            b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="zz"\r\n\r\n'
            b"--zz\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            b'!!!not base64!!!\r\n--zz\r\nContent-Type: text/html; charset="\r\n\r\n<p>cut'
        ),
        "bad-charset": (
            b"From: =?x-unknown?q?Caf=E9?= <promo@elsewhere.test>\r\n"
            b"Subject: =?utf-8?b?broken!!?= \xe9t\xe9\r\nMessage-ID: <cs@elsewhere.test>\r\n"
            b'Content-Type: text/plain; charset="x-no-such-charset"\r\n'
            b"Content-Transfer-Encoding: 8bit\r\n\r\nPrix sp\xe9cial \xff\xfe\r\n"
        ),
        "garbage-headers": (
            b"this is not a header\r\nFrom:\r\nDate: not a date\r\nReceived: nonsense; 99 Foo\r\n"
            b"\r\nbody\r\n"
        ),
        "huge-part": (
            b"From: sam@acme.test\r\nMessage-ID: <huge@acme.test>\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
            b"Content-Type: text/plain\r\n\r\nBrochure attached.\r\n--b\r\n"
            b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + big
            + b"\r\n--b--\r\n"
        ),
    }


def test_malformed_mail_is_stored_with_its_raw_bytes_and_matched_or_unrelated(
    dovecot: Dovecot, tmp_path: Path, database_url: str
) -> None:
    _, settings, engine = setup(dovecot, tmp_path, db_url=database_url)
    inquiry = add_inquiry(engine, "s0", INQUIRY_ID, datetime.now(UTC) - timedelta(minutes=5))
    corpus = _corpus()
    with dovecot.connect(SHOPPER, PASSWORD) as client:
        for raw in corpus.values():
            client.append("INBOX", raw)
        client.select_folder("INBOX", readonly=True)
        served = [
            v[b"BODY[]"]
            for _, v in sorted(client.fetch([1, 2, 3, 4, 5, 6], ["BODY.PEEK[]"]).items())
        ]
    result = poll(engine, settings)
    assert result.errors == [] and result.stored == len(corpus) == result.processed
    rows = {name: row for name, row in zip(corpus, stored(engine), strict=True)}
    assert [r.raw for r in rows.values()] == served  # byte for byte what the server holds
    assert all(r.kind is not None for r in rows.values())
    assert rows["no-message-id"].message_id.endswith("@synthetic.invalid>")
    assert rows["outlook-id"].message_id == "<[0f1e2d3c@acme.test]>"
    assert (rows["outlook-id"].inquiry_id, rows["outlook-id"].match_method) == (
        inquiry,
        "message_id",
    )
    assert rows["no-message-id"].inquiry_id == inquiry  # the dealership's domain
    assert rows["huge-part"].inquiry_id == inquiry and rows["huge-part"].size > 8_000_000
    assert rows["broken-mime"].parse_error is not None
    for name in ("broken-mime", "bad-charset", "garbage-headers"):
        assert rows[name].kind == "unrelated" and rows[name].inquiry_id is None, name


def test_batches_are_cut_by_size_so_huge_messages_do_not_pile_up(
    dovecot: Dovecot, tmp_path: Path
) -> None:
    _, settings, _ = setup(dovecot, tmp_path)
    body = b"x" * 400_000 + b"\r\n"
    bulk_append(
        dovecot,
        SHOPPER,
        "INBOX",
        [b"Subject: big %d\r\n\r\n" % i + body for i in range(10)],
    )
    batches: list[FolderBatch] = []
    conn = Connection.open(settings.shoppers[0])
    try:
        count = conn.sync(
            WatchedFolder("INBOX", False), None, batches.append, max_batch_bytes=1_000_000
        )
    finally:
        conn.close()
    assert count == 10
    assert [len(b.messages) for b in batches] == [2, 2, 2, 2, 2]
    # Only the last batch may record UIDNEXT: a crash after an earlier one must not skip the rest.
    assert [b.uidnext for b in batches] == [None, None, None, None, 11]
    assert [b.last_uid for b in batches] == [2, 4, 6, 8, 10]


def test_poll_killed_mid_sync_then_run_again_stores_every_message_exactly_once(
    dovecot: Dovecot, tmp_path: Path, database_url: str
) -> None:
    config, _, engine = setup(dovecot, tmp_path, db_url=database_url)
    total = 3000
    filler = b"Dear customer, " * 200
    bulk_append(
        dovecot,
        SHOPPER,
        "INBOX",
        [
            b"From: sam@acme.test\r\nMessage-ID: <bulk.%d@acme.test>\r\nSubject: n%d\r\n\r\n%s\r\n"
            % (i, i, filler)
            for i in range(total)
        ],
    )
    cmd = [sys.executable, "-m", "mystery_shopper", "-c", str(config), "poll"]
    env = {**os.environ, PASSWORD_ENV: PASSWORD}
    # The context manager closes the pipes; a killed child leaves them to us.
    with subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        try:
            at_kill = _wait_for_rows(engine, proc)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        finally:
            if proc.poll() is None:
                proc.kill()
    after_kill = _count(engine)
    assert 0 < after_kill < total, f"the kill did not land mid-sync ({at_kill}, {after_kill})"

    again = subprocess.run(cmd, env=env, capture_output=True, timeout=300, check=False)
    assert again.returncode == 0, again.stderr.decode()
    rows = stored(engine)
    assert len(rows) == total
    assert sorted(r.uid for r in rows) == list(range(1, total + 1))
    assert len({r.message_id for r in rows}) == total
    assert all(r.kind is not None for r in rows)


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM received_message")).scalar_one())


def _wait_for_rows(engine: Engine, proc: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"poll ended before it was killed: {proc.returncode}")
        if (n := _count(engine)) > 0:
            return n
        time.sleep(0.005)
    raise AssertionError("poll stored nothing within 60 s")
