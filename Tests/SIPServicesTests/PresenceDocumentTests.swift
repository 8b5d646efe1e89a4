import Testing
@testable import SIPServices

/// PIDF (RFC 3863, with the data model of RFC 4479 and RPID of RFC 4480) as Parley writes it into a NOTIFY
/// and reads it from a PUBLISH, and the multipart/related body of a resource list NOTIFY (RFC 4662).
@Suite("Presence documents")
struct PresenceDocumentTests {
    static let pidfRoot = "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:alice@localhost\">"

    // MARK: Writing and reading back

    @Test func everyStatusSurvivesARoundTrip() throws {
        let note = "Back at 3 <&\"> ok"
        for manual in ManualStatus.allCases {
            for onThePhone in [false, true] {
                for isOpen in [true, false] {
                    let status = PresenceStatus(isOpen: isOpen, manual: manual, onThePhone: onThePhone, note: note)
                    let document = PIDFDocument.make(entity: "sip:alice@localhost", status: status)
                    // Offline carries the note but no activities, and a closed document reads as away.
                    let expected = isOpen ? status : PresenceStatus(isOpen: false, manual: .away, note: note)
                    let comment = "\(manual) onThePhone=\(onThePhone) open=\(isOpen)"
                    #expect(try PIDFDocument.read(document) == expected, "\(comment)")
                }
            }
        }
        let withoutNote = PresenceStatus(isOpen: true, manual: .busy)
        let plain = PIDFDocument.make(entity: "sip:alice@localhost", status: withoutNote)
        #expect(try PIDFDocument.read(plain) == withoutNote)
    }

