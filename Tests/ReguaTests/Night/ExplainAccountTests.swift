import Foundation
import Testing
@testable import Regua

/// `regua explain` as an account for the finance analyst, in Brazilian Portuguese.
@Suite struct ExplainAccountTests {
    static let isoDate = #"\d{4}-\d{2}-\d{2}"#

    /// customers.csv's cells by customer id and column, read here without Regua's reader.
    static func customerCells(_ w: Workspace) throws -> [String: [String: String]] {
        let rows = RenderFixtures.csvRows(
            try String(contentsOfFile: w.root + "/fixtures/customers.csv", encoding: .utf8))
        let header = rows[0]
        var out: [String: [String: String]] = [:]
        for row in rows.dropFirst() where row.count == header.count {
            out[row[0]] = out[row[0]] ?? Dictionary(uniqueKeysWithValues: zip(header, row))
        }
        return out
    }

    @Test func aRejectedCustomerIsSaidRejectedWithReasonAndLine() throws {
        let w = try Workspace()
        let o = w.options()
        let inputs = try InputReader.read(customers: o.customers, receivables: o.receivables)
        // Every customer whose only row was refused: C036 (bad CPF) in the shipped fixtures.
        let accepted = Set(inputs.customers.map(\.id.raw))
        // The fixtures end lines with CR LF, one Character in Swift: split on any line end.
        let lines = try String(contentsOfFile: o.customers, encoding: .utf8)
            .split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let refused = inputs.rejects.filter { $0.file == "customers.csv" }.compactMap { r -> (String, Reject)? in
            let id = String(lines[r.line - 1].split(separator: ",")[0])
            return accepted.contains(id) ? nil : (id, r)
        }
        #expect(!refused.isEmpty)
        for (id, reject) in refused {
            do {
                _ = try Simulation.explain(options: o, customerID: id, asOf: Day(iso: "2026-11-23"))
                Issue.record("\(id) was explained")
            } catch let e as ReguaError {
                #expect(e.code == .refused)
                #expect(e.message.contains("'\(id)' não entra nesta noite"), "\(e.message)")
                #expect(e.message.contains("a linha \(reject.line) de customers.csv foi rejeitada"), "\(e.message)")
                #expect(e.message.contains("(coluna \(reject.column))"), "\(e.message)")
                #expect(e.message.contains(reject.reason), "\(e.message)")
                #expect(!e.message.contains("not in"), "\(e.message)")
            }
        }
        // A customer that is nowhere in the file is said so.
        do {
            _ = try Simulation.explain(options: o, customerID: "NINGUEM", asOf: nil)
            Issue.record("NINGUEM was explained")
        } catch let e as ReguaError {
            #expect(e.message == "o cliente 'NINGUEM' não está em customers.csv")
        }
    }

    @Test func theAccountNamesFailedConditionsAndMissingContacts() throws {
        let w = try Workspace()
        let cells = try Self.customerCells(w)
        let book = try RuleBookLoader.load(directory: w.root + "/rules")
        let e = try Simulation.explain(options: w.options(), customerID: "C006", asOf: Day(iso: "2026-11-23"))
        let text = e.account.joined(separator: "\n")
        #expect(
            e.account.first?.hasPrefix(
                "Cliente C006 — \(cells["C006"]!["name"]!), noite de 23/11/2026: perfil standard") == true)
        // Each profile that did not match names the condition that failed, with the customer's value.
        let score = cells["C006"]!["score"]!
        #expect(text.contains("perfil good_payer: não vale — falhou score >= 700 (o cliente: \(score))"), "\(text)")
        #expect(
            text.contains(
                "perfil key_account: não vale — falhou segment: B2B (o cliente: \(cells["C006"]!["segment"]!))"))
        #expect(e.profileChecks.map(\.profile) == book.profiles.map(\.id))
        #expect(e.profileChecks.last?.matched == true && e.profileChecks.dropLast().allSatisfy { !$0.matched })
        // The opted-out e-mail goes by letter, and the account says why.
        #expect(text.contains("overdue_d3: devido: sai por carta"), "\(text)")
        #expect(text.contains("(canal alternativo, fallback: o cliente recusou e-mail (coluna opt_out))"), "\(text)")
        // Paid titles have no days overdue; no English, no ISO date, no negative day count.
        for line in e.account where line.contains("(pago)") {
            #expect(line.hasSuffix("pago; não é cobrado") && !line.contains("dia"), "\(line)")
        }
        #expect(text.range(of: Self.isoDate, options: .regularExpression) == nil, "\(text)")
        for english in ["days overdue", "does not match", "matches", "not yet", "window", "profile "] {
            #expect(!text.contains(english), "\(english)")
        }
        #expect(!text.contains("-1 dia") && !text.contains("há -"))

        // no_contact names what is missing, column by column.
        let c008 = try Simulation.explain(options: w.options(), customerID: "C008", asOf: Day(iso: "2026-11-23"))
        let held = try #require(c008.account.first { $0.contains("retido: no_contact") }, "\(c008.account)")
        #expect(cells["C008"]!["email"]!.isEmpty && held.contains("o cliente não tem e-mail utilizável (coluna email)"))
        for column in ["address_number", "address_zip"] where cells["C008"]![column]!.isEmpty {
            #expect(held.contains(column), "\(held)")
        }
    }

    @Test func daysAreWordsAroundTheDueDate() throws {
        let w = try Workspace()
        let e0 = try Simulation.explain(options: w.options(), customerID: "C006", asOf: Day(iso: "2026-11-23"))
        let open = try #require(e0.titles.first { $0.status == .open && $0.dueDate == $0.effectiveDueDate })
        let due = open.effectiveDueDate
        let cases: [(Int, String)] = [
            (-3, "vence em 3 dias"), (-1, "vence amanhã"), (0, "vence hoje"), (1, "venceu ontem"),
            (4, "vencido há 4 dias"),
        ]
        for (days, words) in cases {
            let e = try Simulation.explain(options: w.options(), customerID: "C006", asOf: due.adding(days: days))
            let line = try #require(e.account.first { $0.contains("título \(open.titleID.raw) ") })
            #expect(line.contains("vencimento \(due.br), \(words)"), "\(days): \(line)")
        }
    }
}
