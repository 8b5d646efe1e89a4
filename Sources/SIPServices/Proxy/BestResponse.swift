import SIPCore

/// Choosing the best final response of a forked request (RFC 3261 section 16.7 steps 6 and 7).
public enum BestResponse {
    /// 4xx responses a proxy should prefer, because the caller can act on them (section 16.7 step 6).
    static let actionable: Set<Int> = [401, 407, 415, 420, 484]

    public static func choose(_ responses: [SIPResponse]) -> SIPResponse? {
        guard !responses.isEmpty else { return nil }
        var chosen: SIPResponse
        if let global = responses.first(where: { $0.status.code >= 600 }) {
            chosen = global
        } else {
            let lowestClass = responses.map { $0.status.code / 100 }.min()!
            let inClass = responses.filter { $0.status.code / 100 == lowestClass }
            chosen = inClass.first { actionable.contains($0.status.code) } ?? inClass[0]
        }
        // Step 6: a 503 is not passed on; the proxy answers 500 instead (the caller must not retry us).
        if chosen.status.code == 503 {
            chosen.status = .serverInternalError
            chosen.reasonPhrase = "Server Internal Error (no target available)"
        }
        // Step 7: collect every challenge so that the caller can answer them all.
        if chosen.status.code == 401 || chosen.status.code == 407 {
            for other in responses where other != chosen {
                for field in other.headers where field.name == .wwwAuthenticate || field.name == .proxyAuthenticate {
                    chosen.headers.append(field)
                }
            }
        }
        return chosen
    }
}
