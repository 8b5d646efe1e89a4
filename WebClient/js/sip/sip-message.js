// What requests and responses share: ordered headers, a UTF-8 body, typed header access (RFC 3261 §7).
import { splitOutside, utf8Length } from "./grammar.js";
import { canonicalHeaderName, LIST_HEADERS } from "./header-names.js";
import { NameAddress } from "./name-address.js";
import { SIPParseError } from "./sip-parse-error.js";
import { Via } from "./via.js";

export class SIPMessage {
    constructor() {
        /** @type {{name: string, value: string}[]} in wire order, names canonical */
        this.headers = [];
        /** @type {string} */
        this.body = "";
    }

    /** @returns {string|null} the first value of the header, compact or long name, any case */
    getHeader(name) {
        const key = canonicalHeaderName(name).toLowerCase();
        const found = this.headers.find((header) => header.name.toLowerCase() === key);
        return found ? found.value : null;
    }

    /** @returns {string[]} every value of the header, in order */
    getHeaders(name) {
        const key = canonicalHeaderName(name).toLowerCase();
        return this.headers.filter((header) => header.name.toLowerCase() === key).map((header) => header.value);
    }

    hasHeader(name) {
        return this.getHeader(name) !== null;
    }

    /** Appends a header; comma lists of Via/Contact/Route/Record-Route/Path become one entry per value. */
    addHeader(name, value) {
        const canonical = canonicalHeaderName(name);
        for (const piece of splitValues(canonical, String(value))) this.headers.push({ name: canonical, value: piece });
        return this;
    }

    /** Inserts a header before every other one of the same name (or first of all), e.g. a new Via. */
    prependHeader(name, value) {
        const canonical = canonicalHeaderName(name);
        const key = canonical.toLowerCase();
        const index = this.headers.findIndex((header) => header.name.toLowerCase() === key);
        const entries = splitValues(canonical, String(value)).map((piece) => ({ name: canonical, value: piece }));
        this.headers.splice(index < 0 ? 0 : index, 0, ...entries);
        return this;
    }

    /** Replaces every value of the header by `value`, keeping the position of the first one. */
    setHeader(name, value) {
        const canonical = canonicalHeaderName(name);
        const key = canonical.toLowerCase();
        const index = this.headers.findIndex((header) => header.name.toLowerCase() === key);
        this.removeHeader(canonical);
        const entries = splitValues(canonical, String(value)).map((piece) => ({ name: canonical, value: piece }));
        this.headers.splice(index < 0 ? this.headers.length : index, 0, ...entries);
        return this;
    }

    removeHeader(name) {
        const key = canonicalHeaderName(name).toLowerCase();
        this.headers = this.headers.filter((header) => header.name.toLowerCase() !== key);
        return this;
    }

    /** @returns {NameAddress} */
    get from() {
        return parseRequired(this, "From", NameAddress.parse);
    }

    /** @returns {NameAddress} */
    get to() {
        return parseRequired(this, "To", NameAddress.parse);
    }

    /** @returns {string} */
    get callId() {
        const value = this.getHeader("Call-ID");
        if (value === null || value.trim() === "" || /\s/.test(value.trim())) throw new SIPParseError("bad Call-ID");
        return value.trim();
    }

    /** @returns {{seq: number, method: string}} (RFC 3261 §20.16: the number is below 2**31) */
    get cseq() {
        const match = /^\s*([0-9]{1,10})\s+([A-Za-z]+)\s*$/.exec(this.getHeader("CSeq") ?? "");
        if (!match || Number(match[1]) >= 2 ** 31) throw new SIPParseError("bad CSeq");
        return { seq: Number(match[1]), method: match[2].toUpperCase() };
    }

    /** @returns {Via[]} top first */
    get vias() {
        const values = this.getHeaders("Via");
        if (values.length === 0) throw new SIPParseError("missing Via");
        return values.map((value) => Via.parse(value));
    }

    /** @returns {Via} the first Via only (the parser has already validated every one) */
    get topVia() {
        const value = this.getHeader("Via");
        if (value === null) throw new SIPParseError("missing Via");
        return Via.parse(value);
    }

    /** @returns {NameAddress[]} every Contact (empty when none) */
    get contacts() {
        return this.getHeaders("Contact").map((value) => NameAddress.parse(value));
    }

    /** @returns {string|null} the media type in lower case without parameters, e.g. "application/sdp" */
    get mediaType() {
        const value = this.getHeader("Content-Type");
        return value === null ? null : value.split(";")[0].trim().toLowerCase();
    }

    /** @returns {number|null} the Expires header in seconds, null when absent or malformed */
    get expires() {
        return parseSeconds(this.getHeader("Expires"));
    }

    /** @returns {string} the start line, without CRLF */
    get startLine() {
        throw new Error("SIPMessage.startLine is implemented by SIPRequest and SIPResponse");
    }

    /**
     * Serializes the message; Content-Length is always written from the UTF-8 length of the body.
     * @returns {string}
     */
    toString() {
        const lines = [this.startLine];
        for (const header of this.headers) {
            if (header.name !== "Content-Length") lines.push(`${header.name}: ${header.value}`);
        }
        lines.push(`Content-Length: ${utf8Length(this.body)}`);
        return lines.join("\r\n") + "\r\n\r\n" + this.body;
    }
}

/** Seconds as a non-negative integer (delta-seconds, RFC 3261 §25.1), or null. */
export function parseSeconds(value) {
    if (value === null || value === undefined || !/^\s*[0-9]{1,10}\s*$/.test(value)) return null;
    return Number(value);
}

function splitValues(name, value) {
    return LIST_HEADERS.has(name) ? splitOutside(value, ",").filter((piece) => piece !== "") : [value];
}

function parseRequired(message, name, parse) {
    const value = message.getHeader(name);
    if (value === null) throw new SIPParseError(`missing ${name}`);
    return parse(value);
}
