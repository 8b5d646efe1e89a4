// A scripted Parley stand-in: reads what the UA sends over the fake WebSocket and answers it.
import assert from "node:assert/strict";
import { SIPParser } from "../../js/sip/sip-parser.js";
import { SIPRequest } from "../../js/sip/sip-request.js";
import { SIPResponse } from "../../js/sip/sip-response.js";
import { UserAgent } from "../../js/sip/user-agent.js";
import {
    createPeerConnectionClass, createWebSocketClass, FakeMediaStream, fakeSDP, settle, VirtualClock,
} from "./fakes.js";

export const PARLEY_RECORD_ROUTE = "<sip:127.0.0.1:8443;transport=ws;lr;ob>";
const WAIT_LIMIT_MS = 2000;

export class ScriptedServer {
    constructor(socket) {
        this.socket = socket;
        this.readIndex = 0;
        this.keepAlives = 0;
        this.serial = 0;
    }

    /** The next SIP message the UA sent (keep-alive frames are counted and skipped); waits 2 s at most. */
    async next() {
        const deadline = Date.now() + WAIT_LIMIT_MS;
        for (;;) {
            while (this.readIndex < this.socket.sent.length) {
                const frame = this.socket.sent[this.readIndex];
                this.readIndex += 1;
                if (/^\s*$/.test(frame)) {
                    this.keepAlives += 1;
                    continue;
                }
                return SIPParser.parse(frame);
            }
            if (Date.now() > deadline) throw new Error("the UA sent nothing within 2 s");
            await new Promise((resolve) => setImmediate(resolve));
        }
    }

    /** @returns {Promise<SIPRequest>} */
    async expectRequest(method) {
        const message = await this.next();
        assert.ok(message instanceof SIPRequest, `expected a ${method} request, got ${message.startLine}`);
        assert.equal(message.method, method, `expected ${method}, got ${message.startLine}`);
        return message;
    }

    /** @returns {Promise<SIPResponse>} */
    async expectResponse(status, method = null) {
        const message = await this.next();
        assert.ok(message instanceof SIPResponse, `expected a ${status} response, got ${message.startLine}`);
        assert.equal(message.status, status, `expected ${status}, got ${message.startLine}`);
        if (method) assert.equal(message.cseq.method, method);
        return message;
    }

    /** Asserts that the UA sent no SIP message (after letting pending work settle). */
    async expectNothing() {
        await settle(10);
        const rest = this.socket.sent.slice(this.readIndex).filter((frame) => !/^\s*$/.test(frame));
        assert.deepEqual(rest.map((frame) => frame.split("\r\n")[0]), [], "the UA sent something unexpected");
    }

    /**
     * Answers a request of the UA.
     * @returns {SIPResponse} what was delivered
     */
    respond(request, status, reason, { toTag = null, headers = [], body = "", contentType = null } = {}) {
        const tag = toTag ?? (status === 100 ? null : `parley-${request.cseq.seq}`);
        const response = SIPResponse.replyingTo(request, status, reason, { toTag: tag });
        for (const [name, value] of headers) response.addHeader(name, value);
        if (contentType) response.addHeader("Content-Type", contentType);
        response.body = body;
        this.deliver(response);
        return response;
    }

    /** Delivers a request as Parley forwards it: its own Via on top of the caller's, Record-Route added. */
    sendRequest(method, { uri, from = "\"Bob\" <sip:bob@localhost>;tag=bob-tag", to = "<sip:alice@localhost>",
        callId = "call-from-bob", cseq = 1, headers = [], body = "", contentType = null,
        recordRoute = true, branch = null, contact = "<sip:bob@127.0.0.1:5070>" } = {}) {
        this.serial += 1;
        const request = new SIPRequest(method, uri);
        request.addHeader("Via", `SIP/2.0/WSS 127.0.0.1:8443;branch=${branch ?? `z9hG4bKparley${this.serial}`}`);
        request.addHeader("Via", `SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKbob${this.serial};rport=5070`);
        if (recordRoute) request.addHeader("Record-Route", PARLEY_RECORD_ROUTE);
        request.addHeader("Max-Forwards", "69");
        request.addHeader("From", from);
        request.addHeader("To", to);
        request.addHeader("Call-ID", callId);
        request.addHeader("CSeq", `${cseq} ${method}`);
        if (contact !== null) request.addHeader("Contact", contact);
        for (const [name, value] of headers) request.addHeader(name, value);
        if (contentType) request.addHeader("Content-Type", contentType);
        request.body = body;
        this.deliver(request);
        return request;
    }

    deliver(message) {
        this.socket.deliver(message.toString());
    }
}

/** A Parley-style pair of challenges: SHA-256 first, then MD5 (RFC 8760 §2.4). */
export function parleyChallenges(header, { nonce = "bm9uY2UtMQ", stale = false, realm = "localhost" } = {}) {
    const staleParam = stale ? ", stale=TRUE" : "";
    return ["SHA-256", "MD5"].map((algorithm) => [header,
        `Digest realm="${realm}", nonce="${nonce}", opaque="b3BhcXVl"${staleParam}, algorithm=${algorithm}, ` +
        "qop=\"auth\""]);
}

/**
 * A UserAgent wired to fakes and a virtual clock, with its events recorded.
 * @param {object} [overrides]  options merged into the UserAgent's
 * @param {object} [peer]       options of createPeerConnectionClass
 */
export function createHarness(overrides = {}, peer = {}) {
    const clock = new VirtualClock();
    const WebSocket = createWebSocketClass();
    const PeerConnection = createPeerConnectionClass(peer);
    const ua = new UserAgent({
        webSocketURL: "wss://localhost:8443/sip", aor: "sip:alice@localhost", authUsername: "alice-key",
        password: "secret", displayName: "Alice", instanceId: "0b8d8f1e-52b5-4d4c-9a53-4f0b7a1d2c3e",
        realm: "localhost", WebSocket, RTCPeerConnection: PeerConnection, MediaStream: FakeMediaStream,
        timers: clock, random: () => 0,
        logger: { debug() {}, warn() {} }, ...overrides,
    });
    const events = [];
    for (const type of ["statechange", "message", "incomingcall", "authfailed"]) {
        ua.addEventListener(type, (event) => events.push({ type, detail: event.detail }));
    }
    const harness = {
        clock, WebSocket, PeerConnection, ua, events, server: null,
        states: () => events.filter((event) => event.type === "statechange").map((event) => event.detail.state),
        /** Opens the newest socket and returns the server that plays Parley on it. */
        open() {
            const socket = WebSocket.sockets.at(-1);
            socket.acceptOpen();
            harness.server = new ScriptedServer(socket);
            return harness.server;
        },
        /** start(), open, REGISTER answered 200 with `expires`; returns the server. */
        async register({ expires = 600 } = {}) {
            ua.start();
            const server = harness.open();
            const register = await server.expectRequest("REGISTER");
            server.respond(register, 200, "OK",
                { headers: [["Contact", `${register.getHeader("Contact")};expires=${expires}`]] });
            await settle();
            assert.equal(ua.state, "registered");
            return server;
        },
    };
    return harness;
}

export { fakeSDP, settle };
