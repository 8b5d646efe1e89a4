// Digest challenges from WWW-Authenticate / Proxy-Authenticate (RFC 3261 §22.4, RFC 7616 §3.3, RFC 8760).
import { isToken, splitOutside, unquote } from "./grammar.js";
import { SIPParseError } from "./sip-parse-error.js";

/** Algorithms this UA can answer, strongest first (RFC 8760 §2.4: prefer SHA-256 when offered). */
export const SUPPORTED_ALGORITHMS = ["SHA-256", "SHA-256-sess", "MD5", "MD5-sess"];

export class DigestChallenge {
    /**
     * @param {object} fields
     * @param {string} fields.realm
     * @param {string} fields.nonce
     * @param {string|null} [fields.opaque]
     * @param {string} [fields.algorithm="MD5"]  canonical spelling, e.g. "SHA-256"
     * @param {string[]} [fields.qop]            offered qop values, e.g. ["auth"]
     * @param {boolean} [fields.stale]
     * @param {boolean} [fields.userhash]
     */
    constructor({ realm, nonce, opaque = null, algorithm = "MD5", qop = [], stale = false, userhash = false }) {
        Object.assign(this, { realm, nonce, opaque, algorithm, qop, stale, userhash });
    }

    /**
     * @param {string} value  one WWW-Authenticate or Proxy-Authenticate value
     * @returns {DigestChallenge}
     * @throws {SIPParseError} when it is not a Digest challenge with realm and nonce
     */
    static parse(value) {
        const { scheme, params } = parseAuthHeader(value);
        if (scheme.toLowerCase() !== "digest") throw new SIPParseError(`not a Digest challenge: ${scheme}`);
        const realm = params.get("realm");
        const nonce = params.get("nonce");
        if (realm === undefined || nonce === undefined) throw new SIPParseError("Digest challenge without realm/nonce");
        const algorithmToken = params.get("algorithm") ?? "MD5"; // RFC 7616 §3.3: absent means MD5
        const algorithm = SUPPORTED_ALGORITHMS.find((name) => name.toLowerCase() === algorithmToken.toLowerCase());
        return new DigestChallenge({
            realm, nonce,
            opaque: params.get("opaque") ?? null,
            algorithm: algorithm ?? algorithmToken,
            qop: (params.get("qop") ?? "").split(",").map((token) => token.trim().toLowerCase()).filter(Boolean),
            stale: (params.get("stale") ?? "").toLowerCase() === "true",
            userhash: (params.get("userhash") ?? "").toLowerCase() === "true",
        });
    }

    /** @returns {boolean} whether this UA can answer it (known algorithm; qop absent, auth or auth-int) */
    get isSupported() {
        const qopUsable = this.qop.length === 0 || this.qop.includes("auth") || this.qop.includes("auth-int");
        return SUPPORTED_ALGORITHMS.includes(this.algorithm) && qopUsable;
    }

    /**
     * The challenge to answer among several (one header each, RFC 8760 §2.4): the strongest supported
     * algorithm, the server's order breaking ties. Unparsable or unsupported challenges are skipped.
     * @param {string[]} values  header values
     * @param {object} [options]
     * @param {string|null} [options.realm]  only challenges of this realm count (null: any realm)
     * @returns {DigestChallenge|null}
     */
    static choose(values, { realm = null } = {}) {
        const usable = [];
        for (const value of values) {
            try {
                const challenge = DigestChallenge.parse(value);
                if (challenge.isSupported && (realm === null || challenge.realm === realm)) usable.push(challenge);
            } catch (error) {
                if (!(error instanceof SIPParseError)) throw error;
            }
        }
        usable.sort((left, right) =>
            SUPPORTED_ALGORITHMS.indexOf(left.algorithm) - SUPPORTED_ALGORITHMS.indexOf(right.algorithm));
        return usable[0] ?? null;
    }
}

/**
 * Splits `Scheme name=value, name="quoted, value"` (RFC 3261 §25.1 challenge / credentials).
 * @returns {{scheme: string, params: Map<string, string>}} names lower-cased, values unquoted
 */
export function parseAuthHeader(value) {
    const trimmed = String(value ?? "").trim();
    const space = trimmed.search(/\s/);
    const scheme = space < 0 ? trimmed : trimmed.slice(0, space);
    if (!isToken(scheme)) throw new SIPParseError("bad authentication scheme");
    const params = new Map();
    const rest = space < 0 ? "" : trimmed.slice(space + 1);
    for (const piece of splitOutside(rest, ",")) {
        if (piece === "") continue;
        const equals = piece.indexOf("=");
        if (equals <= 0) throw new SIPParseError("bad authentication parameter");
        const name = piece.slice(0, equals).trim().toLowerCase();
        if (!isToken(name)) throw new SIPParseError("bad authentication parameter name");
        params.set(name, unquote(piece.slice(equals + 1)));
    }
    return { scheme, params };
}
