#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a realistic, deterministic customers.csv and receivables.csv for demos, tests and
/// benchmarks: the same seed gives the same bytes on every machine.
///
/// About 0.5% of the rows of each file are deliberately bad (an invalid CPF; a date written
/// `25/11/2026` or one that does not exist; a negative amount; an unknown customer), so the
/// reject path is exercised; titles never belong to a bad customer, so the rejects are exactly
/// the bad rows counted in ``Summary``.
public struct DataGenerator: Sendable {
    /// Number of customer rows.
    public var customers: Int
    /// Number of title rows.
    public var titles: Int
    /// Seed of the pseudo-random generator.
    public var seed: UInt64
    /// The night the data is made for: due dates fall from 180 days before to 45 days after it.
    public var asOf: Day
    /// What the portfolio looks like.
    public var mix: Mix

    /// The kinds of portfolio the generator makes.
    public enum Mix: String, Sendable, CaseIterable {
        /// The benchmark's long-standing data (its bytes never change): most customers with an
        /// e-mail and a phone, a nosso número on half of the titles, short names.
        case standard
        /// A portfolio like the large ones real companies export: a nosso número on nine titles in
        /// ten, fewer e-mails (so the ladder's letter fallbacks print many letters), long accented
        /// names, long street names with complements, and addresses complete enough for letters.
        case realistic
    }

    /// What one generation wrote.
    public struct Summary: Sendable, Hashable {
        /// Customer rows written.
        public var customers: Int
        /// Title rows written.
        public var titles: Int
        /// Customer rows made bad on purpose (each must become a reject).
        public var badCustomers: Int
        /// Title rows made bad on purpose (each must become a reject).
        public var badTitles: Int
    }

    /// A file the generator could not write.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        /// The path that failed.
        public var path: String
        /// The OS's cause.
        public var cause: String
        /// `PATH: cannot write: cause`.
        public var description: String { "\(path): cannot write: \(cause)" }
    }

    /// Sets up a generator; nothing is made until ``write(to:)`` or ``generate()``.
    public init(customers: Int, titles: Int, seed: UInt64, asOf: Day, mix: Mix = .standard) {
        self.mix = mix
        self.customers = max(0, customers)
        self.titles = max(0, titles)
        self.seed = seed
        self.asOf = asOf
    }

    /// Writes `customers.csv` and `receivables.csv` into `directory` (created if missing),
    /// in chunks of a few MiB so that millions of rows take seconds and little memory.
    @discardableResult
    public func write(to directory: String) throws -> Summary {
        _ = mkdir(directory, 0o755)
        let customersPath = directory + "/customers.csv"
        let receivablesPath = directory + "/receivables.csv"
        let customerSink = try open(customersPath)
        let titleSink = try open(receivablesPath)
        let summary = try produce(
            chunk: 4 << 20,
            customers: { bytes throws(WriteError) in
                try Self.write(bytes, to: customerSink, customersPath)
            },
            titles: { bytes throws(WriteError) in
                try Self.write(bytes, to: titleSink, receivablesPath)
            })
        try close(customerSink, customersPath)
        try close(titleSink, receivablesPath)
        return summary
    }

    /// Both files in memory (for tests and small data sets).
    public func generate() -> (customers: [UInt8], receivables: [UInt8], summary: Summary) {
        var c: [UInt8] = []
        var r: [UInt8] = []
        let summary = produce(chunk: Int.max, customers: { c += $0 }, titles: { r += $0 })
        return (c, r, summary)
    }

    // MARK: - Files

    /// A sink boxed in a class so the two write closures can share it without copying.
    private final class Box {
        var sink: FileBytes.Sink?
        init(_ sink: consuming FileBytes.Sink) { self.sink = consume sink }
    }

    private func open(_ path: String) throws(WriteError) -> Box {
        do throws(FileBytes.Failure) {
            return Box(try FileBytes.Sink(path: path))
        } catch {
            throw WriteError(path: path, cause: error.cause)
        }
    }

    private static func write(_ bytes: [UInt8], to box: Box, _ path: String) throws(WriteError) {
        do throws(FileBytes.Failure) {
            try box.sink?.write(bytes)
        } catch {
            throw WriteError(path: path, cause: error.cause)
        }
    }

    private func close(_ box: Box, _ path: String) throws(WriteError) {
        guard let sink = box.sink.take() else { return }
        do throws(FileBytes.Failure) {
            try sink.close()
        } catch {
            throw WriteError(path: path, cause: error.cause)
        }
    }

    // MARK: - Rows

    /// Makes every row, handing bytes to the sinks whenever a buffer passes `chunk` bytes.
    private func produce<E: Error>(
        chunk: Int, customers flushCustomers: ([UInt8]) throws(E) -> Void,
        titles flushTitles: ([UInt8]) throws(E) -> Void
    ) throws(E) -> Summary {
        var rng = SplitMix64(seed: seed)
        var summary = Summary(customers: customers, titles: titles, badCustomers: 0, badTitles: 0)
        let capacity = min(chunk, 8 << 20) + 4096
        var out = RowBytes(capacity: min(capacity, customers * 200 + 512))
        for h in CustomerRows.header { out.text(h) }
        out.endRow()
        var good: [Int32] = []
        good.reserveCapacity(customers)
        let customerRows = CustomerRows(width: max(7, String(customers).count), realistic: mix == .realistic)
        for i in 1...max(1, customers) where customers > 0 {
            let bad = rng.chance(5)
            customerRows.row(i, bad: bad, into: &out, &rng)
            if bad { summary.badCustomers += 1 } else { good.append(Int32(i)) }
            if out.bytes.count >= chunk {
                try flushCustomers(out.bytes)
                out.bytes.removeAll(keepingCapacity: true)
            }
        }
        try flushCustomers(out.bytes)

        out = RowBytes(capacity: min(capacity, titles * 120 + 512))
        for h in TitleRows.header { out.text(h) }
        out.endRow()
        let titleRows = TitleRows(
            asOf: asOf, customerWidth: customerRows.width, titleWidth: max(9, String(titles).count),
            realistic: mix == .realistic)
        for j in 1...max(1, titles) where titles > 0 {
            let customer = good.isEmpty ? nil : Int(good[rng.below(good.count)])
            let bad = customer == nil || rng.chance(5)
            titleRows.row(j, customer: customer, bad: bad, into: &out, &rng)
            if bad { summary.badTitles += 1 }
            if out.bytes.count >= chunk {
                try flushTitles(out.bytes)
                out.bytes.removeAll(keepingCapacity: true)
            }
        }
        try flushTitles(out.bytes)
        return summary
    }
}
