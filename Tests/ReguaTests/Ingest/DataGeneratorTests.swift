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
        #expect(reasons.contains("document não é um CPF válido: os dígitos verificadores não conferem"))
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

extension DataGeneratorTests {
    /// `--mix realistic` (issue 15): a nosso número on nine titles in ten, fewer e-mails, long
    /// accented names, addresses complete for letters; the bad rows are still exactly the rejects.
    @Test func theRealisticMixLooksLikeALargeCompanysExport() throws {
        let dir = F.directory()
        defer { F.remove(dir) }
        let generator = DataGenerator(customers: 2_000, titles: 10_000, seed: 3, asOf: Self.asOf, mix: .realistic)
        let summary = try generator.write(to: dir)
        #expect(generator.generate().customers == generator.generate().customers)
        let standard = DataGenerator(customers: 2_000, titles: 10_000, seed: 3, asOf: Self.asOf).generate()
        #expect(generator.generate().customers != standard.customers)
        let inputs = try InputReader.read(customers: dir + "/customers.csv", receivables: dir + "/receivables.csv")
        #expect(inputs.rejects.count == summary.badCustomers + summary.badTitles)
        let customers = inputs.customers
        let complete = customers.filter { $0.address.isComplete }.count
        #expect(Double(complete) / Double(customers.count) > 0.99)
        let emails = customers.filter { $0.email != nil }.count
        #expect((1_150...1_450).contains(emails))  // ~65%, against ~85% in the standard mix
        let names = customers.map { $0.name.split(separator: " ").count }
        #expect(Double(names.reduce(0, +)) / Double(names.count) >= 3.5)  // full Brazilian names
        #expect(customers.allSatisfy { $0.name.count <= 120 })
        #expect(customers.contains { ($0.address.street?.count ?? 0) > 35 })
        let withNosso = inputs.titles.filter { $0.nossoNumero != nil }.count
        #expect((8_700...9_300).contains(withNosso))  // ~90%
    }
}

@Suite struct ChunkedReadTests {
    typealias F = IngestFixtures

    /// Both files read in one pass and in pieces on every core must agree exactly (and read into
    /// memory or mapped): pieces of one line or so (up to ``Chunking/maxPieces``), of a few
    /// lines, and of many.
    private func expectSameInOnePassAndInPieces(customers: String, receivables: String) throws {
        let one = try F.read(
            customers: customers, receivables: receivables, pieceBytes: Int.max, mapFrom: Int.max)
        for size in [1, 100, 1_000] {
            let many = try F.read(customers: customers, receivables: receivables, pieceBytes: size, mapFrom: 1)
            #expect(one.rejects == many.rejects, "pieces of \(size) bytes")
            #expect(one.customers.map(\.id) == many.customers.map(\.id), "pieces of \(size) bytes")
            #expect(one.customers.map(\.line) == many.customers.map(\.line), "pieces of \(size) bytes")
            #expect(one.titles.map(\.id) == many.titles.map(\.id), "pieces of \(size) bytes")
            #expect(one.titles.map(\.line) == many.titles.map(\.line), "pieces of \(size) bytes")
            #expect(one.titles.map(\.amount) == many.titles.map(\.amount), "pieces of \(size) bytes")
        }
    }

    @Test func duplicatesAcrossPiecesAreFoundAsInOnePass() throws {
        var customers = [F.customersHeader]
        var titles = ["title_id,customer_id,due_date,amount"]
        for i in 0..<400 {
            customers.append(F.customer("C\(i % 300)", document: i == 350 ? "529.982.247-24" : "529.982.247-25"))
            let customer = i == 399 ? "C999" : "C\(i % 300)"
            titles.append("T\(i % 250),\(customer),2026-11-\(i % 7 == 0 ? "31" : "25"),\(i).00")
        }
        try expectSameInOnePassAndInPieces(
            customers: customers.joined(separator: "\n") + "\n",
            receivables: titles.joined(separator: "\r\n"))
        let two = try F.read(
            customers: customers.joined(separator: "\n") + "\n",
            receivables: titles.joined(separator: "\r\n"), pieceBytes: 1)
        #expect(two.customers.count == 300)
        #expect(two.rejects.contains { $0.line == 302 && $0.reason == "customer_id repetido (já visto na linha 2)" })
    }

