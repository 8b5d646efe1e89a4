// One conversation of the chat UI (a room or a private chat): its messages in order, de-duplicated by stored
// id, its unread count and where its history paging stands. No DOM.

/**
 * @param {"room"|"private"} kind
 * @param {string} name room or peer user name
 * @returns {string} e.g. "room:lobby", "private:bob"
 */
export function conversationKey(kind, name) {
    return `${kind}:${name}`;
}

/** The messages and state of one room or private chat. */
export class Conversation {
    /**
     * @param {object} options
     * @param {"room"|"private"} options.kind
     * @param {string} options.name
     * @param {string} [options.label] what the tab shows (display name); the name by default
     * @param {string} options.uri where MESSAGEs go (sip:lobby@localhost, sip:bob@localhost)
     */
    constructor({ kind, name, label, uri }) {
        this.kind = kind;
        this.name = name;
        this.key = conversationKey(kind, name);
        this.label = label || name;
        this.uri = uri;
        /** @type {string[]} user names (rooms) */
        this.members = [];
        this.unread = 0;
        /** @type {import("./chat-message.js").ChatMessage[]} oldest first */
        this.messages = [];
        /** The newest page of history has been loaded (older pages come with loadOlder). */
        this.loaded = false;
        this.loading = false;
        this.loadingOlder = false;
        this.hasMoreOlder = false;
        /** @type {string|null} why the history could not be loaded */
        this.historyError = null;
        /** @type {number|null} how far the user has read here (moves at once, before the server knows) */
        this.readUpTo = null;
        /** @type {number|null} the read marker the server confirmed (a 2xx to its POST), or found there */
        this.readAcked = null;
        /** A read marker POST is under way (the controller sends one at a time). */
        this.readPosting = false;
        /** Something arrived during a catch-up: read one more page. */
        this.catchUpAgain = false;
        /** A registration came while the first page was loading: catch up once it is there. */
        this.catchUpAfterLoad = false;
        this._ids = new Set();
        /** @type {Map<string, number|null>} key of a message without id -> the newest stored id when it came */
        this._pendingFloors = new Map();
    }

    /** @returns {number|null} the largest stored id */
    get newestId() {
        let newest = null;
        for (const message of this.messages) {
            if (message.id !== null && (newest === null || message.id > newest)) newest = message.id;
        }
        return newest;
    }

    /** @returns {number|null} the smallest stored id (the `before` cursor of the next older page) */
    get oldestId() {
        let oldest = null;
        for (const message of this.messages) {
            if (message.id !== null && (oldest === null || message.id < oldest)) oldest = message.id;
        }
        return oldest;
    }

    /** @param {number} id @returns {boolean} */
    hasId(id) {
        return this._ids.has(id);
    }

    /**
     * Adds messages from history or live delivery. A stored id already present is skipped; a stored message
     * that matches a message shown without id (our own, sent from this page, or a plain-text delivery) by
     * sender and text takes its place, but only when its id is above the newest stored id this conversation
     * knew when that message came (an older "ok" is not the "ok" just sent), and never from an older page.
     * @param {import("./chat-message.js").ChatMessage[]} messages
     * @param {{older?: boolean}} [options] older: a page before the oldest message shown ("Load earlier")
     * @returns {import("./chat-message.js").ChatMessage[]} the messages that are new to the conversation
     */
    merge(messages, { older = false } = {}) {
        const added = [];
        for (const message of messages) {
            if (message.id === null) {
                this._pendingFloors.set(message.key, this.newestId);
                this.messages.push(message);
                added.push(message);
                continue;
            }
            if (this._ids.has(message.id)) continue;
            this._ids.add(message.id);
            const provisional = older ? -1 : this.messages.findIndex((candidate) => this._replaces(message,
                candidate));
            if (provisional >= 0) {
                this._pendingFloors.delete(this.messages[provisional].key);
                this.messages.splice(provisional, 1);
            } else {
                added.push(message);
            }
            this._insertStored(message);
        }
        return added;
    }

    /**
     * Updates a message shown without id (the delivery of one we sent).
     * @param {string} key
     * @param {Partial<import("./chat-message.js").ChatMessage>} changes
     * @returns {boolean} whether the message was found
     */
    update(key, changes) {
        const message = this.messages.find((candidate) => candidate.key === key);
        if (!message) return false;
        Object.assign(message, changes);
        return true;
    }

    /** Forgets the messages (the conversation is closed or the user signed out). */
    clear() {
        this.messages = [];
        this._ids.clear();
        this._pendingFloors.clear();
        this.loaded = false;
        this.hasMoreOlder = false;
        this.historyError = null;
    }

    /** Whether a stored message is the stored copy of a message shown without id. */
    _replaces(stored, candidate) {
        if (candidate.id !== null || candidate.notice || candidate.delivery === "failed") return false;
        if (candidate.sender !== stored.sender || candidate.body !== stored.body) return false;
        const floor = this._pendingFloors.get(candidate.key) ?? null;
        return floor === null || stored.id > floor;
    }

    /**
     * A stored message goes before the first stored message with a larger id or the first message without id
     * that is younger (those are ordered by time), else at the end.
     */
    _insertStored(message) {
        const index = this.messages.findIndex((candidate) => (candidate.id !== null && candidate.id > message.id) ||
            (candidate.id === null && candidate.at > message.at));
        if (index < 0) this.messages.push(message);
        else this.messages.splice(index, 0, message);
    }
}
