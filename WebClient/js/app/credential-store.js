// Where the page keeps what must survive a reload: the SIP credentials, shared by every tab of the signed-in
// browser (localStorage), with the user they belong to. The RFC 5626 instance id is per page load (memory only).
// Storages are injected so tests use plain objects.

import { parseSIPCredentials } from "./api-client.js";
import { newUUID } from "../sip/random.js";

/**
 * localStorage key of {user, sip}. Shared by all tabs: POST /api/session/key replaces the session's key,
 * so a tab that asked for its own would lock the others out.
 */
export const SIP_STORAGE_KEY = "parley.sip";
/** Where earlier versions persisted the instance id; removed when found (the id is per page load now). */
export const LEGACY_INSTANCE_STORAGE_KEY = "parley.instance";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Storage-like map for when the browser refuses storage (private modes, blocked cookies). */
export class MemoryStorage {
    constructor() {
        this._items = new Map();
    }

    /** @param {string} key @returns {string|null} */
    getItem(key) {
        return this._items.has(key) ? this._items.get(key) : null;
    }

    /** @param {string} key @param {string} value */
    setItem(key, value) {
        this._items.set(key, String(value));
    }

    /** @param {string} key */
    removeItem(key) {
        this._items.delete(key);
    }
}

/** Stores the SIP credentials and makes the instance id. Storage failures never throw to the caller. */
export class CredentialStore {
    /**
     * @param {object} [options]
     * @param {Storage} [options.localStorage] per-browser storage shared by the tabs (a MemoryStorage when omitted)
     * @param {() => string} [options.randomUUID] makes the instance id
     */
    constructor({ localStorage, randomUUID = newUUID } = {}) {
        this._local = localStorage ?? new MemoryStorage();
        this._randomUUID = randomUUID;
        this._instanceId = null;
    }

    /**
     * The SIP credentials saved for `user`, or null. An entry that is damaged or belongs to another user
     * (an earlier session of someone else) is removed.
     * @param {string} user the session's user (GET /api/session)
     * @returns {{authUsername: string, password: string, realm: string, webSocketURL: string}|null}
     */
    loadSIP(user) {
        const entry = this._readEntry();
        if (entry === null) return null;
        if (entry.user !== user) {
            safeRemove(this._local, SIP_STORAGE_KEY);
            return null;
        }
        return entry.sip;
    }

    /**
     * Saves the `sip` object of a SignIn answer for `user`, for every tab of this browser.
     * @param {string} user
     * @param {{authUsername: string, password: string, realm: string, webSocketURL: string}} sip
     * @returns {boolean} false when the storage refused it (the page then works until the next reload)
     * @throws {TypeError} when user is empty or sip is not a valid credential object
     */
    saveSIP(user, sip) {
        if (typeof user !== "string" || user.trim() === "") throw new TypeError("saveSIP needs the user name");
        const parsed = parseSIPCredentials(sip);
        if (!parsed) throw new TypeError("saveSIP needs {authUsername, password, realm, webSocketURL}");
        return safeSet(this._local, SIP_STORAGE_KEY, JSON.stringify({ user, sip: parsed }));
    }

    /**
     * Forgets the SIP credentials (sign-out, refused credentials).
     * @param {object} [options]
     * @param {{authUsername: string, password: string}|null} [options.onlyIf] remove only when the stored
     *   credentials are these: newer ones another tab saved meanwhile stay
     */
    clearSIP({ onlyIf = null } = {}) {
        if (onlyIf) {
            const stored = this._readEntry()?.sip;
            if (stored && (stored.authUsername !== onlyIf.authUsername || stored.password !== onlyIf.password)) return;
        }
        safeRemove(this._local, SIP_STORAGE_KEY);
    }

    /**
     * This page load's RFC 5626 instance id (a UUID), kept in memory only: each tab registers its own binding,
     * a duplicated tab cannot collide, and Parley drops a binding when its WebSocket closes, so nothing stale
     * is left behind by a reload.
     * @returns {string}
     */
    instanceId() {
        if (this._instanceId) return this._instanceId;
        const created = String(this._randomUUID()).toLowerCase();
        if (!UUID_PATTERN.test(created)) throw new TypeError(`randomUUID gave a value that is not a UUID: ${created}`);
        safeRemove(this._local, LEGACY_INSTANCE_STORAGE_KEY);
        this._instanceId = created;
        return created;
    }

    /** @returns {{user: string, sip: object}|null} the stored entry; a damaged one is removed */
    _readEntry() {
        const text = safeGet(this._local, SIP_STORAGE_KEY);
        if (text === null) return null;
        let entry = null;
        try {
            const value = JSON.parse(text);
            const sip = parseSIPCredentials(value?.sip);
            if (sip && typeof value.user === "string" && value.user !== "") entry = { user: value.user, sip };
        } catch {
            entry = null;
        }
        if (!entry) safeRemove(this._local, SIP_STORAGE_KEY);
        return entry;
    }
}

/** @param {Storage} storage @param {string} key @returns {string|null} */
function safeGet(storage, key) {
    try {
        const value = storage.getItem(key);
        return typeof value === "string" ? value : null;
    } catch {
        return null;
    }
}

/** @param {Storage} storage @param {string} key @param {string} value @returns {boolean} */
function safeSet(storage, key, value) {
    try {
        storage.setItem(key, value);
        return true;
    } catch {
        return false;
    }
}

/** @param {Storage} storage @param {string} key */
function safeRemove(storage, key) {
    try {
        storage.removeItem(key);
    } catch {
        // Nothing else to do: the entry cannot be read back either.
    }
}

/**
 * Returns window.sessionStorage / window.localStorage, or null when the browser refuses access
 * (reading the property itself can throw a SecurityError).
 * @param {object} scope usually window
 * @param {"sessionStorage"|"localStorage"} name
 * @returns {Storage|null}
 */
export function browserStorage(scope, name) {
    try {
        const storage = scope[name];
        const probe = "parley.probe";
        storage.setItem(probe, "1");
        storage.removeItem(probe);
        return storage;
    } catch {
        return null;
    }
}
