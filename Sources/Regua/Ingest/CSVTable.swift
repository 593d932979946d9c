/// A CSV input file seen through its header: rows whose cells are looked up by column.
///
/// Header names are trimmed and compared case-insensitively; columns may come in any order;
/// unknown columns are ignored; an empty cell is absent. Its scanner reads the file's bytes in
/// place: a table must not outlive them (ingest keeps the ``FileBuffer`` alive around it).
struct CSVTable {
    /// File name used in rejects.
    let file: String
    /// Canonical names of the known columns, by column number.
    let names: [String]
    /// Cell index of each known column in a row, or -1 when the file does not have it.
    private let index: [Int]
    /// Header names as written (trimmed, lower-cased, made safe), by cell index.
    private let headerNames: [String]
    private var reader: UnsafeCSVScanner
    private(set) var record = CSVRecord()

    /// Reads the header row; throws when there is none, it cannot be read, a column appears
    /// twice, or a required column is missing.
    init(
        buffer: UnsafeBufferPointer<UInt8>, path: String, file: String, names: [String],
        required: [String]
    ) throws(InputError) {
        self.file = file
        self.names = names
        reader = UnsafeCSVScanner(buffer)
        guard reader.next(into: &record) else {
            throw InputError(
                path: path, kind: .badHeader,
                message: "the file is empty: a header row with \(required.joined(separator: ", ")) is required")
        }
        if let problem = record.problem {
            throw InputError(
                path: path, kind: .badHeader,
                message: "the header row (line \(record.line)) cannot be read: \(Self.describe(problem))")
        }
        var headerNames: [String] = []
        var index = [Int](repeating: -1, count: names.count)
        for (i, field) in record.fields.enumerated() {
            let name = CellText.plainText(CellText.trimmed(reader.bytes(field))).lowercased()
            headerNames.append(name)
            guard let k = names.firstIndex(of: name) else { continue }
            if index[k] >= 0 {
                throw InputError(
                    path: path, kind: .badHeader,
                    message: "column '\(name)' appears twice in the header (cells \(index[k] + 1) and \(i + 1))")
            }
            index[k] = i
        }
        let missing = required.filter { index[names.firstIndex(of: $0)!] < 0 }
        if !missing.isEmpty {
            let list = missing.map { "'\($0)'" }.joined(separator: ", ")
            let word = missing.count == 1 ? "column" : "columns"
            throw InputError(
                path: path, kind: .missingColumns(missing),
                message: "the header lacks the required \(word) \(list)")
        }
        self.index = index
        self.headerNames = headerNames
    }

    /// A cursor over the rows that start in `from..<stop`, `from` being the start of line `line`.
    func rows(from: Int, stop: Int, line: Int) -> CSVTable {
        var t = self
        t.reader = UnsafeCSVScanner(reader.buffer, from: from, line: line, stop: stop)
        t.record = CSVRecord()
        return t
    }

    /// The table as the threads that read its pieces share it.
    var shared: Shared {
        Shared(
            file: file, names: names, index: index, headerNames: headerNames, bytes: SharedBuffer(reader.buffer),
            positionLine: positionLine)
    }

    /// A table whose pieces are read on several threads at once: its header, and the file's
    /// bytes, which nobody writes.
    struct Shared: Sendable {
        let file: String
        let names: [String]
        fileprivate let index: [Int]
        fileprivate let headerNames: [String]
        let bytes: SharedBuffer<UInt8>
        /// 1-based line where the rows start (after the header).
        let positionLine: Int

        /// ``CSVTable/rows(from:stop:line:)`` of the table.
        func rows(from: Int, stop: Int, line: Int) -> CSVTable {
            CSVTable(self, reader: UnsafeCSVScanner(bytes.buffer, from: from, line: line, stop: stop))
        }
    }

    private init(_ shared: Shared, reader: UnsafeCSVScanner) {
        file = shared.file
        names = shared.names
        index = shared.index
        headerNames = shared.headerNames
        self.reader = reader
    }

    /// The file's bytes.
    var buffer: UnsafeBufferPointer<UInt8> { reader.buffer }

    /// Offset where the next row starts (right after the header before the first ``next()``).
    var position: Int { reader.position }

    /// 1-based line at ``position``.
    var positionLine: Int { reader.currentLine }

    /// Moves to the next row; false at the end of the file (or of the chunk).
    mutating func next() -> Bool { reader.next(into: &record) }

    /// 1-based line on which the current row starts.
    var line: Int { record.line }

    /// Why the current row cannot be trusted as a whole (syntax, limits, cell count), if so.
    func rowProblem() -> RowReject? {
        if let p = record.problem {
            switch p {
            case .strayQuote(let i), .cellTooLong(let i):
                return RowReject(column: headerName(i), reason: Self.describe(p))
            default:
                return RowReject(column: "", reason: Self.describe(p))
            }
        }
        if record.fieldCount != headerNames.count {
            return RowReject(
                column: "",
                reason: "a linha tem \(record.fieldCount) células, mas o cabeçalho tem "
                    + "\(headerNames.count) (uma célula com vírgula precisa estar entre aspas)")
        }
        return nil
    }

