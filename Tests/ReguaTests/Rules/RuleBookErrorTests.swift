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
                "a.yaml:2:11: fuso horário desconhecido 'America/Sao_Pualo'; use um nome IANA como America/Sao_Paulo (você quis dizer 'America/Sao_Paulo'?)",
                "a.yaml:7:23: '2026-02-30' em 'extra' não é uma data escrita AAAA-MM-DD",
                "a.yaml:12:5: falta 'offset' em um degrau",
                "a.yaml:13:5: chave desconhecida 'ofset' em um degrau (você quis dizer 'offset'?)",
                "a.yaml:15:15: o arquivo de modelo templates/lembrete.email.mustache não existe",
                "a.yaml:16:16: 'standrd' em 'profiles' não é um perfil deste livro de regras (você quis dizer 'standard'?)",
                "b.yaml:2:21: uma multa de 2.5% passa dos 2% que o Código de Defesa do Consumidor permite (Lei 8.078/1990, art. 52, §1º)",
                "b.yaml:5:5: o último perfil deve valer para todos (sem `when`)",
                "b.yaml:7:9: o degrau 'lembrete' já foi definido em a.yaml:12:9",
                "b.yaml:11:1: 'timezone' já foi definida em a.yaml:2:1; uma seção só pode estar em um arquivo",
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
                "a.yaml:3:13: 'offset' deve ser um número inteiro, não '45x'",
                "z.yaml:2:5: erro de sintaxe YAML: faltou ',' entre os itens ou ']' para fechar a lista (numa lista [ … ] aberta na linha 1, coluna 11)",
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
                "x.yaml:3:5: o perfil 'everyone' não tem `when`, então vale para todos e os perfis depois dele nunca são alcançados; só o último perfil pode ficar sem `when`",
                "x.yaml:5:5: o último perfil deve valer para todos (sem `when`)",
                "x.yaml:5:32: 'late_payments_12m' deve ser um número ou uma comparação entre aspas como \">= 700\" (operadores >= > <= < == !=), não '=> 3' (você quis dizer \">= 3\"?)",
                "x.yaml:8:13: 'offset' deve ser um número inteiro, não 'abc'",
                "x.yaml:11:15: 'fallback' deve ser um destes: email, sms, letter, call, whatsapp; não 'fax'",
                "x.yaml:14:17: o degrau 'b' pede uma remessa ao banco, mas o livro de regras não tem a seção 'bank'",
                "x.yaml:16:5: use 'profiles' ou 'except_profiles', não os dois",
                "x.yaml:20:15: o arquivo de modelo templates/t.sms.mustache não existe",
                "x.yaml:21:15: o arquivo de modelo templates/t.letter.mustache não existe",
                "x.yaml:22:5: o degrau 'd e' precisa de 'channel' e 'template' (uma mensagem) ou de 'remittance' (uma instrução ao banco)",
                "x.yaml:22:9: 'id' deve ter de 1 a 100 caracteres entre letras, dígitos, '_', '.' e '-', não 'd e'",
                "x.yaml:25:15: 'quiet_days' deve ser uma lista, por exemplo [a, b], não o texto 'sunday' (escreva a lista entre colchetes: [sunday])",
                "x.yaml:26:24: 'max_segments' deve estar entre 1 e 10, não 11",
            ])
    }

    @Test("no rule file in the folder")
    func noRuleFile() throws {
        let fixture = try RulesFixture(["rules.txt": "version: 1"])
        #expect(
            fixture.errors() == ["\(fixture.directory):1:1: nenhum arquivo de regras (*.yaml ou *.yml) nesta pasta"])
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
                "a.yaml:1:1: o livro de regras não tem a seção 'company' (o nome e o documento da empresa são obrigatórios)",
                "a.yaml:1:1: o livro de regras não tem perfis; inclua ao menos um último perfil que vale para todos, por exemplo `- id: standard`",
                "b.yaml:1:10: a versão 2 do livro de regras não é suportada; este Regua lê a versão 1",
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
                "templates/huge.sms.mustache:1:1: este modelo passa de 256 KiB, o limite; recusado",
                "templates/latin1.email.mustache:1:16: este modelo não está em UTF-8 (o byte 0xE7 não é válido aqui); salve-o como UTF-8",
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
                "r.yaml:3:13: 'document' não é um CPF ou CNPJ válido (tamanho ou dígitos verificadores)",
                "r.yaml:4:10: 'email' não é um endereço de e-mail (nome@dominio)",
                "r.yaml:5:3: chave desconhecida 'sobrenome' na seção company",
                "r.yaml:8:11: 'agency' deve ter até 5 dígitos, com o dígito verificador opcional, como \"1234-5\"; não '12a4'",
                "r.yaml:9:12: 'account' deve ter até 12 dígitos, com o dígito verificador opcional, como \"1234-5\"; não '56789-0-1'",
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
                "r.yaml:1:21: 'name' aparece duas vezes na seção company (a primeira em r.yaml:1:12)",
                "r.yaml:3:5: o perfil 'all' não tem `when`, então vale para todos e os perfis depois dele nunca são alcançados; só o último perfil pode ficar sem `when`",
                "r.yaml:4:9: o perfil 'all' já foi definido em r.yaml:3:9",
            ])
    }
}
