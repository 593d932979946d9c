import Testing

@testable import Regua

/// `requires` on a step: read with its place, and refused when it can never be met.
@Suite struct RequiresRuleTests {
    static func book(_ requires: String) -> String {
        """
        version: 1
        company:
          name: Exemplo
          document: 11.222.333/0001-81
        bank: { code: "001", agency: "1234", account: "56789-0", agreement: "1234567", wallet: "17" }
        profiles:
          - id: standard
        steps:
          - id: aviso
            offset: 35
            channel: letter
            template: aviso
          - id: protesto
            offset: 45
            remittance: protest
            requires: \(requires)

        """
    }

    @Test func aRequirementIsRead() throws {
        let f = try RulesFixture([
            "r.yaml": Self.book("{ step: aviso, days: 10 }"), "templates/aviso.letter.mustache": "x",
        ])
        #expect(f.errors() == [])
        let book = try RuleBookLoader.load(directory: f.directory)
        #expect(book.step("protesto")?.requires == Step.Requirement(step: "aviso", days: 10))
        #expect(book.step("aviso")?.requires == nil)
    }

    @Test(arguments: [
        (
            "{ step: aviso_d35, days: 10 }",
            "r.yaml:16:15: 'requires' de 'protesto' cita o degrau 'aviso_d35', que não existe nesta régua"
        ),
        ("{ step: protesto, days: 10 }", "r.yaml:16:15: o degrau 'protesto' não pode exigir a si mesmo em 'requires'"),
        ("{ step: aviso, days: -1 }", "r.yaml:16:36:"),
        ("{ days: 10 }", "r.yaml:16:15:"),
        ("{ step: aviso, dias: 10 }", "r.yaml:16:30:"),
    ])
    func aRequirementThatCanNeverBeMetIsAnError(requires: String, expected: String) throws {
        let f = try RulesFixture(["r.yaml": Self.book(requires), "templates/aviso.letter.mustache": "x"])
        let errors = f.errors()
        #expect(errors.contains { $0.hasPrefix(expected) }, "\(errors)")
    }

    @Test func aRequiredStepLaterOnTheLadderIsAnError() throws {
        let text = Self.book("{ step: aviso, days: 0 }").replacingOccurrences(of: "offset: 35", with: "offset: 60")
        let f = try RulesFixture(["r.yaml": text, "templates/aviso.letter.mustache": "x"])
        #expect(f.errors().contains { $0.contains("vem depois na régua (offset 60)") }, "\(f.errors())")
    }
}
