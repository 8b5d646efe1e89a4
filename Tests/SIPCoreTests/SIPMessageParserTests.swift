import Foundation
import NIOCore
import SIPCore
import Testing

@Suite("SIP message parser and serializer")
struct SIPMessageParserTests {
    @Test func registerParsesIntoTypedViews() throws {
        let request = try #require(try SIPTestMessages.decode(SIPTestMessages.register).request)
        #expect(request.method == .register)
        #expect(request.uri == .sip(SIPURI(host: .hostname("localhost"))))
        let via = try #require(try request.headers.topVia)
        #expect(via.transport == "UDP")
        #expect(via.host == .ipv4("127.0.0.1"))
        #expect(via.port == 5070)
        #expect(via.branch == Branch("z9hG4bK776asdhds"))
        #expect(via.wantsRPort)
        #expect(try request.headers.from?.tag == Tag("1928301774"))
        #expect(try request.headers.from?.displayName == "Alice")
        #expect(try request.headers.callID == CallID("a84b4c76e66710@127.0.0.1"))
        #expect(try request.headers.expires == 3600)
        let contact = try #require(try request.headers.contact()?.addresses.first)
        #expect(contact.expires == 3600)
        #expect(contact.parameters.first(named: "+sip.instance")?.unquotedValue
            == "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>")
    }

    @Test(arguments: [SIPTestMessages.register, SIPTestMessages.message])
    func serializationIsByteExact(_ text: String) throws {
        let message = try SIPTestMessages.decode(text)
        #expect(String(buffer: message.serialized) == text)
    }

    @Test func compactFormsAreKeptAndEqualTheirLongNames() throws {
        let text = SIPTestMessages.message.replacingOccurrences(of: "Call-ID:", with: "i:")
            .replacingOccurrences(of: "Content-Length:", with: "l:")
        let message = try SIPTestMessages.decode(text)
        #expect(message.headers.first(.callID)?.valueString == "asd88asd77a@df7jal23ls0d.invalid")
        #expect(message.headers.first("call-id") != nil)
        #expect(String(buffer: message.serialized) == text)
    }

    @Test func contentLengthFollowsTheBody() throws {
        var request = try #require(try SIPTestMessages.decode(SIPTestMessages.message).request)
        request.body = ByteBuffer(string: "hi")
        let text = String(buffer: request.serialized)
        #expect(text.contains("Content-Length: 2\r\n\r\nhi"))
        request.headers.remove(.contentLength)
        #expect(String(buffer: request.serialized).hasSuffix("Content-Length: 2\r\n\r\nhi"))
    }

    @Test func bareLineFeedsAreAccepted() throws {
        let text = SIPTestMessages.register.replacingOccurrences(of: "\r\n", with: "\n")
        let request = try #require(try SIPTestMessages.decode(text).request)
        #expect(try request.headers.cseq == CSeq(314_159, .register))
    }

    @Test func headerManipulation() throws {
        var headers = try SIPTestMessages.decode(SIPTestMessages.register).headers
        headers.prepend(.via, "SIP/2.0/TCP proxy.example.org;branch=z9hG4bKproxy")
        #expect(try headers.via.map(\.transport) == ["TCP", "UDP"])
        headers.removeFirstValue(.via)
        #expect(try headers.via.count == 1)
        headers.set(.maxForwards, "69")
        #expect(try headers.maxForwards == 69)
        headers.append(.route, "<sip:a.example.org;lr>, <sip:b.example.org;lr>")
        headers.removeFirstValue(.route)
        #expect(try headers.route.map { $0.uri.sipURI?.host } == [.hostname("b.example.org")])
        headers.set(.contact, toList: [NameAddress(uri: .sip(SIPURI(user: "x", host: .ipv4("192.0.2.9"))))])
        #expect(headers.first(.contact)?.valueString == "<sip:x@192.0.2.9>")
    }

    @Test func replyCopiesTheTransactionHeaders() throws {
        let request = try #require(try SIPTestMessages.decode(SIPTestMessages.register).request)
        let response = SIPResponse(replyingTo: request, status: .ok, toTag: Tag("srv1"))
        #expect(response.reasonPhrase == "OK")
        #expect(try response.headers.via == request.headers.via)
        #expect(try response.headers.to?.tag == Tag("srv1"))
        #expect(try response.headers.cseq == request.headers.cseq)
        let reparsed = try SIPTestMessages.decode(String(buffer: response.serialized))
        #expect(reparsed.response?.status == .ok)
        let trying = SIPResponse(replyingTo: request, status: .trying, toTag: Tag("srv1"))
        #expect(try trying.headers.to?.tag == nil)
    }

    @Test func typedBuildersProduceParseableValues() throws {
        let via = Via(transport: "WSS", host: .hostname("df7jal23ls0d.invalid"), parameters: [GenericParameter(name: "branch", value: "z9hG4bKabc")])
        #expect(try Via(parsing: via.headerValue) == via)
        let address = NameAddress(
            displayName: "Bell, \"Alexander\"", uri: .sip(SIPURI(user: "agb", host: .hostname("bell-tel.com"))),
            parameters: [GenericParameter(name: "tag", value: "43")])
        let reparsed = try NameAddress(parsing: address.headerValue)
        #expect(reparsed == address)
    }

    @Test(arguments: [
        ("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCSeq: x INVITE\r\n\r\n", 400),
        ("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 256\r\n\r\n", 400),
        ("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;;\r\n\r\n", 400),
        ("INVITE sip:a@b SIP/2.0\r\n no name\r\n\r\n", 400),
        ("INVITE sip:a@b SIP/2.0\r\nNo-Colon\r\n\r\n", 400),
        ("INVITE sip:a@b SIP/3.0\r\n\r\n", 505),
        ("INVITE sip:a@b SIP/2.0\r\nContent-Length: -1\r\n\r\n", 400),
        ("INVITE sip:a@b SIP/2.0\r\nContent-Length: 99999999\r\n\r\n", 413),
        ("INVITE sip:a@b SIP/2.0\r\nl: 1\r\nl: 1\r\n\r\nx", 400),
        ("INVITE sip:a@b SIP/2.0\r\nCall-ID: a\r\ni: b\r\n\r\n", 400),
        ("INVITE sip:a@b SIP/2.0\r\nFrom: <sip:a@b\r\n\r\n", 400),
        ("INVITE sip:a@b SIP/2.0\r\nContact: *, <sip:a@b>\r\n\r\n", 400),
        ("INVITE sip:a@b SIP/2.0\r\nContent-Length: 5\r\n\r\nabc", 400),
        ("INVITE  sip:a@b SIP/2.0\r\n\r\n", 400),
        ("INVITE <sip:a@b> SIP/2.0\r\n\r\n", 400),
        ("SIP/2.0 1000 Huge\r\n\r\n", 400),
        ("SIP/2.0 99 Low\r\n\r\n", 400),
        ("IN\u{0}VITE sip:a@b SIP/2.0\r\n\r\n", 400),
    ])
    func malformedMessagesCarryTheirStatus(_ text: String, _ status: Int) {
        guard case .rejected(let error, _) = SIPDatagramDecoder().decode(ByteBuffer(string: text)) else {
            Issue.record("accepted: \(text)")
            return
        }
        #expect(error.status.code == status, "\(error)")
        #expect(!error.reasonPhrase.isEmpty)
    }

    @Test func limitsAreEnforced() {
        var limits = SIPLimits()
        limits.maxHeaderCount = 4
        let many = SIPTestMessages.register
        guard case .rejected(let error, _) = SIPDatagramDecoder(limits: limits).decode(ByteBuffer(string: many)) else {
            Issue.record("too many headers accepted")
            return
        }
        #expect(error.kind == .tooManyHeaders)

        limits = SIPLimits(maxLineBytes: 40)
        guard case .rejected(let lineError, _) = SIPDatagramDecoder(limits: limits).decode(ByteBuffer(string: many))
        else {
            Issue.record("long line accepted")
            return
        }
        #expect(lineError.kind == .lineTooLong)

        let huge = ByteBuffer(repeating: UInt8(ascii: "a"), count: 70_000)
        guard case .rejected(let sizeError, _) = SIPDatagramDecoder().decode(huge) else {
            Issue.record("huge datagram accepted")
            return
        }
        #expect(sizeError.status == .messageTooLarge)
    }

    @Test func rejectedRequestKeepsItsHeadForTheAnswer() throws {
        let text = SIPTestMessages.register.replacingOccurrences(of: "CSeq: 314159 REGISTER", with: "CSeq: 314159 INVITE")
        guard case .rejected(let error, let head?) = SIPDatagramDecoder().decode(ByteBuffer(string: text)) else {
            Issue.record("mismatch accepted")
            return
        }
        #expect(error.kind == .methodMismatch)
        let answer = SIPResponse(replyingTo: head.headers, status: error.status, reasonPhrase: error.reasonPhrase)
        #expect(String(buffer: SIPMessage.response(answer).serialized).hasPrefix("SIP/2.0 400 Bad Request (CSeq"))
    }

    @Test func keepAliveDatagrams() {
        #expect(SIPDatagramDecoder().decode(ByteBuffer(string: "\r\n\r\n")) == .keepAlivePing)
        #expect(SIPDatagramDecoder().decode(ByteBuffer(string: "\r\n")) == .keepAlivePong)
    }
}
