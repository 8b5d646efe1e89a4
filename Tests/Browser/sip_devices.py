"""SIP devices for the browser tests: baresip (through the media fixtures' baresip_peer.py) and sipp."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

import free_ports
import processes
from waiting import ScenarioFailure

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "GatewayTests", "Fixtures", "media"))
import tone  # noqa: E402  (the media fixtures' tone maker: standard library only)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MEDIA_FIXTURES = os.path.join(REPO, "Tests", "GatewayTests", "Fixtures", "media")
BARESIP_PEER = os.path.join(MEDIA_FIXTURES, "baresip_peer.py")
MESSAGE_SCENARIO = os.path.join(HERE, "message.xml")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, as the fixtures' README asks
SIPP = "/usr/bin/sipp"


def make_tone(path, hz, seconds=20, rate=48000):
    """A 16-bit mono sine WAV (Chromium's fake microphone wants 16-bit PCM; 48 kHz suits it)."""
    tone.make(path, hz, seconds, rate, 0.5)


class BaresipDevice:
    """baresip_peer.py running in the background: `start`, `wait_registered`, then `result` (its JSON line)."""

    def __init__(self, out_dir, name):
        self.out_dir = out_dir
        self.name = name
        self.workdir = os.path.join(out_dir, f"{name}-baresip")
        self.stdout_path = os.path.join(out_dir, f"{name}-baresip.stdout")
        self.stderr_path = os.path.join(out_dir, f"{name}-baresip.stderr")
        self.record_path = os.path.join(out_dir, f"{name}-baresip-received.wav")
        self.process = None
        self._result = None

    def start(self, server, user, auth_user, password, *, answer=False, call=None, tone_hz=440,
              expect_hz=None, duration=4.0, answer_wait=30.0, bye_timeout=15.0, timeout=90.0, report_dtmf=False):
        """Registers `auth_user` as `user` at `server` over UDP; answers one call or dials `call`.

        `report_dtmf`: the result's "dtmf" holds the RFC 4733 telephone-event digits baresip received."""
        argv = [SYSTEM_PYTHON, BARESIP_PEER, "--registrar", server.registrar, "--domain", "localhost",
                "--user", user, "--auth-user", auth_user, "--password", password,
                "--tone-hz", str(tone_hz), "--record", self.record_path, "--workdir", self.workdir,
                "--duration", str(duration), "--answer-wait", str(answer_wait), "--bye-timeout", str(bye_timeout),
                "--timeout", str(timeout), "--tolerance", "25"]
        if answer:
            argv.append("--answer")
        if call:
            argv += ["--call", call]
        if expect_hz is not None:
            argv += ["--expect-hz", str(expect_hz)]
        if report_dtmf:
            argv.append("--report-dtmf")
        self.process = processes.start(argv, self.stdout_path, cwd=self.out_dir, stderr_path=self.stderr_path)

    def wait_registered(self, timeout=15.0):
        """Waits for baresip_peer.py's "peer registered" marker; fails with its JSON if it exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "peer registered" in processes.read_text(self.stderr_path):
                return
            if self.process.poll() is not None:
                raise ScenarioFailure(f"baresip did not register: {self.result(1)}")
            time.sleep(0.1)
        raise ScenarioFailure(f"baresip did not register within {timeout:g} s (log: {self.log_path()})")

    def wait_log(self, pattern, timeout):
        """Waits up to `timeout` s for `pattern` (a regular expression) in baresip's log; the match or None."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, processes.read_text(self.log_path()))
            if found or time.monotonic() >= deadline or self.process.poll() is not None:
                return found or re.search(pattern, processes.read_text(self.log_path()))
            time.sleep(0.1)

    def log_path(self):
        return os.path.join(self.workdir, "baresip.log")

    def result(self, timeout):
        """Waits up to `timeout` s for the script to end; returns its JSON (a dict with "error" if none)."""
        if self._result is not None:
            return self._result
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return {"ok": False, "error": f"baresip_peer.py still running after {timeout:g} s"}
        lines = [line for line in processes.read_text(self.stdout_path).splitlines() if line.startswith("{")]
        try:
            self._result = json.loads(lines[-1]) if lines else {"ok": False, "error": "no JSON line on stdout"}
        except ValueError as error:
            self._result = {"ok": False, "error": f"bad JSON line: {error}"}
        return self._result

    def stop(self):
        """SIGINT first so the script's `finally` stops baresip (/quit) and analyses; then its group."""
        processes.end(self.process, first_signal=signal.SIGINT, grace=10.0)


def send_message(server, out_dir, name, text, *, to_user="alice", from_user="bob", device="bob-desk",
                 password="desk-secret", timeout=20):
    """sipp sends one MESSAGE (UDP, 407 answered with digest) from a device; returns (ok, summary, trace)."""
    trace_path = os.path.join(out_dir, f"{name}-sipp-messages.log")
    output_path = os.path.join(out_dir, f"{name}-sipp.out")
    argv = [SIPP, server.registrar, "-t", "u1", "-sf", MESSAGE_SCENARIO, "-s", to_user,
            "-key", "domain", "localhost", "-key", "from_user", from_user, "-key", "text", text,
            "-au", device, "-ap", password, "-auth_uri", f"{to_user}@localhost",
            "-m", "1", "-i", "127.0.0.1", "-p", str(free_ports.free_port((socket.SOCK_DGRAM,))),
            "-nostdin", "-default_behaviors", "-bye", "-timeout", f"{int(timeout)}s", "-timeout_error",
            "-trace_msg", "-message_file", trace_path, "-trace_err", "-error_file",
            os.path.join(out_dir, f"{name}-sipp-errors.log")]
    process = processes.start(argv, output_path, cwd=out_dir)
    try:
        status = process.wait(timeout + 10)
    except subprocess.TimeoutExpired:
        status = None
    finally:
        processes.end(process)
    output = processes.read_text(output_path)
    ok = status == 0 and "Successful call" in output
    statuses = [line.split(" ", 2)[1] for line in processes.read_text(trace_path).splitlines()
                if line.startswith("SIP/2.0 ")]
    summary = f"sipp exit {status}, responses {' '.join(statuses) or 'none'}"
    return ok, summary, trace_path


BARESIP = "/usr/bin/baresip"
BARESIP_MODULES = "/usr/lib/baresip/modules"
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
BARESIP_REGISTERED = r"\{\d+/UDP/v4\} 200 "


class BaresipConsole:
    """baresip 1.0 itself (no call script), driven through its stdio menu on a pipe, its SIP trace (-s) in its log.

    For chat and presence: the `menu` module logs each MESSAGE it accepts as `FROM: "BODY"`; the `presence`
    module PUBLISHes open or closed (`/presence_online`, `/presence_offline`; RFC 3903) and SUBSCRIBEs to each
    contact marked `;presence=p2p` (RFC 3856), and baresip logs `<URI> changed status from A to B` when a
    NOTIFY changes a contact (its states: Online = open, Offline = closed or <rpid:away/>, Busy = <rpid:busy/>
    or <rpid:on-the-phone/>).
    """

    def __init__(self, out_dir, name):
        self.name = name
        self.workdir = os.path.join(out_dir, f"{name}-baresip")
        self.process = None

    def log_path(self):
        return os.path.join(self.workdir, "baresip.log")

    def start(self, server, user, auth_user, password, *, contacts=(), presence=True, lifetime=120):
        """Registers `auth_user` as `user` over UDP; `contacts`: (display name, URI) watched for presence.

        `lifetime` bounds baresip (-t) even if the harness dies."""
        os.makedirs(self.workdir, exist_ok=True)
        port = _free_port_pair()
        modules = ["stdio.so", "g711.so", "account.so", "contact.so", "menu.so"]
        if presence:
            modules.append("presence.so")
        config = ["poll_method epoll", f"sip_listen 127.0.0.1:{port}", "net_interface 127.0.0.1",
                  f"module_path {BARESIP_MODULES}", *(f"module {module}" for module in modules),
                  "audio_player aufile,/dev/null", "audio_source aufile,/dev/null"]
        # pubint: the presence module publishes only for accounts with a publication interval.
        account = (f"<sip:{user}@localhost;transport=udp>;auth_user={auth_user};auth_pass={password};"
                   f'outbound="sip:{server.registrar}";regint=600' + (";pubint=600" if presence else ""))
        for file_name, lines in (("config", config), ("accounts", [account]),
                                 ("contacts", [f'"{label}" <{uri}>;presence=p2p' for label, uri in contacts])):
            with open(os.path.join(self.workdir, file_name), "w") as handle:
                handle.write("\n".join(lines) + "\n")
        log = open(self.log_path(), "ab")
        try:
            self.process = subprocess.Popen([BARESIP, "-f", self.workdir, "-s", "-t", str(int(lifetime))],
                                            cwd=self.workdir, stdin=subprocess.PIPE, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()

    def command(self, text):
        """A menu command, e.g. "/presence_offline" (stdin is a pipe; baresip warns that it is no terminal)."""
        try:
            self.process.stdin.write((text + "\n").encode())
            self.process.stdin.flush()
        except (BrokenPipeError, OSError, AttributeError):
            pass

    def log_text(self, start=0):
        """The log without colour codes, from character `start` of that text."""
        return ANSI_ESCAPE.sub("", processes.read_text(self.log_path()))[start:]

    def mark(self):
        """Where the log ends now: pass it as `start` to look only at what comes later."""
        return len(self.log_text())

    def wait_log(self, pattern, timeout, start=0):
        """Waits up to `timeout` s for `pattern` (a regular expression) in the log after `start`; the match or None."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, self.log_text(start))
            if found or time.monotonic() >= deadline or self.process.poll() is not None:
                return found or re.search(pattern, self.log_text(start))
            time.sleep(0.1)

    def wait_registered(self, timeout=15.0):
        if not self.wait_log(BARESIP_REGISTERED, timeout):
            state = "exited" if self.process.poll() is not None else "running"
            raise ScenarioFailure(f"baresip ({self.name}) did not register within {timeout:g} s ({state}; "
                                  f"log {self.log_path()})")

    def contact_state(self, uri, timeout=3.0):
        """What `/contacts` lists for `uri` (Online, Offline, Busy, Unknown), or None."""
        start = self.mark()
        self.command("/contacts")
        found = self.wait_log(r"(Online|Offline|Busy|Unknown)\s+[^\n]*<%s>" % re.escape(uri), timeout, start)
        return found.group(1) if found else None

    def stop(self):
        """/quit (it unregisters and removes its publication), then its group by PID."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.command("/quit")
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                pass
        if self.process.stdin:
            try:
                self.process.stdin.close()
            except OSError:
                pass
        processes.end(self.process, grace=3.0)


def _free_port_pair():
    """A UDP+TCP port with the next one free too (baresip's instances need 2 apart)."""
    for _ in range(50):
        port = free_ports.free_udp_tcp_port()
        if free_ports.port_is_free(port + 1):
            return port
    raise RuntimeError("no free pair of SIP ports on 127.0.0.1")
