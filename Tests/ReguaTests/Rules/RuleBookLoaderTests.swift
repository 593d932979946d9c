import Testing
@testable import Regua

@Suite("Rule book loader: a valid book")
struct RuleBookLoaderTests {
    static let base = """
        version: 1
        timezone: America/Sao_Paulo
        company:
          name: Exemplo Comércio Ltda
          document: 12.345.678/0001-95
          email: cobranca@exemplo.com.br
          phone: "+55 11 4000-0000"
          pix_key: cobranca@exemplo.com.br
          city: São Paulo
          address: Av. Paulista, 1000 - Bela Vista - 01310-100
        bank:
          code: 001
          agency: "1234-5"
          account: "56789-0"
          agreement: "1234567"
          wallet: "17"
        calendar:
          holidays: national
          extra: [2026-01-25]
        policy:
          late_fee_percent: 2.0
          interest_percent_month: 0.033
          min_amount: 10.00
          max_contacts_per_week: 3
          quiet_days: [sunday, sábado]
          sms: { max_segments: 3, transliterate: false }
        profiles:
          - id: key_account
            when: { segment: B2B, tags_any: [key-account] }
          - id: good_payer
            when: { score: ">= 700", late_payments_12m: "== 0" }
        steps:
          - id: reminder_d-5
            offset: -5
            channel: email
            template: lembrete

        """

    static let ladder = """
        profiles:
          - id: big_debt
            when: { segment: [B2B, B2G], total_overdue: "> 1000.50", oldest_days_overdue: 30 }
          - id: standard
        steps:
          - id: overdue_d3
            offset: 3
            channel: email
            template: atraso
            fallback: letter
            except_profiles: [key_account]
          - id: protest_d45
            offset: 45
            remittance: protest
            profiles: [big_debt, standard]

        """

    static let files = [
        "10-base.yaml": base, "20-ladder.yml": ladder, "README.md": "not a rule file",
        "templates/lembrete.email.mustache": "Subject: Lembrete\n\nOlá {{customer.name}}\n",
        "templates/atraso.email.mustache": "Subject: Atraso\n\nOlá\n",
        "templates/atraso.email.html.mustache": "<p>Olá</p>\n",
        "templates/atraso.letter.mustache": "Prezado(a)\n",
        "templates/notes.txt": "ignored",
    ]

