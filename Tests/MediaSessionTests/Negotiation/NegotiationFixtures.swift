import MediaSession
import SDP

/// Session descriptions as real peers write them, and the codec lists they parse to. Literals use LF; `crlf`
/// turns them into wire form.
enum NegotiationFixtures {
    static func crlf(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "\r\n" }.joined()
    }

    // MARK: Web peers

    /// Chrome 120 audio-only offer after gathering (JsSIP `getUserMedia({audio: true})`): Opus, RED, G722, G.711,
    /// CN and two telephone-event rates, transport-wide CC, trickle, one SSRC.
    static let chromeOffer = crlf(
        """
        v=0
        o=- 7595655801978680453 2 IN IP4 127.0.0.1
        s=-
        t=0 0
        a=group:BUNDLE 0
        a=extmap-allow-mixed
        a=msid-semantic: WMS 4f5b1c2e-8d3a-4e6f-9b7c-1a2d3e4f5a6b
        m=audio 54400 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
        c=IN IP4 192.168.1.10
        a=rtcp:9 IN IP4 0.0.0.0
        a=candidate:1467250027 1 udp 2122260223 192.168.1.10 54400 typ host generation 0 network-id 1 network-cost 10
        a=candidate:2579345071 1 udp 1686052607 203.0.113.50 54400 typ srflx raddr 192.168.1.10 rport 54400 generation 0 network-id 1 network-cost 10
        a=candidate:435653019 1 tcp 1518280447 192.168.1.10 9 typ host tcptype active generation 0 network-id 1 network-cost 10
        a=ice-ufrag:Wk3z
        a=ice-pwd:1Ng7aTqL0vR4dXc9pYb2sMfE
        a=ice-options:trickle
        a=fingerprint:sha-256 CA:97:81:12:CA:1B:BD:CA:FA:C2:31:B3:9A:23:DC:4D:A7:86:EF:F8:14:7C:4E:72:B9:80:77:85:AF:EE:48:BB
        a=setup:actpass
        a=mid:0
        a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=sendrecv
        a=msid:4f5b1c2e-8d3a-4e6f-9b7c-1a2d3e4f5a6b 0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:111 opus/48000/2
        a=rtcp-fb:111 transport-cc
        a=fmtp:111 minptime=10;useinbandfec=1
        a=rtpmap:63 red/48000/2
        a=fmtp:63 111/111
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:13 CN/8000
        a=rtpmap:110 telephone-event/48000
        a=rtpmap:126 telephone-event/8000
        a=ssrc:3735928559 cname:q8Tz1mKcV4yN7pLd
        a=ssrc:3735928559 msid:4f5b1c2e-8d3a-4e6f-9b7c-1a2d3e4f5a6b 0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f
        """)

    /// Chrome with `bundlePolicy: "max-bundle"` and a video call whose video came first: the audio section is
    /// `a=bundle-only` with port 0 and rides on the transport of mid 0 (RFC 9143 section 7.2).
    static let chromeMaxBundleVideoFirstOffer = crlf(
        """
        v=0
        o=- 3409217614537812442 2 IN IP4 127.0.0.1
        s=-
        t=0 0
        a=group:BUNDLE 0 1
        a=extmap-allow-mixed
        a=msid-semantic: WMS
        m=video 54400 UDP/TLS/RTP/SAVPF 96 97
        c=IN IP4 192.168.1.10
        a=rtcp:9 IN IP4 0.0.0.0
        a=candidate:1467250027 1 udp 2122260223 192.168.1.10 54400 typ host generation 0 network-id 1
        a=ice-ufrag:Wk3z
        a=ice-pwd:1Ng7aTqL0vR4dXc9pYb2sMfE
        a=ice-options:trickle
        a=fingerprint:sha-256 CA:97:81:12:CA:1B:BD:CA:FA:C2:31:B3:9A:23:DC:4D:A7:86:EF:F8:14:7C:4E:72:B9:80:77:85:AF:EE:48:BB
        a=setup:actpass
        a=mid:0
        a=sendrecv
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:96 VP8/90000
        a=rtcp-fb:96 nack
        a=rtpmap:97 rtx/90000
        a=fmtp:97 apt=96
        m=audio 0 UDP/TLS/RTP/SAVPF 111 0
        c=IN IP4 0.0.0.0
        a=bundle-only
        a=mid:1
        a=sendrecv
        a=rtcp-mux
        a=rtpmap:111 opus/48000/2
        a=fmtp:111 minptime=10;useinbandfec=1
        a=rtpmap:0 PCMU/8000
        """)

    /// Chrome's answer to a Parley offer: `a=setup:active`, so Chrome is the DTLS client.
    static let chromeAnswer = crlf(
        """
        v=0
        o=- 1538046370826347197 2 IN IP4 127.0.0.1
        s=-
        t=0 0
        a=group:BUNDLE 0
        a=msid-semantic: WMS 4f5b1c2e-8d3a-4e6f-9b7c-1a2d3e4f5a6b
        m=audio 9 UDP/TLS/RTP/SAVPF 111 110
        c=IN IP4 0.0.0.0
        a=rtcp:9 IN IP4 0.0.0.0
        a=ice-ufrag:Zp8c
        a=ice-pwd:aB3dE5gH7jK9mN1pQ3sT5vX7
        a=ice-options:trickle
        a=fingerprint:sha-256 CA:97:81:12:CA:1B:BD:CA:FA:C2:31:B3:9A:23:DC:4D:A7:86:EF:F8:14:7C:4E:72:B9:80:77:85:AF:EE:48:BB
        a=setup:active
        a=mid:0
        a=sendrecv
        a=msid:4f5b1c2e-8d3a-4e6f-9b7c-1a2d3e4f5a6b 0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f
        a=rtcp-mux
        a=rtpmap:111 opus/48000/2
        a=fmtp:111 minptime=10;useinbandfec=1
        a=rtpmap:110 telephone-event/48000
        a=ssrc:1143233370 cname:q8Tz1mKcV4yN7pLd
        """)

    /// aiortc 1.4 offer: Opus on payload type 96, three fingerprints, media-level ICE credentials, one host
    /// candidate and end-of-candidates (aiortc does not trickle).
    static let aiortcOffer = crlf(
        """
        v=0
        o=- 3912064467 3912064467 IN IP4 0.0.0.0
        s=-
        t=0 0
        a=group:BUNDLE 0
        a=msid-semantic:WMS *
        m=audio 47381 UDP/TLS/RTP/SAVPF 96 0 8
        c=IN IP4 127.0.0.1
        a=sendrecv
        a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
        a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=mid:0
        a=msid:2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d 7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b
        a=rtcp:9 IN IP4 0.0.0.0
        a=rtcp-mux
        a=ssrc:1458214471 cname:3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f
        a=rtpmap:96 opus/48000/2
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=candidate:6d1e3b0a8f2c4e9d7b5a3c1e0f2d4b6a 1 udp 2130706431 127.0.0.1 47381 typ host
        a=end-of-candidates
        a=ice-ufrag:Hq3x
        a=ice-pwd:rT7mVb2LkP9sWq4ZcN8xYe
        a=fingerprint:sha-384 40:F9:8A:05:66:0B:F8:71:80:2E:E5:99:64:DE:19:45:BD:73:1A:45:CC:7F:48:E4:DA:DD:92:F3:4A:7E:EE:C0:89:E1:49:AD:8C:24:34:F1:17:92:E5:88:B7:40:D9:97
        a=fingerprint:sha-256 3E:23:E8:16:00:39:59:4A:33:89:4F:65:64:E1:B1:34:8B:BD:7A:00:88:D4:2C:4A:CB:73:EE:AE:D5:9C:00:9D
        a=fingerprint:sha-512 48:FB:10:B1:5F:3D:44:A0:9D:C8:2D:02:B0:65:81:E0:C0:C6:94:78:C9:FD:2C:F8:F9:09:36:59:01:9A:16:87:BA:EC:DB:B3:8C:9E:72:B1:21:69:DC:41:48:69:0F:87:46:7F:91:54:F5:93:1C:5D:F6:65:C6:49:6C:BF:D5:F5
        a=setup:actpass
        """)

    /// Firefox audio-only offer: session-level fingerprint and ice-options, telephone-event at 8000 Hz only.
    static let firefoxOffer = crlf(
        """
        v=0
        o=mozilla...THIS_IS_SDPARTA-99.0 7053466718931566389 0 IN IP4 0.0.0.0
        s=-
        t=0 0
        a=fingerprint:sha-256 2B:48:76:0A:6D:98:5F:61:29:C9:65:7B:1B:65:F1:BF:8B:A0:24:0B:AC:9A:08:50:63:1C:60:CB:AC:2D:A8:59
        a=group:BUNDLE 0
        a=ice-options:trickle
        a=msid-semantic:WMS *
        m=audio 41734 UDP/TLS/RTP/SAVPF 109 9 0 8 101
        c=IN IP4 192.168.1.23
        a=candidate:0 1 UDP 2122252543 192.168.1.23 41734 typ host
        a=sendrecv
        a=end-of-candidates
        a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1
        a=fmtp:101 0-15
        a=ice-pwd:6f1379310e8465d2cf74fc662461e8a5
        a=ice-ufrag:fed34101
        a=mid:0
        a=rtcp-mux
        a=rtpmap:109 opus/48000/2
        a=rtpmap:9 G722/8000/1
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=setup:actpass
        a=ssrc:2655508255 cname:{4ad431ed-b242-4f5f-b312-0bda7c27fd93}
        """)

    // MARK: Devices

    /// baresip 1.0 offer restricted to G.711: session-level c=, ptime, a SIP URI as cname.
    static let baresipOffer = crlf(
        """
        v=0
        o=- 1649218407 3409155281 IN IP4 127.0.0.1
        s=-
        c=IN IP4 127.0.0.1
        t=0 0
        a=tool:baresip 1.0.0
        m=audio 10002 RTP/AVP 0 8 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=sendrecv
        a=label:1
        a=ssrc:2072431489 cname:sip:alice@127.0.0.1
        a=rtcp-rsize
        a=ptime:20
        """)

    /// Linphone (linphonec 4.4) video call offer: Opus first, speex, static G.711 and G.729 without rtpmap,
    /// telephone-event at three rates, a=rtcp, and a video section Parley must reject.
    static let linphoneOffer = crlf(
        """
        v=0
        o=bob 1207 2581 IN IP4 127.0.0.1
        s=Talk
        c=IN IP4 127.0.0.1
        t=0 0
        a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics
        a=record:off
        m=audio 7078 RTP/AVP 96 97 98 0 8 18 101 99 100
        a=rtpmap:96 opus/48000/2
        a=fmtp:96 useinbandfec=1
        a=rtpmap:97 speex/16000
        a=fmtp:97 vbr=on
        a=rtpmap:98 speex/8000
        a=fmtp:98 vbr=on
        a=fmtp:18 annexb=yes
        a=rtpmap:101 telephone-event/48000
        a=rtpmap:99 telephone-event/16000
        a=rtpmap:100 telephone-event/8000
        a=rtcp:7079
        a=rtcp-fb:* trr-int 1000
        a=rtcp-fb:* ccm tmmbr
        m=video 9078 RTP/AVP 96
        a=rtpmap:96 VP8/90000
        a=rtcp:9079
        a=rtcp-fb:* trr-int 1000
        a=rtcp-fb:96 nack pli
        a=rtcp-fb:96 ccm fir
        """)

    /// A desk phone putting a call on hold the RFC 2543 way: c= 0.0.0.0, no direction attribute.
    static let zeroAddressHoldOffer = crlf(
        """
        v=0
        o=Polycom 1403797285 1403797286 IN IP4 192.0.2.40
        s=Polycom IP Phone
        c=IN IP4 0.0.0.0
        t=0 0
        m=audio 2228 RTP/AVP 0 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000
        """)

    // MARK: Codec lists the fixtures parse to

    static let chromeCodecs: [NegotiatedCodec] = [
        NegotiatedCodec(
            payloadType: 111, kind: .opus, clockRate: 48_000, channels: 2,
            formatParameters: "minptime=10;useinbandfec=1"),
        NegotiatedCodec(payloadType: 0, kind: .pcmu, clockRate: 8_000),
        NegotiatedCodec(payloadType: 8, kind: .pcma, clockRate: 8_000),
        NegotiatedCodec(payloadType: 110, kind: .telephoneEvent, clockRate: 48_000),
        NegotiatedCodec(payloadType: 126, kind: .telephoneEvent, clockRate: 8_000),
    ]

    static let aiortcCodecs: [NegotiatedCodec] = [
        NegotiatedCodec(payloadType: 96, kind: .opus, clockRate: 48_000, channels: 2),
        NegotiatedCodec(payloadType: 0, kind: .pcmu, clockRate: 8_000),
        NegotiatedCodec(payloadType: 8, kind: .pcma, clockRate: 8_000),
    ]

    static let firefoxCodecs: [NegotiatedCodec] = [
        NegotiatedCodec(
            payloadType: 109, kind: .opus, clockRate: 48_000, channels: 2,
            formatParameters: "maxplaybackrate=48000;stereo=1;useinbandfec=1"),
        NegotiatedCodec(payloadType: 0, kind: .pcmu, clockRate: 8_000),
        NegotiatedCodec(payloadType: 8, kind: .pcma, clockRate: 8_000),
        NegotiatedCodec(payloadType: 101, kind: .telephoneEvent, clockRate: 8_000, formatParameters: "0-15"),
    ]

    static let baresipCodecs: [NegotiatedCodec] = [
        NegotiatedCodec(payloadType: 0, kind: .pcmu, clockRate: 8_000),
        NegotiatedCodec(payloadType: 8, kind: .pcma, clockRate: 8_000),
        NegotiatedCodec(payloadType: 101, kind: .telephoneEvent, clockRate: 8_000, formatParameters: "0-15"),
    ]

    static let linphoneCodecs: [NegotiatedCodec] = [
        NegotiatedCodec(
            payloadType: 96, kind: .opus, clockRate: 48_000, channels: 2, formatParameters: "useinbandfec=1"),
        NegotiatedCodec(payloadType: 0, kind: .pcmu, clockRate: 8_000),
        NegotiatedCodec(payloadType: 8, kind: .pcma, clockRate: 8_000),
        NegotiatedCodec(payloadType: 101, kind: .telephoneEvent, clockRate: 48_000),
        NegotiatedCodec(payloadType: 99, kind: .telephoneEvent, clockRate: 16_000),
        NegotiatedCodec(payloadType: 100, kind: .telephoneEvent, clockRate: 8_000),
    ]

    // MARK: Parley's side

    /// sha-256 of "a", as the DTLS layer would print a certificate digest.
    static let localFingerprint =
        "CA:97:81:12:CA:1B:BD:CA:FA:C2:31:B3:9A:23:DC:4D:A7:86:EF:F8:14:7C:4E:72:B9:80:77:85:AF:EE:48:BB"

    static let localWeb = LocalWebRTCParameters(
        address: "192.0.2.10", port: 40_000, iceUfrag: "PaRl", icePwd: "0123456789abcdefABCDEF+/",
        fingerprint: localFingerprint, sessionID: 4_611_731_400_430_051_336, sessionVersion: 1, ssrc: 0x1234_5678,
        cname: "parley-1")

    static let localDevice = LocalDeviceParameters(
        address: "192.0.2.10", port: 30_000, sessionID: 1_700_000_001, sessionVersion: 1)
}
