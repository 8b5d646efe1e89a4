import { test } from "node:test";
import assert from "node:assert/strict";

import {
    browserStorage, CredentialStore, LEGACY_INSTANCE_STORAGE_KEY, MemoryStorage, SIP_STORAGE_KEY,
} from "../../js/app/credential-store.js";
import { FakeStorage, SIGN_IN } from "./fakes.js";

const UUID = "0f8fad5b-d9cb-469f-a165-70867728950e";
const OTHER_UUID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

test("saveSIP stores {user, sip} under parley.sip in localStorage; loadSIP reads it back for that user", () => {
    const localStorage = new FakeStorage();
    const store = new CredentialStore({ localStorage });
    assert.equal(store.loadSIP("alice"), null);
    assert.equal(store.saveSIP("alice", SIGN_IN.sip), true);
    assert.deepEqual(JSON.parse(localStorage.items.get(SIP_STORAGE_KEY)), { user: "alice", sip: SIGN_IN.sip });
    assert.deepEqual(store.loadSIP("alice"), SIGN_IN.sip);
    store.clearSIP();
    assert.equal(store.loadSIP("alice"), null);
    assert.equal(localStorage.items.has(SIP_STORAGE_KEY), false);
});

test("every tab (store) of the browser sees the same saved credentials", () => {
    const localStorage = new FakeStorage();
    new CredentialStore({ localStorage }).saveSIP("alice", SIGN_IN.sip);
    assert.deepEqual(new CredentialStore({ localStorage }).loadSIP("alice"), SIGN_IN.sip);
});

test("credentials saved for another user are discarded, not used", () => {
    const localStorage = new FakeStorage();
    const store = new CredentialStore({ localStorage });
    store.saveSIP("bob", SIGN_IN.sip);
    assert.equal(store.loadSIP("alice"), null);
    assert.equal(localStorage.items.has(SIP_STORAGE_KEY), false);
});

test("a damaged parley.sip entry (or one from the older per-tab format) reads as absent and is removed", () => {
    const damaged = ["{not json", JSON.stringify({ authUsername: "a" }), "null", "42", JSON.stringify(SIGN_IN.sip),
        JSON.stringify({ user: "", sip: SIGN_IN.sip }), JSON.stringify({ user: "alice", sip: { password: "x" } })];
    for (const text of damaged) {
        const localStorage = new FakeStorage({ [SIP_STORAGE_KEY]: text });
        const store = new CredentialStore({ localStorage });
        assert.equal(store.loadSIP("alice"), null, text);
        assert.equal(localStorage.items.has(SIP_STORAGE_KEY), false, text);
    }
});

test("saveSIP refuses a missing user or an object that is not SIP credentials", () => {
    const store = new CredentialStore({ localStorage: new FakeStorage() });
    assert.throws(() => store.saveSIP("alice", { password: "x" }), TypeError);
    assert.throws(() => store.saveSIP("alice", null), TypeError);
    assert.throws(() => store.saveSIP("", SIGN_IN.sip), TypeError);
    assert.throws(() => store.saveSIP(undefined, SIGN_IN.sip), TypeError);
});

test("clearSIP({onlyIf}) leaves newer credentials another tab saved", () => {
    const localStorage = new FakeStorage();
    const store = new CredentialStore({ localStorage });
    const newer = { ...SIGN_IN.sip, password: "newer-secret" };
    store.saveSIP("alice", newer);
    store.clearSIP({ onlyIf: SIGN_IN.sip });
    assert.deepEqual(store.loadSIP("alice"), newer);
    store.clearSIP({ onlyIf: newer });
    assert.equal(store.loadSIP("alice"), null);
});

test("a storage that throws never breaks the page", () => {
    const localStorage = new FakeStorage();
    localStorage.broken = true;
    const store = new CredentialStore({ localStorage });
    assert.equal(store.saveSIP("alice", SIGN_IN.sip), false);
    assert.equal(store.loadSIP("alice"), null);
    assert.doesNotThrow(() => store.clearSIP());
    assert.doesNotThrow(() => store.clearSIP({ onlyIf: SIGN_IN.sip }));
    assert.equal(store.instanceId().length, 36);
});

test("instanceId is made once per page load (store), differs between loads, and is never stored", () => {
    const localStorage = new FakeStorage({ [LEGACY_INSTANCE_STORAGE_KEY]: UUID });
    const ids = [UUID, OTHER_UUID];
    let made = 0;
    const randomUUID = () => ids[made++];
    const firstLoad = new CredentialStore({ localStorage, randomUUID });
    assert.equal(firstLoad.instanceId(), UUID);
    assert.equal(firstLoad.instanceId(), UUID);
    assert.equal(made, 1);
    const secondLoad = new CredentialStore({ localStorage, randomUUID });
    assert.equal(secondLoad.instanceId(), OTHER_UUID, "a reload or a duplicated tab gets its own id");
    assert.deepEqual([...localStorage.items.keys()], [], "nothing persisted; the old parley.instance is removed");
});

test("the default instance id is a version 4 UUID, new for each store", () => {
    const id = new CredentialStore().instanceId();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(new CredentialStore().instanceId(), id);
});

test("a randomUUID that returns garbage is reported", () => {
    const store = new CredentialStore({ randomUUID: () => "nope" });
    assert.throws(() => store.instanceId(), /not a UUID/);
});

test("browserStorage returns null when the property throws or the storage refuses writes", () => {
    const blocked = { get localStorage() { throw new Error("SecurityError"); } };
    assert.equal(browserStorage(blocked, "localStorage"), null);
    const full = new FakeStorage();
    full.broken = true;
    assert.equal(browserStorage({ localStorage: full }, "localStorage"), null);
    const fine = new MemoryStorage();
    assert.equal(browserStorage({ localStorage: fine }, "localStorage"), fine);
    assert.equal(fine.getItem("parley.probe"), null);
});
