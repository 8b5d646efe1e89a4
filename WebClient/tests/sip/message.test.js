// Parser, serializer, URIs and addresses (RFC 3261 §7, §19, §20, §25).
import assert from "node:assert/strict";
import test from "node:test";
import { NameAddress } from "../../js/sip/name-address.js";
import { SIPParseError } from "../../js/sip/sip-parse-error.js";
import { SIPParser } from "../../js/sip/sip-parser.js";
import { SIPRequest } from "../../js/sip/sip-request.js";
import { SIPResponse } from "../../js/sip/sip-response.js";
import { SIPURI } from "../../js/sip/sip-uri.js";
import { Via } from "../../js/sip/via.js";

const crlf = (lines) => lines.join("\r\n");

const PARLEY_401 = crlf([
    "SIP/2.0 401 Unauthorized",
    "Via: SIP/2.0/WSS q2nx4a8d0v1c.invalid;branch=z9hG4bKa8k3j2h1g0f9e8d7;received=127.0.0.1;rport=52044",
    "From: \"Alice\" <sip:alice@localhost>;tag=7d1c9e2b4a60",
    "To: <sip:alice@localhost>;tag=8f3b2c1a",
    "Call-ID: kq3w8e7r6t5y4u3i2o1p0a",
    "CSeq: 1 REGISTER",
    "Server: Parley",
    "WWW-Authenticate: Digest realm=\"localhost\", nonce=\"MTcwMDAwMDAwMC4xMjM0NTY3ODkw\", " +
        "opaque=\"c2Vzc2lvbi0x\", algorithm=SHA-256, qop=\"auth\"",
    "WWW-Authenticate: Digest realm=\"localhost\", nonce=\"MTcwMDAwMDAwMC4xMjM0NTY3ODkw\", " +
        "opaque=\"c2Vzc2lvbi0x\", algorithm=MD5, qop=\"auth\"",
    "Content-Length: 0",
    "", "",
]);

const REGISTER_200 = crlf([
    "SIP/2.0 200 OK",
    "Via: SIP/2.0/WSS q2nx4a8d0v1c.invalid;branch=z9hG4bKzz;received=127.0.0.1;rport=52044",
    "From: <sip:alice@localhost>;tag=7d1c9e2b4a60",
    "To: <sip:alice@localhost>;tag=8f3b2c1a",
    "Call-ID: kq3w8e7r6t5y4u3i2o1p0a",
    "CSeq: 2 REGISTER",
    "Contact: <sip:h7g6f5e4@q2nx4a8d0v1c.invalid;transport=ws;ob>;+sip.instance=\"<urn:uuid:0b8d8f1e-52b5>\";" +
        "reg-id=1;expires=598, \"Desk, phone\" <sip:alice@192.0.2.7:5060>;expires=3600",
    "Contact: <sip:alice@[2001:db8::1]:5070;transport=tcp>;expires=120;q=0.5",
    "Require: outbound",
    "Supported: outbound",
    "Content-Length: 0",
    "", "",
]);

const COMPACT_MESSAGE = crlf([
    "MESSAGE sip:h7g6f5e4@q2nx4a8d0v1c.invalid;transport=ws;ob SIP/2.0",
    "v: SIP/2.0/WSS 127.0.0.1:8443;branch=z9hG4bKp1,SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKb1;rport=5060",
    "Max-Forwards: 69",
    "f: Bob <sip:bob@localhost>;tag=b0b",
    "t: sip:alice@localhost",
    "i: m3ss4g3",
    "CSeq: 7 MESSAGE",
    "c: text/plain;charset=UTF-8",
    "l: 13",
    "", "héllo wörld",
]);

test("parses a Parley 401 with two WWW-Authenticate headers, SHA-256 first", () => {
    const response = SIPParser.parse(PARLEY_401);
    assert.ok(response instanceof SIPResponse);
    assert.equal(response.status, 401);
    assert.equal(response.reason, "Unauthorized");
    const challenges = response.getHeaders("www-authenticate");
    assert.equal(challenges.length, 2, "challenges are not split at their commas");
    assert.match(challenges[0], /algorithm=SHA-256/);
    assert.match(challenges[1], /algorithm=MD5/);
    assert.equal(response.topVia.branch, "z9hG4bKa8k3j2h1g0f9e8d7");
    assert.equal(response.topVia.params.get("rport"), "52044");
    assert.equal(response.from.displayName, "Alice");
    assert.equal(response.to.tag, "8f3b2c1a");
    assert.deepEqual(response.cseq, { seq: 1, method: "REGISTER" });
});

