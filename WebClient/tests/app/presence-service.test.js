// The presence service: publishing the selector's choice, the buddy list subscription, its notifications.
import assert from "node:assert/strict";
import test from "node:test";
import { BUDDY_LIST_ACCEPT, PresenceService, userOf } from "../../js/app/presence-service.js";
import { PRESENCE_STORAGE_KEY, PresenceSelector, PresenceStore } from "../../js/app/presence-selector.js";
import { buildPIDF, parsePIDF } from "../../js/sip/pidf.js";
import { SIPURI } from "../../js/sip/sip-uri.js";
import { createHarness, settle } from "../sip/harness.js";
import { LIST_CONTENT_TYPE, listBody } from "../sip/presence-fixtures.js";
import { FakeDocument, FakeElement } from "./fake-dom.js";
import { FakeClock, FakeStorage } from "./fakes.js";

class FakePublication extends EventTarget {
    constructor(options) {
        super();
        this.options = options;
        this.bodies = [];
        this.unpublished = 0;
        this.closed = false;
    }

    publish(body) {
        this.bodies.push(body);
        return Promise.resolve({ status: 200, reason: "OK" });
    }

    unpublish() {
        this.unpublished += 1;
        return Promise.resolve({ status: 200, reason: "OK" });
    }

    close() {
        this.closed = true;
    }
}

class FakeSubscription extends EventTarget {
    constructor(target, event, options) {
        super();
        Object.assign(this, { target, event, options });
        this.state = "subscribing";
        this.unsubscribed = false;
    }

    /** Like the real one: the end (the final NOTIFY) follows a little later, reported as our own. */
    unsubscribe() {
        if (this.unsubscribed || this.state === "terminated") return;
        this.unsubscribed = true;
        queueMicrotask(() => this.end("unsubscribed"));
    }

    notify(contentType, body, state = "active") {
        this.state = state;
        this.dispatchEvent(new CustomEvent("notify", { detail: { state, contentType, body, reason: null,
            expires: 3600 } }));
    }

    end(reason, { retryAfter } = {}) {
        if (this.state === "terminated") return;
        this.state = "terminated";
        const detail = retryAfter === undefined ? { reason } : { reason, retryAfter };
        this.dispatchEvent(new CustomEvent("terminated", { detail }));
    }
}

/** A UserAgent stand-in: records publications and subscriptions; the test sets its state. */
class FakePresenceUserAgent extends EventTarget {
    constructor() {
        super();
        this.aorURI = SIPURI.parse("sip:alice@localhost");
        this.state = "registered";
        this.timers = new FakeClock(0);
        this.random = () => 0;
        this.warnings = [];
        this.logger = { debug() {}, warn: (...args) => this.warnings.push(args.join(" ")) };
        this.publications = [];
        this.subscriptions = [];
    }

    createPublication(options) {
        const publication = new FakePublication(options);
        this.publications.push(publication);
        return publication;
    }

    subscribe(target, event, options) {
        const subscription = new FakeSubscription(target, event, options);
        this.subscriptions.push(subscription);
        return subscription;
    }

    setState(state) {
        this.state = state;
        this.dispatchEvent(new CustomEvent("statechange", { detail: { state, reason: null } }));
    }
}

function createService() {
    const ua = new FakePresenceUserAgent();
    const service = new PresenceService({ userAgent: ua });
    const changes = [];
    service.addEventListener("change", (event) => changes.push(event.detail));
    return { ua, service, changes };
}

const summary = (changes) => changes.map(({ user, state, note, onThePhone, removed }) =>
    [user, state, note, onThePhone, removed]);

