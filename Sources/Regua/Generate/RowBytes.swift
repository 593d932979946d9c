/// A CSV row builder over raw bytes for the generator: quotes a cell only when needed and
/// writes numbers and dates without making Strings.
struct RowBytes {
    var bytes: [UInt8] = []
    private var atRowStart = true

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    private mutating func separate() {
        if !atRowStart { bytes.append(UInt8(ascii: ",")) }
        atRowStart = false
    }

    /// A text cell, quoted (inner quotes doubled) when it holds a comma, quote, CR or LF.
    mutating func text(_ s: String) {
        separate()
        var s = s
        s.withUTF8 { u in
            if u.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) {
                bytes.append(34)
                for c in u {
                    if c == 34 { bytes.append(34) }
                    bytes.append(c)
                }
                bytes.append(34)
            } else {
                bytes.append(contentsOf: u)
            }
        }
    }

    /// An empty cell.
    mutating func empty() { separate() }

    /// A non-negative integer, zero-padded to `width`.
    mutating func number(_ v: Int, width: Int = 1) {
        separate()
        digits(v, width: width)
    }

    /// `1234.56`.
    mutating func money(cents: Int, negative: Bool = false) {
        separate()
        if negative { bytes.append(UInt8(ascii: "-")) }
        digits(cents / 100, width: 1)
        bytes.append(UInt8(ascii: "."))
        digits(cents % 100, width: 2)
    }

    /// `YYYY-MM-DD`.
    mutating func date(_ d: Day) {
        separate()
        let c = d.components
        digits(c.year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        digits(c.month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        digits(c.day, width: 2)
    }

    /// The digits of `v` (non-negative) zero-padded, without a separator.
    mutating func digits(_ v: Int, width: Int) {
        var divisor = 1
        var n = 1
        while divisor <= v / 10 {
            divisor *= 10
            n += 1
        }
        if width > n { bytes.append(contentsOf: repeatElement(48, count: width - n)) }
        var x = v
        while divisor > 0 {
            bytes.append(UInt8(48 + x / divisor))
            x %= divisor
            divisor /= 10
        }
    }

    /// Ends the row with CRLF (RFC 4180).
    mutating func endRow() {
        bytes.append(13)
        bytes.append(10)
        atRowStart = true
    }
}
