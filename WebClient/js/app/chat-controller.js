// The chat: the user's rooms and private chats as tabs, their history from the API (newest page first, older
// pages on demand), live MESSAGEs merged in without duplicates, unread counts and read markers, join and leave.
// The ChatView shows; this decides. window.parley.chat is this object (the browser tests read snapshot()).

import { ApiError, isChatName } from "./api-client.js";
import { Conversation, conversationKey } from "./chat-conversation.js";
import {
    classifyIncoming, composeProblem, messageFromHistory, outgoingMessage, roomCommand, userOfURI,
} from "./chat-message.js";
import { formatStatus, sendFailureText } from "./format.js";
import { presenceView } from "./member-list.js";

export const DEFAULT_PAGE_SIZE = 50;
/** A catch-up (after a send or a reconnection) reads at most this many pages. */
const MAX_CATCH_UP_PAGES = 5;
const MAX_ANNOUNCED_LENGTH = 140;

/** @param {unknown} error @returns {string} */
function errorText(error) {
    if (error instanceof ApiError) return error.message;
    return error instanceof Error && error.message ? error.message : "something went wrong";
}

/** @param {string} text @returns {string} */
function shortened(text) {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length > MAX_ANNOUNCED_LENGTH ? `${flat.slice(0, MAX_ANNOUNCED_LENGTH)}…` : flat;
}

/** Runs the chat card. Events: "unreadchange" (detail {total}). */
export class ChatController extends EventTarget {
    /**
     * @param {object} options
     * @param {object} options.api an ApiClient (rooms, users, roomHistory, privateHistory, markRoomRead,
     *   markPrivateRead, joinRoom, leaveRoom)
     * @param {import("./chat-view.js").ChatView} options.view
     * @param {(uri: string, text: string) => Promise<{status: number, reason: string}>} options.sendMessage
     *   sends a MESSAGE (rejects when there is no connection)
     * @param {(user: string) => unknown} options.dial places a call (the call controller's dial)
     * @param {() => boolean} [options.isPageVisible] whether the page is shown (document.visibilityState)
     * @param {() => number} [options.now]
     * @param {number} [options.pageSize=50] messages per history page
     * @param {{warn: Function}} [options.logger]
     */
    constructor({ api, view, sendMessage, dial, isPageVisible = () => true, now = Date.now,
        pageSize = DEFAULT_PAGE_SIZE, logger = globalThis.console }) {
        super();
        this._api = api;
        this._view = view;
        this._sendMessage = sendMessage;
        this._dial = dial;
        this._isPageVisible = isPageVisible;
        this._now = now;
        this._pageSize = pageSize;
        this._logger = logger;
        this._state = "stopped";
        this._account = null;
        /** @type {Map<string, Conversation>} */
        this._conversations = new Map();
        /** @type {Map<string, {displayName: string|null, uri: string}>} */
        this._directory = new Map();
        /** @type {Map<string, {state: string, note: string}>} */
        this._presence = new Map();
        /** Every room name seen this session: a plain MESSAGE from one of them is a notice, not a private chat. */
        this._knownRooms = new Set();
        /** @type {{detail: object}[]} MESSAGEs from names not known yet, waiting for the room list (in order) */
        this._deferred = [];
        this._available = [];
        this._generation = 0;
        this._roomsLoading = null;
        this._roomsAgain = false;
        /** @type {Map<string, Promise<void>>} */
        this._catchUps = new Map();
        this._total = 0;
        /** The status line shows the loading or failure text of the room list. */
        this._roomsStatusShown = false;
        view.setHandlers({
            select: (key, options) => this.select(key, options),
            join: (name) => this.joinRoom(name),
            openPrivate: (name, options) => this.openPrivate(name, options),
            retryRooms: () => this.refreshRooms(),
            send: (key, text) => this.send(key, text),
            loadOlder: (key) => this.loadOlder(key),
            retryHistory: (key) => this._retryHistory(key),
            scrolled: (key) => this.scrolled(key),
            leave: (name) => this.leaveRoom(name),
            closePrivate: (name) => this.closePrivate(name),
            call: (user) => this.call(user),
        });
    }

    /** @returns {"stopped"|"loading"|"ready"|"failed"} */
    get state() {
        return this._state;
    }

