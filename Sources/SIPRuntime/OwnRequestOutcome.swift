import SIPCore

/// How a request Parley sent as its own UAC ended: its final response, or no response at all (timeout,
/// transport failure), told as the status a proxy would have made of it (RFC 3261 sections 16.7, 16.9).
enum OwnRequestOutcome {
    case response(SIPResponse)
    case noResponse(SIPStatus)

    var status: SIPStatus {
        switch self {
        case .response(let response): return response.status
        case .noResponse(let status): return status
        }
    }

    var isSuccess: Bool { (200..<300).contains(status.code) }
}
