import Foundation
import Testing

@testable import Regua

/// A night with a WhatsApp step writes `whatsapp.jsonl` exactly as SPEC §4 gives it, read back
/// with Python's json module.
@Suite struct WhatsAppNightTests {
    /// (customer_id, name, phone, whatsapp_opt_in, opt_out); every one owes one title of
    /// R$ 1.000,00 due 2026-11-13, 10 days overdue on Monday 2026-11-23.
    static let customers: [(String, String, String, String, String)] = [
        ("W1", "Maria Aparecida Souza", "(11) 98765-4321", "2026-01-10", ""),
        ("W2", "João Pereira", "+55 21 99876-5432", "2026-12-01", ""),  // agreed after the night
        ("W3", "Ana Lima", "11 97654-3210", "10/01/2026", ""),  // malformed: none
        ("W4", "Carlos Dias", "", "2026-01-10", ""),  // no phone
        ("W5", "Rita Alves", "+5511912340000", "2026-01-10", "whatsapp"),
        ("W6", "Pedro Santos", "+55 (31) 98888-7777", " 2026-11-23 ", ""),  // on the night, with spaces
    ]
    static let documents = [
        "352.833.299-92", "352.849.137-01", "352.857.056-30", "352.872.894-99", "352.880.813-60", "529.982.247-25",
    ]

    static let step = """
          - id: overdue_d10
            offset: 10
            channel: whatsapp
            whatsapp_template: cobranca_atraso
            parameters: [customer.first_name, totals.updated_amount_br, payment_url, totals.count, customer.name]
            template: atraso_sms
            fallback: sms
            except_profiles: [key_account]

        """

