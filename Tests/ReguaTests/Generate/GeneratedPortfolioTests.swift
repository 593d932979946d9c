import Foundation
import Testing

@testable import Regua

/// `DataGenerator`'s rows read with the plain RFC 4180 reader and check-digit rules of
/// ``GeneratedFiles``, against what its doc comments, `regua generate --help` and the README
/// promise: valid documents and phones but for the deliberately bad rows (about 0.5%, each
/// exactly one fault, each exactly one reject of the product's own ingest), titles that never
/// belong to a bad customer, the shares of each mix, and due dates from 180 days before to 45
/// days after the as-of date.
@Suite struct GeneratedPortfolioTests {
    typealias G = GeneratedFiles
    static let asOf = Day(iso: "2026-11-23")!

    /// Calendar days from `a` to `b` (ISO dates) by Foundation's Gregorian calendar, not by Day.
    static func daysBetween(_ a: String, _ b: String) -> Int? {
        guard let x = isoDate(a), let y = isoDate(b) else { return nil }
        return utc.dateComponents([.day], from: x, to: y).day
    }

    static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// A `YYYY-MM-DD` text that names a real day (checked here, not by Day), as a Date.
    static func isoDate(_ s: String) -> Date? {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == 45, u[7] == 45 else { return nil }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9]
        guard digits.allSatisfy({ u[$0] >= 48 && u[$0] <= 57 }) else { return nil }
        let y = Int(String(decoding: u[0..<4], as: UTF8.self))!
        let m = Int(String(decoding: u[5..<7], as: UTF8.self))!
        let d = Int(String(decoding: u[8..<10], as: UTF8.self))!
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard y >= 1, (1...12).contains(m), d >= 1, d <= lengths[m - 1] else { return nil }
        return utc.date(from: DateComponents(year: y, month: m, day: d))
    }

    /// What the reference says is wrong with a receivables row (nil: nothing): the column at
    /// fault for each of the generator's four faults.
    static func fault(_ row: [String: String], goodCustomers: Set<String>) -> [String] {
        var faults: [String] = []
        if isoDate(row["due_date"] ?? "") == nil { faults.append("due_date") }
        if (row["amount"] ?? "").hasPrefix("-") { faults.append("amount") }
        if !goodCustomers.contains(row["customer_id"] ?? "") { faults.append("customer_id") }
        return faults
    }

    /// Customers whose document holds by the reference.
    static func goodCustomers(_ table: [(line: Int, cell: [String: String])]) -> Set<String> {
        Set(
            table.compactMap { r in
                let doc = G.bare(r.cell["document"]!)
                return (doc.count == 11 ? G.validCPF(doc) : G.validCNPJ(doc)) ? r.cell["customer_id"] : nil
            })
    }

    // MARK: - Customers

    @Test(arguments: DataGenerator.Mix.allCases)
    func documentsHoldByTheReceitasRulesButForTheBadRows(mix: DataGenerator.Mix) throws {
        for seed: UInt64 in [3, 40, 2026] {
            let data = DataGenerator(customers: 2_500, titles: 0, seed: seed, asOf: Self.asOf, mix: mix).generate()
            let all = G.records(data.customers)
            #expect(all.first?.cells == CustomerRows.header)
            #expect(all.count == 2_501)
            var bad = 0
            var companies = 0
            var alphanumeric = 0
            var punctuated = 0
            for (i, record) in all.dropFirst().enumerated() {
                let cells = record.cells
                try #require(cells.count == 16, "line \(record.line): \(cells)")
                #expect(record.line == i + 2)
                #expect(cells[0] == "C" + String(repeating: "0", count: 7 - String(i + 1).count) + String(i + 1))
                let doc = G.bare(cells[2])
                if doc != cells[2] {
                    punctuated += 1
                    #expect(cells[2] == G.punctuate(doc), "line \(record.line): \(cells[2])")
                }
                switch doc.count {
                case 11:
                    #expect(cells[12] == "B2C", "a CPF is a person: line \(record.line)")
                    if !G.validCPF(doc) {
                        bad += 1
                        // Broken on purpose in its last digit: the first check digit still holds.
                        let d = doc.compactMap(\.wholeNumberValue)
                        #expect(G.cpfCheckDigit(Array(d[0..<9])) == d[9], "line \(record.line): \(doc)")
                        #expect(G.cpfCheckDigit(Array(d[0..<10])) != d[10])
                        #expect(Set(d).count > 1)
                    }
                case 14:
                    companies += 1
                    #expect(G.validCNPJ(doc), "line \(record.line): \(cells[2])")
                    #expect(cells[12] == "B2B", "a CNPJ is a company: line \(record.line)")
                    if doc.contains(where: \.isLetter) { alphanumeric += 1 }
                default:
                    Issue.record("line \(record.line): document \(cells[2]) is neither a CPF nor a CNPJ")
                }
            }
            let summary = data.summary
            #expect(bad == summary.badCustomers, "seed \(seed)")
            #expect(summary.customers == 2_500)
            // About 0.5% bad; one customer in five a company; a quarter of those alphanumeric;
            // half of the documents punctuated.
            #expect((3...30).contains(bad), "\(bad)")
            #expect((400...600).contains(companies), "\(companies)")
            #expect(alphanumeric * 100 >= companies * 17 && alphanumeric * 100 <= companies * 33)
            #expect((1_100...1_400).contains(punctuated), "\(punctuated)")
        }
    }

    /// Phones "in one of the writings people use" all become one E.164 number: `+55`, the
    /// DDD and 8 or 9 digits (mobiles start with 9), the same number the plain reading gives.
    @Test(arguments: DataGenerator.Mix.allCases)
    func everyPhoneWritingReadsAsTheSameE164Number(mix: DataGenerator.Mix) throws {
        let data = DataGenerator(customers: 3_000, titles: 0, seed: 9, asOf: Self.asOf, mix: mix).generate()
        let table = G.table(data.customers)
        let inputs = try IngestFixtures.read(
            customers: String(decoding: data.customers, as: UTF8.self),
            receivables: TitleRows.header.joined(separator: ",") + "\r\n")
        let read = Dictionary(inputs.customers.map { ($0.id.raw, $0) }, uniquingKeysWith: { a, _ in a })
        var writings: Set<String> = []
        var withPhone = 0
        for (line, row) in table.rows {
            guard let customer = read[row["customer_id"]!] else { continue }  // a bad row
            let cell = row["phone"]!
            guard !cell.isEmpty else {
                #expect(customer.phone == nil, "line \(line)")
                continue
            }
            withPhone += 1
            var digits = cell.filter(\.isASCII).compactMap(\.wholeNumberValue).map(String.init).joined()
            if cell.hasPrefix("+55") {
                digits.removeFirst(2)
                writings.insert("+55")
            } else if cell.hasPrefix("0") {
                digits.removeFirst()
                writings.insert("0DD")
            } else if cell.hasPrefix("(") {
                writings.insert("(DD)")
            } else {
                writings.insert("bare")
            }
            #expect(digits.count == 10 || digits.count == 11, "line \(line): \(cell)")
            if digits.count == 11 { #expect(digits.dropFirst(2).first == "9", "a mobile: \(cell)") }
            #expect(customer.phone == "+55" + digits, "line \(line): \(cell) read as \(customer.phone ?? "nil")")
        }
        #expect(writings == ["+55", "0DD", "(DD)", "bare"])
        // Four customers in five have a phone.
        let share = Double(withPhone) / Double(read.count)
        #expect(share > 0.76 && share < 0.84, "\(share)")
    }

    /// The two mixes' promises (README, `--help`): e-mails on ~85% / ~65% of the customers,
    /// addresses complete (street, number, city, UF, 8-digit CEP) for letters on all but one in
    /// two hundred in the realistic mix, a nosso número on half / nine in ten titles.
    @Test(arguments: [
        (DataGenerator.Mix.standard, 0.85, 0.91, 0.50), (DataGenerator.Mix.realistic, 0.65, 0.995, 0.90),
    ])
    func eachMixKeepsItsPromisedShares(mix: DataGenerator.Mix, email: Double, complete: Double, nosso: Double)
        throws
    {
        let data = DataGenerator(customers: 4_000, titles: 6_000, seed: 21, asOf: Self.asOf, mix: mix).generate()
        let customers = G.table(data.customers).rows
        let titles = G.table(data.receivables).rows
        let n = Double(customers.count)
        let emails = customers.filter { !$0.cell["email"]!.isEmpty }
        // Tolerances of about four standard deviations of a binomial share of this sample.
        func near(_ count: Int, of total: Double, _ p: Double) -> Bool {
            let tolerance = 4 * (p * (1 - p) / total).squareRoot() + 0.002
            return abs(Double(count) / total - p) <= tolerance
        }
        #expect(near(emails.count, of: n, email), "\(emails.count) e-mails of \(customers.count)")
        for e in emails.map({ $0.cell["email"]! }) {
            let parts = e.split(separator: "@")
            #expect(parts.count == 2 && parts[1].contains(".") && parts[0].allSatisfy { $0.isASCII }, "\(e)")
        }
        let ufs: Set<String> = [
            "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA", "PB", "PR", "PE", "PI",
            "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO",
        ]
        var completeCount = 0
        for (line, c) in customers {
            let zip = c["address_zip"]!.filter { $0 != "-" }
            let state = c["address_state"]!
            let parts = ["address_street", "address_number", "address_city"].map { c[$0]! }
            if !parts.contains(where: \.isEmpty), zip.count == 8, zip.allSatisfy(\.isNumber), ufs.contains(state) {
                completeCount += 1
            }
            if !state.isEmpty { #expect(ufs.contains(state.uppercased()), "line \(line): \(state)") }
            if !c["address_zip"]!.isEmpty { #expect(zip.count == 8 && zip.allSatisfy(\.isNumber), "line \(line)") }
        }
        if mix == .realistic {
            #expect(Double(completeCount) / n >= complete - 0.004, "\(completeCount) of \(customers.count) complete")
            #expect(completeCount < customers.count, "one in two hundred is not")
        } else {
            // 2% without an address, 4% without a number, 3% without a CEP; one UF in ten written
            // in lower case.
            #expect(near(completeCount, of: n, complete * 0.9), "\(completeCount) complete")
        }
        let withNosso = titles.filter { !$0.cell["nosso_numero"]!.isEmpty }
        #expect(near(withNosso.count, of: Double(titles.count), nosso), "\(withNosso.count) of \(titles.count)")
        // The nosso número is the title's number in 11 digits.
        for t in withNosso {
            let id = t.cell["title_id"]!
            #expect(t.cell["nosso_numero"] == String(repeating: "0", count: 11 - (id.count - 1)) + id.dropFirst())
        }
        // What ingest reads agrees: the same contacts and complete addresses.
        let inputs = try IngestFixtures.read(
            customers: String(decoding: data.customers, as: UTF8.self),
            receivables: String(decoding: data.receivables, as: UTF8.self))
        let good = Self.goodCustomers(customers)
        let goodEmails = Set(emails.map { $0.cell["customer_id"]! }).intersection(good)
        #expect(Set(inputs.customers.filter { $0.email != nil }.map(\.id.raw)) == goodEmails)
        let goodTitlesWithNosso = Set(
            withNosso.filter { Self.fault($0.cell, goodCustomers: good).isEmpty }.map { $0.cell["title_id"]! })
        #expect(Set(inputs.titles.filter { $0.nossoNumero != nil }.map(\.id.raw)) == goodTitlesWithNosso)
        if mix == .realistic {
            let letters = inputs.customers.filter { $0.hasContact(for: .letter) }.count
            #expect(Double(letters) / Double(inputs.customers.count) >= complete - 0.004)
        }
    }

    // MARK: - Titles

    /// Every bad title row has exactly one of the four faults; ingest refuses exactly those
    /// lines, each for the column the reference finds at fault; titles never belong to a bad
    /// customer, so the rejects are exactly the bad rows the summary counts.
    @Test(arguments: DataGenerator.Mix.allCases)
    func ingestRefusesExactlyTheRowsTheReferenceFindsBad(mix: DataGenerator.Mix) throws {
        for seed: UInt64 in [5, 77] {
            let data = DataGenerator(customers: 1_200, titles: 8_000, seed: seed, asOf: Self.asOf, mix: mix)
                .generate()
            let customers = G.table(data.customers).rows
            let good = Self.goodCustomers(customers)
            let allIDs = Set(customers.map { $0.cell["customer_id"]! })
            let badCustomerLines = Set(customers.filter { !good.contains($0.cell["customer_id"]!) }.map(\.line))
            let titles = G.table(data.receivables)
            #expect(titles.header == TitleRows.header)
            var expected: [Int: String] = [:]
            var kinds: [String: Int] = [:]
            for (line, row) in titles.rows {
                #expect(row.count == 11)
                let faults = Self.fault(row, goodCustomers: good)
                #expect(faults.count <= 1, "line \(line) has \(faults)")
                if let f = faults.first {
                    expected[line] = f
                    let kind = f == "due_date" ? (row["due_date"]!.contains("/") ? "br date" : "no such day") : f
                    kinds[kind, default: 0] += 1
                }
                // An unknown customer is one that is in no row at all, never a refused one.
                if !good.contains(row["customer_id"]!) { #expect(!allIDs.contains(row["customer_id"]!)) }
            }
            #expect(expected.count == data.summary.badTitles)
            #expect(badCustomerLines.count == data.summary.badCustomers)
            #expect(Set(kinds.keys) == ["br date", "no such day", "amount", "customer_id"], "\(kinds)")

            let inputs = try IngestFixtures.read(
                customers: String(decoding: data.customers, as: UTF8.self),
                receivables: String(decoding: data.receivables, as: UTF8.self))
            let customerRejects = inputs.rejects.filter { $0.file == "customers.csv" }
            let titleRejects = inputs.rejects.filter { $0.file == "receivables.csv" }
            #expect(Set(customerRejects.map(\.line)) == badCustomerLines, "seed \(seed)")
            #expect(customerRejects.allSatisfy { $0.column == "document" })
            #expect(Set(titleRejects.map(\.line)) == Set(expected.keys), "seed \(seed)")
            for r in titleRejects { #expect(r.column == expected[r.line], "line \(r.line): \(r.column) \(r.reason)") }
            #expect(inputs.rejects.count == data.summary.badCustomers + data.summary.badTitles)
            #expect(inputs.customers.count == good.count)
            #expect(inputs.titles.count == titles.rows.count - expected.count)
        }
    }

    /// The promises of `DataGenerator.asOf` and TitleRows: due dates from 180 days before to 45
    /// days after the as-of date, amounts from R$ 10,00 to R$ 5.000,00; a paid title paid in
    /// full, a partial payment less than the amount, both on or after the issue date; a promise
    /// date exactly on the promised titles; the statuses in their shares.
    @Test(arguments: [Day(iso: "2026-11-23")!, Day(iso: "2024-03-01")!, Day(iso: "2027-01-10")!])
    func datesAmountsAndPaymentsStayInThePromisedRanges(asOf: Day) throws {
        let data = DataGenerator(customers: 1_000, titles: 10_000, seed: 17, asOf: asOf, mix: .realistic).generate()
        let good = Self.goodCustomers(G.table(data.customers).rows)
        var statuses: [String: Int] = [:]
        var dueOffsets: Set<Int> = []
        var late = 0
        for (line, t) in G.table(data.receivables).rows {
            let faults = Self.fault(t, goodCustomers: good)
            if faults != ["due_date"] {
                let d = try #require(Self.daysBetween(asOf.iso, t["due_date"]!), "line \(line)")
                #expect((-180...45).contains(d), "line \(line): due \(t["due_date"]!) is \(d) days from the as-of")
                dueOffsets.insert(d)
            }
            guard faults.isEmpty else { continue }
            let amount = try #require(Decimal(string: t["amount"]!))
            #expect(amount >= 10 && amount <= 5_000, "line \(line): \(amount)")
            #expect(t["amount"]!.split(separator: ".").last?.count == 2, "two decimals: \(t["amount"]!)")
            let status = t["status"]!
            statuses[status, default: 0] += 1
            let issue = t["issue_date"]!
            #expect(Self.isoDate(issue) != nil && Self.daysBetween(issue, t["due_date"]!)! > 0, "line \(line)")
            if let p = t["paid_date"], !p.isEmpty {
                let paidAmount = try #require(Decimal(string: t["paid_amount"]!))
                #expect(Self.daysBetween(issue, p)! >= 0, "line \(line): paid \(p) before issued \(issue)")
                if status == "paid" {
                    #expect(paidAmount == amount, "line \(line)")
                    if Self.daysBetween(t["due_date"]!, p)! > 0 { late += 1 }
                } else {
                    #expect(status == "open" && paidAmount > 0 && paidAmount < amount, "line \(line)")
                }
            } else {
                #expect(status != "paid" && t["paid_amount"]!.isEmpty, "line \(line)")
            }
            #expect((status == "promised") == !t["promise_date"]!.isEmpty, "line \(line)")
        }
        // The whole range is used, not a corner of it.
        #expect(dueOffsets.min() == -180 && dueOffsets.max() == 45)
        // A fifth paid (some late), a few of the others; the rest open, written or left empty.
        let total = Double(statuses.values.reduce(0, +))
        #expect(abs(Double(statuses["paid", default: 0]) / total - 0.20) < 0.02, "\(statuses)")
        #expect(abs(Double(statuses["disputed", default: 0]) / total - 0.02) < 0.006, "\(statuses)")
        #expect(abs(Double(statuses["promised", default: 0]) / total - 0.02) < 0.006, "\(statuses)")
        #expect(abs(Double(statuses["cancelled", default: 0]) / total - 0.01) < 0.005, "\(statuses)")
        #expect(Set(statuses.keys) == ["paid", "disputed", "promised", "cancelled", "open", ""])
        #expect(late > 0)
    }

    /// "The night the data is made for" (`DataGenerator.asOf`; `--as-of`: "the night the data is
    /// built around"): an export read on that night holds no title issued after it and no payment
    /// dated after it. (Titles due more than 15 days ahead used to be issued after the night, and
    /// paid on that future issue date.)
    @Test(arguments: DataGenerator.Mix.allCases)
    func noPaymentIsDatedAfterTheNightTheDataIsMadeFor(mix: DataGenerator.Mix) throws {
        let asOf = Self.asOf
        let data = DataGenerator(customers: 800, titles: 8_000, seed: 17, asOf: asOf, mix: mix).generate()
        var paidAfter: [Int] = []
        var issuedAfter: [Int] = []
        var issuedOnTheNight = 0
        for (line, t) in G.table(data.receivables).rows {
            if let i = t["issue_date"], let d = Self.daysBetween(asOf.iso, i) {
                if d > 0 { issuedAfter.append(line) }
                if d == 0 { issuedOnTheNight += 1 }
            }
            guard let p = t["paid_date"], !p.isEmpty, let d = Self.daysBetween(asOf.iso, p) else { continue }
            if d > 0 { paidAfter.append(line) }
        }
        #expect(paidAfter.isEmpty, "payments dated after \(asOf.iso) on lines \(paidAfter.prefix(5))")
        #expect(issuedAfter.isEmpty, "titles issued after \(asOf.iso) on lines \(issuedAfter.prefix(5))")
        // The clamp is reached (due dates up to 45 days ahead), so the test is not vacuous.
        #expect(issuedOnTheNight > 0)
    }

    // MARK: - Bytes

    /// Same arguments, same bytes; another seed, mix or customer count, other bytes; the as-of
    /// moves only the receivables; title j draws only after titles 1…j−1, so a shorter file is
    /// the start of a longer one; `write(to:)` writes what `generate()` returns, lines ending in
    /// CR LF.
    @Test func theBytesAreAPureFunctionOfTheArguments() throws {
        for mix in DataGenerator.Mix.allCases {
            let base = DataGenerator(customers: 300, titles: 1_500, seed: 12, asOf: Self.asOf, mix: mix)
            let a = base.generate()
            let b = base.generate()
            #expect(a.customers == b.customers && a.receivables == b.receivables && a.summary == b.summary)
            var other = base
            other.seed = 13
            let c = other.generate()
            #expect(c.customers != a.customers && c.receivables != a.receivables)
            var moreTitles = base
            moreTitles.titles = 4_000
            let d = moreTitles.generate()
            #expect(d.customers == a.customers)
            #expect(d.receivables.starts(with: a.receivables) && d.receivables.count > a.receivables.count)
            var later = base
            later.asOf = Self.asOf.adding(days: 30)
            let e = later.generate()
            #expect(e.customers == a.customers && e.receivables != a.receivables)
            #expect(e.receivables.count == a.receivables.count, "dates are fixed-width: only their digits move")

            let dir = try G.folder()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let written = try base.write(to: dir + "/deeper")
            #expect(written == a.summary)
            #expect(try G.bytes(dir + "/deeper/customers.csv") == a.customers)
            #expect(try G.bytes(dir + "/deeper/receivables.csv") == a.receivables)
            for bytes in [a.customers, a.receivables] {
                let lfs = bytes.indices.filter { bytes[$0] == 10 }
                #expect(lfs.allSatisfy { $0 > 0 && bytes[$0 - 1] == 13 })
                #expect(bytes.last == 10)
                #expect(String(validating: bytes, as: UTF8.self) != nil)
            }
        }
        let standard = DataGenerator(customers: 300, titles: 10, seed: 12, asOf: Self.asOf).generate()
        let realistic = DataGenerator(customers: 300, titles: 10, seed: 12, asOf: Self.asOf, mix: .realistic)
            .generate()
        #expect(standard.customers != realistic.customers)
    }

    /// Ids are zero-padded to 7 (customers) and 9 (titles) digits, and wider when the counts
    /// need it, so that they sort as their numbers do.
    @Test(arguments: [(5, 3, 7, 9), (12_345_678, 0, 8, 9)])
    func idsArePaddedToTheWidthTheCountsNeed(customers: Int, titles: Int, customerWidth: Int, titleWidth: Int) {
        // The wide case is checked on the first rows only: a writer of 12 million rows is not a test.
        let width = max(7, String(customers).count)
        #expect(width == customerWidth)
        var out = RowBytes(capacity: 64)
        CustomerRows.id(42, width: width, into: &out)
        #expect(String(decoding: out.bytes, as: UTF8.self) == "C" + String(repeating: "0", count: width - 2) + "42")
        if customers < 1_000 {
            let data = DataGenerator(customers: customers, titles: titles, seed: 2, asOf: Self.asOf).generate()
            let ids = G.records(data.customers).dropFirst().map { $0.cells[0] }
            #expect(
                ids
                    == (1...customers).map {
                        "C" + String(repeating: "0", count: width - String($0).count) + String($0)
                    })
            let titleIDs = G.records(data.receivables).dropFirst().map { $0.cells[0] }
            #expect(
                titleIDs
                    == (1...titles).map {
                        "T" + String(repeating: "0", count: titleWidth - String($0).count) + String($0)
                    })
            #expect(ids == ids.sorted())
        }
    }

    @Test(arguments: [(0, 0), (0, 7), (1, 0), (1, 1), (2, 3)])
    func tinyAndEmptyPortfoliosAreStillWellFormed(customers: Int, titles: Int) throws {
        let data = DataGenerator(customers: customers, titles: titles, seed: 4, asOf: Self.asOf).generate()
        let c = G.records(data.customers)
        let t = G.records(data.receivables)
        #expect(c.first?.cells == CustomerRows.header && c.count == customers + 1)
        #expect(t.first?.cells == TitleRows.header && t.count == titles + 1)
        #expect(data.summary.customers == customers && data.summary.titles == titles)
        let good = Self.goodCustomers(G.table(data.customers).rows)
        if good.isEmpty {
            // Titles with nobody good to belong to are all bad (an unknown customer).
            #expect(data.summary.badTitles == titles)
            #expect(t.dropFirst().allSatisfy { $0.cells[1].hasPrefix("NX") })
        }
        let negative = DataGenerator(customers: -3, titles: -9, seed: 4, asOf: Self.asOf).generate()
        #expect(negative.summary == DataGenerator.Summary(customers: 0, titles: 0, badCustomers: 0, badTitles: 0))
    }
}
