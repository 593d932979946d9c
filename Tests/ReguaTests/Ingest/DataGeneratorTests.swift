import Testing
@testable import Regua

@Suite struct DataGeneratorTests {
    typealias F = IngestFixtures
    static let asOf = Day(iso: "2026-11-23")!

    @Test func sameSeedSameBytesOtherSeedOtherBytes() {
        let a = DataGenerator(customers: 300, titles: 1_000, seed: 7, asOf: Self.asOf).generate()
        let b = DataGenerator(customers: 300, titles: 1_000, seed: 7, asOf: Self.asOf).generate()
        let c = DataGenerator(customers: 300, titles: 1_000, seed: 8, asOf: Self.asOf).generate()
        #expect(a.customers == b.customers)
        #expect(a.receivables == b.receivables)
        #expect(a.customers != c.customers)
        #expect(a.receivables != c.receivables)
    }

    @Test func writtenFilesReadBackWithExactlyTheBadRowsRefused() throws {
        let dir = F.directory()
        defer { F.remove(dir) }
        let generator = DataGenerator(customers: 2_000, titles: 8_000, seed: 42, asOf: Self.asOf)
        let summary = try generator.write(to: dir)
        let memory = generator.generate()
        #expect(memory.summary == summary)
        let inputs = try InputReader.read(customers: dir + "/customers.csv", receivables: dir + "/receivables.csv")
        #expect(inputs.customersHash == Hashing.sha256Hex(memory.customers))
        #expect(inputs.receivablesHash == Hashing.sha256Hex(memory.receivables))
        #expect(inputs.customers.count == summary.customers - summary.badCustomers)
        #expect(inputs.titles.count == summary.titles - summary.badTitles)
        #expect(inputs.rejects.count == summary.badCustomers + summary.badTitles)
        // About 0.5% of each file is bad on purpose.
        let share = Double(inputs.rejects.count) / Double(summary.customers + summary.titles)
        #expect(share > 0.002 && share < 0.01)
        let reasons = Set(inputs.rejects.map { $0.reason.split(separator: "'").first.map(String.init) ?? "" })
        #expect(reasons.contains("document is not a valid CPF: its check digits do not match"))
        #expect(reasons.contains("due_date "))
        #expect(reasons.contains("amount "))
        #expect(reasons.contains("customer_id "))
    }

    @Test func anUnwritableFolderIsAClearError() {
        let generator = DataGenerator(customers: 1, titles: 1, seed: 1, asOf: Self.asOf)
        do {
            try generator.write(to: "/proc/regua-no-such-dir")
            Issue.record("wrote into /proc")
        } catch let e as DataGenerator.WriteError {
            #expect(e.path == "/proc/regua-no-such-dir/customers.csv")
            #expect(e.description.hasPrefix("/proc/regua-no-such-dir/customers.csv: cannot write: "))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func generatedDataLooksLikeAPortfolio() throws {
        let data = DataGenerator(customers: 2_000, titles: 10_000, seed: 3, asOf: Self.asOf).generate()
        let inputs = try F.read(
            customers: String(decoding: data.customers, as: UTF8.self),
            receivables: String(decoding: data.receivables, as: UTF8.self))
        let customers = inputs.customers
        let cnpj = customers.filter { $0.document.kind == .cnpj }
        #expect((300...500).contains(cnpj.count))  // ~20%
        #expect(cnpj.contains { $0.document.value.contains { $0.isLetter } })  // some alphanumeric
        #expect(customers.contains { $0.name.unicodeScalars.contains { $0.value > 127 } })  // accents
        #expect(customers.contains { $0.name.contains(",") })  // quoted cells
        #expect(customers.contains { $0.phone == nil } && customers.contains { $0.phone != nil })
        #expect(customers.contains { $0.email == nil } && customers.contains { $0.email != nil })
        #expect(customers.contains { !$0.address.isComplete })
        #expect(customers.contains { $0.tags.contains("key-account") })
        let optOuts = customers.filter { !$0.optOut.isEmpty }.count
        #expect((20...110).contains(optOuts))  // ~3%

        let titles = inputs.titles
        let days = titles.map { $0.dueDate.days(since: Self.asOf) }
        #expect(days.min()! >= -180 && days.max()! <= 45)
        #expect(titles.allSatisfy { $0.amount >= Money(cents: 1_000) && $0.amount <= Money(cents: 500_000) })
        let paid = titles.filter { $0.status == .paid }
        #expect((1_700...2_300).contains(paid.count))  // ~20%
        #expect(paid.contains { $0.paidDate! > $0.dueDate })  // some paid late
        #expect(titles.filter { $0.status == .promised }.allSatisfy { $0.promiseDate != nil })
        #expect(titles.contains { $0.status == .disputed } && titles.contains { $0.status == .cancelled })
        #expect(titles.contains { $0.status == .open && $0.paidAmount > .zero })  // partial payments
        let withNosso = titles.filter { $0.nossoNumero != nil }.count
        #expect((4_000...6_000).contains(withNosso))  // ~half
    }
}

@Suite struct ChunkedReadTests {
    typealias F = IngestFixtures