test("the chosen status is published (kept stable ids) and the buddy list subscribed with eventlist", async () => {
    const { ua, service } = createService();
    assert.equal(service.setManualStatus({ state: "away", note: "  back\n at 3 " }), null, "not started yet");
    service.start();
    const [publication] = ua.publications;
    assert.deepEqual(publication.options, { event: "presence", expires: 3600 });
    const first = parsePIDF(publication.bodies[0]);
    assert.deepEqual([first.entity, first.state, first.note], ["sip:alice@localhost", "away", "back at 3"]);
    assert.deepEqual(await service.setManualStatus({ state: "dnd" }), { status: 200, reason: "OK" });
    const second = parsePIDF(publication.bodies[1]);
    assert.deepEqual([second.state, second.manual, second.note], ["dnd", "dnd", ""]);
    const tupleIds = publication.bodies.map((body) => /<tuple id="([^"]+)"/.exec(body)[1]);
    assert.equal(tupleIds[0], tupleIds[1]);
    assert.throws(() => service.setManualStatus({ state: "offline" }), TypeError);

    const [subscription] = ua.subscriptions;
    assert.equal(subscription.target, "sip:alice+buddies@localhost");
    assert.equal(subscription.event, "presence");
    assert.deepEqual(subscription.options, { accept: [...BUDDY_LIST_ACCEPT], expires: 3600, supported: ["eventlist"] });
    assert.deepEqual(subscription.options.accept, ["application/pidf+xml", "application/rlmi+xml",
        "multipart/related"]);
});

test("full state, then partial state: change events and the snapshot follow the list", () => {
    const { ua, service, changes } = createService();
    service.start();
    const [subscription] = ua.subscriptions;
    subscription.notify(LIST_CONTENT_TYPE, listBody({ version: 0, fullState: true, resources: [
        { user: "bob", cid: "b0", presence: { manual: "away", note: "lunch" } },
        { user: "carol", cid: "c0", presence: { state: "offline" } },
        { user: "dave", state: "pending" },
    ] }));
    assert.deepEqual(summary(changes), [
        ["bob", "away", "lunch", false, false], ["carol", "offline", "", false, false],
        ["dave", "offline", "", false, false],
    ]);
    assert.deepEqual([...service.snapshot().keys()], ["bob", "carol", "dave"]);
    assert.equal(service.snapshot().get("bob").uri, "sip:bob@localhost");

    changes.length = 0;
    subscription.notify(LIST_CONTENT_TYPE, listBody({ version: 1, fullState: false, resources: [
        { user: "bob", cid: "b1", presence: { manual: "busy", onThePhone: true } },
        { user: "carol", cid: "c1", presence: { state: "offline" } }, // unchanged: no event
        { user: "dave", state: "terminated", reason: "deactivated" },
    ] }));
    assert.deepEqual(summary(changes),
        [["bob", "on-the-phone", "", true, false], ["dave", "offline", "", false, true]]);
    assert.equal(service.snapshot().get("bob").manual, "busy");
    assert.equal(service.snapshot().has("dave"), false);

    // A stale or repeated version is ignored.
    changes.length = 0;
    subscription.notify(LIST_CONTENT_TYPE, listBody({ version: 1, fullState: false, resources: [
        { user: "bob", cid: "b2", presence: { manual: "available" } },
    ] }));
    assert.deepEqual(changes, []);

    // Full state again: whoever is missing has left the list.
    subscription.notify(LIST_CONTENT_TYPE, listBody({ version: 2, fullState: true, resources: [
        { user: "bob", cid: "b3", presence: { manual: "available" } },
    ] }));
    assert.deepEqual(summary(changes), [["bob", "available", "", false, false], ["carol", "offline", "", false, true]]);
    assert.deepEqual([...service.snapshot().keys()], ["bob"]);
    // The snapshot is a copy.
    service.snapshot().get("bob").state = "dnd";
    assert.equal(service.snapshot().get("bob").state, "available");
    assert.equal(ua.subscriptions.length, 1);
});

test("a missed partial notification brings a new subscription (for full state), once", () => {
    const { ua, service, changes } = createService();
    service.start();
    const [first] = ua.subscriptions;
    first.notify(LIST_CONTENT_TYPE, listBody({ version: 0, fullState: true, resources: [
        { user: "bob", cid: "b0", presence: { manual: "away" } }] }));
    first.notify(LIST_CONTENT_TYPE, listBody({ version: 3, fullState: false, resources: [
        { user: "bob", cid: "b3", presence: { manual: "busy" } }] }));
    assert.equal(changes.at(-1).state, "busy", "the partial state is still applied");
    assert.equal(first.unsubscribed, true);
    assert.equal(ua.subscriptions.length, 2);
    // The new subscription starts partial too (a broken notifier): no endless re-subscribing.
    ua.subscriptions[1].notify(LIST_CONTENT_TYPE, listBody({ version: 5, fullState: false, resources: [] }));
    assert.equal(ua.subscriptions.length, 2);
});

