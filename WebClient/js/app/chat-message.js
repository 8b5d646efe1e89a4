// Chat messages as the chat UI keeps them, from the history API or from a SIP MESSAGE, and which conversation
// an incoming MESSAGE belongs to. Pure functions (no DOM), so node --test can check the rules.

import { isChatName, parseMessageId } from "./api-client.js";
import { toDate } from "./format.js";

/**
 * @typedef {object} ChatMessage
 * @property {string} key unique in its conversation: "id:42" for stored messages, "local:3" for the others
 * @property {number|null} id the stored id (imdn.Message-ID, history `id`); null until known
 * @property {string} sender the sender's user name ("" for a notice of the room itself)
 * @property {string} from the sender's SIP URI
 * @property {string} body plain text, shown with textContent only
 * @property {number} at ms since 1970
 * @property {boolean} own sent by the signed-in user
 * @property {boolean} notice a notice of the room itself (e.g. "You joined lobby.")
 * @property {"sending"|"sent"|"stored"|"failed"|null} delivery what became of a message sent from this page
 * @property {string} deliveryText e.g. "not delivered: 480 Temporarily Unavailable"
 */

let localSerial = 0;

/** @returns {string} a key for a message without a stored id */
export function newLocalKey() {
    localSerial += 1;
    return `local:${localSerial}`;
}

/**
 * The user name of a SIP URI in our domain: sip:bob@localhost -> "bob"; null for other domains and non-names.
 * @param {unknown} uri
 * @param {string} domain e.g. "localhost"
 * @returns {string|null}
 */
export function userOfURI(uri, domain) {
    if (typeof uri !== "string" || typeof domain !== "string" || domain === "") return null;
    const match = /^sips?:([^@;?>\s]+)@([^;?>\s]+)/i.exec(uri.trim());
    if (!match) return null;
    let user;
    try {
        user = decodeURIComponent(match[1]);
    } catch {
        return null;
    }
    const host = match[2].replace(/:\d+$/, "");
    if (host.toLowerCase() !== domain.toLowerCase() || !isChatName(user)) return null;
    return user;
}

/**
 * A stored message of the history API.
 * @param {{id: number, sender: string, from: string, body: string, at: number}} stored
 * @param {string} self the signed-in user's name
 * @returns {ChatMessage}
 */
export function messageFromHistory(stored, self) {
    return {
        key: `id:${stored.id}`,
        id: stored.id,
        sender: stored.sender,
        from: stored.from,
        body: stored.body,
        at: stored.at,
        own: stored.sender === self,
        notice: false,
        delivery: null,
        deliveryText: "",
    };
}

/**
 * A message this page sends, shown at once (its stored id comes later, from the history API).
 * @param {string} self
 * @param {string} aor the user's SIP URI
 * @param {string} body
 * @param {number} at
 * @returns {ChatMessage}
 */
export function outgoingMessage(self, aor, body, at) {
    return {
        key: newLocalKey(), id: null, sender: self, from: aor, body, at, own: true, notice: false,
        delivery: "sending", deliveryText: "sending…",
    };
}

/**
 * A notice of a room (plain text from the room's URI).
 * @param {string} body
 * @param {number} at
 * @returns {ChatMessage}
 */
export function noticeMessage(body, at) {
    return { key: newLocalKey(), id: null, sender: "", from: "", body, at, own: false, notice: true,
        delivery: null, deliveryText: "" };
}

/**
 * @typedef {{kind: "room", room: string, message: ChatMessage}
 *   | {kind: "notice", room: string, message: ChatMessage}
 *   | {kind: "private", peer: string, message: ChatMessage}} IncomingChat
 */

/**
 * Which conversation an incoming MESSAGE belongs to (chat contract):
 * - message/cpim from a room's URI whose CPIM To is the room: a room message from the CPIM From;
 * - text/plain from a room's URI: a notice of the room;
 * - message/cpim otherwise: private, with the CPIM From (or, for a copy of our own message, the CPIM To);
 * - text/plain from a user of our domain: private, without a stored id.
 * @param {object} detail the UserAgent "message" event detail
 * @param {object} context
 * @param {string} context.self the signed-in user's name
 * @param {string} context.domain
 * @param {(name: string) => boolean} context.isRoom whether a name is a room (rooms and users share names)
 * @param {number} [context.now]
 * @returns {IncomingChat|null} null for what is not a chat (another domain, unreadable)
 */
