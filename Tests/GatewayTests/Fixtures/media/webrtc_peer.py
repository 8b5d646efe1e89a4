#!/usr/bin/python3
"""A minimal browser-like SIP user agent: SIP over secure WebSocket (RFC 7118) + aiortc WebRTC.

Run with Debian's /usr/bin/python3 (python3-aiortc 1.4, python3-websockets 10.4).

    webrtc_peer.py --ws-url wss://127.0.0.1:8443/sip --domain localhost --user alice \\
        --password alice-secret --insecure --call sip:bob@localhost --tone-hz 1000 \\
        --record /tmp/alice.wav --duration 4 [--hold-test]
    webrtc_peer.py ... --answer [--answer-wait 30]
    webrtc_peer.py ... --message sip:nobody@localhost --expect-status 404
    webrtc_peer.py --loopback-test [--lite-answer]       # aiortc <-> aiortc, no SIP

The microphone is a sine (--tone-hz) generated as 48 kHz s16 mono frames; what arrives on the
remote track is downmixed to mono and kept at its own rate (48 kHz for Opus, 8 kHz for G.711).
ICE candidates are restricted to 127.0.0.1 (aioice skips loopback by default), and no STUN
server is used. At the end one JSON line goes to stdout (see README.md for the fields); the
exit status is 0 only when what was asked for completed.
"""

import argparse
import asyncio
import fractions
import hashlib
import json
import logging
import math
import os
import random
import re
import ssl
import string
import struct
import sys
import time
import uuid
import wave
from array import array

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tone  # noqa: E402

import aioice.ice  # noqa: E402


def _loopback_host_addresses(use_ipv4, use_ipv6):
    # aioice's own version skips 127.0.0.1; every test stays on loopback.
    return ["127.0.0.1"] if use_ipv4 else []


aioice.ice.get_host_addresses = _loopback_host_addresses

import av  # noqa: E402
import websockets  # noqa: E402
from aiortc import RTCConfiguration, RTCPeerConnection, RTCRtpSender, RTCSessionDescription  # noqa: E402
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack  # noqa: E402

LOG = logging.getLogger("webrtc_peer")
T1 = 0.5
T2 = 4.0

# ---------------------------------------------------------------------------------------------
# Media: a sine microphone and a recorder of the remote track
# ---------------------------------------------------------------------------------------------


class SineTrack(MediaStreamTrack):
    """An audio track of 20 ms s16 mono frames of a sine, paced in real time."""

    kind = "audio"

    def __init__(self, hz, rate=48000, amplitude=0.3):
        super().__init__()
        self.hz = hz
        self.rate = rate
        self.peak = amplitude * 32767.0
        self.samples = int(rate * 0.02)
        self.pts = 0
        self.start = None

    async def recv(self):
        if self.readyState != "live":
            raise MediaStreamError
        if self.start is None:
            self.start = time.time()
        else:
            wait = self.start + self.pts / self.rate - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
        step = 2.0 * math.pi * self.hz / self.rate
        base = self.pts
        values = [int(self.peak * math.sin(step * (base + i))) for i in range(self.samples)]
        frame = av.AudioFrame(format="s16", layout="mono", samples=self.samples)
        data = struct.pack("<%dh" % self.samples, *values)
        plane = frame.planes[0]
        plane.update(data + bytes(max(0, plane.buffer_size - len(data))))
        frame.pts = self.pts
        frame.sample_rate = self.rate
        frame.time_base = fractions.Fraction(1, self.rate)
        self.pts += self.samples
        return frame


