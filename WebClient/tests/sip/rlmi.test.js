// multipart/related (RFC 2387) and RLMI (RFC 4662): full state, then partial state, and bad bodies.
import assert from "node:assert/strict";
import test from "node:test";
import {
    MultipartError, parseContentType, parseListNotification, parseMultipartRelated, parseRLMI,
} from "../../js/sip/rlmi.js";
import { XMLParseError } from "../../js/sip/xml-reader.js";
import { LIST_CONTENT_TYPE as CONTENT_TYPE, listBody } from "./presence-fixtures.js";

test("a full-state notification: RLMI root found by start, each resource matched to its PIDF by Content-ID", () => {
    const body = listBody({ version: 0, fullState: true, resources: [
        { user: "bob", cid: "bob-1@localhost", presence: { manual: "away", note: "lunch" } },
        { user: "carol", cid: "carol-1@localhost", presence: { state: "offline" } },
        { user: "dave", state: "pending" },
    ] });
    const list = parseListNotification(CONTENT_TYPE, body);
    assert.equal(list.uri, "sip:alice+buddies@localhost");
    assert.equal(list.version, 0);
    assert.equal(list.fullState, true);
    assert.equal(list.name, "Buddies");
    assert.deepEqual(list.resources.map((resource) => [resource.uri, resource.state, resource.presence?.state ?? null,
        resource.presence?.note ?? null, resource.error]), [
        ["sip:bob@localhost", "active", "away", "lunch", null],
        ["sip:carol@localhost", "active", "offline", "", null],
        ["sip:dave@localhost", "pending", null, null, null],
    ]);
    assert.equal(list.resources[0].name, "bob");
});

test("a partial notification: only the changed resources, a terminated one with its reason", () => {
    const body = listBody({ version: 1, fullState: false, resources: [
        { user: "bob", cid: "bob-2@localhost", presence: { manual: "busy", onThePhone: true } },
        { user: "carol", state: "terminated", reason: "deactivated" },
    ] });
    const list = parseListNotification(CONTENT_TYPE, body);
    assert.equal(list.fullState, false);
    assert.equal(list.version, 1);
    assert.deepEqual(list.resources.map((resource) => [resource.state, resource.reason,
        resource.presence?.state ?? null]), [["active", null, "on-the-phone"], ["terminated", "deactivated", null]]);
    assert.equal(list.resources[0].presence.manual, "busy");
});

test("multipart parts: headers, bodies, unquoted and token boundaries, base64, default root", () => {
    const body = `--simple\r\nContent-Type: text/plain\r\nContent-ID: <a@x>\r\nX-Folded: one\r\n two\r\n\r\nfirst` +
        "\r\n--simple  \r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\naMOpbGxv\r\n" +
        "--simple\r\n\r\n\r\n--simple--";
    const multipart = parseMultipartRelated("Multipart/Related; boundary=simple", body);
    assert.equal(multipart.type, null);
    assert.equal(multipart.start, null);
    assert.equal(multipart.root, multipart.parts[0]);
    assert.deepEqual(multipart.parts.map((part) => [part.mediaType, part.contentId, part.body]),
        [["text/plain", "a@x", "first"], ["text/plain", null, "héllo"], ["text/plain", null, ""]]);
    assert.equal(multipart.parts[0].headers.get("x-folded"), "one two");
    // A part body may hold CRLF and text that looks like a boundary without being one.
    const tricky = "--b\r\nContent-Type: text/plain\r\n\r\nline 1\r\n--bb is not it\r\nline 3\r\n--b--\r\n";
    assert.equal(parseMultipartRelated("multipart/related;boundary=b", tricky).parts.length, 1);
    assert.deepEqual(parseContentType("Application/PIDF+XML ; charset=\"UTF-8\""),
        { mediaType: "application/pidf+xml", parameters: new Map([["charset", "UTF-8"]]) });
});

test("a bare RLMI body (no parts) lists resources without state", () => {
    const xml = "<list xmlns=\"urn:ietf:params:xml:ns:rlmi\" uri=\"sip:alice+buddies@localhost\" version=\"7\" " +
        "fullState=\"1\"><resource uri=\"sip:bob@localhost\"/></list>";
    const list = parseListNotification("application/rlmi+xml", xml);
    assert.equal(list.fullState, true);
    assert.deepEqual(list.resources, [{ uri: "sip:bob@localhost", name: null, state: null, reason: null,
        presence: null, error: null }]);
});

