/// One record of a CSV file: its 1-based starting line, its cells and, if any, its problem.
struct CSVRecord {
    /// 1-based line on which the record starts (a quoted cell may span lines).
    var line: Int = 0
    /// The first problem found in the row, if any; such a row must not be trusted.
    var problem: CSVProblem?
    /// The cells, reused from record to record: keeping one is a store, with no uniqueness or
    /// capacity check of an array per cell (the reader checks once per record).
    fileprivate var cells = CellList()

    /// An empty record to be filled by ``UnsafeCSVScanner/next(into:)``.
    init() {}

    /// The cells read (at most ``CSVLimits/maxFields``; partial when `problem` is a syntax error).
    var fields: [CSVField] { Array(UnsafeBufferPointer(start: cells.base, count: cells.count)) }

    /// Number of cells read.
    var fieldCount: Int { cells.count }

    /// Cell `i` (`0..<fieldCount`).
    @inline(__always)
    func field(_ i: Int) -> CSVField {
        precondition(i >= 0 && i < cells.count, "no such cell")
        return cells.base[i]
    }
}

/// The cell positions of one ``CSVRecord``, room for ``CSVLimits/maxFields`` of them (24 KiB)
/// so that keeping a cell is a store, with no capacity check (copied before a write when
/// shared, so records stay values).
private final class CellList {
    let base: UnsafeMutablePointer<CSVField>
    var count = 0

    init() {
        base = .allocate(capacity: CSVLimits.maxFields)
    }

    deinit { base.deallocate() }  // CSVField is plain data: nothing to deinitialize

    func copy() -> CellList {
        let c = CellList()
        c.base.initialize(from: base, count: count)
        c.count = count
        return c
    }
}

/// An RFC 4180 reader over a byte buffer: one pass, no String per cell.
///
/// Accepts CRLF or LF line ends, a leading UTF-8 BOM, cells quoted with `""` escapes and with
/// embedded commas, CR and LF; blank lines (including a trailing one) are skipped. A bare CR
/// is data, not a line end. The buffer is never written (it may be hashed meanwhile on another
/// thread); a cell with doubled quotes is undone into the reader's scratch space, valid until
/// the next record.
///
/// Unsafe by name: it reads through a pointer to bytes it does not own, and hands out pointers
/// into them (``bytes(_:)``), so the buffer must outlive the scanner and a cell's bytes are valid
/// only until the next record. Ingest keeps the file's bytes alive around it (``CSVTable``); the
/// safe interface is ``CSVReader/rows(_:)``, which hands out values.
struct UnsafeCSVScanner {
    /// The bytes being read.
    let buffer: UnsafeBufferPointer<UInt8>
    private let scratch = Scratch()
    private var offset: Int
    private var line = 1
    /// No record starts at or after this offset (a chunk's end).
    private let stop: Int

