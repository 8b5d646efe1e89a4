import SIPCore
import Testing

@testable import SIPServices

/// The sans-IO parts of chat: CPIM bodies (RFC 3862), their DateTime, room commands, and what each device
/// of a recipient is sent.
@Suite("Chat content")
struct ChatContentTests {
    @Test func cpimIsWrittenTheRFC3862WayAndReadBack() throws {
        let message = CPIMMessage(
            from: .init(name: "Bob \"the\" Builder", uri: "sip:bob@localhost"),
            to: .init(name: nil, uri: "sip:lobby@localhost"),
            dateTimeMs: 1_795_784_700_123, messageID: "42", contentType: "text/plain;charset=utf-8", body: "hi\r\nthere"
        )
        #expect(
            message.serialized == """
                From: "Bob \\"the\\" Builder" <sip:bob@localhost>\r
                To: <sip:lobby@localhost>\r
                DateTime: 2026-11-27T13:05:00.123Z\r
                NS: imdn <urn:ietf:params:imdn>\r
                imdn.Message-ID: 42\r
                \r
                Content-Type: text/plain;charset=utf-8\r
                \r
                hi\r
                there
                """)
        #expect(try CPIMMessage(parsing: message.serialized) == message)
    }

    @Test func aHeaderCannotSmuggleALineBreak() throws {
        let message = CPIMMessage(
            from: .init(name: "Eve\r\nTo: <sip:x@y>", uri: "sip:eve@localhost"), to: .init(name: nil, uri: "sip:a@b"),
            dateTimeMs: 0, messageID: nil, contentType: "text/plain", body: "x")
        let parsed = try CPIMMessage(parsing: message.serialized)
        #expect(parsed.from.name == "EveTo: <sip:x@y>")
        #expect(parsed.to.uri == "sip:a@b")
    }

    /// The example of RFC 3862 section 3.1, with its own namespace prefix and time offset.
    @Test func theRFCExampleParses() throws {
        let text = """
            From: MR SANDERS <im:piglet@100akerwood.com>\r
            To: Depressed Donkey <im:eeyore@100akerwood.com>\r
            DateTime: 2000-12-13T13:40:00-08:00\r
            Subject: the weather will be fine today\r
            NS: delivery <urn:ietf:params:imdn>\r
            delivery.Message-ID: abc\r
            \r
            Content-type: text/plain\r
            Content-ID: <1234567890@foo.com>\r
            \r
            Here is the text of my message.
            """
        let message = try CPIMMessage(parsing: text)
        #expect(message.from == .init(name: "MR SANDERS", uri: "im:piglet@100akerwood.com"))
        #expect(message.to.name == "Depressed Donkey")
        #expect(message.dateTimeMs == 976_743_600_000)
        #expect(message.messageID == "abc")
        #expect(message.contentType == "text/plain")
        #expect(message.body == "Here is the text of my message.")
        #expect(throws: CPIMMessage.ParseError.missingSeparator) { try CPIMMessage(parsing: "From: <a>\r\nTo: <b>") }
        #expect(throws: CPIMMessage.ParseError.missingHeader("To")) { try CPIMMessage(parsing: "From: <a>\n\n\nx") }
    }

    @Test func dateTimesRoundTripAcrossTheCalendar() {
        for milliseconds: Int64 in [0, 951_782_400_000, 4_107_542_399_999, 1_795_784_700_123, -1] {
            #expect(CPIMDateTime.parse(CPIMDateTime.format(milliseconds: milliseconds)) == milliseconds)
        }
        #expect(CPIMDateTime.format(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(CPIMDateTime.parse("2000-02-29T01:00:00+01:00") == 951_782_400_000)
        #expect(CPIMDateTime.parse("2000-13-01T00:00:00Z") == nil)
        #expect(CPIMDateTime.parse("yesterday") == nil)
    }

    @Test func onlyTheWholeTextIsACommand() {
        #expect(RoomCommand(text: "/join") == .join)
        #expect(RoomCommand(text: "  /Leave\r\n") == .leave)
        #expect(RoomCommand(text: "/join now") == nil)
        #expect(RoomCommand(text: "please /join") == nil)
        #expect(RoomCommand(text: "/jo in") == nil)
    }

    @Test func eachDeviceGetsTheFormItAccepts() throws {
        let message = StoredChatMessage(
            id: 7, conversation: .room("lobby"), sender: "bob", senderDevice: "bob-desk", contentType: "text/plain",
            body: "hello", createdAtMs: 1_000)
        let room = ChatRoom(name: "lobby", displayName: "Lobby", members: ["alice", "bob"])
        let plain = OutgoingChatMessage.room(
            message, in: room, domain: "localhost", senderName: "Bob", recipient: "alice", asCPIM: false)
        #expect(plain.from.headerValue == "\"Lobby\" <sip:lobby@localhost>")
        #expect(plain.to.headerValue == "<sip:alice@localhost>")
        #expect(plain.body == "Bob: hello")
        let wrapped = OutgoingChatMessage.room(
            message, in: room, domain: "localhost", senderName: nil, recipient: "alice", asCPIM: true)
        #expect(wrapped.contentType == "message/cpim")
        let cpim = try CPIMMessage(parsing: wrapped.body)
        #expect(cpim.from == .init(name: nil, uri: "sip:bob@localhost"))
        #expect(cpim.messageID == "7")
        #expect(cpim.body == "hello")

        let privateMessage = OutgoingChatMessage.privateMessage(
            message, recipient: "alice", domain: "localhost", senderName: "Bob", asCPIM: false)
        #expect(privateMessage.from.headerValue == "\"Bob\" <sip:bob@localhost>")
        #expect(privateMessage.body == "hello")
    }
}