    /** @returns {string|null} e.g. "room:lobby" */
    get selectedKey() {
        return this._view.selectedKey;
    }

    /** @returns {number} unread messages over all conversations */
    get totalUnread() {
        return this._total;
    }

    /** @returns {Conversation[]} in tab order */
    get conversations() {
        return this._view.tabKeys.map((key) => this._conversations.get(key)).filter(Boolean);
    }

    /** @param {string} key @returns {Conversation|null} */
    conversation(key) {
        return this._conversations.get(key) ?? null;
    }

    /**
     * Plain data for tests and debugging (nothing secret in it).
     * @returns {object}
     */
    snapshot() {
        return {
            state: this._state,
            selected: this.selectedKey,
            totalUnread: this._total,
            available: this._available.map((room) => room.name),
            presence: Object.fromEntries(this._presence),
            conversations: this.conversations.map((conversation) => ({
                key: conversation.key, kind: conversation.kind, name: conversation.name, label: conversation.label,
                unread: conversation.unread, loaded: conversation.loaded, hasMoreOlder: conversation.hasMoreOlder,
                members: [...conversation.members],
                messages: conversation.messages.map(({ id, sender, body, own, notice, delivery }) =>
                    ({ id, sender, body, own, notice, delivery })),
            })),
        };
    }

    /**
     * Loads the user's conversations (after sign-in or a reload).
     * @param {{user: string, domain: string, aor: string}} account
     * @returns {Promise<void>}
     */
    async start(account) {
        this.stop();
        this._account = { user: account.user, domain: account.domain || hostOf(account.aor), aor: account.aor };
        this._view.setIdentity(account.user, (name) => this._labelOf(name));
        this._state = "loading";
        this._view.setStatus("Loading your conversations…");
        this._roomsStatusShown = true;
        await this.refreshRooms();
    }

    /** Forgets everything (sign-out); answers still on their way are ignored. */
    stop() {
        this._generation += 1;
        this._state = "stopped";
        this._account = null;
        this._conversations.clear();
        this._directory.clear();
        this._presence.clear();
        this._knownRooms.clear();
        this._deferred = [];
        this._available = [];
        this._roomsLoading = null;
        this._roomsAgain = false;
        this._catchUps.clear();
        this._view.reset();
        this._updateTotal();
    }

    /**
     * Takes an incoming MESSAGE (the UserAgent "message" event detail). Plain text (or an envelope that cannot
     * be believed) from a name that is neither a known room nor a known user may come from a room this page does
     * not know yet: the room list is reloaded first, then the message is placed (a notice, a room message, or
     * private after all).
     * @param {object} detail
     * @returns {"room"|"notice"|"private"|null} what it was for the chat; null when it is not a chat message
     *   ("private" too for a message that waits for the room list)
     */
    receive(detail) {
        if (!this._account) return null;
        const incoming = this._classify(detail);
        if (!incoming) return null;
        if (incoming.kind === "private" && !incoming.trusted && !this._directory.has(incoming.peer)) {
            this._deferUntilRoomsKnown(detail);
            return "private";
        }
        this._accept(incoming, { fresh: true });
        return incoming.kind;
    }

    /**
     * @param {string} name
     * @returns {boolean} whether the name is a room this page knows (rooms and users share names)
     */
    isKnownRoom(name) {
        return this._knownRooms.has(name);
    }

    /** @param {object} detail @returns {import("./chat-message.js").IncomingChat|null} */
    _classify(detail) {
        return classifyIncoming(detail, {
            self: this._account.user, domain: this._account.domain, now: this._now(),
            isRoom: (name) => this._knownRooms.has(name),
        });
    }

