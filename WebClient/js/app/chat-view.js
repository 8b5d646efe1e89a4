// The chat card: one tab per conversation (rooms first, then private chats) following the ARIA tabs pattern
// (arrow keys, Home, End; automatic activation), a panel per tab, the join and "chat with" forms, unread
// badges, the total in the top bar and a polite live region for new messages.

import { ConversationPanel } from "./conversation-panel.js";

/** @param {number} count @returns {string} */
function unreadText(count) {
    return count > 99 ? "99+" : String(count);
}

/** @param {HTMLElement} element @param {string} text */
function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;
}

/** DOM side of the chat; the ChatController decides, this only shows and reports what the user does. */
export class ChatView {
    /**
     * @param {object} elements
     * @param {HTMLElement} elements.tabs #chat-tabs (role="tablist")
     * @param {HTMLElement} elements.panels #chat-panels, where the tab panels go
     * @param {HTMLElement} elements.empty shown while there is no conversation
     * @param {HTMLElement} elements.status #chat-status: loading and room notices (role="status")
     * @param {HTMLButtonElement} elements.retry loads the rooms again after a failure
     * @param {HTMLElement} elements.error #chat-error (role="alert")
     * @param {HTMLFormElement} elements.joinForm
     * @param {HTMLSelectElement} elements.joinSelect rooms the user may join
     * @param {HTMLFormElement} elements.openForm "Chat with"
     * @param {HTMLInputElement} elements.openUser
     * @param {HTMLDataListElement} [elements.userList] suggestions for openUser
     * @param {HTMLElement} elements.announcer visually hidden, aria-live="polite"
     * @param {HTMLElement} elements.total the unread total in the top bar
     * @param {HTMLElement} [elements.title] #chat-title (tabindex -1): the focus goes there when the last
     *   conversation closes
     * @param {object} [options]
     * @param {string} [options.composeHintId] id of the "Enter sends" hint
     * @param {() => number} [options.now]
     * @param {(action: () => void) => void} [options.nextTick] runs an action after the current task
     */
    constructor(elements, { composeHintId = "", now = Date.now, nextTick = (action) => setTimeout(action, 0) } = {}) {
        this._elements = elements;
        this._document = elements.tabs.ownerDocument;
        this._composeHintId = composeHintId;
        this._now = now;
        this._nextTick = nextTick;
        /** Counts announcements, so that only the latest one is written. */
        this._announcement = 0;
        /** @type {Map<string, {tab: HTMLElement, label: HTMLElement, badge: HTMLElement, srUnread: HTMLElement,
         *   panel: ConversationPanel, kind: string, name: string}>} */
        this._entries = new Map();
        this._selected = null;
        this._self = "";
        this._labelOf = (name) => name;
        this._handlers = null;

        elements.joinForm.addEventListener("submit", (event) => {
            event.preventDefault();
            const name = elements.joinSelect.value;
            if (name) this._handlers?.join(name);
        });
        elements.openForm.addEventListener("submit", (event) => {
            event.preventDefault();
            const name = elements.openUser.value.trim();
            this._handlers?.openPrivate(name, { fromForm: true });
        });
        elements.retry.addEventListener("click", () => this._handlers?.retryRooms());
        this.reset();
    }

    /**
     * @param {object} handlers what the controller does for the user's actions
     * @param {(key: string, options: {focus: boolean}) => void} handlers.select
     * @param {(name: string) => void} handlers.join
     * @param {(name: string, options?: {fromForm?: boolean}) => void} handlers.openPrivate
     * @param {() => void} handlers.retryRooms
     * @param {(key: string, text: string) => void} handlers.send
     * @param {(key: string) => void} handlers.loadOlder
     * @param {(key: string) => void} handlers.retryHistory
     * @param {(key: string) => void} handlers.scrolled
     * @param {(name: string) => void} handlers.leave
     * @param {(name: string) => void} handlers.closePrivate
     * @param {(user: string) => void} handlers.call
     */
    setHandlers(handlers) {
        this._handlers = handlers;
    }

    /**
     * Who is signed in and how user names read.
     * @param {string} self
     * @param {(name: string) => string} labelOf
     */
    setIdentity(self, labelOf) {
        this._self = self;
        this._labelOf = labelOf;
    }

    /** Removes every conversation and message (sign-out, new start). */
    reset() {
        for (const entry of this._entries.values()) {
            entry.tab.remove();
            entry.panel.element.remove();
        }
        this._entries.clear();
        this._selected = null;
        this.setAvailableRooms([]);
        this.setUsers([]);
        this.setStatus("");
        this.showError("");
        this.setTotalUnread(0);
        this._announcement += 1;
        this._elements.announcer.textContent = "";
        this._elements.openUser.value = "";
        this._updateEmpty();
    }

    /** @returns {string|null} the key of the selected tab */
    get selectedKey() {
        return this._selected;
    }

