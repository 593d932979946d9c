import Foundation
import Testing
@testable import Regua

/// A name that ends with a period gets one period in a greeting, not two.
@Suite struct GreetingTests {
    static let company = Document.parse("11.222.333/0001-81")!

    @Test(arguments: [
        ("Ângela Atacadista S.A.", "Olá, Ângela Atacadista S.A.", "Ângela Atacadista S.A"),
        ("Comércio Irmãos Ltda.", "Olá, Comércio Irmãos Ltda.", "Comércio Irmãos Ltda"),
        ("Padaria Pão Quente Ltda", "Olá, Padaria Pão Quente Ltda.", "Padaria Pão Quente Ltda"),
    ])
    func shippedTemplatesGreetACompanyOnce(name: String, greeting: String, bare: String) throws {
        let book = try RenderFixtures.shippedBook()
        let set = try TemplateSet(book: book)
        for step in RenderFixtures.shippedSteps {
            guard case .message(let channel, let template, _) = step.action, channel != .letter else { continue }
            var m = TemplateSet.sampleMessage(book: book, channel: channel, step: step)
            m.customer = Customer(id: CustomerID("C-ANG"), name: name, document: Self.company)
            let dict = TemplateContext.make(
                message: m, company: book.company, asOf: TemplateSet.sampleAsOf, policy: book.policy)
            let viaMustache = try set.render(template: template, channel: channel, context: dict)
            let scope = MessageScope(
                message: m,
                night: TemplateNight(company: book.company, asOf: TemplateSet.sampleAsOf, policy: book.policy))
            let viaNight = try set.render(template: template, channel: channel, scope: scope)
            #expect(viaMustache == viaNight, "\(template): both renderers agree")
            for text in [viaNight.text, viaNight.html ?? viaNight.text] {
                #expect(text.contains(greeting), "\(template).\(channel): \(text.prefix(120))")
                #expect(!text.contains(".."), "\(template).\(channel)")
            }
        }
        // The variables themselves, as a template sees them.
        var m = TemplateSet.sampleMessage(book: book, channel: .email, step: RenderFixtures.shippedSteps[0])
        m.customer = Customer(id: CustomerID("C-ANG"), name: name, document: Self.company)
        let customer =
            TemplateContext.make(message: m, company: book.company, asOf: TemplateSet.sampleAsOf, policy: book.policy)[
                "customer"] as! [String: Any]
        #expect(customer["greeting"] as? String == greeting)
        #expect(customer["name_no_period"] as? String == bare)
        #expect(customer["first_name_no_period"] as? String == bare)
    }

    @Test func aPersonIsGreetedByFirstNameAsBefore() {
        #expect(BrazilianFormat.greeting("Maria") == "Olá, Maria.")
        #expect(BrazilianFormat.greeting(BrazilianFormat.firstName("José da Silva", kind: .cpf)) == "Olá, José.")
        #expect(BrazilianFormat.withoutFinalPeriod("...") == "...")
    }
}
