import Foundation
import Testing
@testable import Regua

/// The example shipped in rules/ and fixtures/ must be valid: `regua run` with no flags reads it.
@Suite struct ShippedExampleTests {
    /// GSM 03.38 basic character set (an SMS segment of 153 such characters when concatenated).
    private static let gsm7: Set<Character> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    )

    @Test func everyShippedTemplatePassesTheCheck() throws {
        let book = try RenderFixtures.shippedBook()
        #expect(book.templates.count == 13)
        let set = try TemplateSet(book: book)
        for step in RenderFixtures.shippedSteps {
            guard case .message(let channel, let template, let fallback) = step.action else { continue }
            #expect(set.has(template: template, channel: channel), "\(step.id)")
            if let fallback { #expect(set.has(template: template, channel: fallback), "\(step.id)") }
        }
    }

    @Test func everyMessageStepRendersWithSampleData() throws {
        var book = try RenderFixtures.shippedBook()
        // The shipped account (rules/00-empresa.yaml): the samples' boletos are the book's own.
        book.bank = BankAccount(
            code: "001", agency: "1234", account: "56789", accountDigit: "0", agreement: "1234567", wallet: "17")
        let set = try TemplateSet(book: book)
        for step in RenderFixtures.shippedSteps {
            guard case .message(let channel, let template, let fallback) = step.action else { continue }
            for c in [channel] + (fallback.map { [$0] } ?? []) where c != .whatsapp {
                let m = try set.render(
                    template: template, channel: c,
                    context: TemplateSet.sampleContext(book: book, channel: c, step: step))
                #expect(!m.text.contains("{{") && !m.text.contains("}}"), "\(template).\(c)")
                #expect(m.text.contains("Exemplo Comércio Ltda") || m.text.contains("Maria"), "\(template).\(c)")
                switch c {
                case .email:
                    #expect(m.subject?.contains("Exemplo Comércio Ltda") == true)
                    // Each title with its due date, the boleto line and the PIX code.
                    #expect(m.text.contains("NF-2026-0041") && m.text.contains("NF-2026-0042"))
                    // The boleto of the book's own bank (001) for the first title's 1.234,56.
                    let linha = try #require(
                        m.text.split(separator: "\n").first { $0.contains("Linha digitável do boleto:") },
                        "\(template): \(m.text)")
                    let digits = linha.filter(\.isNumber)
                    #expect(
                        digits.count == 47 && digits.hasPrefix("0019") && digits.hasSuffix("0000123456"), "\(linha)")
                    #expect(m.text.contains("br.gov.bcb.pix") && m.text.contains("cobranca@exemplo.com.br"))
                    let html = try #require(m.html, "\(template) has an HTML body")
                    #expect(
                        html.contains("<table") && html.contains("NF-2026-0041")
                            && html.contains("Exemplo Comércio Ltda"))
                case .whatsapp:
                    Issue.record("WhatsApp has no Mustache file")
                case .call:
                    #expect(!m.text.isEmpty)
                case .letter:
                    // The PDF prints city and date above the text; the template must not repeat them.
                    #expect(m.text.hasPrefix("Cliente: Maria"))
                    #expect(!m.text.contains("23 de novembro de 2026."))
                    #expect(m.text.contains("***.456.789-**") && !m.text.contains("123.456.789-09"))
                case .sms:
                    #expect(!m.text.contains("\n"))
                }
            }
        }
    }

    /// SMS stay within `max_segments: 2` of GSM-7 after transliteration, even with a long company
    /// name as the customer's and large amounts.
    @Test(arguments: ["vence_hoje", "atraso_sms"])
    func smsFitTwoGSM7Segments(template: String) throws {
        let book = try RenderFixtures.shippedBook()
        let set = try TemplateSet(book: book)
        let customer = Customer(
            id: CustomerID("C001"), name: "Conceição Materiais de Construção e Acabamentos Ltda",
            document: Document.parse("12.345.678/0001-95")!, phone: "+5511987654321")
        var message = RenderFixtures.message(customer: customer, channel: .sms)
        message.titles[1].title.amount = Money(cents: 9_876_543_21)
        message.titles[1].outstanding = Money(cents: 9_876_543_21)
        let m = try set.render(template: template, channel: .sms, context: RenderFixtures.context(message))
        let folded = m.text.folding(options: .diacriticInsensitive, locale: nil)
        #expect(folded.allSatisfy { Self.gsm7.contains($0) }, "\(folded.filter { !Self.gsm7.contains($0) })")
        #expect(folded.count <= 2 * 153, "\(folded.count) characters: \(folded)")
        #expect(m.text.contains("R$ 9.876."))
    }

    @Test func companyDocumentInTheRuleBookIsValid() throws {
        let yaml = try String(
            contentsOf: RenderFixtures.repoRoot.appendingPathComponent("rules/00-empresa.yaml"), encoding: .utf8)
        let line = try #require(yaml.split(separator: "\n").first { $0.hasPrefix("  document:") })
        let value = line.dropFirst("  document:".count).split(separator: "#")[0].trimmingCharacters(in: .whitespaces)
        #expect(Document.parse(value)?.formatted == "12.345.678/0001-95")
    }

    /// Every customer document in the fixtures has valid check digits, except the documented bad row.
    @Test func fixtureDocumentsHaveValidCheckDigits() throws {
        let text = try String(
            contentsOf: RenderFixtures.repoRoot.appendingPathComponent("fixtures/customers.csv"), encoding: .utf8)
        let rows = RenderFixtures.csvRows(text)
        let header = try #require(rows.first)
        let id = try #require(header.firstIndex(of: "customer_id")),
            doc = try #require(header.firstIndex(of: "document"))
        var invalid: [String] = []
        var kinds: Set<String> = []
        for row in rows.dropFirst() {
            #expect(row.count == header.count, "\(row)")
            if let d = Document.parse(row[doc]) {
                kinds.insert(d.kind.rawValue + (d.value.allSatisfy(\.isNumber) ? "" : "-alnum"))
            } else {
                invalid.append(row[id])
            }
        }
        #expect(invalid == ["C036"])
        #expect(kinds == ["cpf", "cnpj", "cnpj-alnum"])
        #expect(rows.count >= 41)
    }

    @Test func fixtureReceivablesAreAPortfolio() throws {
        let text = try String(
            contentsOf: RenderFixtures.repoRoot.appendingPathComponent("fixtures/receivables.csv"), encoding: .utf8)
        let rows = RenderFixtures.csvRows(text)
        let header = try #require(rows.first)
        #expect(header.first == "customer_id", "columns in a non-standard order")
        #expect(rows.count > 300)
        #expect(rows.contains { $0.contains("12,50") })
    }
}