    /** @returns {string[]} the tab keys in their order */
    get tabKeys() {
        return [...this._elements.tabs.children].map((tab) => tab.dataset.key);
    }

    /**
     * @param {string} key
     * @returns {ConversationPanel|null}
     */
    panel(key) {
        return this._entries.get(key)?.panel ?? null;
    }

    /**
     * @param {string} key
     * @returns {HTMLElement|null} the tab button
     */
    tab(key) {
        return this._entries.get(key)?.tab ?? null;
    }

    /**
     * Adds a tab and its panel: rooms before the first private chat, private chats at the end.
     * @param {{key: string, kind: "room"|"private", name: string, label: string}} conversation
     * @returns {ConversationPanel}
     */
    addConversation(conversation) {
        const existing = this._entries.get(conversation.key);
        if (existing) return existing.panel;
        const documentRef = this._document;
        const idBase = `chat-${conversation.kind}-${conversation.name}`;
        const tab = documentRef.createElement("button");
        tab.type = "button";
        tab.id = `${idBase}-tab`;
        tab.className = "chat-tab";
        tab.dataset.key = conversation.key;
        tab.dataset.kind = conversation.kind;
        tab.dataset.name = conversation.name;
        tab.setAttribute("role", "tab");
        tab.setAttribute("aria-selected", "false");
        tab.tabIndex = -1;
        const label = documentRef.createElement("span");
        label.className = "chat-tab-label";
        const badge = documentRef.createElement("span");
        badge.className = "chat-tab-badge";
        badge.setAttribute("aria-hidden", "true");
        badge.hidden = true;
        const srUnread = documentRef.createElement("span");
        srUnread.className = "visually-hidden";
        if (conversation.kind === "private") {
            // Rooms and people share names: say which this tab is.
            const kind = documentRef.createElement("span");
            kind.className = "visually-hidden";
            kind.textContent = "Private chat: ";
            tab.append(kind);
        }
        tab.append(label, badge, srUnread);

        const key = conversation.key;
        const handlers = () => this._handlers;
        const panel = new ConversationPanel({
            document: documentRef, conversation: { ...conversation }, idBase, tabId: tab.id, self: this._self,
            composeHintId: this._composeHintId, labelOf: (name) => this._labelOf(name), now: this._now,
        }, {
            send: (text) => handlers()?.send(key, text),
            loadOlder: () => handlers()?.loadOlder(key),
            retry: () => handlers()?.retryHistory(key),
            scrolled: () => handlers()?.scrolled(key),
            leave: () => handlers()?.leave(conversation.name),
            close: () => handlers()?.closePrivate(conversation.name),
            call: (user) => handlers()?.call(user),
            chat: (user) => handlers()?.openPrivate(user),
        });
        tab.setAttribute("aria-controls", panel.element.id);
        tab.addEventListener("click", () => handlers()?.select(key, { focus: true }));
        tab.addEventListener("keydown", (event) => this._tabKey(key, event));

        const entry = { tab, label, badge, srUnread, panel, kind: conversation.kind, name: conversation.name };
        this._entries.set(key, entry);
        const tabs = this._elements.tabs;
        const firstPrivate = conversation.kind === "room"
            ? [...tabs.children].find((candidate) => candidate.dataset.kind === "private") : undefined;
        if (firstPrivate) tabs.insertBefore(tab, firstPrivate);
        else tabs.append(tab);
        this._elements.panels.append(panel.element);
        this.setLabel(key, conversation.label);
        this.setUnread(key, 0);
        this._updateEmpty();
        return panel;
    }

    /**
     * @param {string} key
     * @param {string} label
     */
    setLabel(key, label) {
        const entry = this._entries.get(key);
        if (!entry) return;
        setText(entry.label, label);
        entry.panel.setLabel(label);
    }

    /**
     * Removes a tab and its panel.
     * @param {string} key
     */
    removeConversation(key) {
        const entry = this._entries.get(key);
        if (!entry) return;
        entry.tab.remove();
        entry.panel.element.remove();
        this._entries.delete(key);
        if (this._selected === key) this._selected = null;
        this._updateEmpty();
    }

    /**
     * Shows a tab's panel (and only it) and makes the tab the one Tab reaches.
     * @param {string} key
     * @param {{focus?: boolean}} [options]
     */
    select(key, { focus = false } = {}) {
        if (!this._entries.has(key)) return;
        this._selected = key;
        for (const [candidateKey, entry] of this._entries) {
            const selected = candidateKey === key;
            entry.tab.setAttribute("aria-selected", selected ? "true" : "false");
            entry.tab.tabIndex = selected ? 0 : -1;
            entry.panel.setVisible(selected);
        }
        if (focus) this._entries.get(key).tab.focus();
    }

