// One Via value: `SIP/2.0/WSS host:port;branch=z9hG4bK...` (RFC 3261 §20.42, RFC 7118 §5.2).
import { formatParameters, parseParameters } from "./grammar.js";
import { SIPParseError } from "./sip-parse-error.js";
import { parseHostPort } from "./sip-uri.js";

const VIA = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9\-.!%*_+`'~]+)\s+([^;\s]+(?:\s*:\s*[0-9]+)?)\s*(;.*)?$/i;

export class Via {
    /**
     * @param {object} fields
     * @param {string} fields.transport   e.g. "WSS"
     * @param {string} fields.host
     * @param {number|null} [fields.port]
     * @param {Map<string, string|null>} [fields.params]
     */
    constructor({ transport, host, port = null, params = new Map() }) {
        this.transport = transport.toUpperCase();
        this.host = host;
        this.port = port;
        this.params = params;
    }

    /**
     * @param {string} text  one Via value (the message parser splits comma lists first)
     * @returns {Via}
     * @throws {SIPParseError}
     */
    static parse(text) {
        const match = VIA.exec(String(text).trim());
        if (!match) throw new SIPParseError("bad Via");
        const { host, port } = parseHostPort(match[2].replace(/\s+/g, ""));
        return new Via({ transport: match[1], host, port, params: parseParameters(match[3] ?? "") });
    }

    /** @returns {string|null} */
    get branch() {
        return this.params.get("branch") ?? null;
    }

    /** `host[:port]`, the part of the server transaction key from the Via (RFC 3261 §17.2.3). */
    get sentBy() {
        return this.port === null ? this.host.toLowerCase() : `${this.host.toLowerCase()}:${this.port}`;
    }

    toString() {
        const portPart = this.port === null ? "" : `:${this.port}`;
        return `SIP/2.0/${this.transport} ${this.host}${portPart}${formatParameters(this.params)}`;
    }
}
