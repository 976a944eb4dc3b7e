"""Shared fixtures: real mail servers on loopback (see mailservers.py)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from dbservers import Postgres, new_root, postgres_unavailable
from mailservers import Dovecot, SmtpSink, dovecot_unavailable
from sqlalchemy.engine import Engine


def pytest_configure(config: pytest.Config) -> None:
    # aiosmtpd itself assigns the deprecated Session.login_data on every successful AUTH.
    config.addinivalue_line(
        "filterwarnings", "ignore:Session.login_data is deprecated:DeprecationWarning"
    )


def pytest_report_header(config: pytest.Config) -> str:
    # CI installs the wheel: this line shows whether tests run against it or the source tree.
    spec = importlib.util.find_spec("mystery_shopper")
    where = spec.origin if spec is not None and spec.origin else "not importable"
    return f"mystery_shopper: {where}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests that use the real Dovecot carry the marker, so `-m "not mailservers"` works.
    for item in items:
        if "dovecot_available" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.mailservers)


_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Keep each phase's report on the item, so fixtures can tell whether the test failed.
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(autouse=True)
def _no_mystery_shopper_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's shell must not leak settings into tests."""
    for name in list(os.environ):
        if name.startswith("MYSTERY_SHOPPER_"):
            monkeypatch.delenv(name)


@pytest.fixture
def dovecot_available() -> None:
    """Skip without Dovecot installed; but CI must have it, so there it fails instead."""
    reason = dovecot_unavailable()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Dovecot is required in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture
def dovecot(
    dovecot_available: None, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Dovecot]:
    """A started private Dovecot (IMAP + LMTP on 127.0.0.1) with no users yet.

    Its data lives in a short /tmp/ms-dv-* directory, not in tmp_path: Dovecot's mail processes
    run as the `dovecot` user and cannot enter pytest's 0700 /tmp/pytest-of-<user> (and short
    paths keep the unix sockets under the 108-byte limit). When the test fails, the Dovecot log
    tail is shown with it; the whole log is kept as tmp_path / "dovecot.log".
    """
    root = Path(tempfile.mkdtemp(prefix="ms-dv-"))
    root.chmod(0o711)
    server = Dovecot(root)
    try:
        server.start()
        yield server
        reports = request.node.stash.get(_REPORTS, {})
        if any(report.failed for report in reports.values()):
            print(server.log_tail(lines=60))
    finally:
        # Killing is ~100x faster than a graceful stop (Dovecot sleeps 1 s while stopping),
        # and nothing reads the mail after the test.
        server.stop(graceful=False)
        if server.log_path.exists():
            shutil.copyfile(server.log_path, tmp_path / "dovecot.log")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A started SMTP server on 127.0.0.1 that records and accepts everything."""
    sink = SmtpSink()
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """One private PostgreSQL cluster for the session (see dbservers.py)."""
    reason = postgres_unavailable()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI: {reason}")
        pytest.skip(reason)
    root = new_root()
    server = Postgres(root)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store's URL: a SQLite file, then a fresh database on the private PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/db.sqlite"
    server: Postgres = request.getfixturevalue("postgres")
    return server.create_database()


@pytest.fixture
def open_store(database_url: str) -> Iterator[Callable[[], Engine]]:
    """Open (and migrate) the store at `database_url`; every engine is disposed afterwards."""
    from mystery_shopper.store import open_engine

    engines: list[Engine] = []

    def opener() -> Engine:
        engines.append(open_engine(database_url))
        return engines[-1]

    yield opener
    for engine in engines:
        engine.dispose()