    /**
     * Places an incoming chat message.
     * @param {import("./chat-message.js").IncomingChat} incoming
     * @param {{fresh: boolean}} options fresh: not yet covered by a room list read after it arrived
     */
    _accept(incoming, { fresh }) {
        if (incoming.kind === "notice") {
            this._view.setStatus(incoming.message.body);
            const conversation = this._conversations.get(conversationKey("room", incoming.room));
            if (conversation?.loaded) {
                conversation.merge([incoming.message]);
                this._render(conversation, "live");
            }
            if (fresh) this.refreshRooms();
            return;
        }
        if (incoming.kind === "room") {
            this._knownRooms.add(incoming.room);
            let conversation = this._conversations.get(conversationKey("room", incoming.room));
            if (!conversation) {
                // Read after the room list: not one of the user's rooms (any more).
                if (!fresh) return;
                // A room this page did not know about (joined elsewhere): show it, then fetch its details.
                conversation = this._ensureRoom({ name: incoming.room });
                this.refreshRooms();
            }
            this._deliverLive(conversation, incoming.message, { counted: !fresh });
            return;
        }
        // A private chat the room list just counted (read after this message came): its count has it already.
        const counted = !fresh && this._conversations.has(conversationKey("private", incoming.peer));
        this._deliverLive(this._ensurePrivate(incoming.peer), incoming.message, { counted });
    }

    /**
     * Holds a MESSAGE until the room list has been read after it came, then places it in arrival order.
     * @param {object} detail
     */
    _deferUntilRoomsKnown(detail) {
        const entry = { detail };
        this._deferred.push(entry);
        const generation = this._generation;
        const place = () => {
            if (generation !== this._generation) return;
            const index = this._deferred.indexOf(entry);
            if (index < 0) return;
            for (const waiting of this._deferred.splice(0, index + 1)) {
                const incoming = this._classify(waiting.detail);
                if (incoming) this._accept(incoming, { fresh: false });
            }
        };
        this.refreshRooms().then(place, place);
    }

    /**
     * Reloads the room list, unread counts and the user directory (coalesced: one request at a time).
     * @returns {Promise<void>}
     */
    refreshRooms() {
        if (!this._account) return Promise.resolve();
        if (this._roomsLoading) {
            this._roomsAgain = true;
            return this._roomsLoading;
        }
        const generation = this._generation;
        const run = async () => {
            do {
                this._roomsAgain = false;
                await this._loadRooms(generation);
            } while (this._roomsAgain && generation === this._generation);
        };
        const loading = run().finally(() => {
            if (this._roomsLoading === loading) this._roomsLoading = null;
        });
        this._roomsLoading = loading;
        return loading;
    }

    /**
     * A registration (the first one or after a lost connection): fetch what arrived while no MESSAGE could reach
     * this page (history after the newest id), then the counts. When the room list had failed, it is tried again.
     * @returns {Promise<void>}
     */
    async connectionRestored() {
        if (this._state === "failed") {
            await this.refreshRooms();
            return;
        }
        if (this._state !== "ready") return; // loading: what it reads is read after this registration anyway
        const conversations = [...this._conversations.values()];
        // A first page still on its way may have been read before the registration: catch up once it is there.
        for (const conversation of conversations) if (conversation.loading) conversation.catchUpAfterLoad = true;
        await Promise.all(conversations.filter((conversation) => conversation.loaded)
            .map((conversation) => this._catchUp(conversation)));
        await this.refreshRooms();
    }

    /**
     * Shows a conversation; its history loads the first time.
     * @param {string} key
     * @param {{focus?: boolean}} [options] move the focus to the tab
     */
    select(key, { focus = false } = {}) {
        const conversation = this._conversations.get(key);
        if (!conversation) return;
        this._view.select(key, { focus });
        if (!conversation.loaded && !conversation.loading) this.loadHistory(key);
        else this._maybeMarkRead(conversation);
    }

    /**
     * Loads the newest page of a conversation's history.
     * @param {string} key
     * @returns {Promise<void>}
     */
    async loadHistory(key) {
        const conversation = this._conversations.get(key);
        if (!conversation || conversation.loading) return;
        const generation = this._generation;
        conversation.loading = true;
        conversation.historyError = null;
        this._renderHistoryState(conversation);
        let page;
        try {
            page = await this._fetchHistory(conversation, { limit: this._pageSize });
        } catch (error) {
            if (!this._isCurrent(conversation, generation)) return;
            conversation.loading = false;
            conversation.catchUpAfterLoad = false;
            conversation.historyError = errorText(error);
            this._renderHistoryState(conversation);
            if (error instanceof ApiError && error.status === 403) this.refreshRooms();
            return;
        }
        if (!this._isCurrent(conversation, generation)) return;
        conversation.loading = false;
        conversation.loaded = true;
        conversation.hasMoreOlder = page.length >= this._pageSize;
        conversation.merge(page);
        // Nothing unread: the server's marker is at the newest message already, no need to post it.
        if (conversation.unread === 0 && conversation.readUpTo === null) {
            conversation.readUpTo = conversation.newestId;
            conversation.readAcked = conversation.newestId;
        }
        this._render(conversation, "initial");
        this._maybeMarkRead(conversation);
        if (conversation.catchUpAfterLoad) {
            conversation.catchUpAfterLoad = false;
            this._catchUp(conversation);
        }
    }

