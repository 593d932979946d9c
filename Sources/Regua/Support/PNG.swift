/// A minimal PNG encoder (ISO/IEC 15948) for black-and-white pictures such as QR codes:
/// 1-bit greyscale, no interlace, filter type 0 on every row, the image data in a zlib stream
/// (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4) with its Adler-32, each chunk with
/// its CRC-32. Stored blocks keep the encoder a few lines long; a 1-bit picture is small anyway.
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
        out.reserveCapacity(raw.count + raw.count / 65535 * 5 + 80)
        appendChunk("IHDR", header, to: &out)
        appendChunk("IDAT", zlibStored(raw), to: &out)
        appendChunk("IEND", [], to: &out)
        return out
    }

    /// A zlib stream holding `data` in stored (uncompressed) deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]  // deflate, 32 KiB window; 0x7801 is a multiple of 31
        out.reserveCapacity(data.count + data.count / 65535 * 5 + 16)
        var start = 0
        repeat {
            let n = min(65535, data.count - start)
            let final: UInt8 = start + n == data.count ? 1 : 0
            out.append(final)  // BFINAL, BTYPE 00
            out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[start..<(start + n)]
            start += n
        } while start < data.count
        appendBigEndian(adler32(data), to: &out)
        return out
    }

    /// Adler-32 (RFC 1950 §8.2).
    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        var i = 0
        while i < data.count {
            // 5552 bytes is the most that cannot overflow 32 bits before the modulo.
            let end = min(data.count, i + 5552)
            while i < end {
                a += UInt32(data[i])
                b += a
                i += 1
            }
            a %= 65521
            b %= 65521
        }
        return b << 16 | a
    }

    /// CRC-32 as PNG (and zlib, gzip) use it: reflected polynomial 0xEDB88320, initial and
    /// final XOR 0xFFFFFFFF ("123456789" → 0xCBF43926).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        crc32Update(0xFFFF_FFFF, bytes) ^ 0xFFFF_FFFF
    }

    /// The running CRC register after `bytes` (no initial or final XOR), a byte at a time: the
    /// plain twin the tests hold ``crc32Update(_:_:)`` to.
    static func crc32UpdateByBytes(_ register: UInt32, _ bytes: [UInt8]) -> UInt32 {
        let table = crcTables
        var c = register
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c
    }

    /// The running CRC register after `bytes` (no initial or final XOR), four bytes at a time
    /// ("slicing by 4": table k holds the CRC of a byte followed by k zero bytes), the last few
    /// byte by byte: every QR code of a night is a PNG of some kilobytes.
    static func crc32Update(_ register: UInt32, _ bytes: [UInt8]) -> UInt32 {
        let t = crcTables
        var c = register
        var i = 0
        while i + 4 <= bytes.count {
            c ^= UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            c =
                t[768 + Int(c & 0xFF)] ^ t[512 + Int((c >> 8) & 0xFF)] ^ t[256 + Int((c >> 16) & 0xFF)]
                ^ t[Int(c >> 24)]
            i += 4
        }
        while i < bytes.count {
            c = t[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8)
            i += 1
        }
        return c
    }

    /// Four tables of 256: the first is the byte-wise table, table k + 1 is table k advanced by
    /// one zero byte.
    private static let crcTables: [UInt32] = {
        var t: [UInt32] = (0..<256).map { n in
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            return c
        }
        for k in 1..<4 {
            for n in 0..<256 {
                let previous = t[(k - 1) * 256 + n]
                t.append(t[Int(previous & 0xFF)] ^ (previous >> 8))
            }
        }
        return t
    }()

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
