"""Real mail servers on loopback for the tests: no mocks.

- `Dovecot`: a private Dovecot 2.3 instance (IMAP + LMTP) living in one directory, playing the
  shopper's mailbox provider. Mail arrives by real LMTP delivery (real Received header,
  INTERNALDATE = delivery time) or by IMAP APPEND with a chosen INTERNALDATE.
- `SmtpSink`: an aiosmtpd server playing a dealership's mail server, with hooks to inject
  4xx/5xx replies, dropped connections, AUTH and TLS.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import math
import os
import pwd
import re
import shutil
import signal
import smtplib
import socket
import ssl
import stat
import subprocess
import tempfile
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from imapclient import IMAPClient

LOOPBACK = "127.0.0.1"

# Debian's location of the per-protocol Dovecot programs (dovecot-imapd, dovecot-lmtpd).
DOVECOT_LIBEXEC = Path("/usr/lib/dovecot")
# sbin is not on every user's PATH, but that is where Debian puts `dovecot`.
_SBIN_PATH = os.pathsep.join(["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"])
# Unix socket paths are limited to 108 bytes (sun_path); Dovecot's longest socket name below
# base_dir is about 25 characters ("token-login/tokenlogin"), so keep base_dir well under that.
_MAX_BASE_DIR_LEN = 70
_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 10.0


class DovecotError(RuntimeError):
    """Dovecot failed to start, stop or run a doveadm command."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    return _free_ports(1)[0]


