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

/**
 * A version 4 UUID: crypto.randomUUID when the browser has it, else one built from crypto.getRandomValues.
 * @returns {string}
 */
export function newUUID() {
    if (typeof globalThis.crypto?.randomUUID === "function") return globalThis.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    globalThis.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // RFC 4122 §4.4: version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 §4.4: variant 10
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
