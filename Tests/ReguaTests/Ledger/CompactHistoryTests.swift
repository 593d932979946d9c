import Foundation
import GRDB
import Testing
@testable import Regua

/// The compact tables against the plain reference read (``ReferenceHistory``), over random
/// sequences of nights: sends, supersedes, holds, bank instructions, `--force` replacements and
/// discarded nights; read for tonight's titles, for every title, and for nights in the past.
@Suite struct CompactHistoryTests {
    /// A small seeded generator (SplitMix64), so a failing seed replays.
    struct Rand {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    }

    static let ladder: [(id: String, offset: Int, instruction: RemittanceInstruction?)] = [
        ("reminder_d-5", -5, nil), ("due_today", 0, nil), ("overdue_d3", 3, nil), ("overdue_d10", 10, nil),
        ("protest_d45", 45, .protest), ("writeoff_d90", 90, .writeOff),
        ("bank:register", 0, .register), ("bank:change_due", 0, .changeDue), ("bank:stop_protest", 0, .stopProtest),
    ]

    /// One random night's actions for some of 40 titles of 8 customers.
    static func randomNight(_ r: inout Rand, night: Day) -> NightCommit {
        var actions: [Action] = []
        var instructions: [(titleID: TitleID, instruction: RemittanceInstruction, dueDate: Day)] = []
        for _ in 0..<(4 + r.int(12)) {
            let t = r.int(40)
            let title = TitleID("T\(t)")
            let customer = CustomerID("C\(t % 8)")
            let step = ladder[r.int(ladder.count)]
            let roll = r.int(10)
            let kind: ActionKind = roll < 6 ? .sent : roll < 8 ? .superseded : .held
            let channel: Channel? = step.instruction == nil ? (r.chance(50) ? .email : .sms) : nil
            actions.append(
                Action(
                    titleID: title, customerID: customer, stepID: step.id, offset: step.offset, kind: kind,
                    channel: channel, instruction: step.instruction, reason: kind == .held ? .contactCap : nil,
                    messageID: kind == .sent && channel != nil
                        ? "M\(night.iso)-\(customer.raw)-\(channel!.rawValue)" : nil,
                    profile: "standard"))
            if let i = step.instruction, kind == .sent {
                instructions.append((title, i, night.adding(days: r.int(60) - 30)))
            }
        }
        return NightCommit(
            night: night, rulesHash: "r", inputsHash: "i\(r.next())", forced: false, exitCode: 0, actions: actions,
            instructions: instructions)
    }