def _free_ports(count: int) -> list[int]:
    # Hold all sockets open until every port is chosen, so the kernel cannot hand out one twice.
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.bind((LOOPBACK, 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def find_binary(name: str) -> str | None:
    """`name` on PATH, or in the sbin directories that a non-root PATH may lack."""
    return shutil.which(name) or shutil.which(name, path=_SBIN_PATH)


def dovecot_unavailable() -> str | None:
    """Why a `Dovecot` cannot run here, or None when it can."""
    for name in ("dovecot", "doveadm"):
        if find_binary(name) is None:
            return f"`{name}` not found (apt-get install dovecot-imapd dovecot-lmtpd)"
    for program in ("imap", "lmtp"):
        if not (DOVECOT_LIBEXEC / program).exists():
            return f"{DOVECOT_LIBEXEC / program} missing (apt-get install dovecot-{program}d)"
    for user in ("dovecot", "dovenull"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            return f"system user {user!r} missing (it comes with dovecot-core)"
    return None


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (state first), or None if gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rpartition(")")[2].split()
    except OSError:
        return None


class _Process:
    """A process we did not fork (the daemonized Dovecot master), identified by pid and start
    time so a recycled pid is never mistaken for it (or signalled)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        fields = _proc_stat(pid)
        self._start_time = fields[19] if fields else None

    def alive(self) -> bool:
        # Nobody waitpid()s the re-parented master, so it may linger as a zombie: that is dead.
        fields = _proc_stat(self.pid)
        return fields is not None and fields[0] != "Z" and fields[19] == self._start_time

    def signal(self, signo: int, *, group: bool = False) -> None:
        if not self.alive():
            return
        try:
            if group and os.getpgid(self.pid) == self.pid:
                os.killpg(self.pid, signo)
            else:
                os.kill(self.pid, signo)
        except ProcessLookupError:
            pass


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def unreachable_by(path: Path, uid: int, gid: int) -> Path | None:
    """The first directory on the way to `path` that `uid`/`gid` may not enter, or None."""
    for directory in [*reversed(path.parents), path]:
        st = directory.stat()
        if st.st_uid == uid:
            allowed = st.st_mode & stat.S_IXUSR
        elif st.st_gid == gid:
            allowed = st.st_mode & stat.S_IXGRP
        else:
            allowed = st.st_mode & stat.S_IXOTH
        if not allowed:
            return directory
    return None


_CONF_TEMPLATE = """\
# Private Dovecot for mystery-shopper tests (written by tests/mailservers.py).
instance_name = {instance}
base_dir = {base_dir}
state_dir = {state_dir}
log_path = {log_path}
protocols = imap lmtp
listen = {host}
ssl = no
disable_plaintext_auth = no
# XOAUTH2/OAUTHBEARER: Dovecot parses the SASL exchange and checks the bearer token against the
# passdb, so a user whose passwd-file password is the token logs in with that token (a real
# provider checks it with its token service instead).
auth_mechanisms = plain login xoauth2 oauthbearer
auth_verbose = yes
# Default is 2 s per failed login; tests of wrong passwords should be fast.
auth_failure_delay = 0
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
# Dovecot refuses uid 0 for mail; mail is owned by the `dovecot` system user.
first_valid_uid = 1
mail_fsync = never
# IDLE uses inotify; this is the fallback poll, short so IDLE tests never wait long.
mailbox_idle_check_interval = 1 secs
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {passwd_dir}/%u
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={home_root}/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  mailbox Junk {{
    special_use = \\Junk
    auto = subscribe
  }}
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
protocol imap {{
  mail_max_userip_connections = 500
}}
service imap-login {{
  inet_listener imap {{
    address = {host}
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
# No auth penalty: after one failed login anvil would delay every later login from 127.0.0.1
# by 2-15 s (documented way to disable it; login_trusted_networks does not help for IMAP).
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = {host}
    port = {lmtp_port}
  }}
}}
"""


# Started instances, killed at interpreter exit if a test run dies before stopping them.
_STARTED: weakref.WeakSet[Dovecot] = weakref.WeakSet()


@atexit.register
def _kill_leftovers() -> None:
    for server in list(_STARTED):
        try:
            server.stop(graceful=False)
        except Exception:  # exiting anyway; the next instance uses other ports and dirs
            pass


class Dovecot:
    """One private Dovecot instance (IMAP + LMTP on loopback) kept in `root`.

    Everything is below `root` (config, log, passwd files, state, mail homes) except, when
    `root` is too long for unix socket paths, the runtime `base_dir`, which then is a short
    temporary directory that `stop()` removes. `root` must be reachable by the `dovecot` user
    (pytest's tmp_path is not: see the `dovecot` fixture). Ports are chosen once, so
    `restart()` keeps them.
    """

    host = LOOPBACK

    def __init__(self, root: Path) -> None:
        reason = dovecot_unavailable()
        if reason is not None:
            raise DovecotError(reason)
        self.root = root.absolute()
        if any(ch.isspace() for ch in str(self.root)):
            raise ValueError(f"Dovecot root must not contain whitespace: {self.root}")
        self.conf_path = self.root / "dovecot.conf"
        self.log_path = self.root / "dovecot.log"
        # One passwd-file per user (passdb path "users.d/%u"), see add_user() for why.
        self.passwd_dir = self.root / "users.d"
        self.state_dir = self.root / "state"
        self.home_root = self.root / "home"
        self.imap_port, self.lmtp_port = _free_ports(2)
        self._dovecot_bin = find_binary("dovecot") or "dovecot"
        self._doveadm_bin = find_binary("doveadm") or "doveadm"
        account = pwd.getpwnam("dovecot")
        self._uid, self._gid = account.pw_uid, account.pw_gid
        self._users: dict[str, str] = {}
        self._base_dir: Path | None = None
        self._temporary_base_dir = False
        self._master: _Process | None = None

        self.root.mkdir(parents=True, exist_ok=True)
        # Dovecot's mail processes run as `dovecot` and must reach the homes below root. Not
        # fixed by chmod-ing parents: pytest resets /tmp/pytest-of-<user> to 0700 whenever
        # another session starts, which cut running instances off (seen as flaky tests).
        blocked = unreachable_by(self.root, self._uid, self._gid)
        if blocked is not None:
            mode = stat.S_IMODE(blocked.stat().st_mode)
            raise DovecotError(
                f"the dovecot user cannot enter {blocked} (mode {mode:o}); use a root it can "
                "reach, e.g. a tempfile.mkdtemp() chmod-ed 0711"
            )
        self.state_dir.mkdir(exist_ok=True)
        self.passwd_dir.mkdir(exist_ok=True)
        self.passwd_dir.chmod(0o755)
        self.home_root.mkdir(exist_ok=True)
        os.chown(self.home_root, self._uid, self._gid)

    # -- users -------------------------------------------------------------------------------

    def add_user(self, address: str, password: str) -> None:
        """Add (or change) a mailbox; works before and while Dovecot runs.

        Dovecot's passwd-file driver stats its file at most once per second (a lookup in the
        same second as the previous one serves the cached copy), so a user appended to one
        shared file can stay "unknown" for up to a second. With one file per user, a new user
        means a new file that Dovecot has never cached: visible at once. Changing the password
        of a running instance waits until Dovecot's auth service accepts the new one.
        """
        for value in (address, password):
            if not value or any(ch in value for ch in ":/\r\n") or value.startswith("."):
                raise ValueError(f"unusable in a passwd-file: {value!r}")
        home = self.home_root / address
        home.mkdir(exist_ok=True)
        os.chown(home, self._uid, self._gid)
        changed = address in self._users and self._users[address] != password
        self._users[address] = password

        path = self.passwd_dir / address
        tmp = path.with_name(f".{address}.tmp")
        tmp.write_text(f"{address}:{{PLAIN}}{password}\n", encoding="utf-8")
        os.chown(tmp, 0, self._gid)
        tmp.chmod(0o640)
        # Dovecot reloads when the whole-second mtime or the size differ: make sure the mtime does.
        old_mtime = int(path.stat().st_mtime) if path.exists() else 0
        new_mtime = max(int(time.time()), old_mtime + 1)
        os.utime(tmp, (new_mtime, new_mtime))
        os.replace(tmp, path)
        if changed and self.running:
            self._await_password(address, password)

    def _await_password(self, address: str, password: str) -> None:
        """Return once Dovecot's auth service accepts the changed password.

        Dovecot's passwd-file re-reads a file at most once a second, so ask the auth service
        itself, once a second: `doveadm auth test` goes straight to it, without imap-login, and
        exits 77 on a refusal. (Two CI failures of a changed password, blamed on this at first,
        came from `running` being False after a start under load - see _wait_for_greeting -
        so that this wait was skipped.)
        """
        deadline = time.monotonic() + 10
        while True:
            # The once-per-second gate: a lookup in a later second re-stats the file.
            now = time.time()
            time.sleep(math.floor(now) + 1 - now)
            proc = subprocess.run(
                [self._doveadm_bin, "-c", str(self.conf_path), "auth", "test", address, password],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
            if proc.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise DovecotError(
                    f"Dovecot still refuses the changed password of {address}: "
                    f"{proc.stdout.strip() or proc.stderr.strip()}"
                )

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def base_dir(self) -> Path | None:
        """The runtime directory (sockets, master.pid) while running, else None."""
        return self._base_dir

    @property
    def running(self) -> bool:
        return self._master is not None and self._master.alive()

    def start(self) -> None:
        """Start the daemon and wait until IMAP answers with a greeting."""
        if self._base_dir is not None:
            raise DovecotError("Dovecot is already started")
        base_dir = self.root / "run"
        self._temporary_base_dir = len(str(base_dir)) > _MAX_BASE_DIR_LEN
        if self._temporary_base_dir:
            base_dir = Path(tempfile.mkdtemp(prefix="ms-dv-"))
        base_dir.mkdir(exist_ok=True)
        # imap-login runs as dovenull and chroots below base_dir, so it must be reachable.
        base_dir.chmod(0o755)
        self._base_dir = base_dir
        self._write_conf(base_dir)
        _STARTED.add(self)

        log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        # Not pipes: the daemonized master inherits stdout/stderr and would keep a pipe open
        # forever, so reading it to EOF would hang. A file has no such problem.
        with tempfile.TemporaryFile() as errors:
            proc = subprocess.run(
                [self._dovecot_bin, "-c", str(self.conf_path)],
                stdin=subprocess.DEVNULL,
                stdout=errors,
                stderr=errors,
                timeout=_START_TIMEOUT,
                check=False,
            )
            errors.seek(0)
            output = errors.read().decode("utf-8", "replace").strip()
        if proc.returncode != 0:
            self._forget_base_dir()
            raise DovecotError(
                f"dovecot exited with {proc.returncode}: {output}\n"
                + self.log_tail(offset=log_offset)
            )
        self._master = self._read_master()
        try:
            self._wait_for_greeting(log_offset)
        except BaseException:
            self.stop()
            raise

    def _write_conf(self, base_dir: Path) -> None:
        self.conf_path.write_text(
            _CONF_TEMPLATE.format(
                instance=f"ms-test-{self.imap_port}",
                base_dir=base_dir,
                state_dir=self.state_dir,
                log_path=self.log_path,
                host=self.host,
                passwd_dir=self.passwd_dir,
                home_root=self.home_root,
                imap_port=self.imap_port,
                lmtp_port=self.lmtp_port,
            ),
            encoding="utf-8",
        )

    def _read_master(self) -> _Process | None:
        # The master writes master.pid after forking, maybe after `dovecot` has returned.
        assert self._base_dir is not None
        try:
            return _Process(int((self._base_dir / "master.pid").read_text().strip()))
        except (OSError, ValueError):
            return None

    def _wait_for_greeting(self, log_offset: int) -> None:
        """Wait for the IMAP greeting and for master.pid. Under load the greeting can come
        before the master has written its pid file; without the master `running` would say
        False, and add_user() would not wait for a changed password to take effect."""
        deadline = time.monotonic() + _START_TIMEOUT
        problem = f"no greeting within {_START_TIMEOUT:.0f} s"
        last_error = "none"
        greeted = False
        while time.monotonic() < deadline:
            if self._master is None:
                self._master = self._read_master()
            elif not self._master.alive():
                problem = "the master process died"  # e.g. a config error found after forking
                break
            if greeted and self._master is not None:
                return
            if not greeted:
                try:
                    with socket.create_connection((self.host, self.imap_port), timeout=1.0) as s:
                        greeting = s.makefile("rb").readline()
                    if greeting.startswith(b"* OK"):
                        greeted = True
                        problem = f"greeted, but no master.pid within {_START_TIMEOUT:.0f} s"
                        continue
                    last_error = f"unexpected greeting {greeting!r}"
                except OSError as exc:
                    last_error = repr(exc)
            time.sleep(0.05)
        raise DovecotError(
            f"Dovecot IMAP on {self.host}:{self.imap_port}: {problem} (last error: {last_error})"
            f"\n{self.log_tail(offset=log_offset)}"
        )

    def stop(self, graceful: bool = True) -> None:
        """Stop the daemon; wait until the master is gone and both ports are closed.
        Safe to call when not running.

        graceful: SIGTERM the master, exactly what `doveadm stop` does (doveadm then polls for
        another ~1.5 s, so we wait ourselves). Dovecot's master always sleeps a fixed 1 s while
        shutting down (SIGQUIT to the remaining children, then i_sleep_msecs(1000)).
        graceful=False: SIGKILL the master's whole process group (it setsid()s), ~10 ms; for
        teardown, when the mail no longer matters. Delivered mail is safe on disk either way.
        """
        if self._base_dir is None:
            return
        master = self._master or self._read_master()
        if master is not None:
            if graceful:
                master.signal(signal.SIGTERM)
            else:
                master.signal(signal.SIGKILL, group=True)
        deadline = time.monotonic() + _STOP_TIMEOUT
        while (master is not None and master.alive()) or any(
            _port_open(self.host, port) for port in (self.imap_port, self.lmtp_port)
        ):
            if time.monotonic() > deadline:
                if master is not None:
                    master.signal(signal.SIGKILL, group=True)
                raise DovecotError(
                    f"Dovecot did not stop within {_STOP_TIMEOUT:.0f} s\n" + self.log_tail()
                )
            time.sleep(0.01)
        # A killed master leaves master.pid behind, and its pid, possibly an unreaped zombie,
        # would make the next start refuse with "Dovecot is already running".
        (self._base_dir / "master.pid").unlink(missing_ok=True)
        self._master = None
        self._forget_base_dir()

    def _forget_base_dir(self) -> None:
        if self._base_dir is not None and self._temporary_base_dir:
            shutil.rmtree(self._base_dir, ignore_errors=True)
        self._base_dir = None
        _STARTED.discard(self)

    def restart(self) -> None:
        """Stop and start again: same ports, same users and mail."""
        self.stop()
        self.start()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def log_tail(self, lines: int = 30, offset: int = 0) -> str:
        """The last `lines` lines of the Dovecot log (from byte `offset` on)."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                data = f.read()
        except OSError as exc:
            return f"(no Dovecot log: {exc})"
        tail = data.decode("utf-8", "replace").splitlines()[-lines:]
        return "Dovecot log tail:\n" + "\n".join(tail)

    # -- mail --------------------------------------------------------------------------------

    def connect(self, user: str, password: str) -> IMAPClient:
        """A logged-in IMAPClient with timezone-aware INTERNALDATEs; the caller logs out
        (IMAPClient is a context manager)."""
        client = IMAPClient(self.host, port=self.imap_port, ssl=False, timeout=10)
        client.normalise_times = False
        try:
            client.login(user, password)
        except BaseException:
            client.shutdown()
            raise
        return client

    def deliver(self, recipient: str, raw: bytes, sender: str = "sender@dealer.test") -> None:
        """Deliver like an MTA does, over LMTP: Dovecot adds a Received header and sets
        INTERNALDATE to now."""
        with smtplib.LMTP(self.host, self.lmtp_port, timeout=10) as lmtp:
            refused = lmtp.sendmail(sender, [recipient], raw)
        if refused:
            raise DovecotError(f"LMTP refused {refused}")

    def append(
        self,
        user: str,
        password: str,
        folder: str,
        raw: bytes,
        msg_time: datetime | None = None,
    ) -> int:
        """APPEND `raw` to `folder` (INTERNALDATE = `msg_time` if given); returns its UID."""
        with self.connect(user, password) as client:
            response = client.append(folder, raw, msg_time=msg_time)
        text = response if isinstance(response, bytes) else str(response).encode()
        match = re.search(rb"\[APPENDUID \d+ (\d+)\]", text)
        if match is None:
            raise DovecotError(f"no APPENDUID in APPEND response {text!r}")
        return int(match.group(1))

    def doveadm(self, *args: str) -> str:
        """Run `doveadm -c CONF ARGS...` against this instance; returns stdout."""
        proc = subprocess.run(
            [self._doveadm_bin, "-c", str(self.conf_path), *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if proc.returncode != 0:
            raise DovecotError(
                f"doveadm {' '.join(args)} exited with {proc.returncode}: {proc.stderr.strip()}"
            )
        return proc.stdout

    def set_uidvalidity(self, user: str, folder: str, value: int) -> None:
        self.doveadm("mailbox", "update", "-u", user, "--uid-validity", str(value), folder)


# -- SMTP ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedMail:
    """One message the SMTP sink received."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    received_at: datetime  # UTC-aware
    auth_login: str | None = None  # the AUTH user of the session, if it authenticated

    @property
    def message(self) -> EmailMessage:
        msg = BytesParser(policy=policy.default).parsebytes(self.data)
        assert isinstance(msg, EmailMessage)
        return msg


class _SinkHandler:
    """aiosmtpd handler hooks; runs in the controller's event-loop thread."""

    def __init__(self, sink: SmtpSink) -> None:
        self._sink = sink

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        # A dealership's submission server refuses unauthenticated senders when AUTH is on.
        if self._sink.auth is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self._sink.data_delay:
            # A slow server: the client waits for the reply while the message sits here.
            await asyncio.sleep(self._sink.data_delay)
        return self._sink._handle_data(server, session, envelope)


class _OAuthSinkHandler(_SinkHandler):
    """Also offers AUTH XOAUTH2 (Gmail / Microsoft 365 style), checking bearer tokens."""

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        tokens = self._sink.oauth_tokens or {}
        try:
            text = base64.b64decode(args[1], validate=True).decode()
            fields = dict(f.split("=", 1) for f in text.split("\x01") if f)
            user, bearer = fields["user"], fields["auth"]
        except (IndexError, ValueError, KeyError, UnicodeDecodeError):
            await server.push("501 5.5.2 Can't decode XOAUTH2 response")
            return AuthResult(success=False, handled=True)
        ok = bearer.startswith("Bearer ") and tokens.get(user) == bearer[len("Bearer ") :]
        if ok:
            self._sink.oauth_logins.append(user)
        return AuthResult(success=ok, handled=False, auth_data=LoginPassword(user.encode(), b""))


class SmtpSink:
    """A real SMTP server on 127.0.0.1 that records what it is sent.

    Fault injection (set any time, also between messages):
    - `data_replies`: replies consumed one per DATA, before anything else applies;
    - `data_reply`: reply to every DATA (when `data_replies` is empty) instead of "250 OK";
    - `drop_after_data`: close the connection right after DATA without replying;
    - `data_delay`: seconds to wait before replying to DATA (a slow server);
    - `oauth_tokens`: also offer AUTH XOAUTH2, accepting these user -> access token pairs.
    A message is recorded when its reply is 2xx, or when the connection is dropped (the server
    did get it). `on_message` runs for accepted (2xx) messages in a worker thread, in order,
    so it never delays the SMTP reply; its exceptions are re-raised by `stop()`.
    """

    host = LOOPBACK

    def __init__(
        self,
        on_message: Callable[[ReceivedMail], None] | None = None,
        *,
        auth: dict[str, str] | None = None,
        tls_context: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
        require_starttls: bool = False,
        auth_require_tls: bool | None = None,
        server_hostname: str = "mail.dealer.test",
        oauth_tokens: dict[str, str] | None = None,
    ) -> None:
        if implicit_tls and tls_context is None:
            raise ValueError("implicit_tls needs a tls_context")
        self.port = free_port()
        self.on_message = on_message
        # XOAUTH2 user -> the one access token accepted for it.
        self.oauth_tokens = oauth_tokens
        self.oauth_logins: list[str] = []
        if oauth_tokens is not None and auth is None:
            auth = {}
        self.auth = auth
        # Seconds to wait before answering DATA (a slow server).
        self.data_delay = 0.0
        self.messages: list[ReceivedMail] = []
        self.data_reply: str | None = None
        self.data_replies: list[str] = []
        self.drop_after_data = False
        self.callback_errors: list[BaseException] = []
        self._cond = threading.Condition()
        self._executor: ThreadPoolExecutor | None = None

        if auth_require_tls is None:
            # With STARTTLS offered, AUTH only after it, like real servers. With implicit TLS
            # aiosmtpd does not know the socket is encrypted (it only tracks STARTTLS), so
            # requiring TLS there would refuse every AUTH.
            auth_require_tls = tls_context is not None and not implicit_tls
        smtp_kwargs: dict[str, Any] = {
            "server_hostname": server_hostname,  # else aiosmtpd calls getfqdn() per connection
            "auth_require_tls": auth_require_tls,
        }
        if auth is not None:
            smtp_kwargs["authenticator"] = self._authenticate
        if tls_context is not None and not implicit_tls:
            smtp_kwargs["tls_context"] = tls_context
            smtp_kwargs["require_starttls"] = require_starttls
        handler = _OAuthSinkHandler(self) if oauth_tokens is not None else _SinkHandler(self)
        self._controller = Controller(
            handler,
            hostname=self.host,
            port=self.port,
            ssl_context=tls_context if implicit_tls else None,
            **smtp_kwargs,
        )
        self._started = False

    def start(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smtp-sink-cb")
        self._controller.start()
        self._started = True

    def stop(self) -> None:
        """Stop the server, wait for pending `on_message` calls, re-raise their first error."""
        if self._started:
            self._controller.stop()
            self._started = False
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        if self.callback_errors:
            errors, self.callback_errors = self.callback_errors, []
            raise RuntimeError(f"SmtpSink.on_message failed {len(errors)} time(s)") from errors[0]

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMail]:
        """Block until at least `count` messages were recorded; returns a copy of them."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.messages) >= count, timeout):
                raise TimeoutError(
                    f"SmtpSink got {len(self.messages)} message(s), wanted {count}, "
                    f"within {timeout} s"
                )
            return list(self.messages)

    # -- hooks (event-loop thread) -------------------------------------------------------------

    def _authenticate(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        mechanism: str,
        auth_data: Any,
    ) -> AuthResult:
        if self.auth is None or not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace")
        password = auth_data.password.decode("utf-8", "replace")
        ok = login in self.auth and self.auth[login] == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    def _next_reply(self) -> str:
        with self._cond:
            if self.data_replies:
                return self.data_replies.pop(0)
            return self.data_reply or "250 OK"

    def _handle_data(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        auth_data = getattr(session, "auth_data", None)
        content = envelope.original_content or envelope.content or b""
        mail = ReceivedMail(
            mail_from=str(envelope.mail_from),
            rcpt_tos=list(envelope.rcpt_tos),
            data=content if isinstance(content, bytes) else content.encode("utf-8"),
            received_at=datetime.now(UTC),
            auth_login=(
                auth_data.login.decode("utf-8", "replace")
                if isinstance(auth_data, LoginPassword)
                else None
            ),
        )
        if self.drop_after_data:
            self._record(mail)
            # abort() closes at once (no reply, no graceful flush); aiosmtpd's later write of
            # the reply goes to a closed transport and is dropped.
            transport = server.transport
            if isinstance(transport, asyncio.Transport):
                transport.abort()
            elif transport is not None:
                transport.close()
            return "421 4.3.0 connection dropped"
        reply = self._next_reply()
        if reply.startswith("2"):
            self._record(mail)
            callback, executor = self.on_message, self._executor
            if callback is not None and executor is not None:
                executor.submit(self._run_callback, callback, mail)
        return reply

    def _record(self, mail: ReceivedMail) -> None:
        with self._cond:
            self.messages.append(mail)
            self._cond.notify_all()

    def _run_callback(self, callback: Callable[[ReceivedMail], None], mail: ReceivedMail) -> None:
        try:
            callback(mail)
        except BaseException as exc:
            self.callback_errors.append(exc)
