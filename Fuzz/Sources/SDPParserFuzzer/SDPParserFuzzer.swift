// Filled in once the SDP module's API lands.
@_cdecl("LLVMFuzzerTestOneInput")
public func sdpParserFuzzer(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    0
}
