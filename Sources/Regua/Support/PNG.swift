/// A minimal PNG encoder (ISO/IEC 15948) for black-and-white pictures such as QR codes:
/// 1-bit greyscale, no interlace, filter type 0 on every row, the image data in a zlib stream
/// (RFC 1950) made by the system zlib (``Deflate``), each chunk with its CRC-32. A QR code's
/// rows are mostly repeats: 6 kB of pixels become well under 1 kB, so an e-mail's inline image
/// is small.
enum PNG {
    /// The file of a `width × height` picture; `isBlack(x, y)` gives each pixel, from the
    /// top-left corner.
    static func bilevel(width: Int, height: Int, isBlack: (Int, Int) -> Bool) -> [UInt8] {
        precondition(width > 0 && height > 0, "a PNG has at least one pixel")
        return bilevel(width: width, packedRows: (0..<height).map { y in packRow(width: width) { isBlack($0, y) } })
    }

    /// One row as PNG packs it: 8 pixels a byte, most significant bit first, 1 = white.
    static func packRow(width: Int, isBlack: (Int) -> Bool) -> [UInt8] {
        var row = [UInt8](repeating: 0, count: (width + 7) / 8)
        for x in 0..<width where !isBlack(x) { row[x / 8] |= 0x80 >> UInt8(x % 8) }
        return row
    }

    /// The file of rows already packed by ``packRow(width:isBlack:)``.
    static func bilevel(width: Int, packedRows: [[UInt8]]) -> [UInt8] {
        precondition(width > 0 && !packedRows.isEmpty, "a PNG has at least one pixel")
        var raw: [UInt8] = []
        raw.reserveCapacity(packedRows.count * ((width + 7) / 8 + 1))
        for row in packedRows {
            raw.append(0)  // filter type None
            raw += row
        }
        return bilevel(width: width, height: packedRows.count, filteredRows: raw)
    }

    /// The file of the image data itself: `height` lines, each its filter type byte (0, None)
    /// followed by the row as ``packRow(width:isBlack:)`` packs it.
    static func bilevel(width: Int, height: Int, filteredRows raw: [UInt8]) -> [UInt8] {
        precondition(width > 0 && height > 0, "a PNG has at least one pixel")
        precondition(raw.count == height * ((width + 7) / 8 + 1), "a filter byte and a packed row per line")
        var header: [UInt8] = []
        appendBigEndian(UInt32(width), to: &header)
        appendBigEndian(UInt32(height), to: &header)
        header += [1, 0, 0, 0, 0]  // bit depth 1, greyscale, deflate, filter method 0, no interlace
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        out.reserveCapacity(raw.count / 4 + 128)
        appendChunk("IHDR", header, to: &out)
        appendChunk("IDAT", Deflate.zlib(raw), to: &out)
        appendChunk("IEND", [], to: &out)
        return out
    }

    /// CRC-32 as PNG (and zlib, gzip) use it: reflected polynomial 0xEDB88320, initial and
    /// final XOR 0xFFFFFFFF ("123456789" → 0xCBF43926).
    static func crc32<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        crc32Update(0xFFFF_FFFF, bytes) ^ 0xFFFF_FFFF
    }

    /// The running CRC register after `bytes` (no initial or final XOR).
    private static func crc32Update<S: Sequence>(_ register: UInt32, _ bytes: S) -> UInt32 where S.Element == UInt8 {
        let table = crcTable
        var c = register
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to out: inout [UInt8]) {
        appendBigEndian(UInt32(data.count), to: &out)
        let typeBytes = Array(type.utf8)
        out += typeBytes
        out += data
        // The CRC covers the type and the data, run on without joining them.
        appendBigEndian(crc32Update(crc32Update(0xFFFF_FFFF, typeBytes), data) ^ 0xFFFF_FFFF, to: &out)
    }

    private static func appendBigEndian(_ v: UInt32, to out: inout [UInt8]) {
        out += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }
}
