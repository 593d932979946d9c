/// One bank instruction of the night, for one title.
public struct RemittanceItem: Sendable {
    /// The title (its `nossoNumero` is required).
    public var title: Title
    /// The payer (name, document and address go to segment Q).
    public var customer: Customer
    /// What to ask the bank.
    public var instruction: RemittanceInstruction
    /// The effective (current) due date, the one the bank holds or is to hold.
    public var dueDate: Day
    /// Multa: sent in segment R when registering a title.
    public var lateFeePercent: Percent
    /// Juros de mora per month: sent in segment P as an amount per day (rate / 30).
    public var interestPercentMonth: Percent

    /// Creates an item.
    public init(
        title: Title, customer: Customer, instruction: RemittanceInstruction, dueDate: Day,
        lateFeePercent: Percent, interestPercentMonth: Percent
    ) {
        self.title = title
        self.customer = customer
        self.instruction = instruction
        self.dueDate = dueDate
        self.lateFeePercent = lateFeePercent
        self.interestPercentMonth = interestPercentMonth
    }
}

/// The CNAB 240 cobrança remittance ("remessa") in the dialects of Banco do Brasil (001)
/// and Itaú (341). Positions and choices, with sources: docs/BANKING-NOTES.md.
///
/// A file is: file header, one or more batches (batch header, segments P + Q (+ R) per item,
/// batch trailer), file trailer; 240 bytes and CRLF per record. Output depends only on the
/// arguments (the header time is `000000`), so a rerun of a night is byte-identical.
public enum CNAB240Remittance {
    /// Detail records a batch can number (positions 9–13 hold 5 digits).
    public static let maxDetailsPerBatch = 99_999
    /// Records a file can count (file trailer positions 24–29 hold 6 digits).
    public static let maxRecordsPerFile = 999_999
    /// Batches a file can number (4 digits; 9999 is the file trailer's).
    static let maxBatchesPerFile = 9_998

    /// Builds one remittance file; throws when an item cannot be written (no nosso número,
    /// unsupported bank, a number too wide for its field) or when the file would count more
    /// than 999,999 records (use ``buildFiles(bank:company:nsa:date:items:maxDetailsPerBatch:maxRecordsPerFile:)``).
    ///
    /// Items go in the given order; a batch holds at most `maxDetailsPerBatch` detail records
    /// and an item's segments never straddle two batches.
    public static func build(
        bank: BankAccount, company: Company, nsa: Int, date: Day, items: [RemittanceItem],
        maxDetailsPerBatch: Int = maxDetailsPerBatch
    ) throws -> [UInt8] {
        try build(
            bank: bank, company: company, nsa: nsa, date: date, items: items,
            maxDetailsPerBatch: maxDetailsPerBatch, maxRecordsPerFile: maxRecordsPerFile)
    }

    /// ``build(bank:company:nsa:date:items:maxDetailsPerBatch:)`` with a record limit, so tests
    /// can reach it without a million records.
    static func build(
        bank: BankAccount, company: Company, nsa: Int, date: Day, items: [RemittanceItem],
        maxDetailsPerBatch: Int, maxRecordsPerFile: Int
    ) throws -> [UInt8] {
        let writer = try CNAB240Writer(bank: bank, company: company, nsa: nsa, date: date)
        let prepared = try items.map { try writer.prepare($0) }
        return try assemble(
            writer, prepared, maxDetailsPerBatch: maxDetailsPerBatch, maxRecordsPerFile: maxRecordsPerFile)
    }

    /// Builds as many files as needed so that none passes `maxRecordsPerFile` records; the
    /// k-th file (from 0) carries NSA `nsa + k`, so the caller must reserve that many numbers.
    public static func buildFiles(
        bank: BankAccount, company: Company, nsa: Int, date: Day, items: [RemittanceItem],
        maxDetailsPerBatch: Int = maxDetailsPerBatch,
        maxRecordsPerFile: Int = maxRecordsPerFile
    ) throws -> [(name: String, bytes: [UInt8])] {
        guard maxRecordsPerFile >= 7, maxRecordsPerFile <= Self.maxRecordsPerFile else {
            throw BankError("maxRecordsPerFile must be between 7 and \(Self.maxRecordsPerFile)")
        }
        let first = try CNAB240Writer(bank: bank, company: company, nsa: nsa, date: date)
        let prepared = try items.map { try first.prepare($0) }
        let groups = try split(
            prepared.map(\.detailCount), maxDetailsPerBatch: maxDetailsPerBatch,
            maxRecordsPerFile: maxRecordsPerFile)
        var out: [(name: String, bytes: [UInt8])] = []
        for (k, range) in groups.enumerated() {
            let writer = try CNAB240Writer(bank: bank, company: company, nsa: nsa + k, date: date)
            let bytes = try assemble(
                writer, Array(prepared[range]), maxDetailsPerBatch: maxDetailsPerBatch,
                maxRecordsPerFile: maxRecordsPerFile)
            out.append((fileName(bank: bank, nsa: nsa + k, date: date), bytes))
        }
        return out
    }

