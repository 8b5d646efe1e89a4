#!/usr/bin/env python3
"""Memory per idle registered SIP-over-WebSocket connection, for any SIP server (Kamailio, Parley).

Opens N WebSocket connections with the "sip" subprotocol (RFC 7118) to the server, REGISTERs a different
user on each with digest (401, then MD5 with qop=auth when offered; the digest username is the user's name
plus --auth-suffix, e.g. Parley's device accounts userNNN-sip), keeps them all open and idle, and
reports the growth of the server's memory divided by N: PSS and RSS summed over the server's process and
all its descendants (Kamailio forks many children; PSS counts a shared page once in total, RSS once per
process that touched it), and, for Kamailio, its own shared-memory counter (kamcmd core.shmmem real_used).

Run it against a freshly started server: an allocator that already touched and freed pages under an
earlier load reuses them, and the growth of PSS/RSS then under-reports. Standard library only; bounded by
--timeout; binds to and targets loopback only.

  ws_register_probe.py --pid "$(cat /tmp/parley-kamailio/kamailio.pid)" --port 5071 --count 2000 \
      --kamcmd unix:/tmp/parley-kamailio/ctl.sock
  ws_register_probe.py --pid "$PARLEY_PID" --port 8443 --tls --path /sip --count 2000 --auth-suffix=-sip

The last line on stdout is machine-readable: "RESULT key=value ...".
"""

import argparse
import asyncio
import base64
import hashlib
import os
import re
import resource
import ssl
import struct
import subprocess
import sys
import time

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1", help="server address (loopback only; default 127.0.0.1)")
    p.add_argument("--port", type=int, default=5071, help="WebSocket port (default 5071, kamailio-start's)")
    p.add_argument("--path", default="/", help="HTTP path of the SIP WebSocket (Parley: /sip; default /)")
    p.add_argument("--tls", action="store_true", help="WSS (certificate not verified: loopback test)")
    p.add_argument("--domain", default="localhost", help="SIP domain and digest realm (default localhost)")
    p.add_argument("--user-format", default="user%03d", help="username from an index (default user%%03d)")
    p.add_argument("--first-user", type=int, default=0, help="index of the first user (default 0)")
    p.add_argument("--auth-suffix", default="",
                   help="digest username = username + this (Parley's device accounts: --auth-suffix=-sip; none)")
    p.add_argument("--password", default="secret")
    p.add_argument("--count", type=int, default=2000, help="connections, one user each (default 2000)")
    p.add_argument("--concurrency", type=int, default=100, help="connections being set up at once (100)")
    p.add_argument("--pid", type=int, required=True, help="server main PID (its descendants are counted too)")
    p.add_argument("--kamcmd", help="Kamailio control socket, e.g. unix:/tmp/parley-kamailio/ctl.sock")
    p.add_argument("--settle", type=float, default=3.0, help="seconds to wait before each reading (3)")
    p.add_argument("--timeout", type=float, default=180.0, help="hard limit for the whole run in s (180)")
    args = p.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        p.error("--host must be a loopback address")
    return args


# ---------------------------------------------------------------- memory of a process tree