test("parses a 200 OK REGISTER with several Contacts, split outside quotes and brackets", () => {
    const response = SIPParser.parse(REGISTER_200);
    const contacts = response.contacts;
    assert.equal(contacts.length, 3);
    assert.equal(contacts[0].params.get("expires"), "598");
    assert.equal(contacts[0].params.get("+sip.instance"), "\"<urn:uuid:0b8d8f1e-52b5>\"");
    assert.ok(contacts[0].uri.params.has("ob"));
    assert.equal(contacts[0].uri.params.get("transport"), "ws");
    assert.equal(contacts[1].displayName, "Desk, phone");
    assert.equal(contacts[1].uri.port, 5060);
    assert.equal(contacts[2].uri.host, "[2001:db8::1]");
    assert.equal(contacts[2].uri.port, 5070);
    assert.equal(contacts[2].params.get("q"), "0.5");
});

test("parses a MESSAGE with compact headers, a Via list and a UTF-8 body", () => {
    const request = SIPParser.parse(COMPACT_MESSAGE);
    assert.ok(request instanceof SIPRequest);
    assert.equal(request.method, "MESSAGE");
    assert.equal(request.uri.user, "h7g6f5e4");
    assert.ok(request.uri.params.has("ob"));
    assert.equal(request.vias.length, 2);
    assert.equal(request.vias[1].transport, "UDP");
    assert.equal(request.getHeader("Content-Type"), "text/plain;charset=UTF-8");
    assert.equal(request.mediaType, "text/plain");
    assert.equal(request.callId, "m3ss4g3");
    assert.equal(request.from.displayName, "Bob");
    assert.equal(request.to.uri.toString(), "sip:alice@localhost");
    assert.equal(request.body, "héllo wörld", "Content-Length counts UTF-8 octets");
});

test("joins folded header lines and ignores CRLFs before the start line", () => {
    const text = "\r\n\r\n" + crlf([
        "OPTIONS sip:alice@localhost SIP/2.0",
        "Via: SIP/2.0/WSS 127.0.0.1:8443",
        "  ;branch=z9hG4bKfold",
        "From: <sip:bob@localhost>;tag=1",
        "To: <sip:alice@localhost>",
        "Call-ID: fold",
        "CSeq: 1 OPTIONS",
        "Subject: first part",
        "\tsecond part",
        "", "",
    ]);
    const request = SIPParser.parse(text);
    assert.equal(request.topVia.branch, "z9hG4bKfold");
    assert.equal(request.getHeader("s"), "first part second part");
});

test("malformed messages throw SIPParseError, with the request kept when a 400 is possible", () => {
    const bad = [
        "garbage without structure",
        crlf(["SIP/2.0 200 OK", "From: <sip:a@b>;tag=1", "To: <sip:a@b>", "Call-ID: x", "CSeq: 1 OPTIONS", "", ""]),
        crlf(["INVITE sip:alice@localhost SIP/2.0", "Via: SIP/2.0/WSS h;branch=z9hG4bK1",
            "From: <sip:bob@localhost", "To: <sip:alice@localhost>", "Call-ID: x", "CSeq: 1 INVITE", "", ""]),
        crlf(["INVITE sip:alice@localhost SIP/2.0", "Via: SIP/2.0/WSS h;branch=z9hG4bK1", "Bad Header",
            "", ""]),
        crlf(["BYE sip:alice@localhost SIP/2.0", "Via: SIP/2.0/WSS h;branch=z9hG4bK1"]),
    ];
    for (const text of bad) {
        assert.throws(() => SIPParser.parse(text), (error) => error instanceof SIPParseError && !error.partial);
    }
    const lengthMismatch = crlf(["MESSAGE sip:alice@localhost SIP/2.0", "Via: SIP/2.0/WSS h;branch=z9hG4bK1",
        "From: <sip:bob@localhost>;tag=1", "To: <sip:alice@localhost>", "Call-ID: x", "CSeq: 1 MESSAGE",
        "Content-Length: 40", "", "short"]);
    assert.throws(() => SIPParser.parse(lengthMismatch), (error) => {
        assert.ok(error instanceof SIPParseError);
        assert.match(error.message, /Content-Length/);
        assert.equal(error.partial.method, "MESSAGE", "a request with readable basics can be answered 400");
        return true;
    });
    const wrongMethod = lengthMismatch.replace("Content-Length: 40", "Content-Length: 5")
        .replace("CSeq: 1 MESSAGE", "CSeq: 1 INVITE");
    assert.throws(() => SIPParser.parse(wrongMethod), /CSeq method/);
    assert.throws(() => SIPParser.parse(42), SIPParseError);
});

