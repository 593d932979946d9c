import Foundation
import GRDB
import Testing
@testable import Regua

/// `regua prune` (SPEC §5): old night folders go, the prune is recorded, titles not seen for
/// long leave the hot tables without changing any decision; the ledger holds no personal data.
@Suite(.serialized) struct PruneTests {
    /// Nights 23, 24, 24 again with --force (its first folder kept as `.replaced-…`) and 30 Nov.
    static func nights() throws -> Workspace {
        let w = try Workspace()
        _ = try w.run("2026-11-23")
        _ = try w.run("2026-11-24")
        try w.setReceivable(title: "NF-10266", column: "status", value: "disputed")
        _ = try w.run("2026-11-24", force: true)
        _ = try w.run("2026-11-30", acceptGap: true)
        try FileManager.default.createDirectory(
            atPath: w.root + "/out/.staging-2026-11-20", withIntermediateDirectories: true)
        return w
    }

    @Test func removesOldFoldersAndRecordsIt() throws {
        let w = try Self.nights()
        let o = w.options()
        let out = try FileManager.default.contentsOfDirectory(atPath: o.outDir).sorted()
        let replaced = try #require(out.first { $0.hasPrefix("2026-11-24.replaced-") })
        let before = try ReadOnlyCommandsTests.Snapshot(o.statePath)

        let dry = try Prune.run(
            outDir: o.outDir, statePath: o.statePath, keepDays: 5, asOf: Day(iso: "2026-12-01")!, dryRun: true)
        #expect(dry.folders == ["2026-11-23", "2026-11-24", replaced])
        #expect(try FileManager.default.contentsOfDirectory(atPath: o.outDir).sorted() == out)
        #expect(try ReadOnlyCommandsTests.Snapshot(o.statePath) == before, "--dry-run changed the ledger")

        let done = try Prune.run(
            outDir: o.outDir, statePath: o.statePath, keepDays: 5, asOf: Day(iso: "2026-12-01")!, dryRun: false)
        #expect(done.folders == dry.folders)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: o.outDir).sorted() == [
                ".staging-2026-11-20", "2026-11-30",
            ])
        let recorded = try w.ledger().prunes()
        #expect(recorded.map(\.folders) == [dry.folders])
        #expect(recorded.first?.cutoff == "2026-11-26")
        #expect(recorded.first?.titlesArchived == 0)  // every title was in the 30 Nov receivables
        // Pruned nights stay final: the ledger still refuses an earlier night.
        #expect(throws: ReguaError.self) { try w.run("2026-11-29") }
    }

    @Test func archivedTitlesLeaveTheHotTablesAndComeBackUnchanged() throws {
        let w = try Self.nights()
        let o = w.options()
        let night = Day(iso: "2027-03-01")!
        let ledger = try w.ledger()
        let everything = ReferenceHistory.Observed(try ledger.history(before: night), titles: nil, customers: nil)
        let hot = try ledger.dbQueue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM title_state")! }
        #expect(hot > 0)
        let r = try Prune.run(outDir: o.outDir, statePath: o.statePath, keepDays: 60, asOf: night, dryRun: false)
        #expect(r.titlesArchived == hot)
        #expect(r.folders == ["2026-11-23", "2026-11-24", r.folders[2], "2026-11-30"])
        let after = try w.ledger()
        #expect(try after.dbQueue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM title_state")! } == 0)
        #expect(ReferenceHistory.Observed(try after.history(before: night), titles: nil, customers: nil) == everything)
        let reference = try after.dbQueue.read { db in try ReferenceHistory.read(db, before: night) }
        #expect(everything == ReferenceHistory.Observed(reference, titles: nil, customers: nil))
        // The next night sees them in its receivables: back in the hot tables.
        _ = try w.run(night.iso, acceptGap: true)
        let back = try w.ledger().dbQueue.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM title_state")!,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM archived_title_state")!
            )
        }
        #expect(back.0 >= hot && back.1 == 0)
    }

    /// A title in every night's receivables is never archived, though its `last_seen` is
    /// rewritten only weekly; one gone from them is, once the prune's age is past.
    @Test func titlesSeenLatelyStayHot() throws {
        let w = try Workspace()
        for d in 23...28 { _ = try w.run("2026-11-\(d)") }
        let o = w.options()
        let stale = try w.ledger().dbQueue.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM title_state WHERE last_seen = '2026-11-23'")!
        }
        #expect(stale > 0)  // seen every night since, stamped on the 23rd only
        let r = try Prune.run(
            outDir: o.outDir, statePath: o.statePath, keepDays: 3, asOf: Day(iso: "2026-11-29")!, dryRun: false)
        #expect(r.folders == ["2026-11-23", "2026-11-24", "2026-11-25"])
        #expect(r.titlesArchived == 0)
        // Forty nights later, with nothing run since the 28th, they all go.
        let later = try Prune.run(
            outDir: o.outDir, statePath: o.statePath, keepDays: 30, asOf: Day(iso: "2027-01-10")!, dryRun: false)
        #expect(
            later.titlesArchived
                == (try w.ledger().dbQueue.read { db in
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM archived_title_state")!
                }))
        #expect(later.titlesArchived >= stale)
    }

    /// The ledger keeps ids, steps, dates and amounts in cents; never a fixture name, document,
    /// e-mail, phone or street.
    @Test func ledgerHoldsNoPersonalData() throws {
        let w = try Self.nights()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: w.options().statePath))
        let table = try CSVTestRows.read(w.root + "/fixtures/customers.csv")
        var checked = 0
        for row in table {
            for column in ["name", "document", "email", "phone", "address_street"] {
                guard let value = row[column], value.count >= 6 else { continue }
                let digits = value.filter(\.isNumber)
                #expect(bytes.range(of: Data(value.utf8)) == nil, "\(column) '\(value)' is in the ledger")
                if column == "document" || column == "phone", digits.count >= 8 {
                    #expect(bytes.range(of: Data(digits.utf8)) == nil, "\(column) digits '\(digits)' are in the ledger")
                }
                checked += 1
            }
        }
        #expect(checked > 20)
        // The customer ids are there: the search would find what is present.
        #expect(bytes.range(of: Data("C001".utf8)) != nil)
    }

    @Test(.enabled(if: CrashTests.haveBinary, "build the regua binary first (make test does)"))
    func commandLineDryRunPrintsJSON() throws {
        let w = try Self.nights()
        let o = w.options()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CrashTests.binary)
        p.arguments = [
            "prune", "--keep-days", "5", "--as-of", "2026-12-01", "--out", o.outDir, "--state", o.statePath,
            "--dry-run",
            "--json",
        ]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["cutoff"] as? String == "2026-11-26")
        #expect(json["dry_run"] as? Bool == true)
        #expect((json["folders"] as? [String])?.count == 3)
        #expect(FileManager.default.fileExists(atPath: o.outDir + "/2026-11-23"))
    }
}

/// customers.csv as header → cell maps (the fixture has quoted cells with commas).
enum CSVTestRows {
    static func read(_ path: String) throws -> [[String: String]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var rows: [[String]] = [[]]
        var cell = ""
        var quoted = false
        var it = Array(text.unicodeScalars)[...]
        while let c = it.popFirst() {
            if quoted {
                if c == "\"" {
                    if it.first == "\"" { cell.unicodeScalars.append(it.removeFirst()) } else { quoted = false }
                } else {
                    cell.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                rows[rows.count - 1].append(cell)
                cell = ""
            } else if c == "\n" || c == "\r" {
                if c == "\r", it.first == "\n" { it.removeFirst() }
                rows[rows.count - 1].append(cell)
                cell = ""
                rows.append([])
            } else {
                cell.unicodeScalars.append(c)
            }
        }
        if !cell.isEmpty { rows[rows.count - 1].append(cell) }
        let header = rows.removeFirst()
        return rows.filter { $0.count == header.count }.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}
