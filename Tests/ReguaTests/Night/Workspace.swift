import Foundation
@testable import Regua

/// A throwaway copy of the shipped example (rules + fixtures) with its own out/ and ledger,
/// removed when the test lets go of it (`KEEP_TEST_WORKSPACES=1` keeps them for a post-mortem).
final class Workspace: Sendable {  // the files are the test's own
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    let root: String

    deinit {
        if ProcessInfo.processInfo.environment["KEEP_TEST_WORKSPACES"] == nil {
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("regua-night-\(UUID().uuidString)").path
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        try fm.copyItem(atPath: Workspace.repoRoot + "/rules", toPath: root + "/rules")
        try fm.copyItem(atPath: Workspace.repoRoot + "/fixtures", toPath: root + "/fixtures")
    }

    /// The shipped ladder protests only after the 30-day letter (`requires`), so a fresh
    /// ledger's first night has no protest; tests of the bank files take that requirement out
    /// to get the example's protests on their first night.
    func protestWithoutTheLetter() throws {
        let ladder = root + "/rules/10-regua.yaml"
        let text = try String(contentsOfFile: ladder, encoding: .utf8)
        let requirement =
            "    remittance: protest\n    profiles: [chronic, standard]\n    requires: { step: letter_d30, days: 10 }\n"
        precondition(text.contains(requirement), "the shipped protest step changed")
        try text.replacingOccurrences(
            of: requirement, with: "    remittance: protest\n    profiles: [chronic, standard]\n"
        )
        .write(toFile: ladder, atomically: true, encoding: .utf8)
    }

    func options(
        _ asOf: String = "2026-11-23", dryRun: Bool = false, force: Bool = false, out: String = "out",
        retorno: [String] = [], acceptGap: Bool = false
    ) -> NightOptions {
        NightOptions(
            asOf: Day(iso: asOf)!, rulesDir: root + "/rules", customers: root + "/fixtures/customers.csv",
            receivables: root + "/fixtures/receivables.csv", returnFiles: retorno, outDir: root + "/" + out,
            statePath: root + "/var/regua.sqlite", dryRun: dryRun, force: force, acceptGap: acceptGap)
    }

    /// Runs a night of the workspace; `acceptGap` for the tests that skip nights on purpose.
    func run(_ asOf: String = "2026-11-23", dryRun: Bool = false, force: Bool = false, acceptGap: Bool = false)
        throws -> NightResult
    {
        try NightRunner(options: options(asOf, dryRun: dryRun, force: force, acceptGap: acceptGap)).run()
    }

    /// Every file under a folder, relative path → bytes.
    static func tree(_ dir: String) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let e = FileManager.default.enumerator(atPath: dir) else { return out }
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            let p = dir + "/" + rel
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = FileManager.default.contents(atPath: p)
            }
        }
        return out
    }

    func ledger() throws -> SQLiteLedger { try SQLiteLedger(path: root + "/var/regua.sqlite") }

    func allActions() throws -> [LedgerAction] {
        try ledger().actions(from: Day(iso: "2000-01-01")!, to: Day(iso: "2100-01-01")!)
    }

    /// Rewrites one cell of receivables.csv for a title.
    func setReceivable(title: String, column: String, value: String) throws {
        let path = root + "/fixtures/receivables.csv"
        // Swift reads "\r\n" as one Character: normalise line ends before splitting.
        var lines = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let ci = header.firstIndex(of: column)!
        let ti = header.firstIndex(of: "title_id")!
        var changed = false
        for i in 1..<lines.count {
            var cells = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if cells.count == header.count, cells[ti] == title {
                cells[ci] = value
                lines[i] = cells.joined(separator: ",")
                changed = true
            }
        }
        precondition(changed, "title \(title) not found in receivables.csv")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}