    /**
     * Loads the page before the oldest message shown (infinite scroll, "Load earlier messages").
     * @param {string} key
     * @returns {Promise<void>}
     */
    async loadOlder(key) {
        const conversation = this._conversations.get(key);
        if (!conversation?.loaded || conversation.loadingOlder || !conversation.hasMoreOlder) return;
        const before = conversation.oldestId;
        if (before === null) {
            conversation.hasMoreOlder = false;
            this._renderHistoryState(conversation);
            return;
        }
        const generation = this._generation;
        conversation.loadingOlder = true;
        conversation.historyError = null;
        this._renderHistoryState(conversation);
        let page;
        try {
            page = await this._fetchHistory(conversation, { before, limit: this._pageSize });
        } catch (error) {
            if (!this._isCurrent(conversation, generation)) return;
            conversation.loadingOlder = false;
            conversation.historyError = errorText(error);
            this._renderHistoryState(conversation);
            return;
        }
        if (!this._isCurrent(conversation, generation)) return;
        conversation.loadingOlder = false;
        conversation.hasMoreOlder = page.length >= this._pageSize;
        conversation.merge(page, { older: true });
        this._render(conversation, "older");
    }

    /**
     * The log of a conversation scrolled: near the top loads older messages, at the bottom marks read.
     * @param {string} key
     */
    scrolled(key) {
        const conversation = this._conversations.get(key);
        if (!conversation || key !== this.selectedKey) return;
        const panel = this._view.panel(key);
        if (panel?.isAtTop() && conversation.hasMoreOlder) this.loadOlder(key);
        this._maybeMarkRead(conversation);
    }

    /** The page became visible or hidden (document visibilitychange). */
    pageVisibilityChanged() {
        const conversation = this._conversations.get(this.selectedKey);
        if (conversation) this._maybeMarkRead(conversation);
    }

    /**
     * Sends a MESSAGE to the conversation's URI; the text shows at once with its delivery state.
     * In a room, "/join" and "/leave" are Parley commands: sent, not shown, and the room list is reloaded.
     * @param {string} key
     * @param {string} text
     * @returns {Promise<"invalid"|"sent"|"stored"|"failed"|"command">}
     */
    async send(key, text) {
        const conversation = this._conversations.get(key);
        const panel = this._view.panel(key);
        if (!conversation || !panel || !this._account) return "invalid";
        const problem = composeProblem(text);
        if (problem) {
            panel.showComposeError(problem);
            return "invalid";
        }
        panel.clearCompose();
        const command = conversation.kind === "room" ? roomCommand(text) : null;
        if (command) {
            let outcome;
            try {
                const answer = await this._sendMessage(conversation.uri, text.trim());
                outcome = answer.status >= 200 && answer.status < 300 ? "" : `/${command}: ${formatStatus(
                    answer.status, answer.reason)}`;
            } catch (error) {
                outcome = `/${command}: ${sendFailureText(error)}`;
            }
            if (outcome) panel.showComposeError(outcome);
            else this.refreshRooms();
            return outcome ? "failed" : "command";
        }
        const generation = this._generation;
        const echo = outgoingMessage(this._account.user, this._account.aor, text, this._now());
        conversation.merge([echo]);
        this._render(conversation, "own");
        let delivery;
        let deliveryText;
        try {
            const answer = await this._sendMessage(conversation.uri, text);
            const status = Number(answer?.status);
            if (status === 202) {
                delivery = "stored";
                deliveryText = conversation.kind === "private"
                    ? `stored: ${conversation.label} gets it when back online` : "stored";
            } else if (status >= 200 && status < 300) {
                delivery = "sent";
                deliveryText = "sent";
            } else {
                delivery = "failed";
                deliveryText = `not delivered: ${formatStatus(status, answer?.reason)}`;
            }
        } catch (error) {
            delivery = "failed";
            deliveryText = sendFailureText(error);
        }
        if (!this._isCurrent(conversation, generation)) return delivery;
        conversation.update(echo.key, { delivery, deliveryText });
        this._render(conversation, "live");
        if (delivery !== "failed") this._catchUp(conversation);
        return delivery;
    }

