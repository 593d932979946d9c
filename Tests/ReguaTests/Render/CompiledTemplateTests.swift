import Mustache
import Testing
@testable import Regua

/// The night's renderer walks swift-mustache's own parse tree; here it must give swift-mustache's
/// bytes on templates written to stress whitespace, standalone lines, nesting, the stack climb,
/// transforms and escaping, for customers with and without every optional field.
@Suite struct CompiledTemplateTests {
    static let templates: [String] = [
        "",
        "no tags at all\n",
        "Olá {{customer.first_name}}, hoje é {{as_of_long}}.",
        // Standalone section lines, indented and not, with CRLF and LF, comments on their own line.
        "Títulos:\r\n  {{#titles}}\r\n  - {{title_id}} vence {{due_date_br}}\r\n  {{/titles}}\r\nFim\r\n",
        "{{! a comment on its own line }}\n   {{! indented comment }}\nA {{! inline }} B\n",
        "  {{#has_pix}}  \n  PIX: {{pix.copia_e_cola}}\n  {{/has_pix}}  \n{{^has_pix}}sem pix{{/has_pix}}\n",
        // Inline sections keep their spaces.
        "x {{#titles}} [{{title_id}}] {{/titles}} y\n",
        // Nested flags inside the list; names climbing to the root from inside it.
        """
        {{#titles}}
        {{title_id}} ({{as_of_br}}, {{customer.name}}, {{totals.count}})
        {{#is_overdue}}  atrasado {{days_overdue}} dias{{/is_overdue}}
        {{^is_overdue}}  em dia{{/is_overdue}}
        {{#has_boleto}}linha: {{linha_digitavel}}{{/has_boleto}}{{^has_boleto}}sem boleto{{/has_boleto}}
        {{#installment}}parcela {{.}}{{/installment}}
        {{/titles}}
        """,
        // Sections over a text, a list of texts and a group; {{.}}.
        "{{#customer.email}}e-mail: {{.}}{{/customer.email}}{{^customer.email}}sem e-mail{{/customer.email}}\n"
            + "{{#customer.address_lines}}\n{{.}}\n{{/customer.address_lines}}\n"
            + "{{#customer}}{{name}} / {{zip}} / {{complement}}{{/customer}}\n"
            + "{{#step}}{{id}} {{offset}} {{channel}}{{/step}} {{#company}}{{name}} {{pix_key}}{{/company}}\n",
        // Transforms, nested.
        "{{uppercased(customer.name)}} {{lowercased(company.name)}} {{capitalized(customer.city)}} "
            + "{{uppercased(lowercased(customer.first_name))}} {{uppercased(customer.complement)}}\n",
        // Unescaped forms in a text template, numbers, totals.
        "{{{customer.name}}} {{&customer.name}} {{totals.count}} {{#totals.has_many}}vários{{/totals.has_many}} "
            + "{{totals.updated_amount_br}} {{policy.late_fee_percent_br}} {{message_id}}",
        // Tags at the very end with no newline, and a section closing on the last line.
        "{{#titles}}{{amount_br}}\n{{/titles}}",
        "linha\n{{#has_pix}}\n{{pix.txid}}\n{{/has_pix}}",
        // Names looked up from inside sections over a text, a group and a list element: the
        // pushed value has no names of its own, so the lookup climbs.
        "{{#customer.email}}{{customer.name}} {{as_of_br}} {{first_name}}{{/customer.email}}|"
            + "{{#totals}}{{count}} {{customer.first_name}} {{name}}{{/totals}}|"
            + "{{#customer.address_lines}}{{customer.zip}}{{zip}}{{/customer.address_lines}}|"
            + "{{#titles}}{{#customer}}{{title_id}}:{{name}}{{/customer}}{{/titles}}",
    ]

    static let customers: [Customer] = [
        RenderFixtures.customer(),
        RenderFixtures.customer(name: "Ana <b>&amp;</b> \"O'Neil\" e\u{301}<\u{301}>"),
        Customer(
            id: CustomerID("C9"), name: "Jo\u{202E}ão\r\nda Silva\u{85}",
            document: Document.parse("12.345.678/0001-95")!,
            address: PostalAddress(street: "Rua\tB", city: "brasília")),
    ]

    static let night = TemplateNight(
        company: RenderFixtures.company, asOf: RenderFixtures.asOf, policy: RenderFixtures.policy)

    @Test(arguments: 0..<templates.count)
    func rendersWhatSwiftMustacheRenders(_ k: Int) throws {
        for html in [false, true] {
            // TemplateSet's text bodies start with the text pragma on a line of its own.
            let source = html ? Self.templates[k] : "{{%CONTENT_TYPE:TEXT}}\n" + Self.templates[k]
            let reference = try MustacheTemplate(string: source)
            let compiled = try #require(CompiledTemplate(reference, html: html))
            for customer in Self.customers {
                for (pix, onlyOne) in [(true, false), (false, true)] {
                    var m = RenderFixtures.message(customer: customer, pix: pix)
                    if onlyOne { m.titles = [m.titles[0]] }
                    let scope = MessageScope(message: m, night: Self.night)
                    #expect(compiled.render(scope) == reference.render(scope), "template \(k), html \(html)")
                }
            }
        }
    }

    @Test func emptyListsAndMissingValues() throws {
        let text = "{{#titles}}x{{/titles}}{{^titles}}none{{/titles}}[{{pix.txid}}]{{^pix.txid}}no txid{{/pix.txid}}"
        let reference = try MustacheTemplate(string: text)
        let compiled = try #require(CompiledTemplate(reference, html: true))
        var m = RenderFixtures.message(pix: false)
        m.titles = []
        let scope = MessageScope(message: m, night: Self.night)
        #expect(compiled.render(scope) == reference.render(scope))
        #expect(compiled.render(scope) == "none[]no txid")
    }

    @Test func theShippedTemplatesAllTakeTheCompiledPath() throws {
        #expect(try TemplateSet(book: RenderFixtures.shippedBook()).allCompiled)
    }

    @Test func tokensItDoesNotKnowFallBackToSwiftMustache() throws {
        // A partial (refused by the template check, but possible in swift-mustache's grammar).
        #expect(CompiledTemplate(try MustacheTemplate(string: "a {{> other}} b"), html: true) == nil)
        // A transform the template check does not allow.
        #expect(CompiledTemplate(try MustacheTemplate(string: "{{reversed(customer.name)}}"), html: true) == nil)
    }
}
