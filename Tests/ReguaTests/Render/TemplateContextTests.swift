import Testing
@testable import Regua

@Suite struct TemplateContextTests {
    private func group(_ c: [String: Any], _ key: String) -> [String: Any] { c[key] as? [String: Any] ?? [:] }

    @Test func valuesArePreformattedForBrazil() {
        let c = RenderFixtures.context()
        #expect(c["as_of"] as? String == "2026-11-23")
        #expect(c["as_of_br"] as? String == "23/11/2026")
        #expect(c["as_of_long"] as? String == "23 de novembro de 2026")
        let customer = group(c, "customer")
        #expect(customer["name"] as? String == "Maria da Conceição Souza")
        #expect(customer["first_name"] as? String == "Maria")
        #expect(customer["document_masked"] as? String == "***.456.789-**")
        #expect(customer["phone"] as? String == "(11) 98765-4321")
        #expect(customer["zip"] as? String == "01304-001")
        #expect(
            customer["address_lines"] as? [String] == [
                "Rua Augusta, 1500 - Apto 12", "Consolação", "São Paulo - SP", "CEP 01304-001",
            ])
        #expect(group(c, "company")["document"] as? String == "12.345.678/0001-95")
        #expect(group(c, "step")["channel"] as? String == "email")
        #expect(group(c, "step")["offset"] as? Int == 3)
        #expect(group(c, "policy")["late_fee_percent_br"] as? String == "2%")
    }

    @Test func titlesCarryDatesAmountsAndPaymentData() throws {
        let titles = try #require(RenderFixtures.context()["titles"] as? [[String: Any]])
        #expect(titles.count == 2)
        let holiday = titles[0]
        #expect(holiday["due_date"] as? String == "2026-11-20")
        #expect(holiday["due_date_br"] as? String == "20/11/2026")
        #expect(holiday["effective_due_date_br"] as? String == "23/11/2026")
        #expect(holiday["due_date_moved"] as? Bool == true)
        #expect(holiday["is_due_today"] as? Bool == true)
        #expect(holiday["is_overdue"] as? Bool == false)
        #expect(holiday["situation_br"] as? String == "vence hoje")
        #expect(holiday["has_boleto"] as? Bool == false)
        #expect(holiday["linha_digitavel"] == nil)
        #expect(holiday["installment"] as? String == "4/10")

        let late = titles[1]
        #expect(late["amount_br"] as? String == "R$ 1.500,00")
        #expect(late["outstanding_br"] as? String == "R$ 1.234,56")
        #expect(late["outstanding"] as? String == "1234.56")
        #expect(late["has_partial_payment"] as? Bool == true)
        #expect(late["late_fee_br"] as? String == "R$ 24,69")
        #expect(late["interest_br"] as? String == "R$ 1,23")
        #expect(late["updated_amount_br"] as? String == "R$ 1.260,48")
        #expect(late["days_overdue"] as? Int == 3)
        #expect(late["days_overdue_abs"] as? Int == 3)
        #expect(late["is_overdue"] as? Bool == true)
        #expect(late["situation_br"] as? String == "vencido há 3 dias")
        #expect(late["nosso_numero"] as? String == "0000000042")
        // Banco do Brasil worked example (domain/BANKING.md), grouped as printed on a boleto.
        #expect(late["linha_digitavel"] as? String == "00190.00009 01238.798779 77700.168188 2 37690000013500")
        #expect(late["has_boleto"] as? Bool == true)
    }

    @Test func totalsSumTheMessage() {
        let c = RenderFixtures.context()
        let totals = group(c, "totals")
        #expect(totals["count"] as? Int == 2)
        #expect(totals["has_many"] as? Bool == true)
        #expect(totals["amount_br"] as? String == "R$ 1.829,90")
        #expect(totals["outstanding_br"] as? String == "R$ 1.564,46")
        #expect(totals["late_fee_br"] as? String == "R$ 24,69")
        #expect(totals["interest_br"] as? String == "R$ 1,23")
        #expect(totals["updated_amount_br"] as? String == "R$ 1.590,38")
        #expect(c["has_pix"] as? Bool == true)
        #expect(group(c, "pix")["txid"] as? String == "FAT20250001")
        #expect(RenderFixtures.context(RenderFixtures.message(pix: false))["has_pix"] as? Bool == false)
    }

    /// The schema the template check uses and the context the renderer builds must never drift apart.
    @Test func contextHasExactlyTheSchemaNames() {
        func flatten(_ d: [String: Any], _ prefix: String = "") -> Set<String> {
            var out: Set<String> = []
            for (k, v) in d {
                let name = prefix.isEmpty ? k : prefix + "." + k
                if let sub = v as? [String: Any] { out.formUnion(flatten(sub, name)) } else { out.insert(name) }
            }
            return out
        }
        // The offer's names exist only on a message with an offer.
        let c = RenderFixtures.context(RenderFixtures.offerMessage())
        #expect(flatten(c) == Set(TemplateContext.variables))
        let plans = (c["offer"] as? [String: Any])?["installments"] as? [[String: Any]] ?? []
        #expect(!plans.isEmpty && plans.allSatisfy { Set($0.keys) == Set(TemplateContext.installmentEntries.map(\.0)) })
        let titles = c["titles"] as? [[String: Any]] ?? []
        // The first title has an installment, the second a boleto: together they hold every name.
        #expect(flatten(titles[0]).union(flatten(titles[1])) == Set(TemplateContext.titleVariables))
    }

    @Test(arguments: [
        ("2026-12-01", "1º de dezembro de 2026"),
        ("2026-03-15", "15 de março de 2026"),
        ("2027-01-31", "31 de janeiro de 2027"),
    ])
    func longDates(iso: String, expected: String) {
        #expect(BrazilianFormat.longDate(Day(iso: iso)!) == expected)
    }

    @Test func documentsAreNeverShownWhole() {
        #expect(BrazilianFormat.maskedDocument(Document.parse("12.345.678/0001-95")!) == "**.345.678/0001-**")
        #expect(BrazilianFormat.maskedDocument(Document.parse("12.ABC.345/01DE-35")!) == "**.ABC.345/01DE-**")
        let company = Customer(
            id: CustomerID("C1"), name: "Souza & Irmãos Comércio Ltda", document: Document.parse("12.345.678/0001-95")!)
        let c = TemplateContext.make(
            message: RenderFixtures.message(customer: company), company: RenderFixtures.company,
            asOf: RenderFixtures.asOf, policy: RenderFixtures.policy)
        let customer = c["customer"] as? [String: Any] ?? [:]
        #expect(customer["first_name"] as? String == "Souza & Irmãos Comércio Ltda")
        #expect(customer["email"] == nil)
        #expect(customer["address_lines"] as? [String] == [])
    }

    @Test func smallFormats() {
        #expect(BrazilianFormat.percent(Percent(decimal: "0.033")!) == "0,033%")
        #expect(BrazilianFormat.percent(Percent(decimal: "2.5")!) == "2,5%")
        #expect(BrazilianFormat.situation(daysOverdue: -1) == "vence em 1 dia")
        #expect(BrazilianFormat.situation(daysOverdue: -4) == "vence em 4 dias")
        #expect(BrazilianFormat.situation(daysOverdue: 1) == "vencido há 1 dia")
        #expect(BrazilianFormat.phone("+551140000000") == "(11) 4000-0000")
        #expect(BrazilianFormat.phone("+14155550100") == "+14155550100")
        #expect(BrazilianFormat.clean("Maria\r\nBcc: x@y\u{202E}") == "Maria  Bcc: x@y ")
    }
}
