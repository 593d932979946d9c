import Foundation
import Testing
@testable import Regua

/// Return files in a real night: settlements stop the ladder, a file read twice changes nothing,
/// a foreign file refuses the night.
@Suite struct ReturnFileNightTests {
    typealias B = ReturnFileBuilder

    /// NF-10277 (C002, due 2026-11-18, nosso número 52) would get overdue_d3 on 2026-11-23.
    static let settlement = B.Event(
        movement: "06", nossoNumero: "12345670000000052", titleID: "NF-10277",
        amount: 1_875_000, paid: 1_875_000, occurrence: Day(iso: "2026-11-20"))

    func write(_ w: Workspace, _ name: String, agreement: String = "1234567", events: [B.Event]) throws -> String {
        let path = w.root + "/" + name
        let bytes = B.bytes(
            try B.records(bank: "001", agreement: agreement, agency: "1234", account: "56789", events: events))
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func settlementStopsTheLadderAndIsReadOnce() throws {
        let w = try Workspace()
        let baseline = try NightRunner(options: w.options(dryRun: true)).run()
        #expect(baseline.summary?.messages.total ?? 0 > 0)
        let dryActions = NightDecider(
            book: try RuleBookLoader.load(directory: w.root + "/rules"), asOf: Day(iso: "2026-11-23")!)
        _ = dryActions

        let file = try write(w, "ret1.RET", events: [Self.settlement])
        let r = try NightRunner(options: w.options(retorno: [file])).run()
        #expect(r.summary?.returns.settlements == 1)
        #expect(r.summary?.returns.settledAmount == "18750.00")
        let sent = try w.allActions().filter { $0.action.titleID.raw == "NF-10277" && $0.action.kind == .sent }
        #expect(sent.isEmpty, "a settled title is never dunned")

        // The same file next night: already read, changes nothing, the title stays settled.
        let next = try NightRunner(options: w.options("2026-11-24", retorno: [file])).run()
        #expect(next.notes.contains { $0.contains("already read") })
        #expect(next.summary?.returns.settlements == 0)
        // And a night without the file still knows the title is paid (the ledger keeps settlements).
        _ = try w.run("2026-11-26")
        #expect(try w.allActions().filter { $0.action.titleID.raw == "NF-10277" && $0.action.kind == .sent }.isEmpty)
    }

    @Test func foreignAgreementRefusesTheNight() throws {
        let w = try Workspace()
        let file = try write(w, "other.RET", agreement: "7654321", events: [Self.settlement])
        do {
            _ = try NightRunner(options: w.options(retorno: [file])).run()
            Issue.record("expected a refusal")
        } catch let e as ReguaError {
            #expect(e.code == .refused)
            #expect(e.message.contains("other.RET"))
        }
        #expect(!FileManager.default.fileExists(atPath: w.root + "/out"))
        #expect(try w.ledger().lastNight() == nil)
    }

    @Test func truncatedFileRefusesTheNight() throws {
        let w = try Workspace()
        let full = try write(w, "t.RET", events: [Self.settlement])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: full))
        try bytes.prefix(bytes.count - 242).write(to: URL(fileURLWithPath: full))
        #expect(throws: ReguaError.self) { try NightRunner(options: w.options(retorno: [full])).run() }
        #expect(try w.ledger().lastNight() == nil)
    }
}

extension ReturnFileNightTests {
    /// The bank settles a title whose row is missing from tonight's receivables: when the row
    /// comes back (still `open` in the ERP), the title is not dunned.
    @Test func settlementOfATitleAbsentTonightIsKept() throws {
        let w = try Workspace()
        let path = w.root + "/fixtures/receivables.csv"
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let without = original.components(separatedBy: "\r\n").filter { !$0.contains(",NF-10277,") }.joined(
            separator: "\r\n")
        try without.write(toFile: path, atomically: true, encoding: .utf8)
        let file = try write(w, "ret.RET", events: [Self.settlement])
        let r = try NightRunner(options: w.options(retorno: [file])).run()
        #expect(r.summary?.returns.settlements == 1)
        try original.write(toFile: path, atomically: true, encoding: .utf8)
        _ = try w.run("2026-11-24")
        #expect(try w.allActions().filter { $0.action.titleID.raw == "NF-10277" && $0.action.kind == .sent }.isEmpty)
    }
}

