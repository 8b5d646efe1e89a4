// The tab panel of one conversation: the message log (older pages on top, keeping the scroll position), the
// history status, a compose box and, for a room, the member list. Remote text only through textContent.

import { chatTime } from "./chat-message.js";
import { MemberList, showPresence } from "./member-list.js";

/** How close to an edge counts as "at the top" (load older) or "at the bottom" (read). */
export const SCROLL_SLACK_PX = 32;
const MAX_BODY_LENGTH = 8192;

/** Sets text only when it changed (live regions announce changes, not rewrites). */
function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;
}

/** Runs one conversation's panel. */
export class ConversationPanel {
    /**
     * @param {object} options
     * @param {Document} options.document
     * @param {{key: string, kind: "room"|"private", name: string, label: string}} options.conversation
     * @param {string} options.idBase unique prefix of this panel's element ids
     * @param {string} options.tabId the id of the tab that labels the panel
     * @param {string} options.self the signed-in user's name
     * @param {string} [options.composeHintId] id of the shared "Enter sends" hint
     * @param {(name: string) => string} options.labelOf a user's display label
     * @param {() => number} [options.now]
     * @param {object} handlers
     * @param {(text: string) => void} handlers.send
     * @param {() => void} handlers.loadOlder
     * @param {() => void} handlers.retry load the history again after a failure
     * @param {() => void} handlers.scrolled the log scrolled (read markers, paging)
     * @param {() => void} [handlers.leave] rooms: Leave room
     * @param {() => void} [handlers.close] private chats: Close chat
     * @param {(user: string) => void} handlers.call
     * @param {(user: string) => void} handlers.chat open a private chat (buddy menu)
     */
    constructor({ document, conversation, idBase, tabId, self, composeHintId, labelOf, now = Date.now }, handlers) {
        this._document = document;
        this._conversation = conversation;
        this._labelOf = labelOf;
        this._now = now;
        this._handlers = handlers;
        /** @type {Map<string, {element: HTMLElement, delivery: string|null, deliveryText: string}>} */
        this._rendered = new Map();
        /** @type {{atBottom: boolean, top: number}|null} scroll position while hidden */
        this._savedScroll = null;

        const make = (tagName, className) => {
            const element = document.createElement(tagName);
            if (className) element.className = className;
            return element;
        };
        this.element = make("section", "chat-panel");
        this.element.id = `${idBase}-panel`;
        this.element.setAttribute("role", "tabpanel");
        this.element.setAttribute("aria-labelledby", tabId);
        this.element.dataset.kind = conversation.kind;
        this.element.dataset.name = conversation.name;
        this.element.hidden = true;

        const main = make("div", "chat-conversation");
        const toolbar = make("div", "chat-toolbar");
        this._title = make("h3", "chat-title");
        this._title.id = `${idBase}-title`;
        const titleBox = make("div", "chat-title-box");
        titleBox.append(this._title);
        const actions = make("div", "chat-actions");
        if (conversation.kind === "private") {
            this._peerDot = make("span", "presence-dot");
            this._peerDot.setAttribute("aria-hidden", "true");
            this._peerPresence = make("span", "member-presence chat-peer-presence");
            titleBox.prepend(this._peerDot);
            titleBox.append(this._peerPresence);
            showPresence(this._peerDot, this._peerPresence, null);
            const call = make("button", "secondary chat-call");
            call.type = "button";
            call.addEventListener("click", () => handlers.call(conversation.name));
            const close = make("button", "secondary chat-close");
            close.type = "button";
            close.textContent = "Close chat";
            close.addEventListener("click", () => handlers.close?.());
            this._callButton = call;
            actions.append(call, close);
        } else {
            const leave = make("button", "secondary chat-leave");
            leave.type = "button";
            leave.textContent = "Leave room";
            leave.addEventListener("click", () => handlers.leave?.());
            this._leaveButton = leave;
            actions.append(leave);
        }
        toolbar.append(titleBox, actions);

        const history = make("div", "chat-history-bar");
        this._older = make("button", "secondary chat-older");
        this._older.type = "button";
        this._older.textContent = "Load earlier messages";
        this._older.hidden = true;
        this._older.addEventListener("click", () => handlers.loadOlder());
        this._retry = make("button", "secondary chat-retry");
        this._retry.type = "button";
        this._retry.textContent = "Try again";
        this._retry.hidden = true;
        this._retry.addEventListener("click", () => handlers.retry());
        this._historyStatus = make("p", "hint chat-history-status");
        this._historyStatus.setAttribute("role", "status");
        history.append(this._older, this._historyStatus, this._retry);

        // Not a live region itself: prepended history pages would be read out; new messages are announced by
        // the chat card's announcer instead.
        this.log = make("ol", "chat-log");
        this.log.id = `${idBase}-log`;
        this.log.tabIndex = 0;
        this.log.addEventListener("scroll", () => handlers.scrolled());

        this._form = make("form", "chat-compose");
        this._form.noValidate = true;
        const label = make("label", "visually-hidden");
        this._text = make("textarea", "chat-text");
        this._text.id = `${idBase}-text`;
        this._text.rows = 2;
        this._text.setAttribute("maxlength", String(MAX_BODY_LENGTH));
        if (composeHintId) this._text.setAttribute("aria-describedby", composeHintId);
        label.setAttribute("for", this._text.id);
        this._composeLabel = label;
        const send = make("button", "primary chat-send");
        send.type = "submit";
        send.textContent = "Send";
        this._composeError = make("p", "error-text chat-compose-error");
        this._composeError.setAttribute("role", "alert");
        this._form.append(label, this._text, send, this._composeError);
        this._form.addEventListener("submit", (event) => {
            event.preventDefault();
            this._submit();
        });
        // Enter sends, Shift+Enter makes a new line (as in the Messages card).
        this._text.addEventListener("keydown", (event) => {
            if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
                event.preventDefault();
                this._submit();
            }
        });

