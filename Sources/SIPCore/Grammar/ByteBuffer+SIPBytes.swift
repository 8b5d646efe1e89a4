import NIOCore

extension ByteBuffer {
    /// `withUnsafeReadableBytes` for parse functions with typed throws (a `rethrows` function erases the
    /// error type).
    @inline(__always)
    func withSIPBytes<Result>(_ body: (UnsafeRawBufferPointer) throws(SIPParseError) -> Result)
        throws(SIPParseError) -> Result
    {
        let result: Swift.Result<Result, SIPParseError> = withUnsafeReadableBytes { bytes in
            do throws(SIPParseError) {
                return .success(try body(bytes))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