    /// Reference and compact reads agree on `day` for every title, and for a random scope.
    static func expectSame(_ l: SQLiteLedger, _ day: Day, _ r: inout Rand, _ context: String) throws {
        let reference = try l.dbQueue.read { db in try ReferenceHistory.read(db, before: day) }
        let all = try l.history(before: day, scope: .everything)
        #expect(
            ReferenceHistory.Observed(all, titles: nil, customers: nil)
                == ReferenceHistory.Observed(reference, titles: nil, customers: nil), "\(context), every title")
        let titles = (0..<40).filter { _ in r.chance(40) }.map { TitleID("T\($0)") } + [TitleID("never-seen")]
        let customers = (0..<8).filter { _ in r.chance(50) }.map { CustomerID("C\($0)") }
        let scoped = try l.history(before: day, scope: HistoryScope(titles: titles))
        let got = ReferenceHistory.Observed(scoped, titles: titles, customers: customers)
        let want = ReferenceHistory.Observed(reference, titles: titles, customers: customers)
        #expect(got == want, "\(context), scoped:\n\(got)\nwant:\n\(want)")
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func compactReadEqualsTheFullRead(seed: UInt64) throws {
        var r = Rand(state: seed)
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        var night = Day(iso: "2026-01-05")!
        var last: (night: Day, run: Int64)?
        for step in 0..<70 {
            let move = r.int(10)
            if move == 0, let prev = last {
                // --force: the night again with other actions; the replaced run stops counting.
                var n = Self.randomNight(&r, night: prev.night)
                n.forced = true
                n.replacesRunID = prev.run
                last = (prev.night, try l.commit(n))
                try l.markPublished(runID: last!.run)
            } else if move == 1 {
                // A night committed but never published, then discarded.
                let run = try l.commit(Self.randomNight(&r, night: night))
                try l.discardUnpublished(runID: run)
            } else if move == 2, let prev = last {
                // A prune archives titles not seen for four to ten nights; they come back when seen or touched.
                try l.recordPrune(
                    PruneRecord(
                        asOf: prev.night.iso, keepDays: 4, cutoff: prev.night.adding(days: -4).iso, folders: [],
                        titlesArchived: 0))
            } else {
                var n = Self.randomNight(&r, night: night)
                n.seenTitles = (0..<40).filter { _ in r.chance(30) }.map { TitleID("T\($0)") }
                let run = try l.commit(n)
                try l.markPublished(runID: run)
                last = (night, run)
                night = night.adding(days: 1 + r.int(4))
            }
            guard let lastNight = last?.night else { continue }
            for back in [-1, 0, 1, 3, 8, 30, 60] {
                try Self.expectSame(l, lastNight.adding(days: -back), &r, "seed \(seed) step \(step) day -\(back)")
            }
        }
        #expect(try l.prunes().contains { $0.titlesArchived > 0 }, "seed \(seed): no prune archived anything")
        // The migration builds from `actions` what the commits kept (hot and archived), row for row.
        let whole = try SQLiteLedger(inMemoryCopyOf: l)
        try whole.dbQueue.write { db in
            for t in ["title_steps", "title_state"] {
                try db.execute(sql: "INSERT INTO \(t) SELECT * FROM archived_\(t)")
                try db.execute(sql: "DELETE FROM archived_\(t)")
            }
        }
        let horizon =
            try l.dbQueue.read { db in try String.fetchOne(db, sql: "SELECT night FROM history_horizons") } ?? ""
        let kept = try Self.compactRows(whole, contactsFrom: horizon)
        let rebuilt = try SQLiteLedger(inMemoryCopyOf: l)
        try rebuilt.dbQueue.write { db in
            for t in [
                "title_steps", "title_state", "customer_contacts", "history_horizons", "archived_title_steps",
                "archived_title_state",
            ] {
                try db.execute(sql: "DELETE FROM \(t)")
            }
            try CompactState.buildAll(db)
        }
        #expect(try Self.compactRows(rebuilt, contactsFrom: horizon) == kept)
    }