    /**
     * The unread badge of a tab.
     * @param {string} key
     * @param {number} count
     */
    setUnread(key, count) {
        const entry = this._entries.get(key);
        if (!entry) return;
        entry.badge.hidden = count <= 0;
        setText(entry.badge, count > 0 ? unreadText(count) : "");
        setText(entry.srUnread, count > 0 ? `, ${count} unread` : "");
        entry.tab.dataset.unread = String(Math.max(0, count));
    }

    /** @param {number} count the unread total in the top bar */
    setTotalUnread(count) {
        const total = this._elements.total;
        total.hidden = count <= 0;
        total.dataset.count = String(Math.max(0, count));
        setText(total, count > 0 ? `${unreadText(count)} unread` : "");
        total.setAttribute("aria-label", count > 0 ? `${count} unread chat messages` : "No unread chat messages");
    }

    /**
     * The rooms the user may join; the room chosen in the list stays chosen while it is still offered.
     * @param {{name: string, label: string}[]} rooms
     */
    setAvailableRooms(rooms) {
        const { joinForm, joinSelect } = this._elements;
        const chosen = joinSelect.value;
        const wanted = rooms.map((room) => [room.name, room.label === room.name ? room.name
            : `${room.label} (${room.name})`]);
        const shown = [...joinSelect.children].map((option) => [option.value, option.textContent]);
        joinForm.hidden = rooms.length === 0;
        // The same offer: the list stays as it is (an open list or a choice being made is not disturbed).
        if (JSON.stringify(shown) === JSON.stringify(wanted)) return;
        joinSelect.replaceChildren(...wanted.map(([name, text]) => {
            const option = this._document.createElement("option");
            option.value = name;
            option.textContent = text;
            return option;
        }));
        joinSelect.value = rooms.some((room) => room.name === chosen) ? chosen : rooms[0]?.name ?? "";
    }

    /** @param {{name: string, label: string}[]} users suggestions for "Chat with" */
    setUsers(users) {
        const list = this._elements.userList;
        if (!list) return;
        list.replaceChildren(...users.filter((user) => user.name !== this._self).map((user) => {
            const option = this._document.createElement("option");
            option.value = user.name;
            if (user.label !== user.name) option.label = user.label;
            return option;
        }));
    }

    /**
     * The chat card's status line (loading, room notices).
     * @param {string} text
     * @param {{retry?: boolean}} [options] show "Try again"
     */
    setStatus(text, { retry = false } = {}) {
        setText(this._elements.status, text);
        this._elements.retry.hidden = !retry;
    }

    /** @param {string} text an action failed ("" clears) */
    showError(text) {
        setText(this._elements.error, text);
    }

    /** Empties the "Chat with" field after a chat opened from it. */
    clearOpenForm() {
        this._elements.openUser.value = "";
    }

    /**
     * Read out by screen readers (polite). The region is emptied first and the text written on the next tick:
     * the same text twice (two "New message from Bob") is a change each time, so it is read out each time.
     * @param {string} text
     */
    announce(text) {
        const announcer = this._elements.announcer;
        const serial = ++this._announcement;
        announcer.textContent = "";
        this._nextTick(() => {
            if (serial === this._announcement) announcer.textContent = text;
        });
    }

    /**
     * @param {string} key
     * @returns {boolean} whether the focus is on the conversation's tab or in its panel
     */
    hasFocusIn(key) {
        const entry = this._entries.get(key);
        const active = this._document?.activeElement;
        if (!entry || !active) return false;
        return entry.tab.contains(active) || entry.panel.element.contains(active);
    }

    /** Puts the focus on the chat card's heading (nothing else is left to focus in the card). */
    focusTitle() {
        this._elements.title?.focus();
    }

    /**
     * Shows a user's presence in every member list and in their private chat.
     * @param {string} user
     * @param {{state: string, note?: string|null}} presence
     */
    setPresence(user, presence) {
        for (const entry of this._entries.values()) {
            entry.panel.members?.setPresence(user, presence);
            if (entry.kind === "private" && entry.name === user) entry.panel.setPeerPresence(presence);
        }
    }

    _updateEmpty() {
        this._elements.empty.hidden = this._entries.size > 0;
        this._elements.tabs.hidden = this._entries.size === 0;
    }

    /** ARIA tabs: Left/Right move (wrapping), Home/End jump; the newly focused tab is selected. */
    _tabKey(key, event) {
        const keys = [...this._elements.tabs.children].map((tab) => tab.dataset.key);
        const index = keys.indexOf(key);
        let next = null;
        switch (event.key) {
        case "ArrowRight": next = keys[(index + 1) % keys.length]; break;
        case "ArrowLeft": next = keys[(index - 1 + keys.length) % keys.length]; break;
        case "Home": next = keys[0]; break;
        case "End": next = keys.at(-1); break;
        default: return;
        }
        event.preventDefault();
        this._handlers?.select(next, { focus: true });
    }
}
