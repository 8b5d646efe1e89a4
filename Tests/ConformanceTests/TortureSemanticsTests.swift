import NIOCore
import SIPCore
import Testing

/// What the torture messages say beyond accept or reject: the values a correct parser reads from them.
@Suite("SIP torture message semantics")
struct TortureSemanticsTests {
    func message(_ file: String) throws -> SIPMessage {
        let torture = try #require(TortureManifest.cases.first { $0.file == file })
        guard case .message(let message) = SIPDatagramDecoder().decode(ByteBuffer(bytes: torture.bytes)) else {
            throw ParseFailure(file: file)
        }
        return message
    }

    func request(_ file: String) throws -> SIPRequest {
        try #require(try message(file).request)
    }

    struct ParseFailure: Error { let file: String }

    @Test func shortTortuousInvite() throws {
        let request = try request("rfc4475/wsinv.dat")
        let headers = request.headers
        #expect(request.method == .invite)
        #expect(try headers.maxForwards == 68)
        #expect(try headers.cseq == CSeq(9, .invite))
        #expect(try headers.to?.tag == Tag("1918181833n"))
        #expect(try headers.to?.uri.sipURI?.user == "vivekg")
        let from = try #require(try headers.from)
        #expect(from.displayName == "J Rosenberg \\\"")
        #expect(from.tag == Tag("98asjd8"))
        let vias = try headers.via
        #expect(vias.map(\.transport) == ["UDP", "TCP", "UDP"])
        #expect(vias[1].branch == Branch("z9hG4bK9ikj8"))
        #expect(vias[2].host == .ipv4("192.168.255.111"))
        let contact = try #require(try headers.contact()?.addresses.first)
        #expect(contact.displayName == "Quoted string \"\"")
        #expect(contact.q == 0.33)
        #expect(contact.parameters.first(named: "newparam")?.value == "newvalue")
        #expect(headers.first("NewFangledHeader")?.valueString == "newfangled value continued newfangled value")
        #expect(headers.first(.subject)?.valueString == "")
        // A proxy forwards the unknown header unchanged.
        let serialized = String(buffer: request.serialized)
        #expect(serialized.contains("UnknownHeaderWithUnusualValue: ;;,,;;,;\r\n"))
        #expect(request.body.readableBytes == 150)
        #expect(try request.headers.route.first?.uri.sipURI?.isLooseRouting == true)
    }

    @Test func unusualMethodAndCharacters() throws {
        let request = try request("rfc4475/intmeth.dat")
        #expect(request.method.rawValue == "!interesting-Method0123456789_*+`.%indeed'~")
        #expect(!request.method.isStandard)
        let uri = try #require(request.uri.sipURI)
        #expect(uri.user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*")
        #expect(uri.password == "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)")
        #expect(try request.headers.callID == CallID("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{"))
        let to = try #require(try request.headers.to)
        #expect(to.displayName?.utf8.contains(0) == true)
    }

    @Test func escapesAreResolvedOnce() throws {
        let request = try request("rfc4475/esc01.dat")
        #expect(request.uri.sipURI?.unescapedUser == "sips:user@example.com")
        #expect(try request.headers.to?.uri.sipURI?.unescapedUser == "user")
        #expect(try request.headers.from?.uri.sipURI?.unescapedUser == "I have spaces")
        let contact = try #require(try request.headers.contact()?.addresses.first?.uri.sipURI)
        #expect(contact.unescapedUser == "caller")
        let name = try #require(contact.parameters.first { PercentEncoding.unescape($0.name) == "name" })
        #expect(name.value.map(PercentEncoding.unescape) == "value%41")
    }

    @Test func escapedNullsAreKept() throws {
        let request = try request("rfc4475/escnull.dat")
        #expect(try request.headers.to?.uri.sipURI?.unescapedUser == "null-\u{0}-null")
        let contacts = try #require(try request.headers.contact()).addresses
        #expect(contacts.map { $0.uri.sipURI?.unescapedUser } == ["\u{0}", "\u{0}\u{0}"])
    }

    @Test func percentThatIsNotAnEscape() throws {
        let request = try request("rfc4475/esc02.dat")
        #expect(request.method != .register)
        #expect(try request.headers.to?.displayName == "%Z%45")
        #expect(try request.headers.contact()?.addresses.count == 2)
        #expect(request.headers.first("C%6Fntact") != nil)
    }

    @Test func semicolonInUserPart() throws {
        let request = try request("rfc4475/semiuri.dat")
        #expect(request.uri.sipURI?.unescapedUser == "user;par=u@example.net")
        #expect(request.uri.sipURI?.host == .hostname("example.com"))
        #expect(request.headers.tokens(.accept).count == 6)
    }