test("plain PIDF notifications and bad bodies", () => {
    const { ua, service, changes } = createService();
    service.start();
    const [subscription] = ua.subscriptions;
    subscription.notify("application/pidf+xml", buildPIDF({ entity: "sip:erin@example.org", manual: "dnd" }));
    subscription.notify("application/pidf+xml", buildPIDF({ entity: "sip:bob@LOCALHOST", manual: "away" }));
    assert.deepEqual(summary(changes), [["erin@example.org", "dnd", "", false, false],
        ["bob", "away", "", false, false]]);
    subscription.notify("application/pidf+xml", "<presence");
    subscription.notify(LIST_CONTENT_TYPE, "--nothing--");
    subscription.notify("text/html", "<p>hi</p>");
    subscription.notify("application/pidf+xml", "", "pending");
    assert.equal(changes.length, 2);
    assert.equal(ua.warnings.length, 3);
    assert.equal(userOf("sip:b%20c@localhost", "localhost"), "b c");
    assert.equal(userOf("pres:bob@localhost", "localhost"), "bob");
    assert.equal(userOf("tel:+123", "localhost"), "tel:+123");
});

test("re-subscribes after termination with backoff, and after each new registration", () => {
    const { ua, service } = createService();
    service.start();
    const clock = ua.timers;
    ua.subscriptions[0].end("timeout"); // RFC 6665: may subscribe again at once; we wait 1-2 s
    clock.advance(999);
    assert.equal(ua.subscriptions.length, 1);
    clock.advance(1);
    assert.equal(ua.subscriptions.length, 2);
    ua.subscriptions[1].end("503 connection closed");
    clock.advance(3999);
    assert.equal(ua.subscriptions.length, 2);
    clock.advance(1);
    assert.equal(ua.subscriptions.length, 3, "second attempt after 4 s");
    ua.subscriptions[2].notify(LIST_CONTENT_TYPE, listBody({ version: 0, fullState: true, resources: [] }));
    ua.subscriptions[2].end("noresource");
    clock.advance(299_999);
    assert.equal(ua.subscriptions.length, 3);
    clock.advance(1);
    assert.equal(ua.subscriptions.length, 4, "noresource: retried after 5 minutes");
    ua.subscriptions[3].end("404 Not Found");
    assert.deepEqual(clock.tasks.size, 1);
    clock.advance(300_000);
    assert.equal(ua.subscriptions.length, 5);

    // Not registered: nothing until the UA registers again, then at once.
    ua.state = "reconnecting";
    ua.subscriptions[4].end("503 connection closed");
    clock.advance(600_000);
    assert.equal(ua.subscriptions.length, 5);
    ua.setState("registered");
    assert.equal(ua.subscriptions.length, 6);

    // A new registration while subscribed (a reconnect): the old subscription ends, a new one starts.
    ua.setState("registered");
    assert.equal(ua.subscriptions[5].unsubscribed, true);
    assert.equal(ua.subscriptions.length, 7);
    // Our own ending is not retried.
    ua.subscriptions[6].end("unsubscribed");
    clock.advance(600_000);
    assert.equal(ua.subscriptions.length, 7);
});

test("started before registration: subscribes on the first registration", () => {
    const { ua, service } = createService();
    ua.state = "connecting";
    service.start();
    assert.equal(ua.subscriptions.length, 0);
    ua.setState("registered");
    assert.equal(ua.subscriptions.length, 1);
});

test("stop() removes the publication, ends the subscription and reports nothing more", async () => {
    const { ua, service, changes } = createService();
    service.setManualStatus({ state: "busy" });
    service.start();
    const [subscription] = ua.subscriptions;
    await service.stop();
    const [publication] = ua.publications;
    assert.equal(publication.unpublished, 1);
    assert.equal(publication.closed, true);
    assert.equal(subscription.unsubscribed, true);
    subscription.notify("application/pidf+xml", buildPIDF({ entity: "sip:bob@localhost", manual: "away" }));
    ua.setState("registered");
    assert.deepEqual(changes, []);
    assert.equal(ua.subscriptions.length, 1);
    assert.equal(service.setManualStatus({ state: "away" }), null);
    assert.equal(publication.bodies.length, 1);
    assert.equal(service.snapshot().size, 0);
});

