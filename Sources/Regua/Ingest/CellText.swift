/// A cell's bytes inside the file buffer.
typealias CellBytes = UnsafeBufferPointer<UInt8>

/// A row refused while reading it: the column at fault ("" for the whole row) and why.
struct RowReject: Error {
    var column: String
    var reason: String
}

/// Byte-level helpers that turn trimmed cells into the values kept, and describe bad cells.
enum CellText {
    /// Longest free text kept (names, address parts, segment, tags), in Unicode scalars.
    static let maxTextScalars = 200
    /// Longest key (customer_id, title_id), in Unicode scalars.
    static let maxKeyScalars = 100
    /// Longest excerpt of a cell quoted in a reject reason, in Unicode scalars.
    static let maxEchoScalars = 60

    /// The cell without leading and trailing spaces, tabs, CR and LF.
    @inline(__always)
    static func trimmed(_ b: CellBytes) -> CellBytes {
        var s = 0
        var e = b.count
        while s < e, isBlank(b[s]) { s += 1 }
        while e > s, isBlank(b[e - 1]) { e -= 1 }
        return s == 0 && e == b.count ? b : CellBytes(rebasing: b[s..<e])
    }

    /// A String without leading and trailing spaces, tabs, CR and LF.
    static func trim(_ s: String) -> String {
        withBytes(of: s) { String(decoding: trimmed($0), as: UTF8.self) }
    }

    /// Runs `body` on the UTF-8 of `text` as cell bytes (valid only inside `body`): how the
    /// String forms of the byte checks (``ContactFields``, ``BrazilianPhone``) reach them.
    static func withBytes<R>(of text: some StringProtocol, _ body: (CellBytes) -> R) -> R {
        var copy = String(text)
        return copy.withUTF8(body)
    }

    /// The bytes without leading and trailing spaces, tabs, CR and LF.
    private static func trimmed(_ b: [UInt8]) -> ArraySlice<UInt8> {
        var s = 0
        var e = b.count
        while s < e, isBlank(b[s]) { s += 1 }
        while e > s, isBlank(b[e - 1]) { e -= 1 }
        return b[s..<e]
    }

