// Small pieces of the SIP grammar (RFC 3261 §25.1) shared by the URI, header and message parsers.
import { SIPParseError } from "./sip-parse-error.js";

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** @returns {boolean} whether `text` is a token (RFC 3261 §25.1). */
export function isToken(text) {
    return typeof text === "string" && TOKEN.test(text);
}

/**
 * Splits `text` at each `separator` character that is outside a quoted string and outside <...>
 * (RFC 3261 §7.3.1: Contact, Via, Route... values may share one header line, separated by commas).
 * @param {string} text
 * @param {string} separator  one character, e.g. "," or ";"
 * @returns {string[]} the trimmed pieces (empty pieces kept, so callers can reject them)
 */
export function splitOutside(text, separator) {
    const pieces = [];
    let current = "";
    let inQuotes = false;
    let angleDepth = 0;
    for (let index = 0; index < text.length; index += 1) {
        const character = text[index];
        if (inQuotes) {
            current += character;
            if (character === "\\" && index + 1 < text.length) {
                index += 1;
                current += text[index];
            } else if (character === "\"") {
                inQuotes = false;
            }
            continue;
        }
        if (character === "\"") {
            inQuotes = true;
        } else if (character === "<") {
            angleDepth += 1;
        } else if (character === ">" && angleDepth > 0) {
            angleDepth -= 1;
        } else if (character === separator && angleDepth === 0) {
            pieces.push(current.trim());
            current = "";
            continue;
        }
        current += character;
    }
    if (inQuotes) throw new SIPParseError("unterminated quoted string");
    if (angleDepth !== 0) throw new SIPParseError("unbalanced angle brackets");
    pieces.push(current.trim());
    return pieces;
}

/** Removes the quotes and backslash escapes of a quoted-string (RFC 3261 §25.1); other text is returned trimmed. */
export function unquote(text) {
    if (text === null || text === undefined) return text;
    const trimmed = String(text).trim();
    if (trimmed.length >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
        return trimmed.slice(1, -1).replace(/\\(.)/g, "$1");
    }
    return trimmed;
}

/** Quotes `text` as a quoted-string, escaping `"` and `\`. */
export function quote(text) {
    return `"${String(text).replace(/(["\\])/g, "\\$1")}"`;
}

/**
 * Parses generic parameters `;name=value;flag` (RFC 3261 §25.1 generic-param). The text may start with ";".
 * Names are lower-cased (they compare case-insensitively); values are kept as written (quotes included).
 * @param {string} text
 * @returns {Map<string, string|null>}
 */
export function parseParameters(text) {
    const parameters = new Map();
    const body = text.trim().replace(/^;/, "");
    if (body === "") return parameters;
    for (const piece of splitOutside(body, ";")) {
        if (piece === "") throw new SIPParseError("empty parameter");
        const equals = piece.indexOf("=");
        const name = (equals < 0 ? piece : piece.slice(0, equals)).trim();
        if (!isToken(name)) throw new SIPParseError(`bad parameter name "${name.slice(0, 40)}"`);
        const value = equals < 0 ? null : piece.slice(equals + 1).trim();
        parameters.set(name.toLowerCase(), value);
    }
    return parameters;
}

/** Formats parameters as `;name=value;flag` (the inverse of parseParameters). */
export function formatParameters(parameters) {
    let text = "";
    for (const [name, value] of parameters) {
        text += value === null || value === undefined ? `;${name}` : `;${name}=${value}`;
    }
    return text;
}

/** Byte length of `text` in UTF-8 (Content-Length counts octets, RFC 3261 §20.14). */
export function utf8Length(text) {
    return new TextEncoder().encode(text).length;
}
