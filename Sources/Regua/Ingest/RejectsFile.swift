extension InputReader {
    /// rejects.csv for the finance team: `file;line;column;customer_id;title_id;reason`, one row
    /// per refused input row, for a spreadsheet set to pt-BR (UTF-8 BOM, `;`), cells a
    /// spreadsheet would run as a formula neutralised.
    public static func rejectsCSV(_ rejects: [Reject]) -> [UInt8] {
        var writer = CSVWriter(
            header: ["file", "line", "column", "customer_id", "title_id", "reason"], neutraliseFormulas: true,
            forPeople: true)
        for r in rejects {
            writer.row([r.file, String(r.line), r.column, r.customerID ?? "", r.titleID ?? "", r.reason])
        }
        return writer.bytes
    }
}
