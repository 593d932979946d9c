import Foundation
import Testing
@testable import Regua

/// The ``Ledger`` protocol's answers on a real PostgreSQL server (``PostgresServer``) against
/// SQLite's, for the same commits: random sequences of nights (sends, supersedes, holds, bank
/// instructions, `--force`, discarded nights, settlements, offers, remittance files) read back
/// through every read of the protocol; the commit-after-flush rule seen from another
/// connection (`psql`); the schema migrated from an empty database, and a foreign one refused.
@Suite(.serialized) struct PostgresLedgerProtocolTests {
    static var why: Comment { PostgresServer.skipReason }

    /// A fresh PostgreSQL ledger (its own database) and the URL it lives at.
    static func postgres() throws -> (ledger: PostgresLedger, url: String) {
        let url = try PostgresServer.shared.get().newDatabase()
        guard case .postgres(let u) = try LedgerLocation(state: url) else { throw PostgresServer.Failure(reason: url) }
        return (try PostgresLedger(url: u, mode: .write), url)
    }

    /// Everything the protocol says about a ledger on `day`, as comparable text.
    static func readings(_ l: any Ledger, _ day: Day) throws -> (
        whole: ReferenceHistory.Observed, scoped: ReferenceHistory.Observed, rest: [String]
    ) {
        var out: [String] = []
        let whole = ReferenceHistory.Observed(try l.history(before: day), titles: nil, customers: nil)
        let some = (0..<40).filter { $0 % 3 == 0 }.map { TitleID("T\($0)") } + [TitleID("never-seen")]
        let customers = [CustomerID("C1"), CustomerID("C4")]
        let scoped = ReferenceHistory.Observed(
            try l.history(before: day, scope: HistoryScope(titles: some)), titles: some,
            customers: customers)
        for (k, v) in try l.settlements(upTo: day).sorted(by: { $0.key < $1.key }) {
            out.append("settlement|\(k.raw)|\(v.paidAmount.cents)|\(v.paidDate.iso)")
        }
        out.append("some-settlements|\(try l.settlements(upTo: day, titles: some).count)")
        for s in try l.ladderSteps(from: day.adding(days: -90), to: day) {
            out.append("ladder|\(s.night.iso)|\(s.titleID.raw)|\(s.stepID)|\(s.offset)")
        }
        for s in try l.stepSends(from: day.adding(days: -90), to: day) {
            out.append("step-sends|\(s.night.iso)|\(s.stepID)|\(s.titles)|\(s.firstOffset)")
        }
        for s in try l.ladderSteps(from: day.adding(days: -90), to: day, titles: some) {
            out.append("ladder-of-some|\(s.night.iso)|\(s.titleID.raw)|\(s.stepID)|\(s.offset)")
        }
        out.append(
            "settled|"
                + (try l.titlesSettled(paidFrom: day.adding(days: -30), upTo: day)).map(\.raw).joined(separator: ","))
        for (t, steps) in try l.sentSteps(titles: some, before: day).sorted(by: { $0.key < $1.key }) {
            out.append(
                "sent|\(t.raw)|"
                    + steps.map { "\($0.stepID)@\($0.night.iso):\($0.channel?.rawValue ?? "-")" }.joined(separator: ",")
            )
        }
        for o in try l.offers(from: day.adding(days: -30), to: day) {
            out.append("offer|\(o.night.iso)|\(o.record.messageID)|\(o.record.offer.cashAmount.cents)")
        }
        let last = try l.lastNight(before: day)
        out.append("last-before|\(last?.night.iso ?? "-")|\(last?.status.rawValue ?? "-")|\(last?.exitCode ?? -1)")
        if let n = try l.night(day) {
            out.append(
                "night|\(n.rulesHash)|\(n.inputsHash)|\(n.status.rawValue)|\(n.forced)|\(n.exitCode)|"
                    + n.remittanceFiles.map { "\($0.nsa):\($0.fileName):\($0.records)" }.joined(separator: ","))
        }
        out.append("nsa|\(try l.nextNSA(bankCode: "001", agreement: "1234567"))")
        out += try l.actions(from: day.adding(days: -3), to: day).map {
            "action|\($0.night.iso)|\($0.action.titleID.raw)|\($0.action.stepID)|\($0.action.kind.rawValue)|\($0.action.messageID ?? "")"
        }
        return (whole, scoped, out)
    }

