#!/usr/bin/python3
"""Debian's baresip 1.0 as a SIP device on loopback: registers over UDP, plays a tone, records.

    baresip_peer.py --registrar 127.0.0.1:5060 --domain localhost --user bob \\
        --auth-user bob-phone --password phone-secret --answer --tone-hz 440 \\
        --record /tmp/bob.wav [--duration 4] [--answer-wait 30] [--bye-timeout 15]
    baresip_peer.py ... --call sip:alice@localhost --tone-hz 440 --duration 4
    baresip_peer.py --no-register --user b --sip-port 41010 --answer ...      # peer to peer, no server
    baresip_peer.py --no-register --user a --call sip:b@127.0.0.1:41010 ...

It writes a config directory (the style of RealPeerTests.swift: `net_interface 127.0.0.1`,
modules from /usr/lib/baresip/modules, g711 only), a 8 kHz tone WAV that `aufile` plays as the
microphone, and lets `sndfile` dump what the call receives (`<dir>/rec/dump-*-dec.wav`). baresip
is driven through its `stdio` UI on a pipe (`/dial`, `/hangup`, `/quit`); `-t` bounds its life.

The caller hangs up (BYE) --duration seconds after "Call established"; the callee auto-answers
(answermode=auto) and waits up to --duration + --bye-timeout for the other side's BYE.
One JSON line on stdout at the end, with "recording" (the received audio) and its
"dominant_hz"; exit status 0 only when the call went as asked.

--report-dtmf adds "dtmf" to that line: the RFC 4733 telephone-events baresip received over RTP,
in order (e.g. "15#"), read from its log lines "received event: '1' (end=0)" (call.c's
audio_event_handler; it logs an event's first packet with end=0 and its first end packet with end=1).
"""

import argparse
import glob
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tone  # noqa: E402

BARESIP = "/usr/bin/baresip"
MODULES = "/usr/lib/baresip/modules"


def port_is_free(port):
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        sock = socket.socket(socket.AF_INET, kind)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        finally:
            sock.close()
    return True


def free_sip_port():
    """A port free for UDP and TCP, with the next one free too (baresip's instances need 2 apart)."""
    for _ in range(50):
        port = random.randrange(30000, 59000, 2)
        if port_is_free(port) and port_is_free(port + 1):
            return port
    raise RuntimeError("no free SIP port found on 127.0.0.1")


