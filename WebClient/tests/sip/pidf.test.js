// The XML reader and PIDF (RFC 3863) with RPID (RFC 4480): round trips, other clients' documents, bad input.
import assert from "node:assert/strict";
import test from "node:test";
import {
    activitiesFor, buildPIDF, DATA_MODEL_NAMESPACE, displayState, parsePIDF, PIDF_NAMESPACE, RPID_NAMESPACE,
} from "../../js/sip/pidf.js";
import { escapeXML, parseXML, XML_NAMESPACE, XMLParseError } from "../../js/sip/xml-reader.js";

test("the XML reader resolves namespaces by prefix and decodes entities, CDATA and character references", () => {
    const root = parseXML("\uFEFF<?xml version='1.0' encoding='UTF-8'?>\r\n<!-- before -->" +
        "<a:root xmlns:a=\"urn:a\" xmlns=\"urn:default\" xml:lang=\"en\" plain='x&#x9;y'>" +
        "<child a:flag=\"&quot;q&apos;\">1 &lt; 2 &amp;&amp; 3 &gt; 2 &#233;&#x1F600;<![CDATA[<raw & text>]]></child>" +
        "<other xmlns=\"\"><?pi data?><inner/></other></a:root>\n<!-- after -->");
    assert.equal(root.namespace, "urn:a");
    assert.equal(root.localName, "root");
    assert.equal(root.attribute("lang", XML_NAMESPACE), "en");
    assert.equal(root.attribute("plain"), "x y"); // attribute value normalization turns TAB into a space
    const child = root.element("urn:default", "child");
    assert.equal(child.attribute("flag", "urn:a"), "\"q'");
    assert.equal(child.attribute("flag"), null);
    assert.equal(child.text, "1 < 2 && 3 > 2 é😀<raw & text>");
    const other = root.elements(null, "other")[0];
    assert.equal(other.element(null, "inner").localName, "inner");
    assert.equal(root.textContent, child.text);
    assert.equal(escapeXML("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
});

test("the XML reader refuses DTDs, unknown entities and malformed or oversized documents", () => {
    const bad = {
        "<!DOCTYPE presence [<!ENTITY x \"y\">]><presence/>": /DOCTYPE/,
        "<a><!ENTITY x \"y\"></a>": /markup declaration/,
        "<a>&nbsp;</a>": /unknown entity/,
        "<a>AT&T</a>": /starts no reference/,
        "<a>&#1;</a>": /forbidden character/,
        "<a>\u0007</a>": /not allowed in XML/,
        "<a><b></a>": /closed by/,
        "<a>": /not closed/,
        "<p:a/>": /not declared/,
        "<a x='1' x='2'/>": /twice/,
        "<a xmlns:p='urn:p' xmlns:q='urn:p' p:x='1' q:x='2'/>": /twice/,
        "<a x=1/>": /not quoted/,
        "<a x='<'/>": /"<"/,
        "<a/><b/>": /after the root/,
        "text": /no root/,
        "": /no root/,
        "<a>]]></a>": /"]]>"/,
        "<a><!-- x -- y --></a>": /"--"/,
        "<a xmlns:p=''/>": /empty name/,
        "<a:b:c xmlns:a='urn:a'/>": /bad/,
    };
    for (const [xml, message] of Object.entries(bad)) {
        assert.throws(() => parseXML(xml), (error) => error instanceof XMLParseError && message.test(error.message),
            JSON.stringify(xml));
    }
    assert.throws(() => parseXML(`<a>${"x".repeat(64 * 1024)}</a>`), /larger than 65536 bytes/);
    assert.throws(() => parseXML(`<a>${"é".repeat(33 * 1024)}</a>`), /larger than/); // counted in UTF-8 bytes
    assert.throws(() => parseXML("<a>".repeat(40) + "</a>".repeat(40)), /deeper than 32/);
    assert.throws(() => parseXML(`<a>${"<b/>".repeat(5000)}</a>`), /more than 4096 elements/);
    assert.throws(() => parseXML(null), XMLParseError);
});

test("each manual state round-trips through PUBLISH and NOTIFY documents", () => {
    for (const manual of ["available", "away", "busy", "dnd"]) {
        for (const onThePhone of [false, true]) {
            const note = manual === "available" && !onThePhone ? "" : `note for ${manual} <& "quoted">`;
            const xml = buildPIDF({ entity: "sip:alice@localhost", manual, onThePhone, note, tupleId: "t1",
                personId: "p1" });
            const parsed = parsePIDF(xml);
            assert.equal(parsed.entity, "sip:alice@localhost");
            assert.equal(parsed.basic, "open");
            assert.equal(parsed.manual, manual, xml);
            assert.equal(parsed.onThePhone, onThePhone, xml);
            assert.equal(parsed.note, note);
            assert.equal(parsed.state, displayState({ basic: "open", manual, onThePhone }));
        }
    }
    const offline = parsePIDF(buildPIDF({ entity: "sip:bob@localhost", state: "offline", note: "gone" }));
    assert.deepEqual([offline.basic, offline.state, offline.note], ["closed", "offline", "gone"]);
    const phone = parsePIDF(buildPIDF({ entity: "sip:bob@localhost", state: "on-the-phone" }));
    assert.deepEqual([phone.state, phone.manual, phone.onThePhone], ["on-the-phone", "available", true]);
});

test("the published document has the contract's shape", () => {
    const xml = buildPIDF({ entity: "sip:alice@localhost", manual: "dnd", note: "back at 3", tupleId: "t1",
        personId: "p1" });
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\r\n/);
    const root = parseXML(xml);
    assert.equal(root.attribute("entity"), "sip:alice@localhost");
    const tuple = root.element(PIDF_NAMESPACE, "tuple");
    assert.equal(tuple.attribute("id"), "t1");
    assert.equal(tuple.element(PIDF_NAMESPACE, "status").element(PIDF_NAMESPACE, "basic").text, "open");
    const person = root.element(DATA_MODEL_NAMESPACE, "person");
    assert.equal(person.attribute("id"), "p1");
    const activities = person.element(RPID_NAMESPACE, "activities").children;
    assert.deepEqual(activities.map((element) => [element.localName, element.text]),
        [["busy", ""], ["other", "do-not-disturb"]]);
    assert.equal(person.element(DATA_MODEL_NAMESPACE, "note").text, "back at 3");
    // Available without a note needs no person at all.
    const plain = parseXML(buildPIDF({ entity: "sip:alice@localhost", manual: "available" }));
    assert.equal(plain.element(DATA_MODEL_NAMESPACE, "person"), null);
    assert.deepEqual(activitiesFor("away"), ["away"]);
    assert.deepEqual(activitiesFor("busy", true), ["on-the-phone", "busy"]);
});

test("buildPIDF refuses unknown states, bad entities and ids", () => {
    assert.throws(() => buildPIDF({ entity: "sip:a@b", state: "sleeping" }), TypeError);
    assert.throws(() => buildPIDF({ entity: "sip:a@b", manual: "offline" }), TypeError);
    assert.throws(() => buildPIDF({ entity: "alice" }), TypeError);
    assert.throws(() => buildPIDF({ entity: "sip:a@b\" x=\"y" }), TypeError);
    assert.throws(() => buildPIDF({ entity: "sip:a@b", tupleId: "1bad" }), TypeError);
    assert.throws(() => buildPIDF({ entity: "sip:a@b", basic: "maybe" }), TypeError);
    assert.throws(() => activitiesFor("offline"), TypeError);
});

test("baresip's document: empty activities, CRLF, contact in the tuple", () => {
    const baresip = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\r\n" +
        "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"\r\n" +
        "    xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\"\r\n" +
        "    xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\"\r\n" +
        "    entity=\"sip:carol@localhost\">\r\n" +
        "  <dm:person id=\"p4159\"><rpid:activities/></dm:person>\r\n" +
        "  <tuple id=\"t4109\">\r\n    <status>\r\n      <basic>open</basic>\r\n    </status>\r\n" +
        "    <contact>sip:carol@localhost</contact>\r\n  </tuple>\r\n</presence>\r\n";
    assert.deepEqual(parsePIDF(baresip), { entity: "sip:carol@localhost", basic: "open", manual: "available",
        onThePhone: false, state: "available", note: "", activities: [] });
    assert.equal(parsePIDF(baresip.replace(">open<", ">closed<")).state, "offline");
    // baresip publishes "unknown" (once "unkown") before it knows: not open.
    assert.equal(parsePIDF(baresip.replace(">open<", ">unknown<")).state, "offline");
});

test("linphone's document: other prefixes, notes with xml:lang, timestamps, unknown extensions ignored", () => {
    const linphone = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" +
        "<p:presence xmlns:p=\"urn:ietf:params:xml:ns:pidf\" xmlns:pdm=\"urn:ietf:params:xml:ns:pidf:data-model\"" +
        " xmlns:r=\"urn:ietf:params:xml:ns:pidf:rpid\" xmlns:op=\"urn:oma:xml:prs:pidf:oma-pres\"" +
        " entity=\"sip:dave@example.org\">" +
        "<p:tuple id=\"qmoo7b\"><p:status><p:basic>open</p:basic></p:status>" +
        "<op:service-description><op:service-id>org.3gpp.urn:urn-7:3gpp-service.ims.icsi.mmtel</op:service-id>" +
        "</op:service-description><p:contact priority=\"0.8\">sip:dave@example.org</p:contact>" +
        "<p:note xml:lang=\"en\">tuple note</p:note><p:timestamp>2026-11-27T13:05:00Z</p:timestamp></p:tuple>" +
        "<pdm:person id=\"p1\"><r:activities><r:note>activity note</r:note><r:meeting/>" +
        "<r:on-the-phone/></r:activities><pdm:note xml:lang=\"fr\">  en\n réunion  </pdm:note>" +
        "<pdm:timestamp>2026-11-27T13:05:00Z</pdm:timestamp></pdm:person>" +
        "<pdm:device id=\"d1\"><pdm:deviceID>urn:x</pdm:deviceID></pdm:device></p:presence>";
    const parsed = parsePIDF(linphone);
    assert.equal(parsed.entity, "sip:dave@example.org");
    assert.equal(parsed.manual, "busy"); // a meeting is busy
    assert.equal(parsed.onThePhone, true);
    assert.equal(parsed.state, "on-the-phone");
    assert.equal(parsed.note, "en réunion");
    assert.deepEqual(parsed.activities, ["meeting", "on-the-phone"]);
});

test("notes come from the person, then a tuple, then presence; dnd and away variants are recognised", () => {
    const wrap = (inner) => `<presence xmlns="${PIDF_NAMESPACE}" xmlns:dm="${DATA_MODEL_NAMESPACE}" ` +
        `xmlns:rpid="${RPID_NAMESPACE}" entity="sip:e@localhost">${inner}</presence>`;
    const open = "<tuple id=\"t\"><status><basic>open</basic></status><note>tuple</note></tuple>";
    assert.equal(parsePIDF(wrap(open)).note, "tuple");
    assert.equal(parsePIDF(wrap("<note>top</note><tuple id=\"t\"><status><basic>open</basic></status></tuple>"))
        .note, "top");
    assert.equal(parsePIDF(wrap(`${open}<dm:person id="p"><dm:note> </dm:note></dm:person>`)).note, "tuple");
    assert.equal(parsePIDF(wrap(`${open}<dm:person id="p"><dm:note>${"n".repeat(300)}</dm:note></dm:person>`))
        .note.length, 256);
    const dnd = parsePIDF(wrap(`${open}<dm:person id="p"><rpid:activities><rpid:other>DND</rpid:other>` +
        "</rpid:activities></dm:person>"));
    assert.equal(dnd.state, "dnd");
    const vacation = parsePIDF(wrap(`${open}<dm:person id="p"><rpid:activities><rpid:vacation/>` +
        "</rpid:activities></dm:person>"));
    assert.equal(vacation.state, "away");
    // No tuple at all, but a person who is away: open.
    const personOnly = parsePIDF(wrap("<dm:person id=\"p\"><rpid:activities><rpid:away/></rpid:activities>" +
        "</dm:person>"));
    assert.deepEqual([personOnly.basic, personOnly.state], ["open", "away"]);
    // Any open tuple wins over closed ones.
    const mixed = parsePIDF(wrap("<tuple id=\"a\"><status><basic>closed</basic></status></tuple>" +
        "<tuple id=\"b\"><status><basic>open</basic></status></tuple>"));
    assert.equal(mixed.basic, "open");
    // dnd while on the phone shows dnd; closed shows offline whatever the activities.
    assert.equal(displayState({ basic: "open", manual: "dnd", onThePhone: true }), "dnd");
    assert.equal(displayState({ basic: "closed", manual: "away", onThePhone: true }), "offline");
});

test("parsePIDF refuses what is not PIDF", () => {
    assert.throws(() => parsePIDF("<presence entity=\"sip:a@b\"/>"), /not a PIDF document/);
    assert.throws(() => parsePIDF(`<presence xmlns="${PIDF_NAMESPACE}"/>`), /without entity/);
    assert.throws(() => parsePIDF(`<list xmlns="urn:ietf:params:xml:ns:rlmi"/>`), /not a PIDF document/);
    assert.throws(() => parsePIDF("<presence"), XMLParseError);
});
