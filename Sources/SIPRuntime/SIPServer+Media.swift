import NIOCore
import SIPCore
import SIPServices
import SIPTransactions
import SIPTransport

/// Media anchoring in the proxy (DESIGN.md "Flows"): SDP that crosses between a browser and a device
/// goes through the media anchor, one session per call branch; re-INVITE and UPDATE keep the session,
/// and failure, CANCEL and BYE free it.
extension SIPServer {
    enum OfferAnchoring {
        case none
        case anchored(MediaBranch)
        case rejected(String)
    }

    static func legKind(_ transport: SIPTransportKind) -> MediaLegKind {
        transport == .ws || transport == .wss ? .web : .device
    }

    /// A forwarded INVITE or UPDATE with an SDP offer (or an INVITE without one), on its way from `source`
    /// to `destination`.
    func anchorOffer(_ forwarded: inout SIPRequest, source: SIPSource, destination: SIPDestination) -> OfferAnchoring {
        guard let anchor = mediaAnchor, forwarded.method == .invite || forwarded.method == .update,
            let callID = (try? forwarded.headers.callID)??.value
        else { return .none }
        let from = Self.legKind(source.transport)
        let answerFrom = Self.legKind(destination.transport)
        guard from != answerFrom, let (key, isInitial) = anchorKey(of: forwarded, callID: callID) else { return .none }
        guard let sdp = Self.sdpBody(forwarded.headers, forwarded.body) else {
            // An INVITE without an offer: the callee offers in its 2xx (RFC 3264 section 5), whether it
            // starts the dialog or refreshes an anchored one.
            guard forwarded.method == .invite, forwarded.body.readableBytes == 0 else { return .none }
            var media = MediaBranch(key: key, answerFrom: answerFrom, isInitial: isInitial)
            media.offerInResponse = true
            return .anchored(media)
        }
        switch anchor.offer(sdp, key: key, from: from, isInitial: isInitial, signallingHost: source.remote.host) {
        case .rewritten(let text):
            Self.setSDPBody(text, headers: &forwarded.headers, body: &forwarded.body)
            return .anchored(MediaBranch(key: key, answerFrom: answerFrom, isInitial: isInitial))
        case .unchanged:
            return .none
        case .rejected(let reason):
            if isInitial { anchor.release(key) }
            logger.info("media offer refused", metadata: ["sip.call_id": "\(callID)", "reason": "\(reason)"])
            return .rejected(reason)
        }
    }

    /// The session an offer belongs to: its dialog's, for a request inside a dialog Parley anchored; a
    /// new one per branch for a first INVITE. Nil inside a dialog Parley did not anchor.
    private func anchorKey(of request: SIPRequest, callID: String) -> (key: MediaAnchorKey, isInitial: Bool)? {
        if let toTag = (try? request.headers.to)??.tag?.value {
            guard let fromTag = (try? request.headers.from)??.tag?.value,
                let existing = mediaDialogs[MediaDialogKey(callID: callID, tag: fromTag, otherTag: toTag)]
            else { return nil }
            return (existing, false)
        }
        guard let branch = (try? request.headers.topVia)??.branch?.value else { return nil }
        return (MediaAnchorKey(callID: callID, branch: branch), true)
    }

    /// A response on an anchored branch: its SDP answer is rewritten; a 2xx to the first INVITE ties the
    /// session to the dialog; a failure of the first INVITE frees it.
    func anchorResponse(_ response: inout SIPResponse, branch: ClientTransactionID, from peer: SIPDestination?) {
        guard let anchor = mediaAnchor, var media = mediaBranches[branch] else { return }
        let code = response.status.code
        if media.offerInResponse {
            anchorResponseOffer(&response, media: &media, branch: branch, anchor: anchor, peer: peer)
        } else if (101..<300).contains(code), let sdp = Self.sdpBody(response.headers, response.body) {
            let host = peer?.remote.host ?? ""
            switch anchor.answer(sdp, key: media.key, from: media.answerFrom, signallingHost: host) {
            case .rewritten(let text):
                Self.setSDPBody(text, headers: &response.headers, body: &response.body)
            case .unchanged:
                break
            case .rejected(let reason):
                logger.warning(
                    "media answer not bridged", metadata: ["media.session": "\(media.key)", "reason": "\(reason)"])
            }
        }
        // A delayed-offer dialog is anchored only if its 2xx offer was.
        let anchored = !media.offerInResponse || media.rewrittenResponseOffer != nil
        if (200..<300).contains(code), media.isInitial, !media.established, anchored,
            let fromTag = (try? response.headers.from)??.tag?.value, let toTag = (try? response.headers.to)??.tag?.value
        {
            media.established = true
            mediaBranches[branch] = media
            let dialog = MediaDialogKey(callID: media.key.callID, tag: fromTag, otherTag: toTag)
            mediaDialogs[dialog] = media.key
        } else if code >= 300, media.isInitial, !media.established {
            anchor.release(media.key)
            mediaBranches[branch] = nil
        }
    }

