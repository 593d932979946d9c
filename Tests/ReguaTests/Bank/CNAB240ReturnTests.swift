import Testing
@testable import Regua

/// Writes return files the way the banks lay them out, with the module's own field writer.
enum ReturnFileBuilder {
    struct Event {
        var movement: String
        var nossoNumero: String
        var titleID: String
        var amount: Int64 = 15_000
        var paid: Int64 = 0
        var reasons: String = ""
        var occurrence: Day? = Day(year: 2026, month: 12, day: 11)
        var credit: Day? = nil
    }

    static func records(
        bank: String = "001", agreement: String = "1238798", agency: String = "4042",
        account: String = "61900", fileKind: String = "2", events: [Event]
    ) throws -> [String] {
        let itau = bank == "341"
        var out: [CNABRecord] = []
        var h = CNABRecord()
        try h.digits(1, 3, bank, "bank"); try h.literal(4, 8, "00000")
        if itau {
            try h.digits(54, 57, agency, "agency"); try h.digits(66, 70, account, "account")
        } else {
            try h.digits(33, 41, agreement, "agreement"); try h.digits(53, 57, agency, "agency")
            try h.digits(59, 70, account, "account")
        }
        try h.literal(143, 143, fileKind); try h.date(144, Day(year: 2026, month: 12, day: 12), "date")
        try h.num(158, 163, 77, "nsa")
        out.append(h)
        var bh = CNABRecord()
        try bh.digits(1, 3, bank, "bank"); try bh.literal(4, 9, "00011T")
        out.append(bh)
        var seq = 0
        for e in events {
            var t = CNABRecord()
            seq += 1
            try t.digits(1, 3, bank, "bank"); try t.literal(4, 8, "00013"); try t.num(9, 13, Int64(seq), "seq")
            try t.literal(14, 14, "T"); try t.literal(16, 17, e.movement)
            if itau {
                try t.literal(38, 40, "109"); try t.digits(41, 48, e.nossoNumero, "nn"); try t.alpha(59, 68, e.titleID)
                try t.alpha(214, 221, e.reasons)
            } else {
                try t.alpha(38, 57, e.nossoNumero); try t.alpha(59, 73, e.titleID); try t.alpha(214, 223, e.reasons)
            }
            try t.date(74, Day(year: 2026, month: 12, day: 10), "due")
            try t.num(82, 96, e.amount, "amount")
            try t.alpha(106, 130, e.titleID)
            out.append(t)
            var u = CNABRecord()
            seq += 1
            try u.digits(1, 3, bank, "bank"); try u.literal(4, 8, "00013"); try u.num(9, 13, Int64(seq), "seq")
            try u.literal(14, 14, "U"); try u.literal(16, 17, e.movement)
            try u.zeros(18, 77); try u.num(78, 92, e.paid, "paid"); try u.num(93, 107, e.paid, "net")
            try u.date(138, e.occurrence, "occurrence"); try u.date(146, e.credit, "credit")
            out.append(u)
        }
        var bt = CNABRecord()
        try bt.digits(1, 3, bank, "bank"); try bt.literal(4, 8, "00015"); try bt.num(18, 23, Int64(seq + 2), "count")
        out.append(bt)
        var ft = CNABRecord()
        try ft.digits(1, 3, bank, "bank"); try ft.literal(4, 8, "99999"); try ft.num(18, 23, 1, "batches")
        try ft.num(24, 29, Int64(out.count + 1), "records")
        out.append(ft)
        return out.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    static func bytes(_ records: [String], lineEnd: String = "\r\n") -> [UInt8] {
        Array(records.map { $0 + lineEnd }.joined().utf8)
    }

    static let sample: [Event] = [
        Event(
            movement: "06", nossoNumero: "12387980000000001", titleID: "FAT-001", paid: 15_300,
            credit: Day(year: 2026, month: 12, day: 14)),
        Event(movement: "03", nossoNumero: "12387980000000002", titleID: "FAT-002", reasons: "4548"),
        Event(movement: "02", nossoNumero: "12387980000000003", titleID: "FAT-003"),
    ]
}

@Suite("CNAB 240 return")
struct CNAB240ReturnTests {
    typealias B = ReturnFileBuilder

    @Test("Round trip: settlement, rejection with reasons, entry confirmed (BB)")
    func roundTripBB() throws {
        let bytes = B.bytes(try B.records(events: B.sample))
        let file = try CNAB240Return.parse(bytes, path: "ret/RET001.RET", expecting: BankFixtures.bb)
        #expect(file.bankCode == "001")
        #expect(file.agreement == "1238798")
        #expect(file.nsa == 77)
        #expect(file.date == Day(year: 2026, month: 12, day: 12))
        #expect(file.hash == Hashing.sha256Hex(bytes))
        #expect(file.events.count == 3)

        let paid = file.events[0]
        #expect(paid.kind == .settlement && paid.movement == "06")
        #expect(paid.nossoNumero == "12387980000000001")
        #expect(paid.titleID == "FAT-001")
        #expect(paid.amount == Money(cents: 15_000) && paid.paidAmount == Money(cents: 15_300))
        #expect(paid.dueDate == Day(year: 2026, month: 12, day: 10))
        #expect(paid.occurrenceDate == Day(year: 2026, month: 12, day: 11))
        #expect(paid.creditDate == Day(year: 2026, month: 12, day: 14))

        let rejected = file.events[1]
        #expect(rejected.kind == .entryRejected && rejected.reasons == ["45", "48"] && rejected.paidAmount == nil)
        #expect(rejected.creditDate == nil)
        #expect(file.events[2].kind == .entryConfirmed && file.events[2].reasons.isEmpty)
    }

