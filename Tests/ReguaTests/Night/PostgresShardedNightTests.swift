import Foundation
import Testing
@testable import Regua
#if canImport(Glibc)
    import Glibc
#endif

/// Sharded nights on a real PostgreSQL server (``PostgresServer``): 4 `regua run --shard K/4`
/// processes at once on one database, some killed by SIGKILL at random moments and rerun; the
/// union of their folders and ledger actions is the night one unsharded process decides
/// (``ShardedNightTests/decided(folders:ledger:)``), their NSAs are distinct, `regua status`
/// lists them published, and `psql` reads the claims, runs and reservations back.
@Suite(.serialized) struct PostgresShardedNightTests {
    static var ready: Bool { PostgresServer.enabled && ShardedNightTests.haveBinary }
    static var why: Comment {
        ShardedNightTests.haveBinary ? PostgresServer.skipReason : "build the regua binary first (make test does)"
    }
    static let night = "2026-11-23"

    /// The NSAs of the remittance files in shard folders (`…<NSA 6 digits>.REM`).
    static func nsas(_ folders: [String]) -> [String] {
        folders.flatMap { f in
            ((try? FileManager.default.contentsOfDirectory(atPath: f + "/remessa")) ?? []).map {
                String($0.suffix(10).prefix(6))
            }
        }
    }

    @Test(.enabled(if: ready, why))
    func fourConcurrentShardsKilledAtRandomAndRerunAreTheUnshardedNight() throws {
        let server = try PostgresServer.shared.get()
        let s = try ShardedNightTests.Setup(generated: 11)
        // The shipped protest waits for the 30-day letter (`requires`), so a first night has no
        // remittance; without that wait this night has protests, and the NSAs are exercised.
        let rules = s.root + "/rules-no-wait"
        _ = try ExternalTool.run("/bin/cp", ["-R", Workspace.repoRoot + "/rules", rules])
        let book = rules + "/10-regua.yaml"
        let text = try String(contentsOfFile: book, encoding: .utf8)
        let line = "    requires: { step: letter_d30, days: 10 }\n"
        #expect(text.contains(line))
        try text.replacingOccurrences(of: line, with: "").write(toFile: book, atomically: true, encoding: .utf8)
        #expect(try s.run("one", shard: nil, rules: rules) <= 1)
        let expected = try ShardedNightTests.decided(
            folders: [s.root + "/one/out/" + Self.night], ledger: s.ledger("one"))
        #expect(expected.contains { $0.hasPrefix("email/") } && expected.contains { $0.hasPrefix("remessa|") })
        let url = try server.newDatabase()
        var rng = SystemRandomNumberGenerator()
        // Round 1: the 4 shards start at once on an empty database; one or two are killed at random.
        let victims = Set((0..<Int.random(in: 1...2, using: &rng)).map { _ in Int.random(in: 0..<4, using: &rng) })
        var processes = try (0..<4).map { try s.start("pg", shard: "\($0)/4", state: url, rules: rules) }
        for k in victims.sorted() {
            usleep(UInt32.random(in: 0..<900_000, using: &rng))
            kill(processes[k].processIdentifier, SIGKILL)
        }
        for p in processes { p.waitUntilExit() }
        for k in 0..<4 where !victims.contains(k) {
            #expect(
                processes[k].terminationStatus <= 1,
                "shard \(k)/4 (not killed) exited \(processes[k].terminationStatus)")
        }
        // Round 2: the victims rerun together, one of them killed again.
        let again = victims.sorted()
        processes = try again.map { try s.start("pg", shard: "\($0)/4", state: url, rules: rules) }
        usleep(UInt32.random(in: 0..<600_000, using: &rng))
        kill(processes[0].processIdentifier, SIGKILL)
        for p in processes { p.waitUntilExit() }
        // Round 3: every victim rerun to its end.
        for k in again {
            #expect(try s.run("pg", shard: "\(k)/4", state: url, rules: rules) <= 1, "rerun of shard \(k)/4")
        }

