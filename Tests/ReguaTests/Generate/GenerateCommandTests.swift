import Foundation
import Testing

@testable import Regua

/// The real `regua generate` binary: the same arguments write the same bytes, the counts asked
/// for are the rows written, its flags are refused with exit 2 (3 for a folder it cannot
/// write), and a night of the shipped rule book over its files refuses exactly the bad rows
/// the plain reference finds, nothing else.
@Suite(.serialized, .enabled(if: GeneratedFiles.haveBinary, "build the regua binary first (make test does)"))
struct GenerateCommandTests {
    typealias G = GeneratedFiles

    /// `Wrote DIR/customers.csv (N rows, B bad) and DIR/receivables.csv (M rows, C bad).` → N, B, M, C.
    static func counts(_ stdout: String) -> [Int]? {
        guard stdout.hasPrefix("Wrote ") else { return nil }
        let groups = stdout.components(separatedBy: " (").dropFirst().compactMap { part -> [Int]? in
            let inside = part.prefix { $0 != ")" }
            let words = inside.split(separator: " ")
            guard words.count == 4, words[1] == "rows,", words[3] == "bad", let n = Int(words[0]),
                let b = Int(words[2])
            else { return nil }
            return [n, b]
        }
        return groups.count == 2 ? groups.flatMap { $0 } : nil
    }

    static func generate(_ dir: String, _ args: [String]) throws -> G.Run {
        try G.regua(["generate", "--out", dir] + args)
    }

