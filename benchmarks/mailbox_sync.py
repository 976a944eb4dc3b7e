"""Mailbox sync benchmarks against a private Dovecot on loopback (not run by CI).

    .venv/bin/python benchmarks/mailbox_sync.py            # both, a few minutes
    .venv/bin/python benchmarks/mailbox_sync.py latency    # (a) only
    .venv/bin/python benchmarks/mailbox_sync.py first-sync # (b) only

(a) Detection latency under ``watch``: 50 accounts, one IMAP connection each; a message is
    delivered over LMTP to each account in turn, and the time from LMTP's 250 reply (the message
    is in the mailbox) to the commit of its row is measured. Beside it, in the same run, the same
    accounts watched without IDLE (NOOP polling every 5 s), the baseline a poller gets.
(b) First sync of a 5,000-message mailbox: messages/s and peak RSS of our sync (batched UID FETCH
    of BODY.PEEK[], parse, store in SQLite), of its fetch alone, and of a plain imapclient loop that
    fetches each message's RFC822 one at a time. Each variant runs in its own process, so peak RSS
    (VmHWM) is its own.
Beside (a), the raw floor: a bare imapclient IDLE loop timing LMTP 250 -> "* n EXISTS".
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from mailservers import Dovecot  # noqa: E402

from mystery_shopper.config import Settings  # noqa: E402
from mystery_shopper.store import open_engine, sync_config  # noqa: E402

PASSWORD = "bench-secret"
PASSWORD_ENV = "BENCH_IMAP_PASSWORD"
ACCOUNTS = 50
ROUNDS = 3
MAILBOX_SIZE = 5000


def settings_for(dovecot: Dovecot, accounts: int, db: str, watch: dict[str, object]) -> Settings:
    return Settings.model_validate(
        {
            "database": {"url": f"sqlite:///{db}"},
            "watch": watch,
            "shoppers": [
                {
                    "name": f"s{i}",
                    "address": f"s{i}@shopper.test",
                    "display_name": f"S {i}",
                    "smtp": {"host": "127.0.0.1", "port": 2525, "security": "none"},
                    "imap": {
                        "host": "127.0.0.1",
                        "port": dovecot.imap_port,
                        "security": "none",
                        "password_env": PASSWORD_ENV,
                    },
                }
                for i in range(accounts)
            ],
            "dealerships": [
                {
                    "slug": "acme",
                    "name": "Acme",
                    "inquiry_address": "sales@acme.test",
                    "timezone": "America/Chicago",
                }
            ],
        }
    )


def message(i: int, to: str, size: int = 3000) -> bytes:
    rng = random.Random(i)
    words = " ".join(
        rng.choice(["car", "price", "offer", "trade", "drive", "dealer", "thanks"])
        for _ in range(size // 6)
    )
    return (
        f"From: Sam Lee <sam@acme.test>\r\nTo: {to}\r\nSubject: Re: Price {i}\r\n"
        f"Message-ID: <bench.{i}@acme.test>\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\nHi,\r\n{words}\r\nSam\r\n"
    ).encode()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# -- (a) detection latency --------------------------------------------------------------------


def latency(dovecot: Dovecot, work: Path, *, idle: bool, rounds: int) -> dict[str, float]:
    from mystery_shopper.watch import Watcher

    db = str(work / f"latency-{'idle' if idle else 'poll'}.db")
    watch = {"idle": idle, "poll_seconds": 5 if not idle else 3600, "idle_renew_minutes": 10}
    settings = settings_for(dovecot, ACCOUNTS, db, watch)
    engine = open_engine(settings.database.url)
    sync_config(engine, settings)
    committed: dict[str, float] = {}
    cond = threading.Condition()

    def on_stored(account: str, count: int) -> None:
        with cond:
            committed[account] = time.perf_counter()
            cond.notify_all()

    watcher = Watcher(engine, settings, on_stored=on_stored)
    watcher.start()
    wanted = "idle" if idle else "polling"
    deadline = time.monotonic() + 60
    while any(s.state != wanted for s in watcher.stats.values()):
        if time.monotonic() > deadline:
            raise RuntimeError("watchers did not settle")
        time.sleep(0.05)
    samples: list[float] = []
    # Distinct across runs: a message identical to one stored before is (rightly) not stored.
    n = 100_000 if idle else 200_000
    try:
        for _ in range(rounds):
            delivered: dict[str, float] = {}
            for i in range(ACCOUNTS):
                n += 1
                name = f"s{i}"
                dovecot.deliver(f"s{i}@shopper.test", message(n, f"s{i}@shopper.test"))
                delivered[name] = time.perf_counter()
                time.sleep(0.01 if idle else 0.05)
            with cond:
                ok = cond.wait_for(
                    lambda d=delivered: all(committed.get(a, 0) >= t for a, t in d.items()), 60
                )
            if not ok:
                raise RuntimeError("not every delivery was stored within 60 s")
            samples += [committed[a] - t for a, t in delivered.items()]
    finally:
        watcher.stop()
    ms = [s * 1000 for s in samples]
    return {
        "samples": len(ms),
        "p50_ms": pct(ms, 0.5),
        "p95_ms": pct(ms, 0.95),
        "max_ms": max(ms),
        "mean_ms": statistics.fmean(ms),
    }


def raw_idle_floor(dovecot: Dovecot, samples: int = 20) -> dict[str, float]:
    """LMTP 250 -> the server's EXISTS on a bare IDLE connection: the server's own delay."""
    to = "s0@shopper.test"
    ms = []
    with dovecot.connect(to, PASSWORD) as client:
        client.select_folder("INBOX", readonly=True)
        for k in range(samples):
            client.idle()
            time.sleep(0.05)
            dovecot.deliver(to, message(300_000 + k, to))
            delivered = time.perf_counter()
            while not any(r[1:2] == (b"EXISTS",) for r in client.idle_check(timeout=5)):
                pass
            ms.append((time.perf_counter() - delivered) * 1000)
            client.idle_done()
    return {"samples": len(ms), "p50_ms": pct(ms, 0.5), "p95_ms": pct(ms, 0.95)}


# -- (b) first sync -----------------------------------------------------------------------------


def child(variant: str, port: int, db: str) -> None:
    """Runs in its own process; prints one JSON line."""
    from imapclient import IMAPClient

    from mystery_shopper.inbox import account_ids, process_new, store_batch
    from mystery_shopper.mailbox import Connection, FolderBatch, WatchedFolder

    start = time.perf_counter()
    extra: dict[str, float] = {}
    if variant == "plain-imapclient-rfc822-one-by-one":
        client = IMAPClient("127.0.0.1", port=port, ssl=False)
        client.login("s0@shopper.test", PASSWORD)
        client.select_folder("INBOX", readonly=True)
        count = 0
        for uid in client.search(["ALL"]):
            data = client.fetch([uid], ["RFC822"])
            count += len(data[uid][b"RFC822"]) > 0
        client.logout()
    else:
        dovecot_port = port
        engine = open_engine(f"sqlite:///{db}")
        settings = settings_for(_PortOnly(dovecot_port), 1, db, {})  # type: ignore[arg-type]
        sync_config(engine, settings)
        conn = Connection.open(settings.shoppers[0])
        got = [0]
        if variant == "ours-fetch-only":

            def on_batch(batch: FolderBatch) -> None:
                got[0] += len(batch.messages)
        else:
            acct = account_ids(engine)["s0"]

            def on_batch(batch: FolderBatch) -> None:
                got[0] += len(batch.messages)
                store_batch(engine, acct, batch)

        conn.sync(WatchedFolder("INBOX", False), None, on_batch)
        conn.close()
        count = got[0]
        if variant == "ours-sync-and-store":
            synced = time.perf_counter()
            processed = process_new(engine, settings)
            extra = {
                "sync_and_store_s": synced - start,
                "then_match_classify_s": time.perf_counter() - synced,
                "processed": processed,
            }
    elapsed = time.perf_counter() - start
    peak_kib = _peak_rss_kib()
    print(
        json.dumps(
            {
                "variant": variant,
                "messages": count,
                "seconds": elapsed,
                "msgs_per_s": count / elapsed,
                "peak_rss_mib": peak_kib / 1024,
                **extra,
            }
        )
    )


def _peak_rss_kib() -> int:
    # VmHWM belongs to this process image; ru_maxrss would carry the parent's peak over exec.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class _PortOnly:
    def __init__(self, port: int) -> None:
        self.imap_port = port


def first_sync(dovecot: Dovecot, work: Path) -> list[dict[str, float]]:
    to = "s0@shopper.test"
    with dovecot.connect(to, PASSWORD) as client:
        for start in range(0, MAILBOX_SIZE, 500):
            client.multiappend(
                "INBOX",
                [message(i, to, size=2000 + (i % 7) * 1000) for i in range(start, start + 500)],
            )
    results = []
    env = {**os.environ, PASSWORD_ENV: PASSWORD}
    for variant in (
        "plain-imapclient-rfc822-one-by-one",
        "ours-fetch-only",
        "ours-sync-and-store",
    ):
        db = str(work / f"first-sync-{variant}.db")
        out = subprocess.run(
            [sys.executable, __file__, "_child", variant, str(dovecot.imap_port), db],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def main(argv: list[str]) -> None:
    if argv[:1] == ["_child"]:
        child(argv[1], int(argv[2]), argv[3])
        return
    which = argv[0] if argv else "all"
    os.environ[PASSWORD_ENV] = PASSWORD
    root = Path(tempfile.mkdtemp(prefix="ms-bench-"))
    root.chmod(0o711)
    work = Path(tempfile.mkdtemp(prefix="ms-bench-db-"))
    dovecot = Dovecot(root)
    dovecot.start()
    try:
        for i in range(ACCOUNTS):
            dovecot.add_user(f"s{i}@shopper.test", PASSWORD)
        report: dict[str, object] = {"cpus": os.cpu_count()}
        if which in ("all", "latency"):
            report["latency_idle"] = latency(dovecot, work, idle=True, rounds=ROUNDS)
            report["latency_noop_poll_5s"] = latency(dovecot, work, idle=False, rounds=1)
            report["raw_idle_exists_floor"] = raw_idle_floor(dovecot)
        if which in ("all", "first-sync"):
            report["first_sync"] = first_sync(dovecot, work)
        print(json.dumps(report, indent=2))
    finally:
        dovecot.stop(graceful=False)
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
