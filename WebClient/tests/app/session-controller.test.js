import { test } from "node:test";
import assert from "node:assert/strict";

import { ApiClient } from "../../js/app/api-client.js";
import { CredentialStore, SIP_STORAGE_KEY } from "../../js/app/credential-store.js";
import { resumeErrorText, SessionController } from "../../js/app/session-controller.js";
import { FakeClock, fakeFetch, FakeStorage, FakeUserAgent, jsonResponse, SESSION_INFO, SIGN_IN } from "./fakes.js";

const UUID = "0f8fad5b-d9cb-469f-a165-70867728950e";
const RENEWED = { ...SIGN_IN, sip: { ...SIGN_IN.sip, password: "renewed-secret" } };

function setup(routes, { savedSIP = null, savedUser = "alice", clock = new FakeClock() } = {}) {
    const { fetch, calls } = fakeFetch(routes);
    const saved = savedSIP ? { [SIP_STORAGE_KEY]: JSON.stringify({ user: savedUser, sip: savedSIP }) } : {};
    const localStorage = new FakeStorage(saved);
    const credentials = new CredentialStore({ localStorage, randomUUID: () => UUID });
    const userAgents = [];
    const controller = new SessionController({
        api: new ApiClient({ fetch }),
        credentials,
        createUserAgent: (options) => {
            const userAgent = new FakeUserAgent(options);
            userAgents.push(userAgent);
            return userAgent;
        },
        timers: clock,
        stopTimeoutMs: 5000,
    });
    return { controller, calls, localStorage, credentials, userAgents, clock };
}

test("reload (or another tab) with a key saved for the session's user goes home without a new key", async () => {
    const { controller, calls } = setup({ "GET /api/session": jsonResponse(200, SESSION_INFO) },
        { savedSIP: SIGN_IN.sip });
    const { account, error } = await controller.resume();
    assert.equal(error, "");
    assert.deepEqual(account, { ...SESSION_INFO, sip: SIGN_IN.sip });
    assert.deepEqual(calls.map((call) => call.key), ["GET /api/session"]);
});

test("a key saved for another user is discarded and a new one asked for and saved for this user", async () => {
    const { controller, calls, credentials, localStorage } = setup({
        "GET /api/session": jsonResponse(200, SESSION_INFO),
        "POST /api/session/key": jsonResponse(200, RENEWED),
    }, { savedSIP: { ...SIGN_IN.sip, password: "bobs-old-key" }, savedUser: "bob" });
    const { account } = await controller.resume();
    assert.equal(account.sip.password, "renewed-secret");
    assert.deepEqual(calls.map((call) => call.key), ["GET /api/session", "POST /api/session/key"]);
    assert.deepEqual(JSON.parse(localStorage.items.get(SIP_STORAGE_KEY)), { user: "alice", sip: RENEWED.sip });
    assert.deepEqual(credentials.loadSIP("alice"), RENEWED.sip);
});

test("reload with a session but no saved key asks for a new key and saves it", async () => {
    const { controller, calls, credentials } = setup({
        "GET /api/session": jsonResponse(200, SESSION_INFO),
        "POST /api/session/key": jsonResponse(200, RENEWED),
    });
    const { account } = await controller.resume();
    assert.equal(account.sip.password, "renewed-secret");
    assert.deepEqual(credentials.loadSIP("alice"), RENEWED.sip);
    assert.deepEqual(calls.map((call) => call.key), ["GET /api/session", "POST /api/session/key"]);
});

test("reload without a session shows the sign-in form silently and forgets a stale key", async () => {
    const { controller, credentials } = setup({ "GET /api/session": jsonResponse(401, { error: "no session" }) },
        { savedSIP: SIGN_IN.sip });
    assert.deepEqual(await controller.resume(), { account: null, error: "" });
    assert.equal(credentials.loadSIP("alice"), null);
    assert.equal(controller.account, null);
});

test("reload while the server is unreachable explains it and keeps the saved key", async () => {
    const { controller, credentials } = setup({ "GET /api/session": new TypeError("Failed to fetch") },
        { savedSIP: SIGN_IN.sip });
    const { account, error } = await controller.resume();
    assert.equal(account, null);
    assert.match(error, /Cannot reach the Parley server/);
    assert.deepEqual(credentials.loadSIP("alice"), SIGN_IN.sip);
});

test("a session that ends between GET and the key request leads to sign-in", async () => {
    const { controller } = setup({
        "GET /api/session": jsonResponse(200, SESSION_INFO),
        "POST /api/session/key": jsonResponse(401, { error: "no session" }),
    });
    assert.deepEqual(await controller.resume(), { account: null, error: "" });
});

test("a failing key request reports the server's words", async () => {
    const { controller } = setup({
        "GET /api/session": jsonResponse(200, SESSION_INFO),
        "POST /api/session/key": jsonResponse(500, { error: "database is locked" }),
    });
    assert.deepEqual(await controller.resume(), { account: null, error: "database is locked" });
});

test("signIn saves the SIP credentials; startUserAgent passes the contract's options", async () => {
    const { controller, credentials, userAgents } = setup({ "POST /api/session": jsonResponse(200, SIGN_IN) });
    const account = await controller.signIn("alice", "pw");
    assert.deepEqual(credentials.loadSIP("alice"), SIGN_IN.sip);
    assert.equal(controller.account, account);
    const userAgent = controller.startUserAgent();
    assert.equal(userAgents.length, 1);
    assert.equal(controller.userAgent, userAgent);
    assert.equal(userAgent.started, 1);
    assert.deepEqual(userAgent.options, {
        webSocketURL: "wss://localhost:8443/sip",
        aor: "sip:alice@localhost",
        authUsername: "opaque-user",
        password: "opaque-secret",
        instanceId: UUID,
        realm: "localhost",
        displayName: "Alice Liddell",
    });
    assert.throws(() => controller.startUserAgent(), /already running/);
});

