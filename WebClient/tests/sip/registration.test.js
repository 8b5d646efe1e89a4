// Registration, digest retries, keep-alive, reconnect and stop, against a scripted Parley.
import assert from "node:assert/strict";
import test from "node:test";
import { parseAuthHeader } from "../../js/sip/digest-challenge.js";
import { computeDigestResponse } from "../../js/sip/digest.js";
import { createHarness, parleyChallenges, settle } from "./harness.js";

test("REGISTER: 401 -> authorised REGISTER -> 200, refresh at half the granted expiry", async () => {
    const harness = createHarness();
    const { ua, clock, WebSocket } = harness;
    ua.start();
    assert.equal(ua.state, "connecting");
    assert.equal(WebSocket.sockets.length, 1);
    assert.equal(WebSocket.sockets[0].url, "wss://localhost:8443/sip");
    assert.equal(WebSocket.sockets[0].protocols, "sip");
    const server = harness.open();
    await settle();
    assert.equal(ua.state, "registering");

    const first = await server.expectRequest("REGISTER");
    assert.equal(first.uri.toString(), "sip:localhost");
    assert.match(first.getHeader("Via"), /^SIP\/2\.0\/WSS [a-z0-9]+\.invalid;branch=z9hG4bK[a-z0-9]+$/);
    assert.equal(first.getHeader("To"), "<sip:alice@localhost>");
    assert.equal(first.from.displayName, "Alice");
    assert.ok(first.from.tag);
    const contact = first.contacts[0];
    assert.match(contact.uri.host, /\.invalid$/);
    assert.equal(contact.uri.params.get("transport"), "ws");
    assert.ok(contact.uri.params.has("ob"));
    assert.equal(contact.params.get("+sip.instance"), "\"<urn:uuid:0b8d8f1e-52b5-4d4c-9a53-4f0b7a1d2c3e>\"");
    assert.equal(contact.params.get("reg-id"), "1");
    assert.equal(first.getHeader("Expires"), "600");
    assert.match(first.getHeader("Supported"), /outbound/);
    assert.equal(first.getHeader("User-Agent"), "Parley-WebClient/1.0");
    assert.equal(first.hasHeader("Authorization"), false);

    server.respond(first, 401, "Unauthorized", { headers: parleyChallenges("WWW-Authenticate") });
    const second = await server.expectRequest("REGISTER");
    assert.equal(second.callId, first.callId);
    assert.equal(second.cseq.seq, first.cseq.seq + 1);
    assert.notEqual(second.topVia.branch, first.topVia.branch);
    const credentials = parseAuthHeader(second.getHeader("Authorization")).params;
    assert.equal(credentials.get("algorithm"), "SHA-256", "SHA-256 is preferred over MD5");
    assert.equal(credentials.get("username"), "alice-key");
    assert.equal(credentials.get("realm"), "localhost");
    assert.equal(credentials.get("opaque"), "b3BhcXVl");
    const expected = await computeDigestResponse({
        algorithm: "SHA-256", username: "alice-key", password: "secret", realm: "localhost", nonce: "bm9uY2UtMQ",
        method: "REGISTER", uri: "sip:localhost", qop: "auth", nc: credentials.get("nc"),
        cnonce: credentials.get("cnonce"),
    });
    assert.equal(credentials.get("response"), expected);

    // Parley grants less than asked and lists another device's binding too.
    server.respond(second, 200, "OK", { headers: [
        ["Contact", "<sip:alice@192.0.2.7:5060>;expires=3500"],
        ["Contact", `${second.getHeader("Contact")};expires=300`],
        ["Expires", "999"],
    ] });
    await settle();
    assert.equal(ua.state, "registered");
    assert.deepEqual(harness.states(), ["connecting", "registering", "registered"]);

    await clock.advance(149_000);
    const keepAlives = WebSocket.sockets[0].sent.filter((frame) => frame === "\r\n\r\n").length;
    assert.equal(keepAlives, 5, "a CRLF keep-alive every 25 s meanwhile");
    await server.expectNothing();
    await clock.advance(1000);
    const refresh = await server.expectRequest("REGISTER");
    assert.equal(refresh.callId, first.callId);
    assert.equal(refresh.cseq.seq, second.cseq.seq + 1);
    server.respond(refresh, 200, "OK", { headers: [["Contact", `${refresh.getHeader("Contact")};expires=300`]] });
    await settle();
    assert.equal(ua.state, "registered");
});

