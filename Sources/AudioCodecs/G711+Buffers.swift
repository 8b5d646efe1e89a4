/// Whole frames, in place on caller-owned memory: the per-packet path allocates nothing.
extension G711 {
    /// Encodes samples as mu-law bytes, one per sample. Converts `min(samples.count, output.count)` samples
    /// and returns that count.
    @discardableResult
    public static func encodeMuLaw(
        _ samples: UnsafeBufferPointer<Int16>, into output: UnsafeMutableRawBufferPointer
    ) -> Int {
        let count = min(samples.count, output.count)
        guard count > 0, let source = samples.baseAddress, let destination = output.baseAddress else { return 0 }
        for index in 0..<count {
            destination.storeBytes(of: muLaw(from: source[index]), toByteOffset: index, as: UInt8.self)
        }
        return count
    }

    /// Encodes samples as A-law bytes, one per sample. Converts `min(samples.count, output.count)` samples
    /// and returns that count.
    @discardableResult
    public static func encodeALaw(
        _ samples: UnsafeBufferPointer<Int16>, into output: UnsafeMutableRawBufferPointer
    ) -> Int {
        let count = min(samples.count, output.count)
        guard count > 0, let source = samples.baseAddress, let destination = output.baseAddress else { return 0 }
        for index in 0..<count {
            destination.storeBytes(of: aLaw(from: source[index]), toByteOffset: index, as: UInt8.self)
        }
        return count
    }

    /// Decodes mu-law bytes to linear samples. Converts `min(bytes.count, output.count)` bytes and returns
    /// that count.
    @discardableResult
    public static func decodeMuLaw(
        _ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Int16>
    ) -> Int {
        expand(bytes, into: output, table: muLawToLinear)
    }

    /// Decodes A-law bytes to linear samples. Converts `min(bytes.count, output.count)` bytes and returns
    /// that count.
    @discardableResult
    public static func decodeALaw(
        _ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Int16>
    ) -> Int {
        expand(bytes, into: output, table: aLawToLinear)
    }

    /// One table lookup per byte; the table is borrowed once per frame.
    private static func expand(
        _ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Int16>, table: [Int16]
    ) -> Int {
        let count = min(bytes.count, output.count)
        guard count > 0, let source = bytes.baseAddress, let destination = output.baseAddress else { return 0 }
        table.withUnsafeBufferPointer { table in
            for index in 0..<count {
                destination[index] = table[Int(source.load(fromByteOffset: index, as: UInt8.self))]
            }
        }
        return count
    }
}