test("the selector drives the service and keeps the last choice for the next page load", () => {
    const document = new FakeDocument();
    const elements = {
        form: new FakeElement(document, "FORM"), select: new FakeElement(document, "SELECT"),
        note: new FakeElement(document, "INPUT"), display: new FakeElement(document, "STRONG"),
    };
    const storage = new FakeStorage({ [PRESENCE_STORAGE_KEY]: JSON.stringify({ status: "away", note: "lunch" }) });
    const selector = new PresenceSelector(elements, new PresenceStore(storage));
    const calls = [];
    const service = { setManualStatus: (status) => calls.push(status) };
    selector.restore();
    selector.connect(service);
    assert.deepEqual(calls, [{ state: "away", note: "lunch" }], "a reload publishes the stored choice");
    elements.select.value = "dnd";
    elements.select.dispatchEvent(new Event("change"));
    assert.deepEqual(calls.at(-1), { state: "dnd", note: "lunch" });
    assert.equal(elements.display.textContent, "Do not disturb: lunch");
    assert.deepEqual(JSON.parse(storage.items.get(PRESENCE_STORAGE_KEY)), { status: "dnd", note: "lunch" });
    elements.note.value = " in a call ";
    elements.form.dispatchEvent(new Event("submit"));
    assert.deepEqual(calls.at(-1), { state: "dnd", note: "in a call" });
    // A service that throws does not break the form; after connect(null) nothing is sent.
    selector.connect({ setManualStatus() {
        throw new Error("boom");
    } });
    elements.select.value = "busy";
    assert.doesNotThrow(() => elements.select.dispatchEvent(new Event("change")));
    selector.connect(null);
    elements.select.value = "available";
    elements.select.dispatchEvent(new Event("change"));
    assert.equal(calls.length, 3);
    assert.equal(elements.display.textContent, "Available: in a call");
});

test("end to end with the real UserAgent: PUBLISH, list SUBSCRIBE, NOTIFY with Require: eventlist", async () => {
    const harness = createHarness();
    const server = await harness.register({ expires: 3600 });
    const service = new PresenceService({ userAgent: harness.ua });
    const changes = [];
    service.addEventListener("change", (event) => changes.push(event.detail));
    service.setManualStatus({ state: "away", note: "back at 3" });
    service.start();

    const publish = await server.expectRequest("PUBLISH");
    assert.equal(publish.getHeader("Expires"), "3600");
    assert.equal(parsePIDF(publish.body).state, "away");
    server.respond(publish, 200, "OK", { headers: [["SIP-ETag", "e1"], ["Expires", "3600"]] });

    const subscribe = await server.expectRequest("SUBSCRIBE");
    assert.equal(subscribe.uri.toString(), "sip:alice+buddies@localhost");
    assert.equal(subscribe.getHeader("Supported"), "eventlist");
    assert.equal(subscribe.getHeader("Accept"), "application/pidf+xml, application/rlmi+xml, multipart/related");
    assert.equal(subscribe.getHeader("Event"), "presence");
    server.respond(subscribe, 200, "OK", { toTag: "rls-1",
        headers: [["Expires", "3600"], ["Contact", "<sip:localhost:8443;transport=ws>"]] });
    server.sendRequest("NOTIFY", {
        uri: subscribe.contacts[0].uri.toString(), callId: subscribe.callId, cseq: 1,
        from: "<sip:alice+buddies@localhost>;tag=rls-1", to: subscribe.getHeader("From"),
        headers: [["Event", "presence"], ["Subscription-State", "active;expires=3600"], ["Require", "eventlist"]],
        contentType: LIST_CONTENT_TYPE,
        body: listBody({ version: 0, fullState: true, resources: [
            { user: "bob", cid: "bob@localhost", presence: { manual: "busy", note: "meeting" } }] }),
    });
    await server.expectResponse(200, "NOTIFY");
    assert.deepEqual(summary(changes), [["bob", "busy", "meeting", false, false]]);

    const stopping = harness.ua.stop();
    assert.equal((await server.expectRequest("SUBSCRIBE")).getHeader("Expires"), "0");
    const remove = await server.expectRequest("PUBLISH");
    assert.equal(remove.getHeader("SIP-If-Match"), "e1");
    assert.equal(remove.getHeader("Expires"), "0");
    server.respond(remove, 200, "OK");
    server.respond(await server.expectRequest("REGISTER"), 200, "OK");
    await stopping;
    await service.stop();
    await settle();
    await server.expectNothing();
});

