// MESSAGE both ways, OPTIONS, 405/481/420/400 answers, dropped garbage (RFC 3261 §8.2, §12.2.2, RFC 3428).
import assert from "node:assert/strict";
import test from "node:test";
import { parseAuthHeader } from "../../js/sip/digest-challenge.js";
import { createHarness, parleyChallenges, settle } from "./harness.js";

const contactOf = (ua) => ua.contactURI.toString();

test("incoming MESSAGE: 200 OK and a message event", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const request = server.sendRequest("MESSAGE", {
        uri: contactOf(harness.ua), contentType: "text/plain;charset=UTF-8", body: "Hi Alice, ça va ?",
        headers: [["Date", "Sat, 13 Nov 2010 23:29:00 GMT"]],
    });
    const response = await server.expectResponse(200, "MESSAGE");
    assert.deepEqual(response.getHeaders("Via"), request.getHeaders("Via"));
    assert.ok(response.to.tag);
    const messages = harness.events.filter((event) => event.type === "message");
    assert.equal(messages.length, 1);
    const detail = messages[0].detail;
    assert.equal(detail.from, "sip:bob@localhost");
    assert.equal(detail.fromDisplayName, "Bob");
    assert.equal(detail.to, "sip:alice@localhost");
    assert.equal(detail.contentType, "text/plain;charset=UTF-8");
    assert.equal(detail.body, "Hi Alice, ça va ?");
    assert.equal(detail.date.toISOString(), "2010-11-13T23:29:00.000Z");
});

test("sendMessage: 407 challenge answered with Proxy-Authorization, resolves with the final status", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const sending = harness.ua.sendMessage("bob", "hello Bob");
    const first = await server.expectRequest("MESSAGE");
    assert.equal(first.uri.toString(), "sip:bob@localhost");
    assert.equal(first.getHeader("To"), "<sip:bob@localhost>");
    assert.equal(first.from.uri.toString(), "sip:alice@localhost");
    assert.equal(first.getHeader("Content-Type"), "text/plain");
    assert.equal(first.body, "hello Bob");
    server.respond(first, 407, "Proxy Authentication Required",
        { headers: parleyChallenges("Proxy-Authenticate") });
    const second = await server.expectRequest("MESSAGE");
    assert.equal(second.callId, first.callId);
    assert.equal(second.from.tag, first.from.tag);
    assert.equal(second.cseq.seq, first.cseq.seq + 1);
    const credentials = parseAuthHeader(second.getHeader("Proxy-Authorization")).params;
    assert.equal(credentials.get("algorithm"), "SHA-256");
    assert.equal(credentials.get("uri"), "sip:bob@localhost");
    server.respond(second, 200, "OK");
    assert.deepEqual(await sending, { status: 200, reason: "OK" });
});

test("sendMessage: full URIs, user@host, failures and the 32 s bound", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const toCarol = harness.ua.sendMessage("sip:carol@example.org;transport=ws", "x", "text/html");
    const carol = await server.expectRequest("MESSAGE");
    assert.equal(carol.uri.toString(), "sip:carol@example.org;transport=ws");
    assert.equal(carol.getHeader("To"), "<sip:carol@example.org>");
    assert.equal(carol.getHeader("Content-Type"), "text/html");
    server.respond(carol, 404, "Not Found");
    assert.deepEqual(await toCarol, { status: 404, reason: "Not Found" });

    const toDave = harness.ua.sendMessage("dave@example.org", "y");
    assert.equal((await server.expectRequest("MESSAGE")).uri.toString(), "sip:dave@example.org");
    await harness.clock.advance(32_000); // Timer F
    assert.deepEqual(await toDave, { status: 408, reason: "Request Timeout" });

    await assert.rejects(() => harness.ua.sendMessage("", "x"), TypeError);
    await assert.rejects(() => harness.ua.sendMessage("sip:bad host@x", "x"), TypeError);
    const lost = harness.ua.sendMessage("bob", "z");
    await server.expectRequest("MESSAGE");
    harness.WebSocket.sockets[0].drop();
    await assert.rejects(lost, /transport failure/);
    await assert.rejects(() => harness.ua.sendMessage("bob", "later"), /not connected/);
    await harness.ua.stop();
});

