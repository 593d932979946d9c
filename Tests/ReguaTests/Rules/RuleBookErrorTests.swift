import Testing
@testable import Regua

@Suite("Rule book loader: every error, with its place")
struct RuleBookErrorTests {
    @Test("a book seeded with errors across two files reports all of them, sorted")
    func reportsEveryError() throws {
        let a = """
            version: 1
            timezone: America/Sao_Pualo
            company:
              name: Exemplo
              document: 11.222.333/0001-81
            calendar:
              extra: [2026-01-25, 2026-02-30]
            profiles:
              - id: vip
                when: { segment: B2B }
            steps:
              - id: lembrete
                ofset: -5
                channel: email
                template: lembrete
                profiles: [standrd]

            """
        let b = """
            policy:
              late_fee_percent: 2.5
            profiles:
              - id: standard
                when: { score: ">= 700" }
            steps:
              - id: lembrete
                offset: 3
                channel: sms
                template: ok
            timezone: UTC

            """
        let fixture = try RulesFixture(["a.yaml": a, "b.yaml": b, "templates/ok.sms.mustache": "Oi"])
        #expect(
            fixture.errors() == [
                "a.yaml:2:11: unknown time zone 'America/Sao_Pualo'; use an IANA name such as America/Sao_Paulo (did you mean 'America/Sao_Paulo'?)",
                "a.yaml:7:23: '2026-02-30' in 'extra' is not a date written YYYY-MM-DD",
                "a.yaml:12:5: a step needs 'offset'",
                "a.yaml:13:5: unknown key 'ofset' in a step (did you mean 'offset'?)",
                "a.yaml:15:15: template file templates/lembrete.email.mustache does not exist",
                "a.yaml:16:16: 'standrd' in 'profiles' is not a profile of this rule book (did you mean 'standard'?)",
                "b.yaml:2:21: a late fee of 2.5% is above the 2% the Código de Defesa do Consumidor allows (Lei 8.078/1990, art. 52, §1º)",
                "b.yaml:5:5: the last profile must match everyone (no `when`)",
                "b.yaml:7:9: step id 'lembrete' is already defined at a.yaml:12:9",
                "b.yaml:11:1: 'timezone' is already defined at a.yaml:2:1; a section may be written in one file only",
            ])
    }

    @Test("a syntax error is placed by libyaml; what the broken file may hold is not reported missing")
    func syntaxErrorInOneFile() throws {
        let a = """
            steps:
              - id: protest
                offset: 45x
                remittance: protest
                profiles: [standard]

            """
        let broken = "profiles: [1, 2\nbank: { code: \"001\" }\n"
        let fixture = try RulesFixture(["a.yaml": a, "z.yaml": broken])
        #expect(
            fixture.errors() == [
                "a.yaml:3:13: 'offset' must be a whole number, not '45x'",
                "z.yaml:2:5: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence started at line 1, column 11)",
            ])
    }

    @Test("wrong types, misplaced catch-all, channels, remittance without bank")
    func typesAndShapes() throws {
        let x = """
            company: { name: X, document: "12.345.678/0001-95" }
            profiles:
              - id: everyone
              - id: late
                when: { late_payments_12m: "=> 3" }
            steps:
              - id: a
                offset: abc
                channel: email
                template: t
                fallback: fax
              - id: b
                offset: 1
                remittance: protest
                profiles: [late]
                except_profiles: [late]
              - id: c
                offset: 2
                channel: sms
                template: t
                fallback: letter
              - id: d e
                offset: 3
            policy:
              quiet_days: sunday
              sms: { max_segments: 11 }

            """
        let fixture = try RulesFixture(["x.yaml": x, "templates/t.email.mustache": "Subject: t\n\nt"])
        #expect(
            fixture.errors() == [
                "x.yaml:3:5: profile 'everyone' has no `when`, so it matches everyone and the profiles after it are never reached; only the last profile may omit `when`",
                "x.yaml:5:5: the last profile must match everyone (no `when`)",
                "x.yaml:5:32: 'late_payments_12m' must be a number or a comparison like \">= 700\" (operators >= > <= < == !=), not '=> 3'",
                "x.yaml:8:13: 'offset' must be a whole number, not 'abc'",
                "x.yaml:11:15: 'fallback' must be one of email, sms, letter, not 'fax'",
                "x.yaml:14:17: step 'b' asks for a remittance but the rule book has no 'bank' section",
                "x.yaml:16:5: give either 'profiles' or 'except_profiles', not both",
                "x.yaml:20:15: template file templates/t.sms.mustache does not exist",
                "x.yaml:21:15: template file templates/t.letter.mustache does not exist",
                "x.yaml:22:5: step 'd e' needs 'channel' and 'template' (a message) or 'remittance' (a bank instruction)",
                "x.yaml:22:9: 'id' must be 1 to 100 characters of letters, digits, '_', '.' and '-', not 'd e'",
                "x.yaml:25:15: 'quiet_days' must be a list, e.g. [a, b], not text 'sunday'",
                "x.yaml:26:24: 'max_segments' must be between 1 and 10, not 11",
            ])
    }

    @Test("no rule file in the folder")
    func noRuleFile() throws {
        let fixture = try RulesFixture(["rules.txt": "version: 1"])
        #expect(fixture.errors() == ["\(fixture.directory):1:1: no rule file (*.yaml or *.yml) in this folder"])
    }

    @Test("a missing folder")
    func missingFolder() {
        #expect(throws: RuleBookErrors.self) { try RuleBookLoader.load(directory: "/nonexistent/regua-rules") }
    }

    @Test("no company and no profiles are reported at the first file")
    func missingSections() throws {
        let fixture = try RulesFixture(["a.yaml": "", "b.yaml": "version: 2\n"])
        #expect(
            fixture.errors() == [
                "a.yaml:1:1: the rule book has no 'company' section (its name and document are required)",
                "a.yaml:1:1: the rule book has no profiles; add at least a last profile that matches everyone, e.g. `- id: standard`",
                "b.yaml:1:10: rule book version 2 is not supported; this Regua reads version 1",
            ])
    }

    @Test("a billion laughs through the loader is refused")
    func billionLaughs() throws {
        var text = "company: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 {
            text += "x\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let errors = try RulesFixture(["a.yaml": text]).errors()
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("a.yaml:4:") == true)
        #expect(errors.first?.contains("billion laughs") == true)
    }

    @Test("a template that is not UTF-8 or too large is refused")
    func badTemplates() throws {
        let fixture = try RulesFixture([
            "r.yaml": "company: { name: X, document: \"123.456.789-09\" }\nprofiles: [{ id: all }]\n"
        ])
        try fixture.write("templates/latin1.email.mustache", Array("Subject: Cobran".utf8) + [0xE7, 0x61])
        try fixture.write(
            "templates/huge.sms.mustache", Array(repeating: 0x61, count: RuleBookLoader.maxTemplateBytes + 1))
        #expect(
            fixture.errors() == [
                "templates/huge.sms.mustache:1:1: this template is larger than 256 KiB, the limit; refused",
                "templates/latin1.email.mustache:1:16: this template is not UTF-8 (byte 0xE7 is not valid here); save it as UTF-8",
            ])
    }

    @Test("company and bank fields are checked")
    func companyAndBank() throws {
        let text = """
            company:
              name: X
              document: 11.111.111/1111-11
              email: cobranca
              sobrenome: Y
            bank:
              code: "341"
              agency: "12a4"
              account: "56789-0-1"
              wallet: 109
            profiles: [{ id: all }]

            """
        #expect(
            try RulesFixture(["r.yaml": text]).errors() == [
                "r.yaml:3:13: 'document' is not a valid CPF or CNPJ (length or check digits)",
                "r.yaml:4:10: 'email' is not an e-mail address (name@domain)",
                "r.yaml:5:3: unknown key 'sobrenome' in company",
                "r.yaml:8:11: 'agency' must be up to 5 digits with an optional check digit, like \"1234-5\", not '12a4'",
                "r.yaml:9:12: 'account' must be up to 12 digits with an optional check digit, like \"1234-5\", not '56789-0-1'",
            ])
    }

    @Test("duplicate keys in one map and duplicate profile ids")
    func duplicates() throws {
        let text = """
            company: { name: X, name: Y, document: "123.456.789-09" }
            profiles:
              - id: all
              - id: all

            """
        #expect(
            try RulesFixture(["r.yaml": text]).errors() == [
                "r.yaml:1:21: 'name' is given twice in company (first at r.yaml:1:12)",
                "r.yaml:3:5: profile 'all' has no `when`, so it matches everyone and the profiles after it are never reached; only the last profile may omit `when`",
                "r.yaml:4:9: profile id 'all' is already defined at r.yaml:3:9",
            ])
    }
}
