// Where the page keeps what must survive a reload: the SIP key (per tab, sessionStorage) and the
// RFC 5626 instance id (per browser, localStorage). Storages are injected so tests use plain objects.

import { parseSIPCredentials } from "./api-client.js";

export const SIP_STORAGE_KEY = "parley.sip";
export const INSTANCE_STORAGE_KEY = "parley.instance";

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

/**
 * A version 4 UUID from crypto.getRandomValues, for browsers without crypto.randomUUID.
 * @returns {string}
 */
function randomUUIDFallback() {
    const bytes = new Uint8Array(16);
    globalThis.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // RFC 4122 §4.4: version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 §4.4: variant 10
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** @returns {string} */
function defaultRandomUUID() {
    return typeof globalThis.crypto?.randomUUID === "function" ? globalThis.crypto.randomUUID() : randomUUIDFallback();
}

/** Stores the SIP credentials and the instance id. Storage failures never throw to the caller. */
export class CredentialStore {
    /**
     * @param {object} [options]
     * @param {Storage} [options.sessionStorage] per-tab storage (a MemoryStorage when omitted)
     * @param {Storage} [options.localStorage] per-browser storage (a MemoryStorage when omitted)
     * @param {() => string} [options.randomUUID] makes a new instance id
     */
    constructor({ sessionStorage, localStorage, randomUUID = defaultRandomUUID } = {}) {
        this._session = sessionStorage ?? new MemoryStorage();
        this._local = localStorage ?? new MemoryStorage();
        this._randomUUID = randomUUID;
        this._memoryInstanceId = null;
    }

    /**
     * The SIP credentials saved by saveSIP, or null when absent or damaged (a damaged entry is removed).
     * @returns {{authUsername: string, password: string, realm: string, webSocketURL: string}|null}
     */
    loadSIP() {
        const text = safeGet(this._session, SIP_STORAGE_KEY);
        if (text === null) return null;
        let parsed = null;
        try {
            parsed = parseSIPCredentials(JSON.parse(text));
        } catch {
            parsed = null;
        }
        if (!parsed) safeRemove(this._session, SIP_STORAGE_KEY);
        return parsed;
    }

    /**
     * Saves the `sip` object of a SignIn answer.
     * @param {{authUsername: string, password: string, realm: string, webSocketURL: string}} sip
     * @returns {boolean} false when the storage refused it (the page then works until the next reload)
     * @throws {TypeError} when sip is not a valid credential object
     */
    saveSIP(sip) {
        const parsed = parseSIPCredentials(sip);
        if (!parsed) throw new TypeError("saveSIP needs {authUsername, password, realm, webSocketURL}");
        return safeSet(this._session, SIP_STORAGE_KEY, JSON.stringify(parsed));
    }

    /** Forgets the SIP credentials (sign-out, refused credentials). */
    clearSIP() {
        safeRemove(this._session, SIP_STORAGE_KEY);
    }

    /**
     * The browser's RFC 5626 instance id (a UUID), made and saved on first use so every
     * registration of this browser replaces its own earlier binding instead of adding one.
     * @returns {string}
     */
    instanceId() {
        const stored = safeGet(this._local, INSTANCE_STORAGE_KEY);
        if (stored !== null && UUID_PATTERN.test(stored)) return stored.toLowerCase();
        if (this._memoryInstanceId) return this._memoryInstanceId;
        const created = String(this._randomUUID()).toLowerCase();
        if (!UUID_PATTERN.test(created)) throw new TypeError(`randomUUID gave a value that is not a UUID: ${created}`);
        if (!safeSet(this._local, INSTANCE_STORAGE_KEY, created)) this._memoryInstanceId = created;
        return created;
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