    /// The trimmed cell of a known column, or nil when the column is absent or the cell empty.
    /// A cell that is not UTF-8 refuses the row.
    @inline(__always)
    func cell(_ column: Int) throws(RowReject) -> CellBytes? {
        guard let (b, ascii) = unchecked(column) else { return nil }
        if !ascii, !UTF8Check.isValid(b) { throw notUTF8(column, b) }
        return b
    }

    /// The trimmed cell of a known column and whether it is ASCII, its UTF-8 not yet checked.
    @inline(__always)
    private func unchecked(_ column: Int) -> (CellBytes, ascii: Bool)? {
        let i = index[column]
        guard i >= 0, i < record.fieldCount else { return nil }
        let field = record.field(i)
        let b = CellText.trimmed(reader.bytes(field))
        return b.isEmpty ? nil : (b, field.isASCII)
    }

    private func notUTF8(_ column: Int, _ b: CellBytes) -> RowReject {
        RowReject(
            column: names[column],
            reason: "\(names[column]) tem bytes que não são UTF-8 "
                + "\(CellText.echo(b)) (o arquivo foi salvo em Latin-1 ou Windows-1252? exporte em UTF-8)")
    }

    /// The cell of a required column; an absent or empty one refuses the row.
    @inline(__always)
    func required(_ column: Int) throws(RowReject) -> CellBytes {
        guard let b = try cell(column) else {
            throw RowReject(column: names[column], reason: "\(names[column]) está vazio (é obrigatório)")
        }
        return b
    }

    /// A key cell (customer_id, title_id): required, no control characters, at most 100 characters.
    func key(_ column: Int) throws(RowReject) -> String {
        let b = try required(column)
        let name = names[column]
        if CellText.hasControl(b) {
            throw RowReject(
                column: name,
                reason: "\(name) \(CellText.echo(b)) tem um caractere de controle (quebra de linha, tabulação…)")
        }
        // Output files list ids separated by ";" (sms.csv, letters.csv) and "," (X-Regua-Titles):
        // an id holding either could not be told apart from two ids.
        if CellText.hasListSeparator(b) {
            throw RowReject(
                column: name,
                reason: "\(name) \(CellText.echo(b)) tem ';' ou ',', que os arquivos de saída usam para separar códigos"
            )
        }
        if b.count > CellText.maxKeyScalars, CellText.scalarCount(b) > CellText.maxKeyScalars {
            throw RowReject(column: name, reason: "\(name) tem mais de \(CellText.maxKeyScalars) caracteres")
        }
        return String(decoding: b, as: UTF8.self)
    }

    /// The key of the current row if it can be read, even from a row refused as a whole.
    func readableKey(_ column: Int) -> String? { try? key(column) }

    /// Free text (name, address part, segment) appended to `out` as bytes, as
    /// ``text(_:column:)`` gives it: controls become spaces; over 200 characters refuses the
    /// row; a cell that is not UTF-8 refuses the row. False (nothing appended) when absent.
    func appendText(_ column: Int, to out: TextBytes) throws(RowReject) -> Bool {
        guard let (b, ascii) = unchecked(column) else { return false }
        if ascii {
            // At most 200 bytes, each a character: no length to count.
            if b.count > CellText.maxTextScalars { try Self.checkLength(b, column: names[column]) }
            return CellText.appendPlainASCII(b, to: out)
        }
        if !UTF8Check.isValid(b) { throw notUTF8(column, b) }
        try Self.checkLength(b, column: names[column])
        return CellText.appendPlainText(b, to: out)
    }

    /// Refuses free text over ``CellText/maxTextScalars`` characters.
    @inline(__always)
    static func checkLength(_ b: CellBytes, column: String) throws(RowReject) {
        if b.count > CellText.maxTextScalars, CellText.scalarCount(b) > CellText.maxTextScalars {
            throw RowReject(
                column: column,
                reason: "\(column) tem mais de \(CellText.maxTextScalars) caracteres "
                    + "(\(CellText.scalarCount(b)))")
        }
    }

    /// Free text from bytes (a tag): controls become spaces; over 200 characters refuses the
    /// row; nil when nothing is left.
    static func text(_ b: CellBytes, column: String) throws(RowReject) -> String? {
        try checkLength(b, column: column)
        let s = CellText.plainText(b)
        return s.isEmpty ? nil : s
    }

    private func headerName(_ i: Int) -> String {
        guard i < headerNames.count else { return "" }
        let name = headerNames[i]
        return name.unicodeScalars.count > CellText.maxEchoScalars
            ? String(String.UnicodeScalarView(name.unicodeScalars.prefix(CellText.maxEchoScalars))) : name
    }

    /// A CSV problem in plain words.
    static func describe(_ p: CSVProblem) -> String {
        switch p {
        case .unterminatedQuote:
            return "uma célula entre aspas nunca é fechada (falta um \"); a leitura continuou na linha seguinte"
        case .strayQuote:
            return
                "aspas (\") soltas numa célula: uma célula com aspas deve estar toda entre aspas, com as aspas internas dobradas (\"\")"
        case .cellTooLong:
            return "uma célula passa de 64 KiB, o limite de uma célula"
        case .rowTooLong:
            return "a linha passa de 1 MiB, o limite de uma linha"
        case .tooManyFields:
            return "a linha tem mais de \(CSVLimits.maxFields) células, o limite de uma linha"
        }
    }
}
