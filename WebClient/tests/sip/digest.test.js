// MD5 (RFC 1321) and Digest (RFC 2617, RFC 7616, RFC 8760) against the published vectors.
import assert from "node:assert/strict";
import test from "node:test";
import { DigestChallenge, parseAuthHeader } from "../../js/sip/digest-challenge.js";
import { computeDigestResponse, DigestAuthenticator, digestHash, MAX_TRACKED_NONCES } from "../../js/sip/digest.js";
import { md5Hex } from "../../js/sip/md5.js";
import { SIPRequest } from "../../js/sip/sip-request.js";

test("MD5 matches the RFC 1321 A.5 test suite", () => {
    const vectors = [
        ["", "d41d8cd98f00b204e9800998ecf8427e"],
        ["a", "0cc175b9c0f1b6a831c399e269772661"],
        ["abc", "900150983cd24fb0d6963f7d28e17f72"],
        ["message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
        ["abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"],
        ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"],
        ["1234567890".repeat(8), "57edf4a22be3c955ac49da2e2107b67a"],
    ];
    for (const [input, expected] of vectors) assert.equal(md5Hex(input), expected, JSON.stringify(input));
});

test("MD5 across the padding boundaries and of UTF-8 text", () => {
    // Lengths 55, 56 and 64 bytes straddle the 448-bit padding limit (RFC 1321 §3.1).
    assert.equal(md5Hex("x".repeat(55)), "04364420e25c512fd958a70738aa8f72");
    assert.equal(md5Hex("x".repeat(56)), "668a72d5ba17f08e62dabcafad6db14b");
    assert.equal(md5Hex("x".repeat(64)), "c1bb4f81d892b2d57947682aeb252456");
    assert.equal(md5Hex("é"), md5Hex(new Uint8Array([0xc3, 0xa9])));
});

test("SHA-256 hashing through crypto.subtle", async () => {
    assert.equal(await digestHash("SHA-256", "abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    await assert.rejects(() => digestHash("SHA-512-256", "abc"), /unsupported/);
});

// RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256.
const RFC7616 = {
    username: "Mufasa", password: "Circle of Life", realm: "http-auth@example.org",
    nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", method: "GET", uri: "/dir/index.html",
    qop: "auth", nc: "00000001", cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
};

test("RFC 7616 §3.9.1 example: MD5 and SHA-256 responses", async () => {
    assert.equal(await computeDigestResponse({ ...RFC7616, algorithm: "MD5" }), "8ca523f5e9506fed4657c9700eebdbec");
    assert.equal(await computeDigestResponse({ ...RFC7616, algorithm: "SHA-256" }),
        "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
});

test("RFC 2617 §3.5 example", async () => {
    const response = await computeDigestResponse({
        algorithm: "MD5", username: "Mufasa", password: "Circle Of Life", realm: "testrealm@host.com",
        nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", method: "GET", uri: "/dir/index.html", qop: "auth",
        nc: "00000001", cnonce: "0a4f113b",
    });
    assert.equal(response, "6629fae49393a05397450978507c4ef1");
});

test("challenge parsing: quoted commas, stale, qop list, default algorithm", () => {
    const challenge = DigestChallenge.parse(
        "Digest realm=\"a, b\", nonce=\"n\", opaque=\"o\", stale=TRUE, algorithm=sha-256, qop=\"auth,auth-int\"");
    assert.equal(challenge.realm, "a, b");
    assert.equal(challenge.algorithm, "SHA-256");
    assert.equal(challenge.stale, true);
    assert.deepEqual(challenge.qop, ["auth", "auth-int"]);
    assert.equal(DigestChallenge.parse("Digest realm=\"r\", nonce=\"n\"").algorithm, "MD5");
    assert.throws(() => DigestChallenge.parse("Basic realm=\"r\""), /not a Digest/);
    assert.throws(() => DigestChallenge.parse("Digest realm=\"r\""), /realm\/nonce/);
    assert.equal(parseAuthHeader("Digest a=1, b=\"x\"").params.get("b"), "x");
});

test("choose prefers SHA-256, whatever the order, and skips what it cannot answer", () => {
    const md5 = "Digest realm=\"localhost\", nonce=\"n1\", algorithm=MD5, qop=\"auth\"";
    const sha = "Digest realm=\"localhost\", nonce=\"n2\", algorithm=SHA-256, qop=\"auth\"";
    const exotic = "Digest realm=\"localhost\", nonce=\"n3\", algorithm=SHA-512-256, qop=\"auth\"";
    assert.equal(DigestChallenge.choose([md5, sha]).algorithm, "SHA-256");
    assert.equal(DigestChallenge.choose([sha, md5]).algorithm, "SHA-256");
    assert.equal(DigestChallenge.choose([exotic, md5]).algorithm, "MD5");
    assert.equal(DigestChallenge.choose([exotic, "Basic realm=\"x\"", "Digest garbage"]), null);
});

test("DigestAuthenticator builds verifiable credentials and counts nonce uses", async () => {
    const authenticator = new DigestAuthenticator({ username: "alice-key", password: "secret" });
    const request = new SIPRequest("REGISTER", "sip:localhost");
    const challenge = DigestChallenge.parse(
        "Digest realm=\"localhost\", nonce=\"abc\", opaque=\"op\", algorithm=SHA-256, qop=\"auth\"");
    const first = parseAuthHeader(await authenticator.authorize(request, challenge));
    const second = parseAuthHeader(await authenticator.authorize(request, challenge));
    assert.equal(first.scheme, "Digest");
    assert.equal(first.params.get("username"), "alice-key");
    assert.equal(first.params.get("uri"), "sip:localhost");
    assert.equal(first.params.get("algorithm"), "SHA-256");
    assert.equal(first.params.get("opaque"), "op");
    assert.equal(first.params.get("qop"), "auth");
    assert.equal(first.params.get("nc"), "00000001");
    assert.equal(second.params.get("nc"), "00000002");
    assert.notEqual(first.params.get("cnonce"), second.params.get("cnonce"));
    const expected = await computeDigestResponse({
        algorithm: "SHA-256", username: "alice-key", password: "secret", realm: "localhost", nonce: "abc",
        method: "REGISTER", uri: "sip:localhost", qop: "auth", nc: "00000001", cnonce: first.params.get("cnonce"),
    });
    assert.equal(first.params.get("response"), expected);
    // Without qop: the RFC 2069 form, no nc/cnonce.
    const legacy = parseAuthHeader(await authenticator.authorize(request,
        DigestChallenge.parse("Digest realm=\"localhost\", nonce=\"old\"")));
    assert.equal(legacy.params.has("nc"), false);
    assert.equal(legacy.params.get("response").length, 32);
});

test("nonce counts: the least recently used nonce is forgotten first, the others keep counting", async () => {
    const authenticator = new DigestAuthenticator({ username: "alice-key", password: "secret" });
    const request = new SIPRequest("REGISTER", "sip:localhost");
    const nc = async (nonce) => parseAuthHeader(await authenticator.authorize(request,
        DigestChallenge.parse(`Digest realm="localhost", nonce="${nonce}", qop="auth"`))).params.get("nc");
    assert.equal(await nc("oldest"), "00000001");
    assert.equal(await nc("kept"), "00000001");
    for (let index = 0; index < MAX_TRACKED_NONCES - 2; index += 1) await nc(`n${index}`);
    assert.equal(await nc("kept"), "00000002", "a recent use keeps a nonce");
    await nc("one-too-many"); // the table is full: "oldest" goes, not everything
    assert.equal(authenticator.nonceCounts.size, MAX_TRACKED_NONCES);
    assert.equal(await nc("kept"), "00000003");
    assert.equal(await nc("n5"), "00000002");
    assert.equal(await nc("oldest"), "00000001", "the evicted nonce starts again");
});
