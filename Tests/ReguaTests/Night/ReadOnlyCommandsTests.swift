import Foundation
import GRDB
import Testing
@testable import Regua

/// SPEC §5: `check`, `explain`, `simulate`, `stats`, `diff-rules` and `run --dry-run` never
/// change a byte of the ledger file, nor leave a journal or WAL file beside it.
@Suite(.serialized) struct ReadOnlyCommandsTests {
    /// The ledger's bytes (hashed) and the names of every file in its folder.
    struct Snapshot: Equatable, CustomStringConvertible {
        var hash: String
        var files: [String]
        var description: String { "\(hash.prefix(12)) \(files)" }

        init(_ ledgerPath: String) throws {
            hash = Hashing.sha256Hex(try Data(contentsOf: URL(fileURLWithPath: ledgerPath)))
            files = try FileManager.default.contentsOfDirectory(
                atPath: (ledgerPath as NSString).deletingLastPathComponent
            ).sorted()
        }
    }

    /// Each read-only command through the library, on the shipped example's ledger.
    static func libraryCommands(_ w: Workspace) -> [(String, () throws -> Void)] {
        [
            ("check", { _ = try RuleCheck.run(rulesDir: w.root + "/rules") }),
            (
                "explain",
                { _ = try Simulation.explain(options: w.options(), customerID: "C001", asOf: Day(iso: "2026-11-24")) }
            ),
            (
                "simulate",
                {
                    _ = try Simulation.run(
                        options: w.options(), from: Day(iso: "2026-11-24")!, to: Day(iso: "2026-12-20")!,
                        includeHeld: true)
                }
            ),
            ("stats", { _ = try Stats.run(options: w.options(), from: nil, to: nil) }),
            (
                "diff-rules",
                {
                    _ = try RuleDiff.run(
                        oldRules: w.root + "/rules", newRules: w.root + "/rules", options: w.options(),
                        asOf: Day(iso: "2026-11-24"))
                }
            ),
            (
                "run --dry-run (next night)",
                { _ = try NightRunner(options: w.options("2026-11-24", dryRun: true)).run() }
            ),
            (
                "run --dry-run (same night)",
                { _ = try NightRunner(options: w.options("2026-11-23", dryRun: true)).run() }
            ),
        ]
    }

    @Test func libraryCommandsLeaveTheLedgerByteForByte() throws {
        let w = try Workspace()
        #expect(try w.run().exitCode == 1)
        let path = w.options().statePath
        let before = try Snapshot(path)
        #expect(before.files == ["regua.sqlite"] || before.files.allSatisfy { !$0.contains("-journal") })
        for (name, command) in Self.libraryCommands(w) {
            try command()
            #expect(try Snapshot(path) == before, "\(name) changed the ledger or its folder")
        }
        // And the ledger still works for a real night afterwards.
        #expect(try w.run("2026-11-24").outcome == .published)
        #expect(try Snapshot(path) != before)
    }

    @Test(.enabled(if: CrashTests.haveBinary, "build the regua binary first (make test does)"))
    func binaryCommandsLeaveTheLedgerByteForByte() throws {
        let w = try Workspace()
        let o = w.options()
        let data = [
            "--rules", o.rulesDir, "--customers", o.customers, "--receivables", o.receivables, "--state", o.statePath,
        ]
        #expect(try Self.regua(["run", "--as-of", "2026-11-23", "--out", o.outDir] + data).status == 1)
        let before = try Snapshot(o.statePath)
        let commands: [[String]] = [
            ["check", "--rules", o.rulesDir],
            ["explain", "C001", "--as-of", "2026-11-24"] + data,
            ["explain", "C001", "--as-of", "2026-11-24", "--json"] + data,
            ["simulate", "--from", "2026-11-24", "--to", "2026-12-31", "--show-held"] + data,
            ["stats"] + data,
            ["stats", "--json"] + data,
            ["status", "--state", o.statePath],
            ["status", "--state", o.statePath, "--json"],
            [
                "diff-rules", o.rulesDir, o.rulesDir, "--as-of", "2026-11-24", "--customers", o.customers,
                "--receivables", o.receivables, "--state", o.statePath,
            ],
            ["run", "--as-of", "2026-11-24", "--dry-run", "--out", o.outDir] + data,
            ["run", "--as-of", "2026-11-23", "--dry-run", "--out", o.outDir] + data,
        ]
        for args in commands {
            let r = try Self.regua(args)
            #expect(r.status == 0 || r.status == 1, "\(args[0]) failed (\(r.status)): \(r.stderr)")
            #expect(try Snapshot(o.statePath) == before, "regua \(args.joined(separator: " ")) changed the ledger")
        }
    }

    /// A ledger of an older schema is read through a migrated in-memory copy: the commands work
    /// and the file keeps its old schema, byte for byte, until a real run migrates it.
    @Test func olderSchemaIsReadThroughAMigratedCopy() throws {
        let w = try Workspace()
        let path = w.options().statePath
        try FileManager.default.createDirectory(atPath: w.root + "/var", withIntermediateDirectories: true)
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
                        VALUES (1, '2026-11-20', 'NF-10001', 'C001', 'overdue_d3', 3, 'sent', 'email', 'M1', 'standard', 'r');
                        """)
            }
        }
        let before = try Snapshot(path)
        let ledger = try SQLiteLedger.forReading(path: path)
        #expect(ledger.path == path)
        #expect(try ledger.lastNight()?.night == Day(iso: "2026-11-20"))
        #expect(
            try ledger.history(before: Day(iso: "2026-11-23")!).sent[TitleID("NF-10001")]?.map(\.stepID) == [
                "overdue_d3"
            ])
        for (name, command) in Self.libraryCommands(w) where !name.contains("same night") {
            try command()
            #expect(try Snapshot(path) == before, "\(name) changed the older ledger")
        }
        let applied = try DatabaseQueue(path: path).read { db in try SQLiteLedger.migrator.appliedMigrations(db) }
        #expect(applied == ["v1-nights-and-actions"])
    }

    @Test func foreignDatabaseIsRefusedReadOnlyToo() throws {
        let w = try Workspace()
        let path = w.root + "/other.sqlite"
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE invoices(id)") }
        let before = try Snapshot(path)
        #expect(throws: LedgerError.self) { try SQLiteLedger.forReading(path: path) }
        #expect(try Snapshot(path) == before)
    }

    static func regua(_ args: [String]) throws -> CrashTests.Outcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CrashTests.binary)
        p.arguments = args
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CrashTests.Outcome(
            status: p.terminationStatus, killed: p.terminationReason == .uncaughtSignal,
            stderr: String(decoding: data, as: UTF8.self))
    }
}
