import Testing
@testable import Regua

@Suite struct CSVReaderTests {
    private func rows(_ text: String) -> [CSVReader.Row] { CSVReader.rows(Array(text.utf8)) }

    @Test func quotedCellsWithEscapesCommasAndLineBreaks() {
        let r = rows("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"line1\r\nline2\"\r\nplain,,end\r\n")
        #expect(r.count == 3)
        #expect(r[1].cells == ["x, y", "say \"hi\"", "line1\r\nline2"])
        #expect(r[1].line == 2)
        // The quoted line break counts: the next record starts on line 4.
        #expect(r[2].cells == ["plain", "", "end"])
        #expect(r[2].line == 4)
        #expect(r.allSatisfy { $0.problem == nil })
    }

    @Test func bomIsSkippedAndLFEndingsAndTrailingBlankLinesWork() {
        let r = CSVReader.rows([0xEF, 0xBB, 0xBF] + Array("id,name\n1,Ana\n\n2,Bia\n\n".utf8))
        #expect(r.map(\.cells) == [["id", "name"], ["1", "Ana"], ["2", "Bia"]])
        #expect(r.map(\.line) == [1, 2, 4])
    }

    @Test func crlfIsStrippedButABareCRIsData() {
        let r = rows("a,b\r\n1,x\ry\r\n")
        #expect(r[1].cells == ["1", "x\ry"])
    }

    @Test func lastRecordWithoutLineEndAndTrailingEmptyCell() {
        let r = rows("a,b\n1,")
        #expect(r[1].cells == ["1", ""])
    }

    @Test func unterminatedQuoteIsReportedAndReadingResumesOnTheNextLine() {
        let r = rows("a,b\n1,\"open\n2,ok\n")
        #expect(r[1].line == 2)
        #expect(r[1].problem == .unterminatedQuote)
        #expect(r[2].cells == ["2", "ok"])
        #expect(r[2].line == 3)
    }

    @Test func strayQuotesAreReportedPerRow() {
        let r = rows("a,b\n1,ab\"c\n2,\"x\"y\n3,fine\n")
        #expect(r[1].problem == .strayQuote(field: 1))
        #expect(r[2].problem == .strayQuote(field: 1))
        #expect(r[3].cells == ["3", "fine"])
        #expect(r[3].line == 4)
    }

    @Test func limitsRefuseTheRowNotTheFile() {
        let bigCell = String(repeating: "x", count: CSVLimits.maxCellBytes + 1)
        let manyCells = Array(repeating: "1", count: CSVLimits.maxFields + 1).joined(separator: ",")
        let bigRow = Array(repeating: String(repeating: "y", count: 60_000), count: 20).joined(separator: ",")
        let r = rows("a,b\n1,\(bigCell)\n\(manyCells)\n\(bigRow)\n2,ok\n")
        #expect(r[1].problem == .cellTooLong(field: 1))
        #expect(r[2].problem == .tooManyFields)
        #expect(r[2].cells.count == CSVLimits.maxFields)
        #expect(r[3].problem == .rowTooLong)
        #expect(r[4].cells == ["2", "ok"])
        #expect(r[4].line == 5)
    }

    @Test func nonUTF8BytesAreDetectedPerCell() {
        var bytes = Array("a,b\n1,Jo".utf8) + [0xE3, 0x6F] + Array("\n".utf8)  // Latin-1 "João"
        bytes += Array("2,Jo\u{E3}o\n".utf8)
        bytes.withUnsafeBufferPointer { buf in
            var reader = UnsafeCSVScanner(buf)
            var record = CSVRecord()
            _ = reader.next(into: &record)
            _ = reader.next(into: &record)
            #expect(!record.fields[1].isASCII)
            #expect(!reader.isValidUTF8(record.fields[1]))
            _ = reader.next(into: &record)
            #expect(reader.isValidUTF8(record.fields[1]))
            #expect(reader.string(record.fields[1]) == "João")
        }
    }

    @Test(
        arguments: [
            ([0xC3, 0xA9], true), ([0xC3], false), ([0xC0, 0x80], false), ([0xED, 0xA0, 0x80], false),
            ([0xF0, 0x9F, 0x98, 0x80], true), ([0xF4, 0x90, 0x80, 0x80], false), ([0xE2, 0x82, 0xAC], true),
        ] as [([UInt8], Bool)])
    func utf8Check(bytes: [UInt8], valid: Bool) {
        #expect(bytes.withUnsafeBufferPointer(UTF8Check.isValid) == valid)
    }

