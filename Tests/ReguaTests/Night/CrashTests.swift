import Foundation
import Testing
@testable import Regua

/// Kills real `regua run` processes with SIGKILL at every point of a night, reruns, and compares
/// with a clean run: same bytes published, no action lost or duplicated.
@Suite(.serialized) struct CrashTests {
    static let binary = Workspace.repoRoot + "/.build/debug/regua"
    static var haveBinary: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    struct Outcome {
        var status: Int32
        var killed: Bool
        var stderr: String
    }

    static func regua(_ w: Workspace, _ args: [String], env: [String: String] = [:]) throws -> Outcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        let o = w.options()
        p.arguments =
            [
                "run", "--as-of", "2026-11-23", "--rules", o.rulesDir, "--customers", o.customers,
                "--receivables", o.receivables, "--out", o.outDir, "--state", o.statePath,
            ] + args
        p.environment = ProcessInfo.processInfo.environment.merging(env) { _, b in b }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Outcome(
            status: p.terminationStatus, killed: p.terminationReason == .uncaughtSignal,
            stderr: String(decoding: data, as: UTF8.self))
    }

    /// Actions as comparable tuples (run ids and wall-clock stamps aside).
    static func actionKeys(_ w: Workspace) throws -> [String] {
        try w.allActions().map { a in
            "\(a.night.iso)|\(a.action.titleID.raw)|\(a.action.stepID)|\(a.action.kind.rawValue)|\(a.action.channel?.rawValue ?? "")|\(a.action.reason?.rawValue ?? "")|\(a.action.messageID ?? "")"
        }.sorted()
    }

    @Test(
        .enabled(if: haveBinary, "build the regua binary first (make test does)"),
        arguments: ["after-lock", "before-staging", "mid-staging", "after-staging", "after-commit", "after-publish"])
    func killedRunIsCompletedByTheNextOne(point: String) throws {
        let clean = try Workspace()
        #expect(try Self.regua(clean, []).status == 1)
        let expectedFiles = Workspace.tree(clean.root + "/out/2026-11-23")
        let expectedActions = try Self.actionKeys(clean)

        let w = try Workspace()
        let crashed = try Self.regua(w, [], env: ["REGUA_CRASH_AT": point])
        #expect(crashed.killed, "the run should have been killed at \(point)")
        // A reader never sees a half-written night.
        let visible = FileManager.default.fileExists(atPath: w.root + "/out/2026-11-23")
        if visible { #expect(Workspace.tree(w.root + "/out/2026-11-23") == expectedFiles) }
        // Nothing is recorded before the output is complete on disk.
        if ["after-lock", "before-staging", "mid-staging", "after-staging"].contains(point) {
            #expect(try Self.actionKeys(w).isEmpty)
        }

        let rerun = try Self.regua(w, [])
        #expect(rerun.status == 1, "rerun after a crash at \(point): \(rerun.stderr)")
        #expect(Workspace.tree(w.root + "/out/2026-11-23") == expectedFiles)
        #expect(try Self.actionKeys(w) == expectedActions)
        #expect(!FileManager.default.fileExists(atPath: w.root + "/out/.staging-2026-11-23"))
        #expect(try w.ledger().night(Day(iso: "2026-11-23")!)?.status == .published)
    }

    @Test(.enabled(if: haveBinary, "build the regua binary first (make test does)"))
    func secondRunWhileTheLedgerIsHeldExits4() throws {
        let w = try Workspace()
        let lock = try RunLock(ledgerPath: w.options().statePath)
        let r = try Self.regua(w, [])
        withExtendedLifetime(lock) {}
        #expect(r.status == 4)
        #expect(r.stderr.contains("another regua run"))
        #expect(!FileManager.default.fileExists(atPath: w.root + "/out"))
    }

    @Test(.enabled(if: haveBinary, "build the regua binary first (make test does)"))
    func brokenRuleBookIsExit2WithLocations() throws {
        let w = try Workspace()
        try "steps:\n  - id: extra\n    ofset: 3\n".write(
            toFile: w.root + "/rules/30-typo.yaml", atomically: true, encoding: .utf8)
        let r = try Self.regua(w, [])
        #expect(r.status == 2)
        #expect(r.stderr.contains("30-typo.yaml:3:5: "), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: w.root + "/out"))
    }

    @Test(.enabled(if: haveBinary, "build the regua binary first (make test does)"))
    func corruptedLedgerIsRefusedAndKept() throws {
        let w = try Workspace()
        try FileManager.default.createDirectory(atPath: w.root + "/var", withIntermediateDirectories: true)
        let junk = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try junk.write(to: URL(fileURLWithPath: w.root + "/var/regua.sqlite"))
        let r = try Self.regua(w, [])
        #expect(r.status == 3)
        #expect(r.stderr.contains("not an SQLite database"))
        #expect(FileManager.default.contents(atPath: w.root + "/var/regua.sqlite") == junk)
        #expect(!FileManager.default.fileExists(atPath: w.root + "/out/2026-11-23"))
    }
}
