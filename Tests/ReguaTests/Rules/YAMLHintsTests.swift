import Testing
@testable import Regua

/// The classic YAML mistakes of someone who is not a programmer get a hint that says what to
/// write, in Portuguese, at the place of the mistake.
@Suite("Rule book: hints for the classic YAML mistakes")
struct YAMLHintsTests {
    static let head = "company: { name: X, document: \"123.456.789-09\" }\n"

    @Test(arguments: [
        // An unquoted comparison, in a flow map (libyaml: "found character that cannot start any token").
        (
            "profiles:\n  - id: bons\n    when: { score: >= 700 }\n  - id: todos\n", "r.yaml:3:20:",
            "escreva score: \">= 700\""
        ),
        // The same in a block map (libyaml reads '>' as a folded text).
        (
            "profiles:\n  - id: bons\n    when:\n      score: >= 700\n  - id: todos\n", "r.yaml:4:",
            "escreva score: \">= 700\""
        ),
        (
            "profiles:\n  - id: bons\n    when:\n      late_payments_12m: > 2\n  - id: todos\n", "r.yaml:4:",
            "escreva late_payments_12m: \"> 2\""
        ),
        // `!=` unquoted is a YAML tag: refused, never read as "== 700".
        (
            "profiles:\n  - id: bons\n    when: { score: != 700 }\n  - id: todos\n", "r.yaml:3:",
            "ponha a comparação entre aspas: \"!= 700\""
        ),
        // A tab in the indentation.
        ("profiles:\n\t- id: todos\n", "r.yaml:2:1:", "use espaços, não tabulação (TAB)"),
        (
            "policy:\n  catch_up_days: 3\n\tmin_amount: 10.00\nprofiles: [{ id: todos }]\n", "r.yaml:3:1:",
            "use espaços, não tabulação (TAB)"
        ),
        // A missing space after ':' (in the middle of a map, and as its last key).
        (
            "policy:\n  min_amount:10\n  catch_up_days: 3\nprofiles: [{ id: todos }]\n", "r.yaml:",
            "falta um espaço depois de ':' na linha 3: escreva 'min_amount: 10'"
        ),
        (
            "profiles: [{ id: todos }]\npolicy:\n  min_amount:10\n", "r.yaml:",
            "escreva 'min_amount: 10'"
        ),
        // A list written as text.
        (
            "profiles: [{ id: a, when: { segment: B2B } }, { id: b }]\nsteps:\n  - id: s\n    offset: 1\n    remittance: protest\n    profiles: a, b\n",
            "r.yaml:6:15:", "escreva a lista entre colchetes: [a, b]"
        ),
        // A value holding ': '.
        (
            "profiles: [{ id: todos }]\nsteps:\n  - id: s\n    offset: 1\n    template: aviso: urgente\n", "r.yaml:5:",
            "ponha-o entre aspas: \"aviso: urgente\""
        ),
        // A comparison with the operator written backwards.
        (
            "profiles:\n  - id: a\n    when: { score: \"=> 700\" }\n  - id: b\n", "r.yaml:3:",
            "você quis dizer \">= 700\"?"
        ),
    ])
    func hint(yaml: String, place: String, hint: String) throws {
        let errors = try RulesFixture(["r.yaml": Self.head + yaml]).errors()
        let match = errors.first { $0.contains(hint) }
        #expect(match != nil, "\(errors)")
        // The company line comes first in the file: every line number moves down by one.
        if let match, let line = Int(place.split(separator: ":").dropFirst().first ?? "") {
            #expect(match.hasPrefix("r.yaml:\(line + 1):"), "\(match)")
            let column = place.split(separator: ":").dropFirst(2).first.map(String.init) ?? ""
            if !column.isEmpty { #expect(match.hasPrefix("r.yaml:\(line + 1):\(column):"), "\(match)") }
        }
    }

    @Test("every message and hint of a broken book is Portuguese")
    func noEnglishLeft() throws {
        let text = """
            version: 2
            timezone: Mars/Olympus
            company: { name: "", document: "1", email: x, cidade: y }
            bank: { code: "999", agency: x, account: y, wallet: "1234" }
            calendar: { holidays: some, extra: [2026-13-01] }
            policy: { late_fee_percent: 9, min_amount: abc, quiet_days: [domingo], sms: { max_segments: 0 }, backfill: talvez }
            profiles:
              - id: a
              - { id: a, when: { score: "about 7", segmento: B2B } }
            steps:
              - { id: x, offset: 1, channel: fax, template: "T!" }
              - { id: x, offset: 99999, remittance: protest, channel: sms, profiles: [] }
              - { id: y, offset: 1, channel: email, template: t, fallback: email, except_profiles: [zz], profiles: [a] }

            """
        let fixture = try RulesFixture([
            "r.yaml": text, "templates/t.email.mustache": "Subject: {{vencimento}}\n\n{{#titles}}{{valor}}{{/titles}}",
        ])
        // Through `regua check`: the YAML's errors and the template's together.
        let errors = try RuleCheck.run(rulesDir: fixture.directory).errors
            .map { $0.replacingOccurrences(of: fixture.directory + "/", with: "") }
        #expect(errors.contains { $0.hasPrefix("templates/t.email.mustache:1:10: ") }, "\(errors)")
        #expect(errors.count >= 20, "\(errors)")
        let english = [
            " must ", " is not ", "unknown", "did you mean", " needs ", "already defined", " not supported",
            " the rule book", "a step", "a profile", " or ", " and ",
        ]
        for e in errors {
            let message = e.drop { $0 != " " }  // after FILE:LINE:COLUMN:
            for word in english where message.contains(word) {
                Issue.record("English left in \(e): '\(word)'")
            }
        }
    }
}

/// An unknown key written in Portuguese is answered with the key it means.
@Suite("Rule book: keys by their Portuguese names")
struct RuleKeyGlossaryTests {
    @Test func portugueseKeysAreAnsweredByMeaning() throws {
        let text = """
            company: { name: X, documento: "123.456.789-09" }
            policy: { multa: 2.0, dias_sem_envio: [domingo] }
            profiles:
              - { id: bons, quando: { pontuação: ">= 700" } }
              - { id: todos }
            steps:
              - { id: a, dias: 3, canal: email, modelo: t }

            """
        let errors = try RulesFixture(["r.yaml": text]).errors()
        for (key, meant) in [
            ("documento", "document"), ("multa", "late_fee_percent"), ("dias_sem_envio", "quiet_days"),
            ("quando", "when"), ("dias", "offset"), ("canal", "channel"), ("modelo", "template"),
        ] {
            #expect(
                errors.contains {
                    $0.contains("chave desconhecida '\(key)'") && $0.hasSuffix("(você quis dizer '\(meant)'?)")
                },
                "\(key): \(errors)")
        }
        // Only keys the section knows are suggested: `banco` in a step is not `bank`.
        #expect(RuleKeyGlossary.meaning(of: "banco", in: RuleBookChecker.stepKeys) == nil)
        #expect(RuleKeyGlossary.meaning(of: "Convênio", in: ["code", "agreement"]) == "agreement")
        for (_, keys) in RuleKeyGlossary.entries {
            let known = Set(
                RuleBookLoader.mapSections + RuleBookLoader.listSections + RuleBookChecker.stepKeys
                    + RuleBookChecker.policyKeys + RuleBookChecker.whenKeys
                    + [
                        "name", "document", "email", "phone", "pix_key", "city", "address", "code", "agency",
                        "account", "agreement", "wallet", "holidays", "extra", "max_segments", "transliterate", "when",
                    ])
            for k in keys { #expect(known.contains(k), "\(k) is no key of the rule book") }
        }
    }
}