    @Test func lineAtOffsetCountsEveryLF() {
        let text = Array("a\nbb\n\"c\nd\"\n".utf8) + Array(repeating: UInt8(ascii: "z"), count: 30) + [10, 65]
        text.withUnsafeBufferPointer { b in
            for offset in 0...b.count {
                let expected = 1 + b[0..<offset].filter { $0 == 10 }.count
                #expect(Chunking.line(at: offset, in: b) == expected)
            }
        }
    }

    /// The vector count of LFs agrees with a byte loop over any range: ranges shorter than a
    /// vector, unaligned ones, and ranges past the 255 vectors after which the lanes are added.
    @Test func lineFeedsAreCountedLikeAByteLoop() {
        var rng = SystemRandomNumberGenerator()
        let bytes: [UInt8] = (0..<20_000).map { _ in
            // Dense LFs in some stretches (a lane may count up to 255), sparse in others.
            Int.random(in: 0..<100, using: &rng) < 30 ? 10 : UInt8.random(in: 0...255, using: &rng)
        }
        let dense = [UInt8](repeating: 10, count: 16 * 300)
        for text in [bytes, dense] {
            text.withUnsafeBufferPointer { b in
                for _ in 0..<200 {
                    let from = Int.random(in: 0...b.count, using: &rng)
                    let to = Int.random(in: from...b.count, using: &rng)
                    let expected = b[from..<to].filter { $0 == 10 }.count
                    #expect(Chunking.lineFeeds(in: b, from: from, to: to) == expected, "\(from)..<\(to)")
                }
                #expect(Chunking.lineFeeds(in: b, from: 0, to: b.count) == b.filter { $0 == 10 }.count)
            }
        }
    }

