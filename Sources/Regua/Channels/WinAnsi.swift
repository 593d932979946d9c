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
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        // Normalising is costly and only needed when combining marks are present ("c" + U+0327).
        let needsNFC = text.unicodeScalars.contains { $0.value >= 0x300 && $0.value <= 0x36F }
        for s in (needsNFC ? text.precomposedStringWithCanonicalMapping : text).unicodeScalars {
            if s.value >= 0x80, s.properties.generalCategory == .format { continue }
            out.append(code(s))
        }
        return out
    }

    /// Width of encoded text in points.
    static func width(_ bytes: some Sequence<UInt8>, font: PDFFont, size: Double) -> Double {
        let table = font.widths
        var units = 0
        for b in bytes where b >= 0x20 { units += Int(table[Int(b) - 0x20]) }
        return Double(units) * size / 1000
    }

    /// Breaks encoded text into lines no wider than `maxWidth`: at spaces where possible, and
    /// inside a word (between characters: one byte is one character) when the word alone is
    /// too wide, as a linha digitável or a PIX code may be. Runs of spaces collapse to one.
    static func wrap(_ bytes: [UInt8], font: PDFFont, size: Double, maxWidth: Double) -> [[UInt8]] {
        let words = bytes.split(separator: 0x20).map(Array.init)
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        let spaceWidth = width([0x20], font: font, size: size)
        var currentWidth = 0.0
        for word in words {
            let w = width(word, font: font, size: size)
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
                current = word
                currentWidth = w
                continue
            }
            for b in word {  // a word wider than the column: break it by characters
                let bw = width([b], font: font, size: size)
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
