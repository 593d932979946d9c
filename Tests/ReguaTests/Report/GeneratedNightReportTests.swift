import Foundation
import Testing

@testable import Regua

/// A real `regua run` over `regua generate`'s files: the summary's counts are the files the
/// night wrote (one .eml per e-mail, one row of sms.csv per SMS, of letters.csv per letter, of
/// rejects.csv per bad row the generator made), the report's step table is the summary's, the
/// portfolio is the receivables summed here, and no customer's whole CPF or CNPJ is printed.
@Suite(.serialized, .enabled(if: GeneratedFiles.haveBinary && ExternalTool.python3 != nil))
struct GeneratedNightReportTests {
    typealias G = GeneratedFiles

    @Test func theReportAndSummaryAgreeWithTheFilesOfTheNight() throws {
        let root = try G.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let made = try G.regua([
            "generate", "--customers", "1500", "--titles", "5000", "--seed", "61", "--as-of", "2026-11-24",
            "--mix", "realistic", "--out", root + "/data",
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let run = try G.regua([
            "run", "--as-of", "2026-11-24", "--rules", Workspace.repoRoot + "/rules", "--customers",
            root + "/data/customers.csv", "--receivables", root + "/data/receivables.csv", "--out", root + "/out",
            "--state", root + "/var/regua.sqlite", "--log-level", "error",
        ])
        #expect(run.status == 1, "\(run.stderr)")
        let night = root + "/out/2026-11-24"
        let summary = try JSONDecoder.snake.decode(
            Summary.self, from: Data(contentsOf: URL(fileURLWithPath: night + "/summary.json")))
        func rows(_ file: String) throws -> Int {
            guard FileManager.default.fileExists(atPath: night + "/" + file) else { return 0 }
            return G.records(try G.bytes(night + "/" + file)).count - 1
        }
        let emails = (try? FileManager.default.contentsOfDirectory(atPath: night + "/email"))?.filter {
            $0.hasSuffix(".eml")
        }
        #expect(summary.messages.email == emails?.count ?? 0)
        let (sms, letters, calls, rejected) = (
            try rows("sms.csv"), try rows("letters.csv"), try rows("calls.csv"), try rows("rejects.csv")
        )
        #expect(summary.messages.sms == sms)
        #expect(summary.messages.letter == letters)
        #expect(summary.messages.call == calls)
        #expect(
            summary.messages.total == summary.messages.email + summary.messages.sms + summary.messages.letter
                + summary.messages.call)
        #expect(summary.messages.total > 50)

        // Rejects: exactly the generator's bad rows, in rejects.csv and in the summary.
        let customers = G.table(try G.bytes(root + "/data/customers.csv")).rows
        let titles = G.table(try G.bytes(root + "/data/receivables.csv")).rows
        let good = GeneratedPortfolioTests.goodCustomers(customers)
        let goodTitles = titles.filter { GeneratedPortfolioTests.fault($0.cell, goodCustomers: good).isEmpty }
        let bad = customers.count - good.count + titles.count - goodTitles.count
        #expect(summary.inputs.rejectedRows == bad && rejected == bad)

        // The portfolio: what is owed on titles neither paid nor cancelled, summed here.
        var receivable: Int64 = 0
        var receivableTitles = 0
        for t in goodTitles where !["paid", "cancelled"].contains(t.cell["status"]!) {
            let amount = Money(decimal: t.cell["amount"]!)!.cents
            let paid = t.cell["paid_amount"]!.isEmpty ? 0 : Money(decimal: t.cell["paid_amount"]!)!.cents
            if amount > paid {
                receivable += amount - paid
                receivableTitles += 1
            }
        }
        #expect(summary.portfolio.receivable == Money(cents: receivable).plain)
        #expect(summary.portfolio.receivableTitles == receivableTitles)
        #expect(summary.aging.reduce(0) { $0 + $1.titles } == receivableTitles)
        #expect(summary.aging.reduce(Int64(0)) { $0 + Money(decimal: $1.outstanding)!.cents } == receivable)

        // The report's step table is the summary's, and the page is well-formed.
        let html = try String(contentsOfFile: night + "/report.html", encoding: .utf8)
        let page = try SmallNightReportTests.read(html)
        #expect(page.errors.isEmpty, "\(page.errors.prefix(5))")
        let table = try #require(page.rows["funil"])
        for step in summary.steps {
            let row = try #require(table.first { $0.first == step.step }, "\(step.step)")
            let expected =
                [step.titlesSent] + ["email", "sms", "letter"].map { step.byChannel[$0] ?? 0 }
                + [step.messagesSpoken, step.held, step.superseded]
            #expect(Array(row[3...9]) == expected.map(ReportHTML.count), "\(row)")
            #expect(row[10] == Money(decimal: step.outstanding)!.br)
        }
        #expect(page.text["funil"]?.contains("Mensagens " + ReportHTML.count(summary.messages.total)) == true)

        // No whole document of any customer, accepted or refused.
        let documents = Set(customers.map { G.bare($0.cell["document"]!).uppercased() })
        for file in ["report.html", "summary.json", "worklist.csv", "rejects.csv"] {
            let text = try String(contentsOfFile: night + "/" + file, encoding: .utf8)
            var found: [String] = []
            for run in text.split(whereSeparator: {
                !($0.isASCII && ($0.isLetter || $0.isNumber || ".-/".contains($0)))
            }) {
                let bare = Array(G.bare(String(run)).uppercased())
                for n in [11, 14] where bare.count >= n {
                    for i in 0...(bare.count - n) where documents.contains(String(bare[i..<(i + n)])) {
                        found.append(String(bare[i..<(i + n)]))
                    }
                }
            }
            #expect(found.isEmpty, "\(file) prints \(found.prefix(5))")
        }
    }
}

extension JSONDecoder {
    /// `summary.json`'s snake_case keys.
    fileprivate static var snake: JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }
}
