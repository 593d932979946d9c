import Foundation

// An input file read again to name the rows the night refused: `explain` finds a customer's
// rejected rows by its id, the report the customer and title of each rejected row by its line.
// The night itself keeps only what it accepted, so these read the file's cells once more.

/// The rows of an input file that carry a given id, found by reading the file again: how
/// `explain` ties a rejected row to the customer asked about, whatever the reject says.
enum RejectedRowLookup {
    /// The rejects of `file` whose row has `value` in column `column`, with the row's
    /// `title_id` when the file has one.
    static func rows(path: String, column: String, value: String, rejects: [Reject]) -> [RejectedRow] {
        let name = (path as NSString).lastPathComponent
        let mine = rejects.filter { $0.file == name }
        guard !mine.isEmpty else { return [] }
        let cells = RowCells.read(path: path, lines: Set(mine.map(\.line)), columns: [column, "title_id"])
        return mine.compactMap { r in
            guard let row = cells[r.line], row[column] == value else { return nil }
            return RejectedRow(
                file: r.file, line: r.line, column: r.column, reason: r.reason,
                titleID: row["title_id"].flatMap { $0.isEmpty ? nil : $0 })
        }
    }
}

/// Cells of chosen rows of a CSV file, read again by line number.
enum RowCells {
    /// For each wanted line (where a row starts), the trimmed cells of the wanted columns the
    /// file has. Empty when the path is not a regular file or cannot be read.
    static func read(path: String, lines: Set<Int>, columns: [String]) -> [Int: [String: String]] {
        guard let last = lines.max(), RuleFiles.isRegularFile(path),
            let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        else { return [:] }
        return data.withUnsafeBytes { raw -> [Int: [String: String]] in
            let buffer = raw.bindMemory(to: UInt8.self)
            var reader = UnsafeCSVScanner(buffer)
            var record = CSVRecord()
            guard reader.next(into: &record) else { return [:] }
            var index: [String: Int] = [:]
            for (i, field) in record.fields.enumerated() {
                var name = reader.string(field)
                if name.hasPrefix("\u{FEFF}") { name.removeFirst() }
                name = name.trimmingCharacters(in: .whitespaces).lowercased()
                if columns.contains(name), index[name] == nil { index[name] = i }
            }
            var out: [Int: [String: String]] = [:]
            while reader.next(into: &record), record.line <= last {
                guard lines.contains(record.line) else { continue }
                var row: [String: String] = [:]
                for (name, i) in index where i < record.fields.count {
                    row[name] = reader.string(record.fields[i]).trimmingCharacters(in: .whitespaces)
                }
                out[record.line] = row
            }
            return out
        }
    }
}
