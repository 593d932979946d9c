import Foundation
import Testing

@testable import Regua

/// `worklist.csv` read back as a spreadsheet would (Python's csv module, `;`, after the BOM) on
/// a generated portfolio whose missing contacts, opt-outs and holds are known, compared with
/// what the shipped ladder says must be fixed, and with summary.json, the manifest, the report
/// and a dry run of the same night.
@Suite(.serialized) struct WorklistTests {
    /// One generated customer and what it lacks.
    struct Person {
        var id: String
        var name: String
        var document: String
        var email: String?
        var phone: String?
        var fullAddress: Bool
        var optOut: [String]
        var hold: String?
        var amountA: Int  // cents, due 2026-11-19: overdue_d3 (11-20 is a holiday) (email, fallback letter) on the 23rd
        var amountB: Int?  // cents, due 2026-11-13: overdue_d10 (SMS) on the 23rd
    }

    /// A valid CPF from nine digits (the two check digits of mod 11).
    static func cpf(_ nine: [Int]) -> String {
        var d = nine
        for n in [10, 11] {
            let sum = d.enumerated().reduce(0) { $0 + $1.element * (n - $1.offset) }
            let r = sum * 10 % 11
            d.append(r == 10 ? 0 : r)
        }
        return d.map(String.init).joined()
    }

    /// `count` customers from a seed: each contact present or not, opt-outs and holds at random.
    static func portfolio(seed: UInt64, count: Int) -> [Person] {
        var rng = SplitMix64(seed: seed)
        func roll(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }
        let hostile = [
            "=HYPERLINK(\"http://x\";\"y\")", "Silva; Filhos \"Ltda\"", "+5511 Comércio", "@Ação Ltda", "-Pêra",
        ]
        return (0..<count).map { i in
            let id = String(format: "W%03d", i)
            let nine = (0..<9).map { _ in Int(rng.next() % 10) }
            var opt: [String] = []
            for ch in ["email", "sms", "letter"] where roll(12) { opt.append(ch) }
            return Person(
                id: id, name: i % 9 == 4 ? hostile[(i / 9) % hostile.count] : "Cliente Gerado \(i) São João",
                document: cpf(nine), email: roll(65) ? "cliente\(i)@example.com" : nil,
                phone: roll(70) ? "+55 11 9\(String(format: "%04d", i))-\(String(format: "%04d", 1000 + i))" : nil,
                fullAddress: roll(60), optOut: opt,
                hold: roll(10) ? (roll(50) ? "litigation" : "judicial_recovery") : nil,
                amountA: 5_000 + Int(rng.next() % 200_000), amountB: roll(50) ? 5_000 + Int(rng.next() % 90_000) : nil)
        }
    }

    static func write(_ people: [Person], to w: Workspace) throws {
        var c = [
            "customer_id,name,document,email,phone,address_street,address_number,address_complement,address_district,address_city,address_state,address_zip,opt_out,hold"
        ]
        var r = ["customer_id,title_id,amount,due_date,status"]
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        for p in people {
            let address =
                p.fullAddress
                ? "Rua das Flores,12,,Centro,São Paulo,SP,01001000" : "Rua das Flores,,,Centro,São Paulo,SP,01001000"
            c.append(
                [
                    p.id, q(p.name), p.document, p.email ?? "", p.phone ?? "", address,
                    q(p.optOut.joined(separator: ";")), p.hold ?? "",
                ]
                .joined(separator: ","))
            r.append("\(p.id),A-\(p.id),\(Money(cents: Int64(p.amountA)).plain),2026-11-19,open")
            if let b = p.amountB { r.append("\(p.id),B-\(p.id),\(Money(cents: Int64(b)).plain),2026-11-13,open") }
        }
        try (c.joined(separator: "\n") + "\n").write(
            toFile: w.root + "/fixtures/customers.csv", atomically: true, encoding: .utf8)
        try (r.joined(separator: "\n") + "\n").write(
            toFile: w.root + "/fixtures/receivables.csv", atomically: true, encoding: .utf8)
    }

