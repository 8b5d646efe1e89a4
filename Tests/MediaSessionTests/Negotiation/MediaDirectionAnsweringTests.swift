import MediaSession
import SDP
import Testing

@Suite("Media direction answering")
struct MediaDirectionAnsweringTests {
    /// RFC 3264 section 6.1, every offered direction against every direction the answerer would like.
    static let rows: [(offered: MediaDirection, wanted: MediaDirection, answered: MediaDirection)] = [
        (.sendrecv, .sendrecv, .sendrecv), (.sendrecv, .sendonly, .sendonly),
        (.sendrecv, .recvonly, .recvonly), (.sendrecv, .inactive, .inactive),
        (.sendonly, .sendrecv, .recvonly), (.sendonly, .sendonly, .inactive),
        (.sendonly, .recvonly, .recvonly), (.sendonly, .inactive, .inactive),
        (.recvonly, .sendrecv, .sendonly), (.recvonly, .sendonly, .sendonly),
        (.recvonly, .recvonly, .inactive), (.recvonly, .inactive, .inactive),
        (.inactive, .sendrecv, .inactive), (.inactive, .sendonly, .inactive),
        (.inactive, .recvonly, .inactive), (.inactive, .inactive, .inactive),
    ]

    @Test func answeringTable() {
        #expect(Self.rows.count == 16)
        for row in Self.rows {
            #expect(
                MediaDirection.answering(row.offered, wanting: row.wanted) == row.answered,
                "\(row.offered) wanting \(row.wanted)")
        }
    }

    @Test func defaultWantsEverything() {
        for direction in MediaDirection.allCases {
            // Wanting sendrecv, the answer is the SDP module's mirror of the offer.
            #expect(MediaDirection.answering(direction) == direction.reversed)
        }
    }

    @Test func sendsAndReceivesRoundTrip() {
        for direction in MediaDirection.allCases {
            #expect(MediaDirection(sends: direction.sends, receives: direction.receives) == direction)
        }
    }
}
