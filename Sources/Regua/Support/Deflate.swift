import CZlib

/// zlib streams (RFC 1950, deflate inside) through the system zlib: the PNG image data of the
/// e-mails' QR codes. The only file that imports zlib. The same bytes and level always give
/// the same stream (zlib is deterministic), so a rerun's files are byte for byte the same.
enum Deflate {
    /// Fast: a QR code's pixel rows (6 kB at 4 pixels a module) become about 0.7 kB; level 6
    /// saves another 0.1 kB for twice the time (measured with Python's zlib, the same library).
    static let fast: Int32 = 1

    /// `data` as one zlib stream at `level` (1…9).
    static func zlib(_ data: [UInt8], level: Int32 = fast) -> [UInt8] {
        var size = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let status = compress2(&out, &size, data, uLong(data.count), level)
        // compressBound is enough room by zlib's contract, and memory errors abort first.
        precondition(status == Z_OK, "zlib compress2 failed: \(status)")
        out.removeLast(out.count - Int(size))
        return out
    }
}
