// MD5 (RFC 1321), for Digest authentication only: browsers' crypto.subtle has no MD5.

// RFC 1321 §3.4: T[i] = floor(2**32 * abs(sin(i + 1))).
const SINE_TABLE = Array.from({ length: 64 }, (_, index) => Math.floor(Math.abs(Math.sin(index + 1)) * 2 ** 32) >>> 0);

// Per-round shift amounts (RFC 1321 §3.4, rounds 1 to 4).
const SHIFTS = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

/**
 * The MD5 digest of `input` (a string is encoded as UTF-8) as 32 lower-case hex digits.
 * @param {string|Uint8Array} input
 * @returns {string}
 */
export function md5Hex(input) {
    const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
    const words = padMessage(bytes);
    // RFC 1321 §3.3: initial state A, B, C, D.
    let a0 = 0x67452301;
    let b0 = 0xefcdab89;
    let c0 = 0x98badcfe;
    let d0 = 0x10325476;
    for (let block = 0; block < words.length; block += 16) {
        let a = a0;
        let b = b0;
        let c = c0;
        let d = d0;
        for (let step = 0; step < 64; step += 1) {
            let mixed;
            let wordIndex;
            if (step < 16) {
                mixed = (b & c) | (~b & d);
                wordIndex = step;
            } else if (step < 32) {
                mixed = (d & b) | (~d & c);
                wordIndex = (5 * step + 1) % 16;
            } else if (step < 48) {
                mixed = b ^ c ^ d;
                wordIndex = (3 * step + 5) % 16;
            } else {
                mixed = c ^ (b | ~d);
                wordIndex = (7 * step) % 16;
            }
            const sum = (a + mixed + SINE_TABLE[step] + words[block + wordIndex]) >>> 0;
            a = d;
            d = c;
            c = b;
            b = (b + rotateLeft(sum, SHIFTS[step])) >>> 0;
        }
        a0 = (a0 + a) >>> 0;
        b0 = (b0 + b) >>> 0;
        c0 = (c0 + c) >>> 0;
        d0 = (d0 + d) >>> 0;
    }
    return [a0, b0, c0, d0].map(littleEndianHex).join("");
}

/** RFC 1321 §3.1-3.2: append 0x80, zeros to 56 mod 64, then the bit length (64 bits, little-endian). */
function padMessage(bytes) {
    const paddedLength = (((bytes.length + 8) >> 6) + 1) * 64;
    const padded = new Uint8Array(paddedLength);
    padded.set(bytes);
    padded[bytes.length] = 0x80;
    const bitLength = bytes.length * 8;
    const view = new DataView(padded.buffer);
    view.setUint32(paddedLength - 8, bitLength >>> 0, true);
    view.setUint32(paddedLength - 4, Math.floor(bitLength / 2 ** 32), true);
    const words = new Uint32Array(paddedLength / 4);
    for (let index = 0; index < words.length; index += 1) words[index] = view.getUint32(index * 4, true);
    return words;
}

function rotateLeft(value, count) {
    return ((value << count) | (value >>> (32 - count))) >>> 0;
}

function littleEndianHex(word) {
    let text = "";
    for (let byte = 0; byte < 4; byte += 1) text += ((word >>> (byte * 8)) & 0xff).toString(16).padStart(2, "0");
    return text;
}
