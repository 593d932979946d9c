import Testing
@testable import Regua

/// Caixa (104): return files are read, remittances are not written; a step asking for one is
/// refused at load with its place, not when the night builds the file.
@Suite struct ReturnOnlyBankTests {
    static let book = """
        company: { name: Exemplo, document: 11.222.333/0001-81 }
        bank: { code: "104", agency: "1234", account: "56789-0", agreement: "123456", wallet: "1" }
        profiles:
          - id: all
        steps:
          - id: protest_d45
            offset: 45
            remittance: protest

        """

    @Test func remittanceStepForCaixaIsRefusedWithItsPlace() throws {
        let fixture = try RulesFixture(["regua.yaml": Self.book])
        #expect(fixture.errors().contains { $0.hasPrefix("regua.yaml:8:17: ") && $0.contains("104") })
    }

    @Test func caixaWithoutRemittanceStepsLoads() throws {
        let withoutStep = Self.book.replacingOccurrences(
            of: "remittance: protest", with: "channel: sms\n    template: t")
        let fixture = try RulesFixture(["regua.yaml": withoutStep, "templates/t.sms.mustache": "Oi"])
        #expect(fixture.errors() == [])
    }
}
