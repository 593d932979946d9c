import Testing
@testable import Regua

@Suite("CNAB field writer")
struct CNABFieldTests {
    @Test(
        "Text becomes upper-case ASCII without accents",
        arguments: [
            ("Conceição", "CONCEICAO"), ("São João d'Ávila", "SAO JOAO D AVILA"), ("  a\tb\r\nc  ", "A B C"),
            ("Müller & Filhos", "MULLER E FILHOS"), ("Straße", "STRASSE"), ("Rua 7, nº 10/2-A", "RUA 7, NO 10/2-A"),
            ("😀", ""), ("<script>", "SCRIPT"),
        ])
    func normalize(input: String, expected: String) {
        #expect(CNABText.normalized(input) == expected)
    }

    @Test("Numbers are right-aligned and zero-filled; too wide throws instead of cutting")
    func numeric() throws {
        var r = CNABRecord(width: 20)
        try r.num(1, 5, 42, "n")
        #expect(String(decoding: r.bytes[0..<5], as: UTF8.self) == "00042")
        #expect(throws: BankError.self) { try r.num(1, 5, 123_456, "n") }
        #expect(throws: BankError.self) { try r.num(1, 5, -1, "n") }
        #expect(throws: BankError.self) { try r.digits(1, 5, "12a", "n") }
        try r.digits(6, 10, "12A", "doc", letters: true)
        #expect(String(decoding: r.bytes[5..<10], as: UTF8.self) == "0012A")
    }

    @Test("Text is left-aligned, blank-filled and cut to the field")
    func alpha() throws {
        var r = CNABRecord(width: 12)
        try r.alpha(3, 8, "José da Silva")
        #expect(String(decoding: r.bytes, as: UTF8.self) == "  JOSE D    ")
        try r.alpha(3, 8, "Ana")
        #expect(String(decoding: r.bytes, as: UTF8.self) == "  ANA       ")
    }

    @Test("Positions outside the record and constants of the wrong width throw")
    func misuse() {
        var r = CNABRecord(width: 10)
        #expect(throws: BankError.self) { try r.alpha(8, 11, "x") }
        #expect(throws: BankError.self) { try r.num(0, 2, 1, "n") }
        #expect(throws: BankError.self) { try r.literal(1, 3, "AB") }
        #expect(throws: BankError.self) { try r.literal(1, 2, "Ã1") }
    }
}