def process_tree(root):
    """The root PID and all its descendants, from /proc/*/stat."""
    parent = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # comm may hold spaces and parentheses: the fields after the last ')' are fixed.
        fields = stat[stat.rfind(")") + 2 :].split()
        parent[int(entry)] = int(fields[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, ppid in parent.items():
            if ppid == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sorted(tree)


def memory_kib(root):
    """(PSS, RSS, process count) summed over the tree, in KiB, from /proc/PID/smaps_rollup."""
    pss = rss = n = 0
    for pid in process_tree(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                text = f.read()
        except OSError:
            continue
        m_pss = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
        m_rss = re.search(r"^Rss:\s+(\d+) kB", text, re.M)
        if m_pss and m_rss:
            pss += int(m_pss.group(1))
            rss += int(m_rss.group(1))
            n += 1
    return pss, rss, n


def kamailio_shm_used_kib(ctl):
    """Kamailio's shared memory in use (core.shmmem used), in KiB; None without --kamcmd."""
    if not ctl:
        return None
    out = subprocess.run(["kamcmd", "-s", ctl, "core.shmmem"], capture_output=True, text=True, timeout=10)
    m = re.search(r"\breal_used:\s*(\d+)", out.stdout)
    return int(m.group(1)) / 1024 if m else None


# ---------------------------------------------------------------- a minimal WebSocket client (RFC 6455)


class WebSocket:
    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, host, port, path, tls):
        context = None
        if tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        reader, writer = await asyncio.open_connection(host, port, ssl=context)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n"
            ).encode()
        )
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        status = head.split("\r\n", 1)[0]
        if " 101 " not in status + " ":
            raise RuntimeError(f"upgrade refused: {status}")
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in head.split("\r\n")[1:] if l)}
        if headers.get("sec-websocket-accept") != accept:
            raise RuntimeError("bad Sec-WebSocket-Accept")
        if headers.get("sec-websocket-protocol", "").lower() != "sip":
            raise RuntimeError("server did not select the sip subprotocol")
        return cls(reader, writer)

    def _frame(self, opcode, payload):
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.writer.write(header + mask + masked)

    async def send_text(self, text):
        self._frame(0x1, text.encode())
        await self.writer.drain()

    async def recv_text(self):
        """The next text or binary message; answers pings on the way; None when the server closes."""
        message = b""
        while True:
            b0, b1 = await self.reader.readexactly(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack("!H", await self.reader.readexactly(2))
            elif n == 127:
                (n,) = struct.unpack("!Q", await self.reader.readexactly(8))
            mask = await self.reader.readexactly(4) if b1 & 0x80 else None
            payload = await self.reader.readexactly(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x9:
                self._frame(0xA, payload)
                await self.writer.drain()
                continue
            if opcode == 0xA:
                continue
            if opcode == 0x8:
                return None
            message += payload
            if b0 & 0x80:
                return message.decode("utf-8", "replace")

    async def close(self):
        try:
            self._frame(0x8, struct.pack("!H", 1000))
            await self.writer.drain()
        except (ConnectionError, RuntimeError):
            pass
        self.writer.close()


# ---------------------------------------------------------------- SIP REGISTER with digest over one connection


def digest_authorization(challenge, method, uri, user, password):
    params = {k.lower(): a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]+))', challenge)}
    algorithm = params.get("algorithm", "MD5")
    if algorithm.upper() not in ("MD5", "SHA-256"):
        raise RuntimeError(f"unsupported digest algorithm {algorithm}")
    h = (lambda s: hashlib.sha256(s.encode()).hexdigest()) if algorithm.upper() == "SHA-256" else (
        lambda s: hashlib.md5(s.encode()).hexdigest())
    realm, nonce = params["realm"], params["nonce"]
    ha1 = h(f"{user}:{realm}:{password}")
    ha2 = h(f"{method}:{uri}")
    fields = [f'username="{user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{uri}"', f"algorithm={algorithm}"]
    qops = [q.strip() for q in params.get("qop", "").split(",") if q.strip()]
    if "auth" in qops:
        cnonce, nc = os.urandom(8).hex(), "00000001"
        response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
        fields += ["qop=auth", f"nc={nc}", f'cnonce="{cnonce}"']
    else:
        response = h(f"{ha1}:{nonce}:{ha2}")
    fields.append(f'response="{response}"')
    if "opaque" in params:
        fields.append(f'opaque="{params["opaque"]}"')
    return "Digest " + ", ".join(fields)


def status_of(response):
    m = re.match(r"SIP/2\.0 (\d{3})", response)
    return int(m.group(1)) if m else 0


def header(response, name):
    m = re.search(rf"^{name}\s*:\s*(.*)$", response, re.M | re.I)
    return m.group(1).strip() if m else ""