        let folders = (0..<4).map { s.root + "/pg/out/\(Self.night)/shard-\($0)-of-4" }
        #expect(folders.allSatisfy { FileManager.default.fileExists(atPath: $0 + "/manifest.json") })
        let pg = try LedgerLocation(state: url).openForReading()
        let union = try ShardedNightTests.decided(folders: folders, ledger: pg)
        #expect(
            union == expected,
            "killed \(victims.sorted()): only in the shards \(Set(union).subtracting(expected).sorted().prefix(3)), only unsharded \(Set(expected).subtracting(union).sorted().prefix(3))"
        )
        let nsas = Self.nsas(folders)
        #expect(!nsas.isEmpty)
        #expect(Set(nsas).count == nsas.count, "\(nsas)")

        // psql reads what the ledger holds: one counting run per shard, published; 4 claims; the
        // recorded NSAs are the files', each inside its shard's reservation.
        #expect(
            server.psql(url, "SELECT shard, shards, status FROM runs WHERE status <> 'replaced' ORDER BY shard").output
                == "0|4|published\n1|4|published\n2|4|published\n3|4|published\n")
        #expect(server.psql(url, "SELECT count(*) FROM shard_runs").output == "4\n")
        #expect(
            server.psql(url, "SELECT count(*) FROM shard_claims WHERE night = '2026-11-23' AND shards = 4").output
                == "4\n")
        let recorded = server.psql(url, "SELECT lpad(nsa::text, 6, '0') FROM remittance_files ORDER BY nsa").output
        #expect(recorded == nsas.sorted().map { $0 + "\n" }.joined())
        let outside = server.psql(
            url,
            """
            SELECT count(*) FROM remittance_files f JOIN runs r ON r.id = f.run_id
            WHERE NOT EXISTS (SELECT 1 FROM nsa_reservations n WHERE n.night = r.night AND n.shard = r.shard
                              AND n.shards = r.shards AND f.nsa BETWEEN n.first_nsa AND n.first_nsa + n.count - 1)
            """)
        #expect(outside.output == "0\n", "\(outside.output)")
        let overlapping = server.psql(
            url,
            """
            SELECT count(*) FROM nsa_reservations a JOIN nsa_reservations b
              ON a.bank_code = b.bank_code AND a.agreement = b.agreement AND a.first_nsa < b.first_nsa
             AND b.first_nsa <= a.first_nsa + a.count - 1
            """)
        #expect(overlapping.output == "0\n")

        // regua status, as an operator's script reads it.
        let status = try ExternalTool.run(ShardedNightTests.binary, ["status", "--state", url, "--json"])
        #expect(status.status == 0, "\(status.stderr)")
        let doc = try #require(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let nights = try #require(doc["nights"] as? [[String: Any]])
        #expect(nights.count == 1)
        #expect(nights.first?["night"] as? String == Self.night)
        #expect(nights.first?["shards"] as? Int == 4)
        #expect(nights.first?["shards_published"] as? Int == 4)
        let list = (nights.first?["shard_status"] as? [[String: Any]]) ?? []
        #expect(list.map { "\($0["shard"] ?? "")=\($0["status"] ?? "")" } == (0..<4).map { "\($0)=published" })

        // A published shard run again records nothing and answers as before.
        let before = server.psql(url, "SELECT count(*) FROM actions").output
        #expect(try s.run("pg", shard: "2/4", state: url, rules: rules) <= 1)
        #expect(server.psql(url, "SELECT count(*) FROM actions").output == before)
        #expect(server.psql(url, "SELECT count(*) FROM runs").output == "4\n")
    }

    /// A shard killed just before its commit records nothing; just after it, it is committed and
    /// not published; either way the rerun publishes the bytes the same shard publishes on SQLite.
    @Test(.enabled(if: ready, why), arguments: ["after-staging", "after-commit", "after-publish"])
    func aShardKilledAroundItsCommitIsFinishedByItsRerun(point: String) throws {
        let server = try PostgresServer.shared.get()
        let s = try ShardedNightTests.Setup(generated: nil)
        #expect(try s.run("sqlite", shard: "1/2") <= 1)
        let expected = Workspace.tree(s.root + "/sqlite/out/\(Self.night)/shard-1-of-2")
        #expect(!expected.isEmpty)
        let url = try server.newDatabase()
        let crashed = try s.start("pg", shard: "1/2", state: url, env: ["REGUA_CRASH_AT": point])
        crashed.waitUntilExit()
        #expect(crashed.terminationReason == .uncaughtSignal, "not killed at \(point)")
        let runs = server.psql(url, "SELECT shard, shards, status FROM runs").output
        #expect(
            runs == ["after-staging": "", "after-commit": "1|2|committed\n", "after-publish": "1|2|committed\n"][point])
        #expect(server.psql(url, "SELECT shard, shards FROM shard_claims").output == "1|2\n")
        #expect(try s.run("pg", shard: "1/2", state: url) <= 1)
        #expect(Workspace.tree(s.root + "/pg/out/\(Self.night)/shard-1-of-2") == expected)
        #expect(server.psql(url, "SELECT shard, shards, status FROM runs").output == "1|2|published\n")
        #expect(
            try ShardedNightTests.decided(folders: [], ledger: LedgerLocation(state: url).openForReading())
                == ShardedNightTests.decided(folders: [], ledger: s.ledger("sqlite")))
    }

    @Test(.enabled(if: ready, why))
    func anotherNOrRuleBookIsRefusedAndTheLockIsPerNightAndShard() throws {
        let server = try PostgresServer.shared.get()
        let s = try ShardedNightTests.Setup(generated: nil)
        let url = try server.newDatabase()
        #expect(try s.run("n", shard: "0/3", state: url) <= 1)
        #expect(try s.run("n", shard: "1/2", state: url) == 2)  // another N
        #expect(try s.run("n", shard: nil, state: url) == 2)  // unsharded on a sharded night
        // Another rule book: a copy with one more comment line hashes differently.
        let rules = s.root + "/rules"
        try FileManager.default.copyItem(atPath: Workspace.repoRoot + "/rules", toPath: rules)
        let policy = try FileManager.default.contentsOfDirectory(atPath: rules).filter { $0.hasSuffix(".yaml") }
            .sorted()[0]
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: rules + "/" + policy))
        h.seekToEndOfFile()
        h.write(Data("\n# outra versão\n".utf8))
        try h.close()
        #expect(try s.run("n", shard: "1/3", state: url, rules: rules) == 2)
        #expect(server.psql(url, "SELECT shard, shards FROM shard_claims ORDER BY shard").output == "0|3\n")
        // Shard 1's lock (night, K + 1) held elsewhere: a run of shard 1 exits 4, shard 2 runs.
        guard case .postgres(let u) = try LedgerLocation(state: url) else { return }
        do {
            let lock = try PostgresRunLock(url: u, key: LedgerLockKey(night: Day(iso: Self.night)!, shard: 2))
            #expect(try s.run("n", shard: "1/3", state: url) == 4)
            #expect(try s.run("n", shard: "2/3", state: url) <= 1)
            let held = server.psql(
                url,
                """
                SELECT classid::bigint - 1380384768, objid FROM pg_locks WHERE locktype = 'advisory' AND granted
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """)
            #expect(held.output == "2|20261123\n", "\(held.output)")
            withExtendedLifetime(lock) {}
        }
        #expect(try s.run("n", shard: "1/3", state: url) <= 1)
        let status = try ExternalTool.run(ShardedNightTests.binary, ["status", "--state", url])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(
            status.stdout.contains("2026-11-23  3/3 shards published  0:published 1:published 2:published"),
            "\(status.stdout)")
        // The next night, unsharded, follows a sharded one on the same ledger.
        let next = try ExternalTool.run(
            ShardedNightTests.binary,
            [
                "run", "--as-of", "2026-11-24", "--rules", Workspace.repoRoot + "/rules", "--customers", s.customers,
                "--receivables", s.receivables, "--out", s.root + "/n/out", "--state", url,
            ])
        #expect(next.status <= 1, "\(next.stderr)")
        #expect(
            server.psql(url, "SELECT night, shards, status FROM runs WHERE night = '2026-11-24'").output
                == "2026-11-24|0|published\n")
    }
}
