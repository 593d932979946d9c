import Foundation
import GRDB
import Testing

@testable import Regua

/// The guards of SPEC §1 and §5: nights that must be refused before anything is written or
/// recorded, and what an operator's override leaves in the ledger and the summary.
@Suite struct NightGuardsTests {
    /// What the ledger records (its runs and actions) and the out/ folder's files, to show that
    /// a refused night changed nothing.
    static func snapshot(_ ws: Workspace) -> (ledger: [String], out: [String]) {
        var ledger: [String] = []
        if let db = try? DatabaseQueue(path: ws.root + "/var/regua.sqlite") {
            ledger =
                (try? db.read { db in
                    try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id").map(\.description)
                        + Row.fetchAll(db, sql: "SELECT * FROM actions ORDER BY id").map(\.description)
                }) ?? []
        }
        let out = (try? FileManager.default.subpathsOfDirectory(atPath: ws.root + "/out")) ?? []
        return (ledger, out.sorted())
    }

    static func refusal(_ body: () throws -> Void) -> ReguaError? {
        do {
            try body()
            return nil
        } catch let e as ReguaError {
            return e
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    /// Sets a `policy` key in the shipped rule book of a workspace.
    static func setPolicy(_ ws: Workspace, _ key: String, _ value: String) throws {
        let path = ws.root + "/rules/00-empresa.yaml"
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        if let i = lines.firstIndex(where: { $0.hasPrefix("  \(key):") }) {
            lines[i] = "  \(key): \(value)"
        } else {
            let p = lines.firstIndex(of: "policy:")!
            lines.insert("  \(key): \(value)", at: p + 1)
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    // MARK: gap

    @Test func aNightPastTheCatchUpWindowIsRefusedNamingTheLostNights() throws {
        let ws = try Workspace()
        _ = try ws.run("2026-11-23")
        let before = Self.snapshot(ws)
        // catch_up_days 3: 2026-11-27 is the last night that still catches 11-24 up.
        let e = try #require(Self.refusal { _ = try ws.run("2026-12-03") })
        #expect(e.code == .refused)
        #expect(e.message.contains("2026-11-24 to 2026-11-29"), "\(e.message)")
        #expect(e.message.contains("--accept-gap"))
        #expect(e.message.contains("regua run --as-of 2026-11-24"))
        let after = Self.snapshot(ws)
        #expect(!before.ledger.isEmpty)
        #expect(after.ledger == before.ledger)
        #expect(after.out == before.out)
        // A dry run refuses the same way: it shows what the run would do.
        let dry = try #require(
            Self.refusal { _ = try NightRunner(options: ws.options("2026-12-03", dryRun: true)).run() })
        #expect(dry.code == .refused)
    }

    @Test func theLastNightInsideTheWindowNeedsNoFlag() throws {
        let ws = try Workspace()
        _ = try ws.run("2026-11-23")
        let r = try ws.run("2026-11-27")  // 4 days = catch_up_days + 1: nothing lost
        #expect(r.outcome == .published)
        #expect(r.summary?.overrides == nil)
        // One night more and one night is lost.
        let e = try #require(Self.refusal { _ = try ws.run("2026-12-02") })
        #expect(e.message.contains("night 2026-11-28"), "\(e.message)")
    }

    @Test func acceptGapIsRecordedAndShownInTheSummary() throws {
        let ws = try Workspace()
        _ = try ws.run("2026-11-23")
        var options = ws.options("2026-12-03")
        options.acceptGap = true
        let r = try NightRunner(options: options).run()
        #expect(r.outcome == .published)
        let overrides = try #require(r.summary?.overrides)
        #expect(overrides.acceptedGap == "2026-11-24..2026-11-29")
        #expect(overrides.lostNights == 6)
        #expect(overrides.lastNightBefore == "2026-11-23")
        let json = try String(contentsOfFile: ws.root + "/out/2026-12-03/summary.json", encoding: .utf8)
        #expect(json.contains("\"accepted_gap\" : \"2026-11-24..2026-11-29\""), "\(json.prefix(400))")
        let db = try DatabaseQueue(path: ws.root + "/var/regua.sqlite")
        let gap = try db.read {
            try String.fetchOne($0, sql: "SELECT accepted_gap FROM runs WHERE night = '2026-12-03'")
        }
        #expect(gap == "2026-11-24..2026-11-29")
        // The night is final like any other: a rerun without the flag answers "already published".
        #expect(try ws.run("2026-12-03").outcome == .alreadyPublished)
        // A folder deleted is written again byte for byte, the gap still shown, without the flag.
        let first = Workspace.tree(ws.root + "/out/2026-12-03")
        try FileManager.default.removeItem(atPath: ws.root + "/out/2026-12-03")
        #expect(try ws.run("2026-12-03").outcome == .republished)
        #expect(Workspace.tree(ws.root + "/out/2026-12-03") == first)
    }

    @Test func theFirstNightOfALedgerHasNoGap() throws {
        let ws = try Workspace()
        #expect(try ws.run("2026-11-23").summary?.overrides == nil)
    }

    // MARK: an export gone wrong

    @Test func aFileWithTooManyRejectsRefusesTheNightAndSaysWhichFile() throws {
        let ws = try Workspace()
        // A fifth of the receivables' rows broken, as a Latin-1 export or shifted columns leave them.
        let path = ws.root + "/fixtures/receivables.csv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            .components(separatedBy: "\n")
        var broken = 0
        for i in 1..<lines.count where !lines[i].isEmpty && i % 5 == 0 {
            var cells = lines[i].components(separatedBy: ",")
            cells[3] = "12,50x"  // the amount column shifted into text
            lines[i] = cells.joined(separator: ",")
            broken += 1
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let e = try #require(Self.refusal { _ = try ws.run("2026-11-23") })
        #expect(e.code == .refused)
        #expect(e.message.contains("receivables.csv"))
        #expect(e.message.contains("max_rejected_percent (5.0%)"), "\(e.message)")
        #expect(!e.message.contains("customers.csv:"), "customers.csv is within the limit: \(e.message)")
        #expect(!FileManager.default.fileExists(atPath: ws.root + "/out"))
        #expect(!FileManager.default.fileExists(atPath: ws.root + "/var/regua.sqlite"))
        #expect(broken > 40)
    }

    @Test func theLimitIsTheRuleBooksAndCountsEachFileOnItsOwn() throws {
        let ws = try Workspace()
        // The shipped customers.csv has 2 rejects in 47 rows (4.3%): inside the default 5%,
        // outside a limit of 4%.
        #expect(try ws.run("2026-11-23", dryRun: true).exitCode == 1)
        try Self.setPolicy(ws, "max_rejected_percent", "4")
        let e = try #require(Self.refusal { _ = try ws.run("2026-11-23") })
        #expect(e.message.contains("customers.csv: 2 of 47 rows rejected (4.3%)"), "\(e.message)")
        #expect(!e.message.contains("receivables.csv:"), "\(e.message)")
    }

    @Test func aLimitOutsideZeroToAHundredIsARuleBookError() throws {
        let ws = try Workspace()
        try Self.setPolicy(ws, "max_rejected_percent", "150")
        let e = try #require(Self.refusal { _ = try ws.run("2026-11-23") })
        #expect(e.code == .refused)
        #expect(e.diagnostics.contains { $0.message.contains("max_rejected_percent") })
    }

    // MARK: volume

    @Test func aNightOverMaxMessagesIsRefusedUnlessForced() throws {
        let ws = try Workspace()
        try Self.setPolicy(ws, "max_messages", "10")  // the shipped night sends 28
        let e = try #require(Self.refusal { _ = try ws.run("2026-11-23") })
        #expect(e.code == .refused)
        #expect(e.message.contains("would send 28 messages, more than policy.max_messages (10)"), "\(e.message)")
        #expect(!FileManager.default.fileExists(atPath: ws.root + "/out/2026-11-23"))
        #expect(try ws.ledger().lastNight() == nil)  // nothing recorded
        let r = try ws.run("2026-11-23", force: true)
        #expect(r.outcome == .published)
        #expect(r.summary?.overrides?.forcedOverMaxMessages == 10)
        let db = try DatabaseQueue(path: ws.root + "/var/regua.sqlite")
        let forced = try db.read { try Bool.fetchOne($0, sql: "SELECT forced_volume FROM runs") }
        #expect(forced == true)
        #expect(try ws.run("2026-11-23").outcome == .alreadyPublished)
    }

    @Test func aShardChecksItsShareOfMaxMessagesSoTheUnionIsHeldToTheLimit() throws {
        #expect(NightRunner.messageLimit(30, shard: nil) == 30)
        #expect(NightRunner.messageLimit(30, shard: Shard(index: 0, count: 1)) == 30)
        #expect(NightRunner.messageLimit(30, shard: Shard(index: 1, count: 4)) == 8)
        #expect(NightRunner.messageLimit(28, shard: Shard(index: 0, count: 2)) == 14)
        // The shipped night sends 28 messages: under a limit of 16 one process is refused, and
        // so is the shard of 2 that would send more than 8 of them.
        let ws = try Workspace()
        try Self.setPolicy(ws, "max_messages", "16")
        #expect(Self.refusal { _ = try ws.run("2026-11-23") }?.code == .refused)
        try Self.setPolicy(ws, "max_messages", "1000")
        var counts: [Int] = []
        for k in 0..<2 {
            var o = ws.options("2026-11-23")
            o.shard = Shard(index: k, count: 2)
            o.dryRun = true
            counts.append(try NightRunner(options: o).run().summary?.messages.total ?? -1)
        }
        #expect(counts.reduce(0, +) == 28)
        try Self.setPolicy(ws, "max_messages", "\(2 * counts.min()!)")
        let big = counts[0] > counts[1] ? 0 : 1
        for k in 0..<2 {
            var o = ws.options("2026-11-23")
            o.shard = Shard(index: k, count: 2)
            o.dryRun = true
            let e = Self.refusal { _ = try NightRunner(options: o).run() }
            if k == big, counts[0] != counts[1] {
                #expect(e?.code == .refused)
                #expect(
                    e?.message.contains("this shard's share, max_messages / 2 = \(counts.min()!)") == true,
                    "\(e?.message ?? "")")
            } else {
                #expect(e == nil, "shard \(k) sends \(counts[k]), within its share")
            }
        }
    }

    // MARK: late payment with fees

    @Test func aLatePaymentWithItsFeesIsNoRejectAndCountsAsFeesReceived() throws {
        let ws = try Workspace()
        // NF-10001: 150.00, paid late with multa and juros.
        try ws.setReceivable(title: "NF-10001", column: "paid_amount", value: "153.75")
        let r = try ws.run("2026-11-23")
        #expect(!r.rejects.contains { $0.titleID == "NF-10001" })
        let s = try #require(r.summary)
        #expect(s.portfolio.feesReceivedTitles == 1)
        #expect(s.portfolio.feesReceived == "3.75")
        #expect(s.inputs.titles == 327)  // the same titles as without the fees
    }

    @Test func statsCountFeesReceivedByPaidDate() {
        func title(_ id: String, _ amount: Int64, paid: Int64, on day: String?) -> Title {
            Title(
                id: TitleID(id), customerID: CustomerID("C1"), dueDate: Day(iso: "2026-10-01")!,
                amount: Money(cents: amount), status: .paid, paidAmount: Money(cents: paid),
                paidDate: day.flatMap(Day.init(iso:)))
        }
        let titles = [
            title("T1", 41_000, paid: 41_902, on: "2026-11-05"),  // 9.02 of fees
            title("T2", 10_000, paid: 10_000, on: "2026-11-06"),  // paid exactly: no fees
            title("T3", 20_000, paid: 20_410, on: "2026-12-01"),  // after the period
            title("T4", 5_000, paid: 5_100, on: nil),  // no date: only in an open period
        ]
        let nov = Stats.feesReceived(titles, from: Day(iso: "2026-11-01"), to: Day(iso: "2026-11-30"))
        #expect(nov == Stats.FeesReceived(titles: 1, amount: "9.02"))
        #expect(Stats.feesReceived(titles, from: nil, to: nil) == Stats.FeesReceived(titles: 3, amount: "14.12"))
    }

    // MARK: the lock

    @Test func theLockedMessageSaysWhatCanBeDone() throws {
        let ws = try Workspace()
        try FileManager.default.createDirectory(atPath: ws.root + "/var", withIntermediateDirectories: true)
        let held = try RunLock(ledgerPath: ws.root + "/var/regua.sqlite")
        defer { withExtendedLifetime(held) {} }
        // flock is per open file: a second RunLock in this process conflicts like another process.
        let e = try #require(Self.refusal { _ = try ws.run("2026-11-23") })
        #expect(e.code == .locked)
        #expect(e.message.contains("pid \(getpid())"), "\(e.message)")
        #expect(e.message.contains("can no longer be run"))
        #expect(e.message.contains("already published"))
        #expect(!e.message.contains("wait for it to finish"))
    }
}