    /**
     * Joins a room (POST /api/rooms/NAME/join) and shows it.
     * @param {string} name
     * @returns {Promise<boolean>}
     */
    async joinRoom(name) {
        if (!this._account || !isChatName(name)) return false;
        this._view.showError("");
        this._knownRooms.add(name);
        const generation = this._generation;
        try {
            await this._api.joinRoom(name);
        } catch (error) {
            if (generation === this._generation) this._view.showError(`Could not join ${name}: ${errorText(error)}`);
            return false;
        }
        if (generation !== this._generation) return false;
        await this.refreshRooms();
        const key = conversationKey("room", name);
        if (this._conversations.has(key)) this.select(key, { focus: true });
        return true;
    }

    /**
     * Leaves a room (POST /api/rooms/NAME/leave) and closes its tab.
     * @param {string} name
     * @returns {Promise<boolean>}
     */
    async leaveRoom(name) {
        if (!this._account || !isChatName(name)) return false;
        this._view.showError("");
        const generation = this._generation;
        try {
            await this._api.leaveRoom(name);
        } catch (error) {
            if (generation === this._generation) this._view.showError(`Could not leave ${name}: ${errorText(error)}`);
            return false;
        }
        if (generation !== this._generation) return false;
        this._removeConversation(conversationKey("room", name));
        await this.refreshRooms();
        return true;
    }

    /**
     * Opens (or shows) the private chat with a user and puts the focus in its compose box.
     * @param {string} user
     * @param {{fromForm?: boolean}} [options] the name came from the "Chat with" field (emptied on success)
     * @returns {boolean}
     */
    openPrivate(user, { fromForm = false } = {}) {
        if (!this._account) return false;
        const name = String(user ?? "").trim();
        if (!isChatName(name)) {
            this._view.showError("Enter a user name (letters, digits and -._~).");
            return false;
        }
        if (name === this._account.user) {
            this._view.showError("That is you: pick someone else to chat with.");
            return false;
        }
        if (this._knownRooms.has(name)) {
            const roomKey = conversationKey("room", name);
            if (!this._conversations.has(roomKey)) {
                this._view.showError(`${name} is a room: join it to chat there.`);
                return false;
            }
            this._view.showError("");
            this.select(roomKey, { focus: true });
            return true;
        }
        this._view.showError("");
        const conversation = this._ensurePrivate(name);
        this.select(conversation.key);
        this._view.panel(conversation.key)?.focusCompose();
        if (fromForm) this._view.clearOpenForm();
        return true;
    }

    /**
     * Closes a private chat's tab (it opens again with the next message).
     * @param {string} user
     */
    closePrivate(user) {
        this._removeConversation(conversationKey("private", user));
    }

    /**
     * Calls a user through the call controller (buddy menu, private chat).
     * @param {string} user
     */
    call(user) {
        if (isChatName(user)) this._dial(user);
    }

    /**
     * Shows a user's presence in the member lists and their private chat (the presence service calls this).
     * @param {string} user a user name (a sip: URI of our domain works too)
     * @param {{state: string, note?: string|null}} presence state: available, away, busy, dnd, on-the-phone,
     *   offline
     */
    setPresence(user, presence) {
        const name = typeof user === "string" && /^sips?:/i.test(user) && this._account
            ? userOfURI(user, this._account.domain) : user;
        if (!isChatName(name)) return;
        const view = presenceView(presence);
        const kept = { state: view.state, note: view.note };
        this._presence.set(name, kept);
        this._view.setPresence(name, kept);
    }

    // ----- internals -----