test("serializes with a computed Content-Length and survives a round trip", () => {
    for (const text of [PARLEY_401, REGISTER_200, COMPACT_MESSAGE]) {
        const first = SIPParser.parse(text);
        const second = SIPParser.parse(first.toString());
        assert.equal(second.toString(), first.toString());
        assert.equal(second.body, first.body);
        assert.deepEqual(second.headers, first.headers);
    }
    const request = new SIPRequest("MESSAGE", "sip:bob@localhost");
    request.addHeader("Via", "SIP/2.0/WSS a.invalid;branch=z9hG4bK1").addHeader("From", "<sip:a@b>;tag=1")
        .addHeader("To", "<sip:bob@localhost>").addHeader("Call-ID", "c").addHeader("CSeq", "1 MESSAGE")
        .addHeader("Content-Length", "999");
    request.body = "ça va";
    const text = request.toString();
    assert.match(text, /^MESSAGE sip:bob@localhost SIP\/2\.0\r\n/);
    assert.match(text, /\r\nContent-Length: 6\r\n\r\nça va$/);
    assert.equal(text.match(/Content-Length/g).length, 1);
});

test("header helpers: compact lookup, prepend, set, remove", () => {
    const message = new SIPRequest("OPTIONS", "sip:a@b");
    message.addHeader("v", "SIP/2.0/WSS one.invalid;branch=z9hG4bK1");
    message.prependHeader("Via", "SIP/2.0/WSS zero.invalid;branch=z9hG4bK0");
    assert.deepEqual(message.getHeaders("via").map((value) => Via.parse(value).host), ["zero.invalid", "one.invalid"]);
    message.addHeader("Route", "<sip:p1;lr>, <sip:p2;lr>");
    assert.equal(message.getHeaders("Route").length, 2);
    message.setHeader("Route", "<sip:p3;lr>");
    assert.deepEqual(message.getHeaders("Route"), ["<sip:p3;lr>"]);
    message.removeHeader("route");
    assert.equal(message.hasHeader("Route"), false);
});

test("SIP URIs: user, password, host, port, params and headers", () => {
    const uri = SIPURI.parse("sips:bob:pw@example.org:5061;transport=ws;lr?subject=hi&priority=urgent");
    assert.equal(uri.scheme, "sips");
    assert.equal(uri.user, "bob");
    assert.equal(uri.password, "pw");
    assert.equal(uri.host, "example.org");
    assert.equal(uri.port, 5061);
    assert.equal(uri.params.get("transport"), "ws");
    assert.equal(uri.params.get("lr"), null);
    assert.equal(uri.headers.get("priority"), "urgent");
    assert.equal(uri.toString(), "sips:bob:pw@example.org:5061;transport=ws;lr?subject=hi&priority=urgent");
    assert.equal(SIPURI.parse("sip:localhost").user, null);
    assert.equal(SIPURI.parse("SIP:Bob@LOCALHOST").sameAddress(SIPURI.parse("sip:Bob@localhost")), true);
    for (const bad of ["http://x", "sip:", "sip:bob@", "sip:bob@host:99999", "sip:bob@ho st", "sip:[::1"]) {
        assert.throws(() => SIPURI.parse(bad), SIPParseError, bad);
    }
});

test("name-addr and addr-spec: display names, URI params vs header params", () => {
    const quoted = NameAddress.parse("\"Bob \\\"B\\\" Smith\" <sip:bob@localhost;transport=ws>;tag=abc;expires=60");
    assert.equal(quoted.displayName, "Bob \"B\" Smith");
    assert.equal(quoted.uri.params.get("transport"), "ws");
    assert.equal(quoted.tag, "abc");
    assert.equal(quoted.params.get("expires"), "60");
    const bare = NameAddress.parse("sip:bob@localhost;tag=xyz");
    assert.equal(bare.tag, "xyz", "without <> the parameters belong to the header");
    assert.equal(bare.uri.params.size, 0);
    const tokens = NameAddress.parse("Bob  Smith <sip:bob@localhost>");
    assert.equal(tokens.displayName, "Bob Smith");
    assert.equal(NameAddress.parse(quoted.toString()).toString(), quoted.toString());
    assert.throws(() => NameAddress.parse("\"unterminated <sip:a@b>"), SIPParseError);
    assert.throws(() => NameAddress.parse("<sip:a@b"), SIPParseError);
});

