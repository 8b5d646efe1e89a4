import RTP
import Testing

@Suite("Serial arithmetic (RFC 1982)")
struct RTPSerialTests {
    @Test func sequenceNumbers() {
        let zero: UInt16 = 0
        let one: UInt16 = 1
        let five: UInt16 = 5
        let half: UInt16 = 0x8000
        let belowHalf: UInt16 = 0x7FFF
        let last: UInt16 = 65535

        let newer = [
            RTPSerial.isNewer(one, than: last),  // across the wrap
            RTPSerial.isNewer(last, than: one),
            RTPSerial.isNewer(five, than: five),
            RTPSerial.isNewer(belowHalf, than: zero),
            RTPSerial.isNewer(half, than: zero),  // exactly half the space: undefined, so neither is newer
            RTPSerial.isNewer(zero, than: half),
        ]
        #expect(newer == [true, false, false, true, false, false])

        let distances = [
            RTPSerial.distance(last, one),
            RTPSerial.distance(one, last),
            RTPSerial.distance(five, five),
            RTPSerial.distance(zero, belowHalf),
            RTPSerial.distance(zero, half),
        ]
        #expect(distances == [2, -2, 0, Int16.max, Int16.min])
    }

    @Test func timestamps() {
        let early: UInt32 = 0xFFFF_FFF0
        let late: UInt32 = 10
        let far: UInt32 = 0x8000_0000
        let zero: UInt32 = 0

        let newer = [
            RTPSerial.isNewer(late, than: early),
            RTPSerial.isNewer(early, than: late),
            RTPSerial.isNewer(late, than: late),
            RTPSerial.isNewer(far, than: zero),
        ]
        #expect(newer == [true, false, false, false])

        let distances = [
            RTPSerial.distance(early, late), RTPSerial.distance(late, early), RTPSerial.distance(zero, far),
        ]
        #expect(distances == [26, -26, Int32.min])
    }
}