class Baresip:
    def __init__(self, workdir, timeout):
        self.workdir = workdir
        self.log_path = os.path.join(workdir, "baresip.log")
        self.log = open(self.log_path, "wb")
        # -t bounds baresip's life even if this script dies.
        self.process = subprocess.Popen(
            [BARESIP, "-f", workdir, "-t", str(int(timeout))],
            cwd=workdir,
            stdin=subprocess.PIPE,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def output(self):
        try:
            with open(self.log_path, "rb") as handle:
                return handle.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def command(self, text):
        """A menu command through the stdio UI (stdin is a pipe; baresip warns it is no terminal)."""
        try:
            self.process.stdin.write((text + "\n").encode())
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def wait_for(self, pattern, timeout, fail_pattern=None):
        """Waits until the log matches `pattern` (returns the match), `fail_pattern` or the end."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.output()
            found = re.search(pattern, text)
            if found:
                return found
            if fail_pattern and re.search(fail_pattern, text):
                return None
            if self.process.poll() is not None:
                return re.search(pattern, self.output())
            time.sleep(0.05)
        return None

    def stop(self):
        """/quit, then SIGTERM and SIGKILL by PID."""
        if self.process.poll() is None:
            self.command("/quit")
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(3)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        self.log.close()


def write_config(args, workdir, tone_path, record_dir):
    lines = [
        "poll_method epoll",
        "sip_listen 127.0.0.1:%d" % args.sip_port,
        "net_interface 127.0.0.1",
        "module_path %s" % MODULES,
        "module stdio.so",
        "module g711.so",
        "module aufile.so",
        "module sndfile.so",
        "module account.so",
        "module menu.so",
        # baresip 1.0's aufile is a source only; with no player the call still runs and the
        # sndfile filter still sees every decoded frame (rx pipeline "(play) <--- sndfile").
        "audio_player aufile,/dev/null",
        "audio_source aufile,%s" % tone_path,
        "snd_path %s" % record_dir,
    ]
    if args.rtp_ports:
        lines.append("rtp_ports %s" % args.rtp_ports)
    with open(os.path.join(workdir, "config"), "w") as handle:
        handle.write("\n".join(lines) + "\n")

    params = [
        "answermode=auto",
        "audio_codecs=%s" % args.codec,
    ]
    if args.no_register:
        aor = "<sip:%s@127.0.0.1:%d>" % (args.user, args.sip_port)
        params.append("regint=0")
    else:
        aor = "<sip:%s@%s;transport=udp>" % (args.user, args.domain)
        params += [
            "auth_user=%s" % (args.auth_user or args.user),
            "auth_pass=%s" % args.password,
            'outbound="sip:%s"' % args.registrar,
            "regint=%d" % args.regint,
        ]
    with open(os.path.join(workdir, "accounts"), "w") as handle:
        handle.write(aor + ";" + ";".join(params) + "\n")


REGISTERED = r"\{\d+/UDP/v4\} 200 "
REGISTER_FAILED = r"\{\d+/UDP/v4\} [3-6]\d\d |reg: .*failed|registration failed"
ESTABLISHED = r"Call established"
TERMINATED = r"terminated \(duration|Call with .* terminated"
CLOSED_REASON = r"session closed: ([^\n\r]*)"
RECEIVED_EVENT = r"received event: '(.)' \(end=([01])\)"


def received_dtmf(log_text):
    """The digits of the telephone-events baresip logged, in order: one per event.

    An event counts at its start (end=0); an end (end=1) with no start since the previous end counts
    too, so a tone whose first packets were lost is not missed (RFC 4733 §2.5.1.4: the end packet is
    sent three times, so it is the most likely to arrive).
    """
    digits = []
    started = False
    for digit, end in re.findall(RECEIVED_EVENT, log_text):
        if end == "0":
            digits.append(digit)
            started = True
        elif not started:
            digits.append(digit)
        else:
            started = False
    return "".join(digits)


def run(args, result):
    workdir = args.workdir or tempfile.mkdtemp(prefix="parley-baresip-")
    os.makedirs(workdir, exist_ok=True)
    record_dir = os.path.join(workdir, "rec")
    os.makedirs(record_dir, exist_ok=True)
    result["workdir"] = workdir
    tone_path = os.path.join(workdir, "tone.wav")
    # aufile loads the whole file and stops at its end: make it outlast the call.
    tone.make(tone_path, args.tone_hz, args.duration + args.answer_wait + args.bye_timeout + 30, 8000, 0.5)
    # A port found free can be taken by another process before baresip binds it (tests run side by side):
    # with a port of our own choosing, try another one a few times.
    chosen_port = args.sip_port
    for attempt in range(4):
        args.sip_port = chosen_port or free_sip_port()
        result["sip_port"] = args.sip_port
        write_config(args, workdir, tone_path, record_dir)
        baresip = Baresip(workdir, args.timeout)
        result["log"] = baresip.log_path
        if baresip.wait_for(r"baresip is ready", 10):
            break
        baresip.stop()
        if chosen_port or attempt == 3:
            result["error"] = "baresip did not start"
            result["exit_status"] = baresip.process.returncode
            return
    try:
        if args.no_register:
            result["registered"] = None
        else:
            registered = baresip.wait_for(REGISTERED, args.register_timeout, REGISTER_FAILED)
            result["registered"] = registered is not None
            if registered:
                # A marker for whoever waits on this peer's output before calling it.
                sys.stderr.write("peer registered\n")
                sys.stderr.flush()
            else:
                failure = re.search(REGISTER_FAILED, baresip.output())
                result["error"] = "registration failed: %s" % (failure.group(0) if failure else "no answer")
                return
        if not (args.call or args.answer):
            time.sleep(args.duration)
            return
        if args.call:
            baresip.command("/dial %s" % args.call)
        established = baresip.wait_for(ESTABLISHED, args.answer_wait, TERMINATED)
        result["call_established"] = established is not None
        if not established:
            reason = re.search(CLOSED_REASON, baresip.output())
            result["close_reason"] = reason.group(1).strip() if reason else None
            result["error"] = "call not established (%s)" % (result["close_reason"] or "timeout")
            return
        started = time.monotonic()
        if args.call:
            ended_early = baresip.wait_for(TERMINATED, args.duration)
            if ended_early:
                result["closed_by"] = "remote"
            else:
                baresip.command("/hangup")
                result["closed_by"] = "local"
                result["call_closed"] = baresip.wait_for(TERMINATED, 10) is not None
        else:
            remaining = args.duration + args.bye_timeout - (time.monotonic() - started)
            if baresip.wait_for(TERMINATED, max(0.1, remaining)):
                result["closed_by"] = "remote"
                result["bye_received"] = True
            else:
                result["error"] = "no BYE within %.0f s of the call's end" % args.bye_timeout
                baresip.command("/hangup")
                result["closed_by"] = "local"
                result["call_closed"] = baresip.wait_for(TERMINATED, 10) is not None
        result["call_seconds"] = round(time.monotonic() - started, 2)
        reason = re.search(CLOSED_REASON, baresip.output())
        if reason:
            result["close_reason"] = reason.group(1).strip()
    finally:
        baresip.stop()
        recordings = sorted(glob.glob(os.path.join(record_dir, "*-dec.wav")), key=os.path.getmtime)
        if recordings:
            recording = recordings[-1]
            if args.record:
                shutil.copyfile(recording, args.record)
                recording = os.path.abspath(args.record)
            result["recording"] = recording
            try:
                analysis = tone.analyze(recording, args.skip, 2.0, 100.0)
                result["dominant_hz"] = analysis["dominant_hz"]
                result["rms"] = analysis["rms"]
                result["purity"] = analysis["purity"]
                result["received_seconds"] = analysis["seconds"]
            except (OSError, ValueError) as error:
                result["analysis_error"] = str(error)
        codec = re.search(r"Set audio decoder: (\S+)", baresip.output())
        result["codec"] = codec.group(1) if codec else None
        if args.report_dtmf:
            result["dtmf"] = received_dtmf(baresip.output())
        result["exit_status"] = baresip.process.returncode


def judge(args, result):
    if result.get("error"):
        return False
    if not args.no_register and not result.get("registered"):
        return False
    if args.call or args.answer:
        if not result.get("call_established"):
            return False
        if args.answer and not result.get("bye_received"):
            return False
        if args.call and result.get("closed_by") == "local" and not result.get("call_closed"):
            return False
        if args.expect_hz is not None:
            found = result.get("dominant_hz")
            if found is None or abs(found - args.expect_hz) > args.tolerance:
                return False
    return True


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registrar", default="127.0.0.1:5060", help="Parley's SIP UDP HOST:PORT (outbound proxy)")
    parser.add_argument("--domain", default="localhost")
    parser.add_argument("--user", required=True, help="the public identity's user part (sip:USER@DOMAIN)")
    parser.add_argument("--auth-user", help="the device account (digest username); default --user")
    parser.add_argument("--password")
    parser.add_argument("--no-register", action="store_true", help="no server: account sip:USER@127.0.0.1:PORT")
    parser.add_argument("--regint", type=int, default=600)
    role = parser.add_mutually_exclusive_group()
    role.add_argument("--call", metavar="URI")
    role.add_argument("--answer", action="store_true", help="auto-answer one incoming call")
    parser.add_argument("--tone-hz", type=float, default=440.0)
    parser.add_argument("--codec", default="PCMU", choices=["PCMU", "PCMA"])
    parser.add_argument("--record", metavar="WAV", help="copy the received audio here")
    parser.add_argument("--duration", type=float, default=4.0, help="seconds of call before the caller hangs up")
    parser.add_argument("--answer-wait", type=float, default=30.0, help="seconds to wait for the call to be established")
    parser.add_argument("--bye-timeout", type=float, default=15.0, help="--answer: seconds after --duration to wait for BYE")
    parser.add_argument("--register-timeout", type=float, default=10.0)
    parser.add_argument("--sip-port", type=int, help="SIP UDP/TCP port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--rtp-ports", help="RTP port range LOW-HIGH")
    parser.add_argument("--workdir", help="config and recordings (default: a new temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--expect-hz", type=float, help="success needs this dominant frequency in what we received")
    parser.add_argument("--tolerance", type=float, default=15.0)
    parser.add_argument("--skip", type=float, default=0.5)
    parser.add_argument("--timeout", type=float, default=90.0, help="baresip's own limit (-t) in seconds")
    parser.add_argument("--report-dtmf", action="store_true",
                        help='add "dtmf": the telephone-event digits received over RTP, in order (RFC 4733)')
    args = parser.parse_args(argv)
    if not args.no_register and args.password is None:
        parser.error("--password is required unless --no-register")

    result = {"registered": False, "call_established": False, "recording": None, "dominant_hz": None,
              "error": None}
    try:
        run(args, result)
    except Exception as error:
        result["error"] = result.get("error") or "%s: %s" % (type(error).__name__, error)
    ok = judge(args, result)
    result["ok"] = ok
    # Keep the directory when the recording lives there or the run failed (the log is there).
    if not args.workdir and not args.keep and ok and args.record:
        shutil.rmtree(result["workdir"], ignore_errors=True)
        result.pop("log", None)
    print(json.dumps(result), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