    /** @param {Conversation} conversation @param {number} generation */
    _isCurrent(conversation, generation) {
        return generation === this._generation && this._conversations.get(conversation.key) === conversation;
    }

    /** @param {string} name @returns {string} the display name from the directory, else the user name */
    _labelOf(name) {
        return this._directory.get(name)?.displayName || name;
    }

    /** @param {Conversation} conversation @param {object} cursor */
    async _fetchHistory(conversation, cursor) {
        const page = conversation.kind === "room"
            ? await this._api.roomHistory(conversation.name, cursor)
            : await this._api.privateHistory(conversation.name, cursor);
        return page.map((stored) => messageFromHistory(stored, this._account?.user ?? ""));
    }

    _retryHistory(key) {
        const conversation = this._conversations.get(key);
        if (!conversation) return;
        if (conversation.loaded) this.loadOlder(key);
        else this.loadHistory(key);
    }

    /** @param {number} generation */
    async _loadRooms(generation) {
        const [roomsResult, usersResult] = await Promise.allSettled([this._api.rooms(), this._api.users()]);
        if (generation !== this._generation) return;
        if (usersResult.status === "fulfilled") {
            this._directory = new Map(usersResult.value.map((user) => [user.name, user]));
            this._view.setUsers(usersResult.value.map((user) => ({ name: user.name,
                label: this._labelOf(user.name) })));
        }
        if (roomsResult.status === "rejected") {
            if (this._state !== "ready") this._state = "failed";
            this._view.setStatus(`Could not load your conversations: ${errorText(roomsResult.reason)}`,
                { retry: true });
            this._roomsStatusShown = true;
            return;
        }
        const { rooms, available, privateUnread } = roomsResult.value;
        this._state = "ready";
        // Only the loading or failure text goes; a room's notice stays readable.
        if (this._roomsStatusShown) this._view.setStatus("");
        this._roomsStatusShown = false;
        const mine = new Set();
        const roomNames = new Set([...rooms, ...available].map((room) => room.name));
        for (const name of roomNames) this._knownRooms.add(name);
        for (const room of rooms) {
            mine.add(room.name);
            const conversation = this._ensureRoom(room);
            conversation.unread = room.unread;
        }
        this._available = available.filter((room) => !mine.has(room.name));
        this._view.setAvailableRooms(this._available.map((room) => ({ name: room.name,
            label: room.displayName || room.name })));
        for (const conversation of [...this._conversations.values()]) {
            if (conversation.kind === "room" && !mine.has(conversation.name)) {
                this._removeConversation(conversation.key, { focus: false });
            } else if (conversation.kind === "private" && roomNames.has(conversation.name)) {
                // Opened for a name that turned out to be a room (rooms and users share names).
                this._removeConversation(conversation.key, { focus: false });
            } else if (conversation.kind === "private") {
                conversation.unread = privateUnread[conversation.name] ?? 0;
                this._view.setLabel(conversation.key, this._labelOf(conversation.name));
                conversation.label = this._labelOf(conversation.name);
            }
        }
        for (const [user, count] of Object.entries(privateUnread)) {
            if (user !== this._account.user && !roomNames.has(user)) this._ensurePrivate(user).unread = count;
        }
        for (const conversation of this._conversations.values()) {
            this._view.setUnread(conversation.key, conversation.unread);
        }
        this._updateTotal();
        const selected = this._conversations.get(this.selectedKey);
        if (selected) {
            this._maybeMarkRead(selected);
        } else {
            const first = this._view.tabKeys[0];
            if (first) this.select(first);
        }
    }

    /**
     * The conversation of a room, created (tab and panel) or updated.
     * @param {{name: string, displayName?: string|null, uri?: string, members?: string[]}} room
     * @returns {Conversation}
     */
    _ensureRoom(room) {
        const key = conversationKey("room", room.name);
        let conversation = this._conversations.get(key);
        const label = room.displayName || room.name;
        if (!conversation) {
            conversation = new Conversation({ kind: "room", name: room.name, label,
                uri: room.uri || `sip:${room.name}@${this._account.domain}` });
            this._conversations.set(key, conversation);
            this._view.addConversation({ key, kind: "room", name: room.name, label });
            this._renderHistoryState(conversation);
        } else if (room.displayName !== undefined && conversation.label !== label) {
            conversation.label = label;
            this._view.setLabel(key, label);
        }
        if (room.uri) conversation.uri = room.uri;
        if (room.members) {
            conversation.members = [...room.members];
            const members = this._view.panel(key)?.members;
            if (members) {
                // Unchanged members leave the list as it is (an open buddy menu and the focus stay).
                members.setMembers(conversation.members.map((name) => ({ name, label: this._labelOf(name) })));
                for (const [user, presence] of this._presence) members.setPresence(user, presence);
            }
        }
        return conversation;
    }

