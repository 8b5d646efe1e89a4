// message/cpim (RFC 3862): parse, build, round trip, bad input.
import assert from "node:assert/strict";
import test from "node:test";
import {
    CPIM_HEADERS_NAMESPACE, CPIMError, CPIMMessage, decodeEscapes, encodeEscapes, IMDN_NAMESPACE, parseCPIMAddress,
} from "../../js/sip/cpim.js";

const crlf = (...lines) => lines.join("\r\n");

/** What Parley sends to a CPIM-accepting binding (chat contract). */
const PARLEY_ROOM_MESSAGE = crlf(
    "From: \"Bob\" <sip:bob@localhost>",
    "To: <sip:lobby@localhost>",
    "DateTime: 2026-11-27T13:05:00.123Z",
    "NS: imdn <urn:ietf:params:imdn>",
    "imdn.Message-ID: 42",
    "",
    "Content-Type: text/plain;charset=utf-8",
    "",
    "hello",
);

test("Parley's room message: sender, room, time, stored id and the text", () => {
    const message = CPIMMessage.parse(PARLEY_ROOM_MESSAGE);
    assert.deepEqual(message.from, { displayName: "Bob", uri: "sip:bob@localhost" });
    assert.deepEqual(message.to, [{ displayName: null, uri: "sip:lobby@localhost" }]);
    assert.equal(message.dateTime.toISOString(), "2026-11-27T13:05:00.123Z");
    assert.equal(message.messageId, "42");
    assert.equal(message.contentType, "text/plain;charset=utf-8");
    assert.equal(message.mediaType, "text/plain");
    assert.equal(message.body, "hello");
    assert.equal(message.toString(), PARLEY_ROOM_MESSAGE, "serializes back byte for byte");
});

test("the example of RFC 3862 §6: words as formal name, lang parameter, NS prefix, Require, content headers", () => {
    const text = crlf(
        "From: MR SANDERS <im:piglet@100akerwood.com>",
        "To: Depressed Donkey <im:eeyore@100akerwood.com>",
        "DateTime: 2000-12-13T13:40:00-08:00",
        "Subject: the weather will be fine today",
        "Subject:;lang=fr beau temps prevu pour aujourd'hui",
        "NS: MyFeatures <mid:MessageFeatures@id.foo.com>",
        "Require: MyFeatures.VitalMessageOption",
        "MyFeatures.VitalMessageOption: Confirmation-requested",
        "MyFeatures.WackyMessageOption: Use-silly-font",
        "",
        "Content-type: text/xml; charset=utf-8",
        "Content-ID: <1234567890@foo.com>",
        "",
        "<body>",
        "Here is the text of my message.",
        "</body>",
    );
    const message = CPIMMessage.parse(text);
    assert.deepEqual(message.from, { displayName: "MR SANDERS", uri: "im:piglet@100akerwood.com" });
    assert.deepEqual(message.to[0], { displayName: "Depressed Donkey", uri: "im:eeyore@100akerwood.com" });
    assert.equal(message.dateTime.toISOString(), "2000-12-13T21:40:00.000Z");
    const subjects = message.getHeaders("Subject");
    assert.equal(subjects.length, 2);
    assert.equal(subjects[1].parameters.get("lang"), "fr");
    assert.equal(subjects[1].value, "beau temps prevu pour aujourd'hui");
    assert.equal(message.getHeader("Require"), "MyFeatures.VitalMessageOption");
    assert.equal(message.getHeader("VitalMessageOption", "mid:MessageFeatures@id.foo.com"), "Confirmation-requested");
    assert.equal(message.getHeader("WackyMessageOption"), null, "a prefixed header is not in the CPIM namespace");
    assert.equal(message.headers.at(-1).prefix, "MyFeatures");
    assert.equal(message.contentType, "text/xml; charset=utf-8", "Content-type is found in any case");
    assert.equal(message.mediaType, "text/xml");
    assert.equal(message.contentHeaders[1].value, "<1234567890@foo.com>");
    assert.equal(message.body, "<body>\r\nHere is the text of my message.\r\n</body>");
    assert.equal(message.messageId, null);
    assert.equal(message.toString(), text);
});

test("imdn.Message-ID is found by namespace, whatever prefix the sender declared", () => {
    const message = CPIMMessage.parse(crlf("From: <sip:a@x>", "NS: rcpt <urn:ietf:params:imdn>",
        "rcpt.Message-ID: 7", "imdn.Message-ID: 8", "", "", "hi"));
    assert.equal(message.messageId, "7");
    assert.equal(message.headers[3].namespace, null, "the undeclared prefix imdn stands for nothing");
    assert.equal(message.contentType, "text/plain", "no content headers: RFC 2045 default");
    assert.equal(message.body, "hi");
});

