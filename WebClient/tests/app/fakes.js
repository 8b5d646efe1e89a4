// Test doubles shared by the app tests (not a test file itself: node --test runs only *.test.js here).

/** A Response-like answer for an injected fetch. */
export function jsonResponse(status, body, statusText = "") {
    const text = body === undefined ? "" : (typeof body === "string" ? body : JSON.stringify(body));
    return {
        status,
        statusText,
        ok: status >= 200 && status < 300,
        text: async () => text,
    };
}

/**
 * A fetch that answers from a table keyed by "METHOD /path" and records every call.
 * A value may be a response, an Error (the fetch rejects) or a function (init) => response.
 */
export function fakeFetch(routes) {
    const calls = [];
    const fetch = async (url, init = {}) => {
        const key = `${init.method ?? "GET"} ${url}`;
        calls.push({ key, url, init, body: init.body === undefined ? undefined : JSON.parse(init.body) });
        if (!Object.hasOwn(routes, key)) throw new Error(`unexpected request ${key}`);
        const answer = routes[key];
        if (answer instanceof Error) throw answer;
        return typeof answer === "function" ? answer(init) : answer;
    };
    return { fetch, calls };
}

/** A Storage with an optional switch that makes every call throw (like a blocked storage). */
export class FakeStorage {
    constructor(entries = {}) {
        this.items = new Map(Object.entries(entries));
        this.broken = false;
    }

    getItem(key) {
        if (this.broken) throw new Error("SecurityError");
        return this.items.has(key) ? this.items.get(key) : null;
    }

    setItem(key, value) {
        if (this.broken) throw new Error("QuotaExceededError");
        this.items.set(key, String(value));
    }

    removeItem(key) {
        if (this.broken) throw new Error("SecurityError");
        this.items.delete(key);
    }
}

export const SIGN_IN = Object.freeze({
    user: "alice",
    displayName: "Alice Liddell",
    aor: "sip:alice@localhost",
    domain: "localhost",
    expiresAt: 1_790_000_000_000,
    sip: Object.freeze({
        authUsername: "opaque-user",
        password: "opaque-secret",
        realm: "localhost",
        webSocketURL: "wss://localhost:8443/sip",
    }),
});

export const SESSION_INFO = Object.freeze({
    user: "alice",
    displayName: "Alice Liddell",
    aor: "sip:alice@localhost",
    domain: "localhost",
    expiresAt: 1_790_000_000_000,
});

/** A UserAgent stand-in that records start/stop. */
export class FakeUserAgent extends EventTarget {
    constructor(options) {
        super();
        this.options = options;
        this.started = 0;
        this.stopped = 0;
        this.stopBehavior = "resolve"; // "resolve" | "reject" | "hang"
        this.state = "stopped";
        this.calls = [];
    }

    start() {
        this.started += 1;
        this.state = "connecting";
    }

    stop() {
        this.stopped += 1;
        this.state = "stopped";
        if (this.stopBehavior === "reject") return Promise.reject(new Error("socket gone"));
        if (this.stopBehavior === "hang") return new Promise(() => {});
        return Promise.resolve();
    }

    call(target, options) {
        const uri = `sip:${target}@localhost`;
        const session = new FakeCallSession({ direction: "outgoing", state: "calling", uri });
        this.calls.push({ target, options, session });
        return session;
    }
}

/** A CallSession stand-in whose state the test drives. */
export class FakeCallSession extends EventTarget {
    constructor({ direction = "incoming", state = "incoming", uri = "sip:carol@localhost", displayName = null } = {}) {
        super();
        this.direction = direction;
        this.state = state;
        this.remoteIdentity = { uri, displayName };
        this.startedAt = null;
        this.muted = false;
        this.dtmfResult = true;
        this.log = [];
    }

    setState(state, now = 0) {
        this.state = state;
        if (state === "connected") this.startedAt = now;
        this.dispatchEvent(new CustomEvent("statechange", { detail: { state } }));
    }

    end(detail) {
        this.state = "ended";
        this.dispatchEvent(new CustomEvent("statechange", { detail: { state: "ended" } }));
        this.dispatchEvent(new CustomEvent("ended", { detail }));
    }

    async accept(options) {
        this.log.push(["accept", options]);
    }

    reject(status = 486, reason = "Busy Here") {
        this.log.push(["reject", status, reason]);
        this.end({ cause: "rejected", status, reason });
    }

    hangup() {
        this.log.push(["hangup"]);
        this.end({ cause: "hangup" });
    }

    /** Returns `dtmfResult` (true unless the test sets it), as CallSession.sendDTMF returns whether it sent. */
    sendDTMF(tones) {
        this.log.push(["dtmf", tones]);
        return this.dtmfResult;
    }

    setMuted(muted) {
        this.log.push(["mute", muted]);
        this.muted = muted;
    }
}

/** A manual clock with setTimeout/setInterval that run only when advanced. */
export class FakeClock {
    constructor(start = 0) {
        this.time = start;
        this.nextId = 1;
        this.tasks = new Map();
        this.now = () => this.time;
        this.setTimeout = (fn, ms) => this._add(fn, ms, null);
        this.setInterval = (fn, ms) => this._add(fn, ms, ms);
        this.clearTimeout = (id) => this.tasks.delete(id);
        this.clearInterval = (id) => this.tasks.delete(id);
    }

    _add(fn, ms, repeat) {
        const id = this.nextId++;
        this.tasks.set(id, { fn, at: this.time + Math.max(0, ms ?? 0), repeat });
        return id;
    }

    /** Moves time forward, running due tasks in order (bounded, so a bug cannot loop forever). */
    advance(ms) {
        const end = this.time + ms;
        for (let guard = 0; guard < 10_000; guard++) {
            let nextId = null;
            let next = null;
            for (const [id, task] of this.tasks) {
                if (task.at <= end && (next === null || task.at < next.at)) {
                    nextId = id;
                    next = task;
                }
            }
            if (next === null) break;
            this.time = next.at;
            if (next.repeat === null) this.tasks.delete(nextId);
            else next.at += next.repeat;
            next.fn();
        }
        this.time = end;
    }
}