test("SIPResponse.replyingTo copies the identifying headers and adds the To tag", () => {
    const request = SIPParser.parse(COMPACT_MESSAGE);
    const response = SIPResponse.replyingTo(request, 200, "OK", { toTag: "t1" });
    assert.deepEqual(response.getHeaders("Via"), request.getHeaders("Via"));
    assert.equal(response.to.tag, "t1");
    assert.equal(response.getHeader("CSeq"), "7 MESSAGE");
    const trying = SIPResponse.replyingTo(request, 100, "Trying", { toTag: "t1" });
    assert.equal(trying.to.tag, null, "100 Trying carries no To tag");
});

test("SIPResponse.replyingTo adds a fresh To tag to any answer but 100; a To tag already there stays (§8.2.6.2)",
    () => {
        const request = SIPParser.parse(COMPACT_MESSAGE);
        assert.equal(request.to.tag, null);
        for (const status of [180, 400, 405, 420, 481, 500]) {
            const response = SIPResponse.replyingTo(request, status);
            assert.match(response.to.tag ?? "", /^[a-z0-9]{12}$/, `${status} gets a To tag`);
        }
        const first = SIPResponse.replyingTo(request, 405);
        const second = SIPResponse.replyingTo(request, 405);
        assert.notEqual(first.to.tag, second.to.tag, "a new random tag each time");
        assert.equal(SIPResponse.replyingTo(request, 100).to.tag, null, "100 Trying still carries no To tag");

        const inDialog = SIPParser.parse(COMPACT_MESSAGE);
        inDialog.setHeader("To", "<sip:alice@localhost>;tag=mine");
        const answer = SIPResponse.replyingTo(inDialog, 481, undefined, { toTag: "other" });
        assert.equal(answer.getHeader("To"), "<sip:alice@localhost>;tag=mine", "the request's To tag unchanged");

        const brokenTo = SIPParser.parse(COMPACT_MESSAGE);
        brokenTo.setHeader("To", "<sip:alice@localhost");
        assert.equal(SIPResponse.replyingTo(brokenTo, 400).getHeader("To"), "<sip:alice@localhost",
            "a To that cannot be parsed is copied as it came (the 400 still goes out)");
    });

test("bare-LF headers end at the first empty line, even when the body holds a CRLFCRLF", () => {
    const body = "line one\r\n\r\nline three";
    const text = [
        "MESSAGE sip:alice@localhost SIP/2.0", "Via: SIP/2.0/WSS 127.0.0.1:8443;branch=z9hG4bKlf",
        "From: <sip:bob@localhost>;tag=1", "To: <sip:alice@localhost>", "Call-ID: lf-only", "CSeq: 1 MESSAGE",
        "Content-Type: text/plain", `Content-Length: ${body.length}`, "", body,
    ].join("\n");
    const request = SIPParser.parse(text);
    assert.equal(request.body, body);
    assert.equal(request.getHeader("Content-Type"), "text/plain");
    assert.equal(request.callId, "lf-only");
    assert.throws(() => SIPParser.parse("OPTIONS sip:a@b SIP/2.0\nVia: x"), SIPParseError);
});

test("host names may carry an underscore", () => {
    for (const host of ["my_host.example.org", "_sip._udp.example.org", "pbx_1", "a"]) {
        assert.equal(SIPURI.parse(`sip:bob@${host}:5060`).host, host, host);
    }
    assert.equal(NameAddress.parse("<sip:bob@desk_phone.lan;transport=udp>").uri.host, "desk_phone.lan");
    assert.equal(Via.parse("SIP/2.0/UDP gw_2.example:5060;branch=z9hG4bKx").host, "gw_2.example");
    for (const bad of ["sip:bob@-x", "sip:bob@x-", "sip:bob@ho$t"]) {
        assert.throws(() => SIPURI.parse(bad), SIPParseError, bad);
    }
});