async def register(ws, user, args, tag):
    host = f"{os.urandom(6).hex()}.invalid"
    call_id = os.urandom(10).hex()
    uri = f"sip:{args.domain}"

    def request(cseq, authorization=None):
        lines = [
            f"REGISTER {uri} SIP/2.0",
            f"Via: SIP/2.0/WS {host};branch=z9hG4bK{os.urandom(8).hex()};rport",
            "Max-Forwards: 70",
            f"From: <sip:{user}@{args.domain}>;tag={tag}",
            f"To: <sip:{user}@{args.domain}>",
            f"Call-ID: {call_id}",
            f"CSeq: {cseq} REGISTER",
            f"Contact: <sip:{user}@{host};transport=ws>;expires=3600",
            "Expires: 3600",
            "User-Agent: parley-ws-probe",
        ]
        if authorization:
            lines.append(f"Authorization: {authorization}")
        return "\r\n".join(lines + ["Content-Length: 0", "", ""])

    async def final_response():
        while True:
            msg = await ws.recv_text()
            if msg is None:
                raise RuntimeError("connection closed by the server")
            if msg.startswith("SIP/2.0") and status_of(msg) >= 200:
                return msg

    await ws.send_text(request(1))
    response = await final_response()
    if status_of(response) == 401:
        authorization = digest_authorization(header(response, "WWW-Authenticate"), "REGISTER", uri,
                                             user + args.auth_suffix, args.password)
        await ws.send_text(request(2, authorization))
        response = await final_response()
    if status_of(response) != 200:
        raise RuntimeError(f"REGISTER {user}: {response.splitlines()[0]}")


async def drain(ws):
    """Keep reading (and answering pings) while the connection idles."""
    try:
        while await ws.recv_text() is not None:
            pass
    except (asyncio.IncompleteReadError, ConnectionError):
        pass


async def run(args):
    gate = asyncio.Semaphore(args.concurrency)
    sockets, readers, errors = [], [], []

    async def one(i):
        user = args.user_format % (args.first_user + i)
        async with gate:
            try:
                ws = await WebSocket.connect(args.host, args.port, args.path, args.tls)
                await register(ws, user, args, f"p{i}")
            except Exception as e:  # one line per kind of failure is printed below
                errors.append(f"{type(e).__name__}: {e}")
                return
        sockets.append(ws)
        readers.append(asyncio.create_task(drain(ws)))

    await asyncio.sleep(args.settle)
    pss0, rss0, nproc = memory_kib(args.pid)
    shm0 = kamailio_shm_used_kib(args.kamcmd)
    print(f"before: {nproc} processes, PSS {pss0} KiB, RSS {rss0} KiB"
          + (f", shm used {shm0:.0f} KiB" if shm0 is not None else ""), flush=True)

    started = time.monotonic()
    await asyncio.gather(*(one(i) for i in range(args.count)))
    setup_s = time.monotonic() - started
    registered = len(sockets)
    print(f"registered {registered}/{args.count} over WebSocket in {setup_s:.1f} s", flush=True)
    for kind in sorted(set(errors)):
        print(f"  {errors.count(kind)} x {kind}", flush=True)

    await asyncio.sleep(args.settle)
    pss1, rss1, nproc = memory_kib(args.pid)
    shm1 = kamailio_shm_used_kib(args.kamcmd)
    print(f"after:  {nproc} processes, PSS {pss1} KiB, RSS {rss1} KiB"
          + (f", shm used {shm1:.0f} KiB" if shm1 is not None else ""), flush=True)

    per = max(registered, 1)
    result = {
        "connections": registered,
        "failed": args.count - registered,
        "setup_s": f"{setup_s:.1f}",
        "pss_before_kib": pss0,
        "pss_after_kib": pss1,
        "pss_per_conn_kib": f"{(pss1 - pss0) / per:.2f}",
        "rss_per_conn_kib": f"{(rss1 - rss0) / per:.2f}",
    }
    if shm0 is not None and shm1 is not None:
        result["shm_per_conn_kib"] = f"{(shm1 - shm0) / per:.2f}"

    for ws in sockets:
        await ws.close()
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    print("RESULT " + " ".join(f"{k}={v}" for k, v in result.items()), flush=True)
    return 0 if registered == args.count else 1


def main():
    args = parse_args()
    if not os.path.exists(f"/proc/{args.pid}"):
        sys.exit(f"ws_register_probe: no process {args.pid}")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < args.count + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    try:
        sys.exit(asyncio.run(asyncio.wait_for(run(args), args.timeout)))
    except asyncio.TimeoutError:
        sys.exit(f"ws_register_probe: not done after {args.timeout:.0f} s")


if __name__ == "__main__":
    main()
