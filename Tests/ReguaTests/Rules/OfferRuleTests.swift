import Testing

@testable import Regua

/// `offer` on a step: read with its place; terms that can never work are refused.
@Suite struct OfferRuleTests {
    static func book(_ offer: String, channel: String = "channel: email\n    template: proposta") -> String {
        """
        version: 1
        company:
          name: Exemplo
          document: 11.222.333/0001-81
        profiles:
          - id: standard
        steps:
          - id: proposta_d20
            offset: 20
            \(channel)
            offer: \(offer)

        """
    }

    static func fixture(_ text: String) throws -> RulesFixture {
        try RulesFixture(["r.yaml": text, "templates/proposta.email.mustache": "Subject: x\n\ny"])
    }

    @Test func theSpecsExampleIsRead() throws {
        let f = try Self.fixture(
            Self.book(
                "{ discount_percent: 0, waive_fee_percent: 100, waive_interest_percent: 100, valid_days: 5, installments: { max: 6, min_amount: 50.00, interest_percent_month: 1.99 } }"
            ))
        #expect(f.errors() == [])
        let terms = try RuleBookLoader.load(directory: f.directory).step("proposta_d20")?.offer
        #expect(terms?.waiveFeePercent == Percent(decimal: "100"))
        #expect(terms?.validDays == 5)
        #expect(
            terms?.installments
                == .init(max: 6, minAmount: Money(cents: 50_00), interestPercentMonth: Percent(decimal: "1.99")!))
    }

    @Test(arguments: [
        ("{ valid_days: 5, discount_percent: 120 }", "'discount_percent' é uma porcentagem de 0 a 100"),
        (
            "{ valid_days: 5, installments: { max: 1, min_amount: 50.00 } }",
            "'installments.max' de 1 não oferece parcela nenhuma"
        ),
        (
            "{ valid_days: 5, installments: { max: 6, min_amount: 0 } }",
            "'min_amount' deve ser um valor em reais maior que zero"
        ),
        ("{ discount_percent: 10 }", "valid_days"),
        ("{ valid_days: 5, parcelas: 3 }", "parcelas"),
    ])
    func badTermsAreRefusedWithTheirPlace(offer: String, expected: String) throws {
        let errors = try Self.fixture(Self.book(offer)).errors()
        #expect(errors.contains { $0.hasPrefix("r.yaml:12:") && $0.contains(expected) }, "\(errors)")
    }

    @Test func anOfferOnABankStepIsRefused() throws {
        let text = Self.book("{ valid_days: 5 }", channel: "remittance: protest")
            .replacingOccurrences(
                of: "profiles:",
                with:
                    "bank: { code: \"001\", agency: \"1234\", account: \"56789-0\", agreement: \"1234567\", wallet: \"17\" }\nprofiles:"
            )
        let errors = try Self.fixture(text).errors()
        #expect(errors.contains { $0.contains("'offer' vai numa mensagem") }, "\(errors)")
    }
}
