import Foundation
import Testing
@testable import Regua

/// `regua check --preview` shows what a night of this rule book would send: the book's company
/// and bank in the PIX code and the boleto, and amounts that agree with the titles it shows.
@Suite struct PreviewTests {
    /// The shipped book with another company, PIX key and city, and Itaú as the bank.
    static func otherCompany(_ w: Workspace) throws {
        let path = w.root + "/rules/00-empresa.yaml"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        for (a, b) in [
            ("name: Exemplo Comércio Ltda", "name: Ângela Atacadista S.A."),
            ("pix_key: cobranca@exemplo.com.br", "pix_key: financeiro@angela.com.br"),
            ("city: São Paulo", "city: Ribeirão Preto"),
            ("code: \"001\"", "code: \"341\""), ("agency: \"1234\"", "agency: \"0057\""),
            ("account: \"56789-0\"", "account: \"12345-7\""), ("wallet: \"17\"", "wallet: \"109\""),
        ] {
            #expect(text.contains(a), "fixture line \(a)")
            text = text.replacingOccurrences(of: a, with: b)
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The EMV fields (id → value) of a BR Code, read by their lengths.
    static func emv(_ code: String) -> [String: String] {
        var out: [String: String] = [:]
        var rest = Substring(code)
        while rest.count >= 4, let n = Int(rest.dropFirst(2).prefix(2)) {
            let id = String(rest.prefix(2))
            out[id] = String(rest.dropFirst(4).prefix(n))
            rest = rest.dropFirst(4 + n)
        }
        return out
    }

    /// `R$ 1.610,48` → cents.
    static func cents(_ br: Substring) -> Int64? {
        let digits = br.replacingOccurrences(of: "R$", with: "").replacingOccurrences(of: ".", with: "")
            .replacingOccurrences(of: ",", with: "").trimmingCharacters(in: .whitespaces)
        return Int64(digits)
    }

    @Test(.enabled(if: OutputsReadBackTests.tool("python3"), "python3 reads the e-mails"))
    func previewsUseTheBooksCompanyBankAndAmounts() throws {
        let w = try Workspace()
        try Self.otherCompany(w)
        let preview = w.root + "/preview"
        let r = try RuleCheck.run(rulesDir: w.root + "/rules", previewDir: preview)
        #expect(r.ok, "\(r.errors)")
        // Python's email package reads the e-mail's text part.
        let script = """
            import email, email.policy, sys
            m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
            print(str(m['from']))
            print(m.get_body(preferencelist=('plain',)).get_content())
            """
        let (status, out) = try OutputsReadBackTests.capture([
            "python3", "-c", script, preview + "/overdue_d3.email.eml",
        ])
        #expect(status == 0)
        let from = out.prefix { $0 != "\n" }
        #expect(from.contains("Ângela Atacadista S.A.") && from.hasSuffix("<cobranca@exemplo.com.br>"), "\(from)")
        let lines = out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(!out.contains("EMPRESA TESTE") && !out.contains("Exemplo Comércio"))
        #expect(lines.contains("Olá, Ângela Atacadista S.A.") == false, "the customer is greeted, not the company")

        // The total the text shows is the PIX amount, and the PIX names the book's company.
        let totalLine = try #require(lines.first { $0.hasPrefix("Total atualizado:") })
        let total = try #require(Self.cents(totalLine.dropFirst("Total atualizado:".count)))
        let pixIndex = try #require(lines.firstIndex { $0.hasPrefix("00020126") })
        let pix = Self.emv(lines[pixIndex])
        #expect(pix["59"] == "ANGELA ATACADISTA S.A.")
        #expect(pix["60"] == "RIBEIRAO PRETO")
        #expect(pix["26"]?.contains("financeiro@angela.com.br") == true)
        #expect(pix["54"].flatMap { Money(decimal: $0)?.cents } == total, "PIX \(pix["54"] ?? "-") vs text \(total)")
        let crcInput = String(lines[pixIndex].dropLast(4))
        #expect(String(format: "%04X", PixBRCode.crc16(Array(crcInput.utf8))) == String(lines[pixIndex].suffix(4)))
        // The sum of the titles' updated amounts is the total.
        let updated = lines.filter { $0.hasPrefix("Valor atualizado até hoje:") }
            .compactMap { Self.cents($0.dropFirst("Valor atualizado até hoje:".count)) }
        #expect(updated.count == 2 && updated.reduce(0, +) == total)

        // The boleto is Itaú's (341), for the first title's original amount, with valid digits.
        let linha = try #require(lines.first { $0.hasPrefix("Linha digitável do boleto:") })
        let digits = String(linha.filter(\.isNumber))
        #expect(Boleto.validate(linhaDigitavel: digits))
        #expect(digits.hasPrefix("3419"))
        let original = try #require(lines.first { $0.hasPrefix("Valor original:") })
        #expect(Int64(digits.suffix(10)) == Self.cents(original.dropFirst("Valor original:".count)))

        // The SMS speaks for the same company, and its amount is the one its titles owe.
        let sms = try String(contentsOfFile: preview + "/overdue_d10.sms.txt", encoding: .utf8)
        #expect(sms.hasPrefix("Angela Atacadista S.A.:") || sms.hasPrefix("Ângela Atacadista S.A.:"), "\(sms)")

        // The letter's letterhead is the book's company (pdftotext reads it).
        if let pdftotext = ExternalTool.pdftotext {
            let text = try ExternalTool.run(pdftotext, ["-enc", "UTF-8", preview + "/letters.pdf", "-"]).stdout
            #expect(text.contains("Ângela Atacadista S.A."))
            #expect(text.contains("Ribeirão Preto, 23 de novembro de 2026"))
        }
    }
}