    @inline(__always)
    static func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }

    /// Number of Unicode scalars in valid UTF-8.
    static func scalarCount(_ b: CellBytes) -> Int {
        var n = 0
        for c in b where c & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// Whether the bytes hold a C0 control, DEL, a C1 control or a line/paragraph separator.
    static func hasControl(_ b: CellBytes) -> Bool {
        let n = b.count
        // Whole words while none holds a control, DEL, or a lead byte of C1 or U+2028/9.
        var i = SWAR.cleanWords(b) {
            SWAR.lessMask($0, 32) | SWAR.equalMask($0, SWAR.ones &* 127) | SWAR.equalMask($0, SWAR.ones &* 0xC2)
                | SWAR.equalMask($0, SWAR.ones &* 0xE2)
        }
        while i < n {
            let c = b[i]
            // Fast path: most bytes are printable ASCII or UTF-8 that cannot start a control.
            if c >= 32 && c != 127 && c != 0xC2 && c != 0xE2 {
                i += 1
                continue
            }
            if c < 32 || c == 127 { return true }
            if c == 0xC2, i + 1 < n, b[i + 1] >= 0x80, b[i + 1] <= 0x9F { return true }
            if c == 0xE2, i + 2 < n, b[i + 1] == 0x80, b[i + 2] == 0xA8 || b[i + 2] == 0xA9 { return true }
            i += 1
        }
        return false
    }

    /// Whether the bytes hold `;` or `,`, the separators of id lists in the output files;
    /// eight bytes at a time (every key of a million rows is checked).
    static func hasListSeparator(_ b: CellBytes) -> Bool {
        let n = b.count
        var i = SWAR.cleanWords(b) { SWAR.equalMask($0, SWAR.ones &* 59) | SWAR.equalMask($0, SWAR.commas) }
        while i < n {
            if b[i] == 59 || b[i] == 44 { return true }
            i += 1
        }
        return false
    }

    /// Valid UTF-8 text with every control character (C0, DEL, C1, U+2028, U+2029) replaced by
    /// a space, so no cell can break a header, a CSV row or a line of a letter.
    static func plainText(_ b: CellBytes) -> String {
        guard hasControl(b) else { return String(decoding: b, as: UTF8.self) }
        return String(decoding: trimmed(spaced(b)), as: UTF8.self)
    }

    /// ``plainText(_:)`` appended to `out` as bytes; false (nothing appended) when it is empty.
    static func appendPlainText(_ b: CellBytes, to out: TextBytes) -> Bool {
        guard hasControl(b) else {
            out.append(b)
            return !b.isEmpty
        }
        let plain = trimmed(spaced(b))
        out.append(plain)
        return !plain.isEmpty
    }

    /// ``appendPlainText(_:to:)`` for ASCII bytes, copied and checked for controls (C0 and DEL,
    /// the only ones ASCII has) in one pass of eight bytes at a time; a cell holding one is
    /// taken back and appended the long way.
    static func appendPlainASCII(_ b: CellBytes, to out: TextBytes) -> Bool {
        guard out.appendWithoutControls(b) else { return appendPlainText(b, to: out) }
        return !b.isEmpty
    }

    /// The bytes with every control character written as one space.
    private static func spaced(_ b: CellBytes) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c < 32 || c == 127 {
                out.append(32)
                i += 1
            } else if c == 0xC2, i + 1 < b.count, b[i + 1] >= 0x80, b[i + 1] <= 0x9F {
                out.append(32)
                i += 2
            } else if c == 0xE2, i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0xA8 || b[i + 2] == 0xA9 {
                out.append(32)
                i += 3
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    /// A cell quoted for a reject reason: at most 60 characters, controls and bytes that are
    /// not UTF-8 written as escapes (`\n`, `\x07`, `\xE9`), so a reason is always one safe line.
    static func echo(_ b: CellBytes) -> String {
        var out = "'"
        var shown = 0
        func add(_ piece: String) -> Bool {
            guard shown < maxEchoScalars else { return false }
            out += piece
            shown += 1
            return true
        }
        if UTF8Check.isValid(b) {
            for s in String(decoding: b, as: UTF8.self).unicodeScalars {
                let piece: String
                switch s.value {
                case 10: piece = "\\n"
                case 13: piece = "\\r"
                case 9: piece = "\\t"
                case 0..<32, 127: piece = "\\x" + hex2(UInt8(s.value))
                case 0x80...0x9F, 0x2028, 0x2029: piece = "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
                default: piece = String(s)
                }
                if !add(piece) {
                    out += "…"
                    break
                }
            }
        } else {
            for c in b {
                let piece = c >= 32 && c < 127 ? String(UnicodeScalar(c)) : "\\x" + hex2(c)
                if !add(piece) {
                    out += "…"
                    break
                }
            }
        }
        return out + "'"
    }

    private static func hex2(_ c: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(c >> 4)], digits[Int(c & 15)]])
    }

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// `YYYY-MM-DD` exactly, a real date; the byte form of `Day(isoBytes:)` without a copy.
    static func day(_ b: CellBytes) -> Day? {
        guard b.count == 10, b[4] == 45, b[7] == 45 else { return nil }
        // Eight digits, each checked by its own wrapped difference (a million titles, two or
        // three dates each).
        let d0 = b[0] &- 48, d1 = b[1] &- 48, d2 = b[2] &- 48, d3 = b[3] &- 48
        let d5 = b[5] &- 48, d6 = b[6] &- 48, d8 = b[8] &- 48, d9 = b[9] &- 48
        guard d0 < 10, d1 < 10, d2 < 10, d3 < 10, d5 < 10, d6 < 10, d8 < 10, d9 < 10 else { return nil }
        let y = Int(d0) * 1000 + Int(d1) * 100 + Int(d2) * 10 + Int(d3)
        return Day(year: y, month: Int(d5) * 10 + Int(d6), day: Int(d8) * 10 + Int(d9))
    }

    /// Whether the bytes have the shape `NNNN-NN-NN` (to tell a bad format from a bad date).
    static func looksLikeISODate(_ b: CellBytes) -> Bool {
        b.count == 10 && b[4] == 45 && b[7] == 45
            && [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { isDigit(b[$0]) }
    }

    /// Most digits before the decimal point in an amount: CNAB carries 13 (R$ 9.999.999.999.999,99).
    static let maxAmountWholeDigits = 13

    /// `1234.56`, `1234.5` or `1234` (``Money/cents(decimal:maxWholeDigits:)``), read in place
    /// and bounded to 13 whole digits so that no cell can overflow the cents.
    static func money(_ b: CellBytes) -> Money? {
        Money.cents(decimal: b, maxWholeDigits: maxAmountWholeDigits).map(Money.init(cents:))
    }

    /// Reads a money cell or says, in plain words, what is wrong with it.
    static func moneyOrReject(_ b: CellBytes, column: String) throws(RowReject) -> Money {
        if let m = money(b) { return m }
        let e = echo(b)
        if b.first == 45, money(CellBytes(rebasing: b.dropFirst())) != nil {
            throw RowReject(column: column, reason: "\(column) \(e) é negativo")
        }
        let digitsOnly = b.allSatisfy { isDigit($0) || $0 == 46 }
        let whole = b.prefix { $0 != 46 }.count
        if digitsOnly, whole > maxAmountWholeDigits {
            throw RowReject(
                column: column, reason: "\(column) \(e) é grande demais (no máximo 13 dígitos antes do ponto)")
        }
        if digitsOnly, b.split(separator: 46, omittingEmptySubsequences: false).count == 2,
            b.count - whole - 1 > 2
        {
            throw RowReject(column: column, reason: "\(column) \(e) tem mais de duas casas decimais")
        }
        throw RowReject(
            column: column,
            reason: "\(column) \(e) não é um valor como 1234.56 (ponto decimal, sem separador de milhar)")
    }

    /// Reads a date cell or says what is wrong with it.
    static func dayOrReject(_ b: CellBytes, column: String) throws(RowReject) -> Day {
        if let d = day(b) { return d }
        if looksLikeISODate(b) {
            throw RowReject(column: column, reason: "\(column) \(echo(b)) não é uma data que existe")
        }
        throw RowReject(column: column, reason: "\(column) \(echo(b)) não é uma data como 2026-11-25 (AAAA-MM-DD)")
    }
}
