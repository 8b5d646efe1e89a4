// Random identifiers: branches, tags, Call-IDs, the .invalid host (RFC 3261 §8.1.1.4-7, RFC 7118 §5.2).

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/**
 * @param {number} length
 * @returns {string} `length` random lower-case letters and digits from crypto.getRandomValues
 */
export function randomToken(length) {
    const bytes = new Uint8Array(length);
    globalThis.crypto.getRandomValues(bytes);
    let text = "";
    for (const byte of bytes) text += ALPHABET[byte % ALPHABET.length];
    return text;
}

/** RFC 3261 §8.1.1.7: the branch starts with the magic cookie z9hG4bK. */
export function newBranch() {
    return "z9hG4bK" + randomToken(16);
}

/** RFC 3261 §19.3: at least 32 bits of randomness. */
export function newTag() {
    return randomToken(12);
}

export function newCallId() {
    return randomToken(22);
}

/** @returns {string} a random UUID (version 4) */
export function newUUID() {
    if (typeof globalThis.crypto.randomUUID === "function") return globalThis.crypto.randomUUID();
    const hex = randomToken(32).replace(/[g-z]/g, (letter) => (letter.charCodeAt(0) % 16).toString(16));
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
