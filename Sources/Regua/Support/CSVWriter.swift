/// Writes RFC 4180 CSV: fields quoted when needed, CRLF line ends, and — for files meant for
/// people — cells a spreadsheet would run as a formula neutralised with a leading `'`.
public struct CSVWriter: Sendable {
    /// Bytes written so far.
    public private(set) var bytes: [UInt8] = []
    /// Neutralise `=`, `+`, `-`, `@`, tab and CR at the start of a cell (OWASP CSV injection).
    public var neutraliseFormulas: Bool

    /// Creates a CSV starting with its header row.
    public init(header: [String], neutraliseFormulas: Bool) {
        self.neutraliseFormulas = neutraliseFormulas
        row(header)
    }

    /// Appends one row.
    public mutating func row(_ fields: [String]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            append(field: f)
        }
        bytes.append(13)
        bytes.append(10)
    }

    private mutating func append(field raw: String) {
        var f = raw
        if neutraliseFormulas, let first = f.unicodeScalars.first,
            ["=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"].contains(first)
        {
            f = "'" + f
        }
        let needsQuotes = f.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13
        }
        if needsQuotes {
            bytes.append(UInt8(ascii: "\""))
            for c in f.utf8 {
                if c == UInt8(ascii: "\"") { bytes.append(c) }
                bytes.append(c)
            }
            bytes.append(UInt8(ascii: "\""))
        } else {
            bytes.append(contentsOf: f.utf8)
        }
    }
}
