// Digest credentials (RFC 2617, RFC 7616 §3.4, RFC 8760 for SIP): MD5 from md5.js, SHA-256 from crypto.subtle.
import { quote } from "./grammar.js";
import { md5Hex } from "./md5.js";
import { randomToken } from "./random.js";

/**
 * H(text) as lower-case hex for a Digest algorithm (the -sess variants hash the same way).
 * @param {string} algorithm  "MD5", "MD5-sess", "SHA-256" or "SHA-256-sess"
 * @param {string} text       encoded as UTF-8
 * @returns {Promise<string>}
 */
export async function digestHash(algorithm, text) {
    if (algorithm.toUpperCase().startsWith("MD5")) return md5Hex(text);
    if (algorithm.toUpperCase().startsWith("SHA-256")) {
        const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
        return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    }
    throw new Error(`unsupported Digest algorithm ${algorithm}`);
}

/**
 * The request-digest (RFC 7616 §3.4.1; without qop, the RFC 2069 form of RFC 2617 §3.2.2.1).
 * @param {object} input
 * @param {string} input.algorithm
 * @param {string} input.username
 * @param {string} input.password
 * @param {string} input.realm
 * @param {string} input.nonce
 * @param {string} input.method
 * @param {string} input.uri
 * @param {string|null} [input.qop]    "auth", "auth-int" or null
 * @param {string} [input.nc]          eight hex digits
 * @param {string} [input.cnonce]
 * @param {string} [input.body]        for auth-int
 * @returns {Promise<string>}
 */
export async function computeDigestResponse({ algorithm, username, password, realm, nonce, method, uri,
    qop = null, nc = "", cnonce = "", body = "" }) {
    let ha1 = await digestHash(algorithm, `${username}:${realm}:${password}`);
    if (algorithm.toLowerCase().endsWith("-sess")) ha1 = await digestHash(algorithm, `${ha1}:${nonce}:${cnonce}`);
    const a2 = qop === "auth-int" ? `${method}:${uri}:${await digestHash(algorithm, body)}` : `${method}:${uri}`;
    const ha2 = await digestHash(algorithm, a2);
    if (qop === null) return digestHash(algorithm, `${ha1}:${nonce}:${ha2}`);
    return digestHash(algorithm, `${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
}

/** How many nonces keep their use count; the least recently used one is forgotten first. */
export const MAX_TRACKED_NONCES = 16;

/** Answers challenges for one set of credentials, counting nonce uses (nc) per nonce. */
export class DigestAuthenticator {
    /** Private, so that nothing reachable from the page's objects (window.parley) shows it. */
    #password;

    /**
     * @param {object} credentials
     * @param {string} credentials.username
     * @param {string} credentials.password
     */
    constructor({ username, password }) {
        this.username = username;
        this.#password = password;
        /** @type {Map<string, number>} nonce -> last nc sent, least recently used first */
        this.nonceCounts = new Map();
    }

    /**
     * The next nonce count for `nonce` (RFC 7616 §3.4: nc counts the requests made with one nonce).
     * @param {string} nonce
     * @returns {number}
     */
    nextNonceCount(nonce) {
        const count = (this.nonceCounts.get(nonce) ?? 0) + 1;
        // Re-inserted so the Map's order is the order of last use; the oldest goes when the table is full.
        this.nonceCounts.delete(nonce);
        while (this.nonceCounts.size >= MAX_TRACKED_NONCES) {
            this.nonceCounts.delete(this.nonceCounts.keys().next().value);
        }
        this.nonceCounts.set(nonce, count);
        return count;
    }

    /**
     * The Authorization / Proxy-Authorization value answering `challenge` for `request` (RFC 3261 §22.4).
     * @param {import("./sip-request.js").SIPRequest} request
     * @param {import("./digest-challenge.js").DigestChallenge} challenge
     * @returns {Promise<string>}
     */
    async authorize(request, challenge) {
        const qop = challenge.qop.includes("auth") ? "auth" : challenge.qop.includes("auth-int") ? "auth-int" : null;
        const uri = request.uri.toString();
        const count = this.nextNonceCount(challenge.nonce);
        const nc = count.toString(16).padStart(8, "0");
        const cnonce = randomToken(16);
        // RFC 7616 §3.4.4: with userhash the username is H(username:realm).
        const username = challenge.userhash ?
            await digestHash(challenge.algorithm, `${this.username}:${challenge.realm}`) : this.username;
        const response = await computeDigestResponse({
            algorithm: challenge.algorithm, username: this.username, password: this.#password,
            realm: challenge.realm, nonce: challenge.nonce, method: request.method, uri, qop, nc, cnonce,
            body: request.body,
        });
        const parts = [
            `username=${quote(username)}`, `realm=${quote(challenge.realm)}`, `nonce=${quote(challenge.nonce)}`,
            `uri=${quote(uri)}`, `response=${quote(response)}`, `algorithm=${challenge.algorithm}`,
        ];
        if (challenge.opaque !== null) parts.push(`opaque=${quote(challenge.opaque)}`);
        if (qop !== null) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
        if (challenge.userhash) parts.push("userhash=true");
        return `Digest ${parts.join(", ")}`;
    }
}
