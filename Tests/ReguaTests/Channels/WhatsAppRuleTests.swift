import Testing

@testable import Regua

/// `channel: whatsapp` in the rule book (SPEC §2): the approved template's name and its
/// parameters, each a template variable checked at load with its place.
@Suite struct WhatsAppRuleTests {
    static func book(_ step: String) -> String {
        """
        version: 1
        company:
          name: Exemplo
          document: 11.222.333/0001-81
        profiles:
          - id: standard
        steps:
          - id: whatsapp_d7
            offset: 7
        \(step)

        """
    }

    static func fixture(_ step: String) throws -> RulesFixture {
        try RulesFixture(["r.yaml": book(step), "templates/atraso_sms.sms.mustache": "Oi {{customer.first_name}}"])
    }

    @Test func theSpecsExampleIsRead() throws {
        let f = try Self.fixture(
            """
                channel: whatsapp
                whatsapp_template: cobranca_atraso
                parameters: [customer.first_name, totals.updated_amount_br, payment_url]
            """)
        #expect(f.errors() == [])
        let step = try #require(try RuleBookLoader.load(directory: f.directory).step("whatsapp_d7"))
        #expect(step.channel == .whatsapp)
        #expect(
            step.whatsapp
                == WhatsAppTemplate(
                    name: "cobranca_atraso",
                    parameters: ["customer.first_name", "totals.updated_amount_br", "payment_url"]))
    }

    @Test func aFallbackChannelNeedsItsMustacheTemplate() throws {
        let ok = try Self.fixture(
            """
                channel: whatsapp
                whatsapp_template: cobranca_atraso
                template: atraso_sms
                fallback: sms
            """)
        #expect(ok.errors() == [])
        let missing = try Self.fixture(
            """
                channel: whatsapp
                whatsapp_template: cobranca_atraso
                fallback: sms
            """)
        #expect(missing.errors() == ["r.yaml:8:5: falta 'template' em um degrau"])
        // The other way round: an SMS step falling back to WhatsApp names the WhatsApp template.
        let reverse = try Self.fixture(
            """
                channel: sms
                template: atraso_sms
                fallback: whatsapp
            """)
        #expect(reverse.errors().count == 1)
        #expect(
            reverse.errors().first?.hasPrefix(
                "r.yaml:8:5: o degrau 'whatsapp_d7' fala por WhatsApp e precisa de 'whatsapp_template'") == true)
    }

    @Test(arguments: [
        (
            "parameters: [customer.frist_name]", "r.yaml:12:18:",
            "o parâmetro 'customer.frist_name' de 'whatsapp_template' não é uma variável de modelo (você quis dizer 'customer.first_name'?)"
        ),
        ("parameters: [customer]", "r.yaml:12:18:", "é um grupo de variáveis"),
        ("parameters: [titles]", "r.yaml:12:18:", "é uma lista"),
        ("parameters: [has_pix]", "r.yaml:12:18:", "é um sim/não"),
        ("parameters: customer.name", "r.yaml:12:17:", "'parameters'"),
    ])
    func parametersAreTemplateVariables(line: String, place: String, expected: String) throws {
        let f = try Self.fixture(
            """
                channel: whatsapp
                whatsapp_template: cobranca_atraso
                \(line)
            """)
        let errors = f.errors()
        #expect(errors.count == 1 && errors[0].hasPrefix(place) && errors[0].contains(expected), "\(errors)")
    }

    @Test func theTemplateNameIsOneMetaAccepts() throws {
        let f = try Self.fixture(
            """
                channel: whatsapp
                whatsapp_template: Cobrança-Atraso
            """)
        #expect(
            f.errors() == [
                "r.yaml:11:24: 'whatsapp_template' deve ser o nome do modelo na Meta: letras minúsculas, dígitos e '_', não 'Cobrança-Atraso'"
            ])
    }

    @Test func aStepThatNeverSpeaksOnWhatsAppRefusesItsKeys() throws {
        let f = try Self.fixture(
            """
                channel: sms
                template: atraso_sms
                whatsapp_template: cobranca_atraso
            """)
        #expect(
            f.errors() == [
                "r.yaml:12:24: 'whatsapp_template' vai num degrau que fala por WhatsApp (channel ou fallback: whatsapp); o degrau 'whatsapp_d7' não fala"
            ])
    }
}