    /// `<bank>_<YYYYMMDD>_<NSA>.REM`, e.g. `001_20261123_000042.REM`: digits and `_` only,
    /// safe in any folder, sorted by date then sequence.
    public static func fileName(bank: BankAccount, nsa: Int, date: Day) -> String {
        let code = String(bank.code.filter(\.isASCIIDigit).suffix(3))
        let c = date.components
        return (code.isEmpty ? "000" : pad(Int(code)!, 3)) + "_" + pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2)
            + "_" + pad(max(0, min(nsa, 999_999)), 6) + ".REM"
    }

    /// Batches of item indices: consecutive items while their details fit.
    static func batches(_ detailCounts: [Int], maxDetailsPerBatch: Int) throws -> [Range<Int>] {
        guard maxDetailsPerBatch >= 3, maxDetailsPerBatch <= Self.maxDetailsPerBatch else {
            throw BankError("maxDetailsPerBatch must be between 3 and \(Self.maxDetailsPerBatch)")
        }
        var out: [Range<Int>] = []
        var start = 0
        var details = 0
        for (i, n) in detailCounts.enumerated() {
            if details + n > maxDetailsPerBatch {
                out.append(start..<i)
                start = i
                details = 0
            }
            details += n
        }
        if start < detailCounts.count { out.append(start..<detailCounts.count) }
        return out
    }

    /// Items per file, greedily, so that each file's record count stays within the limit.
    static func split(_ detailCounts: [Int], maxDetailsPerBatch: Int, maxRecordsPerFile: Int) throws -> [Range<Int>] {
        guard !detailCounts.isEmpty else { return [0..<0] }
        var files: [Range<Int>] = []
        var start = 0
        var records = 2  // file header and trailer
        var batchDetails = 0
        var batchCount = 0
        for (i, n) in detailCounts.enumerated() {
            let newBatch = batchCount == 0 || batchDetails + n > maxDetailsPerBatch
            let cost = n + (newBatch ? 2 : 0)
            if records + cost > maxRecordsPerFile || (newBatch && batchCount == maxBatchesPerFile) {
                files.append(start..<i)
                start = i
                records = 2 + n + 2
                batchDetails = n
                batchCount = 1
                continue
            }
            records += cost
            if newBatch {
                batchCount += 1
                batchDetails = n
            } else {
                batchDetails += n
            }
        }
        files.append(start..<detailCounts.count)
        return files
    }

    /// Writes the records of one file.
    private static func assemble(
        _ w: CNAB240Writer, _ items: [PreparedRemittanceItem],
        maxDetailsPerBatch: Int, maxRecordsPerFile: Int
    ) throws -> [UInt8] {
        let groups = try batches(items.map(\.detailCount), maxDetailsPerBatch: maxDetailsPerBatch)
        guard groups.count <= maxBatchesPerFile else {
            throw BankError("the remittance needs \(groups.count) batches; a file numbers at most \(maxBatchesPerFile)")
        }
        let totalRecords = 2 + groups.reduce(0) { sum, g in sum + 2 + items[g].reduce(0) { $0 + $1.detailCount } }
        guard totalRecords <= maxRecordsPerFile else {
            throw BankError(
                "the remittance would hold \(totalRecords) records; a file counts at most \(maxRecordsPerFile) (use buildFiles to split it)"
            )
        }
        var out: [UInt8] = []
        out.reserveCapacity(totalRecords * 242)
        func emit(_ r: CNABRecord) {
            out.append(contentsOf: r.bytes)
            out.append(13)
            out.append(10)
        }
        emit(try w.fileHeader())
        for (b, group) in groups.enumerated() {
            let batch = b + 1
            emit(try w.batchHeader(batch: batch))
            var seq = 0
            for item in items[group] {
                for record in try w.details(item, batch: batch, firstSequence: seq + 1) { emit(record) }
                seq += item.detailCount
            }
            emit(try w.batchTrailer(batch: batch, records: seq + 2))
        }
        emit(try w.fileTrailer(batches: groups.count, records: totalRecords))
        return out
    }
}
