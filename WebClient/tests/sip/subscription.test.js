// SUBSCRIBE / NOTIFY (RFC 6665) through a scripted Parley.
import assert from "node:assert/strict";
import test from "node:test";
import { createHarness, parleyChallenges, settle } from "./harness.js";

const PIDF = "<?xml version=\"1.0\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:bob@localhost\">" +
    "<tuple id=\"t1\"><status><basic>open</basic></status></tuple></presence>";
const NOTIFIER_CONTACT = "<sip:localhost:8443;transport=ws>";

function watch(subscription) {
    const log = [];
    for (const type of ["notify", "terminated"]) {
        subscription.addEventListener(type, (event) => log.push({ type, detail: event.detail }));
    }
    return log;
}

/** A NOTIFY from the notifier inside the subscription's dialog. */
function notify(server, subscribe, { state, cseq, body = PIDF, event = "presence", fromTag = "parley-1" }) {
    return server.sendRequest("NOTIFY", {
        uri: subscribe.contacts[0].uri.toString(), callId: subscribe.callId, cseq,
        from: `<sip:bob@localhost>;tag=${fromTag}`, to: `${subscribe.getHeader("From")}`,
        headers: [["Event", event], ["Subscription-State", state]],
        contentType: body ? "application/pidf+xml" : null, body,
    });
}

test("SUBSCRIBE -> 200 -> NOTIFY active -> refresh before expiry -> NOTIFY terminated", async () => {
    const harness = createHarness();
    const server = await harness.register({ expires: 3600 });
    const subscription = harness.ua.subscribe("bob", "presence", { accept: ["application/pidf+xml"], expires: 600 });
    const log = watch(subscription);
    const subscribe = await server.expectRequest("SUBSCRIBE");
    assert.equal(subscribe.uri.toString(), "sip:bob@localhost");
    assert.equal(subscribe.getHeader("Event"), "presence");
    assert.equal(subscribe.getHeader("Accept"), "application/pidf+xml");
    assert.equal(subscribe.getHeader("Expires"), "600");
    assert.ok(subscribe.hasHeader("Contact"));
    assert.equal(subscribe.to.tag, null);

    server.respond(subscribe, 200, "OK", { toTag: "parley-1",
        headers: [["Expires", "600"], ["Contact", NOTIFIER_CONTACT], ["Record-Route", "<sip:127.0.0.1:8443;lr>"]] });
    notify(server, subscribe, { state: "active;expires=600", cseq: 1 });
    await server.expectResponse(200, "NOTIFY");
    assert.equal(subscription.state, "active");
    assert.deepEqual(log[0], { type: "notify", detail: {
        state: "active", contentType: "application/pidf+xml", body: PIDF, reason: null, expires: 600 } });

    // Refreshed a minute before expiry (600 s -> at 540 s), inside the dialog.
    await harness.clock.advance(539_000);
    await server.expectNothing();
    await harness.clock.advance(1000);
    const refresh = await server.expectRequest("SUBSCRIBE");
    assert.equal(refresh.to.tag, "parley-1");
    assert.equal(refresh.callId, subscribe.callId);
    assert.equal(refresh.cseq.seq, subscribe.cseq.seq + 1);
    assert.equal(refresh.uri.toString(), "sip:localhost:8443;transport=ws");
    assert.deepEqual(refresh.getHeaders("Route"), ["<sip:127.0.0.1:8443;lr>"]);
    assert.equal(refresh.getHeader("Expires"), "600");
    server.respond(refresh, 200, "OK", { headers: [["Expires", "600"]] });
    await settle();

    notify(server, subscribe, { state: "terminated;reason=noresource", cseq: 2, body: "" });
    await server.expectResponse(200, "NOTIFY");
    assert.equal(subscription.state, "terminated");
    assert.deepEqual(log.at(-1), { type: "terminated", detail: { reason: "noresource" } });
    notify(server, subscribe, { state: "active", cseq: 3 });
    await server.expectResponse(481, "NOTIFY");
    await harness.clock.advance(600_000);
    await server.expectNothing();
});

test("a NOTIFY that beats the 200 creates the dialog; pending state is reported", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const subscription = harness.ua.subscribe("sip:bob@localhost", "presence");
    const log = watch(subscription);
    const subscribe = await server.expectRequest("SUBSCRIBE");
    notify(server, subscribe, { state: "pending;expires=600", cseq: 1, body: "" });
    await server.expectResponse(200, "NOTIFY");
    assert.equal(subscription.state, "pending");
    server.respond(subscribe, 200, "OK", { toTag: "parley-1", headers: [["Contact", NOTIFIER_CONTACT]] });
    await settle();
    notify(server, subscribe, { state: "active", cseq: 2 });
    await server.expectResponse(200, "NOTIFY");
    assert.deepEqual(log.map((entry) => entry.detail.state), ["pending", "active"]);
});

