// name-addr / addr-spec with header parameters: From, To, Contact, Route, Record-Route (RFC 3261 §20.10, §25.1).
import { formatParameters, parseParameters, quote, splitOutside, unquote } from "./grammar.js";
import { SIPParseError } from "./sip-parse-error.js";
import { SIPURI } from "./sip-uri.js";

export class NameAddress {
    /**
     * @param {SIPURI} uri
     * @param {object} [options]
     * @param {string|null} [options.displayName]
     * @param {Map<string, string|null>} [options.params]  header parameters (tag, expires, +sip.instance...)
     */
    constructor(uri, { displayName = null, params = new Map() } = {}) {
        this.uri = uri;
        this.displayName = displayName;
        this.params = params;
    }

    /**
     * Parses `"Display" <sip:uri;uri-param>;header-param` or the bare `sip:uri;header-param`.
     * @param {string} text
     * @returns {NameAddress}
     * @throws {SIPParseError}
     */
    static parse(text) {
        if (typeof text !== "string") throw new SIPParseError("address is not a string");
        const trimmed = text.trim();
        let displayName = null;
        let rest = trimmed;
        if (rest.startsWith("\"")) {
            const end = closingQuote(rest);
            displayName = unquote(rest.slice(0, end + 1));
            rest = rest.slice(end + 1).trimStart();
            if (!rest.startsWith("<")) throw new SIPParseError("display name without <URI>");
        }
        const open = rest.indexOf("<");
        if (open >= 0) {
            const close = rest.indexOf(">", open);
            if (close < 0) throw new SIPParseError("missing > in address");
            if (displayName === null) {
                const words = rest.slice(0, open).trim();
                displayName = words === "" ? null : words.replace(/\s+/g, " ");
            }
            const uri = SIPURI.parse(rest.slice(open + 1, close));
            return new NameAddress(uri, { displayName, params: parseParameters(rest.slice(close + 1)) });
        }
        // RFC 3261 §20.10: without <>, every ";param" after the URI is a header parameter.
        const pieces = splitOutside(rest, ";");
        if (pieces[0].includes("?") || pieces[0].includes(",")) throw new SIPParseError("addr-spec needs <>");
        const uri = SIPURI.parse(pieces[0]);
        const paramsText = pieces.length > 1 ? ";" + pieces.slice(1).join(";") : "";
        return new NameAddress(uri, { params: parseParameters(paramsText) });
    }

    /** @returns {string|null} the tag parameter (RFC 3261 §19.3) */
    get tag() {
        return this.params.get("tag") ?? null;
    }

    /** @returns {NameAddress} a deep copy */
    clone() {
        return new NameAddress(this.uri.clone(), { displayName: this.displayName, params: new Map(this.params) });
    }

    toString() {
        const name = this.displayName === null || this.displayName === "" ? "" : `${quote(this.displayName)} `;
        return `${name}<${this.uri}>${formatParameters(this.params)}`;
    }
}

function closingQuote(text) {
    for (let index = 1; index < text.length; index += 1) {
        if (text[index] === "\\") {
            index += 1;
        } else if (text[index] === "\"") {
            return index;
        }
    }
    throw new SIPParseError("unterminated display name");
}
