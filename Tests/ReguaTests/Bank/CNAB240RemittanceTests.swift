import Testing
@testable import Regua

@Suite("CNAB 240 remittance")
struct CNAB240RemittanceTests {
    typealias F = BankFixtures

    static func build(_ bank: BankAccount, _ items: [RemittanceItem], nsa: Int = 42) throws -> [String] {
        let bytes = try CNAB240Remittance.build(
            bank: bank, company: F.company, nsa: nsa, date: F.fileDate, items: items)
        return try #require(F.records(bytes))
    }

    /// Asserts `expected` at positions `from`–`to` of a record.
    static func check(
        _ record: String, _ from: Int, _ to: Int, _ expected: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        #expect(
            expected.utf8.count == to - from + 1, "test writes \(to - from + 1) positions",
            sourceLocation: sourceLocation)
        #expect(F.field(record, from, to) == expected, "positions \(from)–\(to)", sourceLocation: sourceLocation)
    }

    static func blanks(_ n: Int) -> String { String(repeating: " ", count: n) }
    static func padded(_ s: String, _ n: Int) -> String { s + blanks(n - s.count) }

    @Test("Banco do Brasil: header, batch header, P, Q, R, trailers field by field")
    func bancoDoBrasil() throws {
        let r = try Self.build(F.bb, [F.item("FAT-001"), F.item("FAT-002", nossoNumero: "2", instruction: .writeOff)])
        #expect(r.count == 1 + 1 + 3 + 2 + 1 + 1)
        #expect(r.allSatisfy { $0.utf8.count == 240 })

        let h = r[0]
        Self.check(h, 1, 3, "001"); Self.check(h, 4, 7, "0000"); Self.check(h, 8, 8, "0")
        Self.check(h, 9, 17, Self.blanks(9))
        Self.check(h, 18, 18, "2"); Self.check(h, 19, 32, "11222333000181")
        Self.check(h, 33, 41, "001238798"); Self.check(h, 42, 45, "0014"); Self.check(h, 46, 47, "17")
        Self.check(h, 48, 50, "019"); Self.check(h, 51, 52, "  ")
        Self.check(h, 53, 57, "04042"); Self.check(h, 58, 58, "8")
        Self.check(h, 59, 70, "000000061900"); Self.check(h, 71, 71, "0"); Self.check(h, 72, 72, " ")
        Self.check(h, 73, 102, Self.padded("EXEMPLO COMERCIO LTDA", 30))
        Self.check(h, 103, 132, Self.padded("BANCO DO BRASIL S.A.", 30))
        Self.check(h, 143, 143, "1"); Self.check(h, 144, 151, "23112026"); Self.check(h, 152, 157, "000000")
        Self.check(h, 158, 163, "000042"); Self.check(h, 164, 166, "084")

        let b = r[1]
        Self.check(b, 1, 8, "00100011"); Self.check(b, 9, 9, "R"); Self.check(b, 10, 11, "01")
        Self.check(b, 14, 16, "042"); Self.check(b, 18, 18, "2"); Self.check(b, 19, 33, "011222333000181")
        Self.check(b, 34, 42, "001238798"); Self.check(b, 43, 46, "0014"); Self.check(b, 47, 48, "17")
        Self.check(b, 49, 51, "019"); Self.check(b, 54, 58, "04042"); Self.check(b, 59, 59, "8")
        Self.check(b, 60, 71, "000000061900"); Self.check(b, 72, 72, "0")
        Self.check(b, 74, 103, Self.padded("EXEMPLO COMERCIO LTDA", 30))
        Self.check(b, 184, 191, "00000042"); Self.check(b, 192, 199, "23112026"); Self.check(b, 200, 207, "00000000")

        let p = r[2]
        Self.check(p, 1, 3, "001"); Self.check(p, 4, 7, "0001"); Self.check(p, 8, 8, "3")
        Self.check(p, 9, 13, "00001"); Self.check(p, 14, 14, "P"); Self.check(p, 15, 15, " ")
        Self.check(p, 16, 17, "01")
        Self.check(p, 18, 22, "04042"); Self.check(p, 23, 23, "8"); Self.check(p, 24, 35, "000000061900")
        Self.check(p, 36, 36, "0")
        Self.check(p, 38, 57, "12387980000000001   ")
        Self.check(p, 58, 58, "7"); Self.check(p, 59, 59, "1")
        Self.check(p, 63, 77, Self.padded("FAT-001", 15))
        Self.check(p, 78, 85, "10122026"); Self.check(p, 86, 100, "000000000015000")
        Self.check(p, 107, 108, "02"); Self.check(p, 109, 109, "N"); Self.check(p, 110, 117, "01112026")
        // Interest 1% a month on R$ 150,00 = R$ 0,05 a day, from the day after the due date.
        Self.check(p, 118, 118, "1"); Self.check(p, 119, 126, "11122026"); Self.check(p, 127, 141, "000000000000005")
        Self.check(p, 142, 142, "0")
        Self.check(p, 196, 220, Self.padded("FAT-001", 25))
        Self.check(p, 221, 221, "3"); Self.check(p, 222, 223, "00")
        Self.check(p, 228, 229, "09"); Self.check(p, 230, 239, "0000000000"); Self.check(p, 240, 240, " ")

        let q = r[3]
        Self.check(q, 9, 13, "00002"); Self.check(q, 14, 14, "Q"); Self.check(q, 16, 17, "01")
        Self.check(q, 18, 18, "1"); Self.check(q, 19, 33, "000052998224725")
        Self.check(q, 34, 73, Self.padded("MARIA DA CONCEICAO", 40))
        Self.check(q, 74, 113, Self.padded("RUA DAS FLORES, 100 APTO 12", 40))
        Self.check(q, 114, 128, Self.padded("CENTRO", 15))
        Self.check(q, 129, 133, "01310"); Self.check(q, 134, 136, "100")
        Self.check(q, 137, 151, Self.padded("SAO PAULO", 15)); Self.check(q, 152, 153, "SP")
        Self.check(q, 154, 154, "0"); Self.check(q, 155, 169, String(repeating: "0", count: 15))

        let rr = r[4]
        Self.check(rr, 9, 13, "00003"); Self.check(rr, 14, 14, "R"); Self.check(rr, 16, 17, "01")
        Self.check(rr, 66, 66, "2"); Self.check(rr, 67, 74, "11122026"); Self.check(rr, 75, 89, "000000000000200")

        // The write-off: P and Q only, movement 02, sequence continues.
        Self.check(r[5], 9, 17, "00004P 02"); Self.check(r[6], 9, 17, "00005Q 02")
        Self.check(r[5], 38, 57, "12387980000000002   ")

        let bt = r[7]
        Self.check(bt, 1, 8, "00100015"); Self.check(bt, 18, 23, "000007")
        let ft = r[8]
        Self.check(ft, 1, 8, "00199999"); Self.check(ft, 18, 23, "000001"); Self.check(ft, 24, 29, "000009")
    }

    @Test("Itaú: its own account fields, carteira/nosso número/DAC, name of 30")
    func itau() throws {
        let r = try Self.build(
            F.itau,
            [
                F.item("FAT-001", nossoNumero: "12345678"),
                F.item("FAT-002", nossoNumero: "1", instruction: .stopProtest),
            ])
        #expect(r.allSatisfy { $0.utf8.count == 240 })
        let h = r[0]
        Self.check(h, 1, 8, "34100000"); Self.check(h, 33, 52, Self.blanks(20))
        Self.check(h, 53, 53, "0"); Self.check(h, 54, 57, "0810"); Self.check(h, 58, 58, " ")
        Self.check(h, 59, 65, "0000000"); Self.check(h, 66, 70, "53678"); Self.check(h, 71, 71, " ")
        Self.check(h, 72, 72, "9")
        Self.check(h, 103, 132, Self.padded("BANCO ITAU SA", 30)); Self.check(h, 164, 166, "040")

        let b = r[1]
        Self.check(b, 9, 17, "R0100030 "); Self.check(b, 34, 53, Self.blanks(20))
        Self.check(b, 54, 54, "0"); Self.check(b, 55, 58, "0810"); Self.check(b, 60, 66, "0000000")
        Self.check(b, 67, 71, "53678"); Self.check(b, 73, 73, "9")

        let p = r[2]
        Self.check(p, 14, 17, "P 01"); Self.check(p, 18, 18, "0"); Self.check(p, 19, 22, "0810")
        Self.check(p, 23, 23, " "); Self.check(p, 24, 30, "0000000"); Self.check(p, 31, 35, "53678")
        Self.check(p, 37, 37, "9"); Self.check(p, 38, 40, "109"); Self.check(p, 41, 48, "12345678")
        let dac = try #require(CheckDigits.mod10("0810" + "53678" + "109" + "12345678"))
        Self.check(p, 49, 49, String(dac))
        Self.check(p, 50, 57, Self.blanks(8)); Self.check(p, 58, 62, "00000")
        Self.check(p, 63, 72, Self.padded("FAT-001", 10)); Self.check(p, 73, 77, Self.blanks(5))
        Self.check(p, 78, 85, "10122026"); Self.check(p, 86, 100, "000000000015000")
        Self.check(p, 107, 108, "01"); Self.check(p, 118, 118, "0"); Self.check(p, 127, 141, "000000000000005")
        Self.check(p, 196, 220, Self.padded("FAT-001", 25)); Self.check(p, 221, 221, "3")
        Self.check(p, 227, 239, String(repeating: "0", count: 13))

        let q = r[3]
        Self.check(q, 34, 63, Self.padded("MARIA DA CONCEICAO", 30)); Self.check(q, 64, 73, Self.blanks(10))
        // Stop protest is Itaú's movement 18 ("sustar o protesto").
        Self.check(r[5], 14, 17, "P 18"); Self.check(r[6], 14, 17, "Q 18")
    }

    @Test(
        "Movement codes per instruction",
        arguments: [
            (RemittanceInstruction.register, "01", "01"), (.writeOff, "02", "02"), (.changeDue, "06", "06"),
            (.protest, "09", "09"), (.stopProtest, "10", "18"),
        ])
    func movements(instruction: RemittanceInstruction, bb: String, itau: String) throws {
        let rb = try Self.build(F.bb, [F.item("T", instruction: instruction, lateFee: "0")])
        let ri = try Self.build(F.itau, [F.item("T", instruction: instruction, lateFee: "0")])
        Self.check(rb[2], 16, 17, bb); Self.check(rb[3], 16, 17, bb)
        Self.check(ri[2], 16, 17, itau); Self.check(ri[3], 16, 17, itau)
    }

    @Test("No fee or interest: no segment R, interest code 3 (exempt), zeros")
    func noFees() throws {
        let r = try Self.build(F.bb, [F.item("T", lateFee: "0", interest: "0")])
        #expect(r.count == 6)
        Self.check(r[2], 118, 141, "3" + String(repeating: "0", count: 23))
        Self.check(r[4], 18, 23, "000004")
    }

    @Test("A fee rate finer than two decimals is sent as the exact amount (code 1)")
    func fineLateFee() throws {
        let r = try Self.build(F.bb, [F.item("T", cents: 100_000, lateFee: "2.125")])
        Self.check(r[4], 66, 66, "1"); Self.check(r[4], 75, 89, "000000000002125")
    }

    @Test("200-character accented names, CR/LF and emoji never move a column")
    func hostileText() throws {
        let long = String(repeating: "Ação Çé ü 🚀\r\n", count: 20)
        let c = F.customer(
            name: long,
            address: PostalAddress(
                street: long, number: long, district: long, city: long,
                state: "sp", zip: "01310-100"))
        let r = try Self.build(F.bb, [F.item(String(repeating: "ção-1", count: 10), customer: c)])
        for rec in r {
            #expect(rec.utf8.count == 240)
            #expect(rec.utf8.allSatisfy { ($0 >= 32 && $0 <= 126) && !($0 >= 97 && $0 <= 122) })
        }
        Self.check(r[3], 34, 41, "ACAO CE ")
        Self.check(r[3], 129, 136, "01310100"); Self.check(r[3], 152, 153, "SP")
        Self.check(r[2], 63, 77, "CAO-1CAO-1CAO-1")
    }

    @Test("Batches split at maxDetailsPerBatch; an item's segments stay together")
    func batchSplit() throws {
        let items = (1...7).map { F.item("T\($0)", nossoNumero: String($0)) }  // 3 details each
        let bytes = try CNAB240Remittance.build(
            bank: F.bb, company: F.company, nsa: 1, date: F.fileDate, items: items,
            maxDetailsPerBatch: 7)
        let r = try #require(F.records(bytes))
        // 2 items (6 details) per batch → 4 batches: 3 × (1 + 6 + 1) + (1 + 3 + 1) + 2.
        #expect(r.count == 3 * 8 + 5 + 2)
        var batch = 0
        var seq = 0
        for rec in r.dropFirst().dropLast() {
            switch F.field(rec, 8, 8) {
            case "1":
                batch += 1
                seq = 0
                Self.check(rec, 4, 7, pad(batch, 4))
            case "3":
                seq += 1
                Self.check(rec, 4, 7, pad(batch, 4)); Self.check(rec, 9, 13, pad(seq, 5))
            case "5":
                Self.check(rec, 18, 23, pad(seq + 2, 6))
                #expect(seq <= 7)
                #expect(seq % 3 == 0)
            default: Issue.record("unexpected record \(rec.prefix(8))")
            }
        }
        Self.check(r.last!, 18, 23, "000004"); Self.check(r.last!, 24, 29, pad(r.count, 6))
    }

    @Test("At the real limit a batch takes 99,999 details at most")
    func realLimitPlanning() throws {
        let counts = [Int](repeating: 2, count: 50_001)
        let b = try CNAB240Remittance.batches(counts, maxDetailsPerBatch: CNAB240Remittance.maxDetailsPerBatch)
        #expect(b == [0..<49_999, 49_999..<50_001])
        #expect(
            try CNAB240Remittance.batches([Int](repeating: 3, count: 33_333), maxDetailsPerBatch: 99_999).count == 1)
        #expect(
            try CNAB240Remittance.batches([Int](repeating: 3, count: 33_334), maxDetailsPerBatch: 99_999).count == 2)
    }

    @Test("A file over the record limit throws; buildFiles splits it with consecutive NSAs")
    func fileSplit() throws {
        let items = (1...7).map { F.item("T\($0)", nossoNumero: String($0), lateFee: "0") }  // 2 details each
        #expect(throws: BankError.self) {
            try CNAB240Remittance.build(
                bank: F.bb, company: F.company, nsa: 5, date: F.fileDate, items: items,
                maxDetailsPerBatch: 99_999, maxRecordsPerFile: 10)
        }
        let files = try CNAB240Remittance.buildFiles(
            bank: F.bb, company: F.company, nsa: 5, date: F.fileDate,
            items: items, maxRecordsPerFile: 10)
        #expect(files.map(\.name) == ["001_20261123_000005.REM", "001_20261123_000006.REM", "001_20261123_000007.REM"])
        var titles: [String] = []
        for (k, f) in files.enumerated() {
            let r = try #require(F.records(f.bytes))
            #expect(r.count <= 10)
            Self.check(r[0], 158, 163, pad(5 + k, 6))
            Self.check(r.last!, 24, 29, pad(r.count, 6))
            titles += r.filter { F.field($0, 8, 8) == "3" && F.field($0, 14, 14) == "P" }.map { F.field($0, 196, 197) }
        }
        #expect(titles == ["T1", "T2", "T3", "T4", "T5", "T6", "T7"])
    }

    @Test("Deterministic: the same night gives the same bytes")
    func deterministic() throws {
        let items = [F.item("A"), F.item("B", nossoNumero: "7")]
        let a = try CNAB240Remittance.build(bank: F.itau, company: F.company, nsa: 3, date: F.fileDate, items: items)
        let b = try CNAB240Remittance.build(bank: F.itau, company: F.company, nsa: 3, date: F.fileDate, items: items)
        #expect(a == b)
        #expect(CNAB240Remittance.fileName(bank: F.itau, nsa: 3, date: F.fileDate) == "341_20261123_000003.REM")
    }

    /// SPEC's example writes `wallet: "17"`; BB's header then carries carteira 17, variation 019.
    @Test func bancoDoBrasilWalletWithoutVariationDefaultsTo019() throws {
        let bank = BankAccount(code: "001", agency: "4042", account: "61900", agreement: "1238798", wallet: "17")
        let bytes = try CNAB240Remittance.build(
            bank: bank, company: F.company, nsa: 1, date: F.fileDate, items: [BankFixtures.item("A")])
        let header = Array(bytes[0..<240])
        // Header 33–52: convênio (9) + "0014" + carteira (2) + variação (3) + 2 blanks.
        #expect(String(decoding: header[32..<52], as: UTF8.self) == "001238798001417019  ")
    }

    @Test(
        "Refusals name the title or the setting",
        arguments: [
            (BankFixtures.bb, BankFixtures.item("FAT-9", nossoNumero: nil), "FAT-9"),
            (BankFixtures.bb, BankFixtures.item("FAT-9", nossoNumero: "12345678901"), "too long"),
            (BankFixtures.bb, BankFixtures.item("FAT-9", cents: 0), "nothing outstanding"),
            (
                BankAccount(code: "237", agency: "1", account: "1", agreement: "1", wallet: "09"),
                BankFixtures.item("A"), "not supported"
            ),
            (BankFixtures.itau, BankFixtures.item("FAT-9", nossoNumero: "123456789"), "8 digits"),
        ])
    func refusals(bank: BankAccount, item: RemittanceItem, message: String) {
        do {
            _ = try CNAB240Remittance.build(bank: bank, company: F.company, nsa: 1, date: F.fileDate, items: [item])
            Issue.record("expected a refusal containing \(message)")
        } catch let e as BankError {
            #expect(e.message.contains(message), "\(e.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("NSA must fit six digits")
    func nsaRange() {
        #expect(throws: BankError.self) {
            try CNAB240Remittance.build(bank: F.bb, company: F.company, nsa: 0, date: F.fileDate, items: [])
        }
        #expect(throws: BankError.self) {
            try CNAB240Remittance.build(bank: F.bb, company: F.company, nsa: 1_000_000, date: F.fileDate, items: [])
        }
    }
}
