import Foundation
import Testing
@testable import Regua

/// The PostgreSQL ledger against a real server (``PostgresServer``): the same nights publish the
/// same bytes and record the same actions as on SQLite, a run killed at any point and rerun
/// publishes the same bytes, the advisory lock refuses a second run, and `psql` reads the tables.
@Suite(.serialized) struct PostgresLedgerTests {
    static var ready: Bool { PostgresServer.enabled && CrashTests.haveBinary }
    static var why: Comment {
        CrashTests.haveBinary ? PostgresServer.skipReason : "build the regua binary first (make test does)"
    }

    /// `regua run` of a night of the workspace on `state`.
    static func run(
        _ w: Workspace, _ night: String, state: String, out: String, _ extra: [String] = [],
        env: [String: String] = [:]
    ) throws -> CrashTests.Outcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CrashTests.binary)
        let o = w.options()
        p.arguments =
            [
                "run", "--as-of", night, "--rules", o.rulesDir, "--customers", o.customers, "--receivables",
                o.receivables,
                "--out", w.root + "/" + out, "--state", state,
            ] + extra
        p.environment = ProcessInfo.processInfo.environment.merging(env) { _, b in b }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return .init(
            status: p.terminationStatus, killed: p.terminationReason == .uncaughtSignal,
            stderr: String(decoding: data, as: UTF8.self))
    }

    /// The actions of a ledger as comparable lines (run ids and wall clocks aside).
    static func actionKeys(_ ledger: any Ledger) throws -> [String] {
        try ledger.actions(from: Day(iso: "2000-01-01")!, to: Day(iso: "2100-01-01")!).map { a in
            [
                a.night.iso, a.action.titleID.raw, a.action.customerID.raw, a.action.stepID, "\(a.action.offset)",
                a.action.kind.rawValue, a.action.channel?.rawValue ?? "", a.action.instruction?.rawValue ?? "",
                a.action.reason?.rawValue ?? "", a.action.messageID ?? "", a.action.profile, a.action.arms ?? "",
                a.action.bureau?.rawValue ?? "", a.action.handoff ?? "",
            ].joined(separator: "|")
        }
    }

    static let nights = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-30"]

    @Test(.enabled(if: ready, why)) func sameNightsPublishTheSameBytesAndRecordTheSameActions() throws {
        let server = try PostgresServer.shared.get()
        let url = try server.newDatabase()
        let w = try Workspace()
        let sqlite = w.root + "/var/regua.sqlite"
        for night in Self.nights {
            let a = try Self.run(w, night, state: sqlite, out: "out-sqlite", ["--accept-gap"])
            let b = try Self.run(w, night, state: url, out: "out-pg", ["--accept-gap"])
            #expect(a.status == b.status, "\(night): \(a.stderr) / \(b.stderr)")
            #expect(a.status <= 1, "\(night): \(a.stderr)")
            let left = Workspace.tree(w.root + "/out-sqlite/" + night)
            #expect(!left.isEmpty)
            #expect(left == Workspace.tree(w.root + "/out-pg/" + night), "night \(night) differs")
        }
        // A changed receivable and --force: the replaced night is rebuilt the same on both.
        try w.setReceivable(title: try Self.someTitle(w), column: "amount", value: "1234.56")
        let night = Self.nights.last!
        let a = try Self.run(w, night, state: sqlite, out: "out-sqlite", ["--force"])
        let b = try Self.run(w, night, state: url, out: "out-pg", ["--force"])
        #expect(a.status == b.status && a.status <= 1, "\(a.stderr) / \(b.stderr)")
        #expect(Workspace.tree(w.root + "/out-sqlite/" + night) == Workspace.tree(w.root + "/out-pg/" + night))
        let pg = try LedgerLocation(state: url).openForReading()
        let sq = try SQLiteLedger.forReading(path: sqlite)
        let keys = try Self.actionKeys(sq)
        #expect(!keys.isEmpty)
        #expect(try Self.actionKeys(pg) == keys)
        for n in Self.nights {
            let d = Day(iso: n)!
            #expect(try pg.night(d)?.status == sq.night(d)?.status)
            #expect(try pg.night(d)?.remittanceFiles.map(\.nsa) == sq.night(d)?.remittanceFiles.map(\.nsa))
            #expect(try pg.history(before: d.adding(days: 1)).sent == sq.history(before: d.adding(days: 1)).sent)
        }
        // A rerun of the published night with the same inputs records nothing and says so.
        let again = try Self.run(w, night, state: url, out: "out-pg")
        #expect(again.status == a.status)
        #expect(try Self.actionKeys(try LedgerLocation(state: url).openForReading()) == keys)
    }

    static func someTitle(_ w: Workspace) throws -> String {
        let text = try String(contentsOfFile: w.root + "/fixtures/receivables.csv", encoding: .utf8)
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        let ti = header.firstIndex(of: "title_id")!
        return String(lines[1].split(separator: ",", omittingEmptySubsequences: false)[ti])
    }

    @Test(
        .enabled(if: ready, why),
        arguments: ["after-lock", "before-staging", "mid-staging", "after-staging", "after-commit", "after-publish"])
    func killedRunIsCompletedByTheNextOne(point: String) throws {
        let server = try PostgresServer.shared.get()
        let w = try Workspace()
        let clean = try Self.run(w, "2026-11-23", state: w.root + "/var/regua.sqlite", out: "out-clean")
        #expect(clean.status == 1)
        let expected = Workspace.tree(w.root + "/out-clean/2026-11-23")
        let expectedActions = try Self.actionKeys(try SQLiteLedger.forReading(path: w.root + "/var/regua.sqlite"))
        let url = try server.newDatabase()
        let crashed = try Self.run(w, "2026-11-23", state: url, out: "out", env: ["REGUA_CRASH_AT": point])
        #expect(crashed.killed, "the run should have been killed at \(point): \(crashed.stderr)")
        if ["after-lock", "before-staging", "mid-staging", "after-staging"].contains(point) {
            // Nothing recorded: no action, or (killed before the first migration committed) no schema yet.
            let count = server.psql(url, "SELECT count(*) FROM actions").output
            #expect(count.hasPrefix("0") || count.contains("relation \"actions\" does not exist"), "\(count)")
        }
        let rerun = try Self.run(w, "2026-11-23", state: url, out: "out")
        #expect(rerun.status == 1, "rerun after a crash at \(point): \(rerun.stderr)")
        #expect(Workspace.tree(w.root + "/out/2026-11-23") == expected)
        #expect(try Self.actionKeys(try LedgerLocation(state: url).openForReading()) == expectedActions)
        #expect(!FileManager.default.fileExists(atPath: w.root + "/out/.staging-2026-11-23"))
    }

    @Test(.enabled(if: ready, why)) func killedAtRandomMomentsAndRerunPublishesTheSameBytes() throws {
        let server = try PostgresServer.shared.get()
        let w = try Workspace()
        _ = try Self.run(w, "2026-11-23", state: w.root + "/var/regua.sqlite", out: "out-clean")
        let expected = Workspace.tree(w.root + "/out-clean/2026-11-23")
        let url = try server.newDatabase()
        for _ in 0..<4 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CrashTests.binary)
            let o = w.options()
            p.arguments = [
                "run", "--as-of", "2026-11-23", "--rules", o.rulesDir, "--customers", o.customers,
                "--receivables", o.receivables, "--out", w.root + "/out", "--state", url,
            ]
            p.standardError = FileHandle.nullDevice
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 20_000...900_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if FileManager.default.fileExists(atPath: w.root + "/out/2026-11-23") {
                #expect(Workspace.tree(w.root + "/out/2026-11-23") == expected)  // never half a night
            }
        }
        let rerun = try Self.run(w, "2026-11-23", state: url, out: "out")
        #expect(rerun.status == 1, "\(rerun.stderr)")
        #expect(Workspace.tree(w.root + "/out/2026-11-23") == expected)
        #expect(server.psql(url, "SELECT count(*) FROM runs WHERE status <> 'replaced'").output == "1\n")
        #expect(server.psql(url, "SELECT status FROM runs WHERE status <> 'replaced'").output == "published\n")
    }

    @Test(.enabled(if: ready, why)) func theAdvisoryLockRefusesASecondRunOfTheNight() throws {
        let server = try PostgresServer.shared.get()
        let w = try Workspace()
        let url = try server.newDatabase()
        guard case .postgres(let u) = try LedgerLocation(state: url) else { Issue.record("not a URL"); return }
        let lock = try PostgresRunLock(url: u, key: LedgerLockKey(night: Day(iso: "2026-11-23")!))
        let r = try Self.run(w, "2026-11-23", state: url, out: "out")
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains("another regua run (pid \(getpid()))"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: w.root + "/out/2026-11-23"))
        // The lock is the night's: another night is not held by it.
        let other = try Self.run(w, "2026-11-24", state: url, out: "out")
        #expect(other.status == 1, "\(other.stderr)")
        withExtendedLifetime(lock) {}
    }

    @Test(.enabled(if: ready, why)) func psqlReadsTheTablesAndTheConstraintsHold() throws {
        let server = try PostgresServer.shared.get()
        let w = try Workspace()
        let url = try server.newDatabase()
        #expect(try Self.run(w, "2026-11-23", state: url, out: "out").status == 1)
        let names = server.psql(url, "SELECT name FROM regua_migrations ORDER BY applied_at, name").output
        #expect(Set(names.split(separator: "\n").map(String.init)) == Set(PostgresLedger.migrations.map(\.name)))
        let ledger = try LedgerLocation(state: url).openForReading()
        let count = try ledger.actions(from: Day(iso: "2000-01-01")!, to: Day(iso: "2100-01-01")!).count
        #expect(count > 0)
        #expect(server.psql(url, "SELECT count(*) FROM actions").output == "\(count)\n")
        #expect(server.psql(url, "SELECT night, status FROM runs").output == "2026-11-23|published\n")
        #expect(
            server.psql(
                url,
                "SELECT data_type FROM information_schema.columns WHERE table_name = 'runs' AND column_name = 'night'"
            )
            .output == "date\n")
        let sent = server.psql(url, "SELECT count(*) FROM actions WHERE kind = 'sent' AND step_id NOT LIKE 'bank:%'")
            .output
        #expect(server.psql(url, "SELECT count(*) FROM title_steps WHERE kind = 'sent'").output == sent)
        // Exactly once: a second counting run of the night, or a step twice, is refused by the schema.
        let dupRun = server.psql(
            url,
            "INSERT INTO runs (night, rules_hash, inputs_hash, status, recorded_at) VALUES ('2026-11-23', 'x', 'y', 'committed', now())"
        )
        #expect(dupRun.status != 0 && dupRun.output.contains("runs_one_night_per_shard"), "\(dupRun.output)")
        let dupStep = server.psql(url, "INSERT INTO title_steps SELECT * FROM title_steps LIMIT 1")
        #expect(dupStep.status != 0 && dupStep.output.contains("duplicate key"), "\(dupStep.output)")
        // A read-only command cannot write: the session refuses it.
        guard let pg = ledger as? PostgresLedger else { Issue.record("not a PostgresLedger"); return }
        #expect(throws: LedgerError.self) { try pg.markPublished(runID: 1) }
    }

    /// Over TCP the server asks the password (SCRAM): from `.pgpass` (only when private), from
    /// the variable the URL names, or `PGPASSWORD`; a wrong or missing one is exit 3 and is
    /// never printed.
    @Test(.enabled(if: ready, why)) func thePasswordComesFromPgpassOrTheNamedVariableAndIsNeverShown() throws {
        let server = try PostgresServer.shared.get()
        let w = try Workspace()
        let tcp = server.tcpURL(PostgresServer.database(of: try server.newDatabase()))
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "PGPASSWORD")
        env["PGPASSFILE"] = w.root + "/no-such-pgpass"
        let pass = w.root + "/pgpass"
        try "# test\n127.0.0.1:\(server.port):*:regua:\(PostgresServer.password)\n".write(
            toFile: pass, atomically: true, encoding: .utf8)
        chmod(pass, 0o644)  // readable by others: libpq ignores it, and so does regua
        let loose = try Self.run(
            w, "2026-11-23", state: tcp, out: "out", env: env.merging(["PGPASSFILE": pass]) { _, b in b })
        #expect(loose.status == 3, "\(loose.stderr)")
        chmod(pass, 0o600)
        let fromFile = try Self.run(
            w, "2026-11-23", state: tcp, out: "out", env: env.merging(["PGPASSFILE": pass]) { _, b in b })
        #expect(fromFile.status == 1, "\(fromFile.stderr)")
        let named = try Self.run(
            w, "2026-11-24", state: tcp + "&password_env=REGUA_LEDGER_PASSWORD", out: "out",
            env: env.merging(["REGUA_LEDGER_PASSWORD": PostgresServer.password]) { _, b in b })
        #expect(named.status == 1, "\(named.stderr)")
        #expect(server.psql(tcp, "SELECT count(*) FROM runs WHERE status = 'published'").output == "2\n")
        let secret = "not-it-\(UUID())"
        let wrong = try Self.run(
            w, "2026-11-25", state: tcp, out: "out", env: env.merging(["PGPASSWORD": secret]) { _, b in b })
        #expect(wrong.status == 3, "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("not-it-"))
        #expect(!wrong.stderr.contains(PostgresServer.password))
        #expect(wrong.stderr.contains("postgres://regua@127.0.0.1:\(server.port)/"), "\(wrong.stderr)")
        let none = try Self.run(w, "2026-11-25", state: tcp, out: "out", env: env)
        #expect(none.status == 3, "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: w.root + "/out/2026-11-25"))
        // A password in the URL itself is refused before anything is tried (exit 2).
        let inURL = try Self.run(
            w, "2026-11-25", state: tcp.replacingOccurrences(of: "regua@", with: "regua:\(secret)@"), out: "out",
            env: env)
        #expect(inURL.status == 2, "\(inURL.stderr)")
        #expect(!inURL.stderr.contains(secret))
    }
}