    /// Starts reading at the beginning of `buffer`, skipping a UTF-8 BOM.
    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
        offset = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0
        stop = buffer.count
    }

    /// Reads the records that start in `from..<stop`, `from` being the start of line `line`.
    init(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, line: Int, stop: Int) {
        self.buffer = buffer
        offset = from
        self.line = line
        self.stop = stop
    }

    /// Offset where the next record (or blank line) starts.
    var position: Int { offset }

    /// 1-based line at ``position``.
    var currentLine: Int { line }

    /// Length of the line end at `p`: 1 for LF, 2 for CR LF, 1 for a CR that ends the input;
    /// 0 when there is none (a lone CR inside a line is data).
    @inline(__always)
    private static func lineEnd(_ base: UnsafePointer<UInt8>, _ p: Int, _ n: Int) -> Int {
        switch base[p] {
        case 10: 1
        case 13: p + 1 == n ? 1 : base[p + 1] == 10 ? 2 : 0
        default: 0
        }
    }

    /// Reads the next record into `record` (reusing its storage); false at the end of input.
    mutating func next(into record: inout CSVRecord) -> Bool {
        let n = buffer.count
        guard let base = buffer.baseAddress else { return false }
        var p = offset
        var line = self.line
        guard p < stop else { return false }
        // Blank lines carry no record; a file may end with one.
        while p < n {
            let eol = Self.lineEnd(base, p, n)
            if eol == 0 { break }
            p += eol
            line += 1
        }
        if !isKnownUniquelyReferenced(&record.cells) { record.cells = record.cells.copy() }
        let cells = record.cells
        let cellBase = cells.base
        cells.count = 0
        scratch.count = 0
        record.problem = nil
        record.line = line
        guard p < n, p < stop else {
            offset = p
            self.line = line
            return false
        }
        let recordStart = p
        var fieldCount = 0

        /// Syntax error: give up this row and resume on the line after its first line.
        func recover(_ problem: CSVProblem) {
            cells.count = min(fieldCount, CSVLimits.maxFields)
            record.problem = problem
            var q = recordStart
            while q < n, base[q] != 10 { q += 1 }
            offset = q < n ? q + 1 : n
            self.line = record.line + 1
        }

        /// Keeps cell `start..<end` (quotes excluded), or notes the row's limit it breaks.
        @inline(__always)
        func add(_ start: Int, _ end: Int, quoted: Bool, unescaped: Bool, ascii: Bool) {
            if fieldCount < CSVLimits.maxFields {
                (cellBase + fieldCount).initialize(
                    to:
                        CSVField(start: start, end: end, isQuoted: quoted, isUnescaped: unescaped, isASCII: ascii))
            } else if record.problem == nil {
                record.problem = .tooManyFields
            }
            if end - start > CSVLimits.maxCellBytes, record.problem == nil {
                record.problem = .cellTooLong(field: fieldCount)
            }
            fieldCount += 1
        }

        cellLoop: while true {
            var start = p
            var end: Int
            var high: UInt8 = 0
            var more = false  // a comma ended the cell: another cell follows
            if p < n, base[p] == 34 {
                p += 1
                start = p
                var escaped = false
                var closed = false
                while p < n {
                    let c = base[p]
                    if c == 34 {
                        if p + 1 < n, base[p + 1] == 34 {
                            escaped = true
                            p += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    if c == 10 { line += 1 }
                    high |= c
                    p += 1
                }
                guard closed else {
                    recover(.unterminatedQuote)
                    return true
                }
                end = p
                if escaped {
                    (start, end) = scratch.appendUndoubled(base + start, end - start)
                }
                p += 1
                if p < n {
                    let eol = Self.lineEnd(base, p, n)
                    if base[p] == 44 {
                        p += 1
                        more = true
                    } else if eol > 0 {
                        p += eol
                        line += 1
                    } else {
                        recover(.strayQuote(field: fieldCount))
                        return true
                    }
                }
                add(start, end, quoted: true, unescaped: escaped, ascii: high < 0x80)
                if !more { break }
                continue
            }
            // Unquoted cells, eight bytes at a time: one mask marks every comma, LF and quote of
            // a word, and each marked byte ends the cell it closes, so that a word holding the
            // ends of several cells is read once. `p` is the word's offset; the cell starts at it
            // or in an earlier word, whose bytes of the cell `wide` holds.
            var wide: UInt64 = 0
            while p + 8 <= n {
                let w = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
                var stops = SWAR.stopMask(w)
                if stops == 0 {
                    wide |= w
                    p += 8
                    continue
                }
                // Bytes of the word before the cell's start (0 while it started at or before p).
                var before = 0
                repeat {
                    let at = stops.trailingZeroBitCount >> 3
                    let stop = p + at
                    let cellHigh = (wide | (w & SWAR.lowBytes(at) & ~SWAR.lowBytes(before))) & SWAR.highBits
                    switch base[stop] {
                    case 44:
                        add(start, stop, quoted: false, unescaped: false, ascii: cellHigh == 0)
                    case 10:
                        end = stop > start && base[stop - 1] == 13 ? stop - 1 : stop
                        add(start, end, quoted: false, unescaped: false, ascii: cellHigh == 0)
                        p = stop + 1
                        line += 1
                        break cellLoop
                    default:  // a quote: a quoted cell if it opens one, else a stray one
                        guard stop == start else {
                            recover(.strayQuote(field: fieldCount))
                            return true
                        }
                        p = stop
                        continue cellLoop
                    }
                    start = stop + 1
                    wide = 0
                    before = at + 1
                    stops &= stops &- 1
                } while stops != 0
                // The next cell starts in this word (its bytes from `start` on) or at the next.
                wide = start < p + 8 ? w & ~SWAR.lowBytes(start - p) : 0
                p += 8
            }
            // The last bytes of the buffer (fewer than eight), one at a time; a cell starting
            // there may be quoted (a quote inside the words read was a stop).
            if p == start, p < n, base[p] == 34 { continue cellLoop }
            if wide & SWAR.highBits != 0 { high = 0x80 }
            while p < n {
                let c = base[p]
                // Every byte that needs a look (LF, CR, quote, comma) is at most 44.
                if c > 44 {
                    high |= c
                    p += 1
                    continue
                }
                if c == 44 || c == 10 { break }
                if c == 34 {
                    recover(.strayQuote(field: fieldCount))
                    return true
                }
                p += 1
            }
            end = p
            if p < n, base[p] == 44 {
                p += 1
                more = true
            } else {
                if end > start, base[end - 1] == 13 { end -= 1 }
                if p < n {
                    p += 1
                    line += 1
                }
            }
            add(start, end, quoted: false, unescaped: false, ascii: high < 0x80)
            if !more { break }
        }
        // The cells kept: their count lives in a register while the row is read.
        cells.count = min(fieldCount, CSVLimits.maxFields)
        if p - recordStart > CSVLimits.maxRowBytes {
            // The row limit is the more basic refusal: report it over a cell or field count.
            record.problem = .rowTooLong
        }
        offset = p
        self.line = line
        return true
    }

    /// The bytes of a cell (valid while the buffer lives and, for an unescaped cell, until the
    /// next record).
    func bytes(_ field: CSVField) -> UnsafeBufferPointer<UInt8> {
        if field.isUnescaped { return UnsafeBufferPointer(start: scratch.base + field.start, count: field.count) }
        return UnsafeBufferPointer(rebasing: buffer[field.start..<field.end])
    }

    /// The cell as a String (invalid UTF-8 replaced by U+FFFD; check ``isValidUTF8(_:)`` first).
    func string(_ field: CSVField) -> String {
        String(decoding: bytes(field), as: UTF8.self)
    }

    /// Whether a cell is well-formed UTF-8.
    func isValidUTF8(_ field: CSVField) -> Bool {
        field.isASCII || UTF8Check.isValid(bytes(field))
    }
}

/// Growable bytes owned by a reader, for cells whose doubled quotes are undone.
private final class Scratch {
    private(set) var base = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    private var capacity = 256
    var count = 0

    /// Appends `n` bytes with each `""` written as `"`; returns the new cell's offsets.
    func appendUndoubled(_ from: UnsafePointer<UInt8>, _ n: Int) -> (Int, Int) {
        if count + n > capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity * 2, count + n))
            bigger.update(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity = max(capacity * 2, count + n)
        }
        let start = count
        var r = 0
        while r < n {
            let c = from[r]
            base[count] = c
            count += 1
            r += c == 34 ? 2 : 1
        }
        return (start, count)
    }

    deinit { base.deallocate() }
}
