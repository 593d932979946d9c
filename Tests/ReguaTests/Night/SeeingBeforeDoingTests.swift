import Foundation
import Testing
@testable import Regua

/// `regua check`, `explain` and `simulate` on the shipped example and on broken copies of it.
@Suite struct SeeingBeforeDoingTests {
    @Test func explainNamesProfileFallbackAndSuppression() throws {
        let w = try Workspace()
        let o = w.options()
        let c006 = try Simulation.explain(options: o, customerID: "C006", asOf: Day(iso: "2026-11-23"))
        #expect(c006.profile == "standard")
        #expect(c006.profileTrail.map(\.profile) == ["key_account", "good_payer", "chronic", "standard"])
        let verdicts = c006.titles.flatMap(\.steps).filter { $0.stepID == "overdue_d3" }.map(\.verdict)
        #expect(
            verdicts.contains { if case .sent(.letter, _) = $0 { true } else { false } },
            "opt-out e-mail falls back to a letter")
        let c015 = try Simulation.explain(options: o, customerID: "C015", asOf: Day(iso: "2026-11-23"))
        #expect(c015.titles.contains { $0.suppressed == "promised to pay by 2026-11-30" })
        #expect(c015.messages.isEmpty)
        // Explain reads the ledger, it never creates one.
        #expect(!FileManager.default.fileExists(atPath: o.statePath))
        #expect(throws: ReguaError.self) { try Simulation.explain(options: o, customerID: "NOPE", asOf: nil) }
    }

    @Test func explainAfterARealNightSaysAlreadySent() throws {
        let w = try Workspace()
        _ = try w.run("2026-11-23")
        let e = try Simulation.explain(options: w.options(), customerID: "C002", asOf: Day(iso: "2026-11-24"))
        let v = e.titles.first { $0.titleID.raw == "NF-10277" }?.steps.first { $0.stepID == "overdue_d3" }?.verdict
        #expect(v == .alreadySent(night: Day(iso: "2026-11-23")!))
    }

    @Test func simulateMatchesRealNightsAndTouchesNothing() throws {
        let w = try Workspace()
        let sim = try Simulation.run(options: w.options(), from: Day(iso: "2026-11-23")!, to: Day(iso: "2026-11-27")!)
        #expect(!FileManager.default.fileExists(atPath: w.root + "/var/regua.sqlite"))
        var pairs = Set<String>()
        for l in sim.lines { for t in l.titleIDs { #expect(pairs.insert("\(t)|\(l.step)").inserted) } }
        // The same nights run for real send the same messages.
        var real: [String] = []
        for d in ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"] {
            let r = try w.run(d)
            real.append("\(d):\(r.summary!.messages.total)")
        }
        let simulated = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"].map { d in
            "\(d):\(sim.lines.filter { $0.night == d && !["bank", "bureau", "handoff"].contains($0.channel) }.count)"
        }
        #expect(real == simulated)
        #expect(sim.totals.values.reduce(0, +) == sim.lines.count)
    }

    @Test func checkPassesTheShippedBookAndWritesPreviews() throws {
        let w = try Workspace()
        let preview = w.root + "/preview"
        let r = try RuleCheck.run(rulesDir: w.root + "/rules", previewDir: preview)
        #expect(r.ok, "\(r.errors)")
        #expect(r.rendered.contains("overdue_d3/letter"))
        let files = try FileManager.default.contentsOfDirectory(atPath: preview)
        #expect(files.contains("overdue_d3.email.eml"))
        #expect(files.contains("letters.pdf"))
        #expect(files.contains("overdue_d10.sms.txt"))
    }

    @Test func checkReportsEveryTemplateProblemAtOnce() throws {
        let w = try Workspace()
        let t = w.root + "/rules/templates/"
        // An unknown variable on line 3, an e-mail without a subject, an SMS far above two segments.
        try "Subject: Aviso\n\nOlá {{customer.name}},\n{{customer.nmae}}\n".write(
            toFile: t + "atraso.email.mustache", atomically: true, encoding: .utf8)
        try "Olá {{customer.name}}\n".write(toFile: t + "lembrete.email.mustache", atomically: true, encoding: .utf8)
        try String(repeating: "Texto longo da cobrança com acentuação. ", count: 20)
            .write(toFile: t + "atraso_sms.sms.mustache", atomically: true, encoding: .utf8)
        let r = try RuleCheck.run(rulesDir: w.root + "/rules")
        #expect(!r.ok)
        #expect(r.errors.contains { $0.contains("atraso.email.mustache:4:") && $0.contains("customer.nmae") })
        #expect(r.errors.contains { $0.contains("lembrete.email.mustache:1:1") })
        // The SMS limit comes in the same pass; fix the first two and it is what remains.
        #expect(r.errors.contains { $0.contains("overdue_d10") && $0.contains("partes") }, "\(r.errors)")
        try "Subject: Aviso\n\nOlá {{customer.name}}\n".write(
            toFile: t + "atraso.email.mustache", atomically: true, encoding: .utf8)
        try "Subject: Lembrete\n\nOlá {{customer.name}}\n".write(
            toFile: t + "lembrete.email.mustache", atomically: true, encoding: .utf8)
        let r2 = try RuleCheck.run(rulesDir: w.root + "/rules")
        #expect(
            r2.errors.count == 1 && r2.errors[0].contains("overdue_d10") && r2.errors[0].contains("partes"),
            "\(r2.errors)")
    }
}

extension SeeingBeforeDoingTests {
    @Test func checkWarnsAboutAnEmailWithoutHTMLTemplate() throws {
        let w = try Workspace()
        try FileManager.default.removeItem(atPath: w.root + "/rules/templates/lembrete.email.html.mustache")
        let r = try RuleCheck.run(rulesDir: w.root + "/rules")
        #expect(r.ok)
        #expect(r.warnings.contains { $0.contains("reminder_d-5") && $0.contains("lembrete.email.html.mustache") })
        #expect(!r.warnings.contains { $0.contains("overdue_d3") })
    }
}