    @Test func sameArgumentsSameBytesOtherSeedOtherBytes() throws {
        let root = try G.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let args = ["--customers", "900", "--titles", "3000", "--seed", "7", "--as-of", "2026-12-01"]
        let a = try Self.generate(root + "/a", args)
        let b = try Self.generate(root + "/b", args)
        let c = try Self.generate(root + "/c", args.map { $0 == "7" ? "8" : $0 })
        for run in [a, b, c] { #expect(run.status == 0, "\(run.stderr)") }
        for file in ["customers.csv", "receivables.csv"] {
            let bytesA = try G.bytes(root + "/a/" + file)
            #expect(try G.bytes(root + "/b/" + file) == bytesA, "\(file) differs between two runs")
            #expect(try G.bytes(root + "/c/" + file) != bytesA, "\(file) is the same for seeds 7 and 8")
            #expect(Hashing.sha256Hex(try G.bytes(root + "/b/" + file)) == Hashing.sha256Hex(bytesA))
        }
        // What the command says it wrote is what is in the files, counted by the reference.
        let said = try #require(Self.counts(a.stdout), "\(a.stdout)")
        let customers = G.table(try G.bytes(root + "/a/customers.csv")).rows
        let titles = G.table(try G.bytes(root + "/a/receivables.csv")).rows
        let good = GeneratedPortfolioTests.goodCustomers(customers)
        let badTitles = titles.filter { !GeneratedPortfolioTests.fault($0.cell, goodCustomers: good).isEmpty }
        #expect(said == [900, customers.count - good.count, 3_000, badTitles.count])
        #expect(customers.count == 900 && titles.count == 3_000)
        #expect(a.stdout.contains(root + "/a/customers.csv") && a.stdout.contains(root + "/a/receivables.csv"))
        #expect(a.stdout == b.stdout.replacingOccurrences(of: root + "/b/", with: root + "/a/"))
    }

    /// The binary makes what the library makes for the same arguments, and its defaults are the
    /// documented ones: seed 1, as-of 2026-11-23, the standard mix.
    @Test func theBinaryWritesTheLibrarysBytesWithTheDocumentedDefaults() throws {
        let root = try G.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let defaults = try Self.generate(root + "/defaults", ["--customers", "400", "--titles", "1200"])
        #expect(defaults.status == 0, "\(defaults.stderr)")
        let library = DataGenerator(customers: 400, titles: 1_200, seed: 1, asOf: Day(iso: "2026-11-23")!).generate()
        #expect(try G.bytes(root + "/defaults/customers.csv") == library.customers)
        #expect(try G.bytes(root + "/defaults/receivables.csv") == library.receivables)

        let realistic = try Self.generate(
            root + "/realistic",
            ["--customers", "400", "--titles", "1200", "--seed", "99", "--as-of", "2025-06-30", "--mix", "realistic"])
        #expect(realistic.status == 0, "\(realistic.stderr)")
        let same = DataGenerator(
            customers: 400, titles: 1_200, seed: 99, asOf: Day(iso: "2025-06-30")!, mix: .realistic
        ).generate()
        #expect(try G.bytes(root + "/realistic/customers.csv") == same.customers)
        #expect(try G.bytes(root + "/realistic/receivables.csv") == same.receivables)
        #expect(Self.counts(realistic.stdout) == [400, same.summary.badCustomers, 1_200, same.summary.badTitles])
    }

    /// Files of several MiB are written in chunks (4 MiB each): the bytes on disk are still
    /// exactly the ones made in one piece, and the row counts are the ones asked for.
    @Test func largeFilesWrittenInChunksAreTheSameBytes() throws {
        let root = try G.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = try Self.generate(
            root, ["--customers", "30000", "--titles", "60000", "--seed", "3", "--mix", "realistic"])
        #expect(run.status == 0, "\(run.stderr)")
        let memory = DataGenerator(
            customers: 30_000, titles: 60_000, seed: 3, asOf: Day(iso: "2026-11-23")!, mix: .realistic
        ).generate()
        let customers = try G.bytes(root + "/customers.csv")
        let receivables = try G.bytes(root + "/receivables.csv")
        #expect(customers.count > 4 << 20 && receivables.count > 4 << 20, "\(customers.count) \(receivables.count)")
        #expect(customers == memory.customers)
        #expect(receivables == memory.receivables)
        // No cell holds a line break, so each line is a row: the header and the rows asked for.
        #expect(customers.lazy.filter { $0 == 10 }.count == 30_001)
        #expect(receivables.lazy.filter { $0 == 10 }.count == 60_001)
    }

    @Test(arguments: [
        (["--customers", "0", "--titles", "5"], "--customers must be positive"),
        (["--customers", "-3", "--titles", "5"], ""),
        (["--customers", "5", "--titles=-1"], "--titles not negative"),
        (["--customers", "5", "--titles", "-1"], ""),
        (["--customers", "5", "--titles", "5", "--mix", "huge"], "--mix takes standard or realistic, not 'huge'"),
        (["--customers", "5", "--titles", "5", "--as-of", "2026-02-30"], "--as-of must be a date like 2026-11-23"),
        (["--customers", "5", "--titles", "5", "--seed", "-1"], ""),
        (["--titles", "5"], "--customers"),
    ])
    func badFlagsAreRefusedWithExit2AndWriteNothing(args: [String], message: String) throws {
        let root = try G.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = try Self.generate(root + "/out", args)
        #expect(run.status == 2, "\(args): \(run.status) \(run.stderr)")
        if !message.isEmpty { #expect(run.stderr.contains(message), "\(run.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: root + "/out"))
        #expect(run.stdout.isEmpty)
    }

    @Test func aFolderThatCannotBeWrittenIsExit3() throws {
        let run = try G.regua(["generate", "--customers", "3", "--titles", "3", "--out", "/proc/regua-generate-test"])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("/proc/regua-generate-test/customers.csv: cannot write"), "\(run.stderr)")
    }

    // MARK: - A night over generated files

    /// `regua run --dry-run` of the shipped rule book over generated files, on the as-of date
    /// they were made for: the night is decided (not refused), its rejects are exactly the bad
    /// rows of the reference (so every good row is accepted), and nothing is written.
    @Test(arguments: DataGenerator.Mix.allCases)
    func theShippedRuleBookAcceptsEveryGoodRowAndOnlyThose(mix: DataGenerator.Mix) throws {
        let root = try G.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let made = try Self.generate(
            root + "/data",
            ["--customers", "1500", "--titles", "5000", "--seed", "23", "--as-of", "2026-11-24", "--mix", mix.rawValue])
        #expect(made.status == 0, "\(made.stderr)")
        let customers = G.table(try G.bytes(root + "/data/customers.csv")).rows
        let titles = G.table(try G.bytes(root + "/data/receivables.csv")).rows
        let good = GeneratedPortfolioTests.goodCustomers(customers)
        var expected = Set(
            customers.filter { !good.contains($0.cell["customer_id"]!) }.map { "customers.csv:\($0.line)" })
        var goodTitles = 0
        for t in titles {
            if GeneratedPortfolioTests.fault(t.cell, goodCustomers: good).isEmpty {
                goodTitles += 1
            } else {
                expected.insert("receivables.csv:\(t.line)")
            }
        }

        let run = try G.regua([
            "run", "--dry-run", "--json", "--as-of", "2026-11-24", "--rules", Workspace.repoRoot + "/rules",
            "--customers", root + "/data/customers.csv", "--receivables", root + "/data/receivables.csv",
            "--out", root + "/out", "--state", root + "/var/regua.sqlite", "--log-level", "error",
        ])
        // Exit 1: done, with rejected rows (SPEC §6); 2 would be a refused night.
        #expect(run.status == 1, "\(run.stderr)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout.prefix(300))"
        )
        #expect(json["outcome"] as? String == "dry_run")
        let rejects = try #require(json["rejects"] as? [[String: Any]])
        let refused = Set(rejects.map { "\($0["file"] as? String ?? "?"):\($0["line"] as? Int ?? -1)" })
        #expect(refused == expected)
        #expect(json["rejected_rows"] as? Int == expected.count)
        let summary = try #require(json["summary"] as? [String: Any])
        let inputs = try #require(summary["inputs"] as? [String: Any])
        #expect(inputs["customers"] as? Int == good.count)
        #expect(inputs["titles"] as? Int == goodTitles)
        #expect(inputs["rejected_rows"] as? Int == expected.count)
        let messages = try #require(summary["messages"] as? [String: Any])
        #expect((messages["total"] as? Int ?? 0) > 0, "a generated portfolio has work tonight")
        // A dry run writes nothing.
        #expect(!FileManager.default.fileExists(atPath: root + "/out"))
    }
}
