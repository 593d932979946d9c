import Testing
@testable import Regua

@Suite struct TemplateSetTests {
    private let email =
        "Subject: Aviso para {{customer.first_name}}\n\nOlá, {{customer.name}}.\n{{#titles}}- {{title_id}}: {{updated_amount_br}}\n{{/titles}}"
    private let html = "<p>Olá, {{customer.name}}.</p>{{#titles}}<li>{{title_id}}</li>{{/titles}}"

    private func render(
        _ templates: [String: String], _ name: String, _ channel: Channel,
        customer: Customer = RenderFixtures.customer()
    ) throws -> RenderedMessage {
        let set = try TemplateSet(book: RenderFixtures.book(templates))
        return try set.render(
            template: name, channel: channel,
            context: RenderFixtures.context(RenderFixtures.message(customer: customer)))
    }

    @Test func rendersSubjectTextAndHTML() throws {
        let m = try render(["aviso.email.mustache": email, "aviso.email.html.mustache": html], "aviso", .email)
        #expect(m.subject == "Aviso para Maria")
        #expect(m.text == "Olá, Maria da Conceição Souza.\n- NF-10273: R$ 329,90\n- NF-10294: R$ 1.260,48\n")
        #expect(m.html == "<p>Olá, Maria da Conceição Souza.</p><li>NF-10273</li><li>NF-10294</li>")
    }

    @Test func textIsNotEscapedAndHTMLIs() throws {
        let m = try render(
            ["aviso.email.mustache": email, "aviso.email.html.mustache": html], "aviso", .email,
            customer: RenderFixtures.customer(name: "<b>& 'Cia\""))
        #expect(m.subject == "Aviso para <b>&")
        #expect(m.text.hasPrefix("Olá, <b>& 'Cia\"."))
        #expect(m.html?.hasPrefix("<p>Olá, &lt;b&gt;&amp; &#39;Cia&quot;.</p>") == true)
        let sms = try render(
            ["x.sms.mustache": "{{customer.name}}", "y.letter.mustache": "{{customer.name}}"], "x", .sms,
            customer: RenderFixtures.customer(name: "A & B <Ltda>"))
        #expect(sms.text == "A & B <Ltda>")
        #expect(sms.subject == nil && sms.html == nil)
    }

    /// Values are data: a value that looks like a tag is printed, never expanded.
    @Test func valuesAreNeverTemplates() throws {
        let m = try render(
            ["x.letter.mustache": "Cliente: {{customer.name}} / {{{customer.name}}}"], "x", .letter,
            customer: RenderFixtures.customer(name: "{{company.pix_key}}"))
        #expect(m.text == "Cliente: {{company.pix_key}} / {{company.pix_key}}")
    }

    /// A line break in data can never add a header to the e-mail.
    @Test func subjectStaysOneLine() throws {
        let set = try TemplateSet(
            book: RenderFixtures.book(["x.email.mustache": "Subject: Oi {{customer.name}}\n\nCorpo"]))
        let m = try set.render(
            template: "x", channel: .email,
            context: ["customer": ["name": "Ana\r\nBcc: todos@example.com\n"]])
        #expect(m.subject == "Oi Ana Bcc: todos@example.com")
    }

    @Test func smsIsTrimmedAndSectionsWork() throws {
        let t =
            "\n  {{#has_pix}}PIX{{/has_pix}}{{^has_pix}}sem PIX{{/has_pix}} {{#customer.email}}<{{.}}>{{/customer.email}}\n"
        let m = try render(["x.sms.mustache": t], "x", .sms)
        #expect(m.text == "PIX <maria.souza@example.com>")
    }

    @Test func renderingAMissingTemplateThrows() throws {
        let set = try TemplateSet(book: RenderFixtures.book(["x.sms.mustache": "oi"]))
        #expect(set.has(template: "x", channel: .sms))
        #expect(!set.has(template: "x", channel: .email))
        #expect(throws: MissingTemplate.self) { try set.render(template: "x", channel: .letter, context: [:]) }
    }