    /// A title missing from the receivables for a week leaves the hot tables at a night's commit
    /// (the archive keeps its state and its filter knows it), is still read for a night that
    /// decides it, and comes back to the hot tables the night it is seen again.
    @Test func aTitleMissingForAWeekIsArchivedByTheCommitAndComesBack() throws {
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        let first = Day(iso: "2026-03-02")!
        func commit(_ night: Day, seen: [String], sendTo: [String]) throws {
            let actions = sendTo.map { t in
                Action(
                    titleID: TitleID(t), customerID: CustomerID("C-" + t), stepID: "overdue_d3", offset: 3, kind: .sent,
                    channel: .email, messageID: "M-\(night.iso)-\(t)", profile: "standard")
            }
            var n = NightCommit(
                night: night, rulesHash: "r", inputsHash: night.iso, forced: false, exitCode: 0, actions: actions)
            n.seenTitles = seen.map(TitleID.init)
            try l.markPublished(runID: try l.commit(n))
        }
        func hot() throws -> [String] {
            try l.dbQueue.read { try String.fetchAll($0, sql: "SELECT title_id FROM title_state ORDER BY title_id") }
        }
        func archived() throws -> [String] {
            try l.dbQueue.read {
                try String.fetchAll($0, sql: "SELECT title_id FROM archived_title_state ORDER BY title_id")
            }
        }
        try commit(first, seen: ["T1", "T2"], sendTo: ["T1", "T2"])
        // T2 stays in the receivables; T1 is missing from the next night on.
        var night = first
        let lastHot = first.adding(days: CompactState.archiveAfterNights + CompactState.lastSeenSlack)
        while night < lastHot.adding(days: 1) {
            night = night.adding(days: 1)
            try commit(night, seen: ["T2"], sendTo: [])
            let t1Hot = night <= lastHot
            #expect(try hot() == (t1Hot ? ["T1", "T2"] : ["T2"]), "\(night.iso)")
            #expect(try archived() == (t1Hot ? [] : ["T1"]), "\(night.iso)")
        }
        // Archived: its filter keeps it, and a night that decides it still reads its step.
        let bits = try l.dbQueue.read {
            try Data.fetchOne($0, sql: "SELECT bits FROM archive_filter WHERE name = 'archived_title_state'")
        }
        #expect(bits.flatMap(ArchiveFilter.init(data:))?.mightContain("T1") == true)
        let back = night.adding(days: 1)
        let h = try l.history(before: back, scope: HistoryScope(titles: [TitleID("T1")]))
        #expect(h.sent[TitleID("T1")]?.map(\.stepID) == ["overdue_d3"])
        var r = Rand(state: 7)
        try Self.expectSame(l, back, &r, "after the archive")
        // Seen again: back in the hot tables, the archive without it.
        try commit(back, seen: ["T1", "T2"], sendTo: [])
        #expect(try hot() == ["T1", "T2"])
        #expect(try archived().isEmpty)
        try Self.expectSame(l, back.adding(days: 1), &r, "after coming back")
    }

    /// The archive's filter takes each night's archived ids in place while it has room, and is
    /// built again at twice the size when it fills: it never misses an archived id.
    @Test func theArchiveFilterGrowsWithTheArchiveAndMissesNoId() throws {
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        var sizes: [Int] = []
        var all: [String] = []
        for batch in 0..<12 {
            let ids = (0..<(150 * (batch + 1))).map { "A\(batch)-\($0)" }
            all += ids
            try l.dbQueue.write { db in
                for id in ids {
                    try db.execute(
                        sql: """
                            INSERT INTO archived_title_state (title_id, customer_id, first_night, last_seen)
                            VALUES (?, 'C', '2026-01-01', '2026-01-01')
                            """, arguments: [id])
                }
                try CompactState.addToArchiveFilter(db, ids)
            }
            let row = try l.dbQueue.read {
                try Row.fetchOne($0, sql: "SELECT bits, ids FROM archive_filter WHERE name = 'archived_title_state'")
            }
            let filter = try #require(row.flatMap { ArchiveFilter(data: $0["bits"]) })
            #expect((row?["ids"] as Int?) == all.count)
            #expect(all.count <= filter.capacity, "batch \(batch): \(all.count) ids in a filter for \(filter.capacity)")
            #expect(all.allSatisfy(filter.mightContain), "batch \(batch)")
            sizes.append(filter.capacity)
        }
        #expect(Set(sizes).count > 1, "the filter never grew: \(sizes)")
        #expect(sizes == sizes.sorted())
    }

    /// The hot compact tables as text rows (`last_seen` aside: a rebuilt title keeps the night it was last seen).
    static func compactRows(_ l: SQLiteLedger, contactsFrom horizon: String) throws -> [String] {
        try l.dbQueue.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT 'step|' || title_id || '|' || kind || '|' || step_id || '|' || step_offset || '|' || night || '|' || action_id
                    FROM title_steps
                    UNION ALL
                    SELECT 'state|' || title_id || '|' || customer_id || '|' || coalesce(registered_due, '-') || '|' || protested
                           || '|' || written_off || '|' || coalesce(bank_night, '-') || '|' || first_night
                    FROM title_state
                    UNION ALL
                    SELECT 'contact|' || customer_id || '|' || night || '|' || message_id FROM customer_contacts WHERE night >= ?
                    ORDER BY 1
                    """, arguments: [horizon])
        }
    }
}