    @Test(.enabled(if: PostgresServer.enabled, why), arguments: [7, 8] as [UInt64])
    func randomNightsReadTheSameOnBothLedgers(seed: UInt64) throws {
        var r = CompactHistoryTests.Rand(state: seed)
        let sqlite = try SQLiteLedger(inMemoryCopyOf: nil)
        let (pg, _) = try Self.postgres()
        let ledgers: [any Ledger] = [sqlite, pg]
        var night = Day(iso: "2026-03-02")!
        var last: (night: Day, runs: [Int64])?
        var nsa = 1
        for step in 0..<24 {
            let move = r.int(10)
            var runs: [Int64] = []
            if move == 0, let prev = last {
                var n = CompactHistoryTests.randomNight(&r, night: prev.night)
                n.forced = true
                for (l, old) in zip(ledgers, prev.runs) {
                    n.replacesRunID = old
                    let run = try l.commit(n)
                    try l.markPublished(runID: run)
                    runs.append(run)
                }
                last = (prev.night, runs)
            } else if move == 1 {
                let n = CompactHistoryTests.randomNight(&r, night: night)
                for l in ledgers { try l.discardUnpublished(runID: try l.commit(n)) }
            } else {
                var n = CompactHistoryTests.randomNight(&r, night: night)
                n.seenTitles = (0..<40).filter { _ in r.chance(30) }.map { TitleID("T\($0)") }
                n.exitCode = r.int(2)
                n.settlements = (0..<r.int(3)).map { _ in
                    (
                        TitleID("T\(r.int(40))"),
                        Settlement(paidAmount: Money(cents: Int64(100 + r.int(9000))), paidDate: night)
                    )
                }
                n.offers = n.actions.filter { $0.kind == .sent && $0.messageID != nil }.prefix(2).map {
                    OfferRecord(
                        messageID: $0.messageID!, customerID: $0.customerID, stepID: $0.stepID, titleIDs: [$0.titleID],
                        offer: Offer(
                            cashAmount: Money(cents: 5000), savings: Money(cents: 700),
                            validUntil: night.adding(days: 5), installments: []))
                }
                let files =
                    r.chance(40)
                    ? [
                        RemittanceFileRecord(
                            bankCode: "001", agreement: "1234567", nsa: nsa, fileName: "CB\(nsa).REM",
                            records: 3 + r.int(5))
                    ]
                    : []
                nsa += files.count
                for l in ledgers {
                    // The remittance files come with the gate's opening, as a night renders them.
                    let run = try l.commit(n, before: { files })
                    try l.markPublished(runID: run)
                    runs.append(run)
                }
                last = (night, runs)
                night = night.adding(days: 1 + r.int(3))
            }
            guard let lastNight = last?.night else { continue }
            for back in [-1, 0, 2, 9] {
                let day = lastNight.adding(days: -back)
                let want = try Self.readings(sqlite, day)
                let got = try Self.readings(pg, day)
                let context = "seed \(seed) step \(step) \(day.iso)"
                #expect(got.whole == want.whole, "\(context):\n\(got.whole)\nwant:\n\(want.whole)")
                #expect(got.scoped == want.scoped, "\(context):\n\(got.scoped)\nwant:\n\(want.scoped)")
                #expect(
                    got.rest == want.rest,
                    "\(context): only PG \(Set(got.rest).subtracting(want.rest).sorted().prefix(4)), only SQLite \(Set(want.rest).subtracting(got.rest).sorted().prefix(4))"
                )
            }
        }
        let everything = (Day(iso: "2000-01-01")!, Day(iso: "2100-01-01")!)
        #expect(
            try pg.actions(from: everything.0, to: everything.1).count
                == sqlite.actions(from: everything.0, to: everything.1).count)
        #expect(try !sqlite.actions(from: everything.0, to: everything.1).isEmpty)
    }

    /// The rows of a night are written while its files render, visible to nobody else until
    /// `beforeCommit` returns (the flush); a `beforeCommit` that throws leaves nothing.
    @Test(.enabled(if: PostgresServer.enabled, why))
    func theCommitWaitsForTheFlushAndAFailedFlushRecordsNothing() throws {
        let server = try PostgresServer.shared.get()
        let (pg, url) = try Self.postgres()
        let night = Day(iso: "2026-11-20")!
        let n = NightCommit(
            night: night, rulesHash: "r", inputsHash: "i", forced: false, exitCode: 0,
            actions: [
                SQLiteLedgerTests.action("t1", "overdue_d3", offset: 3, message: "M1"),
                SQLiteLedgerTests.action("t2", "protest_d45", offset: 45, instruction: .protest),
            ],
            instructions: [(TitleID("t2"), .protest, Day(iso: "2026-10-06")!)])
        struct DiskFull: Error {}
        #expect(throws: DiskFull.self) {
            _ = try pg.commit(n) {
                // Inside the open transaction the rows are there; from psql, nothing yet.
                #expect(try pg.q("SELECT count(*) FROM actions").first?.int(0) == 2)
                #expect(server.psql(url, "SELECT count(*) FROM actions").output == "0\n")
                throw DiskFull()
            }
        }
        #expect(server.psql(url, "SELECT count(*) FROM actions").output == "0\n")
        #expect(server.psql(url, "SELECT count(*) FROM runs").output == "0\n")
        #expect(try pg.night(night) == nil)
        let file = RemittanceFileRecord(bankCode: "001", agreement: "1234567", nsa: 1, fileName: "CB1.REM", records: 3)
        let run = try pg.commit(n) {
            #expect(server.psql(url, "SELECT count(*) FROM runs").output == "0\n")
            return [file]
        }
        #expect(server.psql(url, "SELECT night, status FROM runs").output == "2026-11-20|committed\n")
        #expect(server.psql(url, "SELECT nsa, file_name FROM remittance_files").output == "1|CB1.REM\n")
        try pg.markPublished(runID: run)
        #expect(try pg.night(night)?.status == .published)
        #expect(try pg.history(before: night.adding(days: 1)).protested == [TitleID("t2")])
        // The same NSA twice can never be recorded: the schema refuses it, and the night with it.
        #expect(throws: LedgerError.self) {
            _ = try pg.commit(
                NightCommit(
                    night: night.adding(days: 1), rulesHash: "r", inputsHash: "j", forced: false, exitCode: 0,
                    actions: [],
                    remittanceFiles: [file]))
        }
        #expect(try pg.night(night.adding(days: 1)) == nil)
    }

    /// An empty database gets every migration (recorded in `regua_migrations`), four processes
    /// opening it at once included; a database of another application is refused untouched.
    @Test(.enabled(if: PostgresServer.enabled, why))
    func migratesAnEmptyDatabaseOnceAndRefusesAForeignOne() throws {
        let server = try PostgresServer.shared.get()
        let url = try server.newDatabase()
        guard case .postgres(let u) = try LedgerLocation(state: url) else { return }
        // Read-only before any migration: an empty ledger, and the database stays empty.
        #expect(try LedgerLocation(state: url).openForReading().lastNight() == nil)
        #expect(
            server.psql(url, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").output
                == "0\n")
        let opened = Opened()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            opened.add(Result { _ = try PostgresLedger(url: u, mode: .write) })
        }
        #expect(opened.failures == 0)
        let names = server.psql(url, "SELECT name FROM regua_migrations ORDER BY name").output
        #expect(names == PostgresLedger.migrations.map(\.name).sorted().map { $0 + "\n" }.joined())
        #expect(
            server.psql(
                url,
                "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('shard_claims', 'nsa_reservations', 'shard_runs')"
            )
            .output == "3\n")
        let foreign = try server.newDatabase()
        #expect(server.psql(foreign, "CREATE TABLE invoices (id int); INSERT INTO invoices VALUES (7)").status == 0)
        guard case .postgres(let f) = try LedgerLocation(state: foreign) else { return }
        #expect(throws: LedgerError.self) { _ = try PostgresLedger(url: f, mode: .write) }
        #expect(
            server.psql(
                foreign,
                "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = 'public'"
            ).output == "invoices\n")
    }

    /// Results of concurrent openings.
    final class Opened: @unchecked Sendable {  // guarded by `lock`
        private let lock = NSLock()
        private var results: [Result<Void, any Error>] = []
        func add(_ r: Result<Void, any Error>) { lock.withLock { results.append(r) } }
        var failures: Int {
            lock.withLock {
                results.filter {
                    if case .failure(let e) = $0 { print("opening failed: \(e)"); return true }
                    return false
                }.count
            }
        }
    }

    /// The shard operations answer as SQLite's do, and two processes can never take one NSA.
    @Test(.enabled(if: PostgresServer.enabled, why))
    func shardOperationsAnswerAsSQLiteDoes() throws {
        let (pg, _) = try Self.postgres()
        let sqlite = try SQLiteLedger(inMemoryCopyOf: nil)
        let night = Day(iso: "2026-11-23")!
        for l in [sqlite, pg] as [any Ledger] {
            let s0 = Shard(index: 0, count: 3)!
            let s1 = Shard(index: 1, count: 3)!
            #expect(try !l.nightIsSharded(night))
            try l.claimShard(night: night, shard: s0, rulesHash: "book")
            try l.claimShard(night: night, shard: s0, rulesHash: "book")  // a rerun: the same claim
            #expect(try l.nightIsSharded(night))
            #expect(throws: ReguaError.self) {
                try l.claimShard(night: night, shard: Shard(index: 1, count: 2)!, rulesHash: "book")
            }
            #expect(throws: ReguaError.self) { try l.claimShard(night: night, shard: s1, rulesHash: "other") }
            try l.claimShard(night: night, shard: s1, rulesHash: "book")
            let a = try l.reserveNSA(night: night, shard: s0, bankCode: "001", agreement: "1", count: 2)
            let b = try l.reserveNSA(night: night, shard: s1, bankCode: "001", agreement: "1", count: 1)
            #expect(try l.reserveNSA(night: night, shard: s0, bankCode: "001", agreement: "1", count: 2) == a)
            #expect((a, b) == (1, 3))
            try l.recordRuns(as: s0)
            let run = try l.commit(
                NightCommit(
                    night: night, rulesHash: "book", inputsHash: "i", forced: false, exitCode: 0,
                    actions: [SQLiteLedgerTests.action("t1", "overdue_d3", offset: 3, message: "M1")],
                    remittanceFiles: [
                        RemittanceFileRecord(bankCode: "001", agreement: "1", nsa: a, fileName: "A.REM", records: 3)
                    ]))
            try l.markPublished(runID: run)
            #expect(try l.night(night, shard: s0)?.runID == run)
            #expect(try l.night(night, shard: s1) == nil)
            #expect(try l.lastNight(shard: s0, before: nil)?.night == night)
            #expect(try l.lastNight(shard: s1, before: nil) == nil)  // another shard's run does not count
            #expect(try l.lastNight(shard: Shard(index: 0, count: 2)!, before: nil)?.night == night)
            #expect(
                try l.reserveNSA(
                    night: night, shard: Shard(index: 2, count: 3)!, bankCode: "001", agreement: "1", count: 1) == 4)
            let statuses = try l.nightStatuses(upTo: nil)
            #expect(statuses.count == 1)
            #expect(statuses.first?.unsharded == nil)
            #expect(
                statuses.first?.shards.map { "\($0.shard):\($0.status?.rawValue ?? "started")" } == [
                    "0/3:published", "1/3:started",
                ])
            #expect(try l.nightStatuses(upTo: night.adding(days: -1)).isEmpty)
        }
        // PostgreSQL's next unsharded NSA also skips the blocks reserved by shards not yet
        // committed (3 and 4 here): a killed shard rerun later writes its own block.
        #expect(try pg.nextNSA(bankCode: "001", agreement: "1") == 5)
    }
}
