// PUBLISH (RFC 3903) through a scripted Parley: publish, refresh, modify, remove, 412, 423, reconnect, stop.
import assert from "node:assert/strict";
import test from "node:test";
import { Publication } from "../../js/sip/user-agent.js";
import { createHarness, parleyChallenges, settle } from "./harness.js";

const FIRST = "<presence>first</presence>";
const SECOND = "<presence>second</presence>";
const THIRD = "<presence>third</presence>";

function watch(publication) {
    const log = [];
    for (const type of ["published", "unpublished", "failed"]) {
        publication.addEventListener(type, (event) => log.push({ type, detail: event.detail }));
    }
    return log;
}

/** Answers a PUBLISH with 200, a SIP-ETag and Expires. */
function accept(server, request, etag, expires = 120) {
    server.respond(request, 200, "OK", { headers: [["SIP-ETag", etag], ["Expires", String(expires)]] });
}

/** Registered for an hour (so no REGISTER refresh gets in the way), with a publication asking for 120 s. */
async function setUp() {
    const harness = createHarness();
    const server = await harness.register({ expires: 3600 });
    const publication = harness.ua.createPublication({ expires: 120 });
    return { harness, server, publication, log: watch(publication) };
}

test("publish -> 407 -> authorised -> 200; refresh without body; modify; unpublish with Expires: 0", async () => {
    const { harness, server, publication, log } = await setUp();
    assert.ok(publication instanceof Publication);
    const published = publication.publish(FIRST);
    const challenged = await server.expectRequest("PUBLISH");
    assert.equal(challenged.uri.toString(), "sip:alice@localhost");
    assert.equal(challenged.getHeader("To"), "<sip:alice@localhost>");
    assert.equal(challenged.getHeader("Event"), "presence");
    assert.equal(challenged.getHeader("Expires"), "120");
    assert.equal(challenged.getHeader("Content-Type"), "application/pidf+xml");
    assert.equal(challenged.hasHeader("SIP-If-Match"), false);
    assert.equal(challenged.body, FIRST);
    server.respond(challenged, 407, "Proxy Authentication Required",
        { headers: parleyChallenges("Proxy-Authenticate") });
    const first = await server.expectRequest("PUBLISH");
    assert.ok(first.hasHeader("Proxy-Authorization"));
    assert.equal(first.callId, challenged.callId);
    assert.equal(first.cseq.seq, challenged.cseq.seq + 1);
    assert.equal(publication.state, "publishing");
    accept(server, first, "etag-1");
    assert.deepEqual(await published, { status: 200, reason: "OK" });
    assert.equal(publication.state, "published");
    assert.equal(publication.etag, "etag-1");
    assert.deepEqual(log, [{ type: "published", detail: { etag: "etag-1", expires: 120 } }]);

    // RFC 3903 §4.3: refreshed before expiry (120 s granted -> 60 s), SIP-If-Match and no body.
    await harness.clock.advance(59_000);
    await server.expectNothing();
    await harness.clock.advance(1000);
    const refresh = await server.expectRequest("PUBLISH");
    assert.equal(refresh.getHeader("SIP-If-Match"), "etag-1");
    assert.equal(refresh.body, "");
    assert.equal(refresh.hasHeader("Content-Type"), false);
    assert.equal(refresh.getHeader("Expires"), "120");
    assert.equal(refresh.callId, first.callId);
    assert.ok(refresh.cseq.seq > first.cseq.seq);
    accept(server, refresh, "etag-2");
    await settle();

    // RFC 3903 §4.4: a new body modifies with SIP-If-Match.
    const modified = publication.publish(SECOND);
    const modify = await server.expectRequest("PUBLISH");
    assert.equal(modify.getHeader("SIP-If-Match"), "etag-2");
    assert.equal(modify.body, SECOND);
    accept(server, modify, "etag-3");
    assert.equal((await modified).status, 200);
    // The same body again needs no request.
    assert.deepEqual(await publication.publish(SECOND), { status: 200, reason: "OK" });
    await server.expectNothing();

    // RFC 3903 §4.5: remove.
    const removed = publication.unpublish();
    const remove = await server.expectRequest("PUBLISH");
    assert.equal(remove.getHeader("SIP-If-Match"), "etag-3");
    assert.equal(remove.getHeader("Expires"), "0");
    assert.equal(remove.body, "");
    server.respond(remove, 200, "OK");
    assert.equal((await removed).status, 200);
    assert.equal(publication.state, "idle");
    assert.equal(log.at(-1).type, "unpublished");
    await harness.clock.advance(600_000);
    await server.expectNothing();
    assert.deepEqual(await publication.unpublish(), { status: 200, reason: "OK" }, "nothing left to remove");
});

