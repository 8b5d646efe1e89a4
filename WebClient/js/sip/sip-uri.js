// SIP and SIPS URIs (RFC 3261 §19.1, grammar in §25.1).
import { formatParameters, parseParameters } from "./grammar.js";
import { SIPParseError } from "./sip-parse-error.js";

// RFC 3261 §25.1 hostname, plus "_": SRV-style and some NAT/PBX host names carry it and other stacks accept it.
const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_\-.]*[A-Za-z0-9_.])?$/;
const IPV6_REFERENCE = /^\[[0-9A-Fa-f:.]+\]$/;
const USER_INFO = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/%]*$/;
const PASSWORD = /^[A-Za-z0-9\-_.!~*'()&=+$,%]*$/;

export class SIPURI {
    /**
     * @param {object} fields
     * @param {string} [fields.scheme="sip"]  "sip" or "sips"
     * @param {string|null} [fields.user]      as written (escaped)
     * @param {string|null} [fields.password]
     * @param {string} fields.host
     * @param {number|null} [fields.port]
     * @param {Map<string, string|null>} [fields.params]   names lower-cased
     * @param {Map<string, string>} [fields.headers]
     */
    constructor({ scheme = "sip", user = null, password = null, host, port = null,
        params = new Map(), headers = new Map() }) {
        this.scheme = scheme.toLowerCase();
        this.user = user;
        this.password = password;
        this.host = host;
        this.port = port;
        this.params = params;
        this.headers = headers;
    }

    /**
     * Parses `sip:user:password@host:port;params?headers`.
     * @param {string} text
     * @returns {SIPURI}
     * @throws {SIPParseError}
     */
    static parse(text) {
        if (typeof text !== "string") throw new SIPParseError("URI is not a string");
        const match = /^(sips?):(.+)$/i.exec(text.trim());
        if (!match) throw new SIPParseError(`not a sip: or sips: URI: "${text.slice(0, 60)}"`);
        let rest = match[2];
        let user = null;
        let password = null;
        // The user part cannot hold an unescaped "@", so the first one ends it.
        const at = rest.indexOf("@");
        if (at >= 0) {
            const userInfo = rest.slice(0, at);
            rest = rest.slice(at + 1);
            const colon = userInfo.indexOf(":");
            user = colon < 0 ? userInfo : userInfo.slice(0, colon);
            password = colon < 0 ? null : userInfo.slice(colon + 1);
            if (user === "" || !USER_INFO.test(user)) throw new SIPParseError("bad user part in URI");
            if (password !== null && !PASSWORD.test(password)) throw new SIPParseError("bad password in URI");
        }
        let headersText = "";
        const question = rest.indexOf("?");
        if (question >= 0) {
            headersText = rest.slice(question + 1);
            rest = rest.slice(0, question);
        }
        let paramsText = "";
        const semicolon = rest.indexOf(";");
        if (semicolon >= 0) {
            paramsText = rest.slice(semicolon);
            rest = rest.slice(0, semicolon);
        }
        const { host, port } = parseHostPort(rest);
        return new SIPURI({
            scheme: match[1], user, password, host, port,
            params: parseParameters(paramsText), headers: parseURIHeaders(headersText),
        });
    }

    /** @returns {SIPURI} a deep copy */
    clone() {
        return new SIPURI({ ...this, params: new Map(this.params), headers: new Map(this.headers) });
    }

    /** `user@host[:port]` compared case-insensitively for the host (RFC 3261 §19.1.4, simplified). */
    sameAddress(other) {
        return other instanceof SIPURI && this.scheme === other.scheme && this.user === other.user &&
            this.host.toLowerCase() === other.host.toLowerCase() && (this.port ?? null) === (other.port ?? null);
    }

    /** The URI without parameters and headers, e.g. "sip:alice@localhost". */
    get addressOfRecord() {
        const userPart = this.user === null ? "" : `${this.user}@`;
        const portPart = this.port === null ? "" : `:${this.port}`;
        return `${this.scheme}:${userPart}${this.host}${portPart}`;
    }

    toString() {
        const userPart = this.user === null ? "" :
            `${this.user}${this.password === null ? "" : `:${this.password}`}@`;
        const portPart = this.port === null ? "" : `:${this.port}`;
        let text = `${this.scheme}:${userPart}${this.host}${portPart}${formatParameters(this.params)}`;
        if (this.headers.size > 0) {
            text += "?" + [...this.headers].map(([name, value]) => `${name}=${value}`).join("&");
        }
        return text;
    }
}

/** Splits `host[:port]`, accepting IPv6 references in brackets. */
export function parseHostPort(text) {
    const trimmed = text.trim();
    let host;
    let portText = null;
    if (trimmed.startsWith("[")) {
        const close = trimmed.indexOf("]");
        if (close < 0) throw new SIPParseError("unterminated IPv6 reference");
        host = trimmed.slice(0, close + 1);
        const after = trimmed.slice(close + 1);
        if (after !== "") {
            if (!after.startsWith(":")) throw new SIPParseError("bad text after IPv6 reference");
            portText = after.slice(1);
        }
        if (!IPV6_REFERENCE.test(host)) throw new SIPParseError("bad IPv6 reference");
    } else {
        const colon = trimmed.indexOf(":");
        host = colon < 0 ? trimmed : trimmed.slice(0, colon);
        portText = colon < 0 ? null : trimmed.slice(colon + 1);
        if (!HOST_NAME.test(host)) throw new SIPParseError(`bad host "${host.slice(0, 60)}"`);
    }
    let port = null;
    if (portText !== null) {
        if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) throw new SIPParseError("bad port");
        port = Number(portText);
    }
    return { host, port };
}

function parseURIHeaders(text) {
    const headers = new Map();
    if (text === "") return headers;
    for (const pair of text.split("&")) {
        const equals = pair.indexOf("=");
        if (equals <= 0) throw new SIPParseError("bad URI header");
        headers.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
    return headers;
}
