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
        CellText.withBytes(of: text) { email(bytes: CellText.trimmed($0)) }
    }

    static func email(bytes b: CellBytes) -> String? {
        isEmail(bytes: b) ? String(decoding: b, as: UTF8.self) : nil
    }

    /// Whether trimmed bytes are an address ``email(_:)`` accepts: the local part up to the
    /// first `@`, then the domain's labels, each byte looked up in ``emailBytes``.
    static func isEmail(bytes b: CellBytes) -> Bool {
        let n = b.count
        guard n >= 3, n <= 254 else { return false }
        let kind = emailBytes
        var high: UInt8 = 0
        var previous: UInt8 = 0
        var i = 0
        // Local part: printable, no specials, no leading or doubled dot.
        while i < n {
            let c = b[i]
            if c == UInt8(ascii: "@") { break }
            if kind[Int(c)] & local == 0 { return false }
            if c == UInt8(ascii: "."), i == 0 || previous == UInt8(ascii: ".") { return false }
            high |= c
            previous = c
            i += 1
        }
        let at = i
        guard at >= 1, at <= 64, at < n, previous != UInt8(ascii: "."), n - at - 1 <= 253 else { return false }
        // Domain: labels of letters, digits and hyphens (non-ASCII allowed for IDN), at least two.
        var labelStart = at + 1
        var labels = 0
        i = at + 1
        while i < n {
            let c = b[i]
            if c == UInt8(ascii: ".") {
                guard Self.labelOK(b, labelStart, i) else { return false }
                labels += 1
                labelStart = i + 1
            } else if kind[Int(c)] & label == 0 {
                return false
            }
            high |= c
            i += 1
        }
        guard Self.labelOK(b, labelStart, n), labels >= 1 else { return false }
        return high < 0x80 || (UTF8Check.isValid(b) && !CellText.hasControl(b))
    }

    /// ``emailBytes`` bits: the byte may stand in a local part (the dot included); in a domain
    /// label (the dot, which separates labels, not).
    private static let local: UInt8 = 1
    private static let label: UInt8 = 2

    /// The kind of each byte value for ``isEmail(bytes:)``.
    private static let emailBytes: [UInt8] = (0..<256).map { value in
        let c = UInt8(value)
        var kind: UInt8 = 0
        if c >= 33, c != 127, c != UInt8(ascii: "@"), !localSpecial(c) { kind |= local }
        let alnum = (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 122)
        if alnum || c == UInt8(ascii: "-") || c >= 0x80 { kind |= label }
        return kind
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
        CellText.withBytes(of: text) { state(bytes: CellText.trimmed($0)) }
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
        CellText.withBytes(of: text) { zip(bytes: CellText.trimmed($0)) }
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
        return UnsafeBytes.asciiString(capacity: 8) { out in
            var v = value
            for i in stride(from: 7, through: 0, by: -1) {
                out[i] = UInt8(48 + v % 10)
                v /= 10
            }
            return 8
        }
    }
}
