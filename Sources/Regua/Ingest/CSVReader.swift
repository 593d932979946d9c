/// Documented size limits of the CSV reader. Past a cell or row limit the row is refused with a
/// reason; past the file limit the whole file is refused before it is read.
public enum CSVLimits {
    /// A cell longer than this (64 KiB, quotes excluded) refuses its row.
    public static let maxCellBytes = 64 * 1024
    /// A row (record) longer than this (1 MiB) is refused.
    public static let maxRowBytes = 1024 * 1024
    /// A row with more cells than this is refused.
    public static let maxFields = 1_000
    /// A file larger than this (2 GiB) is refused as a whole.
    public static let maxFileBytes = 2 * 1024 * 1024 * 1024
}

/// Why one CSV row could not be read; the reader reports it for that row and goes on.
public enum CSVProblem: Sendable, Hashable {
    /// A quoted cell opened on the row's first line is never closed; reading resumes on the
    /// line after the row's first line.
    case unterminatedQuote
    /// A quote inside an unquoted cell, or text after a closing quote (cell index, 0-based);
    /// reading resumes on the line after the row's first line.
    case strayQuote(field: Int)
    /// A cell over ``CSVLimits/maxCellBytes`` (cell index, 0-based).
    case cellTooLong(field: Int)
    /// A row over ``CSVLimits/maxRowBytes``.
    case rowTooLong
    /// A row with more than ``CSVLimits/maxFields`` cells.
    case tooManyFields
}

/// Where one cell's content lies (quotes excluded): in the file buffer, or — for a cell whose
/// doubled quotes were undone — in the reader's scratch space.
public struct CSVField: Sendable, Hashable {
    /// Offset of the first content byte.
    public var start: Int
    /// Offset one past the last content byte.
    public var end: Int
    /// The cell was written between quotes.
    public var isQuoted: Bool
    /// The offsets are in the reader's scratch space (the cell had doubled quotes to undo).
    public var isUnescaped: Bool
    /// Every byte is below 0x80, so the cell is valid UTF-8 without further checking.
    public var isASCII: Bool

    /// Creates a field description.
    public init(start: Int, end: Int, isQuoted: Bool = false, isUnescaped: Bool = false, isASCII: Bool = true) {
        self.start = start
        self.end = end
        self.isQuoted = isQuoted
        self.isUnescaped = isUnescaped
        self.isASCII = isASCII
    }

    /// Number of content bytes.
    public var count: Int { end - start }
}

/// The safe interface of the CSV reader: every row of a byte array as values (decoded cells, the
/// line, the problem), read by ``UnsafeCSVScanner`` — for callers that do not need its speed.
public enum CSVReader {
    /// One row read by ``rows(_:)``: decoded cells, for callers that do not need speed.
    public struct Row: Sendable, Hashable {
        /// 1-based starting line.
        public var line: Int
        /// The cells, decoded (invalid UTF-8 replaced by U+FFFD).
        public var cells: [String]
        /// The row's problem, if any.
        public var problem: CSVProblem?
    }

    /// Reads every row of a CSV byte array, the header included.
    public static func rows(_ bytes: [UInt8]) -> [Row] {
        bytes.withUnsafeBufferPointer { buf in
            var reader = UnsafeCSVScanner(buf)
            var record = CSVRecord()
            var out: [Row] = []
            while reader.next(into: &record) {
                out.append(Row(line: record.line, cells: record.fields.map(reader.string), problem: record.problem))
            }
            return out
        }
    }
}

/// UTF-8 well-formedness (no overlong forms, no surrogates, nothing above U+10FFFF).
enum UTF8Check {
    static func isValid(_ b: CellBytes) -> Bool {
        let n = b.count
        var i = 0
        func cont(_ j: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            j < n && b[j] >= lo && b[j] <= hi
        }
        while i < n {
            let c = b[i]
            if c < 0x80 {
                i += 1
            } else if c < 0xC2 {
                return false
            } else if c < 0xE0 {
                guard cont(i + 1) else { return false }
                i += 2
            } else if c < 0xF0 {
                let lo: UInt8 = c == 0xE0 ? 0xA0 : 0x80
                let hi: UInt8 = c == 0xED ? 0x9F : 0xBF
                guard cont(i + 1, lo, hi), cont(i + 2) else { return false }
                i += 3
            } else if c < 0xF5 {
                let lo: UInt8 = c == 0xF0 ? 0x90 : 0x80
                let hi: UInt8 = c == 0xF4 ? 0x8F : 0xBF
                guard cont(i + 1, lo, hi), cont(i + 2), cont(i + 3) else { return false }
                i += 4
            } else {
                return false
            }
        }
        return true
    }
}