    @Test func aQuotedCellAcrossCutsIsReadOnAsInOnePass() throws {
        var customers = ["customer_id,name,document,notes"]
        for i in 0..<10 { customers.append("C\(i),Ana,529.982.247-25,") }
        // An ignored cell of 2,000 lines puts most cuts of the file inside one quoted cell, where
        // a reader starting at a line start would see rows that are not there.
        let notes = Array(repeating: "C99,Forged,529.982.247-25,", count: 2_000).joined(separator: "\n")
        customers.append("C10,Ana,529.982.247-25,\"\(notes)\"")
        for i in 11..<20 { customers.append("C\(i),Ana,529.982.247-25,") }
        let text = customers.joined(separator: "\n") + "\n"
        try expectSameInOnePassAndInPieces(customers: text, receivables: "title_id,customer_id,due_date,amount\n")
        let two = try F.read(
            customers: text, receivables: "title_id,customer_id,due_date,amount\n", pieceBytes: 1)
        #expect(two.customers.map(\.id.raw) == (0..<20).map { "C\($0)" })
        #expect(two.rejects == [])
        #expect(two.customers[11].line == 13 + 1_999)
    }

    /// Keys in increasing order skip the repeat check; any break in the order (inside a piece
    /// or across a cut) or a non-ASCII key must fall back to it.
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
            (["T001", "T001"], [3]),  // equal across a cut
            (["T001", "T002", "T002"], [4]),  // equal neighbours in one chunk
            (["T001", "T003", "T002", "T001"], [5]),  // order broken, repeat later
            (["Jose\u{301}", "Jos\u{E9}"], [3]),  // increasing bytes, the same String
        ]
        for (keys, lines) in cases {
            for split in [1, Int.max] {
                let inputs = try F.read(customers: customers, receivables: titles(keys), pieceBytes: split)
                #expect(inputs.rejects.map(\.line) == lines, "\(keys) split \(split)")
                #expect(inputs.rejects.allSatisfy { $0.reason.hasPrefix("title_id repetido") })
                #expect(inputs.titles.count == keys.count - lines.count)
            }
        }
    }

    /// While the title keys increase, only refused rows' keys are kept; when the order breaks
    /// (inside a piece or at a cut), the accepted rows' keys are put back among them in file
    /// order, so a repeat names the same first line as if every key had been kept.
    @Test func repeatsAfterALongSortedRunNameTheirFirstLine() throws {
        let customers = F.customersHeader + "\n" + F.customer("C1") + "\n"
        let rows = [
            "T001,C1,2026-11-25,10.00,",  // line 2
            "T002,C1,2026-11-25,ten,",  // 3: refused (amount)
            "T003,C1,2026-11-25,10.00,",  // 4
            "T004,C1,2026-11-25,10.00,,extra",  // 5: refused as a whole (cells)
            "T005,C1,2026-11-25,10.00,",  // 6
            "T006,C9,2026-11-25,10.00,",  // 7: refused later (unknown customer)
            "T007,C1,2026-11-25,10.00,",  // 8
            "T002,C1,2026-11-25,10.00,",  // 9: the order breaks; repeats a refused row
            "T001,C1,2026-11-25,10.00,",  // 10: repeats an accepted row
            "T004,C1,2026-11-25,10.00,",  // 11: repeats a row refused as a whole
            "T006,C1,2026-11-25,10.00,",  // 12: repeats a row refused for its customer
            "T008,C1,2026-11-25,10.00,",  // 13
        ]
        for cut in [0, 3, 6, 9] {
            // Padding the first rows moves the middle of the file, so the seam falls in turn
            // before, inside and after the sorted run.
            let padded = rows.enumerated().map { i, r in i < cut ? r + String(repeating: "x", count: 300) : r }
            let receivables = "title_id,customer_id,due_date,amount,notes\n" + padded.joined(separator: "\n") + "\n"
            try expectSameInOnePassAndInPieces(customers: customers, receivables: receivables)
            let inputs = try F.read(customers: customers, receivables: receivables, pieceBytes: 1)
            let said = inputs.rejects.map { "\($0.line) \($0.column): \($0.reason)" }
            #expect(
                said == [
                    "3 amount: amount 'ten' não é um valor como 1234.56 (ponto decimal, sem separador de milhar)",
                    "5 : a linha tem 6 células, mas o cabeçalho tem 5 (uma célula com vírgula precisa estar entre aspas)",
                    "7 customer_id: customer_id \'C9\' não está em customers.csv",
                    "9 title_id: title_id repetido (já visto na linha 3)",
                    "10 title_id: title_id repetido (já visto na linha 2)",
                    "11 title_id: title_id repetido (já visto na linha 5)",
                    "12 title_id: title_id repetido (já visto na linha 7)",
                ], "cut \(cut)")
            #expect(inputs.titles.map(\.id.raw) == ["T001", "T003", "T005", "T007", "T008"])
        }
    }

    /// A title parser that keeps every sighting, as parsers did before title sightings were
    /// deferred while the keys increase.
    private struct EagerTitles: RowParser {
        var inner = TitleRowParser()
        static var keyColumn: Int { TitleRowParser.keyColumn }
        static var keyName: String { TitleRowParser.keyName }
        static var hasLink: Bool { true }
        static func link(_ item: Title) -> String { TitleRowParser.link(item) }
        static func key(_ item: Title) -> String { TitleRowParser.key(item) }
        static func line(_ item: Title) -> Int { TitleRowParser.line(item) }
        mutating func parse(_ t: CSVTable, key: String) throws(RowReject) -> Title { try inner.parse(t, key: key) }
    }

    /// Deferred sightings, once written, are exactly those an eager reader keeps: key, hash,
    /// line, outcome and whether the row was refused as a whole, in the same order.
    @Test func deferredSightingsAreWhatAnEagerReaderKeeps() throws {
        var rows: [String] = []
        for i in 1...40 {
            switch i % 5 {
            case 1: rows.append("T\(1000 + i),C1,2026-11-25,ten,")  // refused (amount)
            case 2: rows.append("T\(1000 + i),C1,2026-11-25,1.00,,extra")  // refused as a whole
            default: rows.append("T\(1000 + i),C1,2026-11-25,1.00,")
            }
        }
        for breakAt in [3, 20, 21, 39] {
            var keys = rows
            keys.insert("T0001,C1,2026-11-25,1.00,", at: breakAt)  // the order breaks here
            let text = "title_id,customer_id,due_date,amount,notes\n" + keys.joined(separator: "\n") + "\n"
            let bytes = Array(text.utf8)
            try bytes.withUnsafeBufferPointer { b in
                let table = try CSVTable(
                    buffer: b, path: "r.csv", file: "r.csv", names: ReceivableColumn.names,
                    required: ReceivableColumn.required)
                for split in [1, Int.max] {
                    let lazy = Chunking.read(table, file: "r.csv", pieceBytes: split) { TitleRowParser() }
                    let eager = Chunking.read(table, file: "r.csv", pieceBytes: split) { EagerTitles() }
                    #expect(!lazy.keysIncreasing && !eager.keysIncreasing)
                    func describe(_ c: RowChunk<Title>) -> [String] {
                        c.sightings.map { "\($0.key) \($0.hash) \($0.line) \($0.outcome) \($0.broken)" }
                    }
                    #expect(describe(lazy) == describe(eager), "break at \(breakAt), split \(split)")
                    #expect(lazy.sightings.count == 41)
                    #expect(lazy.items.map(\.id) == eager.items.map(\.id))
                }
            }
        }
    }

    /// Cuts are line starts, increasing, one per piece of the asked size (at most
    /// ``Chunking/maxPieces``), the first at the rows' start.
    @Test func cutsAreLineStartsOnePerPiece() {
        let text = Array((0..<2_000).map { "row\($0),\(String(repeating: "x", count: $0 % 37))\n" }.joined().utf8)
        text.withUnsafeBufferPointer { b in
            for size in [1, 10, 1_000, 20_000, b.count, Int.max] {
                let cuts = Chunking.cuts(b, dataStart: 5, pieceBytes: size)
                #expect(cuts.first == 5)
                #expect(zip(cuts, cuts.dropFirst()).allSatisfy { $0 < $1 })
                #expect(cuts.dropFirst().allSatisfy { $0 < b.count && b[$0 - 1] == 10 })
                #expect(cuts.count == min(Chunking.maxPieces, max(1, (b.count - 5) / size)), "size \(size)")
            }
        }
    }

    /// Blank lines (LF or CR LF) around the cuts and a last row without a line end: pieces read
    /// exactly what one pass reads.
    @Test func blankLinesAroundTheCutsAreSkippedAsInOnePass() throws {
        var customers = F.customersHeader + "\n"
        for i in 0..<60 { customers += F.customer("C\(i)") + (i % 3 == 0 ? "\n\n\r\n\n" : "\r\n") }
        var receivables = "title_id,customer_id,due_date,amount\n"
        for i in 0..<200 { receivables += "T\(i),C\(i % 70),2026-11-25,1\(i).00" + (i % 4 == 0 ? "\n\n\n" : "\n") }
        receivables += "T999,C1,2026-11-25,5.00"
        try expectSameInOnePassAndInPieces(customers: customers, receivables: receivables)
        let inputs = try F.read(customers: customers, receivables: receivables, pieceBytes: 1)
        #expect(inputs.customers.count == 60)
        #expect(inputs.titles.count == 181)  // C60–C69 are unknown: 20 titles refused
        #expect(inputs.rejects.count == 20)
        #expect(inputs.titles.last?.line == 2 + 200 + 2 * 50)
    }

    @Test func generatedDataAgrees() throws {
        let data = DataGenerator(customers: 500, titles: 3_000, seed: 11, asOf: Day(iso: "2026-11-23")!).generate()
        try expectSameInOnePassAndInPieces(
            customers: String(decoding: data.customers, as: UTF8.self),
            receivables: String(decoding: data.receivables, as: UTF8.self))
    }
}