    /** @param {string} user @returns {Conversation} the private chat with a user, created when needed */
    _ensurePrivate(user) {
        const key = conversationKey("private", user);
        let conversation = this._conversations.get(key);
        if (conversation) return conversation;
        const label = this._labelOf(user);
        const uri = this._directory.get(user)?.uri || `sip:${user}@${this._account.domain}`;
        conversation = new Conversation({ kind: "private", name: user, label, uri });
        this._conversations.set(key, conversation);
        const panel = this._view.addConversation({ key, kind: "private", name: user, label });
        if (this._presence.has(user)) panel.setPeerPresence(this._presence.get(user));
        this._renderHistoryState(conversation);
        return conversation;
    }

    /**
     * Removes a conversation; when it was shown, its neighbour tab is selected.
     * @param {string} key
     * @param {{focus?: boolean}} [options] focus the neighbour tab (the user closed or left this one)
     */
    _removeConversation(key, { focus = true } = {}) {
        if (!this._conversations.has(key)) return;
        const keys = this._view.tabKeys;
        const index = keys.indexOf(key);
        const wasSelected = this.selectedKey === key;
        // The focus was in what goes away: it must land somewhere, not on the page's body.
        const moveFocus = focus || this._view.hasFocusIn(key);
        this._conversations.get(key).clear();
        this._conversations.delete(key);
        this._catchUps.delete(key);
        this._view.removeConversation(key);
        this._updateTotal();
        if (wasSelected) {
            const next = keys[index + 1] ?? keys[index - 1];
            if (next && next !== key) this.select(next, { focus: moveFocus });
            else if (moveFocus) this._view.focusTitle(); // the last conversation closed
        }
    }

    /**
     * A live message (SIP) for a conversation: merged (duplicates dropped), counted as unread unless it is
     * in view (or the server's count, read after it came, has it already), and announced.
     * @param {Conversation} conversation
     * @param {import("./chat-message.js").ChatMessage} message
     * @param {{counted?: boolean}} [options]
     */
    _deliverLive(conversation, message, { counted = false } = {}) {
        const added = conversation.merge([message]);
        if (added.length === 0) return;
        if (message.own) {
            if (conversation.loaded) this._render(conversation, "live");
            return;
        }
        const seen = this._isSeen(conversation);
        if (!seen && !counted) this._setUnread(conversation, conversation.unread + 1);
        if (conversation.loaded) this._render(conversation, "live");
        const sender = this._labelOf(message.sender);
        if (seen) {
            this._view.announce(`${sender}: ${shortened(message.body)}`);
            this._maybeMarkRead(conversation);
        } else {
            this._view.announce(conversation.kind === "room"
                ? `New message from ${sender} in ${conversation.label}` : `New message from ${sender}`);
        }
        // A plain-text delivery has no id: ask the history for it (Parley stores private messages).
        if (message.id === null && conversation.loaded) this._catchUp(conversation);
    }

