import Foundation

/// A plain RFC 4180 reader for the small CSVs that gateways and the post send back (delivery
/// reports, returned letters) and for the night's own `sms.csv`: quoted cells, doubled quotes,
/// CRLF or LF, a UTF-8 BOM; `;` is the separator when the first line has `;` and no `,`.
public enum CSVRows {
    /// The rows of a CSV text, header included.
    public static func parse(_ text: String) -> [[String]] {
        var s = Substring(text)
        if s.hasPrefix("\u{FEFF}") { s.removeFirst() }
        let firstLine = s.prefix { $0 != "\n" && $0 != "\r\n" }
        let sep: Character = firstLine.contains(";") && !firstLine.contains(",") ? ";" : ","
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var i = s.startIndex
        var atCellStart = true
        while i < s.endIndex {
            let ch = s[i]
            if quoted {
                if ch == "\"" {
                    let n = s.index(after: i)
                    if n < s.endIndex, s[n] == "\"" {
                        cell.append("\"")
                        i = s.index(after: n)
                        continue
                    }
                    quoted = false
                } else {
                    cell.append(ch)
                }
            } else if ch == "\"" && atCellStart {
                quoted = true
                atCellStart = false
            } else if ch == sep {
                row.append(cell)
                cell = ""
                atCellStart = true
                i = s.index(after: i)
                continue
            } else if ch == "\n" || ch == "\r\n" || ch == "\r" {
                row.append(cell)
                if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
                row = []
                cell = ""
                atCellStart = true
                i = s.index(after: i)
                continue
            } else {
                cell.append(ch)
                atCellStart = false
            }
            i = s.index(after: i)
        }
        row.append(cell)
        if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
        return rows
    }

    /// Rows as maps from the header's (trimmed, lower-cased) names to cells.
    public static func records(_ text: String) -> [[String: String]] {
        let rows = parse(text)
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else { return [] }
        return rows.dropFirst().map { r in
            var m: [String: String] = [:]
            for (k, v) in zip(header, r) { m[k] = v }
            return m
        }
    }
}
