import Foundation
import Testing
@testable import Regua

/// Return files and the settlements they carry, as the SQLite ledger keeps them across nights,
/// forced reruns and discarded nights; the expectation is a plain dictionary the test keeps.
@Suite struct SQLiteLedgerSettlementTests {
    struct Night {
        var day: Day
        var files: [String]
        var paid: [(TitleID, Settlement)]
    }

    static func commit(_ l: SQLiteLedger, _ n: Night, replaces: Int64? = nil) throws -> Int64 {
        try l.commit(
            NightCommit(
                night: n.day, rulesHash: "r", inputsHash: "i-\(n.day.iso)-\(replaces ?? 0)", forced: replaces != nil,
                exitCode: 0, actions: [],
                returnFiles: n.files.map {
                    ReturnFileRecord(
                        hash: $0, name: "\($0).RET", bankCode: "001", nsa: 1,
                        events: [
                            ReturnEventRecord(
                                titleID: TitleID("t1"), nossoNumero: "1", movement: "06", kind: "settlement",
                                paidAmount: Money(cents: 1), occurrenceDate: n.day, reasons: "")
                        ])
                }, settlements: n.paid, replacesRunID: replaces))
    }

    /// What `settlements(upTo:)` must answer: the latest settlement per title among the runs
    /// that count (in commit order), on nights up to `day`.
    static func expected(_ runs: [(night: Night, counts: Bool)], upTo day: Day) -> [TitleID: Settlement] {
        var out: [TitleID: Settlement] = [:]
        for (n, counts) in runs where counts && n.day <= day {
            for (t, s) in n.paid { out[t] = s }
        }
        return out
    }

    @Test("Random nights of return files with forced reruns and discards: settlements and file nights follow the model")
    func settlementsFollowTheRunsThatCount() throws {
        var rng = SystemRandomNumberGenerator()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("regua-st-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/regua.sqlite"
        let l = try SQLiteLedger(path: path)
        let start = Day(iso: "2026-11-01")!
        var runs: [(night: Night, counts: Bool)] = []
        var runIDs: [Int64] = []
        var fileNumber = 0
        var d = 0
        while d < 25 {
            let day = start.adding(days: d)
            var paid: [(TitleID, Settlement)] = []
            for t in (0..<12).shuffled(using: &rng).prefix(Int.random(in: 0...4, using: &rng)) {
                paid.append(
                    (
                        TitleID("t\(t)"),
                        Settlement(
                            paidAmount: Money(cents: Int64.random(in: 1...9_999_999, using: &rng)),
                            paidDate: day.adding(days: -Int.random(in: 0...5, using: &rng))
                        )
                    ))
            }
            var files: [String] = []
            for _ in 0..<Int.random(in: 0...2, using: &rng) {
                fileNumber += 1
                files.append(String(format: "%064x", fileNumber))
            }
            let night = Night(day: day, files: files, paid: paid)
            let choice = Int.random(in: 0..<5, using: &rng)
            if choice == 0, let last = runIDs.last, runs.last!.counts, runs.last!.night.day == start.adding(days: d - 1)
            {
                // A forced rerun of the previous night: it replaces that run and its return files.
                let rerun = Night(day: runs.last!.night.day, files: files, paid: paid)
                runs[runs.count - 1].counts = false
                runIDs.append(try Self.commit(l, rerun, replaces: last))
                runs.append((rerun, true))
            } else if choice == 1 {
                // A night committed and never published: discarded, as if never run.
                let run = try Self.commit(l, night)
                try l.discardUnpublished(runID: run)
                #expect(try l.night(day) == nil)
                d += 1
            } else {
                let run = try Self.commit(l, night)
                try l.markPublished(runID: run)
                runIDs.append(run)
                runs.append((night, true))
                d += 1
            }
        }
        // A later process reads the same answers as this one.
        let reader = try SQLiteLedger.forReading(path: path)
        for ledger in [l, reader] {
            for k in -1...26 {
                let day = start.adding(days: k)
                let want = Self.expected(runs, upTo: day)
                #expect(try ledger.settlements(upTo: day) == want, "up to \(day.iso)")
                let some = [TitleID("t0"), TitleID("t5"), TitleID("t11"), TitleID("t99")]
                #expect(try ledger.settlements(upTo: day, titles: some) == want.filter { some.contains($0.key) })
            }
            var fileNights: [String: Day] = [:]
            for (n, counts) in runs where counts { for f in n.files { fileNights[f] = n.day } }
            for k in 1...fileNumber {
                let hash = String(format: "%064x", k)
                #expect(try ledger.returnFileNight(hash: hash) == fileNights[hash], "file \(k)")
            }
        }
    }

    @Test("A return file read on a night is refused a second time (its hash is the key)")
    func aReturnFileIsReadOnce() throws {
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        let hash = String(repeating: "ab", count: 32)
        _ = try Self.commit(l, Night(day: Day(iso: "2026-11-20")!, files: [hash], paid: []))
        #expect(try l.returnFileNight(hash: hash) == Day(iso: "2026-11-20")!)
        // The same file again on another night cannot be recorded: the night rolls back whole.
        #expect(throws: LedgerError.self) {
            try Self.commit(
                l,
                Night(
                    day: Day(iso: "2026-11-21")!, files: [hash],
                    paid: [(TitleID("t1"), Settlement(paidAmount: Money(cents: 5), paidDate: Day(iso: "2026-11-21")!))])
            )
        }
        #expect(try l.night(Day(iso: "2026-11-21")!) == nil)
        #expect(try l.settlements(upTo: Day(iso: "2026-11-30")!).isEmpty)
        #expect(try l.returnFileNight(hash: hash) == Day(iso: "2026-11-20")!)
    }

    @Test("A commit whose beforeCommit throws records nothing, not even the rows written before it")
    func aFailedCommitLeavesNothing() throws {
        struct Refused: Error {}
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        let night = Day(iso: "2026-11-20")!
        let n = NightCommit(
            night: night, rulesHash: "r", inputsHash: "i", forced: false, exitCode: 0,
            actions: [
                Action(
                    titleID: TitleID("t1"), customerID: CustomerID("c1"), stepID: "overdue_d3", offset: 3, kind: .sent,
                    channel: .email, messageID: "M1", profile: "standard")
            ],
            remittanceFiles: [
                RemittanceFileRecord(bankCode: "001", agreement: "1", nsa: 1, fileName: "a.REM", records: 2)
            ],
            settlements: [(TitleID("t2"), Settlement(paidAmount: Money(cents: 9), paidDate: night))])
        #expect(throws: Refused.self) { try l.commit(n, before: { throw Refused() }) }
        #expect(try l.night(night) == nil)
        #expect(try l.actions(from: night, to: night).isEmpty)
        #expect(try l.nextNSA(bankCode: "001", agreement: "1") == 1)
        #expect(try l.settlements(upTo: night).isEmpty)
        #expect(try l.history(before: night.adding(days: 1)).sent.isEmpty)
        // The files beforeCommit returns are recorded with the night when it succeeds.
        let run = try l.commit(
            n,
            before: {
                [RemittanceFileRecord(bankCode: "001", agreement: "1", nsa: 2, fileName: "b.REM", records: 3)]
            })
        #expect(try l.night(night)?.runID == run)
        #expect(try l.night(night)?.remittanceFiles.map(\.fileName) == ["a.REM", "b.REM"])
        #expect(try l.nextNSA(bankCode: "001", agreement: "1") == 3)
    }
}
