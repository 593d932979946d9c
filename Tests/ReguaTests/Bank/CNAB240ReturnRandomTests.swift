import Foundation
import Testing
@testable import Regua

/// Random return files laid out from the FEBRABAN positions (``ReturnFileBuilder``) read back
/// event by event; the file hash is checked against Python's hashlib.
@Suite struct CNAB240ReturnRandomTests {
    typealias B = ReturnFileBuilder

    /// Movement codes (C044) and what they mean, from the FEBRABAN table in the domain notes,
    /// with Banco do Brasil's 17 (settled after write-off) and 25 (protested and written off).
    static let common: [(String, ReturnEventKind)] = [
        ("02", .entryConfirmed), ("03", .entryRejected), ("06", .settlement), ("09", .writtenOff), ("28", .other),
        ("26", .other),
    ]
    static let bbOnly: [(String, ReturnEventKind)] = [("17", .settlement), ("25", .protested)]

    static func sha256(_ files: [[UInt8]]) throws -> [String] {
        let hex = files.map { $0.map { String(format: "%02x", $0) }.joined() }.joined(separator: "\n") + "\n"
        return try BankReferenceTests.python(
            "import sys, hashlib\nfor l in sys.stdin: print(hashlib.sha256(bytes.fromhex(l.strip())).hexdigest())",
            input: hex)
    }

    @Test("80 random return files of both banks: every event, kind, amount, date and reason comes back")
    func randomReturns() throws {
        var rng = SystemRandomNumberGenerator()
        var files: [[UInt8]] = []
        var parsed: [ReturnFile] = []
        for round in 0..<80 {
            let bb = round % 2 == 0
            let table = bb ? Self.common + Self.bbOnly : Self.common
            var events: [B.Event] = []
            var kinds: [ReturnEventKind] = []
            var reasons: [[String]] = []
            for k in 0..<Int.random(in: 1...40, using: &rng) {
                let (movement, kind) = table.randomElement(using: &rng)!
                let nosso =
                    bb
                    ? "1238798" + BankReferenceTests.digits(10, using: &rng)
                    : BankReferenceTests.digits(8, using: &rng)
                let codes = (0..<Int.random(in: 0...(bb ? 5 : 4), using: &rng)).map { _ in
                    String(format: "%02d", Int.random(in: 1...99, using: &rng))
                }
                var e = B.Event(movement: movement, nossoNumero: nosso, titleID: "T\(round)-\(k)")
                e.amount = Int64.random(in: 1...99_999_999_999, using: &rng)
                e.paid = kind == .settlement ? Int64.random(in: 1...99_999_999_999, using: &rng) : 0
                e.reasons = codes.joined()
                e.occurrence = Day(iso: "2026-11-01")!.adding(days: Int.random(in: 0...60, using: &rng))
                e.credit = kind == .settlement ? e.occurrence!.adding(days: Int.random(in: 0...3, using: &rng)) : nil
                events.append(e)
                kinds.append(kind)
                reasons.append(codes)
            }
            let records =
                bb
                ? try B.records(events: events)
                : try B.records(bank: "341", agency: "0810", account: "53678", events: events)
            let bytes = B.bytes(records, lineEnd: Bool.random(using: &rng) ? "\r\n" : "\n")
            let file = try CNAB240Return.parse(
                bytes, path: "ret/\(round).RET", expecting: bb ? BankFixtures.bb : BankFixtures.itau)
            #expect(file.bankCode == (bb ? "001" : "341"))
            #expect(file.nsa == 77)
            #expect(file.date == Day(iso: "2026-12-12"))
            try #require(file.events.count == events.count, "round \(round)")
            for (k, (got, e)) in zip(file.events, events).enumerated() {
                #expect(got.movement == e.movement)
                #expect(got.kind == kinds[k], "movement \(e.movement) of bank \(file.bankCode)")
                #expect(got.nossoNumero == e.nossoNumero)
                #expect(got.titleID == e.titleID)
                #expect(got.amount == Money(cents: e.amount))
                #expect(got.dueDate == Day(iso: "2026-12-10"))
                #expect(got.occurrenceDate == e.occurrence)
                #expect(got.creditDate == e.credit)
                #expect(got.reasons == reasons[k], "\(e.reasons)")
                if kinds[k] == .settlement { #expect(got.paidAmount == Money(cents: e.paid)) }
            }
            files.append(bytes)
            parsed.append(file)
        }
        #expect(parsed.map(\.hash) == (try Self.sha256(files)))
        #expect(Set(parsed.map(\.hash)).count == parsed.count)
    }

    @Test("A byte that is not printable ASCII anywhere is refused with its line and column")
    func aBadByteIsFoundWhereverItIs() throws {
        var rng = SystemRandomNumberGenerator()
        let records = try B.records(events: B.sample)
        for _ in 0..<40 {
            let line = Int.random(in: 0..<records.count, using: &rng)
            let column = Int.random(in: 0..<240, using: &rng)
            var bad = records.map { Array($0.utf8) }
            bad[line][column] = [0x00, 0x09, 0x7F, 0xC3].randomElement(using: &rng)!
            let bytes: [UInt8] = bad.flatMap { (r: [UInt8]) -> [UInt8] in r + [13, 10] }
            do {
                _ = try CNAB240Return.parse(bytes, path: "in/x.RET", expecting: BankFixtures.bb)
                Issue.record("byte at line \(line + 1) column \(column + 1) accepted")
            } catch let e as BankError {
                #expect(e.line == line + 1)
                #expect(e.message.contains("column \(column + 1)"), "\(e.message)")
            }
        }
    }

    @Test("A record cut short or made longer anywhere is refused on its line")
    func aWrongLengthIsFoundOnItsLine() throws {
        var rng = SystemRandomNumberGenerator()
        let records = try B.records(events: B.sample)
        for _ in 0..<30 {
            let line = Int.random(in: 0..<records.count, using: &rng)
            var changed = records
            let delta = [-1, 1, -239, 5].randomElement(using: &rng)!
            changed[line] =
                delta < 0
                ? String(changed[line].dropLast(-delta)) : changed[line] + String(repeating: " ", count: delta)
            do {
                _ = try CNAB240Return.parse(B.bytes(changed), path: "in/x.RET", expecting: BankFixtures.bb)
                Issue.record("record \(line + 1) of \(240 + delta) accepted")
            } catch let e as BankError {
                #expect(e.line == line + 1)
                #expect(e.message.contains("\(240 + delta) characters"), "\(e.message)")
            }
        }
    }
}
