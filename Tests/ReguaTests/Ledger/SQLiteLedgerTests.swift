import Foundation
import GRDB
import Testing
@testable import Regua

@Suite struct SQLiteLedgerTests {
    static func tempPath() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("regua-ledger-\(UUID().uuidString)")
        return dir.appendingPathComponent("regua.sqlite").path
    }

    static func action(
        _ title: String, _ step: String, offset: Int, kind: ActionKind = .sent, message: String? = nil,
        instruction: RemittanceInstruction? = nil
    ) -> Action {
        Action(
            titleID: TitleID(title), customerID: CustomerID("c1"), stepID: step, offset: offset, kind: kind,
            channel: instruction == nil ? .email : nil, instruction: instruction, messageID: message,
            profile: "standard")
    }

    @Test func commitsAndReopensWithHistory() throws {
        let path = Self.tempPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let night = Day(iso: "2026-11-20")!
        do {
            let l = try SQLiteLedger(path: path)
            #expect(try l.lastNight() == nil)
            let run = try l.commit(
                NightCommit(
                    night: night, rulesHash: "r", inputsHash: "i", forced: false, exitCode: 1,
                    actions: [
                        Self.action("t1", "overdue_d3", offset: 3, message: "M1"),
                        Self.action("t1", "due_today", offset: 0, kind: .superseded),
                        Self.action("t2", "protest_d45", offset: 45, instruction: .protest),
                    ],
                    remittanceFiles: [
                        RemittanceFileRecord(
                            bankCode: "001", agreement: "1234567", nsa: 1, fileName: "a.REM", records: 4)
                    ],
                    instructions: [(TitleID("t2"), .protest, Day(iso: "2026-10-06")!)]))
            try l.markPublished(runID: run)
        }
        // A later process opens the same file: the history is there, the schema is not recreated.
        let l = try SQLiteLedger(path: path)
        let rec = try #require(try l.night(night))
        #expect(rec.status == .published)
        #expect(rec.exitCode == 1)
        #expect(rec.remittanceFiles.map(\.nsa) == [1])
        #expect(try l.nextNSA(bankCode: "001", agreement: "1234567") == 2)
        let h = try l.history(before: Day(iso: "2026-11-23")!)
        #expect(h.sent[TitleID("t1")]?.map(\.stepID) == ["overdue_d3"])
        #expect(h.superseded[TitleID("t1")] == ["due_today"])
        #expect(h.recentMessages[CustomerID("c1")] == [night])
        #expect(h.protested == [TitleID("t2")])
        // History is what came before: the night itself is not part of its own history.
        #expect(try l.history(before: night).sent.isEmpty)
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
    }

    @Test func refusesGarbageAndLeavesItUntouched() throws {
        let path = Self.tempPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let garbage = Data("this is not a database, it is somebody's notes\n".utf8)
        try garbage.write(to: URL(fileURLWithPath: path))
        #expect(throws: LedgerError.self) { try SQLiteLedger(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test func refusesForeignSQLiteDatabase() throws {
        let path = Self.tempPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table invoices(id)'); c.commit()",
            path,
        ]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: LedgerError.self) { try SQLiteLedger(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func forcedRunReplacesTheNightButKeepsAudit() throws {
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        let night = Day(iso: "2026-11-20")!
        let first = try l.commit(
            NightCommit(
                night: night, rulesHash: "r", inputsHash: "i", forced: false, exitCode: 0,
                actions: [Self.action("t1", "overdue_d3", offset: 3, message: "M1")]))
        try l.markPublished(runID: first)
        let second = try l.commit(
            NightCommit(
                night: night, rulesHash: "r", inputsHash: "j", forced: true, exitCode: 0,
                actions: [Self.action("t9", "overdue_d3", offset: 3, message: "M9")],
                replacesRunID: first))
        #expect(try l.night(night)?.runID == second)
        let h = try l.history(before: Day(iso: "2026-11-21")!)
        #expect(h.sent.keys.map(\.raw) == ["t9"])
        #expect(try l.actions(from: night, to: night).count == 2)
    }

    @Test func discardingAnUnpublishedNightLeavesNoTrace() throws {
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        let night = Day(iso: "2026-11-20")!
        let run = try l.commit(
            NightCommit(
                night: night, rulesHash: "r", inputsHash: "i", forced: false, exitCode: 0,
                actions: [Self.action("t1", "overdue_d3", offset: 3, message: "M1")]))
        try l.discardUnpublished(runID: run)
        #expect(try l.night(night) == nil)
        #expect(try l.actions(from: night, to: night).isEmpty)
    }

    /// A ledger written by an earlier version (schema v1 only) opens with today's schema and
    /// keeps its history.
    @Test func olderLedgerIsMigratedAndKeepsHistory() throws {
        let path = Self.tempPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteLedger.migrator.migrate(queue, upTo: "v1-nights-and-actions")
            try queue.write { db in
                try db.execute(sql: "PRAGMA application_id = \(SQLiteLedger.applicationID)")
                try db.execute(
                    sql: """
                        INSERT INTO runs (night, rules_hash, inputs_hash, status, forced, exit_code, recorded_at)
                        VALUES ('2026-11-20', 'r', 'i', 'published', 0, 0, 'then');
                        INSERT INTO actions (run_id, night, title_id, customer_id, step_id, step_offset, kind, channel,
                                             message_id, profile, rules_hash)
                        VALUES (1, '2026-11-20', 't1', 'c1', 'overdue_d3', 3, 'sent', 'email', 'M1', 'standard', 'r');
                        """)
            }
        }
        let l = try SQLiteLedger(path: path)
        #expect(try l.night(Day(iso: "2026-11-20")!)?.status == .published)
        #expect(try l.history(before: Day(iso: "2026-11-23")!).sent[TitleID("t1")]?.map(\.stepID) == ["overdue_d3"])
        let applied = try l.dbQueue.read { db in try SQLiteLedger.migrator.appliedMigrations(db) }
        // Every migration registered, in order, the old ones first.
        #expect(applied == SQLiteLedger.migrator.migrations)
        #expect(applied.prefix(3) == ["v1-nights-and-actions", "v2-customer-and-kind-indexes", "v3-run-guards"])
    }

    /// The scoped settlements read is the whole read restricted to the titles asked for.
    @Test func settlementsForSomeTitlesAreTheWholeReadRestricted() throws {
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        for (k, night) in ["2026-11-20", "2026-11-21", "2026-11-22"].enumerated() {
            var paid: [(titleID: TitleID, settlement: Settlement)] = []
            for t in stride(from: 0, to: 5, by: k + 1) {
                let cents: Int64 = Int64(100 * (k + 1) + t)
                paid.append((TitleID("t\(t)"), Settlement(paidAmount: Money(cents: cents), paidDate: Day(iso: night)!)))
            }
            _ = try l.commit(
                NightCommit(
                    night: Day(iso: night)!, rulesHash: "r", inputsHash: "i\(k)", forced: false, exitCode: 0,
                    actions: [], settlements: paid))
        }
        let asked = [TitleID("t0"), TitleID("t2"), TitleID("t3"), TitleID("nobody")]
        for day in ["2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22"] {
            let whole = try l.settlements(upTo: Day(iso: day)!)
            let some = try l.settlements(upTo: Day(iso: day)!, titles: asked)
            #expect(some == whole.filter { asked.contains($0.key) }, "up to \(day)")
        }
        #expect(
            try l.settlements(upTo: Day(iso: "2026-11-22")!, titles: asked)[TitleID("t0")]?.paidAmount
                == Money(cents: 300))
    }
}