    /// What must be fixed on 2026-11-23, from the shipped ladder read by hand: (customer, issue) →
    /// steps, in book order. A hold holds every step due; otherwise overdue_d3 (A is 4 days
    /// overdue) goes by e-mail, else by letter, and overdue_d10 by SMS with no fallback.
    static func expected(_ people: [Person]) -> [String: [String]] {
        var out: [String: [String]] = [:]
        func add(_ p: Person, _ issue: String, _ step: String) {
            let k = p.id + "|" + issue
            if !(out[k] ?? []).contains(step) { out[k, default: []].append(step) }
        }
        for p in people {
            if p.hold != nil {
                out[p.id + "|hold"] = ["overdue_d3"] + (p.amountB == nil ? [] : ["overdue_d10"])
                continue
            }
            if p.optOut.contains("email") || p.email == nil {
                add(p, p.optOut.contains("email") ? "opt_out" : "no_email", "overdue_d3")
                if p.optOut.contains("letter") || !p.fullAddress {
                    add(p, p.optOut.contains("letter") ? "opt_out" : "no_address", "overdue_d3")
                }
            }
            if p.amountB != nil, p.optOut.contains("sms") || p.phone == nil {
                add(p, p.optOut.contains("sms") ? "opt_out" : "no_phone", "overdue_d10")
            }
        }
        return out
    }

    /// The rows of a people CSV as Python's csv module reads them (BOM stripped, `;`).
    static func spreadsheetRows(_ path: String) throws -> [[String]] {
        let script = """
            import csv, json, sys
            with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
                print(json.dumps(list(csv.reader(f, delimiter=';'))))
            """
        let r = try runTool("/usr/bin/python3", ["-c", script, path])
        #expect(r.status == 0, "\(r.out)")
        return try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [[String]]
    }

    @Test func generatedPortfolioListsEveryCustomerToFix() throws {
        let w = try Workspace()
        let people = Self.portfolio(seed: 20261123, count: 90)
        try Self.write(people, to: w)
        let dry = try w.run("2026-11-23", dryRun: true)
        // `regua run --dry-run` prints the counts (compared with the file below).
        var printed: String?
        if CrashTests.haveBinary {
            let o = w.options()
            printed = try runTool(
                CrashTests.binary,
                [
                    "run", "--dry-run", "--as-of", "2026-11-23", "--rules", o.rulesDir, "--customers", o.customers,
                    "--receivables", o.receivables, "--out", o.outDir, "--state", o.statePath,
                ]
            ).out
        }
        let result = try w.run("2026-11-23")
        #expect(result.exitCode == 0, "\(result.rejects)")
        let night = w.night("2026-11-23")
        let bytes = [UInt8](FileManager.default.contents(atPath: night + "/worklist.csv")!)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "a pt-BR spreadsheet needs the BOM")
        let table = try Self.spreadsheetRows(night + "/worklist.csv")
        #expect(table.first == ["customer_id", "name", "issue", "detail", "steps_held", "outstanding"])
        let rows = Array(table.dropFirst())
        #expect(rows.allSatisfy { $0.count == 6 })

        // Every (customer, issue) the ladder says, with its steps and no other.
        let want = Self.expected(people)
        var got: [String: [String]] = [:]
        for r in rows {
            got[r[0] + "|" + r[2]] = r[4].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        #expect(got == want)
        #expect(
            Set(want.keys.map { $0.split(separator: "|")[1] }).isSuperset(of: [
                "no_email", "no_phone", "no_address", "opt_out", "hold",
            ]))

