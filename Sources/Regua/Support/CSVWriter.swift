/// Writes RFC 4180 CSV: fields quoted when needed, CRLF line ends, and — for files meant for
/// people — cells a spreadsheet would run as a formula neutralised with a leading `'`.
public struct CSVWriter: Sendable {
    /// Bytes written so far.
    public private(set) var bytes: [UInt8] = []
    /// Neutralise `=`, `+`, `-`, `@`, tab and CR at the start of a cell (OWASP CSV injection).
    public var neutraliseFormulas: Bool

    /// The byte between cells: `,` for machines (RFC 4180), `;` for people.
    public var separator: UInt8

    /// Creates a CSV starting with its header row; `forPeople` writes what a spreadsheet set to
    /// Brazilian Portuguese opens as columns: a UTF-8 BOM (or accents show as mojibake) and `;`
    /// between cells (`,` is its decimal mark). Amounts in such a file are written `1234,56`
    /// (``peopleAmount(_:)``).
    public init(header: [String], neutraliseFormulas: Bool, forPeople: Bool = false) {
        self.neutraliseFormulas = neutraliseFormulas
        self.separator = forPeople ? UInt8(ascii: ";") : UInt8(ascii: ",")
        if forPeople { bytes = [0xEF, 0xBB, 0xBF] }
        row(header)
    }

    /// An amount as a pt-BR spreadsheet reads a number: `1234,56` (no thousands separator).
    public static func peopleAmount(_ m: Money) -> String {
        m.plain.replacingOccurrences(of: ".", with: ",")
    }

    /// Appends one row.
    public mutating func row(_ fields: [String]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { bytes.append(separator) }
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
        let separator = self.separator
        let needsQuotes = f.utf8.contains { (c: UInt8) -> Bool in
            c == separator || c == 44 || c == 34 || c == 10 || c == 13  // the separator , " LF CR
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
