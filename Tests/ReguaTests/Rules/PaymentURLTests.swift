import Testing
@testable import Regua

/// `company.payment_url`: refused at load, at the offending character, when it could make an
/// unsafe link; filled in per message with percent-encoded values.
@Suite("Payment URL")
struct PaymentURLTests {
    /// The errors of a book whose company has this `payment_url` line (written as given).
    static func errors(_ line: String) throws -> [String] {
        let book = """
            version: 1
            company:
              name: Exemplo
              document: 11.222.333/0001-81
              \(line)
            profiles:
              - id: standard
            steps: []

            """
        return try RulesFixture(["a.yaml": book]).errors()
    }

    @Test("a safe URL with every placeholder loads")
    func loads() throws {
        #expect(
            try Self.errors("payment_url: https://pagar.exemplo.com.br/c/{message_id}?c={customer_id}&t={txid}") == [])
        #expect(try Self.errors("payment_url: \"https://pagar.exemplo.com.br/p%C3%A1gina/{txid}\"") == [])
    }

    @Test(
        "unsafe URLs are refused at the offending column, in Portuguese",
        arguments: [
            (
                "payment_url: http://pagar.exemplo.com.br/{message_id}",
                "a.yaml:5:16: 'payment_url' deve começar com https://"
            ),
            (
                "payment_url: https://pagar.exemplo.com.br/{mesage_id}",
                "a.yaml:5:45: marcador desconhecido '{mesage_id}'"
            ),
            ("payment_url: \"https://pagar.exemplo.com.br/{x}\"", "a.yaml:5:46: marcador desconhecido '{x}'"),
            (
                "payment_url: https://{customer_id}.exemplo.com.br/",
                "a.yaml:5:24: um marcador não pode fazer parte do nome do servidor"
            ),
            (
                "payment_url: \"https://pagar.exemplo.com.br/a b\"",
                "a.yaml:5:47: caractere não permitido em 'payment_url': ' '"
            ),
            (
                "payment_url: https://pagar.exemplo.com.br/\"><script>",
                "a.yaml:5:45: caractere não permitido em 'payment_url': '\"'"
            ),
            (
                "payment_url: https://pagar.exemplo.com.br/ação",
                "a.yaml:5:46: caractere não permitido em 'payment_url': 'ç'"
            ),
            (
                "payment_url: https://pagar.exemplo.com.br/x'y",
                "a.yaml:5:46: caractere não permitido em 'payment_url': '''"
            ),
            (
                "payment_url: https://pagar.exemplo.com.br/%zz",
                "a.yaml:5:45: '%' em 'payment_url' deve vir seguido de dois dígitos"
            ),
            ("payment_url: https://pagar.exemplo.com.br/{txid", "a.yaml:5:45: '{' sem o '}'"),
            ("payment_url: https:///x", "a.yaml:5:24: 'payment_url' não tem o nome do servidor"),
        ])
    func refused(line: String, expected: String) throws {
        let errors = try Self.errors(line)
        #expect(errors.count == 1)
        let first = errors.first ?? ""
        #expect(first.hasPrefix(expected), "\(first)")
    }

    @Test("values are percent-encoded; literals are kept")
    func filling() throws {
        let t = try PaymentURLTemplate(parsing: "https://p.exemplo.com.br/c/{message_id}?c={customer_id}&t={txid}")
        #expect(
            t.url(messageID: "R20261123-ab", customerID: "C 1/ç&x=\"", txid: "R20261123ab")
                == "https://p.exemplo.com.br/c/R20261123-ab?c=C%201%2F%C3%A7%26x%3D%22&t=R20261123ab")
    }
}