test("a failed sign-in stores nothing", async () => {
    const { controller, credentials } = setup({ "POST /api/session": jsonResponse(401, { error: "wrong" }) });
    await assert.rejects(controller.signIn("alice", "bad"), { kind: "unauthorized" });
    assert.equal(credentials.loadSIP("alice"), null);
    assert.throws(() => controller.startUserAgent(), /signed-in account/);
});

test("no displayName means the option is left out", async () => {
    const { controller, userAgents } = setup({
        "POST /api/session": jsonResponse(200, { ...SIGN_IN, displayName: null }),
    });
    await controller.signIn("alice", "pw");
    controller.startUserAgent();
    assert.equal(Object.hasOwn(userAgents[0].options, "displayName"), false);
});

test("signOut stops the UA first, then DELETEs the session, then forgets the key", async () => {
    const order = [];
    const { controller, credentials, localStorage } = setup({
        "POST /api/session": jsonResponse(200, SIGN_IN),
        "DELETE /api/session": () => {
            order.push(`delete (stopped ${controller.userAgent === null})`);
            return jsonResponse(204);
        },
    });
    await controller.signIn("alice", "pw");
    const userAgent = controller.startUserAgent();
    const originalStop = userAgent.stop.bind(userAgent);
    userAgent.stop = () => {
        order.push("stop");
        return originalStop();
    };
    assert.deepEqual(await controller.signOut(), { serverError: "" });
    assert.deepEqual(order, ["stop", "delete (stopped true)"]);
    assert.equal(userAgent.stopped, 1);
    assert.equal(credentials.loadSIP("alice"), null);
    assert.equal(localStorage.items.has(SIP_STORAGE_KEY), false);
    assert.equal(controller.account, null);
});

test("signOut clears local state even when the server cannot be reached", async () => {
    const { controller, credentials } = setup({
        "POST /api/session": jsonResponse(200, SIGN_IN),
        "DELETE /api/session": new TypeError("Failed to fetch"),
    });
    await controller.signIn("alice", "pw");
    controller.startUserAgent().stopBehavior = "reject";
    const { serverError } = await controller.signOut();
    assert.match(serverError, /Cannot reach/);
    assert.equal(credentials.loadSIP("alice"), null);
    assert.equal(controller.userAgent, null);
});

test("signOut treats 401 (session already gone) as success", async () => {
    const { controller } = setup({
        "POST /api/session": jsonResponse(200, SIGN_IN),
        "DELETE /api/session": jsonResponse(401, { error: "no session" }),
    });
    await controller.signIn("alice", "pw");
    assert.deepEqual(await controller.signOut(), { serverError: "" });
});

test("a UserAgent.stop() that never settles is given up after the timeout", async () => {
    const clock = new FakeClock();
    const { controller } = setup({
        "POST /api/session": jsonResponse(200, SIGN_IN),
        "DELETE /api/session": jsonResponse(204),
    }, { clock });
    await controller.signIn("alice", "pw");
    controller.startUserAgent().stopBehavior = "hang";
    const signingOut = controller.signOut();
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(5000);
    assert.deepEqual(await signingOut, { serverError: "" });
});

test("dropCredentials (authfailed) stops the UA and forgets account and key", async () => {
    const { controller, credentials, localStorage } = setup({ "POST /api/session": jsonResponse(200, SIGN_IN) });
    await controller.signIn("alice", "pw");
    const userAgent = controller.startUserAgent();
    await controller.dropCredentials();
    assert.equal(userAgent.stopped, 1);
    assert.equal(controller.account, null);
    assert.equal(credentials.loadSIP("alice"), null);
    assert.equal(localStorage.items.has(SIP_STORAGE_KEY), false);
});

test("dropCredentials keeps a newer key that another tab saved meanwhile", async () => {
    const { controller, credentials } = setup({ "POST /api/session": jsonResponse(200, SIGN_IN) });
    await controller.signIn("alice", "pw");
    controller.startUserAgent();
    credentials.saveSIP("alice", RENEWED.sip); // another tab renewed the key: ours was refused because of it
    await controller.dropCredentials();
    assert.deepEqual(credentials.loadSIP("alice"), RENEWED.sip);
});

test("each page load registers with its own instance id", async () => {
    const ids = ["0f8fad5b-d9cb-469f-a165-70867728950e", "7c9e6679-7425-40de-944b-e07fc1f90ae7"];
    const localStorage = new FakeStorage();
    const optionsSeen = [];
    for (const id of ids) {
        const { fetch } = fakeFetch({ "POST /api/session": jsonResponse(200, SIGN_IN) });
        const controller = new SessionController({
            api: new ApiClient({ fetch }),
            credentials: new CredentialStore({ localStorage, randomUUID: () => id }),
            createUserAgent: (options) => {
                optionsSeen.push(options);
                return new FakeUserAgent(options);
            },
        });
        await controller.signIn("alice", "pw");
        controller.startUserAgent();
    }
    assert.deepEqual(optionsSeen.map((options) => options.instanceId), ids);
    assert.equal(optionsSeen[0].password, optionsSeen[1].password, "the tabs share one key");
});

test("resumeErrorText is silent for 'not signed in' only", () => {
    assert.match(resumeErrorText(new Error("x")), /could not be restored/);
});
