import Foundation
import Testing

@testable import Regua

/// Every key that a `--json` output (and `summary.json`) prints is one the README documents:
/// the shapes are a public interface that operators' scripts read.
@Suite(.serialized) struct JSONShapeTests {
    static let binary = Workspace.repoRoot + "/.build/debug/regua"
    static var haveBinary: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// Keys whose children are data (step ids, channels, profiles, facts), not names of the shape.
    static let dataMaps: Set<String> = [
        "by_channel", "instructions", "occurrences", "totals", "profile_trail", "facts",
    ]

    /// The README's "JSON shapes" section.
    static func readmeShapes() throws -> String {
        let readme = try String(contentsOfFile: Workspace.repoRoot + "/README.md", encoding: .utf8)
        let start = try #require(readme.range(of: "### JSON shapes"))
        let rest = readme[start.upperBound...]
        let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    /// Every key of a JSON value, children of the data maps left out.
    static func keys(_ value: Any, into out: inout Set<String>) {
        if let d = value as? [String: Any] {
            for (k, v) in d {
                out.insert(k)
                if !dataMaps.contains(k) { keys(v, into: &out) }
            }
        } else if let a = value as? [Any] {
            for v in a { keys(v, into: &out) }
        }
    }

    static func json(_ w: Workspace, _ args: [String]) throws -> Any {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: w.root)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus <= 1, "regua \(args.joined(separator: " ")) exited \(p.terminationStatus)")
        return try JSONSerialization.jsonObject(with: data)
    }

    @Test(.enabled(if: haveBinary, "build the regua binary first (make test does)"))
    func everyJSONKeyIsDocumentedInTheReadme() throws {
        let w = try Workspace()
        let night = ["--as-of", "2026-11-23"]
        var outputs: [(String, Any)] = []
        outputs.append(("run --dry-run", try Self.json(w, ["run", "--dry-run", "--json"] + night)))
        outputs.append(("run", try Self.json(w, ["run", "--json"] + night)))
        outputs.append(("check", try Self.json(w, ["check", "--json"])))
        outputs.append(("explain", try Self.json(w, ["explain", "C005", "--json"] + night)))
        outputs.append(
            (
                "simulate",
                try Self.json(w, ["simulate", "--from", "2026-11-23", "--to", "2026-11-26", "--show-held", "--json"])
            ))
        outputs.append(("diff-rules", try Self.json(w, ["diff-rules", "rules", "rules", "--json"] + night)))
        outputs.append(("stats", try Self.json(w, ["stats", "--json"])))
        outputs.append(("status", try Self.json(w, ["status", "--json"])))
        let summary = try Data(contentsOf: URL(fileURLWithPath: w.root + "/out/2026-11-23/summary.json"))
        outputs.append(("summary.json", try JSONSerialization.jsonObject(with: summary)))

        let readme = try Self.readmeShapes()
        let words = Set(
            readme.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
        for (command, value) in outputs {
            var found: Set<String> = []
            Self.keys(value, into: &found)
            #expect(!found.isEmpty, "\(command) printed no keys")
            for k in found.sorted() {
                #expect(
                    words.contains(k), "\(command) --json prints '\(k)', which the README's JSON shapes do not name")
            }
        }
    }

    @Test func snakeCaseNeverSplitsAnAcronym() throws {
        // JSONEncoder's convertToSnakeCase turns `titleIDs` into `title_i_ds`: the coding keys
        // of a shape with such a name must spell it.
        let line = Simulation.Line(
            night: "2026-11-23", customerID: "C1", channel: "sms", step: "s", titleIDs: ["T1"], held: nil, recorded: nil
        )
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        let text = String(decoding: try e.encode(line), as: UTF8.self)
        #expect(text.contains("\"title_ids\""), "\(text)")
        #expect(text.contains("\"customer_id\""), "\(text)")
    }
}
