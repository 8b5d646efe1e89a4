"""A `parley serve` on loopback with its own data directory, users and ports, that can be restarted."""

import os
import re
import signal
import subprocess
import time

import free_ports
import processes
from waiting import ScenarioFailure

DOMAIN = "localhost"
READY_LINE = re.compile(r"parley: listening on WSS 127\.0\.0\.1:(\d+)")
BINARY_WAIT_SECONDS = 120  # the lead may be rebuilding the binary


class ParleyServer:
    """One Parley: `add_user`/`add_device` before `start`; `stop` and `start` again keep data and ports."""

    def __init__(self, binary, work_dir, web_root, name="parley"):
        self.binary = binary
        self.web_root = web_root
        self.data_dir = os.path.join(work_dir, f"{name}-data")
        self.log_path = os.path.join(work_dir, f"{name}.log")
        os.makedirs(self.data_dir, exist_ok=True)
        self.sip_port = free_ports.free_udp_tcp_port()
        self.https_port = free_ports.free_port()
        self.media_ports = free_ports.free_media_range(40)
        self.process = None
        self.starts = 0

    @property
    def page_url(self):
        # "localhost", not 127.0.0.1: the WebSocket Origin allow-list is https://<domain>:<port>.
        return f"https://{DOMAIN}:{self.https_port}/"

    @property
    def registrar(self):
        """HOST:PORT of SIP over UDP (and TCP) for devices."""
        return f"127.0.0.1:{self.sip_port}"

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def _run_tool(self, arguments):
        processes.wait_for_executable(self.binary, BINARY_WAIT_SECONDS)
        result = subprocess.run([self.binary, *arguments, "--data-dir", self.data_dir, "--domain", DOMAIN],
                                capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise RuntimeError(f"parley {' '.join(arguments)} failed: {result.stderr.strip() or result.stdout}")

    def add_user(self, name, password, display_name=None):
        arguments = ["user", "add", name, "--password", password]
        if display_name:
            arguments += ["--display-name", display_name]
        self._run_tool(arguments)

    def add_device(self, user, device, password):
        self._run_tool(["user", "device", user, device, "--password", password])

    def add_room(self, name, members, display_name=None):
        """Creates the room sip:NAME@localhost with these members (a running server picks it up within 1 s)."""
        arguments = ["room", "create", name]
        if display_name:
            arguments += ["--display-name", display_name]
        self._run_tool(arguments)
        for member in members:
            self._run_tool(["room", "member", "add", name, member])

    def command_line(self):
        low, high = self.media_ports
        return [
            self.binary, "serve", "--data-dir", self.data_dir, "--domain", DOMAIN,
            "--sip-udp", self.registrar, "--sip-tcp", self.registrar, "--sip-tls", "off",
            "--https", f"127.0.0.1:{self.https_port}", "--media-ip", "127.0.0.1",
            "--media-ports", f"{low}-{high}", "--web-root", self.web_root,
            # sipp 3.6 answers only the topmost challenge and only MD5; the web client picks SHA-256
            # whatever the order (RFC 8760 §2.4), so browsers still use SHA-256.
            "--digest-algorithms", "MD5,SHA-256",
        ]

    def start(self, timeout=30.0):
        """Starts the server and waits (bounded) for its "listening on WSS" line.

        Retries while the binary is missing or being replaced, or while a port from the previous run is
        not yet free again.
        """
        deadline = time.monotonic() + timeout + BINARY_WAIT_SECONDS
        attempt_failures = []
        while time.monotonic() < deadline:
            processes.wait_for_executable(self.binary, max(1.0, deadline - time.monotonic()))
            with open(self.log_path, "a") as log:
                log.write(f"\n==== start #{self.starts + 1}: {' '.join(self.command_line())}\n")
            offset = len(processes.read_text(self.log_path))
            try:
                # debug adds "flow closed, bindings removed" and transport errors to the log.
                environment = dict(os.environ, PARLEY_LOG_LEVEL=os.environ.get("PARLEY_LOG_LEVEL", "debug"))
                self.process = processes.start(self.command_line(), self.log_path, env=environment)
            except OSError as error:  # ETXTBSY / ENOENT while the binary is rewritten
                attempt_failures.append(str(error))
                time.sleep(1)
                continue
            ready_by = time.monotonic() + timeout
            while time.monotonic() < ready_by:
                text = processes.read_text(self.log_path)[offset:]
                if READY_LINE.search(text):
                    self.starts += 1
                    return
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
            status = self.process.poll()
            tail = processes.read_text(self.log_path)[offset:][-600:]
            processes.end(self.process)
            self.process = None
            attempt_failures.append(f"exit {status}: {tail.strip()}")
            if status is None:
                break  # running but never ready: retrying will not help
            time.sleep(1)
        raise ScenarioFailure(f"parley did not start: {attempt_failures[-1] if attempt_failures else 'timeout'}")

    def stop(self, first_signal=signal.SIGTERM):
        """Ends the server by its PID; returns its exit status."""
        status = processes.end(self.process, first_signal=first_signal, grace=8.0)
        self.process = None
        return status