    @Test func trailingOctetsOfADatagramAreIgnored() throws {
        let request = try request("rfc4475/dblreq.dat")
        #expect(request.method == .register)
        #expect(request.body.readableBytes == 0)
        #expect(!String(buffer: request.serialized).contains("INVITE"))
    }

    @Test func trailingOctetsOnAStreamAreTheNextMessage() throws {
        let torture = try #require(TortureManifest.cases.first { $0.file == "rfc4475/dblreq.dat" })
        var framer = SIPStreamFramer()
        framer.append(ByteBuffer(bytes: torture.bytes))
        var methods: [SIPMethod] = []
        // Over a stream the bytes after the REGISTER are a second message (RFC 3261 section 18.3); what
        // follows that INVITE's 150-byte body is not a message, and the framer says so.
        do {
            for _ in 0..<8 {
                guard let frame = try framer.next() else { break }
                if case .message(.request(let request)) = frame { methods.append(request.method) }
            }
        } catch {
            #expect(error.status == .badRequest)
        }
        #expect(methods == [.register, .invite])
    }

    @Test func contentLengthLargerThanTheMessageWaitsOnAStream() throws {
        let torture = try #require(TortureManifest.cases.first { $0.file == "rfc4475/clerr.dat" })
        var framer = SIPStreamFramer()
        framer.append(ByteBuffer(bytes: torture.bytes))
        // RFC 4475 section 3.1.2.2: a stream waits for the rest (the transport closes it on a timeout).
        #expect(try framer.next() == nil)
        #expect(framer.bufferedBytes > 0)
    }

    @Test func multipartBodyWithNulBytes() throws {
        let request = try request("rfc4475/mpart01.dat")
        #expect(request.body.readableBytes == 553)
        #expect(request.body.readableBytesView.contains(0))
    }

    @Test func unknownSchemesParse() throws {
        let unknown = try request("rfc4475/unkscm.dat")
        #expect(unknown.uri == .other(scheme: "nobodyKnowsThisScheme", rest: "totallyopaquecontent"))
        let headers = try request("rfc4475/unksm2.dat").headers
        #expect(try headers.to?.uri.scheme == "isbn")
        #expect(try headers.contact()?.addresses.first?.uri.scheme == "name")
    }

    @Test func contactParameterVersusURIParameter() throws {
        let headerParameter = try #require(try request("rfc4475/cparam01.dat").headers.contact()?.addresses.first)
        #expect(headerParameter.parameters.contains(named: "unknownparam"))
        #expect(headerParameter.uri.sipURI?.parameters.isEmpty == true)
        let uriParameter = try #require(try request("rfc4475/cparam02.dat").headers.contact()?.addresses.first)
        #expect(uriParameter.parameters.isEmpty)
        #expect(uriParameter.uri.sipURI?.parameters.contains(named: "unknownparam") == true)
        let escapedHeader = try #require(try request("rfc4475/regescrt.dat").headers.contact()?.addresses.first)
        #expect(escapedHeader.uri.sipURI?.headers.first?.name == "Route")
    }

    @Test func emptyReasonPhrase() throws {
        let response = try #require(try message("rfc4475/noreason.dat").response)
        #expect(response.status == .trying)
        #expect(response.reasonPhrase == "")
    }

    @Test func rfc2543InviteTakesTheRestOfTheDatagram() throws {
        let request = try request("rfc4475/inv2543.dat")
        #expect(request.headers.first(.contentLength) == nil)
        #expect(request.body.readableBytes > 0)
        #expect(try request.headers.topVia?.branch == nil)
    }

    @Test func broadcastViaIsReadable() throws {
        let response = try #require(try message("rfc4475/bcast.dat").response)
        #expect(try response.headers.via.last?.host == .ipv4("255.255.255.255"))
    }

    @Test func missingBranchValue() throws {
        let request = try request("rfc4475/badbranch.dat")
        #expect(try request.headers.topVia?.branch?.isRFC3261 == false)
    }

    @Test func ipv6References() throws {
        let ambiguous = try request("rfc5118/port-ambiguous.dat")
        #expect(ambiguous.uri.sipURI?.host == .ipv6("2001:db8::10:5070"))
        #expect(ambiguous.uri.sipURI?.port == nil)
        let unambiguous = try request("rfc5118/port-unambiguous.dat")
        #expect(unambiguous.uri.sipURI?.host == .ipv6("2001:db8::10"))
        #expect(unambiguous.uri.sipURI?.port == 5070)
        let withDelimiters = try request("rfc5118/via-received-param-with-delim.dat")
        #expect(try withDelimiters.headers.topVia?.received == "[2001:db8::9:255]")
        let withoutDelimiters = try request("rfc5118/via-received-param-no-delim.dat")
        #expect(try withoutDelimiters.headers.topVia?.received == "2001:db8::9:255")
        let mixed = try message("rfc5118/mult-ip-in-header.dat")
        #expect(try mixed.headers.via.count >= 2)
    }
}