    @Test("Itaú: nosso número of 8 digits; 08 and 10 settle, 17 is a rejection, 32 protested")
    func itau() throws {
        let events = [
            ("06", ReturnEventKind.settlement), ("08", .settlement), ("10", .settlement),
            ("17", .other), ("32", .protested), ("09", .writtenOff),
        ]
        .enumerated().map { B.Event(movement: $1.0, nossoNumero: "0000000\($0)", titleID: "T\($0)") }
        let bytes = B.bytes(try B.records(bank: "341", agency: "0810", account: "53678", events: events), lineEnd: "\n")
        let file = try CNAB240Return.parse(bytes, path: "itau.ret", expecting: BankFixtures.itau)
        #expect(file.events.map(\.kind) == [.settlement, .settlement, .settlement, .other, .protested, .writtenOff])
        #expect(file.events.map(\.nossoNumero) == (0..<6).map { "0000000\($0)" })
        #expect(file.agreement == "")
    }

    @Test("BB settles on 06 and 17, protested is 25")
    func bbKinds() throws {
        let events = [("17", ReturnEventKind.settlement), ("25", .protested), ("28", .other), ("09", .writtenOff)]
            .map { B.Event(movement: $0.0, nossoNumero: "1", titleID: "X") }
        let file = try CNAB240Return.parse(
            B.bytes(try B.records(events: events)), path: "r", expecting: BankFixtures.bb)
        #expect(file.events.map(\.kind) == [.settlement, .protested, .other, .writtenOff])
    }

    /// Each damaged file and the words its refusal must contain, with the line.
    static func refusal(_ name: String) throws -> (bytes: [UInt8], bank: BankAccount, message: String, line: Int?) {
        var r = try B.records(events: B.sample)
        switch name {
        case "other bank":
            let itau = [B.Event(movement: "06", nossoNumero: "1", titleID: "A")]
            return (
                B.bytes(try B.records(bank: "341", agency: "0810", account: "53678", events: itau)),
                BankFixtures.bb, "from bank 341", 1
            )
        case "other agreement":
            return (
                B.bytes(try B.records(agreement: "7654321", events: B.sample)), BankFixtures.bb, "convênio 7654321", 1
            )
        case "other account":
            return (B.bytes(try B.records(account: "11111", events: B.sample)), BankFixtures.bb, "account", 1)
        case "remittance":
            return (B.bytes(try B.records(fileKind: "1", events: B.sample)), BankFixtures.bb, "not a return file", 1)
        case "truncated":
            return (B.bytes(Array(r.dropLast())), BankFixtures.bb, "truncated", 9)
        case "count mismatch":
            r[r.count - 2] = String(r[r.count - 2].prefix(17)) + "000005" + String(r[r.count - 2].dropFirst(23))
            return (B.bytes(r), BankFixtures.bb, "counts 5 records", 9)
        case "short record":
            r[3] = String(r[3].dropLast())
            return (B.bytes(r), BankFixtures.bb, "239 characters", 4)
        case "T without U":
            r.remove(at: 5)
            return (B.bytes(r), BankFixtures.bb, "has no segment U", 5)
        case "non-ASCII":
            r[2] = String(r[2].prefix(100)) + "é" + String(r[2].dropFirst(101))
            return (B.bytes(r), BankFixtures.bb, "not ASCII", 3)
        default:
            Issue.record("unknown case \(name)")
            return ([], BankFixtures.bb, "", nil)
        }
    }

    @Test(
        "Refusals name the path and the line",
        arguments: [
            "other bank", "other agreement", "other account", "remittance", "truncated", "count mismatch",
            "short record", "T without U", "non-ASCII",
        ])
    func refusals(name: String) throws {
        let c = try Self.refusal(name)
        do {
            _ = try CNAB240Return.parse(c.bytes, path: "in/RET.RET", expecting: c.bank)
            Issue.record("\(name): expected a refusal")
        } catch let e as BankError {
            #expect(e.message.contains(c.message), "\(name): \(e.message)")
            #expect(e.path == "in/RET.RET")
            #expect(e.line == c.line, "\(name): \(e)")
            #expect(e.description.hasPrefix("in/RET.RET:"))
        }
    }

    @Test("Trailing blank lines and a DOS end-of-file mark are accepted; a blank line inside is not")
    func trailingNoise() throws {
        let r = try B.records(events: B.sample)
        let ok = B.bytes(r) + Array("\r\n\r\n".utf8) + [26]
        #expect(try CNAB240Return.parse(ok, path: "r", expecting: BankFixtures.bb).events.count == 3)
        var inner = r
        inner.insert("", at: 2)
        #expect(throws: BankError.self) {
            try CNAB240Return.parse(B.bytes(inner), path: "r", expecting: BankFixtures.bb)
        }
    }

    @Test("Our own remittance is not taken for a return")
    func remittanceIsNotAReturn() throws {
        let rem = try CNAB240Remittance.build(
            bank: BankFixtures.bb, company: BankFixtures.company, nsa: 1,
            date: BankFixtures.fileDate, items: [BankFixtures.item("A")])
        #expect(throws: BankError.self) { try CNAB240Return.parse(rem, path: "x", expecting: BankFixtures.bb) }
    }
}