test("a notifier that ends the subscription at once makes no loop: at least 1 s, growing until one lasts 60 s", () => {
    const { ua, service } = createService();
    service.random = () => 0.5;
    service.start();
    const clock = ua.timers;
    const delays = [];
    for (let round = 0; round < 5; round += 1) {
        const before = ua.subscriptions.length;
        const startedAt = clock.time;
        ua.subscriptions.at(-1).notify(LIST_CONTENT_TYPE, listBody({ version: 0, fullState: true, resources: [] }));
        ua.subscriptions.at(-1).end(round % 2 ? "deactivated" : "timeout");
        for (let step = 0; step < 1000 && ua.subscriptions.length === before; step += 1) clock.advance(100);
        delays.push(clock.time - startedAt);
    }
    assert.deepEqual(delays, [1500, 3000, 6000, 12000, 24000], "active NOTIFYs do not reset the backoff");
    // A subscription that lived a minute was a success: the next ending is prompt again.
    clock.advance(60_000);
    ua.subscriptions.at(-1).end("timeout");
    clock.advance(1499);
    const count = ua.subscriptions.length;
    clock.advance(1);
    assert.equal(ua.subscriptions.length, count + 1);
    // A new registration does not reset it either (it subscribes at once, as before).
    ua.subscriptions.at(-1).end("timeout");
    ua.setState("registered");
    assert.equal(ua.subscriptions.length, count + 2);
});

test("retry-after of probation and giveup is honoured; 481 resubscribes within 1-2 s, other 4xx wait long", () => {
    const { ua, service } = createService();
    service.start();
    const clock = ua.timers;
    ua.subscriptions[0].end("probation", { retryAfter: 90 });
    clock.advance(89_999);
    assert.equal(ua.subscriptions.length, 1);
    clock.advance(1);
    assert.equal(ua.subscriptions.length, 2);
    clock.advance(60_000);
    ua.subscriptions[1].end("giveup", { retryAfter: 600 });
    clock.advance(599_999);
    assert.equal(ua.subscriptions.length, 2);
    clock.advance(1);
    assert.equal(ua.subscriptions.length, 3);
    clock.advance(60_000);
    ua.subscriptions[2].end("481 Call/Transaction Does Not Exist");
    clock.advance(999);
    assert.equal(ua.subscriptions.length, 3);
    clock.advance(1);
    assert.equal(ua.subscriptions.length, 4, "481 on a refresh: promptly");
    clock.advance(60_000);
    ua.subscriptions[3].end("403 Forbidden");
    clock.advance(299_999);
    assert.equal(ua.subscriptions.length, 4);
    clock.advance(1);
    assert.equal(ua.subscriptions.length, 5);
});

test("stop(): no SUBSCRIBE after it, whatever the final NOTIFY says; it waits for the unsubscribe and unpublish",
    async () => {
        const { ua, service } = createService();
        service.setManualStatus({ state: "away" });
        service.start();
        const [subscription] = ua.subscriptions;
        // The real Subscription reports our own ending as "unsubscribed" even for Parley's reason=timeout.
        subscription.unsubscribe = function unsubscribe() {
            this.unsubscribed = true;
            ua.timers.setTimeout(() => this.end("unsubscribed"), 200);
        };
        let stopped = false;
        const stopping = service.stop().then(() => {
            stopped = true;
        });
        await settle();
        assert.equal(subscription.unsubscribed, true);
        assert.equal(stopped, false, "still waiting for the end of the subscription");
        ua.timers.advance(200);
        await stopping;
        assert.equal(ua.publications[0].unpublished, 1);
        ua.setState("registered");
        ua.timers.advance(600_000);
        assert.equal(ua.subscriptions.length, 1, "never subscribes again");
    });