    // MARK: - Load-time checks

    @Test func unknownVariableIsReportedWhereItIsWithTheNearestName() {
        let errors = RenderFixtures.errors(["x.sms.mustache": "Olá,\n  {{customer.nmae}}"])
        #expect(
            errors == [
                "rules/templates/x.sms.mustache:2:3: variável desconhecida 'customer.nmae' (você quis dizer 'customer.name'?)"
            ])
    }

    @Test func titleVariablesAreVisibleOnlyInsideTitles() {
        let errors = RenderFixtures.errors([
            "x.letter.mustache":
                "{{#titles}}{{due_date_br}} {{customer.name}} {{due_dat_br}}{{/titles}}\n{{due_date_br}}"
        ])
        #expect(
            errors == [
                "rules/templates/x.letter.mustache:1:46: variável desconhecida 'due_dat_br' (você quis dizer 'due_date_br'?)",
                "rules/templates/x.letter.mustache:2:1: 'due_date_br' pertence a cada item de 'titles' (use-a dentro de {{#titles}}…{{/titles}})",
            ])
    }

    @Test func emailPositionsCountTheSubjectLine() {
        let errors = RenderFixtures.errors([
            "x.email.mustache": "Subject: Olá {{custmer.name}}\n\nLinha\n   {{as_off}}"
        ])
        #expect(
            errors == [
                "rules/templates/x.email.mustache:1:14: variável desconhecida 'custmer.name' (você quis dizer 'customer.name'?)",
                "rules/templates/x.email.mustache:4:4: variável desconhecida 'as_off' (você quis dizer 'as_of'?)",
            ])
    }

    @Test func emailWithoutSubjectIsReported() {
        let errors = RenderFixtures.errors(["x.email.mustache": "Olá, {{customer.name}}\n\nCorpo"])
        #expect(
            errors == [
                "rules/templates/x.email.mustache:1:1: um modelo de e-mail deve começar com a linha 'Subject: …' (o assunto) (escreva 'Subject: …', depois uma linha em branco, depois o corpo)"
            ])
        let noBlank = RenderFixtures.errors(["x.email.mustache": "Subject: Oi\nCorpo"])
        #expect(
            noBlank == ["rules/templates/x.email.mustache:2:1: esperava uma linha em branco depois da linha Subject"])
    }

    @Test func unbalancedSectionsAreErrors() {
        #expect(
            RenderFixtures.errors(["x.sms.mustache": "a\n{{#titles}}{{title_id}}"]) == [
                "rules/templates/x.sms.mustache:2:1: a seção {{#titles}} nunca é fechada (acrescente {{/titles}})"
            ])
        #expect(
            RenderFixtures.errors(["x.sms.mustache": "{{/titles}}"]) == [
                "rules/templates/x.sms.mustache:1:1: {{/titles}} não fecha nenhuma seção aberta"
            ])
        #expect(
            RenderFixtures.errors(["x.sms.mustache": "{{#has_pix}}{{#titles}}{{/has_pix}}"]) == [
                "rules/templates/x.sms.mustache:1:24: {{/has_pix}} fecha uma seção enquanto {{#titles}} (linha 1, coluna 13) ainda está aberta (feche {{#titles}} antes)"
            ])
    }

    @Test(arguments: [
        ("{{> rodape}}", "parciais ({{>…}}) não são aceitos nos modelos do Regua"),
        ("{{=<% %>=}}", "trocas de delimitador ({{=…=}}) não são aceitos nos modelos do Regua"),
        ("{{%CONTENT_TYPE:HTML}}", "pragmas ({{%…}}) não são aceitos nos modelos do Regua"),
        ("{{.}}", "{{.}} só é permitido dentro de uma seção sobre um texto ou uma lista de textos"),
        ("{{customer}}", "'customer' é um grupo de variáveis"),
        ("{{titles}}", "'titles' é uma lista"),
        ("{{has_pix}}", "'has_pix' é um valor sim/não"),
        (
            "{{#totals.count}}x{{/totals.count}}",
            "'totals.count' é um número, e uma seção sobre um número sempre aparece"
        ),
        ("{{reversed(customer.name)}}", "transformação desconhecida 'reversed'"),
        ("{{customer.name", "a marcação nunca é fechada"),
    ])
    func unsupportedOrMisusedTagsAreErrors(template: String, message: String) {
        let errors = RenderFixtures.errors(["x.sms.mustache": "Oi " + template])
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("rules/templates/x.sms.mustache:1:4: " + message) == true, "\(errors)")
    }

    @Test func allowedTagForms() throws {
        let t =
            "{{! nota }}{{uppercased(customer.first_name)}} {{& customer.name}} {{#customer.address_lines}}[{{.}}]{{/customer.address_lines}}{{#titles}}{{#installment}}({{.}}){{/installment}}{{/titles}}"
        let m = try render(["x.letter.mustache": t], "x", .letter)
        #expect(
            m.text
                == "MARIA Maria da Conceição Souza [Rua Augusta, 1500 - Apto 12][Consolação][São Paulo - SP][CEP 01304-001](4/10)"
        )
        // A group as a section makes its names visible without the prefix; spaces inside tags are fine.
        let g = try render(
            ["y.sms.mustache": "{{#customer}}{{ first_name }}/{{city}}{{/customer}} {{ company.city }}"], "y", .sms)
        #expect(g.text == "Maria/São Paulo São Paulo")
        #expect(
            RenderFixtures.errors(["z.sms.mustache": "{{#titles}}{{.}}{{/titles}}"]) == [
                "rules/templates/z.sms.mustache:1:12: {{.}} só é permitido dentro de uma seção sobre um texto ou uma lista de textos (escreva o nome da variável, por exemplo {{customer.name}})"
            ])
    }

    @Test func unescapedOutputIsRefusedInHTML() {
        let errors = RenderFixtures.errors([
            "x.email.mustache": "Subject: a\n\nb",
            "x.email.html.mustache": "<p>{{{customer.name}}}</p>\n<p>{{&customer.name}}</p>",
        ])
        #expect(errors.count == 2)
        #expect(errors.allSatisfy { $0.contains("saída sem escape não é permitida num modelo HTML") })
        #expect(errors.first?.hasPrefix("rules/templates/x.email.html.mustache:1:4:") == true)
    }

    /// Every problem of every file comes back in one throw, in a stable order.
    @Test func collectsEveryErrorOfEveryFile() {
        let steps = [
            Step(
                id: "d3", offset: 3, action: .message(channel: .email, template: "atraso", fallback: .letter), index: 0)
        ]
        let errors = RenderFixtures.errors(
            [
                "atraso.email.mustache": "Subject: {{a}}\n\n{{b}}",
                "outro.sms.mustache": "{{c}} {{#titles}}",
                "solto.email.html.mustache": "<p></p>",
                "errado.fax.mustache": "",
            ], steps: steps)
        #expect(errors.count == 7, "\(errors)")
        #expect(
            errors.contains { $0.hasPrefix("rules/templates/atraso.email.mustache:1:10: variável desconhecida 'a'") })
        #expect(
            errors.contains { $0.hasPrefix("rules/templates/atraso.email.mustache:3:1: variável desconhecida 'b'") })
        #expect(errors.contains { $0.hasPrefix("rules/templates/outro.sms.mustache:1:1: variável desconhecida 'c'") })
        #expect(
            errors.contains {
                $0.hasPrefix("rules/templates/outro.sms.mustache:1:7: a seção {{#titles}} nunca é fechada")
            })
        #expect(
            errors.contains {
                $0.hasPrefix(
                    "rules/templates/solto.email.html.mustache:1:1: corpo HTML sem o modelo de e-mail em texto")
            })
        #expect(
            errors.contains {
                $0.hasPrefix("rules/templates/errado.fax.mustache:1:1: o nome do arquivo de modelo deve ser")
            })
        #expect(errors.contains { $0.contains("o degrau 'd3' precisa do modelo templates/atraso.letter.mustache") })
    }
}
