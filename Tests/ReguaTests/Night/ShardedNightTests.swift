import Foundation
import Testing
@testable import Regua

/// Sharded nights (SPEC §5 "Past one machine") with real `regua run --shard K/N` processes
/// sharing one SQLite ledger: the union of the shards is the night one process decides.
@Suite(.serialized) struct ShardedNightTests {
    static let binary = Workspace.repoRoot + "/.build/debug/regua"
    static var haveBinary: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// A folder with inputs (the fixtures or a generated portfolio) and the rule book.
    final class Setup: Sendable {  // the files are the test's own
        let root: String
        let customers: String
        let receivables: String
        init(generated seed: UInt64?) throws {
            root =
                FileManager.default.temporaryDirectory.appendingPathComponent("regua-shards-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            if let seed {
                let r = try ExternalTool.run(
                    ShardedNightTests.binary,
                    ["generate", "--customers", "400", "--titles", "1200", "--seed", "\(seed)", "--out", root + "/in"])
                #expect(r.status == 0, "\(r.stderr)")
                customers = root + "/in/customers.csv"
                receivables = root + "/in/receivables.csv"
            } else {
                customers = Workspace.repoRoot + "/fixtures/customers.csv"
                receivables = Workspace.repoRoot + "/fixtures/receivables.csv"
            }
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }

