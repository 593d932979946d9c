/// Checks of the contact cells of customers.csv. A contact that fails them is treated as
/// absent, not as a reject: SPEC §1 says a missing contact only makes the step fall back (or
/// be undeliverable), and a bad address is, for the night, no address.
public enum ContactFields {
    /// The 27 unidades federativas.
    public static let states: Set<String> = [
        "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA",
        "PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO",
    ]

    /// A plausible addr-spec (`local@domain.tld`), trimmed; nil when it is not one.
    ///
    /// One `@`; a local part of 1–64 bytes without spaces, controls or `<>()[],;:"\`, and
    /// without leading, trailing or doubled dots; a domain of at least two labels of 1–63
    /// letters, digits or hyphens (non-ASCII allowed for IDN), none starting or ending with
    /// a hyphen; at most 254 bytes in all.
    public static func email(_ text: some StringProtocol) -> String? {
        let copy = Array(text.utf8)
        return copy.withUnsafeBufferPointer { email(bytes: CellText.trimmed($0)) }
    }

    static func email(bytes b: CellBytes) -> String? {
        isEmail(bytes: b) ? String(decoding: b, as: UTF8.self) : nil
    }

    /// Whether trimmed bytes are an address ``email(_:)`` accepts.
    static func isEmail(bytes b: CellBytes) -> Bool {
        let n = b.count
        guard n >= 3, n <= 254 else { return false }
        var at = -1
        var nonASCII = false
        var previous: UInt8 = 0
        var labelStart = 0
        var labels = 0
        for i in 0..<n {
            let c = b[i]
            if c == UInt8(ascii: "@") {
                guard at < 0, i >= 1, i <= 64, previous != UInt8(ascii: ".") else { return false }
                at = i
                labelStart = i + 1
            } else if at < 0 {
                // Local part: printable, no specials, no leading or doubled dot.
                if c < 33 || c == 127 || Self.localSpecial(c) { return false }
                if c == UInt8(ascii: "."), i == 0 || previous == UInt8(ascii: ".") { return false }
            } else if c == UInt8(ascii: ".") {
                guard Self.labelOK(b, labelStart, i) else { return false }
                labels += 1
                labelStart = i + 1
            } else {
                let alnum = (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 122)
                guard alnum || c == UInt8(ascii: "-") || c >= 0x80 else { return false }
            }
            if c >= 0x80 { nonASCII = true }
            previous = c
        }
        guard at > 0, n - at - 1 <= 253, Self.labelOK(b, labelStart, n), labels >= 1 else { return false }
        if nonASCII, !UTF8Check.isValid(b) || CellText.hasControl(b) { return false }
        return true
    }

    /// Characters an unquoted local part may not hold.
    private static func localSpecial(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "\\"),
            UInt8(ascii: "\""):
            return true
        default:
            return false
        }
    }

    /// A domain label of 1–63 bytes, not starting or ending with a hyphen.
    private static func labelOK(_ b: CellBytes, _ start: Int, _ end: Int) -> Bool {
        end - start >= 1 && end - start <= 63 && b[start] != UInt8(ascii: "-") && b[end - 1] != UInt8(ascii: "-")
    }

    /// The upper-case UF for a state cell (`sp` → `SP`), nil when not one of the 27.
    public static func state(_ text: some StringProtocol) -> String? {
        let copy = Array(text.utf8)
        return copy.withUnsafeBufferPointer { state(bytes: CellText.trimmed($0)) }
    }

    static func state(bytes b: CellBytes) -> String? {
        guard b.count == 2 else { return nil }
        let (x, y) = (b[0] & 0xDF, b[1] & 0xDF)  // ASCII upper case
        guard x >= 65, x <= 90, y >= 65, y <= 90 else { return nil }
        return statesByCode[UInt16(x) << 8 | UInt16(y)]
    }

    private static let statesByCode: [UInt16: String] = Dictionary(
        uniqueKeysWithValues: states.map {
            let u = Array($0.utf8)
            return (UInt16(u[0]) << 8 | UInt16(u[1]), $0)
        })

    /// The eight digits of a CEP written `01310-100`, `01310100` or `01.310-100`; nil otherwise.
    public static func zip(_ text: some StringProtocol) -> String? {
        let copy = Array(text.utf8)
        return copy.withUnsafeBufferPointer { zip(bytes: CellText.trimmed($0)) }
    }

    static func zip(bytes b: CellBytes) -> String? {
        var digits = 0
        var value = 0
        for c in b {
            if CellText.isDigit(c) {
                digits += 1
                value = value &* 10 &+ Int(c - 48)
            } else if c != UInt8(ascii: "-"), c != UInt8(ascii: ".") {
                return nil
            }
        }
        guard digits == 8, value != 0 else { return nil }
        return String(unsafeUninitializedCapacity: 8) { out in
            var v = value
            for i in stride(from: 7, through: 0, by: -1) {
                out[i] = UInt8(48 + v % 10)
                v /= 10
            }
            return 8
        }
    }
}
