// The UserAgent as the UI sees it: failures reported through events, stop() ending what is running.
import assert from "node:assert/strict";
import test from "node:test";
import { UserAgent } from "../../js/sip/user-agent.js";
import { createHarness, settle } from "./harness.js";

test("stop() hangs up calls and unsubscribes before unregistering", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const session = harness.ua.call("bob");
    const invite = await server.expectRequest("INVITE");
    server.respond(invite, 200, "OK", { headers: [["Contact", "<sip:bob@192.0.2.9>"]], contentType: "application/sdp",
        body: "v=0\r\ns=answer\r\n" });
    await server.expectRequest("ACK");
    await settle();
    assert.equal(session.state, "connected");
    const subscription = harness.ua.subscribe("bob", "presence");
    const subscribe = await server.expectRequest("SUBSCRIBE");
    server.respond(subscribe, 200, "OK", { toTag: "n1", headers: [["Contact", "<sip:localhost:8443>"]] });
    await settle();
    const terminated = [];
    subscription.addEventListener("terminated", (event) => terminated.push(event.detail.reason));

    const stopping = harness.ua.stop();
    await server.expectRequest("BYE");
    assert.equal((await server.expectRequest("SUBSCRIBE")).getHeader("Expires"), "0");
    const unregister = await server.expectRequest("REGISTER");
    assert.equal(unregister.getHeader("Expires"), "0");
    server.respond(unregister, 200, "OK");
    await stopping;
    assert.equal(session.state, "ended");
    assert.deepEqual(terminated, ["stopped"]);
    assert.equal(harness.ua.state, "stopped");
});

test("failures right at the start still reach listeners attached after the call returns", async () => {
    const harness = createHarness({ RTCPeerConnection: undefined }); // Node has no global RTCPeerConnection
    const session = harness.ua.call("bob");
    const ended = [];
    session.addEventListener("ended", (event) => ended.push(event.detail));
    await settle();
    assert.equal(ended.length, 1);
    assert.equal(ended[0].cause, "failed");
    assert.match(ended[0].reason, /RTCPeerConnection/);
    const subscription = harness.ua.subscribe("bob", "presence"); // not connected: the SUBSCRIBE cannot go out
    const reasons = [];
    subscription.addEventListener("terminated", (event) => reasons.push(event.detail.reason));
    await settle();
    assert.equal(reasons.length, 1);
    assert.match(reasons[0], /^503/);
});

// Node 20 has no global WebSocket (as a very old browser); a newer Node would really connect: skip there.
const skipWithGlobalWebSocket = typeof globalThis.WebSocket === "function" && "this Node has a global WebSocket";

test("without any WebSocket the UA fails at once", { skip: skipWithGlobalWebSocket }, () => {
    const ua = new UserAgent({ webSocketURL: "wss://localhost:8443/sip", aor: "sip:alice@localhost",
        authUsername: "a", password: "b", instanceId: "x", WebSocket: undefined });
    ua.start();
    assert.equal(ua.state, "failed");
    assert.throws(() => ua.call("sip:"), TypeError);
});

/** Every string reachable from `root` through own properties, Maps, Sets and arrays (bounded walk). */
function reachableStrings(root, limit = 50_000) {
    const seen = new Set();
    const strings = [];
    const queue = [root];
    while (queue.length > 0 && seen.size < limit) {
        const value = queue.shift();
        if (typeof value === "string") {
            strings.push(value);
            continue;
        }
        if (value === null || (typeof value !== "object" && typeof value !== "function") || seen.has(value)) continue;
        seen.add(value);
        if (value instanceof Map) queue.push(...value.keys(), ...value.values());
        if (value instanceof Set) queue.push(...value.values());
        for (const name of Object.getOwnPropertyNames(value)) {
            const descriptor = Object.getOwnPropertyDescriptor(value, name);
            if (descriptor && "value" in descriptor) queue.push(descriptor.value);
        }
    }
    return strings;
}

test("the password is nowhere in what window.parley.userAgent exposes (options included)", async () => {
    const password = "pw-9f3e1c-unique";
    const harness = createHarness({ password });
    const server = await harness.register();
    const session = harness.ua.call("bob");
    await server.expectRequest("INVITE");
    assert.equal(Object.hasOwn(harness.ua.options, "password"), false);
    assert.equal(harness.ua.options.authUsername, "alice-key");
    const leaks = reachableStrings(harness.ua).filter((text) => text.includes(password));
    assert.deepEqual(leaks, []);
    assert.ok(reachableStrings(session).length > 0);
    assert.deepEqual(reachableStrings(session).filter((text) => text.includes(password)), []);
});