test("a bad PIDF part spoils only its own resource", () => {
    const body = listBody({ version: 2, fullState: true, resources: [
        { user: "bob", cid: "bob@localhost", presence: { manual: "away" } },
        { user: "carol", cid: "missing@localhost" },
    ] }).replace("<basic>open</basic>", "<basic>open</basic");
    const list = parseListNotification(CONTENT_TYPE, body);
    assert.match(list.resources[0].error, /bad PIDF for sip:bob@localhost/);
    assert.equal(list.resources[0].presence, null);
    assert.match(list.resources[1].error, /no part with Content-ID <missing@localhost>/);
});

test("malformed multipart bodies and RLMI documents give clear errors", () => {
    const bad = [
        ["text/plain", "x", /expected multipart\/related/],
        ["multipart/related", "x", /boundary/],
        [`multipart/related;boundary="${"x".repeat(71)}"`, "x", /boundary/],
        ["multipart/related;boundary=b", "no delimiter here", /does not occur/],
        ["multipart/related;boundary=b", "--b\r\nContent-Type: text/plain\r\n\r\nbody", /no closing boundary/],
        ["multipart/related;boundary=b", "--b\nContent-Type: text/plain\n\nbody\n--b--", /CRLF/],
        ["multipart/related;boundary=b", "--b\r\nContent-Type text/plain\r\n\r\nx\r\n--b--", /malformed body part/],
        ["multipart/related;boundary=b", "--b\r\nContent-Type: text/plain\r\nbody\r\n--b--", /no empty line/],
        ["multipart/related;boundary=b", "--b--", /no body part/],
        ["multipart/related;boundary=b;start=\"<nope>\"", "--b\r\n\r\nx\r\n--b--", /start Content-ID <nope>/],
        ["multipart/related;boundary=b", "--b\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nx\r\n--b--",
            /Content-Transfer-Encoding/],
        ["multipart/related;boundary=b", "--b\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!\r\n--b--", /base64/],
        ["multipart/related;;boundary=b", "--b\r\n\r\nx\r\n--b--", /parameters/],
    ];
    for (const [contentType, body, message] of bad) {
        assert.throws(() => parseMultipartRelated(contentType, body),
            (error) => error instanceof MultipartError && message.test(error.message), `${contentType} ${body}`);
    }
    const many = `${"--b\r\n\r\nx\r\n".repeat(5)}--b--`;
    assert.throws(() => parseMultipartRelated("multipart/related;boundary=b", many, { maxParts: 4 }), /more than 4/);
    assert.throws(() => parseMultipartRelated("multipart/related;boundary=b", "x".repeat(2 * 1024 * 1024)),
        /larger than/);
    assert.throws(() => parseListNotification("multipart/related;type=\"text/html\";boundary=b",
        "--b\r\n\r\nx\r\n--b--"), /not application\/rlmi\+xml/);
    assert.throws(() => parseListNotification("multipart/related;boundary=b",
        "--b\r\nContent-Type: application/pidf+xml\r\n\r\n<x/>\r\n--b--"), /root part is application\/pidf\+xml/);

    const rlmi = (attributes, inner = "") => `<list xmlns="urn:ietf:params:xml:ns:rlmi" ${attributes}>${inner}</list>`;
    const badRLMI = [
        [rlmi("version=\"1\" fullState=\"true\""), /without uri/],
        [rlmi("uri=\"sip:l@x\" fullState=\"true\""), /without version/],
        [rlmi("uri=\"sip:l@x\" version=\"-1\" fullState=\"true\""), /not an unsigned integer/],
        [rlmi("uri=\"sip:l@x\" version=\"1\" fullState=\"yes\""), /not a boolean/],
        [rlmi("uri=\"sip:l@x\" version=\"1\" fullState=\"true\"", "<resource/>"), /resource without uri/],
        [rlmi("uri=\"sip:l@x\" version=\"1\" fullState=\"true\"",
            "<resource uri=\"sip:b@x\"><instance id=\"i\" state=\"sleeping\"/></resource>"), /instance state/],
        ["<list uri=\"sip:l@x\" version=\"1\" fullState=\"true\"/>", /not an RLMI document/],
    ];
    for (const [xml, message] of badRLMI) {
        assert.throws(() => parseRLMI(xml), (error) => error instanceof XMLParseError && message.test(error.message),
            xml);
    }
});