        main.append(toolbar, history, this.log, this._form);
        this.element.append(main);
        if (conversation.kind === "room") {
            this.members = new MemberList({ document, idBase, self, roomLabel: conversation.label }, {
                chat: (user) => handlers.chat(user),
                call: (user) => handlers.call(user),
            });
            this.element.append(this.members.element);
        } else {
            this.members = null;
        }
        this.setLabel(conversation.label);
    }

    /** @returns {string} the compose box's text */
    get draft() {
        return this._text.value;
    }

    /** @param {string} label the conversation's name as shown */
    setLabel(label) {
        this._conversation.label = label;
        const isPrivate = this._conversation.kind === "private";
        setText(this._title, isPrivate ? `Chat with ${label}` : label);
        this.log.setAttribute("aria-label", `Messages ${isPrivate ? "with" : "in"} ${label}`);
        setText(this._composeLabel, `Message to ${label}`);
        if (this._callButton) {
            setText(this._callButton, "Call");
            this._callButton.setAttribute("aria-label", `Call ${label}`);
        }
    }

    /**
     * The history line above the log.
     * @param {{loading?: boolean, loadingOlder?: boolean, error?: string|null, hasMoreOlder?: boolean,
     *   loaded?: boolean, empty?: boolean}} state
     */
    setHistoryState({ loading = false, loadingOlder = false, error = null, hasMoreOlder = false, loaded = false,
        empty = false }) {
        let text = "";
        if (loading) text = "Loading messages…";
        else if (error) text = `Could not load the messages: ${error}`;
        else if (loadingOlder) text = "Loading earlier messages…";
        else if (loaded && empty) text = "No messages yet. Say hello!";
        else if (loaded && !hasMoreOlder) text = "This is the start of the conversation.";
        setText(this._historyStatus, text);
        this._historyStatus.dataset.state = error ? "error" : (loading || loadingOlder ? "loading" : "idle");
        this._retry.hidden = !error;
        this._older.hidden = !(loaded && hasMoreOlder && !loadingOlder && !error);
    }

    /**
     * Shows these messages in this order, reusing the elements of messages already shown.
     * @param {import("./chat-message.js").ChatMessage[]} messages
     * @param {{mode?: "initial"|"older"|"live"|"own"}} [options] initial and own scroll to the bottom; older keeps
     *   the messages in view where they were; live follows the bottom when the log was there
     */
    render(messages, { mode = "live" } = {}) {
        const log = this.log;
        const wasAtBottom = this.isAtBottom();
        const oldHeight = log.scrollHeight;
        const oldTop = log.scrollTop;
        const wanted = messages.map((message) => this._elementFor(message));
        const wantedSet = new Set(wanted);
        for (const [key, entry] of this._rendered) {
            if (!wantedSet.has(entry.element)) {
                entry.element.remove();
                this._rendered.delete(key);
            }
        }
        const current = [...log.children];
        if (!sameElements(current, wanted)) {
            const firstKept = wanted.indexOf(current[0]);
            if (current.length === 0) {
                log.append(...wanted);
            } else if (firstKept >= 0 && sameElements(current, wanted.slice(firstKept, firstKept + current.length))) {
                // Older messages before, newer after: insert without moving what is shown (keeps focus).
                if (firstKept > 0) log.prepend(...wanted.slice(0, firstKept));
                if (firstKept + current.length < wanted.length) log.append(...wanted.slice(firstKept + current.length));
            } else {
                log.replaceChildren(...wanted);
            }
        }
        if (mode === "initial" || mode === "own" || (mode === "live" && wasAtBottom)) {
            this.scrollToBottom();
        } else if (mode === "older" || mode === "live") {
            log.scrollTop = oldTop + (mode === "older" ? log.scrollHeight - oldHeight : 0);
        }
    }

    /**
     * Shows or hides the panel. A hidden element loses its scroll position in some browsers, so it is kept
     * here and restored: at the bottom when it was there, else where it was.
     * @param {boolean} visible
     */
    setVisible(visible) {
        if (visible === !this.element.hidden) return;
        if (!visible) {
            this._savedScroll = { atBottom: this.isAtBottom(), top: this.log.scrollTop };
            this.element.hidden = true;
            return;
        }
        this.element.hidden = false;
        const saved = this._savedScroll;
        this._savedScroll = null;
        if (!saved) return;
        if (saved.atBottom) this.scrollToBottom();
        else this.log.scrollTop = saved.top;
    }

    /** @returns {boolean} whether the newest message is in view */
    isAtBottom() {
        const log = this.log;
        return log.scrollHeight - log.scrollTop - log.clientHeight <= SCROLL_SLACK_PX;
    }

    /** @returns {boolean} whether the log is scrolled to its top (time to load an older page) */
    isAtTop() {
        return this.log.scrollTop <= SCROLL_SLACK_PX;
    }

    scrollToBottom() {
        this.log.scrollTop = this.log.scrollHeight;
    }

    /** @param {string} text problem with the compose box ("" clears it) */
    showComposeError(text) {
        setText(this._composeError, text);
    }

    focusCompose() {
        this._text.focus();
    }

    /**
     * Shows the peer's presence in a private chat's title.
     * @param {{state: string, note?: string|null}} presence
     */
    setPeerPresence(presence) {
        if (this._peerDot) showPresence(this._peerDot, this._peerPresence, presence);
    }

    _submit() {
        const text = this._text.value;
        this._handlers.send(text);
    }

    /** Empties the compose box after the controller accepted its text. */
    clearCompose() {
        this._text.value = "";
        this.showComposeError("");
    }

    /** @param {import("./chat-message.js").ChatMessage} message */
    _elementFor(message) {
        const existing = this._rendered.get(message.key);
        if (existing) {
            if (existing.delivery !== message.delivery || existing.deliveryText !== message.deliveryText) {
                this._showDelivery(existing, message);
            }
            return existing.element;
        }
        const documentRef = this._document;
        const item = documentRef.createElement("li");
        item.dataset.key = message.key;
        if (message.id !== null) item.dataset.id = String(message.id);
        const time = documentRef.createElement("time");
        time.className = "chat-time";
        const shown = chatTime(message.at, { now: this._now() });
        time.dateTime = shown.iso;
        time.textContent = shown.text;
        const body = documentRef.createElement("p");
        body.className = "chat-body";
        body.textContent = message.body;
        const entry = { element: item, delivery: null, deliveryText: "", status: null };
        if (message.notice) {
            item.className = "chat-message chat-notice";
            body.append(" ", time);
            item.append(body);
        } else {
            item.className = "chat-message";
            item.dataset.sender = message.sender;
            if (message.own) item.dataset.own = "true";
            const meta = documentRef.createElement("p");
            meta.className = "chat-meta";
            const sender = documentRef.createElement("span");
            sender.className = "chat-sender";
            sender.textContent = message.own ? "You" : this._labelOf(message.sender) || message.from || "unknown";
            if (message.from) sender.title = message.from;
            meta.append(sender, " ", time);
            if (message.delivery) {
                entry.status = documentRef.createElement("span");
                entry.status.className = "chat-delivery";
                meta.append(" ", entry.status);
            }
            item.append(meta, body);
        }
        this._rendered.set(message.key, entry);
        if (entry.status) this._showDelivery(entry, message);
        return item;
    }

    _showDelivery(entry, message) {
        entry.delivery = message.delivery;
        entry.deliveryText = message.deliveryText;
        if (message.delivery) entry.element.dataset.delivery = message.delivery;
        else delete entry.element.dataset.delivery;
        if (entry.status) setText(entry.status, message.deliveryText);
    }
}

/** @param {unknown[]} left @param {unknown[]} right */
function sameElements(left, right) {
    return left.length === right.length && left.every((element, index) => element === right[index]);
}
