// message/cpim (RFC 3862): message headers, a blank line, then the encapsulated MIME part (its own headers,
// a blank line, the content). Parley wraps room and stored private messages in it so that the original
// sender, the time and the stored id (imdn.Message-ID, RFC 5438 §6.3) travel with the text.

/** RFC 3862 §3.4: the namespace of headers without a prefix. */
export const CPIM_HEADERS_NAMESPACE = "urn:ietf:params:cpim-headers:";
/** RFC 5438 §6.3: the namespace of imdn.Message-ID. */
export const IMDN_NAMESPACE = "urn:ietf:params:imdn";

/** RFC 3862 §3.6: NAMECHAR = %x21 / %x23-27 / %x2a-2b / %x2d / %x5e-60 / %x7c / %x7e / ALPHA / DIGIT */
const NAME = /^[A-Za-z0-9!#$%&'*+\-^_`|~]+$/;
const MAX_ESCAPED_TEXT = 60;

/** Malformed message/cpim, or a build request that cannot be written as message/cpim. */
export class CPIMError extends Error {
    constructor(message) {
        super(message);
        this.name = "CPIMError";
    }
}

/** @param {string} text @returns {string} the text cut for an error message */
function excerpt(text) {
    const flat = String(text).replace(/[\r\n]/g, " ");
    return flat.length > MAX_ESCAPED_TEXT ? `${flat.slice(0, MAX_ESCAPED_TEXT)}…` : flat;
}

/**
 * Decodes the escapes of RFC 3862 §2.3 (`\uXXXX \b \t \n \r \" \' \\`). A backslash before anything else is
 * kept as written (liberal in what we accept).
 * @param {string} text
 * @returns {string}
 */
export function decodeEscapes(text) {
    return text.replace(/\\(u[0-9A-Fa-f]{4}|[btnr"'\\])/g, (_match, escape) => {
        switch (escape[0]) {
        case "u": return String.fromCharCode(parseInt(escape.slice(1), 16));
        case "b": return "\b";
        case "t": return "\t";
        case "n": return "\n";
        case "r": return "\r";
        default: return escape;
        }
    });
}

/**
 * Escapes what a header value cannot hold as written: backslash and control characters (RFC 3862 §2.3.1).
 * @param {string} text
 * @returns {string}
 */
export function encodeEscapes(text) {
    return String(text).replace(/[\\\u0000-\u001f\u007f]/g, (character) => {
        switch (character) {
        case "\\": return "\\\\";
        case "\b": return "\\b";
        case "\t": return "\\t";
        case "\n": return "\\n";
        case "\r": return "\\r";
        default: return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
        }
    });
}

/**
 * Parses `[Formal-name] "<" URI ">"` (From, To, cc; RFC 3862 §4.1): Formal-name is words or a quoted String.
 * @param {string} rawValue the header value as written (escapes not yet decoded)
 * @param {string} headerName for the error message
 * @returns {{displayName: string|null, uri: string}}
 * @throws {CPIMError}
 */
export function parseCPIMAddress(rawValue, headerName = "address") {
    const text = rawValue.trim();
    let displayName = null;
    let rest = text;
    if (rest.startsWith("\"")) {
        let index = 1;
        for (; index < rest.length; index += 1) {
            if (rest[index] === "\\") index += 1;
            else if (rest[index] === "\"") break;
        }
        if (index >= rest.length) throw new CPIMError(`${headerName}: unterminated quoted name in "${excerpt(text)}"`);
        displayName = decodeEscapes(rest.slice(1, index));
        rest = rest.slice(index + 1).trimStart();
    }
    const open = rest.indexOf("<");
    const close = rest.lastIndexOf(">");
    if (open < 0 || close < open || rest.slice(close + 1).trim() !== "") {
        throw new CPIMError(`${headerName}: expected [name] <URI>, got "${excerpt(text)}"`);
    }
    if (displayName === null) {
        const words = rest.slice(0, open).trim().replace(/\s+/g, " ");
        displayName = words === "" ? null : decodeEscapes(words);
    } else if (rest.slice(0, open).trim() !== "") {
        throw new CPIMError(`${headerName}: text between the quoted name and <URI> in "${excerpt(text)}"`);
    }
    const uri = rest.slice(open + 1, close).trim();
    if (uri === "" || /[<>\s]/.test(uri)) throw new CPIMError(`${headerName}: bad URI in "${excerpt(text)}"`);
    return { displayName, uri };
}

/**
 * Formats an address for From/To/cc: a quoted Formal-name when there is one.
 * @param {string|{uri: string, displayName?: string|null}} address
 * @param {string} headerName for the error message
 * @returns {string}
 * @throws {CPIMError}
 */
function formatCPIMAddress(address, headerName) {
    const uri = typeof address === "string" ? address : address?.uri;
    const displayName = typeof address === "string" ? null : address?.displayName ?? null;
    if (typeof uri !== "string" || uri.trim() === "" || /[<>\s]/.test(uri.trim())) {
        throw new CPIMError(`${headerName}: a URI without spaces or <> is needed`);
    }
    if (displayName === null || displayName === "") return `<${uri.trim()}>`;
    const quoted = encodeEscapes(displayName).replace(/"/g, "\\\"");
    return `"${quoted}" <${uri.trim()}>`;
}

/**
 * Splits `Name-prefix "." Name` (RFC 3862 §3.1); throws for characters a header name cannot hold.
 * @param {string} name
 * @returns {{prefix: string|null, localName: string}}
 */
function splitHeaderName(name) {
    const dot = name.indexOf(".");
    const prefix = dot < 0 ? null : name.slice(0, dot);
    const localName = dot < 0 ? name : name.slice(dot + 1);
    if ((prefix !== null && !NAME.test(prefix)) || !NAME.test(localName)) {
        throw new CPIMError(`bad header name "${excerpt(name)}"`);
    }
    return { prefix, localName };
}

/**
 * Reads the `*( ";" Parameter )` between the colon and the value (RFC 3862 §3.6), e.g. `Subject:;lang=fr text`.
 * @param {string} rest the text after the colon
 * @returns {{parameters: Map<string, string>, value: string}}
 */
function splitParameters(rest, headerName) {
    const parameters = new Map();
    let index = 0;
    while (rest[index] === ";") {
        let end = index + 1;
        let inQuotes = false;
        for (; end < rest.length; end += 1) {
            const character = rest[end];
            if (inQuotes && character === "\\") end += 1;
            else if (character === "\"") inQuotes = !inQuotes;
            else if (!inQuotes && (character === ";" || character === " ")) break;
        }
        if (inQuotes) throw new CPIMError(`${headerName}: unterminated quoted parameter`);
        const parameter = rest.slice(index + 1, end);
        const equals = parameter.indexOf("=");
        const name = equals < 0 ? parameter : parameter.slice(0, equals);
        if (!NAME.test(name)) throw new CPIMError(`${headerName}: bad parameter "${excerpt(parameter)}"`);
        let value = equals < 0 ? "" : parameter.slice(equals + 1);
        if (value.length >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = decodeEscapes(value.slice(1, -1));
        }
        parameters.set(name.toLowerCase(), value);
        index = end;
    }
    // RFC 3862 §3.6: one SP before the value; accept none or several (liberal).
    return { parameters, parametersText: rest.slice(0, index), value: rest.slice(index).replace(/^[ \t]+/, "") };
}

/**
 * Splits MIME headers (RFC 5322 §2.2: a line starting with SP or HTAB continues the previous header).
 * @param {string[]} lines
 * @returns {{name: string, value: string}[]}
 */
function parseMIMEHeaders(lines) {
    const headers = [];
    for (const line of lines) {
        if (/^[ \t]/.test(line)) {
            if (headers.length === 0) throw new CPIMError("content headers start with a continuation line");
            headers.at(-1).value += ` ${line.trim()}`;
            continue;
        }
        const colon = line.indexOf(":");
        const name = colon < 0 ? "" : line.slice(0, colon).trim();
        if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
            throw new CPIMError(`bad content header line "${excerpt(line)}"`);
        }
        headers.push({ name, value: line.slice(colon + 1).trim() });
    }
    return headers;
}

/**
 * Takes header lines up to the first empty line.
 * @param {string} text
 * @param {number} start index into text
 * @returns {{lines: string[], next: number}|null} null when no empty line ends the block
 */
function readHeaderBlock(text, start) {
    const lines = [];
    let position = start;
    for (;;) {
        const newline = text.indexOf("\n", position);
        if (newline < 0) return null;
        const line = text.slice(position, newline).replace(/\r$/, "");
        position = newline + 1;
        if (line === "") return { lines, next: position };
        lines.push(line);
    }
}

/**
 * @typedef {object} CPIMHeader
 * @property {string} name as written, e.g. "imdn.Message-ID"
 * @property {string|null} prefix e.g. "imdn"
 * @property {string} localName e.g. "Message-ID"
 * @property {string|null} namespace the URN the prefix stood for where the header appeared (null: undeclared)
 * @property {Map<string, string>} parameters e.g. lang of Subject
 * @property {string} parametersText the parameters as written, e.g. ";lang=fr" ("" when none)
 * @property {string} value escapes decoded
 * @property {string} rawValue as written
 */

/** A parsed or built message/cpim body. */
export class CPIMMessage {
    /**
     * @param {object} [parts]
     * @param {CPIMHeader[]} [parts.headers] message headers in order
     * @param {{name: string, value: string}[]} [parts.contentHeaders] headers of the encapsulated MIME part
     * @param {string} [parts.body] the encapsulated content
     */
    constructor({ headers = [], contentHeaders = [], body = "" } = {}) {
        this.headers = headers;
        this.contentHeaders = contentHeaders;
        this.body = body;
    }

    /**
     * Parses a message/cpim body; CRLF line ends (bare LF accepted).
     * @param {string} text
     * @returns {CPIMMessage}
     * @throws {CPIMError} for anything that is not message/cpim
     */
    static parse(text) {
        if (typeof text !== "string") throw new CPIMError("message/cpim body is not text");
        if (text.trim() === "") throw new CPIMError("message/cpim body is empty");
        const messageBlock = readHeaderBlock(text, 0);
        if (!messageBlock) throw new CPIMError("message/cpim: no empty line after the message headers");
        if (messageBlock.lines.length === 0) throw new CPIMError("message/cpim: no message headers");
        const namespaces = new Map([[null, CPIM_HEADERS_NAMESPACE]]);
        const headers = [];
        for (const line of messageBlock.lines) {
            const colon = line.indexOf(":");
            if (colon <= 0) throw new CPIMError(`message/cpim: bad header line "${excerpt(line)}"`);
            const name = line.slice(0, colon);
            const { prefix, localName } = splitHeaderName(name);
            const { parameters, parametersText, value: rawValue } = splitParameters(line.slice(colon + 1), name);
            // RFC 3862 §3.4: a prefix means what the last NS before the header declared.
            const namespace = namespaces.get(prefix) ?? null;
            const value = decodeEscapes(rawValue);
            const header = { name, prefix, localName, namespace, parameters, parametersText, value, rawValue };
            if (namespace === CPIM_HEADERS_NAMESPACE && localName === "NS") {
                const match = /^(?:([^\s<]+)\s*)?<([^<>\s]+)>\s*$/.exec(rawValue);
                if (!match) throw new CPIMError(`message/cpim: NS needs [prefix] <URN>, got "${excerpt(rawValue)}"`);
                const declared = match[1] ?? null;
                if (declared !== null && !NAME.test(declared)) {
                    throw new CPIMError(`message/cpim: bad NS prefix "${excerpt(declared)}"`);
                }
                namespaces.set(declared, match[2]);
            } else if (namespace === CPIM_HEADERS_NAMESPACE && ["From", "To", "cc"].includes(localName)) {
                parseCPIMAddress(rawValue, localName); // RFC 3862 §4.1-4.3: must hold <URI>
            }
            headers.push(header);
        }
        const contentBlock = readHeaderBlock(text, messageBlock.next);
        if (!contentBlock) throw new CPIMError("message/cpim: no empty line after the content headers");
        return new CPIMMessage({
            headers,
            contentHeaders: parseMIMEHeaders(contentBlock.lines),
            body: text.slice(contentBlock.next),
        });
    }

    /**
     * Builds a message/cpim body.
     * @param {object} fields
     * @param {string|{uri: string, displayName?: string|null}} [fields.from]
     * @param {string|{uri: string, displayName?: string|null}|Array} [fields.to] one address or several
     * @param {Array} [fields.cc]
     * @param {Date|string|number} [fields.dateTime] written as RFC 3339 (Date#toISOString)
     * @param {string} [fields.subject]
     * @param {Record<string, string>} [fields.namespaces] prefix -> URN, written as NS headers
     * @param {Array<[string, string]>} [fields.headers] further headers, e.g. [["imdn.Message-ID", "42"]]
     * @param {string} [fields.contentType="text/plain;charset=utf-8"]
     * @param {Array<[string, string]>} [fields.contentHeaders] more headers of the MIME part (Content-ID ...)
     * @param {string} [fields.body=""]
     * @returns {CPIMMessage}
     * @throws {CPIMError} for a value that cannot be written
     */
    static build({
        from, to, cc = [], dateTime, subject, namespaces = {}, headers = [],
        contentType = "text/plain;charset=utf-8", contentHeaders = [], body = "",
    } = {}) {
        const lines = [];
        if (from !== undefined) lines.push(["From", formatCPIMAddress(from, "From")]);
        for (const address of to === undefined ? [] : [to].flat()) lines.push(["To", formatCPIMAddress(address, "To")]);
        for (const address of [cc].flat()) lines.push(["cc", formatCPIMAddress(address, "cc")]);
        if (dateTime !== undefined) {
            const date = dateTime instanceof Date ? dateTime : new Date(dateTime);
            if (Number.isNaN(date.getTime())) throw new CPIMError("DateTime: not a valid time");
            lines.push(["DateTime", date.toISOString()]);
        }
        if (subject !== undefined) lines.push(["Subject", encodeEscapes(subject)]);
        for (const [prefix, urn] of Object.entries(namespaces)) {
            if (!NAME.test(prefix)) throw new CPIMError(`NS: bad prefix "${excerpt(prefix)}"`);
            if (typeof urn !== "string" || urn === "" || /[<>\s]/.test(urn)) throw new CPIMError("NS: bad URN");
            lines.push(["NS", `${prefix} <${urn}>`]);
        }
        for (const [name, value] of headers) lines.push([name, encodeEscapes(value)]);
        if (lines.length === 0) throw new CPIMError("message/cpim needs at least one header");
        const text = lines.map(([name, value]) => {
            splitHeaderName(name);
            return `${name}: ${value}`;
        }).join("\r\n");
        const mimeLines = [["Content-Type", contentType], ...contentHeaders].map(([name, value]) => {
            if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name) || /[\r\n]/.test(String(value))) {
                throw new CPIMError(`bad content header "${excerpt(name)}"`);
            }
            return `${name}: ${value}`;
        });
        return CPIMMessage.parse(`${text}\r\n\r\n${mimeLines.join("\r\n")}\r\n\r\n${String(body)}`);
    }

    /**
     * Every header with this name in a namespace (RFC 3862 §3.1 names are case-sensitive; compared loosely).
     * @param {string} localName e.g. "To" or "Message-ID"
     * @param {string} [namespace] the URN (CPIM's own headers by default)
     * @returns {CPIMHeader[]}
     */
    getHeaders(localName, namespace = CPIM_HEADERS_NAMESPACE) {
        const wanted = localName.toLowerCase();
        return this.headers.filter((header) => header.namespace === namespace &&
            header.localName.toLowerCase() === wanted);
    }

    /**
     * @param {string} localName
     * @param {string} [namespace]
     * @returns {string|null} the first value, escapes decoded
     */
    getHeader(localName, namespace = CPIM_HEADERS_NAMESPACE) {
        return this.getHeaders(localName, namespace)[0]?.value ?? null;
    }

    /** @returns {{displayName: string|null, uri: string}|null} */
    get from() {
        const header = this.getHeaders("From")[0];
        return header ? parseCPIMAddress(header.rawValue, "From") : null;
    }

    /** @returns {{displayName: string|null, uri: string}[]} */
    get to() {
        return this.getHeaders("To").map((header) => parseCPIMAddress(header.rawValue, "To"));
    }

    /** @returns {Date|null} DateTime (RFC 3339), null when absent or unreadable */
    get dateTime() {
        const value = this.getHeader("DateTime");
        if (value === null || !/^\d{4}-\d{2}-\d{2}T/i.test(value.trim())) return null;
        const date = new Date(value.trim());
        return Number.isNaN(date.getTime()) ? null : date;
    }

    /** @returns {string|null} RFC 5438 imdn.Message-ID (whatever prefix the sender declared for the namespace) */
    get messageId() {
        const value = this.getHeader("Message-ID", IMDN_NAMESPACE);
        return value === null || value.trim() === "" ? null : value.trim();
    }

    /** @returns {string} the encapsulated Content-Type as written (RFC 2045 §5.2 default: text/plain) */
    get contentType() {
        return this.contentHeaders.find((header) => header.name.toLowerCase() === "content-type")?.value ??
            "text/plain";
    }

    /** @returns {string} the encapsulated media type in lower case, without parameters */
    get mediaType() {
        return this.contentType.split(";")[0].trim().toLowerCase();
    }

    /**
     * @returns {string} the body as sent (CRLF line ends)
     */
    toString() {
        const messageLines = this.headers.map((header) =>
            `${header.name}:${header.parametersText ?? ""} ${header.rawValue}`);
        const contentPart = this.contentHeaders.map((header) => `${header.name}: ${header.value}\r\n`).join("");
        return `${messageLines.join("\r\n")}\r\n\r\n${contentPart}\r\n${this.body}`;
    }
}
