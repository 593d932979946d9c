import Testing

@testable import Regua

/// `bureau`, `handoffs` and the steps that use them: read, and refused with their place.
@Suite struct EscalationRuleTests {
    static func book(sections: String, steps: String) -> String {
        """
        version: 1
        company: { name: Exemplo, document: 11.222.333/0001-81 }
        \(sections)
        profiles:
          - id: standard
        steps:
        \(steps)

        """
    }

    @Test func theSpecsExampleIsRead() throws {
        let text = Self.book(
            sections: """
                bureau:
                  name: serasa
                handoffs:
                  - id: assessoria_x
                    name: Assessoria X Cobranças Ltda
                    kind: agency
                """,
            steps: """
                  - id: negativacao_d45
                    offset: 45
                    bureau: include
                  - id: assessoria_d90
                    offset: 90
                    handoff: assessoria_x
                """)
        let f = try RulesFixture(["r.yaml": text])
        #expect(f.errors() == [])
        let book = try RuleBookLoader.load(directory: f.directory)
        #expect(book.bureau == BureauConfig(name: "serasa"))
        #expect(book.handoffs == [Handoff(id: "assessoria_x", name: "Assessoria X Cobranças Ltda", kind: .agency)])
        #expect(book.step("negativacao_d45")?.action == .bureauInclude)
        #expect(book.step("assessoria_d90")?.action == .handoff("assessoria_x"))
    }

    @Test func aBureauStepWithoutABureauAndAnUnknownHandOffAreRefused() throws {
        let text = Self.book(
            sections: "handoffs:\n  - { id: juridico, name: Escritório Y, kind: lawyer }",
            steps: """
                  - id: negativacao_d45
                    offset: 45
                    bureau: include
                  - id: assessoria_d90
                    offset: 90
                    handoff: assessoria_x
                  - id: ambos
                    offset: 95
                    bureau: include
                    handoff: juridico
                """)
        let errors = try RulesFixture(["r.yaml": text]).errors()
        #expect(errors.contains { $0.contains("kind") && $0.contains("lawyer") }, "\(errors)")
        #expect(errors.contains { $0.contains("não tem a seção 'bureau'") }, "\(errors)")
        #expect(errors.contains { $0.contains("'assessoria_x', que não está em 'handoffs'") }, "\(errors)")
        #expect(errors.contains { $0.contains("um degrau faz uma coisa só") }, "\(errors)")
    }
}
