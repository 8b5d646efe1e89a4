// Whose challenges the UA answers: only those of its own realm (RFC 3261 §22.1-22.3); only a refused REGISTER
// raises "authfailed" (the UI signs out on it).
import assert from "node:assert/strict";
import test from "node:test";
import { startOutgoingCall } from "./call-helpers.js";
import { createHarness, parleyChallenges, settle } from "./harness.js";

const authFailures = (harness) => harness.events.filter((event) => event.type === "authfailed");

test("a device challenging in its own realm is not answered: the call ends rejected 401/407, no sign-out", async () => {
    for (const [status, header] of [[401, "WWW-Authenticate"], [407, "Proxy-Authenticate"]]) {
        const harness = createHarness();
        const { server, session, log, invite } = await startOutgoingCall(harness);
        server.respond(invite, status, "Challenge", { headers: parleyChallenges(header, { realm: "deskphone" }) });
        const ack = await server.expectRequest("ACK");
        assert.equal(ack.topVia.branch, invite.topVia.branch);
        await server.expectNothing(); // no INVITE with credentials for someone else's realm
        assert.equal(session.state, "ended");
        assert.deepEqual(log.at(-1).detail, { cause: "rejected", status, reason: "Challenge" });
        assert.deepEqual(authFailures(harness), []);
        assert.equal(harness.ua.state, "registered");
    }
});

test("a MESSAGE challenged by another realm resolves with that status, unanswered", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const sending = harness.ua.sendMessage("sip:carol@example.org", "hi");
    const message = await server.expectRequest("MESSAGE");
    server.respond(message, 401, "Unauthorized",
        { headers: parleyChallenges("WWW-Authenticate", { realm: "example.org" }) });
    assert.deepEqual(await sending, { status: 401, reason: "Unauthorized" });
    await server.expectNothing();
    assert.deepEqual(authFailures(harness), []);
});

test("with challenges of both realms, only ours is answered", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const sending = harness.ua.sendMessage("bob", "hi");
    const first = await server.expectRequest("MESSAGE");
    server.respond(first, 407, "Proxy Authentication Required", { headers: [
        ...parleyChallenges("Proxy-Authenticate", { realm: "far-proxy" }), ...parleyChallenges("Proxy-Authenticate"),
    ] });
    const second = await server.expectRequest("MESSAGE");
    const credentials = second.getHeaders("Proxy-Authorization");
    assert.equal(credentials.length, 1);
    assert.match(credentials[0], /realm="localhost"/);
    server.respond(second, 200, "OK");
    assert.deepEqual(await sending, { status: 200, reason: "OK" });
});

test("an INVITE refused in our realm ends that call rejected 407 and does not sign out", async () => {
    const harness = createHarness();
    const { server, session, log, invite } = await startOutgoingCall(harness);
    server.respond(invite, 407, "Proxy Authentication Required", { headers: parleyChallenges("Proxy-Authenticate") });
    await server.expectRequest("ACK");
    const retry = await server.expectRequest("INVITE");
    server.respond(retry, 407, "Proxy Authentication Required",
        { headers: parleyChallenges("Proxy-Authenticate", { nonce: "bmV3" }) });
    await server.expectRequest("ACK");
    await settle();
    assert.equal(session.state, "ended");
    assert.deepEqual(log.at(-1).detail, { cause: "rejected", status: 407, reason: "Proxy Authentication Required" });
    assert.deepEqual(authFailures(harness), []);
    assert.equal(harness.ua.state, "registered");
});

test("a REGISTER challenged by another realm fails without authfailed; refused in ours, authfailed", async () => {
    const other = createHarness();
    other.ua.start();
    const otherServer = other.open();
    const register = await otherServer.expectRequest("REGISTER");
    otherServer.respond(register, 401, "Unauthorized",
        { headers: parleyChallenges("WWW-Authenticate", { realm: "elsewhere" }) });
    await settle();
    await otherServer.expectNothing();
    assert.equal(other.ua.state, "failed");
    assert.deepEqual(authFailures(other), []);

    const ours = createHarness();
    ours.ua.start();
    const server = ours.open();
    const first = await server.expectRequest("REGISTER");
    server.respond(first, 401, "Unauthorized", { headers: parleyChallenges("WWW-Authenticate") });
    const second = await server.expectRequest("REGISTER");
    server.respond(second, 401, "Unauthorized", { headers: parleyChallenges("WWW-Authenticate", { nonce: "Mg" }) });
    await settle();
    assert.deepEqual(authFailures(ours).map((event) => event.detail), [{ status: 401, reason: "Unauthorized" }]);
});

test("the realm option defaults to the AOR's host and must be a string", () => {
    assert.equal(createHarness({ realm: undefined }).ua.realm, "localhost");
    assert.equal(createHarness({ realm: "parley.example" }).ua.realm, "parley.example");
    assert.throws(() => createHarness({ realm: 42 }), TypeError);
});