/// `--retorno` on a sharded night (SPEC §5): every shard reads the file whole and keeps its own
/// customers' events; a settlement of a title in no receivables row goes to shard 0; each title's
/// settlement is recorded once, and the shards together send what one unsharded night sends.
@Suite struct ShardedReturnFileTests {
    typealias B = ReturnFileBuilder

    /// C002's NF-10277 (shard 1 of 2), C029's NF-10290 and C001's NF-10303 (shard 0), and a title
    /// the receivables do not have.
    static let events = [
        ReturnFileNightTests.settlement,
        B.Event(
            movement: "06", nossoNumero: "12345670000000054", titleID: "NF-10290", amount: 98_765, paid: 98_765,
            occurrence: Day(iso: "2026-11-20")),
        B.Event(
            movement: "06", nossoNumero: "12345670000000056", titleID: "NF-10303", amount: 780_000, paid: 780_000,
            occurrence: Day(iso: "2026-11-19")),
        B.Event(
            movement: "06", nossoNumero: "12345670000000099", titleID: "NF-GONE", amount: 10_000, paid: 10_000,
            occurrence: Day(iso: "2026-11-19")),
    ]

    func runShards(_ w: Workspace, _ night: String, _ file: String) throws -> [NightResult] {
        try (0..<2).map { k in
            var o = w.options(night, retorno: [file])
            o.shard = Shard(index: k, count: 2)
            return try NightRunner(options: o).run()
        }
    }

    /// The ledger's settlement rows per title, read with Python's sqlite3.
    func settlementRows(_ w: Workspace) throws -> [String: Int] {
        let python = try #require(ExternalTool.python3)
        let r = try ExternalTool.run(
            python,
            [
                "-c",
                "import sqlite3,sys\nfor t,n in sqlite3.connect(sys.argv[1]).execute('SELECT title_id, count(*) FROM settlements GROUP BY title_id'): print(t, n)",
                w.root + "/var/regua.sqlite",
            ])
        #expect(r.status == 0, "\(r.stderr)")
        var out: [String: Int] = [:]
        for line in r.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ")
            out[String(parts[0])] = Int(parts[1])
        }
        return out
    }

    func sentPairs(_ w: Workspace) throws -> Set<String> {
        Set(
            try w.allActions().filter { $0.action.kind == .sent }.map { "\($0.action.titleID.raw)/\($0.action.stepID)" }
        )
    }

    @Test func eachShardSettlesItsOwnTitlesOnceAndTheUnionIsTheNight() throws {
        let w = try Workspace()
        let file = try ReturnFileNightTests().write(w, "ret.RET", events: Self.events)
        let shards = try runShards(w, "2026-11-23", file)
        #expect(shards.map { $0.summary?.returns.settlements } == [3, 1])
        #expect(shards.map { $0.summary?.returns.settledAmount } == ["8887.65", "18750.00"])
        #expect(try settlementRows(w) == ["NF-10277": 1, "NF-10290": 1, "NF-10303": 1, "NF-GONE": 1])

        let plain = try Workspace()
        let plainFile = try ReturnFileNightTests().write(plain, "ret.RET", events: Self.events)
        let one = try NightRunner(options: plain.options(retorno: [plainFile])).run()
        #expect(one.summary?.returns.settlements == 4)
        let sent = try sentPairs(w)
        #expect(sent == (try sentPairs(plain)))
        for t in ["NF-10277", "NF-10290", "NF-10303"] {
            #expect(!sent.contains { $0.hasPrefix(t + "/") }, "\(t) dunned")
        }

        // The next night with the same file: each shard has read it already.
        let next = try runShards(w, "2026-11-24", file)
        for r in next {
            #expect(r.summary?.returns.settlements == 0)
            #expect(r.notes.contains { $0.contains("already read") }, "\(r.notes)")
        }
        #expect(try settlementRows(w).values.allSatisfy { $0 == 1 })
    }
}