    /// A workspace whose ladder speaks on WhatsApp at 10 days, with this portfolio.
    static func workspace(optInColumn: Bool = true) throws -> Workspace {
        let w = try Workspace()
        let ladder = w.root + "/rules/10-regua.yaml"
        let text = try String(contentsOfFile: ladder, encoding: .utf8)
        let sms =
            "  - id: overdue_d10\n    offset: 10\n    channel: sms\n    template: atraso_sms\n    except_profiles: [key_account]\n"
        #expect(text.contains(sms))
        try text.replacingOccurrences(of: sms, with: step).write(toFile: ladder, atomically: true, encoding: .utf8)
        var lines = [
            "customer_id,name,document,email,phone,address_street,address_number,address_city,address_state,address_zip,opt_out"
                + (optInColumn ? ",whatsapp_opt_in" : "")
        ]
        for (i, c) in customers.enumerated() {
            lines.append(
                "\(c.0),\(c.1),\(documents[i]),,\"\(c.2)\",Rua A,\(i + 1),São Paulo,SP,01001000,\(c.4)"
                    + (optInColumn ? ",\(c.3)" : ""))
        }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: w.root + "/fixtures/customers.csv", atomically: true, encoding: .utf8)
        var r = ["customer_id,title_id,amount,due_date"]
        for c in customers { r.append("\(c.0),T-\(c.0),1000.00,2026-11-13") }
        try (r.joined(separator: "\n") + "\n").write(
            toFile: w.root + "/fixtures/receivables.csv", atomically: true, encoding: .utf8)
        return w
    }

    /// Every line of a JSON-lines file, parsed by Python's json module (one object per line).
    static func pythonJSONLines(_ path: String) throws -> [[String: Any]] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", "-c",
            "import json,sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1], encoding='utf-8').read().split('\\n') if l]))",
            path,
        ]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    @Test func whatsappJSONLHoldsOneTemplateMessagePerCustomerWithOptIn() throws {
        let w = try Self.workspace()
        let r = try w.run("2026-11-23")
        let folder = try #require(r.folder)
        let lines = try Self.pythonJSONLines(folder + "/whatsapp.jsonl")
        #expect(lines.map { $0["customer_id"] as? String } == ["W1", "W6"])
        #expect(r.summary?.messages.whatsapp == 2)
        // W2 (opt-in after the night), W3 (malformed opt-in) and W5 (refused WhatsApp) take the
        // fallback SMS; W4 has no phone for either.
        let sms = try EscalationNightTests.pythonCSV(folder + "/sms.csv")
        #expect(sms.map { $0["customer_id"]! }.sorted() == ["W2", "W3", "W5"])
        let manifest = try String(contentsOfFile: folder + "/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"whatsapp.jsonl\""))

        // Each line: 10 days of 1% a month on R$ 1.000,00 = 3,33, plus the 2% late fee.
        let updated = Money(cents: 1_000_00 + 20_00 + 3_33).br
        let expected = [
            ("W1", "Maria", "Maria Aparecida Souza", "+5511987654321"),
            ("W6", "Pedro", "Pedro Santos", "+5531988887777"),
        ]
        for (line, (customer, first, name, phone)) in zip(lines, expected) {
            #expect(
                Set(line.keys)
                    == ["message_id", "customer_id", "step", "title_ids", "to", "biz_opaque_callback_data", "template"])
            let id = try #require(line["message_id"] as? String)
            #expect(id.hasPrefix("R20261123-"))
            #expect(line["biz_opaque_callback_data"] as? String == id)
            #expect(line["step"] as? String == "overdue_d10")
            #expect(line["title_ids"] as? [String] == ["T-\(customer)"])
            #expect(line["to"] as? String == phone)
            let template = try #require(line["template"] as? [String: Any])
            #expect(Set(template.keys) == ["name", "language", "components"])
            #expect(template["name"] as? String == "cobranca_atraso")
            #expect(template["language"] as? [String: String] == ["code": "pt_BR", "policy": "deterministic"])
            let components = try #require(template["components"] as? [[String: Any]])
            #expect(components.count == 1 && components[0]["type"] as? String == "body")
            let parameters = try #require(components[0]["parameters"] as? [[String: String]])
            #expect(parameters.allSatisfy { $0["type"] == "text" && $0.count == 2 })
            #expect(
                parameters.map { $0["text"]! } == [
                    first, updated, "https://pagar.exemplo.com.br/c/\(id)", "1", name,
                ])
        }
        // The ledger records the WhatsApp messages as sent on the channel, like any other.
        let sent = try w.ledger().sentMessage(id: lines[0]["message_id"] as! String)
        #expect(sent?.customerID.raw == "W1")
        // The report names the channel.
        let report = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        #expect(report.contains("WhatsApp"))
    }

    @Test func withoutTheOptInColumnNobodyGetsWhatsAppAndNoFileIsWritten() throws {
        let w = try Self.workspace(optInColumn: false)
        let r = try w.run("2026-11-23")
        let folder = try #require(r.folder)
        #expect(!FileManager.default.fileExists(atPath: folder + "/whatsapp.jsonl"))
        #expect(r.summary?.messages.whatsapp == nil)
        let summary = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json")))
        let messages = try #require((summary as? [String: Any])?["messages"] as? [String: Any])
        #expect(messages["whatsapp"] == nil && messages["call"] as? Int == 0)
        #expect(try EscalationNightTests.pythonCSV(folder + "/sms.csv").count == 5)
    }

    @Test func aHostileCellStaysOneParameterOnOneLine() throws {
        let w = try Self.workspace()
        let path = w.root + "/fixtures/customers.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
            of: "Maria Aparecida Souza", with: "\"Maria\tAparecida\r\n     {{company.name}}\"\"}\"")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try w.run("2026-11-23")
        let raw = try String(contentsOfFile: r.folder! + "/whatsapp.jsonl", encoding: .utf8)
        #expect(raw.split(separator: "\n").count == 2)
        let lines = try Self.pythonJSONLines(r.folder! + "/whatsapp.jsonl")
        let w1 = try #require(lines.first { $0["customer_id"] as? String == "W1" })
        let p =
            ((w1["template"] as? [String: Any])?["components"] as? [[String: Any]])?.first?["parameters"]
            as? [[String: String]]
        let name = try #require(p?.last?["text"])
        // WhatsApp refuses line breaks, tabs and runs of spaces in a parameter.
        #expect(name == "Maria Aparecida {{company.name}}\"}")  // a value is never a template
    }
}