        /// Starts `regua run` for a night folder `name` (out and ledger), optionally a shard.
        func start(
            _ name: String, shard: String?, state: String? = nil, rules: String? = nil, env: [String: String] = [:]
        ) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: ShardedNightTests.binary)
            p.arguments =
                [
                    "run", "--as-of", "2026-11-23", "--rules", rules ?? Workspace.repoRoot + "/rules", "--customers",
                    customers,
                    "--receivables", receivables, "--out", root + "/" + name + "/out", "--state",
                    state ?? root + "/" + name + "/regua.sqlite",
                ] + (shard.map { ["--shard", $0] } ?? [])
            p.environment = ProcessInfo.processInfo.environment.merging(env) { _, b in b }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }

        func run(
            _ name: String, shard: String?, state: String? = nil, rules: String? = nil, env: [String: String] = [:]
        ) throws -> Int32 {
            let p = try start(name, shard: shard, state: state, rules: rules, env: env)
            p.waitUntilExit()
            return p.terminationStatus
        }

        func ledger(_ name: String) throws -> SQLiteLedger {
            try SQLiteLedger(path: root + "/" + name + "/regua.sqlite")
        }
    }

    /// What a night decided, as a multiset: e-mails by name and bytes, every CSV row (header
    /// aside) by file, the remittance detail records (from the segment code on: record
    /// numbers and NSAs differ between files), and the ledger's actions.
    static func decided(folders: [String], ledger: any Ledger) throws -> [String] {
        var out: [String] = []
        for folder in folders {
            for (path, data) in Workspace.tree(folder) {
                if path.hasPrefix("email/") {
                    out.append(path + "|" + Hashing.sha256Hex(Array(data)))
                } else if path.hasSuffix(".csv") {
                    let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).dropFirst()
                    // A letter's first page is its place in its own shard's letters.pdf: not compared.
                    out += lines.map { line in
                        guard path == "letters.csv" else { return path + "|" + line }
                        var cells = line.split(separator: ",", omittingEmptySubsequences: false)
                        if cells.count > 4 { cells.remove(at: 4) }
                        return path + "|" + cells.joined(separator: ",")
                    }
                } else if path.hasPrefix("remessa/") {
                    let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
                    for r in text.split(separator: "\n") where Array(r.utf8)[7] == UInt8(ascii: "3") {
                        out.append("remessa|" + String(r.dropFirst(13)))
                    }
                }
            }
        }
        for a in try ledger.actions(from: Day(iso: "2000-01-01")!, to: Day(iso: "2100-01-01")!) {
            let x = a.action
            out.append(
                "action|\(a.night.iso)|\(x.titleID.raw)|\(x.customerID.raw)|\(x.stepID)|\(x.kind.rawValue)|\(x.channel?.rawValue ?? "")|\(x.reason?.rawValue ?? "")|\(x.messageID ?? "")|\(x.bureau?.rawValue ?? "")|\(x.handoff ?? "")"
            )
        }
        return out.sorted()
    }

    @Test(
        .enabled(if: haveBinary, "build the regua binary first (make test does)"),
        arguments: [nil, 11] as [UInt64?])
    func unionOfConcurrentShardsIsTheUnshardedNight(seed: UInt64?) throws {
        let s = try Setup(generated: seed)
        #expect(try s.run("one", shard: nil) <= 1)
        let expected = try Self.decided(folders: [s.root + "/one/out/2026-11-23"], ledger: s.ledger("one"))
        // (The shipped protest waits for the 30-day letter, so a first night may have no remittance.)
        #expect(expected.contains { $0.hasPrefix("email/") } && expected.contains { $0.hasPrefix("letters.csv|") })
        for n in [1, 2, 4, 7] {
            let name = "n\(n)"
            let processes = try (0..<n).map { try s.start(name, shard: "\($0)/\(n)") }
            for p in processes { p.waitUntilExit() }
            #expect(processes.allSatisfy { $0.terminationStatus <= 1 }, "N=\(n)")
            let folders = (0..<n).map { s.root + "/\(name)/out/2026-11-23/shard-\($0)-of-\(n)" }
            #expect(folders.allSatisfy { FileManager.default.fileExists(atPath: $0 + "/manifest.json") })
            let union = try Self.decided(folders: folders, ledger: s.ledger(name))
            #expect(
                union == expected,
                "N=\(n): only in the shards \(Set(union).subtracting(expected).sorted().prefix(3)), only unsharded \(Set(expected).subtracting(union).sorted().prefix(3))"
            )
            // Each shard's remittance files carry NSAs of their own.
            let nsas = folders.flatMap { f in
                ((try? FileManager.default.contentsOfDirectory(atPath: f + "/remessa")) ?? []).map {
                    String($0.suffix(10).prefix(6))
                }
            }
            #expect(Set(nsas).count == nsas.count, "N=\(n): \(nsas)")
            let statuses = try s.ledger(name).nightStatuses(upTo: nil)
            #expect(statuses.count == 1)
            #expect(statuses.first?.shards.map(\.shard.index) == Array(0..<n))
            #expect(statuses.first?.shards.allSatisfy { $0.status == .published } == true)
        }
    }

    @Test(.enabled(if: haveBinary, "build the regua binary first (make test does)"))
    func shardKilledAtARandomMomentAndRerunPublishesTheSameBytes() throws {
        let s = try Setup(generated: 23)
        var rng = SystemRandomNumberGenerator()
        for k in 0..<4 { #expect(try s.run("clean", shard: "\(k)/4") <= 1) }
        let clean = Workspace.tree(s.root + "/clean/out/2026-11-23")
        for attempt in 0..<3 {
            let name = "killed\(attempt)"
            let victim = Int.random(in: 0..<4, using: &rng)
            for k in 0..<4 {
                if k == victim {
                    let p = try s.start(name, shard: "\(k)/4")
                    usleep(UInt32.random(in: 0..<400_000, using: &rng))
                    kill(p.processIdentifier, SIGKILL)
                    p.waitUntilExit()
                }
                #expect(try s.run(name, shard: "\(k)/4") <= 1)
            }
            #expect(Workspace.tree(s.root + "/\(name)/out/2026-11-23") == clean, "shard \(victim) killed")
            #expect(
                try Self.decided(folders: [], ledger: s.ledger(name))
                    == Self.decided(folders: [], ledger: s.ledger("clean")))
        }
    }

    @Test(.enabled(if: haveBinary, "build the regua binary first (make test does)"))
    func aShardOfAnotherNOrRuleBookIsRefusedAndTheLockIsPerShard() throws {
        let s = try Setup(generated: nil)
        #expect(try s.run("n", shard: "0/3") <= 1)
        #expect(try s.run("n", shard: "1/2") == 2)  // another N
        #expect(try s.run("n", shard: nil) == 2)  // unsharded on a sharded night
        // Another rule book: a copy with one more comment line hashes differently.
        let rules = s.root + "/rules"
        try FileManager.default.copyItem(atPath: Workspace.repoRoot + "/rules", toPath: rules)
        let policy = try FileManager.default.contentsOfDirectory(atPath: rules).filter { $0.hasSuffix(".yaml") }
            .sorted()[0]
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: rules + "/" + policy))
        h.seekToEndOfFile()
        h.write(Data("\n# outra versão\n".utf8))
        try h.close()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = [
            "run", "--as-of", "2026-11-23", "--rules", rules, "--customers", s.customers, "--receivables",
            s.receivables, "--out", s.root + "/n/out", "--state", s.root + "/n/regua.sqlite", "--shard", "1/3",
        ]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 2)
        #expect(message.contains("rule book"), "\(message)")
        // Shard 2 runs while shard 1 is held by a lock of its own; a second run of shard 1 exits 4.
        do {
            let lock = try RunLock(ledgerPath: s.root + "/n/regua.sqlite.shard-1-of-3")
            #expect(try s.run("n", shard: "1/3") == 4)
            #expect(try s.run("n", shard: "2/3") <= 1)
            withExtendedLifetime(lock) {}
        }
        #expect(try s.run("n", shard: "1/3") <= 1)
        // regua status, as an operator's script reads it.
        let status = try ExternalTool.run(Self.binary, ["status", "--state", s.root + "/n/regua.sqlite", "--json"])
        #expect(status.status == 0, "\(status.stderr)")
        let doc = try #require(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let nights = try #require(doc["nights"] as? [[String: Any]])
        #expect(nights.count == 1)
        #expect(nights.first?["night"] as? String == "2026-11-23")
        #expect(nights.first?["shards"] as? Int == 3)
        #expect(nights.first?["shards_published"] as? Int == 3)
        let before = try ExternalTool.run(
            Self.binary, ["status", "--state", s.root + "/n/regua.sqlite", "--as-of", "2026-11-22", "--json"])
        let beforeDoc = try #require(JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [String: Any])
        #expect((beforeDoc["nights"] as? [Any])?.isEmpty == true)
        // A PostgreSQL ledger nobody answers for is an I/O error naming the server (exit 3), not a missing file.
        let pg = try ExternalTool.run(Self.binary, ["status", "--state", "postgres://regua@127.0.0.1:1/none"])
        #expect(pg.status == 3, "\(pg.stderr)")
        #expect(pg.stderr.contains("127.0.0.1") && !pg.stderr.contains("does not exist"), "\(pg.stderr)")
        // deliver, feedback and prune take a PostgreSQL ledger too: one nobody answers for is an
        // I/O error naming the server (exit 3), and nothing was done.
        let gateways = s.root + "/gateways.yaml"
        try "email:\n  sendmail: /bin/false\n  envelope: bounces@regua.test\n".write(
            toFile: gateways, atomically: true, encoding: .utf8)
        let dsn = s.root + "/empty.mbox"
        try "".write(toFile: dsn, atomically: true, encoding: .utf8)
        for args in [
            ["deliver", "--gateways", gateways], ["feedback", "--dsn", dsn], ["prune", "--keep-days", "90"],
        ] {
            let r = try ExternalTool.run(
                Self.binary, args + ["--state", "postgres://regua@127.0.0.1:1/none", "--out", s.root + "/none-out"])
            #expect(r.status == 3 && r.stderr.contains("127.0.0.1"), "\(args[0]): \(r.status) \(r.stderr)")
        }
    }
}
