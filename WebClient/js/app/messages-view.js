// The messages panel: incoming MESSAGE requests (RFC 3428) and a compose form with per-send results.
// Remote text only ever reaches the page through textContent.

import { formatClockTime, partyLabel, sendFailureText, sendResultText, toDate } from "./format.js";

const MAX_BODY_LENGTH = 4000;
const DEFAULT_MAX_ENTRIES = 200;

/**
 * What one incoming message shows.
 * @param {{from?: string, fromDisplayName?: string|null, contentType?: string, body?: string, date?: unknown}} detail
 *   the UserAgent "message" event detail
 * @param {object} [options]
 * @param {number} [options.now] ms, used when the message has no valid date
 * @param {string} [options.locale]
 * @param {string} [options.timeZone]
 * @returns {{from: string, sender: string, timeISO: string, timeText: string, body: string}} sender is
 *   "Display Name (sip:uri)", or the URI alone
 */
export function messageEntryModel(detail, { now = Date.now(), locale, timeZone } = {}) {
    const from = typeof detail?.from === "string" ? detail.from.trim() : "";
    const displayName = typeof detail?.fromDisplayName === "string" ? detail.fromDisplayName.trim() : "";
    const date = toDate(detail?.date) ?? new Date(now);
    const contentType = typeof detail?.contentType === "string" ? detail.contentType.trim().toLowerCase() : "";
    const rawBody = typeof detail?.body === "string" ? detail.body : "";
    let body;
    if (contentType === "" || contentType.startsWith("text/")) {
        body = rawBody.length > MAX_BODY_LENGTH ? `${rawBody.slice(0, MAX_BODY_LENGTH)}…` : rawBody;
    } else {
        body = `(${contentType} content, ${rawBody.length} characters, not shown)`;
    }
    return {
        from,
        // The URI goes with the display name: anyone can choose a display name, not the URI Parley vouches for.
        sender: partyLabel({ uri: from, displayName }, "unknown sender"),
        timeISO: date.toISOString(),
        timeText: formatClockTime(date, { locale, timeZone }),
        body,
    };
}

/**
 * Checks the compose form.
 * @param {string} to
 * @param {string} text
 * @returns {string} "" when it can be sent, else what is missing
 */
export function composeError(to, text) {
    if (!to.trim()) return "Enter who the message is for (a user name like bob or a sip: address).";
    if (!text.trim()) return "Enter the message text.";
    return "";
}

/** Renders incoming messages and runs the compose form. */
export class MessagesView {
    /**
     * @param {object} elements
     * @param {HTMLOListElement} elements.list #messages
     * @param {HTMLElement} elements.empty shown while the list is empty
     * @param {HTMLFormElement} elements.form compose form
     * @param {HTMLInputElement} elements.to #message-to
     * @param {HTMLTextAreaElement|HTMLInputElement} elements.text #message-text
     * @param {HTMLButtonElement} elements.send #message-send
     * @param {HTMLElement} elements.formError the form's error text
     * @param {HTMLOListElement} elements.results list of sent messages with their outcome
     * @param {(to: string, text: string) => Promise<{status: number, reason: string}>} send
     * @param {object} [options]
     * @param {number} [options.maxEntries=200] oldest entries are dropped past this many
     * @param {() => number} [options.now]
     */
    constructor(elements, send, { maxEntries = DEFAULT_MAX_ENTRIES, now = Date.now } = {}) {
        this._elements = elements;
        this._send = send;
        this._maxEntries = maxEntries;
        this._now = now;
        elements.form.addEventListener("submit", (event) => {
            event.preventDefault();
            this._submit();
        });
        // Enter sends, Shift+Enter makes a new line (as in most chat tools).
        elements.text.addEventListener("keydown", (event) => {
            if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
                event.preventDefault();
                if (typeof elements.form.requestSubmit === "function") elements.form.requestSubmit();
                else this._submit();
            }
        });
        this._updateEmpty();
    }

    /**
     * Adds an incoming message at the end of the list.
     * @param {object} detail UserAgent "message" event detail
     */
    addIncoming(detail) {
        const model = messageEntryModel(detail, { now: this._now() });
        const documentRef = this._elements.list.ownerDocument;
        const item = documentRef.createElement("li");
        item.className = "message";
        item.dataset.from = model.from;

        const header = documentRef.createElement("p");
        header.className = "message-meta";
        const sender = documentRef.createElement("span");
        sender.className = "message-sender";
        sender.textContent = model.sender;
        sender.title = model.from;
        const time = documentRef.createElement("time");
        time.className = "message-time";
        time.dateTime = model.timeISO;
        time.textContent = model.timeText;
        header.append(sender, " ", time);

        const body = documentRef.createElement("p");
        body.className = "message-body";
        body.textContent = model.body;

        item.append(header, body);
        if (model.from) {
            const reply = documentRef.createElement("button");
            reply.type = "button";
            reply.className = "message-reply secondary";
            reply.textContent = "Reply";
            reply.setAttribute("aria-label", `Reply to ${model.sender}`);
            reply.addEventListener("click", () => {
                this._elements.to.value = model.from;
                this._elements.text.focus();
            });
            item.append(reply);
        }
        this._elements.list.append(item);
        trimList(this._elements.list, this._maxEntries);
        this._updateEmpty();
    }

    /** Empties both lists and the form (sign-out). */
    clear() {
        this._elements.list.replaceChildren();
        this._elements.results.replaceChildren();
        this._elements.form.reset();
        this._elements.formError.textContent = "";
        this._updateEmpty();
    }

    async _submit() {
        const { to, text, formError } = this._elements;
        const target = to.value.trim();
        const body = text.value;
        const problem = composeError(target, body);
        formError.textContent = problem;
        if (problem) {
            (target ? text : to).focus();
            return;
        }
        const result = this._addResult(target, body);
        text.value = "";
        let outcome;
        let outcomeState;
        try {
            const answer = await this._send(target, body);
            outcome = sendResultText(answer);
            outcomeState = outcome === "delivered" ? "delivered" : "failed";
        } catch (error) {
            outcome = sendFailureText(error);
            outcomeState = "failed";
        }
        result.item.dataset.state = outcomeState;
        result.status.textContent = outcome;
    }

    /** @returns {{item: HTMLLIElement, status: HTMLElement}} */
    _addResult(target, body) {
        const documentRef = this._elements.results.ownerDocument;
        const item = documentRef.createElement("li");
        item.className = "send-result";
        item.dataset.state = "sending";
        const summary = documentRef.createElement("span");
        summary.className = "send-summary";
        const preview = body.length > 60 ? `${body.slice(0, 60)}…` : body;
        summary.textContent = `To ${target}: “${preview}”`;
        const status = documentRef.createElement("span");
        status.className = "send-status";
        status.textContent = "sending…";
        item.append(summary, " ", status);
        this._elements.results.append(item);
        trimList(this._elements.results, this._maxEntries);
        return { item, status };
    }

    _updateEmpty() {
        this._elements.empty.hidden = this._elements.list.children.length > 0;
    }
}

/** @param {Element} list @param {number} limit */
function trimList(list, limit) {
    while (list.children.length > limit) list.firstElementChild.remove();
}