test("build and parse round trip: escapes, quoted names, several To, namespaces", () => {
    const built = CPIMMessage.build({
        from: { uri: "sip:alice@localhost", displayName: "Alice \"Al\" \\ L." },
        to: ["sip:bob@localhost", { uri: "sip:carol@localhost", displayName: "Carol" }],
        dateTime: new Date(Date.UTC(2026, 10, 27, 13, 5, 0, 123)),
        subject: "two\nlines\tand a tab",
        namespaces: { imdn: IMDN_NAMESPACE },
        headers: [["imdn.Message-ID", "99"]],
        contentHeaders: [["Content-ID", "<part@x>"]],
        body: "line one\r\nline two – ünïcödé",
    });
    const text = built.toString();
    assert.match(text, /^From: "Alice \\"Al\\" \\\\ L\." <sip:alice@localhost>\r\n/);
    assert.match(text, /\r\nSubject: two\\nlines\\tand a tab\r\n/);
    assert.match(text, /\r\n\r\nContent-Type: text\/plain;charset=utf-8\r\nContent-ID: <part@x>\r\n\r\nline one/);
    const parsed = CPIMMessage.parse(text);
    assert.deepEqual(parsed.from, { uri: "sip:alice@localhost", displayName: "Alice \"Al\" \\ L." });
    assert.deepEqual(parsed.to.map((address) => address.uri), ["sip:bob@localhost", "sip:carol@localhost"]);
    assert.equal(parsed.to[1].displayName, "Carol");
    assert.equal(parsed.dateTime.toISOString(), "2026-11-27T13:05:00.123Z");
    assert.equal(parsed.getHeader("Subject"), "two\nlines\tand a tab");
    assert.equal(parsed.messageId, "99");
    assert.equal(parsed.body, "line one\r\nline two – ünïcödé");
    assert.equal(parsed.toString(), text);
    assert.equal(parsed.getHeaders("NS")[0].namespace, CPIM_HEADERS_NAMESPACE);
});

test("escapes: decode what RFC 3862 §2.3 defines, keep other backslashes", () => {
    assert.equal(decodeEscapes("a\\u00e9\\n\\t\\\"\\'\\\\z\\q"), "aé\n\t\"'\\z\\q");
    assert.equal(encodeEscapes("a\\b\r\n\u0001"), "a\\\\b\\r\\n\\u0001");
    assert.equal(decodeEscapes(encodeEscapes("x\\y\u0007\n")), "x\\y\u0007\n");
});

test("bare LF line ends are accepted", () => {
    const message = CPIMMessage.parse("From: <sip:a@x>\nimdn.Message-ID: 1\n\nContent-Type: text/plain\n\nyo\n");
    assert.equal(message.from.uri, "sip:a@x");
    assert.equal(message.body, "yo\n");
});

test("bad input throws a CPIMError that says what is wrong", () => {
    const cases = [
        [undefined, /not text/],
        ["", /empty/],
        ["From: <sip:a@x>", /no empty line after the message headers/],
        [crlf("From: <sip:a@x>", "", "Content-Type: text/plain"), /no empty line after the content headers/],
        [crlf("", "Content-Type: text/plain", "", "x"), /no message headers/],
        [crlf("no colon here", "", "", "x"), /bad header line "no colon here"/],
        [crlf("Fr om: <sip:a@x>", "", "", "x"), /bad header name "Fr om"/],
        [crlf("a.b.c: x", "", "", "x"), /bad header name "a.b.c"/],
        [crlf("From: sip:a@x", "", "", "x"), /From: expected \[name\] <URI>/],
        [crlf("To: \"Bob <sip:b@x>", "", "", "x"), /To: unterminated quoted name/],
        [crlf("To: <sip:b @x>", "", "", "x"), /To: bad URI/],
        [crlf("NS: imdn urn:ietf:params:imdn", "", "", "x"), /NS needs \[prefix\] <URN>/],
        [crlf("Subject:;lang=\"fr text", "", "", "x"), /unterminated quoted parameter/],
        [crlf("From: <sip:a@x>", "", " folded: no", "", "x"), /continuation line/],
        [crlf("From: <sip:a@x>", "", "Content Type: text/plain", "", "x"), /bad content header line/],
    ];
    for (const [input, expected] of cases) {
        assert.throws(() => CPIMMessage.parse(input), (error) => {
            assert.ok(error instanceof CPIMError, `${JSON.stringify(input)} -> ${error}`);
            assert.equal(error.name, "CPIMError");
            assert.match(error.message, expected);
            return true;
        });
    }
});

test("build refuses what it cannot write", () => {
    assert.throws(() => CPIMMessage.build({}), /at least one header/);
    assert.throws(() => CPIMMessage.build({ from: "sip:a b@x" }), /From: a URI without spaces/);
    assert.throws(() => CPIMMessage.build({ to: [{ displayName: "x" }] }), /To: a URI/);
    assert.throws(() => CPIMMessage.build({ from: "sip:a@x", dateTime: "yesterday" }), /DateTime/);
    assert.throws(() => CPIMMessage.build({ from: "sip:a@x", namespaces: { "bad.prefix": "urn:x" } }), /NS: bad/);
    assert.throws(() => CPIMMessage.build({ from: "sip:a@x", headers: [["bad name", "x"]] }), /bad header name/);
    assert.throws(() => CPIMMessage.build({ from: "sip:a@x", contentType: "text/plain\r\nX: y" }),
        /bad content header/);
    assert.throws(() => parseCPIMAddress("\"Bob\" junk <sip:b@x>", "From"), /between the quoted name/);
});
