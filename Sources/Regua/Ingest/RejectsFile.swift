extension InputReader {
    /// rejects.csv for the finance team: `file,line,column,reason`, one row per refused input
    /// row, cells a spreadsheet would run as a formula neutralised.
    public static func rejectsCSV(_ rejects: [Reject]) -> [UInt8] {
        var writer = CSVWriter(header: ["file", "line", "column", "reason"], neutraliseFormulas: true)
        for r in rejects {
            writer.row([r.file, String(r.line), r.column, r.reason])
        }
        return writer.bytes
    }
}