test("412 to a refresh or a modify: publish afresh without SIP-If-Match, with the body", async () => {
    const { harness, server, publication } = await setUp();
    publication.publish(FIRST);
    accept(server, await server.expectRequest("PUBLISH"), "etag-1");
    await harness.clock.advance(60_000);
    const refresh = await server.expectRequest("PUBLISH");
    server.respond(refresh, 412, "Conditional Request Failed");
    const fresh = await server.expectRequest("PUBLISH");
    assert.equal(fresh.hasHeader("SIP-If-Match"), false);
    assert.equal(fresh.body, FIRST);
    accept(server, fresh, "etag-2");
    await settle();

    const modified = publication.publish(SECOND);
    server.respond(await server.expectRequest("PUBLISH"), 412, "Conditional Request Failed");
    const again = await server.expectRequest("PUBLISH");
    assert.equal(again.hasHeader("SIP-If-Match"), false);
    assert.equal(again.body, SECOND);
    accept(server, again, "etag-3");
    assert.equal((await modified).status, 200, "the caller sees the outcome of the fresh PUBLISH");

    // Bounded: a server that keeps answering 412 ends in a failure, not a loop.
    const looping = publication.publish(THIRD);
    for (let attempt = 0; attempt < 4; attempt += 1) {
        server.respond(await server.expectRequest("PUBLISH"), 412, "Conditional Request Failed");
    }
    assert.equal((await looping).status, 412);
    assert.equal(publication.state, "failed");
    await server.expectNothing();
});

test("423: PUBLISH again with Min-Expires", async () => {
    const { server, publication } = await setUp();
    const published = publication.publish(FIRST);
    const short = await server.expectRequest("PUBLISH");
    server.respond(short, 423, "Interval Too Brief", { headers: [["Min-Expires", "600"]] });
    const longer = await server.expectRequest("PUBLISH");
    assert.equal(longer.getHeader("Expires"), "600");
    assert.equal(longer.body, FIRST);
    accept(server, longer, "etag-1", 600);
    assert.equal((await published).status, 200);
    // A 423 without a usable Min-Expires is a plain failure.
    const modified = publication.publish(SECOND);
    server.respond(await server.expectRequest("PUBLISH"), 423, "Interval Too Brief");
    assert.equal((await modified).status, 423);
});

test("serialized: calls made while a PUBLISH is in flight share the next one, with the latest body", async () => {
    const { server, publication } = await setUp();
    const first = publication.publish(FIRST);
    const request = await server.expectRequest("PUBLISH");
    const second = publication.publish(SECOND);
    const third = publication.publish(THIRD);
    await server.expectNothing();
    accept(server, request, "etag-1");
    assert.equal((await first).status, 200);
    const modify = await server.expectRequest("PUBLISH");
    assert.equal(modify.body, THIRD);
    assert.equal(modify.getHeader("SIP-If-Match"), "etag-1");
    server.respond(modify, 403, "Forbidden");
    assert.deepEqual(await second, { status: 403, reason: "Forbidden" });
    assert.deepEqual(await third, { status: 403, reason: "Forbidden" });
    await server.expectNothing();
    // An unpublish() during the first PUBLISH waits for its entity-tag, then removes.
    const { server: server2, publication: other } = await setUp();
    other.publish(FIRST);
    const initial = await server2.expectRequest("PUBLISH");
    const removed = other.unpublish();
    accept(server2, initial, "etag-x");
    const remove = await server2.expectRequest("PUBLISH");
    assert.equal(remove.getHeader("Expires"), "0");
    assert.equal(remove.getHeader("SIP-If-Match"), "etag-x");
    server2.respond(remove, 200, "OK");
    assert.equal((await removed).status, 200);
});

test("failures: 403 stops until asked again; 500 and a timeout are retried after a backoff", async () => {
    const { harness, server, publication, log } = await setUp();
    const refused = publication.publish(FIRST);
    server.respond(await server.expectRequest("PUBLISH"), 403, "Forbidden");
    assert.equal((await refused).status, 403);
    assert.deepEqual(log.at(-1), { type: "failed", detail: { status: 403, reason: "Forbidden", willRetry: false } });
    assert.equal(publication.state, "failed");
    await harness.clock.advance(600_000);
    await server.expectNothing();

    publication.publish(FIRST);
    server.respond(await server.expectRequest("PUBLISH"), 500, "Server Internal Error");
    await settle();
    assert.equal(log.at(-1).detail.willRetry, true);
    await harness.clock.advance(4999);
    await server.expectNothing();
    await harness.clock.advance(1);
    // Unanswered: Timer F (32 s), then the next backoff step (10 s).
    await server.expectRequest("PUBLISH");
    await harness.clock.advance(32_000);
    assert.equal(log.at(-1).detail.status, 408);
    await harness.clock.advance(10_000);
    accept(server, await server.expectRequest("PUBLISH"), "etag-1");
    await settle();
    assert.equal(publication.state, "published");
});

