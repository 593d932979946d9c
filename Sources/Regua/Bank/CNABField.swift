import Foundation

/// Text as banks accept it in fixed-width files and in the PIX BR Code: upper-case ASCII
/// letters, digits, spaces and `. , - /`, no accents, no ç (brcobranca and laravel-boleto
/// normalise so; bank manuals ask for "caixa alta, sem acentuação e sem cedilha").
enum CNABText {
    /// Accents dropped (á → A, ç → C), a few ligatures spelled out (ß → SS, Æ → AE, & → E),
    /// anything else (controls, CR/LF, symbols, emoji) turned into a space; runs of spaces
    /// collapsed and the ends trimmed. The result is never longer than 2 bytes per character.
    static func normalize(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        func put(_ c: UInt8) {
            if c == 32 && (out.isEmpty || out.last == 32) { return }
            out.append(c)
        }
        for ch in text {
            if let a = ch.asciiValue {
                put(mapASCII(a))
                continue
            }
            if let spelled = ligatures[ch] {
                for b in spelled.utf8 { put(b) }
                continue
            }
            // Canonical decomposition splits "é" into "e" + U+0301; keep the base letter.
            let base = String(ch).decomposedStringWithCanonicalMapping.unicodeScalars.first
            if let b = base, b.isASCII, let a = UInt8(exactly: b.value), isLetterOrDigit(a) {
                put(mapASCII(a))
            } else {
                put(32)
            }
        }
        if out.last == 32 { out.removeLast() }
        return out
    }

    /// The normalised text as a String.
    static func normalized(_ text: String) -> String {
        String(decoding: normalize(text), as: UTF8.self)
    }

    private static let ligatures: [Character: String] = [
        "ß": "SS", "Æ": "AE", "æ": "AE", "Œ": "OE", "œ": "OE", "Ø": "O", "ø": "O",
        "Đ": "D", "đ": "D", "Ł": "L", "ł": "L", "ª": "A", "º": "O",
    ]

    private static func isLetterOrDigit(_ a: UInt8) -> Bool {
        (a >= 48 && a <= 57) || (a >= 65 && a <= 90) || (a >= 97 && a <= 122)
    }

    private static func mapASCII(_ a: UInt8) -> UInt8 {
        switch a {
        case 97...122: return a - 32
        case 48...57, 65...90, 32: return a
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: "/"): return a
        case UInt8(ascii: "&"): return UInt8(ascii: "E")
        default: return 32
        }
    }
}

/// One fixed-width record (240 bytes for CNAB 240) filled field by field, 1-based inclusive
/// positions as the manuals print them.
///
/// Width policy: numbers are never cut (a cut amount is a wrong amount), so a number that
/// does not fit throws; text is normalised (``CNABText``) and then cut to the field, so a
/// 200-character name cannot move a column. Nothing here traps: misuse throws.
struct CNABRecord {
    /// The record's bytes; blanks until written.
    private(set) var bytes: [UInt8]

    /// A record of `width` blanks.
    init(width: Int = 240) {
        bytes = [UInt8](repeating: 32, count: width)
    }

    /// Numeric field: right-aligned, zero-filled; throws when `value` is negative or too wide.
    mutating func num(_ from: Int, _ to: Int, _ value: Int64, _ field: String) throws {
        guard value >= 0 else { throw BankError("\(field) is negative (\(value))") }
        try digits(from, to, String(value), field)
    }

    /// Numeric field from digit text (leading zeros kept); with `letters`, upper-case letters
    /// are allowed too (the alphanumeric CNPJ of IN RFB 2.229/2024).
    mutating func digits(_ from: Int, _ to: Int, _ text: String, _ field: String, letters: Bool = false) throws {
        let width = try range(from, to, field)
        let u = Array(text.utf8)
        guard u.allSatisfy({ ($0 >= 48 && $0 <= 57) || (letters && $0 >= 65 && $0 <= 90) }) else {
            throw BankError("\(field) \"\(text)\" must be digits")
        }
        guard u.count <= width else {
            throw BankError(
                "\(field) \(text) has \(u.count) digits; the field holds \(width) (positions \(from)–\(to))")
        }
        let start = from - 1
        for i in 0..<width { bytes[start + i] = 48 }
        for (i, c) in u.enumerated() { bytes[start + width - u.count + i] = c }
    }

    /// Alphanumeric field: normalised, left-aligned, blank-filled, cut to the width.
    mutating func alpha(_ from: Int, _ to: Int, _ text: String, _ field: String = "text") throws {
        let width = try range(from, to, field)
        var u = CNABText.normalize(text)
        if u.count > width { u.removeLast(u.count - width) }
        while u.last == 32 { u.removeLast() }
        let start = from - 1
        for i in 0..<width { bytes[start + i] = i < u.count ? u[i] : 32 }
    }

    /// A constant of exactly the field's width (`"0014"`, `"09"`, zeros); throws otherwise.
    mutating func literal(_ from: Int, _ to: Int, _ text: String, _ field: String = "constant") throws {
        let width = try range(from, to, field)
        let u = Array(text.utf8)
        guard u.count == width, u.allSatisfy({ $0 >= 32 && $0 < 127 }) else {
            throw BankError("internal: \(field) \"\(text)\" is not \(width) ASCII characters (positions \(from)–\(to))")
        }
        for (i, c) in u.enumerated() { bytes[from - 1 + i] = c }
    }

    /// Zeros over the field.
    mutating func zeros(_ from: Int, _ to: Int) throws {
        let width = try range(from, to, "zeros")
        for i in 0..<width { bytes[from - 1 + i] = 48 }
    }

    /// `DDMMYYYY`, or zeros when the day is nil.
    mutating func date(_ from: Int, _ day: Day?, _ field: String) throws {
        guard let d = day else { return try zeros(from, from + 7) }
        try literal(from, from + 7, d.ddmmyyyy, field)
    }

    private func range(_ from: Int, _ to: Int, _ field: String) throws -> Int {
        guard from >= 1, to >= from, to <= bytes.count else {
            throw BankError("internal: \(field) at positions \(from)–\(to) is outside a \(bytes.count)-byte record")
        }
        return to - from + 1
    }
}
