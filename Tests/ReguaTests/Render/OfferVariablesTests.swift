import Testing

@testable import Regua

/// SPEC §3 Offers: `has_offer` and `offer.*` in a template, through the preview renderer
/// (swift-mustache over dictionaries) and the night's (typed scopes), and the PIX amount of a
/// message with an offer.
@Suite struct OfferVariablesTests {
    static let sms = """
        {{#has_offer}}À vista {{offer.cash_amount_br}} até {{offer.valid_until_br}} (economia de {{offer.savings_br}}).{{#offer.has_installments}} Ou{{#offer.installments}} {{count}}x {{amount_br}}{{/offer.installments}}.{{/offer.has_installments}}{{/has_offer}}{{^has_offer}}Sem oferta.{{/has_offer}}
        """

    static func rendered(_ m: PlannedMessage) throws -> (String, String) {
        let book = RenderFixtures.book(["acordo.sms.mustache": Self.sms])
        let set = try TemplateSet(book: book)
        let a = try set.render(template: "acordo", channel: .sms, context: RenderFixtures.context(m)).text
        let night = TemplateNight(company: book.company, asOf: RenderFixtures.asOf, policy: book.policy)
        let b = try set.render(template: "acordo", channel: .sms, scope: MessageScope(message: m, night: night)).text
        return (a, b)
    }

    @Test func anOfferIsPrintedToTheCentByBothRenderers() throws {
        let m = RenderFixtures.offerMessage()
        let o = try #require(m.offer)
        let (a, b) = try Self.rendered(m)
        #expect(a == b)
        var expected = "À vista \(o.cashAmount.br) até \(o.validUntil.br) (economia de \(o.savings.br))."
        if !o.installments.isEmpty {
            expected += " Ou" + o.installments.map { " \($0.count)x \($0.amount.br)" }.joined() + "."
        }
        #expect(a == expected)
        #expect(o.installments.count >= 2)
        // The savings and the cash add up to the message's updated total.
        #expect(o.cashAmount + o.savings == m.totalUpdated)
    }

    @Test func withoutAnOfferTheSectionIsSkipped() throws {
        let (a, b) = try Self.rendered(RenderFixtures.message())
        #expect(a == "Sem oferta." && b == a)
    }

    @Test func thePixCodePaysTheOfferOrTheNetAmount() throws {
        let company = Company(
            name: "Empresa Teste Ltda", document: Document.parse("12.345.678/0001-95")!, pixKey: "12345678000195")
        let merchant = try #require(PaymentData.merchant(company))
        func amountField(_ m: PlannedMessage) throws -> String? {
            let code = try #require(PaymentData.apply(to: m, issuer: nil, pix: merchant).pixCode)
            return PixBRCodeTests.value(code, "54")
        }
        let offer = RenderFixtures.offerMessage()
        #expect(try amountField(offer) == offer.offer!.cashAmount.plain)
        var plain = RenderFixtures.message()
        plain.credits = Money(cents: 100_00)
        #expect(try amountField(plain) == (plain.totalUpdated - Money(cents: 100_00)).plain)
        // Credits that cover the message leave nothing to pay: no PIX code at all.
        plain.credits = plain.totalUpdated
        #expect(PaymentData.apply(to: plain, issuer: nil, pix: merchant).pixCode == nil)
    }
}
