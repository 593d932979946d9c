import Foundation
import GRDB
import Testing
@testable import Regua

/// The report's step effectiveness read in bounded time (`step_sends` and the sends of the
/// titles that may be credited, ``EffectivenessStats/read(_:from:to:titles:tonight:)``) against
/// the plain computation over every send of the period, as the night computed it before, over
/// random sequences of nights: sends, supersedes, `--force`, discarded nights, prunes, the
/// commit's archive, settlements; random receivables and windows.
@Suite struct StepSendsTests {
    typealias Rand = CompactHistoryTests.Rand

    /// The night's effectiveness as it was computed from every send of the window.
    static func reference(
        _ l: any Ledger, from: Day, to: Day, titles: [Title], tonight: [TitleID: Settlement]
    ) throws -> [StepEffectiveness] {
        let ladder = try l.ladderSteps(from: from, to: to)
        return EffectivenessStats.compute(
            ladderSteps: ladder, titles: titles,
            settlements: try l.settlements(upTo: to, titles: ladder.map(\.titleID)).merging(tonight) { _, t in t },
            from: from, to: to)
    }

    /// `step_sends` holds exactly the per-night, per-step and per-run count of `title_steps`.
    static func expectCountsKept(_ l: SQLiteLedger, _ context: String) throws {
        let (kept, counted) = try l.dbQueue.read { db in
            (
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT night || '|' || step_id || '|' || run_id || '|' || titles || '|' || first_offset
                        FROM step_sends ORDER BY 1
                        """),
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT night || '|' || step_id || '|' || run_id || '|' || count(*) || '|' || min(step_offset)
                        FROM (SELECT * FROM title_steps UNION ALL SELECT * FROM archived_title_steps)
                        WHERE kind = 'sent' GROUP BY night, step_id, run_id ORDER BY 1
                        """)
            )
        }
        #expect(kept == counted, "\(context)")
    }

    /// Random receivables of the 40 titles: paid or not, on random dates around `day`.
    static func randomTitles(_ r: inout Rand, around day: Day) -> [Title] {
        (0..<40).filter { _ in r.chance(60) }.map { t in
            let paid = r.int(3)
            return Title(
                id: TitleID("T\(t)"), customerID: CustomerID("C\(t % 8)"), dueDate: day.adding(days: -r.int(60)),
                amount: Money(cents: 1000 + Int64(r.int(90000))), status: paid == 0 ? .paid : .open,
                paidAmount: paid == 1 ? Money(cents: 500 + Int64(r.int(500))) : .zero,
                paidDate: paid < 2 ? day.adding(days: -r.int(120)) : nil)
        }
    }

    @Test(arguments: [21, 22, 23, 24] as [UInt64])
    func theBoundedReadEqualsTheWholeOne(seed: UInt64) throws {
        var r = Rand(state: seed)
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        var night = Day(iso: "2026-01-05")!
        var last: (night: Day, run: Int64)?
        var compared = 0
        for step in 0..<60 {
            var n = CompactHistoryTests.randomNight(&r, night: night)
            n.settlements = (0..<r.int(4)).map { _ in
                (
                    TitleID("T\(r.int(44))"),
                    Settlement(
                        paidAmount: Money(cents: 100 + Int64(r.int(9000))), paidDate: night.adding(days: -r.int(100)))
                )
            }
            switch r.int(10) {
            case 0 where last != nil:
                n = CompactHistoryTests.randomNight(&r, night: last!.night)
                n.forced = true
                n.replacesRunID = last!.run
                last = (last!.night, try l.commit(n))
                try l.markPublished(runID: last!.run)
            case 1:
                try l.discardUnpublished(runID: try l.commit(n))
            case 2 where last != nil:
                try l.recordPrune(
                    PruneRecord(
                        asOf: last!.night.iso, keepDays: 4, cutoff: last!.night.adding(days: -4).iso, folders: [],
                        titlesArchived: 0))
            default:
                n.seenTitles = (0..<40).filter { _ in r.chance(30) }.map { TitleID("T\($0)") }
                let run = try l.commit(n)
                try l.markPublished(runID: run)
                last = (night, run)
                night = night.adding(days: 1 + r.int(4))
            }
            try Self.expectCountsKept(l, "seed \(seed) step \(step)")
            for _ in 0..<3 {
                let to = night.adding(days: -r.int(30))
                let from = to.adding(days: -(1 + r.int(90)))
                let titles = Self.randomTitles(&r, around: night)
                var tonight = try l.settlements(upTo: to, titles: titles.map(\.id))
                if r.chance(50) {
                    tonight[TitleID("T\(r.int(44))")] = Settlement(paidAmount: Money(cents: 4242), paidDate: to)
                }
                let want = try Self.reference(l, from: from, to: to, titles: titles, tonight: tonight)
                for lookup in [EffectivenessStats.SendsLookup.cheaper, .byNight, .byTitle] {
                    let got = try EffectivenessStats.read(
                        l, from: from, to: to, titles: titles, tonight: tonight, lookup: lookup)
                    #expect(got == want, "seed \(seed) step \(step) \(from.iso)…\(to.iso) \(lookup)")
                }
                if want.contains(where: { $0.paidWithin30 > 0 }) { compared += 1 }
            }
        }
        #expect(compared > 10, "seed \(seed): too few windows credited a payment (\(compared))")
        #expect(try l.prunes().count > 0)
        // The migration counts from `title_steps` what the commits kept.
        let rebuilt = try SQLiteLedger(inMemoryCopyOf: l)
        try rebuilt.dbQueue.write { db in
            try db.execute(sql: "DELETE FROM step_sends")
            try CompactState.buildStepSends(db)
        }
        try Self.expectCountsKept(rebuilt, "seed \(seed), built by the migration")
        #expect(
            try rebuilt.stepSends(from: Day(iso: "2025-01-01")!, to: night)
                == l.stepSends(from: Day(iso: "2025-01-01")!, to: night))
    }

    /// A ledger written before `step_sends` existed gets it from its `title_steps` when migrated.
    @Test func anOlderLedgerIsCountedWhenMigrated() throws {
        var r = Rand(state: 5)
        let path = NSTemporaryDirectory() + "regua-step-sends-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let l = try SQLiteLedger(path: path)
            var night = Day(iso: "2026-02-02")!
            for _ in 0..<12 {
                var n = CompactHistoryTests.randomNight(&r, night: night)
                n.seenTitles = (0..<40).map { TitleID("T\($0)") }
                try l.markPublished(runID: try l.commit(n))
                night = night.adding(days: 1)
            }
            // As the release before: no `step_sends`, no record of its migration.
            try l.dbQueue.write { db in
                try db.execute(sql: "DROP TABLE step_sends; DROP INDEX settlements_paid")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v8-step-sends'")
            }
        }
        let migrated = try SQLiteLedger(path: path)
        try Self.expectCountsKept(migrated, "migrated")
        #expect(try !migrated.stepSends(from: Day(iso: "2026-02-02")!, to: Day(iso: "2026-02-20")!).isEmpty)
    }
}