    /// The word-at-a-time scan must split cells exactly where a byte loop would: cells of every
    /// length, with spaces, signs, CR and non-ASCII bytes around every stop position.
    @Test func wordScanSplitsCellsLikeAByteLoop() {
        var rng = SplitMix64(seed: 7)
        let alphabet: [UInt8] = Array("ab +-.09\r\t".utf8) + [0xC3, 0xA7, 0x80, 0x7F, 0x2D, 0x2B, 0x20]
        var expected: [[[UInt8]]] = []
        var text: [UInt8] = []
        for _ in 0..<400 {
            var row: [[UInt8]] = []
            for _ in 0..<Int(rng.next() % 6 + 1) {
                row.append((0..<Int(rng.next() % 20)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            }
            while row[row.count - 1].last == 13 { row[row.count - 1].removeLast() }  // a CR before LF ends the line
            if row.allSatisfy(\.isEmpty) { row[0] = [65] }  // an all-empty row of one cell is a blank line
            expected.append(row)
            text += Array(row.joined(separator: [44])) + [10]
        }
        text.withUnsafeBufferPointer { buf in
            var reader = UnsafeCSVScanner(buf)
            var record = CSVRecord()
            for row in expected {
                let more = reader.next(into: &record)
                #expect(more)
                #expect(record.problem == nil)
                let cells = record.fields.map { Array(reader.bytes($0)) }
                #expect(cells == row)
                #expect(record.fields.map(\.isASCII) == row.map { $0.allSatisfy { $0 < 0x80 } })
            }
            let more = reader.next(into: &record)
            #expect(!more)
        }
    }

    /// The word-at-a-time reader reads exactly what the rules say byte by byte (``ByteReader``):
    /// random files of quoted and unquoted cells, doubled quotes, CR, LF, blank lines, accents,
    /// and noise that makes stray and unterminated quotes; every record's line, problem, cells,
    /// quoting and ASCII flag, and where reading goes on.
    @Test func readsWhatAByteByByteReaderReads() {
        var rng = SplitMix64(seed: 2026)
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        let pieces: [[UInt8]] = ["a", "bc", "12.50", " ", "\u{E9}", "\u{E7}\u{E3}o", "\r", "x\r", "\u{2028}"].map {
            Array($0.utf8)
        }
        for _ in 0..<3_000 {
            var text: [UInt8] = []
            for _ in 0..<Int(rng.next() % 12) {
                let cells = Int(rng.next() % 14)
                for c in 0..<cells {
                    if c > 0 { text.append(44) }
                    var cell: [UInt8] = []
                    for _ in 0..<Int(rng.next() % 5) { cell += pick(pieces) }
                    switch rng.next() % 10 {
                    case 0, 1:  // quoted, maybe holding commas, line ends and doubled quotes
                        let inner = cell + pick([[], [44], [10], [13, 10], [34, 34], [34, 34, 97, 34, 34]]) + cell
                        text += [34] + inner + [34]
                    case 2:  // noise
                        text += cell + [pick([34, 44, 10, 13, 0xC3])] + cell
                    default:
                        text += cell
                    }
                }
                text += pick([[10], [13, 10], [10, 10], [13, 10, 13, 10], []])
            }
            var reference = ByteReader(text)
            text.withUnsafeBufferPointer { b in
                var reader = UnsafeCSVScanner(b)
                var record = CSVRecord()
                while true {
                    let expected = reference.next()
                    let more = reader.next(into: &record)
                    #expect(more == (expected != nil))
                    guard more, let expected else { break }
                    let got = ByteReader.Record(
                        line: record.line, problem: record.problem,
                        cells: record.fields.map { Array(reader.bytes($0)) },
                        quoted: record.fields.map(\.isQuoted), ascii: record.fields.map(\.isASCII))
                    #expect(got == expected, "\(String(decoding: text, as: UTF8.self).debugDescription)")
                    if got != expected { return }
                    #expect(reader.position == reference.offset && reader.currentLine == reference.line)
                }
            }
        }
    }

    @Test func wordMasksFindTheFirstMatchingByte() {
        var rng = SplitMix64(seed: 11)
        let interesting: [UInt8] = [0, 1, 9, 10, 13, 31, 32, 33, 34, 43, 44, 45, 126, 127, 128, 0xC2, 0xE2, 0xFF]
        for _ in 0..<20_000 {
            let bytes = (0..<8).map { _ in
                rng.next() % 2 == 0
                    ? interesting[Int(rng.next() % UInt64(interesting.count))] : UInt8(truncatingIfNeeded: rng.next())
            }
            let w = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            for target: UInt8 in [10, 34, 44, 127, 0xC2] {
                let m = SWAR.equalMask(w, SWAR.ones &* UInt64(target))
                let first = bytes.firstIndex(of: target)
                #expect((m == 0) == (first == nil))
                if let first { #expect(m.trailingZeroBitCount >> 3 == first) }
            }
            #expect((SWAR.lessMask(w, 32) != 0) == bytes.contains { $0 < 32 })
        }
    }

    @Test func controlCharactersAreFoundAtEveryPosition() {
        let controls: [[UInt8]] = [[9], [0], [31], [127], [0xC2, 0x85], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9]]
        let harmless: [[UInt8]] = [[0xC3, 0xA7], [0xE2, 0x82, 0xAC], [0xC2, 0xA0]]
        for length in 0..<20 {
            for position in 0...length {
                for c in controls {
                    let bytes =
                        Array(repeating: UInt8(ascii: "x"), count: position) + c
                        + Array(repeating: UInt8(ascii: "y"), count: length - position)
                    let found = bytes.withUnsafeBufferPointer(CellText.hasControl)
                    #expect(found, "\(bytes)")
                }
                for h in harmless {
                    let bytes =
                        Array(repeating: UInt8(ascii: "x"), count: position) + h
                        + Array(repeating: UInt8(ascii: "y"), count: length - position)
                    let found = bytes.withUnsafeBufferPointer(CellText.hasControl)
                    #expect(!found, "\(bytes)")
                }
            }
        }
    }

    /// ASCII text copied and checked a word at a time appends what the general path appends:
    /// every length up to 24, a control (C0, DEL) at every position or none, after text
    /// already in the buffer and with more appended behind it.
    @Test func asciiTextAppendsLikeTheGeneralPath() {
        for length in 0..<25 {
            for position in -1..<length {
                for control: UInt8 in [9, 0, 13, 31, 127] {
                    var bytes = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
                    if position >= 0 { bytes[position] = control }
                    if length > 2, position == 0 { bytes[length - 1] = 10 }  // controls at both ends
                    let fast = TextBytes(capacity: 4)
                    let general = TextBytes(capacity: 4)
                    for out in [fast, general] { out.append("prefix") }
                    let (a, b) = bytes.withUnsafeBufferPointer {
                        (CellText.appendPlainASCII($0, to: fast), CellText.appendPlainText($0, to: general))
                    }
                    for out in [fast, general] { out.append("!") }
                    #expect(a == b, "\(bytes)")
                    #expect(Array(fast.buffer) == Array(general.buffer), "\(bytes)")
                }
            }
        }
    }

    @Test func listSeparatorsAreFoundAtEveryPosition() {
        for length in 0..<20 {
            for position in 0...length {
                for c: UInt8 in [59, 44] {
                    let bytes =
                        Array(repeating: UInt8(ascii: "x"), count: position) + [c]
                        + Array(repeating: UInt8(ascii: "y"), count: length - position)
                    let found = bytes.withUnsafeBufferPointer(CellText.hasListSeparator)
                    #expect(found, "\(bytes)")
                }
            }
            let printable: [UInt8] = (0..<length).map { UInt8(32 + $0 % 90) }
            let clean: [UInt8] = printable.filter { $0 != 59 && $0 != 44 } + [0xC3, 0xA9, 43, 45]
            let found = clean.withUnsafeBufferPointer(CellText.hasListSeparator)
            #expect(!found, "\(clean)")
        }
    }
}

/// The CSV rules one byte at a time, as the reader applied them before it read whole words: the
/// reference that ``CSVReaderTests/readsWhatAByteByByteReaderReads()`` holds the reader to.
private struct ByteReader {
    struct Record: Equatable {
        var line: Int
        var problem: CSVProblem?
        var cells: [[UInt8]]
        var quoted: [Bool]
        var ascii: [Bool]
    }

    let b: [UInt8]
    private(set) var offset = 0
    private(set) var line = 1

    init(_ b: [UInt8]) {
        self.b = b
        offset = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    private func lineEnd(_ p: Int) -> Int {
        switch b[p] {
        case 10: 1
        case 13: p + 1 == b.count ? 1 : b[p + 1] == 10 ? 2 : 0
        default: 0
        }
    }

    mutating func next() -> Record? {
        let n = b.count
        var p = offset
        var line = self.line
        while p < n, lineEnd(p) > 0 {
            p += lineEnd(p)
            line += 1
        }
        guard p < n else {
            offset = p
            self.line = line
            return nil
        }
        var record = Record(line: line, problem: nil, cells: [], quoted: [], ascii: [])
        let recordStart = p
        func keep(_ cell: [UInt8], quoted: Bool) {
            record.cells.append(cell)
            record.quoted.append(quoted)
            record.ascii.append(cell.allSatisfy { $0 < 0x80 })
        }
        func recovered(_ problem: CSVProblem) -> Record {
            record.problem = problem
            var q = recordStart
            while q < n, b[q] != 10 { q += 1 }
            offset = q < n ? q + 1 : n
            self.line = record.line + 1
            return record
        }
        while true {
            var more = false
            if p < n, b[p] == 34 {
                p += 1
                var cell: [UInt8] = []
                var closed = false
                while p < n {
                    if b[p] == 34 {
                        if p + 1 < n, b[p + 1] == 34 {
                            cell.append(34)
                            p += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    if b[p] == 10 { line += 1 }
                    cell.append(b[p])
                    p += 1
                }
                guard closed else { return recovered(.unterminatedQuote) }
                p += 1
                if p < n {
                    if b[p] == 44 {
                        p += 1
                        more = true
                    } else if lineEnd(p) > 0 {
                        p += lineEnd(p)
                        line += 1
                    } else {
                        return recovered(.strayQuote(field: record.cells.count))
                    }
                }
                keep(cell, quoted: true)
            } else {
                let start = p
                while p < n, b[p] != 44, b[p] != 10 {
                    if b[p] == 34 { return recovered(.strayQuote(field: record.cells.count)) }
                    p += 1
                }
                var end = p
                if p < n, b[p] == 44 {
                    p += 1
                    more = true
                } else {
                    if end > start, b[end - 1] == 13 { end -= 1 }
                    if p < n {
                        p += 1
                        line += 1
                    }
                }
                keep(Array(b[start..<end]), quoted: false)
            }
            if !more { break }
        }
        offset = p
        self.line = line
        return record
    }
}
