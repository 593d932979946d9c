/// An amount of Brazilian reais, held exactly as integer cents.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The amount in cents (R$ 1,00 = 100).
    public var cents: Int64

    /// Creates an amount from cents.
    public init(cents: Int64) { self.cents = cents }

    /// Zero reais.
    public static let zero = Money(cents: 0)

    /// Parses `1234.56`, `1234.5` or `1234` (dot decimal, no thousands separator, no sign).
    /// Returns `nil` for anything else, including more than two decimals and negative values.
    public init?(decimal text: some StringProtocol) {
        self.init(decimalBytes: ArraySlice(Array(text.utf8)))
    }

    /// Byte-level form of ``init(decimal:)``.
    public init?(decimalBytes b: ArraySlice<UInt8>) {
        // Beyond 16 digits of reais the cents would overflow Int64: refuse, never trap.
        // 16 digits, the dot and two decimals are 19 bytes: what ``plain`` writes for any
        // amount under 10^16 reais reads back.
        guard b.count <= 19, let cents = Self.cents(decimal: b, maxWholeDigits: 16) else { return nil }
        self.cents = cents
    }

    /// The cents of `1234.56`, `1234.5` or `1234` with at most `maxWholeDigits` digits before
    /// the dot; nil for anything else (sign, comma, three decimals, a bare dot, nothing).
    static func cents<C: Collection<UInt8>>(decimal b: C, maxWholeDigits: Int) -> Int64? {
        var whole: Int64 = 0
        var frac: Int64 = 0
        var fracDigits = 0
        var seenDot = false
        var wholeDigits = 0
        for c in b {
            if c == UInt8(ascii: ".") {
                guard !seenDot else { return nil }
                seenDot = true
            } else if c >= 48 && c <= 57 {
                if seenDot {
                    fracDigits += 1
                    guard fracDigits <= 2 else { return nil }
                    frac = frac * 10 + Int64(c - 48)
                } else {
                    wholeDigits += 1
                    guard wholeDigits <= maxWholeDigits else { return nil }
                    whole = whole * 10 + Int64(c - 48)
                }
            } else {
                return nil
            }
        }
        guard wholeDigits > 0, !(seenDot && fracDigits == 0) else { return nil }
        return whole * 100 + (fracDigits == 1 ? frac * 10 : frac)
    }

    /// `1234.56`: the plain machine form (JSON, CSV).
    public var plain: String {
        let sign = cents < 0 ? "-" : ""
        let a = cents.magnitude
        return sign + String(a / 100) + "." + pad(Int(a % 100), 2)
    }

    /// `R$ 1.234,56`: the Brazilian form for people.
    public var br: String {
        "R$ " + brNumber
    }

    /// `1.234,56` without the currency sign.
    public var brNumber: String {
        let sign = cents < 0 ? "-" : ""
        let a = cents.magnitude
        var whole = String(a / 100)
        var groups: [Substring] = []
        while whole.count > 3 {
            groups.insert(whole.suffix(3), at: 0)
            whole = String(whole.dropLast(3))
        }
        groups.insert(Substring(whole), at: 0)
        return sign + groups.joined(separator: ".") + "," + pad(Int(a % 100), 2)
    }

    /// The plain decimal form, `1234.56`.
    public var description: String { plain }

    /// Orders amounts by cents.
    public static func < (a: Money, b: Money) -> Bool { a.cents < b.cents }
    /// The sum of two amounts.
    public static func + (a: Money, b: Money) -> Money { Money(cents: a.cents + b.cents) }
    /// The difference of two amounts.
    public static func - (a: Money, b: Money) -> Money { Money(cents: a.cents - b.cents) }
    /// Adds an amount.
    public static func += (a: inout Money, b: Money) { a.cents += b.cents }
}

/// A percentage written in the rule book (`2.0`, `0.033`), held exactly as millionths of a
/// percent so that fees are computed without binary floating point.
public struct Percent: Hashable, Sendable, CustomStringConvertible {
    /// The rate in millionths of one percent (2% = 2_000_000).
    public let micros: Int64

    /// Creates a rate from millionths of a percent.
    public init(micros: Int64) { self.micros = micros }

    /// Parses a plain decimal like `2`, `2.0` or `0.033` (up to six decimals, no sign).
    public init?(decimal text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let w = parts.first, !w.isEmpty, w.allSatisfy(\.isASCIIDigit),
            w.count <= 9
        else { return nil }
        var frac = parts.count == 2 ? String(parts[1]) : ""
        guard frac.allSatisfy(\.isASCIIDigit), frac.count <= 6, !(parts.count == 2 && frac.isEmpty)
        else { return nil }
        frac += String(repeating: "0", count: 6 - frac.count)
        micros = Int64(w)! * 1_000_000 + Int64(frac)!
    }

    /// `2.0`-style text, trailing zeros trimmed.
    public var description: String {
        var f = pad(Int(micros % 1_000_000), 6)
        while f.count > 1 && f.hasSuffix("0") { f.removeLast() }
        return String(micros / 1_000_000) + "." + f
    }

    /// `amount × rate / 100 × numerator / denominator`, rounded half-up to the cent.
    ///
    /// Late fee: `applied(to: outstanding)`; interest pro rata die:
    /// `applied(to: outstanding, times: days, over: 30)`.
    public func applied(to amount: Money, times numerator: Int = 1, over denominator: Int = 1) -> Money {
        let n = Int128(amount.cents) * Int128(micros) * Int128(numerator)
        let d = Int128(100_000_000) * Int128(denominator)
        return Money(cents: Int64(roundHalfUp(n, d)))
    }
}

/// Divides and rounds half away from zero.
func roundHalfUp(_ n: Int128, _ d: Int128) -> Int128 {
    precondition(d > 0)
    if n >= 0 { return (2 * n + d) / (2 * d) }
    return -((2 * -n + d) / (2 * d))
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
}
