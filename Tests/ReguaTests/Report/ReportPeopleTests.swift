import Foundation
import Testing
@testable import Regua

/// The report's reject and hold sections name the customers and what to fix.
@Suite struct ReportPeopleTests {
    /// The text of the table rows of a section of the report, tags dropped.
    static func rows(_ html: String, section id: String) -> [String] {
        guard let start = html.range(of: "<section id=\"\(id)\">") else { return [] }
        let body = html[start.upperBound...].prefix { _ in true }
        let section = body[..<(body.range(of: "</section>")?.lowerBound ?? body.endIndex)]
        return section.components(separatedBy: "<tr>").dropFirst(2).map { row in
            row.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
                .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&amp;", with: "&")
                .split(separator: " ").joined(separator: " ")
        }
    }

    @Test func aNightsReportNamesRejectedAndHeldCustomers() throws {
        let w = try Workspace()
        let r = try w.run()
        let html = try String(contentsOfFile: r.folder! + "/report.html", encoding: .utf8)
        let rejects = try String(contentsOfFile: r.folder! + "/rejects.csv", encoding: .utf8)
        let customers = RenderFixtures.csvRows(
            try String(contentsOfFile: w.root + "/fixtures/customers.csv", encoding: .utf8))
        let receivables = RenderFixtures.csvRows(
            try String(contentsOfFile: w.root + "/fixtures/receivables.csv", encoding: .utf8))
        let nameOf = Dictionary(customers.dropFirst().map { ($0[0], $0[1]) }, uniquingKeysWith: { a, _ in a })

        // Each rejected row of rejects.csv is a row of the report with its customer and name.
        let shown = Self.rows(html, section: "rejeitadas")
        let rejectRows = rejects.split(whereSeparator: \.isNewline).dropFirst()
        #expect(shown.count == rejectRows.count, "\(shown)")
        for (row, csv) in zip(shown, rejectRows) {
            let cells = csv.split(separator: ";", maxSplits: 3).map(String.init)  // pt-BR spreadsheet CSV
            let (file, line) = (cells[0], Int(cells[1])!)
            let source = file == "customers.csv" ? customers : receivables
            let header = source[0]
            // The row of the input file that starts on that line (the files have no multi-line cells).
            let cellsOfLine = source[line - 1]
            let customerID = cellsOfLine[header.firstIndex(of: "customer_id")!]
            #expect(row.hasPrefix("\(file) \(line) \(customerID) "), "\(row)")
            if file == "customers.csv" {
                #expect(row.contains(cellsOfLine[1]), "the rejected row's own name: \(row)")
            } else if let name = nameOf[customerID] {
                #expect(row.contains(name), "\(row)")
                #expect(row.contains(cellsOfLine[header.firstIndex(of: "title_id")!]), "\(row)")
            }
        }

        // Every held customer of the summary's reasons is named, with what to fix.
        let held = Self.rows(html, section: "clientes-retidos")
        let summaryHeld = r.summary!.heldBack.reduce(0) { $0 + $1.titles }
        #expect(!held.isEmpty && held.count <= summaryHeld)
        for row in held {
            let id = String(row.split(separator: " ")[0])
            let name = try #require(nameOf[id], "\(row)")
            #expect(row.contains(name), "\(row)")
        }
        // What the finance team can fix comes first: missing contacts before a total below min_amount.
        let lastFixable = try #require(held.lastIndex { $0.contains("Sem contato para o canal") })
        let firstWaiting = try #require(held.firstIndex { $0.contains("Abaixo do valor mínimo") })
        #expect(lastFixable < firstWaiting)
        let noContact = held.filter { $0.contains("Sem contato para o canal") }
        #expect(!noContact.isEmpty)
        for row in noContact {
            #expect(row.contains("cadastre o contato em customers.csv: o "), "\(row)")
            #expect(row.contains("(coluna ") || row.contains("(faltam: address_"), "names the column: \(row)")
        }
    }

    @Test func theSectionsAreBounded() {
        let many = (0..<250).map { i in
            ReportPeople.HeldCustomer(
                customerID: "C\(i)", name: "Cliente \(i)", reason: HoldReason.noContact.rawValue, steps: ["overdue_d3"],
                titleIDs: ["T\(i)"], whatToFix: "cadastre o contato")
        }
        let people = ReportPeople(
            rejects: [], rejectsTotal: 0, held: Array(many.prefix(ReportPeople.limit)), heldTotal: many.count)
        let html = ReportHTML.heldCustomersSection(people)
        #expect(html.components(separatedBy: "<tr><td><code>").count - 1 == ReportPeople.limit)
        #expect(html.contains("e mais 50 clientes retidos"))
        #expect(!html.contains("C200<"))
    }
}
