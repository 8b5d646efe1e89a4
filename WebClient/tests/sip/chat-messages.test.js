// Chat over SIP: the REGISTER's Accept, message/cpim MESSAGEs in the "message" event, 415 and 400 answers.
import assert from "node:assert/strict";
import test from "node:test";
import { createHarness } from "./harness.js";

const contactOf = (ua) => ua.contactURI.toString();
const crlf = (...lines) => lines.join("\r\n");

function roomMessage({ id = "42", text = "hello", dateTime = "2026-11-27T13:05:00.123Z" } = {}) {
    return crlf("From: \"Bob\" <sip:bob@localhost>", "To: <sip:lobby@localhost>", `DateTime: ${dateTime}`,
        "NS: imdn <urn:ietf:params:imdn>", `imdn.Message-ID: ${id}`, "", "Content-Type: text/plain;charset=utf-8", "",
        text);
}

function messages(harness) {
    return harness.events.filter((event) => event.type === "message").map((event) => event.detail);
}

test("REGISTER says which message bodies this client takes; OPTIONS lists them too", async () => {
    const harness = createHarness();
    harness.ua.start();
    const server = harness.open();
    const register = await server.expectRequest("REGISTER");
    assert.equal(register.getHeader("Accept"), "message/cpim, text/plain");
    server.respond(register, 200, "OK", { headers: [["Contact", `${register.getHeader("Contact")};expires=600`]] });
    server.sendRequest("OPTIONS", { uri: contactOf(harness.ua) });
    const options = await server.expectResponse(200, "OPTIONS");
    assert.equal(options.getHeader("Accept"), "application/sdp, message/cpim, text/plain");
});

test("a room message in message/cpim: 200 and the envelope in the event, the SIP fields as before", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const body = roomMessage();
    server.sendRequest("MESSAGE", { uri: contactOf(harness.ua), from: "\"Lobby\" <sip:lobby@localhost>;tag=r1",
        contentType: "message/cpim", body });
    await server.expectResponse(200, "MESSAGE");
    const [detail] = messages(harness);
    assert.equal(detail.from, "sip:lobby@localhost");
    assert.equal(detail.fromDisplayName, "Lobby");
    assert.equal(detail.to, "sip:alice@localhost");
    assert.equal(detail.contentType, "message/cpim");
    assert.equal(detail.body, body, "the raw body stays where existing callers read it");
    assert.ok(detail.date instanceof Date);
    assert.deepEqual({ ...detail.cpim, dateTime: detail.cpim.dateTime.toISOString() }, {
        from: "sip:bob@localhost", fromDisplayName: "Bob", to: "sip:lobby@localhost", toDisplayName: null,
        dateTime: "2026-11-27T13:05:00.123Z", messageId: "42", contentType: "text/plain;charset=utf-8", body: "hello",
    });
});

test("plain text keeps the old event shape with cpim null", async () => {
    const harness = createHarness();
    const server = await harness.register();
    server.sendRequest("MESSAGE", { uri: contactOf(harness.ua), contentType: "text/plain;charset=UTF-8",
        body: "hi" });
    await server.expectResponse(200, "MESSAGE");
    const [detail] = messages(harness);
    assert.equal(detail.cpim, null);
    assert.equal(detail.body, "hi");
    assert.equal(detail.from, "sip:bob@localhost");
});

test("types the client cannot show get 415 with Accept, and no event", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const cases = [
        ["application/im-iscomposing+xml", "<isComposing/>", "Unsupported Media Type"],
        ["text/html", "<b>hi</b>", "Unsupported Media Type"],
        ["message/cpim", roomMessage().replace("text/plain;charset=utf-8", "image/png"), "Unsupported Media Type"],
    ];
    for (const [index, [contentType, body, reason]] of cases.entries()) {
        server.sendRequest("MESSAGE", { uri: contactOf(harness.ua), callId: `unsupported-${index}`, contentType,
            body });
        const response = await server.expectResponse(415, "MESSAGE");
        assert.equal(response.reason, reason);
        assert.equal(response.getHeader("Accept"), "message/cpim, text/plain");
    }
    assert.equal(messages(harness).length, 0);
});

test("malformed message/cpim gets 400 with the reason, and the UA carries on", async () => {
    const harness = createHarness();
    const server = await harness.register();
    server.sendRequest("MESSAGE", { uri: contactOf(harness.ua), callId: "bad-cpim", contentType: "message/cpim",
        body: "From: sip:bob@localhost\r\n\r\n\r\nhi" });
    const response = await server.expectResponse(400, "MESSAGE");
    assert.equal(response.reason, "Bad Request (malformed CPIM)");
    server.sendRequest("MESSAGE", { uri: contactOf(harness.ua), callId: "good-cpim", contentType: "message/cpim",
        body: roomMessage({ id: "43", text: "still here" }) });
    await server.expectResponse(200, "MESSAGE");
    assert.deepEqual(messages(harness).map((detail) => detail.cpim.body), ["still here"]);
    assert.equal(harness.ua.state, "registered");
});

test("reason phrases never carry the sender's text; what was wrong goes to the logger", async () => {
    const logged = [];
    const harness = createHarness({ logger: { debug: (...args) => logged.push(args.join(" ")), warn() {} } });
    const server = await harness.register();
    const hostile = "text/x-evil-\u00e9\u202e";
    server.sendRequest("MESSAGE", { uri: contactOf(harness.ua), callId: "evil-inner", contentType: "message/cpim",
        body: roomMessage().replace("text/plain;charset=utf-8", hostile) });
    const unsupported = await server.expectResponse(415, "MESSAGE");
    assert.equal(unsupported.reason, "Unsupported Media Type");
    server.sendRequest("MESSAGE", { uri: contactOf(harness.ua), callId: "evil-header", contentType: "message/cpim",
        body: "From: Mallory-was-here\r\n\r\n\r\nhi" });
    const malformed = await server.expectResponse(400, "MESSAGE");
    assert.equal(malformed.reason, "Bad Request (malformed CPIM)");
    assert.doesNotMatch(malformed.reason, /Mallory/);
    assert.ok(logged.some((line) => line.includes("text/x-evil")), "the inner type is logged");
    assert.ok(logged.some((line) => /malformed message\/cpim: From/.test(line)), "the parse error is logged");
    assert.equal(messages(harness).length, 0);
});
