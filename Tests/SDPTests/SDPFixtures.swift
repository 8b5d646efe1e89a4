/// Session descriptions as real peers write them. Literals use LF; `crlf` turns them into wire form.
enum SDPFixtures {
    /// Joins the lines of a literal with CRLF and ends the last one too, as on the wire.
    static func crlf(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "\r\n" }.joined()
    }

    /// Chromium audio-only offer after ICE gathering (started with `--allow-loopback-in-peer-connection`).
    static let chromeOffer = crlf(
        """
        v=0
        o=- 5770226839281936457 2 IN IP4 127.0.0.1
        s=-
        t=0 0
        a=group:BUNDLE 0
        a=extmap-allow-mixed
        a=msid-semantic: WMS b157b676-bdd4-4d0c-b12b-3c2750f65035
        m=audio 50318 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
        c=IN IP4 127.0.0.1
        a=rtcp:9 IN IP4 0.0.0.0
        a=candidate:3028146350 1 udp 2122260223 127.0.0.1 50318 typ host generation 0 network-id 1 network-cost 10
        a=candidate:1961744214 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 network-id 1 network-cost 10
        a=ice-ufrag:aK3P
        a=ice-pwd:Yq2u0lT1hBkzX9d3GmN7pR5s
        a=ice-options:trickle
        a=fingerprint:sha-256 D0:C6:4B:3E:2F:86:69:08:82:8C:17:7D:BB:49:99:BC:24:92:01:90:3A:04:7A:09:1D:23:2F:1F:2F:7F:B4:A6
        a=setup:actpass
        a=mid:0
        a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=sendrecv
        a=msid:b157b676-bdd4-4d0c-b12b-3c2750f65035 1b70369c-f5c9-4b3b-bbe5-335985218f1a
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
        a=ssrc:2849412743 cname:Xo3bVq1m9sD4yTzL
        a=ssrc:2849412743 msid:b157b676-bdd4-4d0c-b12b-3c2750f65035 1b70369c-f5c9-4b3b-bbe5-335985218f1a
        """)

    /// Firefox audio-only offer: session-level fingerprint, alphabetical media attributes, uppercase transports,
    /// braced msid ids, `extmap:2/recvonly`, `end-of-candidates`.
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
        a=candidate:2 1 TCP 2105524479 192.168.1.23 9 typ host tcptype active
        a=candidate:1 1 UDP 1686052863 203.0.113.7 41734 typ srflx raddr 192.168.1.23 rport 41734
        a=sendrecv
        a=end-of-candidates
        a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=extmap:2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level
        a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid
        a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1
        a=fmtp:101 0-15
        a=ice-pwd:6f1379310e8465d2cf74fc662461e8a5
        a=ice-ufrag:fed34101
        a=mid:0
        a=msid:{74628d24-644c-4f39-aa7f-ca3887547821} {cdc74867-e352-470f-95d0-e747291422ca}
        a=rtcp-mux
        a=rtpmap:109 opus/48000/2
        a=rtpmap:9 G722/8000/1
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=setup:actpass
        a=ssrc:2655508255 cname:{4ad431ed-b242-4f5f-b312-0bda7c27fd93}
        """)

    /// baresip offer restricted to G.711: session-level c=, `a=tool`, SIP URI as cname, ptime.
    static let baresipOffer = crlf(
        """
        v=0
        o=- 1140145081 1649997976 IN IP4 127.0.0.1
        s=-
        c=IN IP4 127.0.0.1
        t=0 0
        a=tool:baresip 3.10.1
        m=audio 10008 RTP/AVP 0 8 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=sendrecv
        a=label:1
        a=rtcp-rsize
        a=ssrc:1613256890 cname:sip:alice@example.org
        a=ptime:20
        """)

    /// Linphone offer: static payload types without rtpmap, `a=rtcp` with a port only, colons in an opaque value.
    static let linphoneOffer = crlf(
        """
        v=0
        o=bob 3263 1828 IN IP4 127.0.0.1
        s=Talk
        c=IN IP4 127.0.0.1
        t=0 0
        a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics
        a=record:off
        m=audio 7078 RTP/AVP 0 8 101
        a=rtpmap:101 telephone-event/8000
        a=rtcp:7079
        a=rtcp-fb:* trr-int 5000
        a=rtcp-fb:* ccm tmmbr
        """)

    /// RFC 5118 section 4.3 style: IPv6 in o= and c=.
    static let ipv6Offer = crlf(
        """
        v=0
        o=assistant 971731711378798081 0 IN IP6 2001:db8::20
        s=Live video feed for today's meeting
        c=IN IP6 2001:db8::20
        t=3338481189 3370017201
        m=audio 6000 RTP/AVP 2
        a=rtpmap:2 G726-32/8000
        m=video 6024 RTP/AVP 107
        a=rtpmap:107 H263-1998/90000
        """)

    /// RFC 5118 section 4.5 style: a dual-stack ANAT offer with one c= per section and an empty s=.
    static let dualStackOffer = crlf(
        """
        v=0
        o=bob 280744730 28977631 IN IP4 host.example.com
        s=
        t=0 0
        a=group:ANAT 1 2
        m=audio 25000 RTP/AVP 0
        c=IN IP6 2001:db8::1
        a=mid:1
        m=audio 22334 RTP/AVP 0
        c=IN IP4 192.0.2.1
        a=mid:2
        """)

    /// aiortc answer: three fingerprints, candidates after the codecs, `setup:active`.
    static let aiortcAnswer = crlf(
        """
        v=0
        o=- 3906587223 3906587223 IN IP4 0.0.0.0
        s=-
        t=0 0
        a=group:BUNDLE 0
        a=msid-semantic:WMS *
        m=audio 52843 UDP/TLS/RTP/SAVPF 111 0 8
        c=IN IP4 127.0.0.1
        a=sendrecv
        a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
        a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=mid:0
        a=msid:cdc74867-e352-470f-95d0-e747291422ca 4ad431ed-b242-4f5f-b312-0bda7c27fd93
        a=rtcp:9 IN IP4 0.0.0.0
        a=rtcp-mux
        a=ssrc:3131459128 cname:498b8373-6ec7-412f-a6d9-00ae25166f36
        a=rtpmap:111 opus/48000/2
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=candidate:451a510e1c693e84f603177fa4a2315c 1 udp 2130706431 127.0.0.1 52843 typ host
        a=end-of-candidates
        a=ice-ufrag:1fcc
        a=ice-pwd:q3PjG0hV8xWzkR2mN5tY7b
        a=fingerprint:sha-256 4B:73:9D:18:FA:7E:23:E2:4F:0A:65:F6:89:52:F5:4F:EC:F0:E2:9B:FA:E8:B8:30:C4:9B:11:60:1E:F0:7B:70
        a=fingerprint:sha-384 68:D4:E4:BD:5F:15:73:4B:25:7D:57:FF:AD:04:E2:3D:01:A3:20:13:9A:B2:B9:7E:0E:15:75:BE:37:32:32:4B:D6:E3:02:98:E1:32:D8:0B:C9:FE:3A:52:8B:8B:A7:43
        a=fingerprint:sha-512 FF:90:6A:5B:9B:DD:1A:A6:D3:8B:6B:C1:BD:3F:F7:0E:26:3B:FC:04:88:F4:EE:D4:DB:6C:50:F3:6A:CE:95:6B:BB:F3:81:3E:62:09:59:44:32:D2:6D:58:E3:AF:BA:80:5F:A4:93:4B:34:47:68:3D:52:E0:E4:F5:49:7A:72:9B
        a=setup:active
        """)

    /// Every session-level field of RFC 8866 section 5 in order, with multicast addresses, repeat times, zones,
    /// k= and a port count.
    static let everyField = crlf(
        """
        v=0
        o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1
        s=Call to John Smith
        i=SDP Offer #1
        u=http://www.jdoe.example.com/home.html
        e=Jane Doe <jane@jdoe.example.com>
        e=ops@example.com (Operations)
        p=+1 617 555-6011
        c=IN IP4 233.252.0.1/127/3
        b=CT:128
        t=3034423619 3042462419
        r=604800 3600 0 90000
        r=7d 1h 0 25h
        t=0 0
        z=2882844526 -1h 2898848070 0
        k=prompt
        a=recvonly
        a=charset:UTF-8
        m=audio 49170/2 RTP/AVP 0
        i=main audio
        c=IN IP4 233.252.0.1/127
        c=IN IP4 233.252.0.2/127
        b=AS:64
        b=TIAS:64000
        k=clear:opaque-key-text
        a=ptime:20
        m=video 0 RTP/AVP 31
        """)

    static let roundTripCases: [(name: String, text: String)] = [
        ("Chrome offer", chromeOffer), ("Firefox offer", firefoxOffer), ("baresip offer", baresipOffer),
        ("Linphone offer", linphoneOffer), ("IPv6 offer", ipv6Offer), ("dual-stack offer", dualStackOffer),
        ("aiortc answer", aiortcAnswer), ("every field", everyField),
    ]
}