test("the Expires header is used when our Contact carries no expires", async () => {
    const harness = createHarness();
    harness.ua.start();
    const server = harness.open();
    const register = await server.expectRequest("REGISTER");
    server.respond(register, 200, "OK", { headers: [["Expires", "120"]] });
    await settle();
    await harness.clock.advance(59_000);
    await server.expectNothing();
    await harness.clock.advance(1000);
    await server.expectRequest("REGISTER");
});

test("wrong password: a second 401 means authfailed, state failed, and no loop", async () => {
    const harness = createHarness();
    const { ua, clock, WebSocket } = harness;
    ua.start();
    const server = harness.open();
    const first = await server.expectRequest("REGISTER");
    server.respond(first, 401, "Unauthorized", { headers: parleyChallenges("WWW-Authenticate") });
    const second = await server.expectRequest("REGISTER");
    assert.ok(second.hasHeader("Authorization"));
    server.respond(second, 401, "Unauthorized",
        { headers: parleyChallenges("WWW-Authenticate", { nonce: "bm9uY2UtMg" }) });
    await settle();
    const failures = harness.events.filter((event) => event.type === "authfailed");
    assert.deepEqual(failures.map((event) => event.detail), [{ status: 401, reason: "Unauthorized" }]);
    assert.equal(ua.state, "failed");
    assert.equal(harness.events.at(-1).detail.reason, "401 Unauthorized");
    assert.ok(WebSocket.sockets[0].closeCall, "the socket is closed");
    await clock.advance(120_000);
    assert.equal(WebSocket.sockets.length, 1, "no reconnect after refused credentials");
    await server.expectNothing();
});

test("a stale nonce is answered again without authfailed", async () => {
    const harness = createHarness();
    harness.ua.start();
    const server = harness.open();
    const first = await server.expectRequest("REGISTER");
    server.respond(first, 401, "Unauthorized", { headers: parleyChallenges("WWW-Authenticate") });
    const second = await server.expectRequest("REGISTER");
    server.respond(second, 401, "Unauthorized",
        { headers: parleyChallenges("WWW-Authenticate", { nonce: "ZnJlc2g", stale: true }) });
    const third = await server.expectRequest("REGISTER");
    assert.equal(parseAuthHeader(third.getHeader("Authorization")).params.get("nonce"), "ZnJlc2g");
    server.respond(third, 200, "OK", { headers: [["Contact", `${third.getHeader("Contact")};expires=600`]] });
    await settle();
    assert.equal(harness.ua.state, "registered");
    assert.equal(harness.events.some((event) => event.type === "authfailed"), false);
});

test("423 Interval Too Brief: REGISTER again with Min-Expires", async () => {
    const harness = createHarness({ registerExpires: 60 });
    harness.ua.start();
    const server = harness.open();
    const first = await server.expectRequest("REGISTER");
    assert.equal(first.getHeader("Expires"), "60");
    server.respond(first, 423, "Interval Too Brief", { headers: [["Min-Expires", "3600"]] });
    const second = await server.expectRequest("REGISTER");
    assert.equal(second.getHeader("Expires"), "3600");
    assert.equal(second.cseq.seq, first.cseq.seq + 1);
    server.respond(second, 200, "OK", { headers: [["Contact", `${second.getHeader("Contact")};expires=3600`]] });
    await settle();
    assert.equal(harness.ua.state, "registered");
});

test("403 Forbidden: state failed with the reason, no authfailed", async () => {
    const harness = createHarness();
    harness.ua.start();
    const server = harness.open();
    const register = await server.expectRequest("REGISTER");
    server.respond(register, 403, "Forbidden");
    await settle();
    assert.equal(harness.ua.state, "failed");
    assert.deepEqual(harness.events.at(-1).detail, { state: "failed", reason: "403 Forbidden" });
    assert.equal(harness.events.some((event) => event.type === "authfailed"), false);
});

test("503 to REGISTER: reconnecting, then REGISTER again on the same socket", async () => {
    const harness = createHarness();
    harness.ua.start();
    const server = harness.open();
    const register = await server.expectRequest("REGISTER");
    server.respond(register, 503, "Service Unavailable");
    await settle();
    assert.equal(harness.ua.state, "reconnecting");
    await harness.clock.advance(1000);
    const again = await server.expectRequest("REGISTER");
    server.respond(again, 200, "OK", { headers: [["Contact", `${again.getHeader("Contact")};expires=600`]] });
    await settle();
    assert.equal(harness.ua.state, "registered");
    assert.equal(harness.WebSocket.sockets.length, 1);
});