class Recorder:
    """Reads decoded frames from a remote track; keeps mono s16 samples and arrival times."""

    def __init__(self):
        self.rate = None
        self.samples = array("h")
        self.frames = 0
        self.other_rate_frames = 0
        self.arrivals = []  # (time.monotonic(), sample offset) per frame
        self.task = None

    def start(self, track):
        if self.task is None:
            self.task = asyncio.ensure_future(self._run(track))

    async def _run(self, track):
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            self.add(frame)

    def add(self, frame):
        channels = len(frame.layout.channels)
        if frame.format.name != "s16" or channels < 1:
            self.other_rate_frames += 1
            return
        if self.rate is None:
            self.rate = frame.sample_rate
        if frame.sample_rate != self.rate:
            self.other_rate_frames += 1
            return
        count = frame.samples * channels
        data = array("h")
        data.frombytes(bytes(frame.planes[0])[: count * 2])
        if sys.byteorder != "little":
            data.byteswap()
        if channels == 2:
            data = array("h", [(a + b) // 2 for a, b in zip(data[0::2], data[1::2])])
        elif channels > 2:
            data = array("h", [sum(data[i : i + channels]) // channels for i in range(0, count, channels)])
        self.arrivals.append((time.monotonic(), len(self.samples)))
        self.samples.extend(data)
        self.frames += 1

    def frames_between(self, start, end=None):
        return sum(1 for (at, _) in self.arrivals if at >= start and (end is None or at < end))

    def offset_at(self, moment):
        for at, offset in self.arrivals:
            if at >= moment:
                return offset
        return len(self.samples)

    async def stop(self):
        if self.task is not None and not self.task.done():
            self.task.cancel()
            try:
                await self.task
            except (asyncio.CancelledError, Exception):
                pass

    def write_wav(self, path):
        samples = array("h", self.samples)
        if sys.byteorder != "little":
            samples.byteswap()
        with wave.open(path, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.rate or 48000)
            out.writeframes(samples.tobytes())


def make_peer_connection():
    # No STUN server: aiortc would otherwise default to a public one.
    return RTCPeerConnection(RTCConfiguration(iceServers=[]))


def set_codec_preference(transceiver, codec):
    if not codec:
        return
    wanted = [c for c in RTCRtpSender.getCapabilities("audio").codecs if c.mimeType.lower() == "audio/" + codec.lower()]
    if not wanted:
        raise ValueError("aiortc has no audio codec %s" % codec)
    transceiver.setCodecPreferences(wanted)


async def wait_connected(pc, timeout):
    deadline = time.monotonic() + timeout
    while pc.connectionState not in ("connected", "failed", "closed") and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return pc.connectionState


def transport_facts(pc):
    """DTLS role, cipher and SRTP profile actually negotiated, read from aiortc's internals."""
    facts = {}
    try:
        transceiver = pc.getTransceivers()[0]
        facts["codec"] = transceiver._codecs[0].mimeType if transceiver._codecs else None
        dtls = transceiver.receiver.transport
        facts["dtls_state"] = dtls.state
        facts["dtls_role"] = dtls._role
        facts["ice_role"] = dtls.transport.role
        facts["ice_state"] = dtls.transport.state
        connection = dtls.ssl
        facts["dtls_cipher"] = connection.get_cipher_name()
        facts["dtls_version"] = connection.get_protocol_version_name()
        from cryptography.hazmat.bindings.openssl.binding import Binding

        binding = Binding()
        profile = binding.lib.SSL_get_selected_srtp_profile(connection._ssl)
        if profile != binding.ffi.NULL:
            facts["srtp_profile"] = binding.ffi.string(profile.name).decode()
        pair = dtls.transport._connection._nominated.get(1)
        if pair is not None:
            facts["ice_pair"] = "%s:%d -> %s:%d" % (
                pair.local_candidate.host,
                pair.local_candidate.port,
                pair.remote_candidate.host,
                pair.remote_candidate.port,
            )
    except Exception as error:  # facts are best effort: aiortc internals
        facts["facts_error"] = repr(error)
    return facts


# ---------------------------------------------------------------------------------------------
# SDP: what we send (loopback candidates, o= versioning) and a check of what we receive
# ---------------------------------------------------------------------------------------------


class SdpWriter:
    """Keeps one o= session id and bumps the version when the description changes (RFC 3264 §8)."""

    def __init__(self, tamper_fingerprint=False):
        self.session_id = random.randint(10**9, 10**10)
        self.version = 0
        self.last_body = None
        # --tamper-fingerprint: announce a certificate fingerprint that is not ours (RFC 8842: the
        # other side must then fail the DTLS handshake, and with it the call).
        self.tamper_fingerprint = tamper_fingerprint

    def prepare(self, sdp):
        lines = [line for line in sdp.replace("\r\n", "\n").split("\n") if line]
        kept = []
        for line in lines:
            if line.startswith("a=candidate:"):
                parts = line.split()
                if len(parts) < 8 or parts[4] != "127.0.0.1":
                    continue
            if self.tamper_fingerprint and line.startswith("a=fingerprint:"):
                algorithm, _, value = line.partition(" ")
                digits = value.split(":")
                digits[0] = "%02X" % (int(digits[0], 16) ^ 0xFF)
                line = algorithm + " " + ":".join(digits)
            kept.append(line)
        body_without_origin = "\n".join(line for line in kept if not line.startswith("o="))
        if self.last_body is not None and body_without_origin != self.last_body:
            self.version += 1
        self.last_body = body_without_origin
        kept = [
            "o=- %d %d IN IP4 127.0.0.1" % (self.session_id, self.version) if line.startswith("o=") else line
            for line in kept
        ]
        return "\r\n".join(kept) + "\r\n"


def sdp_direction(sdp):
    direction = "sendrecv"
    in_audio = False
    for line in sdp.replace("\r\n", "\n").split("\n"):
        if line.startswith("m="):
            in_audio = line.startswith("m=audio")
        elif line[2:] in ("sendrecv", "sendonly", "recvonly", "inactive") and line.startswith("a="):
            if in_audio or not line.startswith("m="):
                direction = line[2:]
                if in_audio:
                    return direction
    return direction


def inspect_sdp(sdp, kind, offer_mid=None):
    """Facts about a WebRTC SDP and the problems aiortc (or RFC 8829/8839/8842) would have with it."""
    info = {
        "ice_lite": False,
        "setup": None,
        "fingerprint": None,
        "ice_ufrag": None,
        "rtcp_mux": False,
        "mid": None,
        "bundle": None,
        "direction": None,
        "profile": None,
        "connection": None,
        "port": None,
        "codecs": [],
        "candidates": [],
        "end_of_candidates": False,
    }
    problems = []
    session_direction = None
    session = {"setup": None, "fingerprint": None, "ufrag": None, "pwd": None}
    media = None
    pwd = None
    for raw in sdp.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("m="):
            if media is not None:
                break  # first m= section only
            parts = line.split()
            if not line.startswith("m=audio") or len(parts) < 4:
                problems.append("first m= line is not audio: %s" % line)
                break
            media = True
            info["port"] = int(parts[1]) if parts[1].isdigit() else parts[1]
            info["profile"] = parts[2]
            continue
        if line.startswith("c="):
            info["connection"] = line[2:]
            continue
        if not line.startswith("a="):
            continue
        attr, _, value = line[2:].partition(":")
        if attr == "ice-lite":
            info["ice_lite"] = True
        elif attr == "group" and value.startswith("BUNDLE"):
            info["bundle"] = value
        elif attr in ("sendrecv", "sendonly", "recvonly", "inactive"):
            if media:
                info["direction"] = attr
            else:
                session_direction = attr
        elif attr == "setup":
            if media:
                info["setup"] = value
            else:
                session["setup"] = value
        elif attr == "fingerprint":
            if media or not info["fingerprint"]:
                info["fingerprint"] = value.split()[0].lower() if value else None
        elif attr == "ice-ufrag":
            info["ice_ufrag"] = value
        elif attr == "ice-pwd":
            pwd = value
        elif attr == "rtcp-mux" and media:
            info["rtcp_mux"] = True
        elif attr == "mid" and media:
            info["mid"] = value
        elif attr == "rtpmap" and media:
            info["codecs"].append(value.split(None, 1)[1] if " " in value else value)
        elif attr == "candidate" and media:
            parts = value.split()
            if len(parts) >= 8:
                info["candidates"].append("%s %s %s %s" % (parts[2].lower(), parts[4], parts[5], parts[7]))
        elif attr == "end-of-candidates":
            info["end_of_candidates"] = True
    if media is None:
        problems.append("no m=audio section")
        return info, problems
    info["setup"] = info["setup"] or session["setup"]
    info["direction"] = info["direction"] or session_direction or "sendrecv"
    if info["profile"] != "UDP/TLS/RTP/SAVPF":
        problems.append("profile %s is not UDP/TLS/RTP/SAVPF" % info["profile"])
    if not info["ice_ufrag"] or not pwd:
        problems.append("a=ice-ufrag/a=ice-pwd missing (aiortc refuses the description)")
    else:
        if not 4 <= len(info["ice_ufrag"]) <= 256:
            problems.append("ice-ufrag length %d outside 4..256 (RFC 8839)" % len(info["ice_ufrag"]))
        if not 22 <= len(pwd) <= 256:
            problems.append("ice-pwd length %d outside 22..256 (RFC 8839)" % len(pwd))
    if info["fingerprint"] != "sha-256":
        problems.append("no a=fingerprint:sha-256 (aiortc checks only sha-256)")
    if kind == "offer" and info["setup"] != "actpass":
        problems.append("offer a=setup is %s, aiortc accepts only actpass" % info["setup"])
    if kind == "answer" and info["setup"] not in ("active", "passive"):
        problems.append("answer a=setup is %s, must be active or passive" % info["setup"])
    if not info["rtcp_mux"]:
        problems.append("no a=rtcp-mux (aiortc requires it)")
    if kind == "answer" and offer_mid is not None and info["mid"] != offer_mid:
        problems.append("answer a=mid %r does not match the offer's %r (aiortc refuses it)" % (info["mid"], offer_mid))
    if not info["candidates"]:
        problems.append("no a=candidate in the audio section")
    codecs = [c.lower() for c in info["codecs"]]
    if not any(c.startswith("opus/48000") or c.startswith("pcmu/8000") or c.startswith("pcma/8000") for c in codecs):
        problems.append("no Opus, PCMU or PCMA codec")
    return info, problems


def first_mid(sdp):
    for line in sdp.replace("\r\n", "\n").split("\n"):
        if line.startswith("a=mid:"):
            return line[6:].strip()
    return None


# ---------------------------------------------------------------------------------------------
# SIP messages
# ---------------------------------------------------------------------------------------------

COMPACT = {
    "i": "call-id",
    "m": "contact",
    "e": "content-encoding",
    "l": "content-length",
    "c": "content-type",
    "f": "from",
    "s": "subject",
    "k": "supported",
    "t": "to",
    "v": "via",
    "o": "event",
    "u": "allow-events",
    "r": "refer-to",
    "b": "referred-by",
    "x": "session-expires",
}
LIST_HEADERS = {"via", "route", "record-route", "contact", "allow", "supported", "require", "path"}


def split_list(value):
    """Splits a comma-separated header value outside quotes and <...>."""
    items, current, quoted, angle, escaped = [], [], False, False, False
    for ch in value:
        if escaped:
            escaped = False
        elif quoted and ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif not quoted and ch == "<":
            angle = True
        elif not quoted and ch == ">":
            angle = False
        elif ch == "," and not quoted and not angle:
            items.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    if "".join(current).strip():
        items.append("".join(current).strip())
    return items


def name_addr_uri(value):
    """The URI of a name-addr or addr-spec header value."""
    if "<" in value and ">" in value:
        return value[value.index("<") + 1 : value.index(">")]
    return value.split(";", 1)[0].strip()


def header_params(value):
    rest = value[value.index(">") + 1 :] if ">" in value else value.split(";", 1)[1] if ";" in value else ""
    params = {}
    for part in rest.split(";"):
        part = part.strip()
        if part:
            key, _, val = part.partition("=")
            params[key.strip().lower()] = val.strip()
    return params


def uri_is_loose_router(uri):
    return re.search(r";lr(?:[;=]|$)", uri, re.IGNORECASE) is not None


class SipMessage:
    def __init__(self, start_line, headers, body):
        self.start_line = start_line
        self.headers = headers  # [(lower-case long name, value)]
        self.body = body
        parts = start_line.split(" ", 2)
        if start_line.startswith("SIP/2.0 "):
            self.method = None
            self.status = int(parts[1])
            self.reason = parts[2] if len(parts) > 2 else ""
            self.uri = None
        else:
            self.method = parts[0]
            self.uri = parts[1] if len(parts) > 1 else ""
            self.status = None

    @classmethod
    def parse(cls, data):
        text = data.decode("utf-8", "replace") if isinstance(data, (bytes, bytearray)) else data
        head, _, body = text.partition("\r\n\r\n")
        if not _:
            head, _, body = text.partition("\n\n")
        lines = head.replace("\r\n", "\n").split("\n")
        start_line = lines[0].strip()
        headers = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and headers:
                name, value = headers[-1]
                headers[-1] = (name, value + " " + line.strip())
                continue
            name, sep, value = line.partition(":")
            if not sep:
                continue
            name = name.strip().lower()
            headers.append((COMPACT.get(name, name), value.strip()))
        return cls(start_line, headers, body)

    @property
    def is_request(self):
        return self.method is not None

    def header(self, name):
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return split_list(value)[0] if name in LIST_HEADERS else value
        return None

    def header_values(self, name):
        name = name.lower()
        values = []
        for key, value in self.headers:
            if key == name:
                values.extend(split_list(value) if name in LIST_HEADERS else [value])
        return values

    def raw_headers(self, name):
        name = name.lower()
        return [value for key, value in self.headers if key == name]

    @property
    def cseq(self):
        value = self.header("cseq") or "0 NONE"
        number, _, method = value.partition(" ")
        return int(number), method.strip().upper()

    @property
    def branch(self):
        via = self.header("via") or ""
        return header_params(via).get("branch")

    @property
    def call_id(self):
        return self.header("call-id")

    @property
    def from_tag(self):
        return header_params(self.header("from") or "").get("tag")

    @property
    def to_tag(self):
        return header_params(self.header("to") or "").get("tag")


def random_token(length=10):
    alphabet = string.ascii_lowercase + string.digits
    return "".join(random.choice(alphabet) for _ in range(length))


def new_branch():
    return "z9hG4bK" + random_token(16)


# ---------------------------------------------------------------------------------------------
# Digest (RFC 2617 / RFC 7616, RFC 8760 for SIP)
# ---------------------------------------------------------------------------------------------

DIGEST_PREFERENCE = ["SHA-256", "SHA-256-SESS", "MD5", "MD5-SESS"]
DIGEST_HASH = {"SHA-256": "sha256", "MD5": "md5"}


def parse_challenge(value):
    scheme, _, rest = value.strip().partition(" ")
    params = {}
    for match in re.finditer(r'([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', rest):
        params[match.group(1).lower()] = match.group(2) if match.group(2) is not None else match.group(3)
    return scheme.lower(), params


def choose_challenge(values, only_algorithm=None):
    """The challenge to answer: Digest, an algorithm we support, SHA-256 preferred (RFC 8760 §2.4)."""
    candidates = []
    for value in values:
        scheme, params = parse_challenge(value)
        if scheme != "digest" or "nonce" not in params or "realm" not in params:
            continue
        algorithm = params.get("algorithm", "MD5").upper()
        if algorithm not in DIGEST_PREFERENCE:
            continue
        if only_algorithm and algorithm != only_algorithm.upper():
            continue
        candidates.append((DIGEST_PREFERENCE.index(algorithm), params))
    candidates.sort(key=lambda item: item[0])
    return candidates[0][1] if candidates else None


def digest_credentials(params, method, uri, username, password, body=""):
    algorithm = params.get("algorithm", "MD5").upper()
    base = algorithm.replace("-SESS", "")

    def digest(text):
        return hashlib.new(DIGEST_HASH[base], text.encode("utf-8")).hexdigest()

    realm, nonce = params["realm"], params["nonce"]
    cnonce = random_token(16)
    ha1 = digest("%s:%s:%s" % (username, realm, password))
    if algorithm.endswith("-SESS"):
        ha1 = digest("%s:%s:%s" % (ha1, nonce, cnonce))
    qops = [q.strip().lower() for q in params.get("qop", "").split(",") if q.strip()]
    qop = "auth" if "auth" in qops else "auth-int" if "auth-int" in qops else None
    if qop == "auth-int":
        ha2 = digest("%s:%s:%s" % (method, uri, digest(body)))
    else:
        ha2 = digest("%s:%s" % (method, uri))
    nc = "00000001"
    if qop:
        response = digest("%s:%s:%s:%s:%s:%s" % (ha1, nonce, nc, cnonce, qop, ha2))
    else:
        response = digest("%s:%s:%s" % (ha1, nonce, ha2))
    fields = [
        'username="%s"' % username,
        'realm="%s"' % realm,
        'nonce="%s"' % nonce,
        'uri="%s"' % uri,
        'response="%s"' % response,
    ]
    if "algorithm" in params:
        fields.append("algorithm=%s" % params["algorithm"])
    if "opaque" in params:
        fields.append('opaque="%s"' % params["opaque"])
    if qop:
        fields += ["qop=%s" % qop, "nc=%s" % nc, 'cnonce="%s"' % cnonce]
    return "Digest " + ", ".join(fields), algorithm


# ---------------------------------------------------------------------------------------------
# The SIP user agent over one WebSocket
# ---------------------------------------------------------------------------------------------


class RequestSpec:
    """What a request is made of; rendered again (new branch, CSeq, credentials) on a challenge."""

    def __init__(self, method, uri, from_value, to_value, call_id, cseq, routes=(), contact=None, body="",
                 content_type=None, extra=()):
        self.method = method
        self.uri = uri
        self.from_value = from_value
        self.to_value = to_value
        self.call_id = call_id
        self.cseq = cseq
        self.routes = list(routes)
        self.contact = contact
        self.body = body
        self.content_type = content_type
        self.extra = list(extra)
        self.auth = {}  # (header name, realm) -> value
        self.branch = None


class SipUserAgent:
    def __init__(self, args, result):
        self.args = args
        self.result = result
        self.via_host = random_token(12) + ".invalid"
        self.contact_user = random_token(8)
        self.instance = "urn:uuid:%s" % uuid.uuid4()
        self.aor = "sip:%s@%s" % (args.user, args.domain)
        self.ws = None
        self.waiters = {}
        self.request_handler = None
        self.stray_response_handler = None
        self.reader_task = None
        self.closed = asyncio.Event()
        self.register_call_id = random_token(20)
        self.register_cseq = 0
        self.user_agent = "parley-webrtc-peer/1 (aiortc)"

    def contact(self, outbound=False):
        return "<sip:%s@%s;transport=ws%s>" % (self.contact_user, self.via_host, ";ob" if outbound else "")

    async def connect(self):
        context = None
        if self.args.ws_url.startswith("wss:"):
            context = ssl.create_default_context(cafile=self.args.cafile) if self.args.cafile else ssl.create_default_context()
            if self.args.insecure:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
        # No Origin unless asked: a client without Origin is not a browser (DESIGN.md).
        self.ws = await websockets.connect(
            self.args.ws_url,
            subprotocols=["sip"],
            ssl=context,
            origin=self.args.origin,
            ping_interval=None,
            max_size=1 << 20,
            open_timeout=10,
        )
        self.result["ws_subprotocol"] = self.ws.subprotocol
        if self.ws.subprotocol != "sip":
            raise RuntimeError("server selected subprotocol %r, not sip (RFC 7118 §4)" % self.ws.subprotocol)
        self.reader_task = asyncio.ensure_future(self._read())

    async def close(self):
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 3)
            except Exception:
                pass
        if self.reader_task is not None:
            self.reader_task.cancel()
            try:
                await self.reader_task
            except (asyncio.CancelledError, Exception):
                pass

    async def send(self, text):
        LOG.info("-> sent\n%s", text)
        await self.ws.send(text)

    async def _read(self):
        try:
            async for data in self.ws:
                try:
                    message = SipMessage.parse(data)
                except Exception as error:
                    LOG.warning("unparsable message (%r): %r", error, data[:200])
                    continue
                LOG.info("<- received\n%s", data if isinstance(data, str) else data.decode("utf-8", "replace"))
                if message.is_request:
                    if self.request_handler is not None:
                        asyncio.ensure_future(self.request_handler(message))
                    continue
                key = (message.branch, message.cseq[1])
                queue = self.waiters.get(key)
                if queue is not None:
                    queue.put_nowait(message)
                elif self.stray_response_handler is not None:
                    asyncio.ensure_future(self.stray_response_handler(message))
        except websockets.ConnectionClosed as closed:
            self.result["ws_close"] = "%s %s" % (closed.code, closed.reason)
        finally:
            self.closed.set()
            for queue in self.waiters.values():
                queue.put_nowait(None)

    def render(self, spec, branch):
        lines = ["%s %s SIP/2.0" % (spec.method, spec.uri), "Via: SIP/2.0/WSS %s;branch=%s" % (self.via_host, branch),
                 "Max-Forwards: 70"]
        lines += ["Route: %s" % route for route in spec.routes]
        lines += [
            "From: %s" % spec.from_value,
            "To: %s" % spec.to_value,
            "Call-ID: %s" % spec.call_id,
            "CSeq: %d %s" % (spec.cseq, spec.method),
        ]
        if spec.contact:
            lines.append("Contact: %s" % spec.contact)
        for (name, _), value in spec.auth.items():
            lines.append("%s: %s" % (name, value))
        lines += ["%s: %s" % item for item in spec.extra]
        lines.append("User-Agent: %s" % self.user_agent)
        body = spec.body or ""
        if body:
            lines.append("Content-Type: %s" % spec.content_type)
        lines.append("Content-Length: %d" % len(body.encode("utf-8")))
        return "\r\n".join(lines) + "\r\n\r\n" + body

    def render_ack_for_failure(self, spec, response):
        """ACK for a non-2xx final response: same branch, hop by hop (RFC 3261 §17.1.1.3)."""
        lines = ["ACK %s SIP/2.0" % spec.uri, "Via: SIP/2.0/WSS %s;branch=%s" % (self.via_host, spec.branch),
                 "Max-Forwards: 70"]
        lines += ["Route: %s" % route for route in spec.routes]
        lines += [
            "From: %s" % spec.from_value,
            "To: %s" % (response.header("to") or spec.to_value),
            "Call-ID: %s" % spec.call_id,
            "CSeq: %d ACK" % spec.cseq,
            "Content-Length: 0",
        ]
        return "\r\n".join(lines) + "\r\n\r\n"

    async def transact(self, spec, timeout=32.0, on_provisional=None, cancel_after=None):
        """Sends a request and returns its final response (None on timeout or a closed socket).

        Answers 401/407 with digest credentials (once per realm, again when stale=true).
        """
        answered = set()
        for _ in range(4):
            spec.branch = new_branch()
            key = (spec.branch, spec.method)
            queue = asyncio.Queue()
            self.waiters[key] = queue
            final = None
            cancelled = False
            try:
                await self.send(self.render(spec, spec.branch))
                started = time.monotonic()
                limit = timeout
                while True:
                    remaining = started + limit - time.monotonic()
                    if cancel_after is not None and not cancelled:
                        remaining = min(remaining, started + cancel_after - time.monotonic())
                    try:
                        message = await asyncio.wait_for(queue.get(), max(0.01, remaining))
                    except asyncio.TimeoutError:
                        if cancel_after is not None and not cancelled and time.monotonic() >= started + cancel_after:
                            cancelled = True
                            self.result["cancelled"] = True
                            await self.cancel(spec)
                            limit = cancel_after + 32.0
                            continue
                        return None
                    if message is None:
                        return None
                    if message.status < 200:
                        if on_provisional is not None:
                            on_provisional(message)
                        continue
                    final = message
                    break
            finally:
                self.waiters.pop(key, None)
            if spec.method == "INVITE" and final.status >= 300:
                await self.send(self.render_ack_for_failure(spec, final))
            if final.status in (401, 407) and self.args.password is not None:
                header = "WWW-Authenticate" if final.status == 401 else "Proxy-Authenticate"
                answer_header = "Authorization" if final.status == 401 else "Proxy-Authorization"
                challenge = choose_challenge(final.raw_headers(header.lower()), self.args.digest_algorithm)
                if challenge is None:
                    self.result["auth_error"] = "no supported digest challenge in %d" % final.status
                    return final
                realm = challenge["realm"]
                stale = challenge.get("stale", "").lower() == "true"
                if (answer_header, realm) in answered and not stale:
                    return final  # our credentials were refused
                answered.add((answer_header, realm))
                value, algorithm = digest_credentials(
                    challenge, spec.method, spec.uri, self.args.auth_user, self.args.password, spec.body or "")
                spec.auth[(answer_header, realm)] = value
                self.result["digest_algorithm"] = algorithm
                spec.cseq += 1
                continue
            return final
        return final

    async def cancel(self, spec):
        """CANCEL a pending INVITE (RFC 3261 §9.1): same branch, Route, From, To and CSeq number."""
        lines = ["CANCEL %s SIP/2.0" % spec.uri, "Via: SIP/2.0/WSS %s;branch=%s" % (self.via_host, spec.branch),
                 "Max-Forwards: 70"]
        lines += ["Route: %s" % route for route in spec.routes]
        lines += [
            "From: %s" % spec.from_value,
            "To: %s" % spec.to_value,
            "Call-ID: %s" % spec.call_id,
            "CSeq: %d CANCEL" % spec.cseq,
            "Content-Length: 0",
        ]
        await self.send("\r\n".join(lines) + "\r\n\r\n")

    def response(self, request, status, reason, to_tag=None, contact=False, record_route=False, body="",
                 content_type=None, extra=()):
        lines = ["SIP/2.0 %d %s" % (status, reason)]
        lines += ["Via: %s" % via for via in request.raw_headers("via")]
        if record_route:
            lines += ["Record-Route: %s" % value for value in request.raw_headers("record-route")]
        to_value = request.header("to") or ""
        if to_tag and "tag" not in header_params(to_value):
            to_value += ";tag=%s" % to_tag
        lines += [
            "From: %s" % request.header("from"),
            "To: %s" % to_value,
            "Call-ID: %s" % request.call_id,
            "CSeq: %s" % request.header("cseq"),
        ]
        if contact:
            lines.append("Contact: %s" % self.contact(outbound=True))
        lines += ["%s: %s" % item for item in extra]
        lines.append("Server: %s" % self.user_agent)
        if body:
            lines.append("Content-Type: %s" % content_type)
        lines.append("Content-Length: %d" % len(body.encode("utf-8")))
        return "\r\n".join(lines) + "\r\n\r\n" + body

    async def register(self, expires):
        self.register_cseq += 1
        contact = '%s;+sip.ice;reg-id=1;+sip.instance="<%s>"' % (self.contact(), self.instance)
        spec = RequestSpec(
            "REGISTER",
            "sip:%s" % self.args.domain,
            "<%s>;tag=%s" % (self.aor, random_token()),
            "<%s>" % self.aor,
            self.register_call_id,
            self.register_cseq,
            contact=contact,
            extra=[("Expires", str(expires)), ("Supported", "path, outbound, gruu")],
        )
        final = await self.transact(spec, timeout=10)
        self.register_cseq = spec.cseq
        return final


# ---------------------------------------------------------------------------------------------
# One call (dialog) with its peer connection
# ---------------------------------------------------------------------------------------------


class Dialog:
    def __init__(self, call_id, local_tag, remote_tag, local_value, remote_value, remote_target, route_set,
                 local_cseq):
        self.call_id = call_id
        self.local_tag = local_tag
        self.remote_tag = remote_tag
        self.local_value = local_value  # our name-addr without tag
        self.remote_value = remote_value
        self.remote_target = remote_target
        self.route_set = route_set
        self.local_cseq = local_cseq
        self.auth = {}

    def matches(self, message):
        if message.call_id != self.call_id:
            return False
        if message.is_request:
            return message.to_tag == self.local_tag and message.from_tag == self.remote_tag
        return message.from_tag == self.local_tag and message.to_tag == self.remote_tag

    def request(self, method, body="", content_type=None, contact=None, cseq=None):
        """A request within the dialog (RFC 3261 §12.2.1.1), loose or strict routing."""
        if cseq is None:
            self.local_cseq += 1
            cseq = self.local_cseq
        uri, routes = self.remote_target, list(self.route_set)
        if routes and not uri_is_loose_router(name_addr_uri(routes[0])):
            uri = name_addr_uri(routes[0])
            routes = routes[1:] + ["<%s>" % self.remote_target]
        spec = RequestSpec(
            method,
            uri,
            "%s;tag=%s" % (self.local_value, self.local_tag),
            "%s;tag=%s" % (self.remote_value, self.remote_tag),
            self.call_id,
            cseq,
            routes=routes,
            contact=contact,
            body=body,
            content_type=content_type,
        )
        return spec


def without_tag(value):
    return re.sub(r";\s*tag=[^;>]*", "", value)


class Call:
    def __init__(self, ua, args, result):
        self.ua = ua
        self.args = args
        self.result = result
        self.pc = None
        self.transceiver = None
        self.recorder = Recorder()
        self.sdp = SdpWriter(tamper_fingerprint=getattr(args, "tamper_fingerprint", False))
        self.dialog = None
        self.invite_spec = None
        self.ack_text = None
        self.pending_invite = None
        self.answered = False
        self.acked = {}  # remote CSeq of an INVITE we answered with 2xx -> Event
        self.ack_bodies = {}
        self.bye_received = asyncio.Event()
        self.incoming = asyncio.Event()
        self.established_at = None
        self.reinvites_received = []
        ua.request_handler = self.on_request
        ua.stray_response_handler = self.on_stray_response

    # --- media -----------------------------------------------------------------------------------

    def new_peer_connection(self):
        self.pc = make_peer_connection()
        self.transceiver = self.pc.addTransceiver(SineTrack(self.args.tone_hz), direction="sendrecv")
        set_codec_preference(self.transceiver, self.args.codec)

        @self.pc.on("track")
        def on_track(track):
            if track.kind == "audio":
                self.recorder.start(track)

    async def media_up(self):
        state = await wait_connected(self.pc, self.args.connect_timeout)
        self.result["connection_state"] = state
        self.result["media_connected"] = state == "connected"
        return state == "connected"

    # --- requests from the server ----------------------------------------------------------------

    async def on_request(self, request):
        method = request.method
        try:
            if method == "OPTIONS":
                await self.ua.send(self.ua.response(request, 200, "OK", to_tag=random_token(), extra=[
                    ("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, NOTIFY"), ("Accept", "application/sdp")]))
            elif method == "INVITE" and request.to_tag is None:
                await self.on_initial_invite(request)
            elif method == "INVITE":
                await self.on_reinvite(request)
            elif method == "ACK":
                if self.dialog is not None and self.dialog.matches(request):
                    number = request.cseq[0]
                    self.ack_bodies[number] = request.body
                    self.acked.setdefault(number, asyncio.Event()).set()
            elif method == "CANCEL":
                await self.on_cancel(request)
            elif method == "BYE":
                if self.dialog is not None and self.dialog.matches(request):
                    await self.ua.send(self.ua.response(request, 200, "OK"))
                    self.result["bye_received"] = True
                    self.bye_received.set()
                else:
                    await self.ua.send(self.ua.response(request, 481, "Call/Transaction Does Not Exist"))
            elif method in ("MESSAGE", "NOTIFY", "INFO"):
                await self.ua.send(self.ua.response(request, 200, "OK", to_tag=None if request.to_tag else random_token()))
            else:
                await self.ua.send(self.ua.response(request, 405, "Method Not Allowed", extra=[
                    ("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, NOTIFY")]))
        except Exception as error:
            LOG.exception("handling %s", method)
            self.result.setdefault("handler_errors", []).append("%s: %r" % (method, error))

    async def on_stray_response(self, response):
        """A 2xx to an INVITE whose transaction is over: a retransmission (ACK again) or another fork."""
        if response.status is None or not 200 <= response.status < 300 or response.cseq[1] != "INVITE":
            return
        if self.dialog is not None and self.dialog.matches(response):
            if self.ack_text is not None:
                await self.ua.send(self.ack_text)
            return
        if self.invite_spec is None or response.call_id != self.invite_spec.call_id:
            return
        # RFC 3261 §13.2.2.4: a second dialog from a fork is ACKed and then ended.
        self.result["extra_forks_ended"] = self.result.get("extra_forks_ended", 0) + 1
        other = self.dialog_from_response(response, self.invite_spec)
        ack = other.request("ACK", cseq=response.cseq[0])
        await self.ua.send(self.ua.render(ack, new_branch()))
        await self.ua.transact(other.request("BYE"), timeout=5)

    def dialog_from_response(self, response, spec):
        contact = response.header("contact")
        routes = list(reversed(response.header_values("record-route")))
        return Dialog(
            spec.call_id,
            header_params(spec.from_value).get("tag"),
            response.to_tag,
            without_tag(spec.from_value),
            without_tag(response.header("to") or spec.to_value),
            name_addr_uri(contact) if contact else spec.uri,
            routes,
            spec.cseq,
        )

    # --- caller ----------------------------------------------------------------------------------

    async def place(self, target):
        self.new_peer_connection()
        offer = await self.pc.createOffer()
        await self.pc.setLocalDescription(offer)
        body = self.sdp.prepare(self.pc.localDescription.sdp)
        self.result["local_candidates"] = [l for l in body.split("\r\n") if l.startswith("a=candidate")]
        offer_mid = first_mid(body)
        spec = RequestSpec(
            "INVITE",
            target,
            "<%s>;tag=%s" % (self.ua.aor, random_token()),
            "<%s>" % target,
            random_token(24),
            1,
            contact=self.ua.contact(outbound=True),
            body=body,
            content_type="application/sdp",
            extra=[("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, NOTIFY")],
        )
        self.invite_spec = spec
        provisional = []
        final = await self.ua.transact(
            spec, timeout=self.args.answer_timeout + 32, on_provisional=lambda m: provisional.append(m.status),
            cancel_after=self.args.answer_timeout)
        self.result["provisional"] = provisional
        self.result["invite_status"] = final.status if final else None
        if final is None:
            self.result["error"] = "no final response to INVITE"
            return False
        if not 200 <= final.status < 300:
            self.result["invite_reason"] = final.reason
            if self.args.expect_status is None:
                self.result["error"] = "INVITE got %d %s" % (final.status, final.reason)
            return False
        self.dialog = self.dialog_from_response(final, spec)
        self.dialog.auth = dict(spec.auth)
        self.result["route_set"] = self.dialog.route_set
        # ACK for 2xx: new transaction, within the dialog, the INVITE's credentials (RFC 3261 §13.2.2.4).
        ack = self.dialog.request("ACK", cseq=spec.cseq)
        ack.auth = dict(spec.auth)
        self.ack_text = self.ua.render(ack, new_branch())
        await self.ua.send(self.ack_text)
        self.result["call_established"] = True
        self.established_at = time.monotonic()
        answer = final.body or ""
        info, problems = inspect_sdp(answer, "answer", offer_mid)
        self.result["remote_sdp"] = info
        self.result["remote_sdp_problems"] = problems
        self.result["remote_sdp_ok"] = not problems
        if self.args.dump_sdp:
            sys.stderr.write("--- local offer\n%s--- remote answer\n%s" % (body, answer))
        try:
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        except Exception as error:
            self.result["error"] = "aiortc refused the answer: %r" % error
            self.result["remote_sdp_ok"] = False
            await self.hang_up()
            return False
        return True

    # --- callee ----------------------------------------------------------------------------------

    async def on_initial_invite(self, request):
        if not self.args.answer or self.pending_invite is not None or self.dialog is not None:
            await self.ua.send(self.ua.response(request, 486, "Busy Here", to_tag=random_token()))
            return
        self.pending_invite = request
        local_tag = random_token()
        contact = request.header("contact")
        self.dialog = Dialog(
            request.call_id,
            local_tag,
            request.from_tag,
            without_tag(request.header("to") or ""),
            without_tag(request.header("from") or ""),
            name_addr_uri(contact) if contact else request.uri,
            request.header_values("record-route"),
            random.randint(1, 1000),
        )
        self.result["route_set"] = self.dialog.route_set
        self.result["caller"] = request.header("from")
        await self.ua.send(self.ua.response(request, 180, "Ringing", to_tag=local_tag, contact=True, record_route=True))
        offer = request.body or ""
        info, problems = inspect_sdp(offer, "offer")
        self.result["remote_sdp"] = info
        self.result["remote_sdp_problems"] = problems
        self.result["remote_sdp_ok"] = not problems
        self.new_peer_connection()
        try:
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
            answer = await self.pc.createAnswer()
            await self.pc.setLocalDescription(answer)
        except Exception as error:
            self.result["error"] = "aiortc refused the offer: %r" % error
            self.result["remote_sdp_ok"] = False
            await self.ua.send(self.ua.response(request, 488, "Not Acceptable Here", to_tag=local_tag))
            self.incoming.set()
            return
        body = self.sdp.prepare(self.pc.localDescription.sdp)
        self.result["local_candidates"] = [l for l in body.split("\r\n") if l.startswith("a=candidate")]
        if self.args.dump_sdp:
            sys.stderr.write("--- remote offer\n%s--- local answer\n%s" % (offer, body))
        await asyncio.sleep(self.args.answer_delay)
        if self.pending_invite is None:
            return  # cancelled meanwhile
        self.answered = True
        ok = self.ua.response(request, 200, "OK", to_tag=local_tag, contact=True, record_route=True, body=body,
                              content_type="application/sdp")
        self.result["call_established"] = True
        self.established_at = time.monotonic()
        self.incoming.set()
        acked = await self.send_until_acked(ok, request.cseq[0])
        self.result["ack_received"] = acked

    async def send_until_acked(self, response_text, cseq_number):
        """Retransmits a 2xx to INVITE until the ACK comes (RFC 3261 §13.3.1.4), up to 64*T1."""
        event = self.acked.setdefault(cseq_number, asyncio.Event())
        interval = T1
        deadline = time.monotonic() + 64 * T1
        while time.monotonic() < deadline:
            await self.ua.send(response_text)
            try:
                await asyncio.wait_for(event.wait(), interval)
                return True
            except asyncio.TimeoutError:
                interval = min(interval * 2, T2)
            if self.ua.closed.is_set():
                return False
        return False

    async def on_cancel(self, request):
        invite = self.pending_invite
        if invite is None or invite.branch != request.branch or self.answered:
            await self.ua.send(self.ua.response(request, 481, "Call/Transaction Does Not Exist"))
            return
        await self.ua.send(self.ua.response(request, 200, "OK"))
        await self.ua.send(self.ua.response(invite, 487, "Request Terminated", to_tag=self.dialog.local_tag))
        self.pending_invite = None
        self.dialog = None
        self.result["cancelled"] = True
        self.incoming.set()

    async def on_reinvite(self, request):
        if self.dialog is None or not self.dialog.matches(request):
            await self.ua.send(self.ua.response(request, 481, "Call/Transaction Does Not Exist"))
            return
        contact = request.header("contact")
        if contact:
            self.dialog.remote_target = name_addr_uri(contact)  # target refresh (RFC 3261 §12.2.2)
        offer = request.body or ""
        record = {"cseq": request.cseq[0], "offer_direction": sdp_direction(offer) if offer else None}
        body = None
        if offer:
            try:
                await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
                answer = await self.pc.createAnswer()
                await self.pc.setLocalDescription(answer)
                body = self.sdp.prepare(self.pc.localDescription.sdp)
                record["answered_by"] = "aiortc"
            except Exception as error:
                record["aiortc_error"] = repr(error)
                await self.ua.send(self.ua.response(request, 488, "Not Acceptable Here"))
                self.reinvites_received.append(record)
                self.result["reinvites_received"] = self.reinvites_received
                return
        else:
            # Offerless re-INVITE: our offer goes in the 2xx, the answer comes in the ACK (RFC 3261 §14.2).
            offer_description = await self.pc.createOffer()
            await self.pc.setLocalDescription(offer_description)
            body = self.sdp.prepare(self.pc.localDescription.sdp)
            record["answered_by"] = "offer-in-2xx"
        record["answer_direction"] = sdp_direction(body)
        self.reinvites_received.append(record)
        self.result["reinvites_received"] = self.reinvites_received
        ok = self.ua.response(request, 200, "OK", contact=True, body=body, content_type="application/sdp")
        record["ack_received"] = await self.send_until_acked(ok, request.cseq[0])
        if not offer and record["ack_received"]:
            ack_body = self.ack_bodies.get(request.cseq[0]) or ""
            try:
                await self.pc.setRemoteDescription(RTCSessionDescription(sdp=ack_body, type="answer"))
            except Exception as error:
                record["aiortc_error"] = repr(error)

    # --- in-dialog requests we send --------------------------------------------------------------

    async def reinvite(self, direction):
        """A re-INVITE with aiortc's new offer in `direction`; returns (status, answer direction)."""
        self.transceiver.direction = direction
        offer = await self.pc.createOffer()
        await self.pc.setLocalDescription(offer)
        body = self.sdp.prepare(self.pc.localDescription.sdp)
        spec = self.dialog.request("INVITE", body=body, content_type="application/sdp",
                                   contact=self.ua.contact(outbound=True))
        final = await self.ua.transact(spec, timeout=10)
        self.dialog.local_cseq = spec.cseq
        if final is None:
            return None, None
        if not 200 <= final.status < 300:
            return final.status, None
        contact = final.header("contact")
        if contact:
            self.dialog.remote_target = name_addr_uri(contact)
        ack = self.dialog.request("ACK", cseq=spec.cseq)
        ack.auth = dict(spec.auth)
        self.ack_text = self.ua.render(ack, new_branch())
        await self.ua.send(self.ack_text)
        answer = final.body or ""
        try:
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        except Exception as error:
            self.result.setdefault("hold", {})["aiortc_error"] = repr(error)
        return final.status, sdp_direction(answer) if answer else None

    async def hang_up(self):
        if self.dialog is None:
            return None
        spec = self.dialog.request("BYE")
        final = await self.ua.transact(spec, timeout=10)
        self.dialog.local_cseq = spec.cseq
        status = final.status if final else None
        self.result["bye_status"] = status
        return status

    async def media_phase(self, seconds):
        """Lets media flow for `seconds` (the hold test in the middle when asked)."""
        if not self.args.hold_test:
            await asyncio.sleep(seconds)
            return
        seconds = max(seconds, 4.5)
        start = time.monotonic()
        hold = {}
        self.result["hold"] = hold
        await asyncio.sleep(2.0)
        hold_sent = time.monotonic()
        hold["hold_status"], hold["hold_answer_direction"] = await self.reinvite("sendonly")
        hold_done = time.monotonic()
        await asyncio.sleep(1.0)
        resume_sent = time.monotonic()
        hold["resume_status"], hold["resume_answer_direction"] = await self.reinvite("sendrecv")
        resume_done = time.monotonic()
        await asyncio.sleep(max(1.5, seconds - (time.monotonic() - start)))
        end = time.monotonic()
        settle = 0.3
        hold["frames_before_hold"] = self.recorder.frames_between(start, hold_sent)
        hold["frames_during_hold"] = self.recorder.frames_between(hold_done + settle, resume_sent)
        hold["frames_after_resume"] = self.recorder.frames_between(resume_done + settle, end)
        expected = (end - resume_done - settle) / 0.02
        hold["audio_after_resume"] = hold["frames_after_resume"] >= 0.5 * expected
        if self.recorder.rate:
            offset = self.recorder.offset_at(resume_done + settle)
            analysis = tone.analyze_samples(self.recorder.samples[offset:], self.recorder.rate, skip=0.0)
            hold["dominant_hz_after_resume"] = analysis["dominant_hz"]

    async def close(self):
        await self.recorder.stop()
        if self.pc is not None:
            try:
                await asyncio.wait_for(self.pc.close(), 5)
            except Exception:
                pass


# ---------------------------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------------------------


async def run_sip(args, result):
    ua = SipUserAgent(args, result)
    call = Call(ua, args, result)
    try:
        await ua.connect()
        if not args.no_register:
            final = await ua.register(args.expires)
            result["register_status"] = final.status if final else None
            result["registered"] = final is not None and final.status == 200
            if result["registered"]:
                # A marker for whoever waits on this peer's output before calling it.
                sys.stderr.write("peer registered\n")
                sys.stderr.flush()
            if not result["registered"]:
                result["error"] = "REGISTER got %s" % (("%d %s" % (final.status, final.reason)) if final else "no answer")
                return
            result["register_contacts"] = final.header_values("contact")

        if args.message:
            spec = RequestSpec(
                "MESSAGE",
                args.message,
                "<%s>;tag=%s" % (ua.aor, random_token()),
                "<%s>" % args.message,
                random_token(24),
                1,
                body=args.text,
                content_type="text/plain",
            )
            final = await ua.transact(spec, timeout=10)
            result["message_status"] = final.status if final else None
            result["final_status"] = result["message_status"]
        elif args.call:
            established = await call.place(args.call)
            result["final_status"] = result.get("invite_status")
            if established:
                await run_media(call, args, result)
                if call.dialog is not None and not result.get("bye_received"):
                    await call.hang_up()
        elif args.answer:
            try:
                await asyncio.wait_for(call.incoming.wait(), args.answer_wait)
            except asyncio.TimeoutError:
                result["error"] = "no INVITE within %.0f s" % args.answer_wait
                return
            if result.get("cancelled") and not result.get("call_established"):
                result["error"] = "the caller cancelled the INVITE"
            if result.get("call_established"):
                await run_media(call, args, result)
                try:
                    remaining = args.duration + args.bye_timeout - (time.monotonic() - call.established_at)
                    await asyncio.wait_for(call.bye_received.wait(), max(0.1, remaining))
                except asyncio.TimeoutError:
                    result["error"] = result.get("error") or "no BYE within %.0f s of the call's end" % args.bye_timeout
                    await call.hang_up()
        elif args.duration:
            await asyncio.sleep(args.duration)
    finally:
        await finish_media(call, args, result)
        if result.get("registered") and not ua.closed.is_set() and args.unregister:
            try:
                final = await asyncio.wait_for(ua.register(0), 5)
                result["unregister_status"] = final.status if final else None
            except Exception:
                pass
        await ua.close()


async def run_media(call, args, result):
    connected = await call.media_up()
    if not connected:
        result["error"] = result.get("error") or "media did not connect (%s)" % result.get("connection_state")
        return
    result.update(transport_facts(call.pc))
    waiting = asyncio.ensure_future(call.bye_received.wait())
    media = asyncio.ensure_future(call.media_phase(args.duration))
    await asyncio.wait([waiting, media], return_when=asyncio.FIRST_COMPLETED)
    if not media.done():
        result["bye_received_early"] = True
        media.cancel()
    waiting.cancel()


async def finish_media(call, args, result):
    await call.close()
    recorder = call.recorder
    result["frames_received"] = recorder.frames
    result["received_seconds"] = round(len(recorder.samples) / recorder.rate, 3) if recorder.rate else 0.0
    result["record_sample_rate"] = recorder.rate
    if recorder.other_rate_frames:
        result["frames_dropped_rate_change"] = recorder.other_rate_frames
    if recorder.rate and recorder.samples:
        analysis = tone.analyze_samples(recorder.samples, recorder.rate, skip=args.skip)
        result["dominant_hz"] = analysis["dominant_hz"]
        result["rms"] = analysis["rms"]
        result["purity"] = analysis["purity"]
    if args.record:
        recorder.write_wav(args.record)
        result["recording"] = os.path.abspath(args.record)


def judge(args, result):
    """Whether what was asked for completed."""
    if args.loopback_test:
        return result.get("error") is None and result.get("ok_a") and result.get("ok_b")
    if result.get("error"):
        return False
    if args.expect_status is not None:
        return result.get("final_status") == args.expect_status
    if not args.no_register and not result.get("registered"):
        return False
    if args.message:
        return result.get("message_status") is not None and 200 <= result["message_status"] < 300
    if args.call or args.answer:
        if not (result.get("call_established") and result.get("media_connected")):
            return False
        if result.get("frames_received", 0) < args.min_frames:
            return False
        if args.expect_hz is not None:
            found = result.get("dominant_hz")
            if found is None or abs(found - args.expect_hz) > args.tolerance:
                return False
        if args.hold_test:
            hold = result.get("hold", {})
            if hold.get("hold_status") != 200 or hold.get("resume_status") != 200:
                return False
            if not hold.get("audio_after_resume"):
                return False
        if args.call and result.get("bye_status") != 200 and not result.get("bye_received"):
            return False
        if args.answer and not result.get("bye_received"):
            return False
    return True


async def loopback_test(args, result):
    """aiortc <-> aiortc without SIP: proves the sine track, the recorder and the loopback patch.

    With --lite-answer the answer is rewritten as Parley's will look: a=ice-lite and
    a=setup:passive (the answerer really takes the DTLS server role), one host candidate.
    """
    offerer, answerer = make_peer_connection(), make_peer_connection()
    recorders = {"a": Recorder(), "b": Recorder()}
    for name, pc, hz in (("a", offerer, args.tone_hz), ("b", answerer, args.peer_tone_hz)):
        transceiver = pc.addTransceiver(SineTrack(hz), direction="sendrecv")
        set_codec_preference(transceiver, args.codec)
        pc.on("track", lambda track, name=name: recorders[name].start(track))
    await offerer.setLocalDescription(await offerer.createOffer())
    offer = SdpWriter().prepare(offerer.localDescription.sdp)
    await answerer.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
    answer_description = await answerer.createAnswer()
    answer_sdp = answer_description.sdp
    if args.lite_answer:
        answer_sdp = answer_sdp.replace("a=setup:active", "a=setup:passive")
        answer_sdp = answer_sdp.replace("t=0 0\r\n", "t=0 0\r\na=ice-lite\r\n", 1)
    await answerer.setLocalDescription(RTCSessionDescription(sdp=answer_sdp, type="answer"))
    answer = SdpWriter().prepare(answerer.localDescription.sdp)
    if args.lite_answer and "a=ice-lite" not in answer:
        answer = answer.replace("t=0 0\r\n", "t=0 0\r\na=ice-lite\r\n", 1)
    info, problems = inspect_sdp(answer, "answer", first_mid(offer))
    result["answer_sdp"] = info
    result["answer_problems"] = problems
    if args.dump_sdp:
        sys.stderr.write("--- offer\n%s--- answer\n%s" % (offer, answer))
    await offerer.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    result["offerer_state"] = await wait_connected(offerer, args.connect_timeout)
    result["answerer_state"] = await wait_connected(answerer, args.connect_timeout)
    result["offerer"] = transport_facts(offerer)
    result["answerer"] = transport_facts(answerer)
    await asyncio.sleep(args.duration)
    for recorder in recorders.values():
        await recorder.stop()
    await offerer.close()
    await answerer.close()
    for name, expect in (("a", args.peer_tone_hz), ("b", args.tone_hz)):
        recorder = recorders[name]
        analysis = tone.analyze_samples(recorder.samples, recorder.rate, skip=args.skip) if recorder.rate else {}
        result["frames_" + name] = recorder.frames
        result["rate_" + name] = recorder.rate
        result["dominant_hz_" + name] = analysis.get("dominant_hz")
        result["purity_" + name] = analysis.get("purity")
        found = analysis.get("dominant_hz")
        result["ok_" + name] = found is not None and abs(found - expect) <= args.tolerance
    if args.record and recorders["a"].rate:
        recorders["a"].write_wav(args.record)
        result["recording"] = os.path.abspath(args.record)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ws-url", help="wss://127.0.0.1:PORT/sip")
    parser.add_argument("--domain", default="localhost")
    parser.add_argument("--user", help="the public identity's user part (sip:USER@DOMAIN)")
    parser.add_argument("--auth-user", help="digest username (default --user)")
    parser.add_argument("--password")
    parser.add_argument("--digest-algorithm", help="answer only this algorithm's challenge (MD5 or SHA-256)")
    parser.add_argument("--origin", help="send this Origin header (default: none, a non-browser client)")
    parser.add_argument("--insecure", action="store_true", help="do not verify the server certificate")
    parser.add_argument("--cafile", help="CA bundle to verify the server certificate")
    parser.add_argument("--no-register", action="store_true")
    parser.add_argument("--expires", type=int, default=600)
    parser.add_argument("--no-unregister", dest="unregister", action="store_false",
                        help="leave the binding in place at the end")
    role = parser.add_mutually_exclusive_group()
    role.add_argument("--call", metavar="URI", help="place a call to URI")
    role.add_argument("--answer", action="store_true", help="wait for an INVITE and answer it")
    role.add_argument("--message", metavar="URI", help="send a MESSAGE to URI")
    role.add_argument("--loopback-test", action="store_true", help="aiortc to aiortc, no SIP")
    parser.add_argument("--text", default="hello from webrtc_peer", help="MESSAGE body")
    parser.add_argument("--tone-hz", type=float, default=1000.0)
    parser.add_argument("--peer-tone-hz", type=float, default=440.0, help="the other side's tone (--loopback-test)")
    parser.add_argument("--codec", help="offer/accept only this codec: opus, PCMU or PCMA")
    parser.add_argument("--record", metavar="WAV", help="write the received audio (mono 16-bit) here")
    parser.add_argument("--duration", type=float, default=4.0, help="seconds of media once connected")
    parser.add_argument("--hold-test", action="store_true",
                        help="re-INVITE a=sendonly after 2 s, a=sendrecv 1 s later; check audio after resume")
    parser.add_argument("--tamper-fingerprint", action="store_true",
                        help="announce a wrong a=fingerprint (the DTLS handshake, and so the call's media, must fail)")
    parser.add_argument("--lite-answer", action="store_true", help="--loopback-test: make the answer ICE-lite/passive")
    parser.add_argument("--answer-wait", type=float, default=30.0, help="--answer: seconds to wait for an INVITE")
    parser.add_argument("--answer-delay", type=float, default=0.3, help="--answer: seconds between 180 and 200")
    parser.add_argument("--answer-timeout", type=float, default=20.0, help="--call: CANCEL after this many seconds")
    parser.add_argument("--bye-timeout", type=float, default=15.0, help="--answer: seconds after --duration to wait for BYE")
    parser.add_argument("--connect-timeout", type=float, default=10.0, help="seconds for ICE+DTLS to connect")
    parser.add_argument("--expect-status", type=int, help="success means this final status (--call/--message)")
    parser.add_argument("--expect-hz", type=float, help="success needs this dominant frequency in what we received")
    parser.add_argument("--tolerance", type=float, default=15.0)
    parser.add_argument("--min-frames", type=int, default=25, help="success needs at least this many frames")
    parser.add_argument("--skip", type=float, default=0.5, help="seconds of received audio ignored by the analysis")
    parser.add_argument("--timeout", type=float, default=90.0, help="overall limit in seconds")
    parser.add_argument("--dump-sdp", action="store_true", help="print both SDPs on stderr")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="-v: SIP trace on stderr; -vv: aiortc debug")
    args = parser.parse_args(argv)
    if not args.loopback_test:
        if not args.ws_url or not args.user:
            parser.error("--ws-url and --user are required (or --loopback-test)")
        args.auth_user = args.auth_user or args.user
    return args


def main(argv):
    args = parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    if args.verbose >= 1:
        LOG.setLevel(logging.INFO)
    if args.verbose >= 2:
        logging.getLogger().setLevel(logging.DEBUG)
    result = {
        "registered": False,
        "call_established": False,
        "remote_sdp_ok": False,
        "frames_received": 0,
        "dominant_hz": None,
        "error": None,
    }
    if args.loopback_test:
        result = {"error": None}

    async def guarded():
        task = asyncio.ensure_future(loopback_test(args, result) if args.loopback_test else run_sip(args, result))
        try:
            await asyncio.wait_for(asyncio.shield(task), args.timeout)
        except asyncio.TimeoutError:
            result["error"] = result.get("error") or "overall timeout of %.0f s" % args.timeout
            task.cancel()
            try:
                await asyncio.wait_for(task, 10)
            except BaseException:
                pass

    try:
        asyncio.run(guarded())
    except Exception as error:
        result["error"] = result.get("error") or "%s: %s" % (type(error).__name__, error)
    except KeyboardInterrupt:
        result["error"] = "interrupted"
    ok = bool(judge(args, result))
    result["ok"] = ok
    print(json.dumps(result), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