    /**
     * Reads the pages after the newest stored message (gaps after a reconnection, ids of our own messages).
     * @param {Conversation} conversation
     * @returns {Promise<void>}
     */
    _catchUp(conversation) {
        if (!conversation.loaded) return Promise.resolve();
        const running = this._catchUps.get(conversation.key);
        if (running) {
            conversation.catchUpAgain = true;
            return running;
        }
        const generation = this._generation;
        const run = async () => {
            for (let page = 0; page < MAX_CATCH_UP_PAGES; page += 1) {
                conversation.catchUpAgain = false;
                const after = conversation.newestId;
                let messages;
                try {
                    messages = await this._fetchHistory(conversation,
                        after === null ? { limit: this._pageSize } : { after, limit: this._pageSize });
                } catch (error) {
                    this._logger?.warn?.("chat catch-up failed:", errorText(error));
                    return;
                }
                if (!this._isCurrent(conversation, generation)) return;
                const fresh = conversation.merge(messages).filter((message) => !message.own);
                if (fresh.length > 0 && !this._isSeen(conversation)) {
                    this._setUnread(conversation, conversation.unread + fresh.length);
                }
                this._render(conversation, "live");
                if (messages.length < this._pageSize && !conversation.catchUpAgain) break;
            }
            this._maybeMarkRead(conversation);
        };
        const promise = run().finally(() => {
            if (this._catchUps.get(conversation.key) === promise) this._catchUps.delete(conversation.key);
        });
        this._catchUps.set(conversation.key, promise);
        return promise;
    }

    /** @param {Conversation} conversation @returns {boolean} shown, on a visible page, scrolled to the newest */
    _isSeen(conversation) {
        if (conversation.key !== this.selectedKey || !conversation.loaded || !this._isPageVisible()) return false;
        return this._view.panel(conversation.key)?.isAtBottom() ?? false;
    }

    /**
     * When the newest messages are in view: clear the badge and move the read marker up to the newest id. The
     * marker goes to the server until it confirmed it (readAcked): a failed POST is sent again on the next
     * scroll, visibility change or room list.
     */
    _maybeMarkRead(conversation) {
        if (!this._isSeen(conversation)) return;
        if (conversation.unread !== 0) this._setUnread(conversation, 0);
        const newest = conversation.newestId;
        if (newest !== null && (conversation.readUpTo === null || newest > conversation.readUpTo)) {
            conversation.readUpTo = newest;
        }
        if (needsReadPost(conversation)) this._postReadMarker(conversation);
    }

    /** One POST at a time per conversation; a marker that moved meanwhile goes out next. */
    async _postReadMarker(conversation) {
        if (conversation.readPosting) return;
        conversation.readPosting = true;
        try {
            while (needsReadPost(conversation) && this._conversations.get(conversation.key) === conversation) {
                const upTo = conversation.readUpTo;
                if (conversation.kind === "room") await this._api.markRoomRead(conversation.name, upTo);
                else await this._api.markPrivateRead(conversation.name, upTo);
                conversation.readAcked = Math.max(conversation.readAcked ?? upTo, upTo);
            }
        } catch (error) {
            this._logger?.warn?.("read marker not saved:", errorText(error));
        } finally {
            conversation.readPosting = false;
        }
    }

    _setUnread(conversation, count) {
        conversation.unread = Math.max(0, count);
        this._view.setUnread(conversation.key, conversation.unread);
        this._updateTotal();
    }

    _updateTotal() {
        let total = 0;
        for (const conversation of this._conversations.values()) total += conversation.unread;
        this._view.setTotalUnread(total);
        if (total === this._total) return;
        this._total = total;
        this.dispatchEvent(new CustomEvent("unreadchange", { detail: { total } }));
    }

    /** @param {Conversation} conversation @param {"initial"|"older"|"live"|"own"} mode */
    _render(conversation, mode) {
        const panel = this._view.panel(conversation.key);
        if (!panel) return;
        panel.render(conversation.messages, { mode });
        this._renderHistoryState(conversation);
    }

    _renderHistoryState(conversation) {
        this._view.panel(conversation.key)?.setHistoryState({
            loading: conversation.loading, loadingOlder: conversation.loadingOlder, error: conversation.historyError,
            hasMoreOlder: conversation.hasMoreOlder, loaded: conversation.loaded,
            empty: conversation.messages.length === 0,
        });
    }
}

/** @param {Conversation} conversation @returns {boolean} the local read marker is ahead of the server's */
function needsReadPost(conversation) {
    const upTo = conversation.readUpTo;
    return upTo !== null && (conversation.readAcked === null || upTo > conversation.readAcked);
}

/** @param {string} aor @returns {string} the host of sip:user@host */
function hostOf(aor) {
    return /@([^;>?:]+)/.exec(String(aor ?? ""))?.[1] ?? "";
}