test("unsubscribe(): SUBSCRIBE Expires: 0, then the final NOTIFY terminates", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const subscription = harness.ua.subscribe("bob", "presence");
    const log = watch(subscription);
    const subscribe = await server.expectRequest("SUBSCRIBE");
    server.respond(subscribe, 407, "Proxy Authentication Required",
        { headers: parleyChallenges("Proxy-Authenticate") });
    const authorised = await server.expectRequest("SUBSCRIBE");
    assert.ok(authorised.hasHeader("Proxy-Authorization"));
    server.respond(authorised, 200, "OK", { toTag: "parley-1", headers: [["Contact", NOTIFIER_CONTACT]] });
    notify(server, authorised, { state: "active;expires=600", cseq: 1 });
    await server.expectResponse(200, "NOTIFY");

    subscription.unsubscribe();
    const unsubscribe = await server.expectRequest("SUBSCRIBE");
    assert.equal(unsubscribe.getHeader("Expires"), "0");
    assert.equal(unsubscribe.to.tag, "parley-1");
    assert.equal(unsubscribe.cseq.seq, authorised.cseq.seq + 1);
    server.respond(unsubscribe, 200, "OK");
    // Parley ends an unsubscribed subscription with reason=timeout: still our own ending, not one to retry.
    notify(server, authorised, { state: "terminated;reason=timeout", cseq: 2, body: "" });
    await server.expectResponse(200, "NOTIFY");
    assert.deepEqual(log.at(-1), { type: "terminated", detail: { reason: "unsubscribed" } });
    assert.equal(log.filter((entry) => entry.type === "terminated").length, 1);
});

test("a refused SUBSCRIBE terminates; a NOTIFY for another event package gets 489", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const refused = harness.ua.subscribe("carol", "presence");
    const refusedLog = watch(refused);
    server.respond(await server.expectRequest("SUBSCRIBE"), 404, "Not Found");
    await settle();
    assert.deepEqual(refusedLog, [{ type: "terminated", detail: { reason: "404 Not Found" } }]);

    harness.ua.subscribe("bob", "presence");
    const subscribe = await server.expectRequest("SUBSCRIBE");
    server.respond(subscribe, 200, "OK", { toTag: "parley-1", headers: [["Contact", NOTIFIER_CONTACT]] });
    notify(server, subscribe, { state: "active", cseq: 1, event: "dialog" });
    await server.expectResponse(489, "NOTIFY");
    assert.throws(() => harness.ua.subscribe("bob", "bad event"), TypeError);
});

test("an unanswered unsubscribe still terminates after 32 s", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const subscription = harness.ua.subscribe("bob", "presence");
    const log = watch(subscription);
    const subscribe = await server.expectRequest("SUBSCRIBE");
    server.respond(subscribe, 200, "OK", { toTag: "parley-1", headers: [["Contact", NOTIFIER_CONTACT]] });
    await settle();
    subscription.unsubscribe();
    await server.expectRequest("SUBSCRIBE");
    await harness.clock.advance(32_000);
    assert.equal(subscription.state, "terminated");
    assert.equal(log.filter((entry) => entry.type === "terminated").length, 1);
});

test("the final NOTIFY's retry-after is passed on; a refused unsubscribe is still ours", async () => {
    const harness = createHarness();
    const server = await harness.register();
    const probation = harness.ua.subscribe("bob", "presence");
    const log = watch(probation);
    const subscribe = await server.expectRequest("SUBSCRIBE");
    server.respond(subscribe, 200, "OK", { toTag: "parley-1", headers: [["Contact", NOTIFIER_CONTACT]] });
    notify(server, subscribe, { state: "terminated;reason=probation;retry-after=120", cseq: 1, body: "" });
    await server.expectResponse(200, "NOTIFY");
    assert.deepEqual(log.at(-1), { type: "terminated", detail: { reason: "probation", retryAfter: 120 } });

    const ours = harness.ua.subscribe("carol", "presence");
    const oursLog = watch(ours);
    const second = await server.expectRequest("SUBSCRIBE");
    server.respond(second, 200, "OK", { toTag: "parley-2", headers: [["Contact", NOTIFIER_CONTACT]] });
    await settle();
    ours.unsubscribe();
    server.respond(await server.expectRequest("SUBSCRIBE"), 481, "Call/Transaction Does Not Exist");
    await settle();
    assert.deepEqual(oursLog, [{ type: "terminated", detail: { reason: "unsubscribed" } }]);
});