    @Test("two files merge in name order into typed values")
    func mergesTwoFiles() throws {
        let fixture = try RulesFixture(Self.files)
        let book = try RuleBookLoader.load(directory: fixture.directory)
        #expect(book.version == 1)
        #expect(book.timeZone == "America/Sao_Paulo")
        #expect(book.company.document == Document(kind: .cnpj, value: "12345678000195"))
        #expect(book.company.city == "São Paulo")
        #expect(
            book.bank
                == BankAccount(
                    code: "001", agency: "1234", agencyDigit: "5", account: "56789",
                    accountDigit: "0", agreement: "1234567", wallet: "17"))
        #expect(book.calendar == CalendarConfig(nationalHolidays: true, extra: [Day(year: 2026, month: 1, day: 25)!]))
        #expect(
            book.policy
                == Policy(
                    lateFeePercent: Percent(micros: 2_000_000),
                    interestPercentMonth: Percent(micros: 33_000), minAmount: Money(cents: 1000),
                    maxContactsPerWeek: 3, catchUpDays: 3, quietDays: [.sunday, .saturday],
                    smsMaxSegments: 3, smsTransliterate: false, backfill: false))

        #expect(book.profiles.map(\.id) == ["key_account", "good_payer", "big_debt", "standard"])
        #expect(book.profiles[0].conditions == [.segment(["B2B"]), .tagsAny(["key-account"])])
        #expect(
            book.profiles[1].conditions == [
                .number(.score, .ge, hundredths: 70_000),
                .number(.latePayments12m, .eq, hundredths: 0),
            ])
        #expect(
            book.profiles[2].conditions == [
                .segment(["B2B", "B2G"]),
                .number(.totalOverdue, .gt, hundredths: 100_050),
                .number(.oldestDaysOverdue, .eq, hundredths: 3_000),
            ])
        #expect(book.profiles[3].conditions.isEmpty)
        #expect(book.profiles[2].location?.description == fixture.directory + "/20-ladder.yml:2:5")

        #expect(book.steps.map(\.id) == ["reminder_d-5", "overdue_d3", "protest_d45"])
        #expect(book.steps.map(\.index) == [0, 1, 2])
        #expect(book.steps.map(\.offset) == [-5, 3, 45])
        #expect(book.steps[1].action == .message(channel: .email, template: "atraso", fallback: .letter))
        #expect(book.steps[1].profiles == nil)
        #expect(book.steps[1].exceptProfiles == ["key_account"])
        #expect(book.steps[2].action == .remittance(.protest))
        #expect(book.steps[2].profiles == ["big_debt", "standard"])
        #expect(book.steps[0].location?.description == fixture.directory + "/10-base.yaml:33:5")

        #expect(
            book.templates.keys.sorted() == [
                "atraso.email.html.mustache", "atraso.email.mustache",
                "atraso.letter.mustache", "lembrete.email.mustache",
            ])
        #expect(
            book.templates["atraso.letter.mustache"]
                == TemplateSource(path: fixture.directory + "/templates/atraso.letter.mustache", text: "Prezado(a)\n"))
    }

    @Test("the hash covers rule files and templates, and only them")
    func hash() throws {
        let fixture = try RulesFixture(Self.files)
        let first = try RuleBookLoader.load(directory: fixture.directory).hash
        #expect(first.count == 64 && first.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(try RuleBookLoader.load(directory: fixture.directory).hash == first)
        try fixture.write("README.md", Array("changed".utf8))
        #expect(try RuleBookLoader.load(directory: fixture.directory).hash == first)
        try fixture.write("templates/atraso.letter.mustache", Array("Prezado(a) \n".utf8))
        let second = try RuleBookLoader.load(directory: fixture.directory).hash
        #expect(second != first)
        try fixture.write("20-ladder.yml", Array((Self.ladder + "# comment\n").utf8))
        #expect(try RuleBookLoader.load(directory: fixture.directory).hash != second)
    }

    @Test("a template's UTF-8 BOM is dropped from its text")
    func templateBOM() throws {
        let fixture = try RulesFixture(Self.files)
        try fixture.write("templates/atraso.letter.mustache", [0xEF, 0xBB, 0xBF] + Array("Prezado".utf8))
        #expect(
            try RuleBookLoader.load(directory: fixture.directory).templates["atraso.letter.mustache"]?.text
                == "Prezado")
    }

    @Test(
        "bank.code is text: 001 unquoted or quoted reads as \"001\"",
        arguments: ["code: 001", "code: \"001\"", "code: '001'"])
    func bankCodeStaysText(line: String) throws {
        let fixture = try RulesFixture(
            Self.files.merging(
                ["10-base.yaml": Self.base.replacingOccurrences(of: "code: 001", with: line)]) { $1 })
        #expect(try RuleBookLoader.load(directory: fixture.directory).bank?.code == "001")
    }

    @Test("a bank code written as the number 1 is not silently padded")
    func bankCodeOne() throws {
        let fixture = try RulesFixture(
            Self.files.merging(
                ["10-base.yaml": Self.base.replacingOccurrences(of: "code: 001", with: "code: 1")]) { $1 })
        #expect(
            fixture.errors() == [
                "10-base.yaml:12:9: o código de banco '1' não é suportado; use um destes: \"001\" (Banco do Brasil), \"341\" (Itaú), \"104\" (Caixa)"
            ])
    }

    @Test("policy defaults: catch-up 3 days, SMS of 2 segments transliterated, no cap")
    func policyDefaults() throws {
        let fixture = try RulesFixture([
            "r.yaml": "company: { name: X, document: \"123.456.789-09\" }\nprofiles: [{ id: all }]\n"
        ])
        let book = try RuleBookLoader.load(directory: fixture.directory)
        #expect(book.policy == Policy(catchUpDays: 3))
        #expect(book.timeZone == "America/Sao_Paulo")
        #expect(book.bank == nil && book.steps.isEmpty && book.templates.isEmpty)
    }
}
