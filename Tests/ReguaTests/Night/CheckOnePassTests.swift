import Foundation
import Testing
@testable import Regua

/// `regua check` shows every error of every kind at once: YAML and rule errors together with
/// the templates' own errors, not the templates only once the YAML is fixed.
@Suite struct CheckOnePassTests {
    @Test func yamlAndTemplateErrorsComeTogether() throws {
        let w = try Workspace()
        let rules = w.root + "/rules/"
        // The rule book: an unknown key in a step and an unquoted comparison in a profile.
        var book = try String(contentsOfFile: rules + "10-regua.yaml", encoding: .utf8)
        book = book.replacingOccurrences(of: "    offset: 3\n", with: "    ofset: 3\n")
        try book.write(toFile: rules + "10-regua.yaml", atomically: true, encoding: .utf8)
        try "policy:\n  catch_up_days: dois\n".write(toFile: rules + "20-extra.yaml", atomically: true, encoding: .utf8)
        // A template: an unknown variable, and an HTML template with unescaped output.
        let atraso = try String(contentsOfFile: rules + "templates/atraso.email.mustache", encoding: .utf8)
        try atraso.replacingOccurrences(of: "{{as_of_br}}", with: "{{vencimento}}")
            .write(toFile: rules + "templates/atraso.email.mustache", atomically: true, encoding: .utf8)
        try "{{company.name}} {{customer.nmae}}".write(
            toFile: rules + "templates/vence_hoje.sms.mustache", atomically: true, encoding: .utf8)
        // And an SMS that is valid alone but far above max_segments with sample data.
        try String(repeating: "Texto longo da cobrança com acentuação, {{customer.name}}. ", count: 12)
            .write(toFile: rules + "templates/atraso_sms.sms.mustache", atomically: true, encoding: .utf8)

        let r = try RuleCheck.run(rulesDir: w.root + "/rules")
        #expect(!r.ok)
        let errors = r.errors.map { $0.replacingOccurrences(of: w.root + "/rules/", with: "") }
        // The YAML errors …
        #expect(
            errors.contains { $0.hasPrefix("10-regua.yaml:") && $0.contains("chave desconhecida 'ofset'") }, "\(errors)"
        )
        #expect(errors.contains { $0.hasPrefix("20-extra.yaml:1:1: 'policy' já foi definida em") }, "\(errors)")
        // … and the templates', in the same report.
        #expect(
            errors.contains {
                $0.hasPrefix("templates/atraso.email.mustache:5:") && $0.contains("variável desconhecida 'vencimento'")
                    && $0.contains("due_date_br")
            }, "\(errors)")
        #expect(
            errors.contains {
                $0.hasPrefix("templates/vence_hoje.sms.mustache:1:18: variável desconhecida 'customer.nmae'")
            },
            "\(errors)")
        // … and what rendering the valid steps with sample data finds, in the same pass.
        #expect(
            errors.contains {
                $0.hasPrefix("10-regua.yaml:") && $0.contains("degrau overdue_d10 (atraso_sms.sms): o SMS precisa de")
            }, "\(errors)")
        // Every error is FILE:LINE:COLUMN: message, sorted by file then line.
        for e in errors { #expect(e.range(of: #"^[^:]+:\d+:\d+: "#, options: .regularExpression) != nil, "\(e)") }
        let places = errors.map { e -> (String, Int) in
            let parts = e.split(separator: ":")
            return (String(parts[0]), Int(parts[1])!)
        }
        for (a, b) in zip(places, places.dropFirst()) {
            #expect(a.0 == b.0 ? a.1 <= b.1 : a.0.utf8.lexicographicallyPrecedes(b.0.utf8), "\(a) before \(b)")
        }

        // The night refuses the same book with the same errors, all of them (exit 2).
        do {
            _ = try w.run()
            Issue.record("a book that does not validate ran")
        } catch let e as ReguaError {
            #expect(e.code == .refused)
            // The night needs no sample rendering to refuse: it reports the load errors.
            #expect(e.diagnostics.count == r.errors.count - 1)
        }
    }
}
