/// Brazilian telephone numbers in any common writing, normalised to E.164 (`+5511987654321`).
public enum BrazilianPhone {
    /// The 67 area codes (DDD) in use, per ANATEL's numbering plan.
    public static let areaCodes: Set<Int> = [
        11, 12, 13, 14, 15, 16, 17, 18, 19,
        21, 22, 24, 27, 28,
        31, 32, 33, 34, 35, 37, 38,
        41, 42, 43, 44, 45, 46, 47, 48, 49,
        51, 53, 54, 55,
        61, 62, 63, 64, 65, 66, 67, 68, 69,
        71, 73, 74, 75, 77, 79,
        81, 82, 83, 84, 85, 86, 87, 88, 89,
        91, 92, 93, 94, 95, 96, 97, 98, 99,
    ]

    private static let areaCodeTable: [Bool] = (0..<100).map(areaCodes.contains)

    /// `+55` + DDD + number, or nil when the text is not a Brazilian number.
    ///
    /// Accepts punctuation (`( ) - . /` and spaces) and the prefixes people write: `+55`,
    /// `55`, `0055`, `055`, a trunk `0` (`011 98765 4321`), `0xx` and a trunk `0` with a
    /// two-digit carrier code (`0 21 11 98765-4321`). The number must be a mobile (9 digits
    /// starting with 9) or a landline (8 digits starting with 2–5) after a valid DDD.
    public static func e164(_ text: some StringProtocol) -> String? {
        CellText.withBytes(of: text) { e164(bytes: $0) }
    }

    /// Byte form of ``e164(_:)`` used by the ingest.
    static func e164(bytes b: CellBytes) -> String? {
        var i = 0
        var plus = false
        var zeroXX = false
        if b.count > 0, b[0] == UInt8(ascii: "+") {
            plus = true
            i = 1
        } else if b.count >= 3, b[0] == UInt8(ascii: "0"), b[1] | 0x20 == UInt8(ascii: "x"),
            b[2] | 0x20 == UInt8(ascii: "x")
        {
            zeroXX = true
            i = 3
        }
        // The digits as a number and a count (leading zeros live in the count): at most 16.
        var value: UInt64 = 0
        var count = 0
        while i < b.count {
            let c = b[i]
            i += 1
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                count += 1
                if count > 16 { return nil }
                value = value * 10 + UInt64(c - 48)
            case UInt8(ascii: " "), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "-"),
                UInt8(ascii: "."), UInt8(ascii: "/"):
                continue
            default:
                return nil
            }
        }
        /// Whether the first `k` digits, as written, are `prefix` (e.g. k 4, prefix 55 = "0055").
        func starts(_ k: Int, _ prefix: UInt64) -> Bool { count >= k && value / power(count - k) == prefix }
        /// Number of leading digits to drop to reach the national number.
        let drop: Int
        if plus {
            guard starts(2, 55) else { return nil }
            drop = 2
        } else if zeroXX {
            drop = 0
        } else if starts(4, 55) {
            drop = 4  // 0055
        } else if starts(3, 55), (10...11).contains(count - 3) {
            drop = 3  // 055
        } else if starts(1, 0) {
            if (10...11).contains(count - 1) {
                drop = 1  // trunk 0
            } else if (10...11).contains(count - 3) {
                drop = 3  // trunk 0 + carrier code
            } else {
                return nil
            }
        } else if starts(2, 55), (12...13).contains(count) {
            drop = 2
        } else {
            drop = 0
        }
        let n = count - drop
        guard n == 10 || n == 11 else { return nil }
        let national = value % power(n)
        let ddd = Int(national / power(n - 2))
        let first = national / power(n - 3) % 10
        guard areaCodeTable[ddd], n == 11 ? first == 9 : (2...5).contains(first) else { return nil }
        return UnsafeBytes.asciiString(capacity: 3 + n) { out in
            out[0] = UInt8(ascii: "+")
            out[1] = UInt8(ascii: "5")
            out[2] = UInt8(ascii: "5")
            var v = national
            for k in stride(from: n + 2, through: 3, by: -1) {
                out[k] = UInt8(48 + v % 10)
                v /= 10
            }
            return 3 + n
        }
    }

    private static func power(_ k: Int) -> UInt64 {
        var p: UInt64 = 1
        for _ in 0..<max(0, k) { p *= 10 }
        return p
    }
}
