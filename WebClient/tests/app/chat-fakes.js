// A fake chat API with an in-memory store, and builders for history messages and "message" event details
// (not a test file).

import { ChatController } from "../../js/app/chat-controller.js";
import { ChatView } from "../../js/app/chat-view.js";
import { chatElements, settle } from "./chat-fake-dom.js";

export const NOW = Date.UTC(2026, 10, 27, 13, 0, 0);

/** A stored message as the history API returns it. */
export function stored(id, sender, body = `message ${id}`) {
    const at = NOW - (1000 - id) * 1000;
    return { id, sender, from: `sip:${sender}@localhost`, contentType: "text/plain", body, at };
}

/** The "message" event detail of a room message Parley relays as message/cpim. */
export function roomEvent(room, sender, id, body) {
    return {
        from: `sip:${room}@localhost`, fromDisplayName: room, to: "sip:alice@localhost", contentType: "message/cpim",
        body: "(raw cpim)", date: new Date(NOW),
        cpim: { from: `sip:${sender}@localhost`, fromDisplayName: sender, to: `sip:${room}@localhost`,
            toDisplayName: null, dateTime: new Date(NOW + id), messageId: id === null ? null : String(id),
            contentType: "text/plain;charset=utf-8", body },
    };
}

/** A private message as message/cpim (to alice unless `to` says otherwise). */
export function privateEvent(sender, id, body, { to = "alice" } = {}) {
    return {
        from: `sip:${sender}@localhost`, fromDisplayName: null, to: `sip:${to}@localhost`, contentType: "message/cpim",
        body: "(raw cpim)", date: new Date(NOW),
        cpim: { from: `sip:${sender}@localhost`, fromDisplayName: null, to: `sip:${to}@localhost`,
            toDisplayName: null, dateTime: new Date(NOW + id), messageId: String(id),
            contentType: "text/plain;charset=utf-8", body },
    };
}

/** A text/plain MESSAGE (a SIP device, or a room's notice). */
export function plainEvent(from, body) {
    return { from, fromDisplayName: null, to: "sip:alice@localhost", contentType: "text/plain", body,
        date: new Date(NOW), cpim: null };
}

/** The chat API over an in-memory store; every call is recorded in `calls`. */
export class FakeChatApi {
    constructor({ rooms = [], available = [], privateUnread = {}, users = [], history = {} } = {}) {
        this.roomList = rooms;
        this.available = available;
        this.privateUnread = privateUnread;
        this.userList = users;
        /** @type {Record<string, object[]>} "room:lobby" / "private:bob" -> stored messages */
        this.history = history;
        this.calls = [];
        /** Set to an Error to make that call fail (by method name). */
        this.failures = {};
    }

    _call(name, ...args) {
        this.calls.push([name, ...args]);
        const failure = this.failures[name];
        if (failure) throw failure;
    }

    /** @returns {Array} the recorded calls of one method */
    callsOf(name) {
        return this.calls.filter((call) => call[0] === name).map((call) => call.slice(1));
    }

    async rooms() {
        this._call("rooms");
        return structuredClone({ rooms: this.roomList, available: this.available, privateUnread: this.privateUnread });
    }

    async users() {
        this._call("users");
        return structuredClone(this.userList);
    }

    async roomHistory(name, cursor) {
        this._call("roomHistory", name, cursor);
        return this._page(`room:${name}`, cursor);
    }

    async privateHistory(user, cursor) {
        this._call("privateHistory", user, cursor);
        return this._page(`private:${user}`, cursor);
    }

    async markRoomRead(name, upTo) {
        this._call("markRoomRead", name, upTo);
    }

    async markPrivateRead(user, upTo) {
        this._call("markPrivateRead", user, upTo);
    }

    async joinRoom(name) {
        this._call("joinRoom", name);
        const room = this.available.find((candidate) => candidate.name === name);
        this.available = this.available.filter((candidate) => candidate.name !== name);
        this.roomList.push({ ...room, members: ["alice"], unread: 0 });
    }

    async leaveRoom(name) {
        this._call("leaveRoom", name);
        const room = this.roomList.find((candidate) => candidate.name === name);
        this.roomList = this.roomList.filter((candidate) => candidate.name !== name);
        this.available.push({ name: room.name, displayName: room.displayName, uri: room.uri });
    }

    _page(key, { before, after, limit = 50 } = {}) {
        const all = [...(this.history[key] ?? [])].sort((left, right) => left.id - right.id);
        if (before !== undefined) return structuredClone(all.filter((message) => message.id < before).slice(-limit));
        if (after !== undefined) return structuredClone(all.filter((message) => message.id > after).slice(0, limit));
        return structuredClone(all.slice(-limit));
    }
}

/** Room "lobby" (3 unread, 12 messages), room "dev" (quiet), a private chat with bob (1 unread), "random" to join. */
export function standardApi() {
    const lobby = Array.from({ length: 12 }, (_, index) => stored(index + 1, index % 2 ? "bob" : "carol"));
    return new FakeChatApi({
        rooms: [
            { name: "lobby", displayName: "Lobby", uri: "sip:lobby@localhost", members: ["alice", "bob", "carol"],
                unread: 3 },
            { name: "dev", displayName: null, uri: "sip:dev@localhost", members: ["alice", "bob"], unread: 0 },
        ],
        available: [{ name: "random", displayName: "Random", uri: "sip:random@localhost" }],
        privateUnread: { bob: 1 },
        users: [
            { name: "alice", displayName: "Alice", uri: "sip:alice@localhost" },
            { name: "bob", displayName: "Bob", uri: "sip:bob@localhost" },
            { name: "carol", displayName: "Carol", uri: "sip:carol@localhost" },
        ],
        history: {
            "room:lobby": lobby,
            "room:dev": [stored(20, "bob", "dev talk")],
            "room:random": [stored(40, "carol", "welcome")],
            "private:bob": [stored(30, "bob", "psst")],
        },
    });
}

/**
 * A ChatController on a ChatView over fake elements, started for alice.
 * @param {object} [options]
 * @param {FakeChatApi} [options.api]
 * @param {number} [options.pageSize=5]
 * @param {(uri: string, text: string) => object} [options.answer] the SIP answer to each MESSAGE
 */
export async function startedChat({ api = standardApi(), pageSize = 5, answer = () => ({ status: 200, reason: "OK" }),
    start = true } = {}) {
    const elements = chatElements();
    // Announcements are written on the next tick; settle() runs these.
    const view = new ChatView(elements, { composeHintId: "chat-compose-hint", now: () => NOW,
        nextTick: (action) => setImmediate(action) });
    const page = { visible: true };
    const sent = [];
    const dialed = [];
    const warnings = [];
    const chat = new ChatController({
        api, view, pageSize, now: () => NOW, isPageVisible: () => page.visible,
        sendMessage: async (uri, text) => {
            sent.push([uri, text]);
            const result = answer(uri, text);
            if (result instanceof Error) throw result;
            return result;
        },
        dial: (user) => dialed.push(user),
        logger: { warn: (...args) => warnings.push(args) },
    });
    const totals = [];
    chat.addEventListener("unreadchange", (event) => totals.push(event.detail.total));
    if (start) {
        await chat.start({ user: "alice", domain: "localhost", aor: "sip:alice@localhost" });
        await settle();
    }
    return { api, chat, view, elements, page, sent, dialed, totals, warnings, document: elements.document };
}
