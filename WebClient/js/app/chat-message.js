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
function newLocalKey() {
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
function noticeMessage(body, at) {
    return { key: newLocalKey(), id: null, sender: "", from: "", body, at, own: false, notice: true,
        delivery: null, deliveryText: "" };
}

/**
 * @typedef {{kind: "room", room: string, message: ChatMessage}
 *   | {kind: "notice", room: string, message: ChatMessage}
 *   | {kind: "private", peer: string, message: ChatMessage, trusted: boolean}} IncomingChat
 *   `trusted`: the envelope was believed (a stored id and time); false for plain text, whose sender is only the
 *   SIP From
 */

/**
 * The CPIM envelope of an incoming MESSAGE when it may be believed, else null. Parley sends room messages only
 * from the room's URI and stored private messages from their sender (chat contract), so the envelope counts only:
 * - when the SIP From is a known room of our domain, the CPIM To is that room and the CPIM From a user of our
 *   domain (the room relays a member's message), or
 * - when the CPIM From is the SIP From, a user of our domain (a stored private message, or a copy of our own).
 * Anything else may be forged by whoever sent the MESSAGE: its text is only plain text from the SIP From.
 * @param {object} detail the UserAgent "message" event detail
 * @param {object} context
 * @param {string} context.domain our domain
 * @param {(name: string) => boolean} [context.isRoom] whether a name is a known room
 * @returns {import("../sip/instant-message.js").CPIMEnvelope|null}
 */
export function trustedEnvelope(detail, { domain, isRoom = () => false } = {}) {
    const cpim = detail?.cpim;
    if (!cpim || typeof cpim !== "object") return null;
    const outer = userOfURI(detail.from, domain);
    if (outer === null) return null; // other domains: never their ids or senders
    const sender = userOfURI(cpim.from, domain);
    if (sender === null) return null;
    if (isRoom(outer)) return userOfURI(cpim.to, domain) === outer && sender !== outer ? cpim : null;
    return sender === outer ? cpim : null;
}

/**
 * Which conversation an incoming MESSAGE belongs to (chat contract), the envelope believed only as
 * trustedEnvelope() says:
 * - a trusted envelope from a known room: a room message from the CPIM From, with its stored id;
 * - a trusted envelope from a user: private, with its stored id (a copy of our own: with the CPIM To);
 * - anything else from a known room: a notice of the room;
 * - anything else from a user of our domain: private plain text from the SIP From, without a stored id.
 * A CPIM To never makes a user a room: rooms are what `isRoom` knows.
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
    if (outer === null) return null;
    const arrived = toDate(detail.date)?.getTime() ?? now;
    const cpim = trustedEnvelope(detail, { domain, isRoom });
    if (cpim) {
        const sender = userOfURI(cpim.from, domain);
        const id = parseMessageId(cpim.messageId);
        const message = {
            key: id === null ? newLocalKey() : `id:${id}`,
            id,
            sender,
            from: cpim.from,
            body: typeof cpim.body === "string" ? cpim.body : "",
            at: toDate(cpim.dateTime)?.getTime() ?? arrived,
            own: sender === self,
            notice: false,
            delivery: null,
            deliveryText: "",
        };
        if (isRoom(outer)) return { kind: "room", room: outer, message };
        // A copy of our own message (another device of ours): the conversation is the recipient's.
        const peer = outer === self ? userOfURI(cpim.to, domain) : outer;
        if (peer === null || peer === self || isRoom(peer)) return null;
        return { kind: "private", peer, message, trusted: true };
    }
    if (outer === self) return null;
    // Untrusted CPIM: only its text counts, as if it had come as text/plain.
    const text = detail.cpim && typeof detail.cpim === "object" ? detail.cpim.body : detail.body;
    const body = typeof text === "string" ? text : "";
    if (isRoom(outer)) return { kind: "notice", room: outer, message: noticeMessage(body, arrived) };
    return {
        kind: "private",
        peer: outer,
        message: {
            key: newLocalKey(), id: null, sender: outer, from: detail.from, body, at: arrived, own: false,
            notice: false, delivery: null, deliveryText: "",
        },
        trusted: false,
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
const MAX_MESSAGE_BYTES = 8192;

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
 * The "message" event detail as the Messages card reads it: for a trusted message/cpim (trustedEnvelope), the
 * sender, text and time of the envelope instead of the raw CPIM body; for an untrusted one, the SIP From and
 * arrival time with the encapsulated text.
 * @param {object} detail UserAgent "message" event detail
 * @param {object} [context] as for trustedEnvelope; without a domain, only a CPIM From equal to the SIP From counts
 * @param {string} [context.domain]
 * @param {(name: string) => boolean} [context.isRoom]
 * @returns {object} {from, fromDisplayName, to, contentType, body, date}
 */
export function unwrappedDetail(detail, { domain, isRoom } = {}) {
    const cpim = detail?.cpim;
    if (!cpim || typeof cpim !== "object") return detail ?? {};
    const trusted = trustedEnvelope(detail, { domain: domain || hostOfURI(detail.from), isRoom });
    if (!trusted) {
        return {
            from: detail.from,
            fromDisplayName: detail.fromDisplayName ?? null,
            to: detail.to,
            contentType: cpim.contentType,
            body: cpim.body,
            date: detail.date,
        };
    }
    return {
        from: trusted.from ?? detail.from,
        fromDisplayName: trusted.fromDisplayName ?? null,
        to: trusted.to ?? detail.to,
        contentType: trusted.contentType,
        body: trusted.body,
        date: trusted.dateTime ?? detail.date,
    };
}

/** @param {unknown} uri @returns {string} the host of sip:user@host, "" when there is none */
function hostOfURI(uri) {
    return /^sips?:[^@;?>\s]+@([^;?>:\s]+)/i.exec(String(uri ?? "").trim())?.[1] ?? "";
}
