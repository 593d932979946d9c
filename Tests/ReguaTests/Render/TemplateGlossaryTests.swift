import Testing
@testable import Regua

/// "Você quis dizer …?" by meaning: the Portuguese word an analyst types leads to the variable.
@Suite struct TemplateGlossaryTests {
    @Test("every variable the glossary names exists where it says")
    func glossaryNamesRealVariables() {
        let schema = TemplateContext.schema
        for (word, variables) in TemplateGlossary.entries {
            #expect(!variables.isEmpty, "\(word)")
            #expect(word == TemplateGlossary.normalized(word), "\(word) is written as it is looked up")
            for v in variables {
                let path = v.split(separator: ".").map(String.init)
                let found: VariableKind?
                if path[0] == "titles", path.count > 1 {
                    guard case .records(let element)? = schema.root["titles"] else {
                        Issue.record("titles is not a list")
                        continue
                    }
                    found = TemplateSchema.walk(path.dropFirst(), in: element)
                } else {
                    found = TemplateSchema.walk(path[...], in: schema.root)
                }
                #expect(found != nil, "\(word) → \(v) is not a template variable")
            }
        }
        #expect(TemplateGlossary.markdownTable.contains("| vencimento | `due_date_br` (em `{{#titles}}`)"))
    }

    @Test(arguments: [
        // A Portuguese word outside {{#titles}}: the variable, and where it lives.
        (
            "Vence em {{vencimento}}",
            "variável desconhecida 'vencimento' (você quis dizer 'due_date_br' (dentro de {{#titles}}…{{/titles}})"
        ),
        // Inside {{#titles}} the element's names are in reach.
        (
            "{{#titles}}{{valor}}{{/titles}}",
            "(você quis dizer 'amount_br', 'updated_amount_br' ou 'totals.updated_amount_br'?)"
        ),
        ("{{#titles}}{{Vencimento}}{{/titles}}", "(você quis dizer 'due_date_br' ou 'effective_due_date_br'?)"),
        ("Olá {{nome}}", "(você quis dizer 'customer.name' ou 'customer.first_name'?)"),
        ("Olá {{cliente.nome}}", "(você quis dizer 'customer.name' ou 'customer.first_name'?)"),
        (
            "{{saudação}}",
            "nome malformado 'saudação' (os nomes das variáveis não levam acento; você quis dizer 'customer.greeting'?)"
        ),
        ("{{#titles}}{{juros}}{{/titles}}", "'interest_br'"),
        // Each word's meaning, the total among them.
        ("Total {{valor_total}}", "'totals.updated_amount_br'"),
        // A typo still gets the nearest name by spelling.
        ("{{customer.nmae}}", "(você quis dizer 'customer.name'?)"),
    ])
    func suggestsByMeaning(template: String, expected: String) throws {
        let errors = RenderFixtures.errors(["x.sms.mustache": template])
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.contains(expected) == true, "\(errors)")
    }

    @Test("a word that is neither a meaning nor a near spelling gets no made-up suggestion")
    func noSuggestionFromFar() {
        // `vencimento` got "did you mean 'interest'?" before the glossary; far words get none.
        let errors = RenderFixtures.errors(["x.sms.mustache": "{{xyzzyplugh}}"])
        #expect(errors == ["rules/templates/x.sms.mustache:1:1: variável desconhecida 'xyzzyplugh'"])
    }
}
