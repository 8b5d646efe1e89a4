import { test } from "node:test";
import assert from "node:assert/strict";

import {
    browserStorage, CredentialStore, INSTANCE_STORAGE_KEY, MemoryStorage, SIP_STORAGE_KEY,
} from "../../js/app/credential-store.js";
import { FakeStorage, SIGN_IN } from "./fakes.js";

const UUID = "0f8fad5b-d9cb-469f-a165-70867728950e";

test("saveSIP stores the sip object under parley.sip and loadSIP reads it back", () => {
    const sessionStorage = new FakeStorage();
    const store = new CredentialStore({ sessionStorage, localStorage: new FakeStorage() });
    assert.equal(store.loadSIP(), null);
    assert.equal(store.saveSIP(SIGN_IN.sip), true);
    assert.deepEqual(JSON.parse(sessionStorage.items.get(SIP_STORAGE_KEY)), SIGN_IN.sip);
    assert.deepEqual(store.loadSIP(), SIGN_IN.sip);
    store.clearSIP();
    assert.equal(store.loadSIP(), null);
    assert.equal(sessionStorage.items.has(SIP_STORAGE_KEY), false);
});

test("a damaged parley.sip entry reads as absent and is removed", () => {
    for (const damaged of ["{not json", JSON.stringify({ authUsername: "a" }), "null", "42"]) {
        const sessionStorage = new FakeStorage({ [SIP_STORAGE_KEY]: damaged });
        const store = new CredentialStore({ sessionStorage });
        assert.equal(store.loadSIP(), null, damaged);
        assert.equal(sessionStorage.items.has(SIP_STORAGE_KEY), false, damaged);
    }
});

test("saveSIP refuses an object that is not SIP credentials", () => {
    const store = new CredentialStore({ sessionStorage: new FakeStorage() });
    assert.throws(() => store.saveSIP({ password: "x" }), TypeError);
    assert.throws(() => store.saveSIP(null), TypeError);
});

test("a storage that throws never breaks the page", () => {
    const sessionStorage = new FakeStorage();
    sessionStorage.broken = true;
    const store = new CredentialStore({ sessionStorage });
    assert.equal(store.saveSIP(SIGN_IN.sip), false);
    assert.equal(store.loadSIP(), null);
    assert.doesNotThrow(() => store.clearSIP());
});

test("instanceId is made once with randomUUID and kept in parley.instance", () => {
    const localStorage = new FakeStorage();
    let made = 0;
    const store = new CredentialStore({ localStorage, randomUUID: () => { made += 1; return UUID; } });
    assert.equal(store.instanceId(), UUID);
    assert.equal(store.instanceId(), UUID);
    assert.equal(made, 1);
    assert.equal(localStorage.items.get(INSTANCE_STORAGE_KEY), UUID);
    const again = new CredentialStore({ localStorage, randomUUID: () => assert.fail("must reuse the stored id") });
    assert.equal(again.instanceId(), UUID);
});

test("a stored instance id that is not a UUID is replaced", () => {
    const localStorage = new FakeStorage({ [INSTANCE_STORAGE_KEY]: "not-a-uuid" });
    const store = new CredentialStore({ localStorage, randomUUID: () => UUID });
    assert.equal(store.instanceId(), UUID);
    assert.equal(localStorage.items.get(INSTANCE_STORAGE_KEY), UUID);
});

test("without a working localStorage the instance id stays stable for the page's life", () => {
    const localStorage = new FakeStorage();
    localStorage.broken = true;
    let made = 0;
    const store = new CredentialStore({ localStorage, randomUUID: () => { made += 1; return UUID; } });
    assert.equal(store.instanceId(), store.instanceId());
    assert.equal(made, 1);
});

test("the default instance id is a version 4 UUID", () => {
    const id = new CredentialStore().instanceId();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test("a randomUUID that returns garbage is reported", () => {
    const store = new CredentialStore({ randomUUID: () => "nope" });
    assert.throws(() => store.instanceId(), /not a UUID/);
});

test("browserStorage returns null when the property throws or the storage refuses writes", () => {
    const blocked = { get sessionStorage() { throw new Error("SecurityError"); } };
    assert.equal(browserStorage(blocked, "sessionStorage"), null);
    const full = new FakeStorage();
    full.broken = true;
    assert.equal(browserStorage({ localStorage: full }, "localStorage"), null);
    const fine = new MemoryStorage();
    assert.equal(browserStorage({ localStorage: fine }, "localStorage"), fine);
    assert.equal(fine.getItem("parley.probe"), null);
});
