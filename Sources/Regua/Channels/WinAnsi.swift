import Foundation

/// PDF's WinAnsiEncoding (Windows code page 1252, PDF 1.4 Reference Appendix D): the byte
/// code of each character for the core fonts, and the text widths that follow from it.
enum WinAnsi {
    /// The byte that stands for a character not in the encoding.
    static let replacement: UInt8 = UInt8(ascii: "?")

    /// Code points of 0x80–0x9F, where cp1252 differs from Latin-1 (0 = undefined).
    private static let high: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178,
    ]

    private static let reverseHigh: [UInt32: UInt8] = {
        var m: [UInt32: UInt8] = [:]
        for (i, v) in high.enumerated() where v != 0 { m[v] = UInt8(0x80 + i) }
        return m
    }()

    /// The code of one scalar: ASCII and Latin-1 as themselves, the cp1252 extras (€ ‘ ’ “ ” –
    /// — … • ™ Œ œ Š š Ž ž Ÿ ƒ ˆ ˜ † ‡ ‰ ‹ ›) at 0x80–0x9F, white space and controls as a
    /// space, anything else `?`.
    static func code(_ s: Unicode.Scalar) -> UInt8 {
        let v = s.value
        switch v {
        case 0x20...0x7E: return UInt8(v)
        case 0xA0...0xFF: return UInt8(v)
        case 0..<0x20, 0x7F, 0x80...0x9F: return 0x20
        default:
            if let c = reverseHigh[v] { return c }
            if s.properties.isWhitespace { return 0x20 }
            return replacement
        }
    }

    /// The bytes of a string (canonically composed first, so `a` + combining tilde is `ã`).
    /// Invisible format characters (zero-width space and joiners, soft hyphen, BOM) vanish.
    static func encode(_ text: String) -> [UInt8] {
        // Most letter text is ASCII: each UTF-8 byte is then its own scalar, needs no
        // normalising and is no format character, so `code` applies byte by byte.
        if let ascii = text.utf8.withContiguousStorageIfAvailable({ encodeASCII($0) }), let ascii { return ascii }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        // Normalising is costly and only needed when combining marks are present ("c" + U+0327).
        let needsNFC = text.unicodeScalars.contains { $0.value >= 0x300 && $0.value <= 0x36F }
        for s in (needsNFC ? text.precomposedStringWithCanonicalMapping : text).unicodeScalars {
            // Latin-1's letters and signs (ã, é, ç, º) are no format character; only the soft
            // hyphen is, so the Unicode tables are read only past Latin-1.
            if s.value >= 0x80, s.value == 0xAD || (s.value > 0xFF && s.properties.generalCategory == .format) {
                continue
            }
            out.append(code(s))
        }
        return out
    }

    /// ``code(_:)`` of each byte of all-ASCII UTF-8; `nil` when a byte is not ASCII.
    private static func encodeASCII(_ utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: utf8.count)
        for (i, b) in utf8.enumerated() {
            guard b < 0x80 else { return nil }
            out[i] = b >= 0x20 && b != 0x7F ? b : 0x20
        }
        return out
    }

    /// Width of one encoded byte in 1/1000 em (codes below 0x20 have none).
    @inline(__always)
    private static func units(_ b: UInt8, _ table: UnsafeBufferPointer<UInt16>) -> Int {
        b >= 0x20 ? Int(table[Int(b) - 0x20]) : 0
    }

    /// Width of encoded text in points.
    static func width(_ bytes: some Sequence<UInt8>, font: PDFFont, size: Double) -> Double {
        font.widths.withUnsafeBufferPointer { table in
            var units = 0
            for b in bytes { units += Self.units(b, table) }
            return Double(units) * size / 1000
        }
    }

    /// Width of one encoded byte in points: the same value as `width([b], …)`, without the array.
    static func width(_ b: UInt8, font: PDFFont, size: Double) -> Double {
        font.widths.withUnsafeBufferPointer { Double(units(b, $0)) * size / 1000 }
    }

    /// Breaks encoded text into lines no wider than `maxWidth`: at spaces where possible, and
    /// inside a word (between characters: one byte is one character) when the word alone is
    /// too wide, as a linha digitável or a PIX code may be. Runs of spaces collapse to one.
    static func wrap(_ bytes: [UInt8], font: PDFFont, size: Double, maxWidth: Double) -> [[UInt8]] {
        font.widths.withUnsafeBufferPointer { table in
            var lines: [[UInt8]] = []
            var current: [UInt8] = []
            let spaceWidth = Double(units(0x20, table)) * size / 1000
            var currentWidth = 0.0
            var i = bytes.startIndex
            // Words are scanned in place (no array per word); widths are summed in integer units
            // and scaled once per word, exactly as `width(_:font:size:)` does.
            while i < bytes.endIndex {
                if bytes[i] == 0x20 {
                    i += 1
                    continue
                }
                let start = i
                var wordUnits = 0
                while i < bytes.endIndex, bytes[i] != 0x20 {
                    wordUnits += units(bytes[i], table)
                    i += 1
                }
                let word = bytes[start..<i]
                let w = Double(wordUnits) * size / 1000
                if !current.isEmpty, currentWidth + spaceWidth + w <= maxWidth {
                    current.append(0x20)
                    current += word
                    currentWidth += spaceWidth + w
                    continue
                }
                if !current.isEmpty { lines.append(current) }
                current = []
                currentWidth = 0
                if w <= maxWidth {
                    current += word
                    currentWidth = w
                    continue
                }
                for b in word {  // a word wider than the column: break it by characters
                    let bw = Double(units(b, table)) * size / 1000
                    if !current.isEmpty, currentWidth + bw > maxWidth {
                        lines.append(current)
                        current = []
                        currentWidth = 0
                    }
                    current.append(b)
                    currentWidth += bw
                }
            }
            if !current.isEmpty { lines.append(current) }
            return lines
        }
    }
}
