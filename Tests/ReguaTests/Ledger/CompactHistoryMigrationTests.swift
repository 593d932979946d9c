import Foundation
import GRDB
import Testing
@testable import Regua

/// A ledger written by release c172c40 (Tests/ledger-fixtures/) gains the compact tables by
/// migration and reads as the old full read did; read-only commands read it without a change.
@Suite struct CompactHistoryMigrationTests {
    static let fixture = Workspace.repoRoot + "/Tests/ledger-fixtures/release-c172c40.sqlite"
    static let days = [
        "2026-11-24", "2026-11-25", "2026-11-26", "2026-12-01", "2026-12-20", "2027-01-11", "2027-01-12", "2027-02-01",
    ]

    @Test func migratedReleaseLedgerReadsAsTheFullRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("regua-migrate-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/regua.sqlite"
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: path)

        // Before: the old read on the release's own file, and its audit trail.
        var config = Configuration()
        config.readonly = true
        let old = try DatabaseQueue(path: path, configuration: config)
        #expect(
            try old.read { db in try SQLiteLedger.migrator.appliedMigrations(db) } == [
                "v1-nights-and-actions", "v2-customer-and-kind-indexes",
            ])
        let want = try Self.days.map { d in
            try old.read { db in try ReferenceHistory.read(db, before: Day(iso: d)!) }
        }
        let audit = try old.read { db in
            try String.fetchAll(db, sql: "SELECT id || kind || title_id || step_id FROM actions ORDER BY id")
        }
        #expect(want.last.map { !$0.sent.isEmpty && !$0.protested.isEmpty } == true)
        try old.close()

        // A read-only command reads it through a migrated copy, and leaves it as it was.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let readOnly = try SQLiteLedger.forReading(path: path)
        for (d, h) in zip(Self.days, want) {
            #expect(
                ReferenceHistory.Observed(try readOnly.history(before: Day(iso: d)!), titles: nil, customers: nil)
                    == ReferenceHistory.Observed(h, titles: nil, customers: nil), "read-only, before \(d)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)

        // A real opening migrates the file; the reads are the old ones and the audit trail is whole.
        let ledger = try SQLiteLedger(path: path)
        #expect(
            try ledger.dbQueue.read { db in try SQLiteLedger.migrator.appliedMigrations(db) }
                == SQLiteLedger.migrator.migrations)
        for (d, h) in zip(Self.days, want) {
            let titles = h.sent.keys.sorted { $0.raw < $1.raw }.enumerated().filter { $0.offset % 2 == 0 }.map(
                \.element)
            let customers = [CustomerID("C001"), CustomerID("C003")]
            let got = try ledger.history(
                before: Day(iso: d)!, scope: HistoryScope(titles: titles))
            #expect(
                ReferenceHistory.Observed(got, titles: titles, customers: customers)
                    == ReferenceHistory.Observed(h, titles: titles, customers: customers), "before \(d)")
            #expect(
                ReferenceHistory.Observed(try ledger.history(before: Day(iso: d)!), titles: nil, customers: nil)
                    == ReferenceHistory.Observed(h, titles: nil, customers: nil), "every title, before \(d)")
        }
        #expect(
            try ledger.dbQueue.read { db in
                try String.fetchAll(db, sql: "SELECT id || kind || title_id || step_id FROM actions ORDER BY id")
            } == audit)
        // The replaced run's actions did not make it into the compact tables.
        let replacedOnly = try ledger.dbQueue.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM title_steps s JOIN actions a ON a.id = s.action_id WHERE a.kind LIKE 'replaced-%'
                    """)!
        }
        #expect(replacedOnly == 0)
    }
}
