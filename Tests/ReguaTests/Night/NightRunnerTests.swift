import Foundation
import Testing
@testable import Regua

/// SPEC §5 on the shipped example, in process.
@Suite struct NightRunnerTests {
    /// The shipped ladder never protests a title that did not get the 30-day letter 10 days
    /// before: on a fresh ledger's first night the protests due are held, and no remittance goes.
    @Test func theShippedProtestWaitsForTheLetter() throws {
        let w = try Workspace()
        let r = try w.run()
        let held = try w.allActions().filter { $0.action.stepID == "protest_d45" }
        #expect(
            held.count == 3 && held.allSatisfy { $0.action.kind == .held && $0.action.reason == .requirementNotMet })
        #expect(r.summary?.remittance.total == 0)
        #expect(!FileManager.default.fileExists(atPath: r.folder! + "/remessa"))
    }

    @Test func publishesEveryFileWithAManifestThatHolds() throws {
        let w = try Workspace()
        try w.protestWithoutTheLetter()
        let r = try w.run()
        #expect(r.outcome == .published)
        #expect(r.exitCode == 1, "the fixtures carry bad rows on purpose")
        let dir = try #require(r.folder)
        let tree = Workspace.tree(dir)
        for f in [
            "sms.csv", "letters.pdf", "letters.csv", "summary.json", "report.html", "rejects.csv", "worklist.csv",
            "manifest.json",
        ] {
            #expect(tree[f] != nil, "missing \(f)")
        }
        #expect(tree.keys.contains { $0.hasPrefix("email/") && $0.hasSuffix(".eml") })
        #expect(tree.keys.contains { $0.hasPrefix("remessa/") && $0.hasSuffix(".REM") })
        // The manifest lists every other file with its size and SHA-256.
        let manifest = try JSONSerialization.jsonObject(with: tree["manifest.json"]!) as! [String: Any]
        let files = manifest["files"] as! [[String: Any]]
        #expect(Set(files.map { $0["path"] as! String }) == Set(tree.keys).subtracting(["manifest.json"]))
        for f in files {
            let data = tree[f["path"] as! String]!
            #expect(f["size"] as! Int == data.count)
            #expect(f["sha256"] as! String == Hashing.sha256Hex(Array(data)))
        }
        // LGPD: owner-only files.
        let perms = try FileManager.default.attributesOfItem(atPath: dir + "/sms.csv")[.posixPermissions] as! Int
        #expect(perms & 0o077 == 0)
        #expect(!FileManager.default.fileExists(atPath: w.root + "/out/.staging-2026-11-23"))
    }

    @Test func rerunOfAPublishedNightChangesNothing() throws {
        let w = try Workspace()
        let first = try w.run()
        let before = Workspace.tree(first.folder!)
        let actions = try w.allActions().count
        #expect(actions > 0)
        let again = try w.run()
        #expect(again.outcome == .alreadyPublished)
        #expect(again.exitCode == first.exitCode)
        #expect(try w.allActions().count == actions)
        #expect(Workspace.tree(first.folder!) == before)
        // Folder lost (operator deleted it): written again byte for byte from the ledger, nothing recorded.
        try FileManager.default.removeItem(atPath: first.folder!)
        let rebuilt = try w.run()
        #expect(rebuilt.outcome == .republished)
        #expect(Workspace.tree(first.folder!) == before)
        #expect(try w.allActions().count == actions)
    }

    @Test func changedInputIsRefusedUnlessForced() throws {
        let w = try Workspace()
        _ = try w.run()
        try w.setReceivable(title: "NF-10277", column: "amount", value: "18751.00")
        #expect(throws: ReguaError.self) { try w.run() }
        do {
            _ = try w.run()
        } catch let e as ReguaError {
            #expect(e.code == .refused)
        }
        let forced = try w.run(force: true)
        #expect(forced.outcome == .published)
        #expect(FileManager.default.fileExists(atPath: w.root + "/out/2026-11-23"))
        let aside = try FileManager.default.contentsOfDirectory(atPath: w.root + "/out").filter {
            $0.hasPrefix("2026-11-23.replaced-")
        }
        #expect(aside.count == 1)
        #expect(try w.ledger().night(Day(iso: "2026-11-23")!)?.forced == true)
    }

    @Test func pastNightsAreRefused() throws {
        let w = try Workspace()
        _ = try w.run("2026-11-24")
        #expect(throws: ReguaError.self) { try w.run("2026-11-23") }
    }

    @Test func dryRunWritesAndRecordsNothing() throws {
        let w = try Workspace()
        let r = try w.run(dryRun: true)
        #expect(r.outcome == .dryRun)
        #expect((r.summary?.messages.total ?? 0) > 0)
        #expect(!FileManager.default.fileExists(atPath: w.root + "/out"))
        #expect(!FileManager.default.fileExists(atPath: w.root + "/var"))
    }

    @Test func unwritableOutIsExit3AndRecordsNothing() throws {
        let w = try Workspace()
        // A file where the out folder should be: nothing can be created under it (even as root).
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: w.root + "/out"))
        do {
            _ = try w.run()
            Issue.record("expected a failure")
        } catch let e as ReguaError {
            #expect(e.code == .io)
        }
        #expect(try w.allActions().isEmpty)
        #expect(try w.ledger().lastNight() == nil)
    }

    @Test func invalidRuleBookStopsBeforeAnything() throws {
        let w = try Workspace()
        try "steps:\n  - id: x\n    ofset: 3\n".write(
            toFile: w.root + "/rules/20-broken.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try w.run()
            Issue.record("expected a failure")
        } catch let e as ReguaError {
            #expect(e.code == .refused)
            #expect(e.diagnostics.contains { $0.location.file.hasSuffix("20-broken.yaml") && $0.location.line == 3 })
        }
        #expect(!FileManager.default.fileExists(atPath: w.root + "/out"))
        #expect(!FileManager.default.fileExists(atPath: w.root + "/var/regua.sqlite"))
    }
}