export function classifyIncoming(detail, { self, domain, isRoom, now = Date.now() }) {
    if (!detail || typeof detail !== "object") return null;
    const outer = userOfURI(detail.from, domain);
    const arrived = toDate(detail.date)?.getTime() ?? now;
    const cpim = detail.cpim && typeof detail.cpim === "object" ? detail.cpim : null;
    if (cpim) {
        const sender = userOfURI(cpim.from, domain);
        const recipient = userOfURI(cpim.to, domain);
        const id = parseMessageId(cpim.messageId);
        const message = {
            key: id === null ? newLocalKey() : `id:${id}`,
            id,
            sender: sender ?? "",
            from: typeof cpim.from === "string" ? cpim.from : "",
            body: typeof cpim.body === "string" ? cpim.body : "",
            at: toDate(cpim.dateTime)?.getTime() ?? arrived,
            own: sender !== null && sender === self,
            notice: false,
            delivery: null,
            deliveryText: "",
        };
        // The room relays its members' messages: the SIP From is the room, the CPIM To names it too.
        if (outer !== null && (isRoom(outer) || (recipient === outer && sender !== outer))) {
            return sender === null ? null : { kind: "room", room: outer, message };
        }
        const peer = sender === self ? recipient : sender;
        if (peer === null || peer === self) return null;
        return { kind: "private", peer, message };
    }
    if (outer === null || outer === self) return null;
    const body = typeof detail.body === "string" ? detail.body : "";
    if (isRoom(outer)) return { kind: "notice", room: outer, message: noticeMessage(body, arrived) };
    return {
        kind: "private",
        peer: outer,
        message: {
            key: newLocalKey(), id: null, sender: outer, from: detail.from, body, at: arrived, own: false,
            notice: false, delivery: null, deliveryText: "",
        },
    };
}

/**
 * The time a message shows: the clock time today, the date and time on other days.
 * @param {number} at ms
 * @param {object} [options]
 * @param {number} [options.now]
 * @param {string} [options.locale]
 * @param {string} [options.timeZone]
 * @returns {{iso: string, text: string}}
 */
export function chatTime(at, { now = Date.now(), locale, timeZone } = {}) {
    const date = toDate(at) ?? new Date(now);
    const base = timeZone ? { timeZone } : {};
    const day = (value) => value.toLocaleDateString("en-CA", base);
    const sameDay = day(date) === day(new Date(now));
    const options = sameDay ? { hour: "2-digit", minute: "2-digit" }
        : { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
    return { iso: date.toISOString(), text: date.toLocaleString(locale, { ...options, ...base }) };
}

/** The largest body Parley stores (413 above it, chat contract). */
export const MAX_MESSAGE_BYTES = 8192;

/**
 * Checks a text before sending.
 * @param {string} text
 * @returns {string} "" when it can be sent, else why not
 */
export function composeProblem(text) {
    if (typeof text !== "string" || text.trim() === "") return "Write a message first.";
    if (new TextEncoder().encode(text).length > MAX_MESSAGE_BYTES) {
        return "The message is too long (8 KiB at most). Split it into several messages.";
    }
    return "";
}

/**
 * Whether a room message is one of Parley's room commands rather than a message (chat contract).
 * @param {string} text
 * @returns {"join"|"leave"|null}
 */
export function roomCommand(text) {
    const trimmed = String(text).trim();
    if (trimmed === "/join") return "join";
    if (trimmed === "/leave") return "leave";
    return null;
}

/**
 * The "message" event detail as the Messages card reads it: for message/cpim, the sender, text and time of
 * the envelope instead of the raw CPIM body.
 * @param {object} detail UserAgent "message" event detail
 * @returns {object} {from, fromDisplayName, to, contentType, body, date}
 */
export function unwrappedDetail(detail) {
    const cpim = detail?.cpim;
    if (!cpim || typeof cpim !== "object") return detail ?? {};
    return {
        from: cpim.from ?? detail.from,
        fromDisplayName: cpim.fromDisplayName ?? null,
        to: cpim.to ?? detail.to,
        contentType: cpim.contentType,
        body: cpim.body,
        date: cpim.dateTime ?? detail.date,
    };
}
