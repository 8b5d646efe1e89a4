// Text formatting for the Parley web client: durations, clock times, SIP status lines, media errors.
// Pure functions only (no DOM), so node --test can check them.

/** Reason phrases of the status codes the UI shows most (RFC 3261 §21, RFC 3428 §7, RFC 6665 §8.3.1). */
const DEFAULT_REASON_PHRASES = new Map([
    [100, "Trying"], [180, "Ringing"], [183, "Session Progress"],
    [200, "OK"], [202, "Accepted"],
    [400, "Bad Request"], [401, "Unauthorized"], [403, "Forbidden"], [404, "Not Found"],
    [405, "Method Not Allowed"], [407, "Proxy Authentication Required"], [408, "Request Timeout"],
    [410, "Gone"], [413, "Request Entity Too Large"], [415, "Unsupported Media Type"],
    [420, "Bad Extension"], [480, "Temporarily Unavailable"], [481, "Call/Transaction Does Not Exist"],
    [482, "Loop Detected"], [483, "Too Many Hops"], [484, "Address Incomplete"], [486, "Busy Here"],
    [487, "Request Terminated"], [488, "Not Acceptable Here"], [489, "Bad Event"],
    [500, "Server Internal Error"], [501, "Not Implemented"], [502, "Bad Gateway"],
    [503, "Service Unavailable"], [504, "Server Time-out"],
    [600, "Busy Everywhere"], [603, "Decline"], [604, "Does Not Exist Anywhere"], [606, "Not Acceptable"],
]);

/**
 * Formats an elapsed time as mm:ss (minutes keep counting past 59, so the shape never changes).
 * @param {number} milliseconds elapsed time; negative or non-finite values count as 0
 * @returns {string} e.g. "00:00", "01:05", "75:03"
 */
export function formatDuration(milliseconds) {
    const safe = Number.isFinite(milliseconds) && milliseconds > 0 ? milliseconds : 0;
    const totalSeconds = Math.floor(safe / 1000);
    const minutes = Math.floor(totalSeconds / 60);
    const seconds = totalSeconds % 60;
    return `${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
}

/**
 * Turns a Date, a millisecond timestamp or a date string (e.g. a SIP Date header) into a valid Date.
 * @param {Date|number|string|null|undefined} value
 * @returns {Date|null} null when the value is missing or does not name a valid instant
 */
export function toDate(value) {
    if (value === null || value === undefined || value === "") return null;
    const date = value instanceof Date ? new Date(value.getTime()) : new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Formats the time of day of a message for display ("14:05" or "2:05 PM" depending on the locale).
 * @param {Date|number|string} value
 * @param {object} [options]
 * @param {string} [options.locale] BCP 47 tag; the browser's locale when omitted
 * @param {string} [options.timeZone] IANA zone; the local zone when omitted
 * @returns {string} "" when the value is not a valid time
 */
export function formatClockTime(value, { locale, timeZone } = {}) {
    const date = toDate(value);
    if (!date) return "";
    const options = { hour: "2-digit", minute: "2-digit" };
    if (timeZone) options.timeZone = timeZone;
    return date.toLocaleTimeString(locale, options);
}

/**
 * Formats a SIP status line as people read it: "480 Temporarily Unavailable".
 * @param {number} status SIP status code
 * @param {string} [reason] reason phrase from the response; the standard phrase when empty
 * @returns {string}
 */
export function formatStatus(status, reason) {
    const code = Number(status);
    const given = typeof reason === "string" ? reason.trim() : "";
    const phrase = given !== "" ? given : DEFAULT_REASON_PHRASES.get(code);
    if (!Number.isInteger(code) || code < 100 || code > 699) return phrase ?? "no answer";
    return phrase ? `${code} ${phrase}` : String(code);
}

/**
 * Text for the outcome of one MESSAGE (RFC 3428 §7: any 2xx means the request was accepted).
 * @param {{status: number, reason?: string}|null|undefined} result what UserAgent.sendMessage resolved to
 * @returns {string} "delivered" or "not delivered: 480 Temporarily Unavailable"
 */
export function sendResultText(result) {
    const status = Number(result?.status);
    if (status >= 200 && status < 300) return "delivered";
    return `not delivered: ${formatStatus(status, result?.reason)}`;
}

/**
 * Text for a MESSAGE that never got a SIP answer (sendMessage rejected: transport failure).
 * @param {unknown} error
 * @returns {string}
 */
export function sendFailureText(error) {
    const detail = error instanceof Error && error.message ? error.message : "connection problem";
    return `not sent: ${detail}`;
}

/**
 * Explains why the microphone could not be opened (getUserMedia's DOMException names).
 * @param {unknown} error
 * @returns {string}
 */
export function mediaErrorText(error) {
    const name = error && typeof error === "object" ? error.name : "";
    switch (name) {
    case "NotAllowedError":
    case "SecurityError":
        return "Microphone access was denied. Allow it in the browser's site settings and try again.";
    case "NotFoundError":
    case "OverconstrainedError":
        return "No microphone was found.";
    case "NotReadableError":
    case "AbortError":
        return "The microphone is in use by another application or could not be started.";
    case "NotSupportedError":
        return "This browser cannot use a microphone on this page (a secure https page is needed).";
    default: {
        const message = error instanceof Error && error.message ? `: ${error.message}` : "";
        return `The microphone is unavailable${message}.`;
    }
    }
}

/**
 * A name to show for a SIP party: the display name when present, else the URI.
 * @param {{uri?: string, displayName?: string|null}|null|undefined} identity
 * @param {string} [fallback] used when the identity carries neither
 * @returns {string}
 */
export function partyLabel(identity, fallback = "unknown") {
    const name = typeof identity?.displayName === "string" ? identity.displayName.trim() : "";
    const uri = typeof identity?.uri === "string" ? identity.uri.trim() : "";
    if (name && uri) return `${name} (${uri})`;
    return name || uri || fallback;
}