    /// Both files read in one pass and in two chunks on two threads must agree exactly (and
    /// read into memory or mapped).
    private func expectSameInOneAndTwoPasses(customers: String, receivables: String) throws {
        let one = try F.read(
            customers: customers, receivables: receivables, minimumSplitBytes: Int.max, mapFrom: Int.max)
        let two = try F.read(customers: customers, receivables: receivables, minimumSplitBytes: 1, mapFrom: 1)
        #expect(one.rejects == two.rejects)
        #expect(one.customers.map(\.id) == two.customers.map(\.id))
        #expect(one.customers.map(\.line) == two.customers.map(\.line))
        #expect(one.titles.map(\.id) == two.titles.map(\.id))
        #expect(one.titles.map(\.line) == two.titles.map(\.line))
    }

    @Test func duplicatesAcrossTheMiddleAreFoundAsInOnePass() throws {
        var customers = [F.customersHeader]
        var titles = ["title_id,customer_id,due_date,amount"]
        for i in 0..<400 {
            customers.append(F.customer("C\(i % 300)", document: i == 350 ? "529.982.247-24" : "529.982.247-25"))
            let customer = i == 399 ? "C999" : "C\(i % 300)"
            titles.append("T\(i % 250),\(customer),2026-11-\(i % 7 == 0 ? "31" : "25"),\(i).00")
        }
        try expectSameInOneAndTwoPasses(
            customers: customers.joined(separator: "\n") + "\n",
            receivables: titles.joined(separator: "\r\n"))
        let two = try F.read(
            customers: customers.joined(separator: "\n") + "\n",
            receivables: titles.joined(separator: "\r\n"), minimumSplitBytes: 1)
        #expect(two.customers.count == 300)
        #expect(two.rejects.contains { $0.line == 302 && $0.reason == "duplicate customer_id (first seen on line 2)" })
    }

    @Test func aQuotedCellAcrossTheMiddleFallsBackToOnePass() throws {
        var customers = ["customer_id,name,document,notes"]
        for i in 0..<10 { customers.append("C\(i),Ana,529.982.247-25,") }
        // An ignored cell of 2,000 lines puts the middle of the file inside one quoted cell, where
        // a second reader starting at a line start would see rows that are not there.
        let notes = Array(repeating: "C99,Forged,529.982.247-25,", count: 2_000).joined(separator: "\n")
        customers.append("C10,Ana,529.982.247-25,\"\(notes)\"")
        for i in 11..<20 { customers.append("C\(i),Ana,529.982.247-25,") }
        let text = customers.joined(separator: "\n") + "\n"
        try expectSameInOneAndTwoPasses(customers: text, receivables: "title_id,customer_id,due_date,amount\n")
        let two = try F.read(
            customers: text, receivables: "title_id,customer_id,due_date,amount\n", minimumSplitBytes: 1)
        #expect(two.customers.map(\.id.raw) == (0..<20).map { "C\($0)" })
        #expect(two.rejects == [])
        #expect(two.customers[11].line == 13 + 1_999)
    }

    /// Keys in increasing order skip the repeat check; any break in the order (inside a chunk
    /// or across the two chunks' seam) or a non-ASCII key must fall back to it.
    @Test func sortedKeysSkipTheRepeatCheckOnlyWhenNoRepeatIsPossible() throws {
        let customers = F.customersHeader + "\n" + ["C1", "C2"].map { F.customer($0) }.joined(separator: "\n") + "\n"
        func titles(_ keys: [String]) -> String {
            "title_id,customer_id,due_date,amount,notes\n"
                + keys.enumerated().map { i, k in
                    // A long first row puts the middle of the file at the start of the second.
                    "\(k),C1,2026-11-25,10.00,\(i == 0 ? String(repeating: "x", count: 400) : "")"
                }.joined(separator: "\n") + "\n"
        }
        let cases: [([String], [Int])] = [
            (["T001", "T002", "T003"], []),
            (["T001", "T001"], [3]),  // equal across the seam of the two chunks
            (["T001", "T002", "T002"], [4]),  // equal neighbours in one chunk
            (["T001", "T003", "T002", "T001"], [5]),  // order broken, repeat later
            (["Jose\u{301}", "Jos\u{E9}"], [3]),  // increasing bytes, the same String
        ]
        for (keys, lines) in cases {
            for split in [1, Int.max] {
                let inputs = try F.read(customers: customers, receivables: titles(keys), minimumSplitBytes: split)
                #expect(inputs.rejects.map(\.line) == lines, "\(keys) split \(split)")
                #expect(inputs.rejects.allSatisfy { $0.reason.hasPrefix("duplicate title_id") })
                #expect(inputs.titles.count == keys.count - lines.count)
            }
        }
    }

    @Test func generatedDataAgrees() throws {
        let data = DataGenerator(customers: 500, titles: 3_000, seed: 11, asOf: Day(iso: "2026-11-23")!).generate()
        try expectSameInOneAndTwoPasses(
            customers: String(decoding: data.customers, as: UTF8.self),
            receivables: String(decoding: data.receivables, as: UTF8.self))
    }
}