test("reconnect after the socket closes: backoff 1, 2, 4 ... 30 s, then REGISTER again", async () => {
    const harness = createHarness();
    const { ua, clock, WebSocket } = harness;
    await harness.register();
    WebSocket.sockets[0].drop();
    await settle();
    assert.equal(ua.state, "reconnecting");
    assert.match(harness.events.at(-1).detail.reason, /connection lost/);
    const delays = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
        const [delay] = clock.delays();
        delays.push(delay);
        assert.equal(WebSocket.sockets.length, attempt + 1);
        await clock.advance(delay);
        assert.equal(WebSocket.sockets.length, attempt + 2, "a new socket after the delay");
        WebSocket.sockets.at(-1).refuseOpen();
        await settle();
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    await clock.advance(clock.delays()[0]);
    const server = harness.open();
    const register = await server.expectRequest("REGISTER");
    server.respond(register, 200, "OK", { headers: [["Contact", `${register.getHeader("Contact")};expires=600`]] });
    await settle();
    assert.equal(ua.state, "registered");
    // A successful registration resets the backoff.
    WebSocket.sockets.at(-1).drop();
    await settle();
    assert.equal(clock.delays()[0], 1000);
    await ua.stop();
});

test("reconnect delays carry jitter below the nominal value", async () => {
    const harness = createHarness({ random: () => 0.99 });
    await harness.register();
    harness.WebSocket.sockets[0].drop();
    await settle();
    const [delay] = harness.clock.delays();
    assert.ok(delay >= 750 && delay < 1000, `jittered delay ${delay}`);
    await harness.ua.stop();
});

test("CRLF keep-alive every 25 s; a missing pong closes the flow and reconnects", async () => {
    const harness = createHarness();
    const { clock, WebSocket } = harness;
    const server = await harness.register();
    await clock.advance(25_000);
    assert.equal(WebSocket.sockets[0].sent.at(-1), "\r\n\r\n");
    await clock.advance(24_000); // the automatic pong "\r\n" was swallowed, not parsed
    assert.equal(harness.ua.state, "registered");
    WebSocket.sockets[0].autoPong = false;
    await clock.advance(1000); // second ping, no pong this time
    assert.equal(WebSocket.sockets[0].sent.at(-1), "\r\n\r\n");
    await clock.advance(10_000);
    assert.equal(harness.ua.state, "reconnecting");
    assert.ok(WebSocket.sockets[0].closeCall);
    await server.expectNothing();
    await harness.ua.stop();
});

test("stop() sends REGISTER Expires: 0, closes the socket and never reconnects", async () => {
    const harness = createHarness();
    const { ua, clock, WebSocket } = harness;
    const server = await harness.register();
    const stopping = ua.stop();
    const unregister = await server.expectRequest("REGISTER");
    assert.equal(unregister.getHeader("Expires"), "0");
    assert.match(unregister.getHeader("Contact"), /\+sip\.instance=/);
    server.respond(unregister, 200, "OK");
    await stopping;
    assert.equal(ua.state, "stopped");
    assert.ok(WebSocket.sockets[0].closeCall);
    await clock.advance(120_000);
    assert.equal(WebSocket.sockets.length, 1);
});

test("stop() gives up waiting for the unregister answer after a bounded time", async () => {
    const harness = createHarness();
    const server = await harness.register();
    let stopped = false;
    const stopping = harness.ua.stop().then(() => {
        stopped = true;
    });
    await server.expectRequest("REGISTER");
    await harness.clock.advance(3000);
    assert.equal(stopped, false);
    await harness.clock.advance(1000);
    await stopping;
    assert.equal(harness.ua.state, "stopped");
});

test("a subprotocol other than sip is refused; constructor rejects bad options", async () => {
    const harness = createHarness();
    harness.ua.start();
    harness.WebSocket.sockets[0].acceptOpen("chat");
    await settle();
    assert.equal(harness.ua.state, "reconnecting");
    await harness.ua.stop();
    assert.throws(() => createHarness({ aor: "alice" }), TypeError);
    assert.throws(() => createHarness({ webSocketURL: "https://x" }), TypeError);
});
