import Foundation
import Testing
@testable import Regua

#if canImport(Glibc)
    import Glibc
#endif

/// The SQLite ledger as a file on disk: where `--state` points, its locks, its permissions, the
/// NSAs it hands out and what a later process reads back. Expectations come from plain models
/// kept in the tests (what was committed), never from the ledger's own answers.
@Suite struct SQLiteLedgerFileTests {
    /// A fresh folder for one test, removed by `defer`.
    static func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("regua-lf-\(UUID().uuidString)").path
    }

    static func remove(_ dir: String) { try? FileManager.default.removeItem(atPath: dir) }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    static func sent(_ title: String, _ step: String, customer: String = "c1", message: String) -> Action {
        Action(
            titleID: TitleID(title), customerID: CustomerID(customer), stepID: step, offset: 3, kind: .sent,
            channel: .email, instruction: nil, messageID: message, profile: "standard")
    }

    static func commit(
        _ l: SQLiteLedger, _ night: String, files: [RemittanceFileRecord] = [], actions: [Action] = [],
        replaces: Int64? = nil
    ) throws -> Int64 {
        try l.commit(
            NightCommit(
                night: Day(iso: night)!, rulesHash: "r", inputsHash: "i-\(night)-\(replaces ?? 0)",
                forced: replaces != nil, exitCode: 0, actions: actions, remittanceFiles: files,
                replacesRunID: replaces))
    }

    static func file(_ bank: String, _ agreement: String, _ nsa: Int) -> RemittanceFileRecord {
        RemittanceFileRecord(
            bankCode: bank, agreement: agreement, nsa: nsa, fileName: "\(bank)-\(agreement)-\(nsa).REM", records: 2)
    }

    // MARK: - Where --state points

    @Test(arguments: ["var/regua.sqlite", "/srv/regua/ledger.db", "postgres", "./postgres:/x", "POSTGRES://u@h/d"])
    func aPathIsAFile(state: String) throws {
        #expect(try LedgerLocation(state: state) == .file(state))
        #expect(try LedgerLocation(state: state).description == state)
    }

    @Test func aPostgresURLIsParsedIntoItsParts() throws {
        guard
            case .postgres(let u) = try LedgerLocation(state: "postgres://regua@db.example:6543/ledger?sslmode=require")
        else {
            Issue.record("not read as a URL")
            return
        }
        #expect(u.user == "regua")
        #expect(u.host == "db.example")
        #expect(u.port == 6543)
        #expect(u.database == "ledger")
        #expect(u.sslMode == .require)
        #expect(u.socketFolder == nil)
        #expect(u.passwordVariable == "PGPASSWORD")
        #expect(u.description == "postgres://regua@db.example:6543/ledger?sslmode=require")

        guard
            case .postgres(let s) = try LedgerLocation(
                state: "postgresql://ops@/books?host=/run/pg&password_env=BOOKS_PW")
        else {
            Issue.record("postgresql:// not read as a URL")
            return
        }
        #expect(s.host == nil)
        #expect(s.socketFolder == "/run/pg")
        #expect(s.port == 5432)
        #expect(s.sslMode == .prefer)
        #expect(s.passwordVariable == "BOOKS_PW")
        #expect(s.password(environment: ["BOOKS_PW": "s3cret", "PGPASSWORD": "other"]) == "s3cret")
        #expect(!s.description.contains("s3cret"))
        // The database defaults to the user's name, as libpq does.
        guard case .postgres(let d) = try LedgerLocation(state: "postgres://alice@localhost") else { return }
        #expect(d.database == "alice")
    }

    @Test(arguments: [
        ("postgres://regua:hunter2@db/ledger", "password"),
        ("postgres://regua@db/ledger?sslmode=sometimes", "sslmode"),
        ("postgres://regua@db/ledger?color=blue", "color"),
        ("postgres://regua@db/ledger?port=70000", "70000"),
        ("postgres://regua@db/led/ger", "/"),
        ("postgres://regua@db/ledger?password_env=NOT-A-NAME", "password_env"),
    ])
    func aBadURLIsRefusedWithExit2(state: String, names: String) throws {
        do {
            _ = try LedgerLocation(state: state)
            Issue.record("\(state) was accepted")
        } catch let e as ReguaError {
            #expect(e.code == .refused, "\(state)")
            #expect(e.message.contains(names), "\(e.message)")
            // The refusal never repeats the secret it refuses.
            #expect(!e.message.contains("hunter2"))
        }
    }

    // MARK: - Locks

    @Test func aSecondHolderOfTheRunLockIsRefusedUntilTheFirstLetsGo() throws {
        let dir = Self.folder()
        defer { Self.remove(dir) }
        let location = LedgerLocation.file(dir + "/var/regua.sqlite")
        let night = LedgerLockKey(night: Day(iso: "2026-11-23")!)
        var first: AnyObject? = try location.lock(night)
        // The lock file is created owner-only, in a folder created owner-only, and names its holder.
        #expect(Self.mode(dir + "/var/regua.sqlite.lock") == 0o600)
        #expect(Self.mode(dir + "/var") == 0o700)
        let text = try String(contentsOfFile: dir + "/var/regua.sqlite.lock", encoding: .utf8)
        #expect(text == "\(getpid())\n")
        // Another night, or a prune, is refused too: the file lock serialises every run of the ledger.
        for key in [night, LedgerLockKey(night: Day(iso: "2026-11-24")!), .prune(asOf: Day(iso: "2026-11-24")!)] {
            do {
                _ = try location.lock(key)
                Issue.record("\(key) taken twice")
            } catch let e as ReguaError {
                #expect(e.code == .locked)
                #expect(e.message.contains("pid \(getpid())"), "\(e.message)")
                #expect(e.message.contains(dir + "/var/regua.sqlite"))
            }
        }
        // A deliver locks its own file, so it runs beside the night.
        let deliver = try location.lock(.deliver(night: Day(iso: "2026-11-23")!, shard: nil))
        #expect(FileManager.default.fileExists(atPath: dir + "/var/regua.sqlite.deliver.lock"))
        #expect(throws: ReguaError.self) { try location.lock(.deliver(night: Day(iso: "2026-11-20")!, shard: nil)) }
        _ = deliver
        #expect(first != nil)
        first = nil
        // Released: the next holder gets it.
        let again = try location.lock(night)
        _ = again
    }

    @Test func eachShardOfADeliverHasItsOwnLockFile() throws {
        let dir = Self.folder()
        defer { Self.remove(dir) }
        let location = LedgerLocation.file(dir + "/regua.sqlite")
        let night = Day(iso: "2026-11-23")!
        var held: [AnyObject] = []
        for k in 0..<3 {
            let shard = Shard(index: k, count: 3)!
            held.append(try location.lock(.deliver(night: night, shard: shard)))
            #expect(FileManager.default.fileExists(atPath: dir + "/regua.sqlite.deliver.shard-\(k)-of-3.lock"))
            #expect(throws: ReguaError.self) { try location.lock(.deliver(night: night, shard: shard)) }
        }
        #expect(held.count == 3)
    }

    @Test func advisoryKeysAreTheTagTheShardAndTheNight() {
        let day = Day(iso: "2026-11-23")!
        // 'R' = 0x52, 'G' = 0x47, 'D' = 0x44, 'P' = 0x50; the night as the decimal YYYYMMDD.
        let night = LedgerLockKey(night: day)
        #expect(night.advisoryKeys == (0x5247_0000, 20_261_123))
        #expect(night.description == "night 2026-11-23")
        let shard = LedgerLockKey(night: day, shard: 5)
        #expect(shard.advisoryKeys == (0x5247_0005, 20_261_123))
        #expect(shard.description == "night 2026-11-23 shard 4")
        let deliver = LedgerLockKey.deliver(night: Day(iso: "2027-01-02")!, shard: Shard(index: 1, count: 4))
        #expect(deliver.advisoryKeys == (0x5244_0002, 20_270_102))
        #expect(deliver.description == "deliver of night 2027-01-02 shard 1")
        let prune = LedgerLockKey.prune(asOf: day)
        #expect(prune.advisoryKeys == (0x5250_0000, 0))
        #expect(prune.description == "prune")
        // Distinct keys for every (purpose, shard, night) of a month.
        var seen = Set<[Int32]>()
        for d in 0..<30 {
            let n = day.adding(days: d)
            for s in 0..<4 {
                let k = LedgerLockKey(night: n, shard: s).advisoryKeys
                let dk = LedgerLockKey.deliver(night: n, shard: s == 0 ? nil : Shard(index: s - 1, count: 3))
                    .advisoryKeys
                #expect(seen.insert([k.0, k.1]).inserted)
                #expect(seen.insert([dk.0, dk.1]).inserted)
            }
        }
    }

    // MARK: - The file itself

    @Test func aNewLedgerIsOwnerOnlyAndAReadDoesNotCreateOne() throws {
        let dir = Self.folder()
        defer { Self.remove(dir) }
        let path = dir + "/deep/er/regua.sqlite"
        // A command that only reads a missing ledger sees an empty one and leaves no file behind.
        let reader = try LedgerLocation.file(path).openForReading()
        #expect(try reader.lastNight() == nil)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!LedgerLocation.file(path).exists)
        let l = try SQLiteLedger(path: path)
        _ = try Self.commit(l, "2026-11-20", actions: [Self.sent("t1", "overdue_d3", message: "M1")])
        #expect(LedgerLocation.file(path).exists)
        #expect(Self.mode(path) == 0o600)
        #expect(Self.mode(dir + "/deep/er") == 0o700)
        #expect(Self.mode(dir + "/deep") == 0o700)
    }

    @Test func anEmptyFileBecomesALedgerButAnotherApplicationsDatabaseIsRefusedByEveryOpening() throws {
        let dir = Self.folder()
        defer { Self.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let empty = dir + "/empty.sqlite"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let l = try SQLiteLedger(path: empty)
        _ = try Self.commit(l, "2026-11-20")
        #expect(try SQLiteLedger.forReading(path: empty).night(Day(iso: "2026-11-20")!) != nil)

        // An SQLite file of another application (application_id set, no tables yet).
        let foreign = dir + "/foreign.sqlite"
        let made = try ExternalTool.run(
            try #require(ExternalTool.python3),
            [
                "-c",
                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('pragma application_id=1234'); c.execute('pragma user_version=7'); c.commit()",
                foreign,
            ])
        try #require(made.status == 0, "\(made.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: foreign))
        let location = LedgerLocation.file(foreign)
        #expect(throws: LedgerError.self) { try SQLiteLedger(path: foreign) }
        #expect(throws: LedgerError.self) { try SQLiteLedger.forReading(path: foreign) }
        do {
            _ = try location.openForOperations()
            Issue.record("a foreign database was opened for deliver")
        } catch let e as ReguaError {
            #expect(e.code == .io)
            #expect(e.message.contains("1234"), "\(e.message)")
            #expect(e.message.contains("nothing was done"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == before)
    }

    // MARK: - What a later process reads back

    /// Nights of random actions committed through one process are what another process reads,
    /// night by night and in order; the model is the list the test committed.
    @Test func whatWasCommittedIsWhatAnotherProcessReads() throws {
        let dir = Self.folder()
        defer { Self.remove(dir) }
        let path = dir + "/regua.sqlite"
        var rng = SystemRandomNumberGenerator()
        let start = Day(iso: "2026-11-01")!
        var model: [(night: Day, action: Action)] = []
        var published: Set<Day> = []
        do {
            let l = try SQLiteLedger(path: path)
            for d in 0..<12 {
                let night = start.adding(days: d * 2)
                var actions: [Action] = []
                for k in 0..<Int.random(in: 0...6, using: &rng) {
                    let kind: ActionKind = [.sent, .superseded, .held].randomElement(using: &rng)!
                    actions.append(
                        Action(
                            titleID: TitleID("t\(Int.random(in: 0..<9, using: &rng))"),
                            customerID: CustomerID("c\(Int.random(in: 0..<4, using: &rng))"),
                            stepID: "step_\(k)", offset: Int.random(in: -5...60, using: &rng), kind: kind,
                            channel: kind == .sent ? .email : nil, instruction: nil,
                            reason: kind == .held ? .contactCap : nil,
                            messageID: kind == .sent ? "M\(d)-\(k)" : nil, profile: "standard"))
                }
                let run = try Self.commit(l, night.iso, actions: actions)
                model += actions.map { (night, $0) }
                if Bool.random(using: &rng) {
                    try l.markPublished(runID: run)
                    published.insert(night)
                }
            }
        }
        let l = try SQLiteLedger.forReading(path: path)
        let end = start.adding(days: 30)
        let read = try l.actions(from: start, to: end)
        #expect(read.map(\.night) == model.map(\.night))
        #expect(read.map(\.action.titleID) == model.map(\.action.titleID))
        #expect(read.map(\.action.customerID) == model.map(\.action.customerID))
        #expect(read.map(\.action.stepID) == model.map(\.action.stepID))
        #expect(read.map(\.action.offset) == model.map(\.action.offset))
        #expect(read.map(\.action.kind) == model.map(\.action.kind))
        #expect(read.map(\.action.messageID) == model.map(\.action.messageID))
        #expect(read.map(\.action.reason) == model.map(\.action.reason))
        #expect(
            try l.actions(from: start, to: end, sentOnly: true).count == model.filter { $0.action.kind == .sent }.count)
        // A middle range is the model's middle range.
        let from = start.adding(days: 6)
        let to = start.adding(days: 13)
        #expect(
            try l.actions(from: from, to: to).map(\.action.messageID)
                == model.filter { $0.night >= from && $0.night <= to }.map(\.action.messageID))
        for d in 0..<12 {
            let night = start.adding(days: d * 2)
            let rec = try #require(try l.night(night))
            #expect(rec.status == (published.contains(night) ? .published : .committed))
            #expect(try l.night(night.adding(days: 1)) == nil)
            // The night before an odd day is the even night just before it.
            #expect(try l.lastNight(before: night.adding(days: 1))?.night == night)
        }
        #expect(try l.lastNight()?.night == start.adding(days: 22))
        #expect(try l.lastNight(before: start) == nil)
        // `status` lists every night, newest first, as published or committed.
        let statuses = try l.nightStatuses(upTo: nil)
        #expect(statuses.map(\.night) == (0..<12).reversed().map { start.adding(days: $0 * 2) })
        #expect(statuses.allSatisfy { $0.shards.isEmpty })
        #expect(statuses.map(\.unsharded) == statuses.map { published.contains($0.night) ? .published : .committed })
        #expect(
            try l.nightStatuses(upTo: start.adding(days: 5)).map(\.night) == [4, 2, 0].map { start.adding(days: $0) })
    }

    @Test func statusListsShardsBesideUnshardedNights() throws {
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        _ = try Self.commit(l, "2026-11-20")
        let night = Day(iso: "2026-11-21")!
        let shards = (0..<3).map { Shard(index: $0, count: 3)! }
        for s in shards { try l.claimShard(night: night, shard: s, rulesHash: "r") }
        // Shard 1 commits and publishes, shard 2 commits only, shard 0 was claimed and never ran.
        try l.recordRuns(as: shards[1])
        let r1 = try Self.commit(l, night.iso)
        try l.markPublished(runID: r1)
        try l.recordRuns(as: shards[2])
        _ = try Self.commit(l, night.iso)
        let statuses = try l.nightStatuses(upTo: nil)
        #expect(statuses.map(\.night.iso) == ["2026-11-21", "2026-11-20"])
        #expect(statuses[0].unsharded == nil)
        #expect(statuses[0].shards.map(\.shard) == shards)
        #expect(statuses[0].shards.map(\.status) == [nil, .published, .committed])
        #expect(statuses[1].unsharded == .committed)
        #expect(try l.nightIsSharded(night))
        #expect(try !l.nightIsSharded(Day(iso: "2026-11-20")!))
        // Another N, another rule book, or a shard of a night run unsharded: refused (exit 2).
        for (day, shard, hash) in [
            (night, Shard(index: 0, count: 2)!, "r"), (night, shards[0], "other"),
            (Day(iso: "2026-11-20")!, shards[0], "r"),
        ] {
            do {
                try l.claimShard(night: day, shard: shard, rulesHash: hash)
                Issue.record("claim \(shard) of \(day.iso) with \(hash) accepted")
            } catch let e as ReguaError {
                #expect(e.code == .refused)
            }
        }
    }

    // MARK: - NSAs

    /// NSAs for random (bank, agreement) files over nights, with forced reruns: the next NSA is
    /// always past every NSA any run ever used for the pair, including replaced runs.
    @Test func anNSAIsNeverHandedOutTwice() throws {
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        var rng = SystemRandomNumberGenerator()
        let pairs = [("001", "1234567"), ("001", "7654321"), ("341", "1234567")]
        var used: [String: Set<Int>] = [:]
        var lastRun: Int64?
        let start = Day(iso: "2026-11-01")!
        for d in 0..<20 {
            // One night in four is a forced rerun of the previous one.
            let rerun = d > 0 && Int.random(in: 0..<4, using: &rng) == 0
            let night = start.adding(days: rerun ? d - 1 : d)
            var files: [RemittanceFileRecord] = []
            for (bank, agreement) in pairs where Bool.random(using: &rng) {
                var next = try l.nextNSA(bankCode: bank, agreement: agreement)
                let key = bank + "/" + agreement
                #expect(next == (used[key]?.max() ?? 0) + 1, "\(key) night \(d)")
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    #expect(used[key, default: []].insert(next).inserted)
                    files.append(Self.file(bank, agreement, next))
                    next += 1
                }
            }
            lastRun = try Self.commit(l, night.iso, files: files, replaces: rerun ? lastRun : nil)
        }
        for (bank, agreement) in pairs {
            #expect(
                try l.nextNSA(bankCode: bank, agreement: agreement) == (used[bank + "/" + agreement]?.max() ?? 0) + 1)
        }
        #expect(try l.nextNSA(bankCode: "104", agreement: "1234567") == 1)
    }

    @Test func aDiscardedNightGivesItsNSAsBackAndAPublishedOneKeepsThem() throws {
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        let published = try Self.commit(l, "2026-11-20", files: [Self.file("001", "1", 1), Self.file("001", "1", 2)])
        try l.markPublished(runID: published)
        let unpublished = try Self.commit(l, "2026-11-21", files: [Self.file("001", "1", 3)])
        #expect(try l.nextNSA(bankCode: "001", agreement: "1") == 4)
        // Its files never left the machine: NSA 3 is free again.
        try l.discardUnpublished(runID: unpublished)
        #expect(try l.nextNSA(bankCode: "001", agreement: "1") == 3)
        #expect(try l.lastNight()?.runID == published)
    }

    /// `discardUnpublished` is for a night never published; given a published run it must leave
    /// everything of it in place (its messages went out and its files are in `out/`).
    @Test func discardingAPublishedNightChangesNothing() throws {
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        let night = Day(iso: "2026-11-20")!
        let run = try Self.commit(
            l, night.iso, files: [Self.file("001", "1", 1)], actions: [Self.sent("t1", "overdue_d3", message: "M1")])
        try l.markPublished(runID: run)
        try l.discardUnpublished(runID: run)
        #expect(try l.night(night)?.status == .published)
        #expect(try l.actions(from: night, to: night).map(\.action.messageID) == ["M1"])
        #expect(try l.night(night)?.remittanceFiles.map(\.nsa) == [1])
        #expect(try l.nextNSA(bankCode: "001", agreement: "1") == 2)
        #expect(try l.history(before: night.adding(days: 1)).sent[TitleID("t1")]?.map(\.stepID) == ["overdue_d3"])
    }

    /// Shards reserve disjoint NSA blocks; a rerun of a shard gets its block back; a bigger
    /// rerun gets a new block past everything; recorded files count too.
    @Test func shardReservationsAreDisjointAndStableOnRerun() throws {
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        _ = try Self.commit(l, "2026-11-20", files: [Self.file("001", "1", 1), Self.file("001", "1", 2)])
        let night = Day(iso: "2026-11-21")!
        var rng = SystemRandomNumberGenerator()
        let shards = (0..<4).map { Shard(index: $0, count: 4)! }
        var blocks: [Shard: ClosedRange<Int>] = [:]
        var top = 2  // the highest NSA recorded or reserved so far
        for s in shards.shuffled(using: &rng) {
            let count = Int.random(in: 1...3, using: &rng)
            let first = try l.reserveNSA(night: night, shard: s, bankCode: "001", agreement: "1", count: count)
            #expect(first == top + 1)
            blocks[s] = first...(first + count - 1)
            top = first + count - 1
        }
        for s in shards {
            let b = blocks[s]!
            #expect(
                try l.reserveNSA(night: night, shard: s, bankCode: "001", agreement: "1", count: b.count)
                    == b.lowerBound)
            // Fewer files on a rerun: the same block.
            #expect(try l.reserveNSA(night: night, shard: s, bankCode: "001", agreement: "1", count: 1) == b.lowerBound)
        }
        // Another agreement is numbered on its own.
        #expect(try l.reserveNSA(night: night, shard: shards[0], bankCode: "001", agreement: "2", count: 2) == 1)
        // More files than reserved: its block is let go and a new one starts past every other
        // shard's block and every recorded file (so right after the others when its old block
        // was the highest: those numbers were never recorded, so never sent).
        let grown = try l.reserveNSA(night: night, shard: shards[2], bankCode: "001", agreement: "1", count: 5)
        let othersTop = shards.filter { $0 != shards[2] }.map { blocks[$0]!.upperBound }.max()!
        #expect(grown == max(othersTop, 2) + 1)
        let all = shards.map { $0 == shards[2] ? grown...(grown + 4) : blocks[$0]! }
        for (i, a) in all.enumerated() {
            for b in all[(i + 1)...] { #expect(!a.overlaps(b)) }
        }
        // A later unsharded night starts past the reservations only once files are recorded.
        #expect(try l.nextNSA(bankCode: "001", agreement: "1") == 3)
    }
}
