import Testing
@testable import Regua

@Suite struct ContactFieldsTests {
    @Test(arguments: [
        "(11) 98765-4321", "11987654321", "+55 11 98765-4321", "+55 (11) 98765-4321", "0xx11987654321",
        "0XX11 98765-4321", "055 11 98765-4321", "05511987654321", "0055 11 98765 4321", "011 98765 4321",
        "0 21 11 98765-4321", "55 11 98765-4321", "11 98765.4321",
    ])
    func mobileWritingsNormaliseToE164(text: String) {
        #expect(BrazilianPhone.e164(text) == "+5511987654321")
    }

    @Test func landlinesKeepEightDigits() {
        #expect(BrazilianPhone.e164("(21) 2555-1234") == "+552125551234")
        #expect(BrazilianPhone.e164("+55 51 3333-0000") == "+555133330000")
    }

    @Test(arguments: [
        "98765-4321",  // no area code
        "(10) 98765-4321",  // 10 is not a DDD
        "(20) 98765-4321",  // neither is 20
        "(11) 88765-4321",  // 9 digits must start with 9
        "(11) 8765-4321",  // 8 digits must be a landline (2-5)
        "+1 415 555 0100",  // not Brazil
        "(11) 98765-432",  // a digit short
        "(11) 98765-43210",  // a digit too many
        "ramal 11 98765-4321",  // text
        "",
    ])
    func invalidPhonesAreAbsent(text: String) {
        #expect(BrazilianPhone.e164(text) == nil)
    }

    @Test(arguments: [
        ("maria@exemplo.com.br", true), ("a.b+tag@sub.example.org", true), ("joão@exemplo.com.br", true),
        ("maria@exemplo", false), ("maria@@exemplo.com", false), ("ma ria@exemplo.com", false),
        ("maria@exemplo.com\r\nBcc: x@y.z", false), ("<maria@exemplo.com>", false), ("a,b@c.com", false),
        (".maria@exemplo.com", false), ("maria.@exemplo.com", false), ("ma..ria@exemplo.com", false),
        ("maria@-exemplo.com", false), ("maria@exemplo..com", false), ("@exemplo.com", false),
        ("\"maria\"@exemplo.com", false), ("maria;x@exemplo.com", false),
    ])
    func emails(text: String, valid: Bool) {
        #expect((ContactFields.email(text) != nil) == valid)
    }

    /// The table-driven check accepts exactly what the byte-by-byte check it replaced accepted
    /// (kept here as the reference), on random addresses built from the characters that matter
    /// and around the 64- and 254-byte limits.
    @Test func emailCheckAgreesWithTheByteByByteReference() {
        var rng = SplitMix64(seed: 9)
        func pick(_ xs: [String]) -> [UInt8] { Array(xs[Int(rng.next() % UInt64(xs.count))].utf8) }
        let locals = [
            "maria", "a.b", "a.", ".a", "a..b", "jo\u{E3}o", "a+tag", "a_b", "x", "", "a b", "<a>", "a,b", "\"a\"",
        ]
        let domains = [
            "exemplo.com", "exemplo.com.br", "-ex.com", "ex-.com", "ex..com", "\u{E9}.com.br", "sub.ex.org",
            "exemplo", "ex.c", ".com", "com.", "ex_ample.com", "e@x.com", "ex.com-", "a-b.c-d",
        ]
        let noise: [[UInt8]] =
            ["@", ".", "-", " ", "\u{85}", "\u{2028}", "\r\n"].map { Array($0.utf8) } + [[0xFF], [0xC3], [0x7F]]
        var cases: [[UInt8]] = []
        for _ in 0..<20_000 {
            var bytes = pick(locals) + (rng.next() % 8 == 0 ? [] : [64]) + pick(domains)
            if rng.next() % 3 == 0 {
                bytes.insert(
                    contentsOf: noise[Int(rng.next() % UInt64(noise.count))],
                    at: Int(rng.next() % UInt64(bytes.count + 1)))
            }
            cases.append(bytes)
        }
        for l in 60...66 {
            for d in [4, 188, 189, 190, 191, 250] {
                let domain = Array(repeating: UInt8(ascii: "b"), count: d - 4) + Array(".com".utf8)
                cases.append(Array(repeating: UInt8(ascii: "a"), count: l) + [64] + domain)
            }
        }
        for bytes in cases {
            bytes.withUnsafeBufferPointer { b in
                #expect(ContactFields.isEmail(bytes: b) == Self.referenceIsEmail(b), "\(bytes)")
            }
        }
    }