    @Test func theNotifiedDocumentIsSpelledExactly() {
        let status = PresenceStatus(isOpen: true, manual: .doNotDisturb, onThePhone: true, note: "Back at 3 <&\"> ok")
        #expect(
            PIDFDocument.make(entity: "sip:alice@localhost", status: status) == """
                <?xml version="1.0" encoding="UTF-8"?>\r
                <presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" \
                xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:alice@localhost">\r
                <tuple id="t1"><status><basic>open</basic></status>\
                <note>Back at 3 &lt;&amp;&quot;&gt; ok</note></tuple>\r
                <dm:person id="p1"><rpid:activities><rpid:on-the-phone/><rpid:busy/>\
                <rpid:other>do-not-disturb</rpid:other></rpid:activities>\
                <dm:note>Back at 3 &lt;&amp;&quot;&gt; ok</dm:note></dm:person>\r
                </presence>\r\n
                """)
        // Closed: no activities. The entity is escaped, control characters dropped.
        let offline = PIDFDocument.make(
            entity: "sip:a\"b@localhost\u{0}", status: PresenceStatus(isOpen: false, manual: .busy))
        #expect(
            offline == """
                <?xml version="1.0" encoding="UTF-8"?>\r
                <presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" \
                xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:a&quot;b@localhost">\r
                <tuple id="t1"><status><basic>closed</basic></status></tuple>\r
                <dm:person id="p1"/>\r
                </presence>\r\n
                """)
    }

    /// baresip reads NOTIFY bodies with regular expressions, so these exact spellings matter.
    @Test func theElementsBaresipLooksForAreSpelledItsWay() {
        func document(_ manual: ManualStatus, onThePhone: Bool = false) -> String {
            let status = PresenceStatus(isOpen: true, manual: manual, onThePhone: onThePhone)
            return PIDFDocument.make(entity: "sip:alice@localhost", status: status)
        }
        #expect(document(.available).contains("<basic>open</basic>"))
        #expect(document(.available).contains("<rpid:activities/>"))
        #expect(!document(.available).contains("rpid:unknown"))
        #expect(document(.away).contains("<rpid:activities><rpid:away/></rpid:activities>"))
        #expect(document(.busy).contains("<rpid:activities><rpid:busy/></rpid:activities>"))
        #expect(document(.doNotDisturb).contains("<rpid:busy/><rpid:other>do-not-disturb</rpid:other>"))
        #expect(document(.away, onThePhone: true).contains("<rpid:activities><rpid:on-the-phone/><rpid:away/>"))
    }

    // MARK: Reading what clients publish

    static func baresip(basic: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="no"?>
        <presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" \
        xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:bob@localhost">
          <dm:person id="p4159"><rpid:activities/></dm:person>
          <tuple id="t4109"><status><basic>\(basic)</basic></status><contact>sip:bob@localhost</contact></tuple>
        </presence>
        """
    }

    @Test func baresipsOpenAndClosedDocumentsRead() throws {
        #expect(try PIDFDocument.read(Self.baresip(basic: "open")) == PresenceStatus(isOpen: true, manual: .available))
        // baresip's "offline" publishes closed with no activity: not available.
        #expect(try PIDFDocument.read(Self.baresip(basic: "closed")) == PresenceStatus(isOpen: false, manual: .away))
        // The captured PUBLISH body (Tests/SIPCoreTests/Fixtures/captured/baresip-publish-tcp.sip), CRLF lines.
        let captured = """
            <?xml version="1.0" encoding="UTF-8" standalone="no"?>\r
            <presence xmlns="urn:ietf:params:xml:ns:pidf"\r
                xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"\r
                xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"\r
                entity="sip:alice@localhost">\r
              <dm:person id="p4159"><rpid:activities/></dm:person>\r
              <tuple id="t4109">\r
                <status>\r
                  <basic>open</basic>\r
                </status>\r
                <contact>sip:alice@localhost</contact>\r
              </tuple>\r
            </presence>\r\n
            """
        #expect(try PIDFDocument.read(captured) == PresenceStatus(isOpen: true))
    }

    @Test func aLinphoneStyleDocumentReads() throws {
        let document = """
            <?xml version="1.0" encoding="UTF-8"?>
            <presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" \
            xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:carol@localhost">
              <tuple id="qmzdxc">
                <status>
                  <basic>open</basic>
                </status>
                <contact priority='0.8'>sip:carol@127.0.0.1:5064</contact>
                <note xml:lang="en">  On a call, back soon  </note>
                <timestamp>2026-11-27T13:05:00Z</timestamp>
              </tuple>
              <dm:person id="rmpuaf">
                <rpid:activities>
                  <rpid:on-the-phone/>
                </rpid:activities>
                <dm:timestamp>2026-11-27T13:05:00Z</dm:timestamp>
              </dm:person>
            </presence>
            """
        #expect(
            try PIDFDocument.read(document)
                == PresenceStatus(isOpen: true, manual: .available, onThePhone: true, note: "On a call, back soon"))
    }

    /// RFC 3863 section 6 (the minimal example), then its example with a prefix for the PIDF namespace, an
    /// extension element and notes in the tuple and in the document.
    @Test func theRFC3863ExamplesRead() throws {
        let minimal = """
            <?xml version="1.0" encoding="UTF-8"?>
            <presence xmlns="urn:ietf:params:xml:ns:pidf"
                entity="pres:someone@example.com">
              <tuple id="sg89ae">
                <status>
                  <basic>open</basic>
                </status>
                <contact priority="0.8">tel:+09012345678</contact>
              </tuple>
            </presence>
            """
        #expect(try PIDFDocument.read(minimal) == PresenceStatus(isOpen: true))
        let prefixed = """
            <?xml version="1.0" encoding="UTF-8"?>
            <impp:presence xmlns:impp="urn:ietf:params:xml:ns:pidf"
                xmlns:myex="http://id.example.com/presence/"
                entity="pres:someone@example.com">
              <impp:tuple id="bs35r9">
                <impp:status>
                  <impp:basic>open</impp:basic>
                  <myex:location>home</myex:location>
                </impp:status>
                <impp:contact priority="0.8">im:someone@mobilecarrier.net</impp:contact>
                <impp:note xml:lang="en">Don't Disturb Please!</impp:note>
                <impp:note xml:lang="fr">Ne derangez pas, s'il vous plait</impp:note>
                <impp:timestamp>2001-10-27T16:49:29Z</impp:timestamp>
              </impp:tuple>
              <impp:tuple id="eg92n8">
                <impp:status>
                  <impp:basic>closed</impp:basic>
                </impp:status>
                <impp:contact priority="1.0">mailto:someone@example.com</impp:contact>
              </impp:tuple>
              <impp:note xml:lang="en">I'll be in Tokyo next week</impp:note>
            </impp:presence>
            """
        // One open tuple is enough; a note is not an activity, so "Don't Disturb" stays text.
        #expect(try PIDFDocument.read(prefixed) == PresenceStatus(isOpen: true, note: "Don't Disturb Please!"))
    }

    @Test func activitiesOfOtherClientsFoldIntoTheManualStatus() throws {
        func read(_ activities: String, basic: String = "open") throws -> PresenceStatus {
            try PIDFDocument.read(
                """
                <presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" \
                xmlns:r="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:dave@localhost">
                <tuple id="t"><status><basic>\(basic)</basic></status><note>tuple note</note></tuple>
                <dm:person id="p"><r:activities>\(activities)</r:activities><dm:note> person note </dm:note></dm:person>
                </presence>
                """)
        }
        #expect(try read("<r:vacation/>").manual == .away)
        #expect(try read("<r:meeting/>").manual == .busy)
        #expect(try read("<r:away/><r:busy/>").manual == .busy)
        #expect(try read("<r:other> DND </r:other>").manual == .doNotDisturb)
        #expect(try read("<r:busy/><r:other>Do-Not-Disturb</r:other>").manual == .doNotDisturb)
        #expect(try read("<r:other>gardening</r:other>").manual == .available)
        #expect(try read("<r:note>not an activity</r:note>").manual == .available)
        #expect(try read("<r:on-the-phone/>").onThePhone)
        let closedOnThePhone = PresenceStatus(isOpen: false, manual: .away, onThePhone: true, note: "person note")
        #expect(try read("<r:on-the-phone/>", basic: "closed") == closedOnThePhone)
        #expect(try read("<r:busy/>", basic: "closed").manual == .busy)
        // The person's note wins over the tuple's; notes are cut to 200 characters.
        #expect(try read("").note == "person note")
        let long = String(repeating: "n", count: 300)
        let document = Self.pidfRoot + "<note>\(long)</note></presence>"
        #expect(try PIDFDocument.read(document).note == String(repeating: "n", count: 200))
        #expect(try PIDFDocument.read(Self.pidfRoot + "<note>  </note></presence>").note == nil)
    }

    @Test func referencesCDATAAndCommentsAreRead() throws {
        let document = """
            \u{FEFF}<?xml version='1.0' encoding='UTF-8'?>
            <!-- a comment before the root -->
            <p:presence xmlns:p='urn:ietf:params:xml:ns:pidf' entity='sip:a@b' >
            <p:tuple id="t"><p:status><p:basic> Open </p:basic></p:status></p:tuple>
            <p:note>a &#x26; b &#38; &lt;c&gt; &apos;d&apos; &quot;e&quot; \
            <![CDATA[<f>]]><!-- hidden --> &#x1F600;</p:note>
            </p:presence >
            <?trailing processing instruction?>
            """
        let note = "a & b & <c> 'd' \"e\" <f> \u{1F600}"
        #expect(try PIDFDocument.read(document) == PresenceStatus(isOpen: true, note: note))
    }

    // MARK: Refusals

    static func readError(_ text: String) -> PIDFError? {
        do throws(PIDFError) {
            _ = try PIDFDocument.read(text)
            return nil
        } catch {
            return error
        }
    }

    static func isMalformed(_ text: String) -> Bool {
        if case .some(.malformed) = readError(text) { return true }
        return false
    }

    /// The root, then `depth - 1` nested elements.
    static func nested(depth: Int) -> String {
        let inner = String(repeating: "<x>", count: depth - 1) + String(repeating: "</x>", count: depth - 1)
        return pidfRoot + inner + "</presence>"
    }

    @Test func documentTypesAndEntityDeclarationsAreRefused() {
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE presence [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
            \(Self.pidfRoot)&lol2;</presence>
            """
        #expect(Self.isMalformed(laughs))
        #expect(Self.isMalformed("<!ENTITY lol \"lol\">" + Self.pidfRoot + "&lol;</presence>"))
        #expect(Self.isMalformed(Self.pidfRoot + "<note>&nbsp;</note></presence>"))
    }

    @Test func brokenXMLIsRefused() {
        let root = Self.pidfRoot
        #expect(Self.isMalformed(root + "<tuple id=\"t\"><status><basic>open</status></basic></tuple></presence>"))
        #expect(Self.isMalformed(root + "<tuple id=\"t\"></presence>"))
        #expect(Self.isMalformed(root + "<tuple id=\"t\">"))
        #expect(Self.isMalformed(root + "<note>a & b</note></presence>"))
        #expect(Self.isMalformed(root + "<note>&#0;</note></presence>"))
        #expect(Self.isMalformed(root + "<note>\u{1}</note></presence>"))
        #expect(Self.isMalformed(root + "<tuple id=t/></presence>"))
        #expect(Self.isMalformed(root + "<tuple id=\"a\" id=\"b\"/></presence>"))
        #expect(Self.isMalformed(root + "<tuple id=\"a\"x=\"b\"/></presence>"))
        #expect(Self.isMalformed(root + "</presence><presence/>"))
        #expect(Self.isMalformed(root + "</presence>trailing text"))
        #expect(Self.isMalformed(root + "</presence><?xml version=\"1.0\"?>"))
        #expect(Self.isMalformed(root + "<!-- unterminated </presence>"))
        #expect(Self.isMalformed(""))
        #expect(Self.isMalformed("just text"))
    }

    @Test func documentsThatAreNotPIDFAreRefused() {
        #expect(throws: PIDFError.notPIDF) {
            try PIDFDocument.read("<list xmlns=\"urn:ietf:params:xml:ns:rlmi\" uri=\"sip:l@b\" version=\"1\"/>")
        }
        #expect(throws: PIDFError.notPIDF) {
            try PIDFDocument.read("<presence xmlns=\"urn:example:not-pidf\" entity=\"sip:a@b\"/>")
        }
        #expect(throws: PIDFError.notPIDF) { try PIDFDocument.read("<presence entity=\"sip:a@b\"/>") }
        #expect(throws: PIDFError.notPIDF) {
            // The default namespace is PIDF, but the root is in p's.
            try PIDFDocument.read("<p:presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:p=\"urn:x\" entity=\"a\"/>")
        }
    }

    @Test func sizeDepthAndElementCountAreBounded() throws {
        let padded = Self.baresip(basic: "open") + String(repeating: " ", count: PIDFDocument.maxBytes)
        #expect(throws: PIDFError.tooLarge) { try PIDFDocument.read(padded) }
        #expect(Self.isMalformed(Self.nested(depth: 40)))
        #expect(Self.isMalformed(Self.nested(depth: 33)))
        #expect(try PIDFDocument.read(Self.nested(depth: 32)) == PresenceStatus(isOpen: false, manual: .away))
        let many = Self.pidfRoot + String(repeating: "<x/>", count: 4096) + "</presence>"
        #expect(Self.isMalformed(many))
        let enough = Self.pidfRoot + String(repeating: "<x/>", count: 4095) + "</presence>"
        #expect(throws: Never.self) { try PIDFDocument.read(enough) }
    }

    // MARK: Resource lists (RFC 4662)

    @Test func aResourceListIsMultipartRelatedWithAnRLMIRoot() {
        let alice = PresenceStatus(isOpen: true, manual: .busy)
        let list = ResourceListBody.make(
            listURI: "sip:carol-buddies@localhost", version: 3, fullState: true,
            resources: [
                .init(uri: "sip:alice@localhost", name: "Alice & Co", status: alice),
                .init(uri: "sip:bob@localhost", status: nil),
            ],
            boundary: "parley-b0undary")
        let contentType = "multipart/related;type=\"application/rlmi+xml\";start=\"<rlmi@parley>\""
        #expect(list.contentType == contentType + ";boundary=\"parley-b0undary\"")
        let alicePIDF = PIDFDocument.make(entity: "sip:alice@localhost", status: alice)
        #expect(
            list.body == """
                --parley-b0undary\r
                Content-Type: application/rlmi+xml;charset="UTF-8"\r
                Content-ID: <rlmi@parley>\r
                \r
                <?xml version="1.0" encoding="UTF-8"?>\r
                <list xmlns="urn:ietf:params:xml:ns:rlmi" uri="sip:carol-buddies@localhost" \
                version="3" fullState="true">\r
                <resource uri="sip:alice@localhost"><name>Alice &amp; Co</name>\
                <instance id="i11b0ebjrywt2o" state="active" cid="r1.alice@parley"/></resource>\r
                <resource uri="sip:bob@localhost">\
                <instance id="i4gnik7134uwf" state="terminated" reason="deactivated"/></resource>\r
                </list>\r
                --parley-b0undary\r
                Content-Transfer-Encoding: binary\r
                Content-ID: <r1.alice@parley>\r
                Content-Type: application/pidf+xml;charset="UTF-8"\r
                \r
                \(alicePIDF)\r
                --parley-b0undary--\r\n
                """)
    }

    @Test func instanceIDsAreStableAndContentIDsUnique() {
        let open = PresenceStatus(isOpen: true)
        let first = ResourceListBody.make(
            listURI: "sip:l@localhost", version: 1, fullState: true,
            resources: [
                .init(uri: "sip:alice@a.example", status: open), .init(uri: "sip:alice@b.example", status: open),
                .init(uri: "sip:carol@localhost", name: "Carol", status: open),
            ],
            boundary: "b1")
        let second = ResourceListBody.make(
            listURI: "sip:l@localhost", version: 2, fullState: false,
            resources: [.init(uri: "sip:carol@localhost", status: nil)], boundary: "b2")
        // RFC 4662 section 5.2: the same instance keeps its id from one notification to the next.
        let carol = ResourceListBody.instanceID(for: "sip:carol@localhost")
        #expect(first.body.contains("<instance id=\"\(carol)\" state=\"active\""))
        #expect(second.body.contains("<instance id=\"\(carol)\" state=\"terminated\""))
        let instanceIDs = Self.values(after: "<instance id=\"", in: first.body)
        #expect(instanceIDs.count == 3)
        #expect(Set(instanceIDs).count == 3)
        // Content-IDs are unique within a body, and each names a part.
        let contentIDs = Self.values(after: " cid=\"", in: first.body)
        #expect(contentIDs == ["r1.alice@parley", "r2.alice@parley", "r3.carol@parley"])
        for contentID in contentIDs { #expect(first.body.contains("Content-ID: <\(contentID)>\r\n")) }
        // Only atext survives of a user part.
        #expect(ResourceListBody.contentID(index: 4, uri: "sip:J.Doe+x@localhost") == "r4.JDoex@parley")
        #expect(ResourceListBody.contentID(index: 5, uri: "tel:+1-555;phone-context=x") == "r5.1-555@parley")
        #expect(ResourceListBody.contentID(index: 6, uri: "sip:\"<>\"@localhost") == "r6@parley")
    }

    /// What follows each `marker` (which ends with a quote) up to the next quote, in order.
    static func values(after marker: String, in text: String) -> [String] {
        var values: [String] = []
        var rest = Substring(text)
        while let range = rest.firstRange(of: marker) {
            rest = rest[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            values.append(String(rest[..<end]))
            rest = rest[end...]
        }
        return values
    }
}