        // Ordered by customer, then issue; amounts as a pt-BR spreadsheet reads them.
        let keys = rows.map { [$0[0], $0[2]] }
        #expect(keys == keys.sorted { $0[0] != $1[0] ? $0[0] < $1[0] : $0[1] < $1[1] })
        let byID = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0) })
        for r in rows {
            let p = byID[r[0]]!
            let cents = p.amountA + (p.amountB ?? 0)
            #expect(r[5] == "\(cents / 100),\(String(format: "%02d", cents % 100))", "\(r)")
            // The name as written, a formula neutralised with a leading quote.
            let formula = ["=", "+", "-", "@"].contains(p.name.first.map(String.init) ?? "")
            #expect(r[1] == (formula ? "'" : "") + p.name)
            #expect(!r[3].isEmpty)
            switch r[2] {
            case "no_email": #expect(r[3].contains("coluna email") && r[3].contains("cadastre o e-mail"))
            case "no_phone": #expect(r[3].contains("coluna phone") && r[3].contains("etapa overdue_d10 ficou retida"))
            case "no_address": #expect(r[3].contains("faltam: address_number"))
            case "opt_out": #expect(r[3].contains("coluna opt_out"))
            case "hold":
                #expect(r[3].contains("hold: \(p.hold!)") && r[3].contains("nada sai além do que encerra uma cobrança"))
            default: Issue.record("unexpected issue \(r[2])")
            }
            if r[2] == "no_email", p.fullAddress, !p.optOut.contains("letter") {
                #expect(r[3].contains("etapa overdue_d3 vai por carta (canal alternativo, fallback)"), "\(r[3])")
            }
        }
        // No CPF is printed whole.
        let text = String(decoding: bytes, as: UTF8.self)
        for p in people { #expect(!text.contains(p.document)) }

        // summary.json, the manifest, the report and the dry run agree with the file.
        let summary =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: night + "/summary.json")))
            as! [String: Any]
        let counts = summary["worklist"] as! [String: Any]
        #expect(counts["rows"] as? Int == rows.count)
        #expect(counts["customers"] as? Int == Set(rows.map { $0[0] }).count)
        var byIssue: [String: Int] = [:]
        for r in rows { byIssue[r[2], default: 0] += 1 }
        let listed = (counts["by_issue"] as! [[String: Any]]).map { ($0["issue"] as! String, $0["rows"] as! Int) }
        #expect(listed.map(\.0) == byIssue.keys.sorted())
        #expect(Dictionary(uniqueKeysWithValues: listed) == byIssue)
        #expect(dry.summary?.worklist == result.summary?.worklist)
        #expect(dry.summary?.worklist?.rows == rows.count)
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: night + "/manifest.json")))
            as! [String: Any]
        let entry = (manifest["files"] as! [[String: Any]]).first { $0["path"] as? String == "worklist.csv" }
        #expect(entry?["size"] as? Int == bytes.count)
        let sha = try runTool("/usr/bin/sha256sum", [night + "/worklist.csv"]).out.prefix(64)
        #expect(entry?["sha256"] as? String == String(sha))
        if let printed {
            #expect(
                printed.contains("worklist: \(rows.count) rows for \(Set(rows.map { $0[0] }).count) customers ("),
                "\(printed)")
        }
        let report = try String(contentsOfFile: night + "/report.html", encoding: .utf8)
        let section = report.components(separatedBy: "<section id=\"pendencias\">")[1].components(
            separatedBy: "</section>")[0]
        #expect(section.contains("\(rows.count) pendências de \(Set(rows.map { $0[0] }).count) clientes"))
        for id in Set(rows.map { $0[0] }) { #expect(section.contains("<code>\(id)</code>")) }
    }

    @Test func aNightWithNothingToFixHasAHeaderOnlyWorklist() throws {
        let w = try Workspace()
        var people = Self.portfolio(seed: 7, count: 12)
        for i in people.indices {
            people[i].email = "ok\(i)@example.com"
            people[i].phone = "+55 11 98888-\(String(format: "%04d", i))"
            people[i].fullAddress = true
            people[i].optOut = []
            people[i].hold = nil
        }
        try Self.write(people, to: w)
        _ = try w.run("2026-11-23")
        let night = w.night("2026-11-23")
        #expect(try Self.spreadsheetRows(night + "/worklist.csv") == [Worklist.header])
        let report = try String(contentsOfFile: night + "/report.html", encoding: .utf8)
        #expect(report.contains("Nenhuma pendência nesta noite."))
        let summary =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: night + "/summary.json")))
            as! [String: Any]
        #expect((summary["worklist"] as? [String: Any])?["rows"] as? Int == 0)
    }

    @Test func aRebuiltNightWritesTheSameWorklist() throws {
        let people = Self.portfolio(seed: 99, count: 40)
        let clean = try Workspace()
        try Self.write(people, to: clean)
        _ = try clean.run("2026-11-23")
        let expected = FileManager.default.contents(atPath: clean.night("2026-11-23") + "/worklist.csv")!
        #expect(try Self.spreadsheetRows(clean.night("2026-11-23") + "/worklist.csv").count > 1)
        // The folder removed and the night run again: written again from the ledger, byte for byte.
        try FileManager.default.removeItem(atPath: clean.night("2026-11-23"))
        _ = try clean.run("2026-11-23")
        #expect(FileManager.default.contents(atPath: clean.night("2026-11-23") + "/worklist.csv") == expected)
    }
}