test("before registration the PUBLISH waits; after a reconnect the state is published again", async () => {
    const harness = createHarness();
    const publication = harness.ua.createPublication({ expires: 120 });
    const published = publication.publish(FIRST);
    const server = await harness.register({ expires: 3600 });
    const first = await server.expectRequest("PUBLISH");
    assert.equal(first.body, FIRST);
    accept(server, first, "etag-1");
    assert.equal((await published).status, 200);

    harness.WebSocket.sockets[0].drop();
    await settle();
    assert.equal(harness.ua.state, "reconnecting");
    await harness.clock.advance(1000);
    const second = harness.open();
    const register = await second.expectRequest("REGISTER");
    second.respond(register, 200, "OK", { headers: [["Contact", `${register.getHeader("Contact")};expires=3600`]] });
    const republish = await second.expectRequest("PUBLISH");
    assert.equal(republish.getHeader("SIP-If-Match"), "etag-1");
    assert.equal(republish.body, FIRST, "the body goes again, in case the server lost it with the flow");
    second.respond(republish, 412, "Conditional Request Failed");
    const fresh = await second.expectRequest("PUBLISH");
    assert.equal(fresh.hasHeader("SIP-If-Match"), false);
    accept(second, fresh, "etag-2");
    await settle();
    assert.equal(publication.etag, "etag-2");
});

test("a refresh lost with the connection is sent again after the reconnect", async () => {
    const { harness, server, publication } = await setUp();
    publication.publish(FIRST);
    accept(server, await server.expectRequest("PUBLISH"), "etag-1");
    await harness.clock.advance(60_000);
    await server.expectRequest("PUBLISH"); // the refresh, never answered
    harness.WebSocket.sockets[0].drop();
    await harness.clock.advance(1000);
    const second = harness.open();
    const register = await second.expectRequest("REGISTER");
    second.respond(register, 200, "OK", { headers: [["Contact", `${register.getHeader("Contact")};expires=3600`]] });
    const again = await second.expectRequest("PUBLISH");
    assert.equal(again.getHeader("SIP-If-Match"), "etag-1");
    accept(second, again, "etag-2");
    await settle();
    assert.equal(publication.state, "published");
    await second.expectNothing();
});

test("stop() removes the publication before unregistering, and closes it", async () => {
    const { harness, server, publication } = await setUp();
    publication.publish(FIRST);
    accept(server, await server.expectRequest("PUBLISH"), "etag-1");
    await settle();
    const stopping = harness.ua.stop();
    const remove = await server.expectRequest("PUBLISH");
    assert.equal(remove.getHeader("Expires"), "0");
    server.respond(remove, 200, "OK");
    const unregister = await server.expectRequest("REGISTER");
    server.respond(unregister, 200, "OK");
    await stopping;
    assert.equal(publication.state, "closed");
    assert.equal(harness.ua.publications.size, 0);
    assert.deepEqual(await publication.publish(SECOND), { status: 0, reason: "closed" });
    assert.throws(() => publication.publish(""), TypeError);
    assert.throws(() => harness.ua.createPublication({ event: "bad event" }), TypeError);
});

test("close() answers waiting calls and ignores a late response", async () => {
    const { server, publication } = await setUp();
    const waiting = publication.publish(FIRST);
    const request = await server.expectRequest("PUBLISH");
    publication.close();
    assert.deepEqual(await waiting, { status: 0, reason: "closed" });
    accept(server, request, "etag-1");
    await settle();
    assert.equal(publication.etag, null);
    await server.expectNothing();
});

test("a new publish() or unpublish() during a retry backoff goes at once, still one PUBLISH at a time", async () => {
    const { harness, server, publication, log } = await setUp();
    publication.publish(FIRST);
    server.respond(await server.expectRequest("PUBLISH"), 503, "Service Unavailable");
    await settle();
    assert.equal(log.at(-1).detail.willRetry, true);
    // The user picks another status during the 5 s backoff: it does not wait for the timer.
    const second = publication.publish(SECOND);
    const modify = await server.expectRequest("PUBLISH");
    assert.equal(modify.body, SECOND);
    assert.equal(modify.getHeader("SIP-If-Match"), null);
    // A third wish while that one is in flight waits for its answer (one at a time).
    const third = publication.publish(THIRD);
    await settle();
    await server.expectNothing();
    accept(server, modify, "etag-1");
    assert.equal((await second).status, 200);
    const next = await server.expectRequest("PUBLISH");
    assert.equal(next.body, THIRD);
    server.respond(next, 500, "Server Internal Error");
    assert.equal((await third).status, 500);
    // Signing out during the backoff: the removal goes at once too, and no retry follows it.
    const removal = publication.unpublish();
    const remove = await server.expectRequest("PUBLISH");
    assert.equal(remove.getHeader("Expires"), "0");
    assert.equal(remove.getHeader("SIP-If-Match"), "etag-1");
    server.respond(remove, 200, "OK");
    assert.equal((await removal).status, 200);
    await harness.clock.advance(600_000);
    await server.expectNothing();
});