test("sendMessage: credentials refused on a second 407 -> resolves 407, no authfailed, no loop", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const sending = harness.ua.sendMessage("bob", "hi");
    const first = await server.expectRequest("MESSAGE");
    server.respond(first, 407, "Proxy Authentication Required", { headers: parleyChallenges("Proxy-Authenticate") });
    const second = await server.expectRequest("MESSAGE");
    server.respond(second, 407, "Proxy Authentication Required",
        { headers: parleyChallenges("Proxy-Authenticate", { nonce: "b3RoZXI" }) });
    assert.deepEqual(await sending, { status: 407, reason: "Proxy Authentication Required" });
    // Only a refused REGISTER signs the user out; a refused MESSAGE just fails.
    assert.equal(harness.events.filter((event) => event.type === "authfailed").length, 0);
    assert.equal(harness.ua.state, "registered");
    await server.expectNothing();
});

test("OPTIONS: 200 with Allow and Accept", async () => {
    const harness = createHarness();
    const server = await harness.register();
    server.sendRequest("OPTIONS", { uri: contactOf(harness.ua) });
    const response = await server.expectResponse(200, "OPTIONS");
    for (const method of ["INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "MESSAGE", "NOTIFY"]) {
        assert.match(response.getHeader("Allow"), new RegExp(`\\b${method}\\b`));
    }
    assert.match(response.getHeader("Accept"), /application\/sdp/);
});

test("unknown method: 405 with Allow", async () => {
    const harness = createHarness();
    const server = await harness.register();
    for (const method of ["INFO", "PUBLISH", "SUBSCRIBE", "FROBNICATE"]) {
        server.sendRequest(method, { uri: contactOf(harness.ua), callId: `c-${method}` });
        const response = await server.expectResponse(405, method);
        assert.match(response.getHeader("Allow"), /INVITE/);
    }
});

test("a request with a To tag that matches no dialog: 481; a stray ACK: nothing", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const stray = { uri: contactOf(harness.ua), to: "<sip:alice@localhost>;tag=nobody", callId: "stray" };
    server.sendRequest("BYE", stray);
    await server.expectResponse(481, "BYE");
    server.sendRequest("NOTIFY", { ...stray, headers: [["Event", "presence"], ["Subscription-State", "active"]] });
    await server.expectResponse(481, "NOTIFY");
    server.sendRequest("INVITE", { ...stray, contentType: "application/sdp", body: "v=0\r\n" });
    await server.expectResponse(481, "INVITE");
    server.sendRequest("BYE", { uri: contactOf(harness.ua), callId: "no-tag" });
    await server.expectResponse(481, "BYE");
    server.sendRequest("ACK", stray);
    await server.expectNothing();
});

test("final answers outside a dialog carry a To tag; a request's own To tag is kept (RFC 3261 §8.2.6.2)", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const uri = contactOf(harness.ua);
    const tagOf = (response) => response.to.tag ?? "";
    server.sendRequest("FROBNICATE", { uri, callId: "tag-405" });
    assert.notEqual(tagOf(await server.expectResponse(405, "FROBNICATE")), "", "405 has a To tag");
    server.sendRequest("MESSAGE", { uri, callId: "tag-420", headers: [["Require", "100rel"]] });
    assert.notEqual(tagOf(await server.expectResponse(420, "MESSAGE")), "", "420 has a To tag");
    server.sendRequest("BYE", { uri, callId: "tag-481" });
    assert.notEqual(tagOf(await server.expectResponse(481, "BYE")), "", "481 has a To tag");
    server.sendRequest("INVITE", { uri, callId: "tag-415", contentType: "text/plain", body: "not SDP" });
    assert.notEqual(tagOf(await server.expectResponse(415, "INVITE")), "", "415 has a To tag");
    server.sendRequest("INVITE", { uri, callId: "tag-400", headers: [["Contact", "<sip:broken@>"]] });
    assert.notEqual(tagOf(await server.expectResponse(400, "INVITE")), "", "the INVITE's 400 has a To tag");
    // The stateless 400 of user-agent.js for a request the parser could only partly read.
    harness.WebSocket.sockets[0].deliver([
        "MESSAGE sip:alice@localhost SIP/2.0", "Via: SIP/2.0/WSS 127.0.0.1:8443;branch=z9hG4bKtag400",
        "From: <sip:bob@localhost>;tag=1", "To: <sip:alice@localhost>", "Call-ID: tag-400-length",
        "CSeq: 1 MESSAGE", "Content-Length: 99", "", "short",
    ].join("\r\n"));
    assert.notEqual(tagOf(await server.expectResponse(400)), "", "the parser's 400 has a To tag");

    server.sendRequest("BYE", { uri, callId: "kept", to: "<sip:alice@localhost>;tag=nobody" });
    const kept = await server.expectResponse(481, "BYE");
    assert.equal(kept.getHeader("To"), "<sip:alice@localhost>;tag=nobody", "the request's To tag unchanged");
});