    /// The byte-by-byte check as it was before the table.
    private static func referenceIsEmail(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        func special(_ c: UInt8) -> Bool { Array("<>()[],;:\\\"".utf8).contains(c) }
        func labelOK(_ start: Int, _ end: Int) -> Bool {
            end - start >= 1 && end - start <= 63 && b[start] != UInt8(ascii: "-") && b[end - 1] != UInt8(ascii: "-")
        }
        let n = b.count
        guard n >= 3, n <= 254 else { return false }
        var at = -1
        var nonASCII = false
        var previous: UInt8 = 0
        var labelStart = 0
        var labels = 0
        for i in 0..<n {
            let c = b[i]
            if c == UInt8(ascii: "@") {
                guard at < 0, i >= 1, i <= 64, previous != UInt8(ascii: ".") else { return false }
                at = i
                labelStart = i + 1
            } else if at < 0 {
                if c < 33 || c == 127 || special(c) { return false }
                if c == UInt8(ascii: "."), i == 0 || previous == UInt8(ascii: ".") { return false }
            } else if c == UInt8(ascii: ".") {
                guard labelOK(labelStart, i) else { return false }
                labels += 1
                labelStart = i + 1
            } else {
                let alnum = (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 122)
                guard alnum || c == UInt8(ascii: "-") || c >= 0x80 else { return false }
            }
            if c >= 0x80 { nonASCII = true }
            previous = c
        }
        guard at > 0, n - at - 1 <= 253, labelOK(labelStart, n), labels >= 1 else { return false }
        if nonASCII, !UTF8Check.isValid(b) || CellText.hasControl(b) { return false }
        return true
    }

    @Test func statesAndZips() {
        #expect(ContactFields.state("sp") == "SP")
        #expect(ContactFields.state(" DF ") == "DF")
        #expect(ContactFields.state("XX") == nil)
        #expect(ContactFields.state("São Paulo") == nil)
        #expect(ContactFields.states.count == 27)
        #expect(ContactFields.zip("01310-100") == "01310100")
        #expect(ContactFields.zip("01310100") == "01310100")
        #expect(ContactFields.zip("01.310-100") == "01310100")
        #expect(ContactFields.zip("1310-100") == nil)
        #expect(ContactFields.zip("00000-000") == nil)
        #expect(ContactFields.zip("01310-10A") == nil)
    }
}

@Suite struct DocumentCellTests {
    private func document(_ text: String) -> Result<Document, RowReject> {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b in Result { () throws(RowReject) in try CustomerRowParser.document(b) }
        }
    }

    @Test func validCPFAndCNPJ() throws {
        #expect(try document("529.982.247-25").get() == Document(kind: .cpf, value: "52998224725"))
        #expect(try document("52998224725").get().kind == .cpf)
        #expect(try document("11.222.333/0001-81").get() == Document(kind: .cnpj, value: "11222333000181"))
        // Receita Federal's published example of the alphanumeric CNPJ (IN RFB 2.229/2024).
        #expect(try document("12.ABC.345/01DE-35").get() == Document(kind: .cnpj, value: "12ABC34501DE35"))
        #expect(try document("12.abc.345/01de-35").get().value == "12ABC34501DE35")
    }

    @Test(arguments: [
        ("529.982.247-24", "document não é um CPF válido: os dígitos verificadores não conferem"),
        ("111.111.111-11", "document não é um CPF válido (todos os dígitos são iguais)"),
        ("11.222.333/0001-80", "document não é um CNPJ válido: os dígitos verificadores não conferem"),
        ("12.ABC.345/01DE-36", "document não é um CNPJ válido: os dígitos verificadores não conferem"),
        (
            "12.ABC.345/01DE-3X",
            "document não é um CNPJ válido: os dois últimos caracteres (dígitos verificadores) devem ser dígitos"
        ),
        ("5299822472", "document tem 10 caracteres; um CPF tem 11 dígitos e um CNPJ 14 caracteres"),
        ("529.982.247_25", "document tem caracteres além de dígitos, letras e da pontuação . - /"),
        ("52998224A25", "document tem 11 caracteres, mas um CPF tem só dígitos"),
    ])
    func invalidDocumentsSayWhyWithoutEchoingTheNumber(text: String, reason: String) {
        guard case .failure(let reject) = document(text) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(reject.column == "document")
        #expect(reject.reason == reason)
    }
}

@Suite struct TitleCellTests {
    private func installment(_ text: String) -> String? {
        Array(text.utf8).withUnsafeBufferPointer(TitleRowParser.installment)
    }

    private func status(_ text: String) -> TitleStatus? {
        Array(text.utf8).withUnsafeBufferPointer(TitleRowParser.status)
    }

    @Test func installmentsAreNormalisedOrRefused() {
        let cases: [(String, String?)] = [
            ("3/12", "3/12"), ("03/12", "3/12"), (" 1 / 1 ", "1/1"), ("999/999", "999/999"), ("10/100", "10/100"),
            ("007/010", "7/10"), ("0/3", nil), ("4/3", nil), ("1000/1000", nil), ("3-12", nil), ("3/12/1", nil),
            ("/12", nil), ("3/", nil), ("a/b", nil), ("3/1 2", nil), ("", nil), ("/", nil),
        ]
        for (text, expected) in cases { #expect(installment(text) == expected, "\(text)") }
    }

    @Test func statusIsReadInAnyLetterCase() {
        for s in TitleStatus.allCases {
            #expect(status(s.rawValue) == s)
            #expect(status(s.rawValue.uppercased()) == s)
            #expect(status(s.rawValue.prefix(1).uppercased() + s.rawValue.dropFirst()) == s)
        }
        for bad in ["sold", "opened", "ope", "op3n", "open ", "\u{212A}", "paÍd", "PAID!", "", "OPEN\u{0}"] {
            #expect(status(bad) == nil, "\(bad)")
        }
    }
}
