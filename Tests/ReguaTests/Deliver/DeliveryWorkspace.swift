import Foundation
import Testing

@testable import Regua

/// A workspace with the shipped rule book and a small portfolio written for delivery: on
/// 2026-11-25 each customer gets a reminder e-mail (title A, due 11-30) and a due-today SMS
/// (title B, due 11-23); on 11-26 title B's `overdue_d3` e-mail is due, with a letter as fallback.
enum DeliveryFixtures {
    /// (customer_id, e-mail, has a complete address).
    static let customers: [(id: String, email: String, address: Bool)] = [
        ("H1", "hard.one@bounce-a.test", true),
        ("H2", "hard.two@bounce-b.test", true),
        ("H3", "hard.three@bounce-c.test", false),
        ("K1", "ok.one@example.com", true),
        ("S1", "soft.one@soft.test", true),
    ]
    static let documents = ["352.833.299-92", "352.849.137-01", "352.857.056-30", "352.872.894-99", "352.880.813-60"]

    static func customersCSV(email override: [String: String] = [:]) -> String {
        var lines = [
            "customer_id,name,document,email,phone,address_street,address_number,address_complement,address_district,address_city,address_state,address_zip"
        ]
        for (i, c) in customers.enumerated() {
            let address = c.address ? "Rua das Flores,\(10 + i),,Centro,São Paulo,SP,01001000" : ",,,,,,"
            lines.append(
                "\(c.id),Cliente \(c.id),\(documents[i]),\(override[c.id] ?? c.email),+55 11 98765-000\(i),\(address)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func receivablesCSV() -> String {
        var lines = ["customer_id,title_id,amount,due_date,status"]
        for c in customers {
            lines.append("\(c.id),A-\(c.id),500.00,2026-11-30,open")
            lines.append("\(c.id),B-\(c.id),300.00,2026-11-23,open")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A workspace with this portfolio (`email` overrides some customers' e-mail).
    static func workspace(email: [String: String] = [:]) throws -> Workspace {
        let w = try Workspace()
        try customersCSV(email: email).write(
            toFile: w.root + "/fixtures/customers.csv", atomically: true, encoding: .utf8)
        try receivablesCSV().write(toFile: w.root + "/fixtures/receivables.csv", atomically: true, encoding: .utf8)
        return w
    }

    /// The portfolio with K1's e-mail removed, run on 2026-11-25 and 11-26, so that K1's
    /// overdue_d3 step went by letter (the fallback) on 11-26; with that letter's message id.
    static func letterWorkspace() throws -> (w: Workspace, letterID: String) {
        let w = try workspace(email: ["K1": ""])
        #expect(try w.run("2026-11-25").exitCode == 0)
        #expect(try w.run("2026-11-26").exitCode == 0)
        let letters = CSVRows.records(
            try String(contentsOfFile: w.night("2026-11-26") + "/letters.csv", encoding: .utf8))
        let k1 = try #require(letters.first { $0["customer_id"] == "K1" }, "K1's letter: \(letters)")
        return (w, try #require(k1["message_id"]))
    }
}

extension Workspace {
    /// The night folder of a date.
    func night(_ iso: String) -> String { root + "/out/" + iso }

    /// Message id → customer of a night's e-mails (from their X-Regua-Customer header).
    func emails(_ iso: String) -> [String: String] {
        let dir = night(iso) + "/email"
        var out: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasSuffix(".eml") {
            let bytes = [UInt8](FileManager.default.contents(atPath: dir + "/" + name)!)
            out[String(name.dropLast(4))] = MailHeaders.parse(bytes).first("X-Regua-Customer")
        }
        return out
    }

    /// Delivery options for this workspace's ledger and out/.
    func deliveryOptions(
        _ iso: String? = nil, resendUncertain: Bool = false, dryRun: Bool = false, only: Set<String>? = nil
    )
        -> DeliveryOptions
    {
        DeliveryOptions(
            asOf: iso.flatMap { Day(iso: $0) }, only: only, resendUncertain: resendUncertain, dryRun: dryRun,
            outDir: root + "/out", statePath: root + "/var/regua.sqlite")
    }

    /// Feedback options for this workspace.
    func feedbackOptions(dsn: [String] = [], smsDLR: [String] = [], returned: [String] = [], whatsapp: [String] = [])
        -> FeedbackOptions
    {
        FeedbackOptions(
            dsn: dsn, smsDLR: smsDLR, returnedLetters: returned, whatsappStatus: whatsapp, outDir: root + "/out",
            statePath: root + "/var/regua.sqlite", today: Day(iso: "2026-11-25"))
    }
}