test("Require with an unknown extension: 420 Bad Extension with Unsupported", async () => {
    const harness = createHarness();
    const server = await harness.register();
    server.sendRequest("MESSAGE", { uri: contactOf(harness.ua), headers: [["Require", "100rel, outbound"]] });
    const response = await server.expectResponse(420);
    assert.equal(response.getHeader("Unsupported"), "100rel");
    assert.equal(harness.events.some((event) => event.type === "message"), false);
});

test("malformed input: 400 when the request can be answered, silence otherwise", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const socket = harness.WebSocket.sockets[0];
    socket.deliver([
        "MESSAGE sip:alice@localhost SIP/2.0", "Via: SIP/2.0/WSS 127.0.0.1:8443;branch=z9hG4bKbad",
        "From: <sip:bob@localhost>;tag=1", "To: <sip:alice@localhost>", "Call-ID: bad-length",
        "CSeq: 1 MESSAGE", "Content-Length: 99", "", "short",
    ].join("\r\n"));
    const response = await server.expectResponse(400);
    assert.match(response.reason, /Content-Length/);
    socket.deliver("this is not SIP\r\n\r\n");
    socket.deliver(["INVITE sip:alice@localhost SIP/2.0", "Via: nonsense", "", ""].join("\r\n"));
    socket.deliver(new TextEncoder().encode("\r\n").buffer); // a binary pong
    // A response to nothing we sent is dropped too.
    socket.deliver(["SIP/2.0 200 OK", "Via: SIP/2.0/WSS x.invalid;branch=z9hG4bKunknown", "From: <sip:a@b>;tag=1",
        "To: <sip:a@b>;tag=2", "Call-ID: none", "CSeq: 9 MESSAGE", "", ""].join("\r\n"));
    await server.expectNothing();
    // An INVITE whose Contact cannot be parsed is refused with 400, the UA carries on.
    server.sendRequest("INVITE", { uri: contactOf(harness.ua), callId: "bad-contact",
        headers: [["Contact", "<sip:broken@>"]] });
    await settle();
    const answers = [];
    for (;;) {
        const next = await server.next();
        answers.push(next.status);
        if (next.status >= 200) break;
    }
    assert.equal(answers.at(-1), 400);
    assert.equal(harness.ua.state, "registered");
});

test("every Require header counts: an unknown option tag in the second one still gets 420", async () => {
    const harness = createHarness();
    const server = await harness.register();
    server.sendRequest("MESSAGE", { uri: contactOf(harness.ua),
        headers: [["Require", "outbound"], ["Require", "path, timer"]] });
    const response = await server.expectResponse(420, "MESSAGE");
    assert.equal(response.getHeader("Unsupported"), "timer");
    server.sendRequest("MESSAGE", { uri: contactOf(harness.ua), callId: "fine",
        headers: [["Require", "outbound"], ["Require", "path"]], body: "ok" });
    await server.expectResponse(200, "MESSAGE");
    assert.equal(harness.events.filter((event) => event.type === "message").length, 1);
});