    /// A 2xx offering for an INVITE that had none: rewritten as an offer toward the caller; the caller's
    /// answer comes in the ACK (`anchorACK`). A 2xx without SDP breaks RFC 3264 and is left alone.
    private func anchorResponseOffer(
        _ response: inout SIPResponse, media: inout MediaBranch, branch: ClientTransactionID, anchor: any MediaAnchor,
        peer: SIPDestination?
    ) {
        guard (200..<300).contains(response.status.code), let sdp = Self.sdpBody(response.headers, response.body)
        else { return }
        if let rewritten = media.rewrittenResponseOffer {
            Self.setSDPBody(rewritten, headers: &response.headers, body: &response.body)
            return
        }
        let host = peer?.remote.host ?? ""
        switch anchor.offer(
            sdp, key: media.key, from: media.answerFrom, isInitial: media.isInitial, signallingHost: host)
        {
        case .rewritten(let text):
            Self.setSDPBody(text, headers: &response.headers, body: &response.body)
            media.rewrittenResponseOffer = text
            mediaBranches[branch] = media
        case .unchanged:
            break
        case .rejected(let reason):
            if media.isInitial { anchor.release(media.key) }
            logger.warning(
                "media offer in 2xx not bridged", metadata: ["media.session": "\(media.key)", "reason": "\(reason)"])
        }
    }

    /// The ACK of a delayed-offer dialog carries the answer (RFC 3264 section 5, RFC 3261 section 13.2.2.4).
    func anchorACK(_ ack: inout SIPRequest, from source: SIPDestination) {
        guard let anchor = mediaAnchor, let sdp = Self.sdpBody(ack.headers, ack.body),
            let callID = (try? ack.headers.callID)??.value, let fromTag = (try? ack.headers.from)??.tag?.value,
            let toTag = (try? ack.headers.to)??.tag?.value,
            let key = mediaDialogs[MediaDialogKey(callID: callID, tag: fromTag, otherTag: toTag)]
        else { return }
        switch anchor.answer(sdp, key: key, from: Self.legKind(source.transport), signallingHost: source.remote.host) {
        case .rewritten(let text):
            Self.setSDPBody(text, headers: &ack.headers, body: &ack.body)
        case .unchanged, .rejected:
            break
        }
    }

    /// A branch that ended without a response (timeout, transport failure, CANCEL ignored).
    func releaseFailedBranchMedia(_ branch: ClientTransactionID) {
        guard let media = mediaBranches[branch], media.isInitial, !media.established else { return }
        mediaAnchor?.release(media.key)
        mediaBranches[branch] = nil
    }

    /// BYE ends the dialog and its media (RFC 3261 section 15).
    func releaseDialogMedia(_ request: SIPRequest) {
        guard mediaAnchor != nil, request.method == .bye,
            let callID = (try? request.headers.callID)??.value,
            let fromTag = (try? request.headers.from)??.tag?.value,
            let toTag = (try? request.headers.to)??.tag?.value,
            let key = mediaDialogs.removeValue(forKey: MediaDialogKey(callID: callID, tag: fromTag, otherTag: toTag))
        else { return }
        mediaAnchor?.release(key)
    }

    static func sdpBody(_ headers: SIPHeaders, _ body: ByteBuffer) -> String? {
        guard body.readableBytes > 0, let type = headers.first(.contentType)?.valueString,
            type.lowercased().hasPrefix("application/sdp")
        else { return nil }
        return body.getString(at: body.readerIndex, length: body.readableBytes)
    }

    static func setSDPBody(_ text: String, headers: inout SIPHeaders, body: inout ByteBuffer) {
        var buffer = ByteBuffer()
        buffer.writeString(text)
        body = buffer
        headers.set(.contentType, "application/sdp")
    }
}
