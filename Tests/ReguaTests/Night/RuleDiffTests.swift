import Foundation
import Testing
@testable import Regua

/// `regua diff-rules` on the shipped example against edited copies of its rule book. Every
/// expected figure is read from the decider run under each book here, not from `RuleDiff`.
@Suite struct RuleDiffTests {
    /// Copies the workspace's rule book to `name/` and edits its ladder file.
    static func editedBook(_ w: Workspace, _ name: String, edit: (String) -> String) throws -> String {
        let dir = w.root + "/" + name
        try FileManager.default.copyItem(atPath: w.root + "/rules", toPath: dir)
        let path = dir + "/10-regua.yaml"
        let before = try String(contentsOfFile: path, encoding: .utf8)
        let after = edit(before)
        precondition(after != before, "the edit changed nothing")
        try after.write(toFile: path, atomically: true, encoding: .utf8)
        return dir
    }

    /// What the test reads as a title's night under one book.
    struct Night {
        var decision: NightDecision
        /// title id → (step, channel or "bank") for the ladder step sent tonight.
        var sent: [String: (step: String, channel: String)] = [:]
        /// title id → reason its ladder step was held back.
        var held: [String: String] = [:]
        var customerOf: [String: String] = [:]
        var titles: Int

        init(rules: String, _ w: Workspace, asOf: String, history: LedgerHistory = LedgerHistory()) throws {
            let book = try RuleBookLoader.load(directory: rules)
            let inputs = try InputReader.read(
                customers: w.root + "/fixtures/customers.csv",
                receivables: w.root + "/fixtures/receivables.csv")
            titles = inputs.titles.count
            decision = NightDecider(book: book, asOf: Day(iso: asOf)!)
                .decide(customers: inputs.customers, titles: inputs.titles, history: history)
            for a in decision.actions where !a.stepID.hasPrefix("bank:") {
                customerOf[a.titleID.raw] = a.customerID.raw
                if a.kind == .sent { sent[a.titleID.raw] = (a.stepID, a.channel?.rawValue ?? "bank") }
                if a.kind == .held { held[a.titleID.raw] = a.reason!.rawValue }
            }
        }

        func messages(on channel: Channel) -> Int { decision.messages.filter { $0.channel == channel }.count }
    }

    /// The categories, by sets of title ids.
    static func expected(_ old: Night, _ new: Night) -> [RuleDiff.Category: Set<String>] {
        let (so, sn) = (Set(old.sent.keys), Set(new.sent.keys))
        let both = so.intersection(sn)
        let neither = Set(old.held.keys).union(new.held.keys).subtracting(so).subtracting(sn)
        return [
            .added: sn.subtracting(so),
            .removed: so.subtracting(sn),
            .movedStep: both.filter { old.sent[$0]!.step != new.sent[$0]!.step },
            .movedChannel: both.filter {
                old.sent[$0]!.step == new.sent[$0]!.step && old.sent[$0]!.channel != new.sent[$0]!.channel
            },
            .heldChanged: neither.filter { old.held[$0] != new.held[$0] },
        ]
    }

    /// Every category's count and sample match the sets; channel totals match the decisions.
    static func check(_ r: RuleDiff.Result, _ old: Night, _ new: Night) -> [RuleDiff.Category: Set<String>] {
        let want = expected(old, new)
        for c in RuleDiff.Category.allCases {
            let titles = want[c]!
            let s = r.summary(c)
            #expect(s.titles == titles.count, "\(c.rawValue)")
            #expect(s.transitions.reduce(0) { $0 + $1.titles } == titles.count, "\(c.rawValue)")
            #expect(s.byProfile.reduce(0) { $0 + $1.titles } == titles.count, "\(c.rawValue)")
            let customers = Set(titles.map { old.customerOf[$0] ?? new.customerOf[$0]! })
            #expect(s.customers == customers.count, "\(c.rawValue)")
            #expect(
                s.sampleCustomers == Array(customers.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.prefix(5)))
        }
        #expect(r.titlesChanged == want.values.reduce(0) { $0 + $1.count })
        for ch in Channel.allCases {
            #expect(
                r.channels.first { $0.channel == ch.rawValue }
                    == RuleDiff.ChannelTotal(
                        channel: ch.rawValue, old: old.messages(on: ch), new: new.messages(on: ch)))
        }
        #expect(
            r.channels.first { $0.channel == "bank" }
                == RuleDiff.ChannelTotal(
                    channel: "bank", old: old.decision.remittances.count, new: new.decision.remittances.count))
        return want
    }

    @Test func aStepOnAnotherChannelMovesItsTitles() throws {
        let w = try Workspace()
        let new = try Self.editedBook(w, "rules-sms") {
            $0.replacingOccurrences(
                of: "offset: 3\n    channel: email\n    template: atraso\n",
                with: "offset: 3\n    channel: sms\n    template: atraso\n")
        }
        // An SMS body for the `atraso` template (the letter fallback stays as it was).
        try FileManager.default.copyItem(
            atPath: new + "/templates/atraso_sms.sms.mustache",
            toPath: new + "/templates/atraso.sms.mustache")
        let r = try RuleDiff.run(
            oldRules: w.root + "/rules", newRules: new, options: w.options(),
            asOf: Day(iso: "2026-11-23")!)
        let old = try Night(rules: w.root + "/rules", w, asOf: "2026-11-23")
        let now = try Night(rules: new, w, asOf: "2026-11-23")
        let want = Self.check(r, old, now)

        #expect(r.titles == old.titles)
        #expect(want[.movedChannel]!.count >= 5)
        #expect(
            want[.movedChannel]!.allSatisfy { old.sent[$0]!.step == "overdue_d3" && now.sent[$0]!.channel == "sms" })
        #expect(r.summary(.movedChannel).transitions.allSatisfy { $0.to == "overdue_d3/sms" })
        #expect(r.summary(.removed).titles == 0)
        #expect(r.summary(.movedStep).titles == 0)
        #expect(r.channels.first { $0.channel == "email" }!.new < r.channels.first { $0.channel == "email" }!.old)
        #expect(r.profileChanges.isEmpty)
        #expect(r.summary(.movedChannel).transitions.contains { $0.from == "overdue_d3/email" })
        #expect(
            r.text.split(separator: "\n").contains {
                $0.contains("overdue_d3/email") && $0.contains("→") && $0.contains("overdue_d3/sms")
            })
    }

    @Test func aRemovedStepIsReportedAgainstTheLedgersHistory() throws {
        let w = try Workspace()
        _ = try w.run("2026-11-20")  // real history: steps already sent count on the ladder
        let before = try w.allActions().count
        let new = try Self.editedBook(w, "rules-no-letter") {
            $0.replacingOccurrences(
                of: "  - id: letter_d30\n    offset: 30\n    channel: letter\n    template: carta_cobranca\n",
                with: ""
            ).replacingOccurrences(of: "    requires: { step: letter_d30, days: 10 }\n", with: "")
        }
        let r = try RuleDiff.run(
            oldRules: w.root + "/rules", newRules: new, options: w.options(),
            asOf: Day(iso: "2026-11-23")!)
        let history = try w.ledger().history(before: Day(iso: "2026-11-23")!)
        let old = try Night(rules: w.root + "/rules", w, asOf: "2026-11-23", history: history)
        let now = try Night(rules: new, w, asOf: "2026-11-23", history: history)
        let want = Self.check(r, old, now)

        let letters = Set(old.sent.filter { $0.value.step == "letter_d30" }.keys)
        #expect(!letters.isEmpty)
        #expect(letters.isSubset(of: want[.removed]!))
        #expect(want[.removed]!.allSatisfy { old.sent[$0]!.step == "letter_d30" })
        #expect(r.summary(.removed).transitions.allSatisfy { $0.from == "letter_d30/letter" && $0.to == "nothing" })
        #expect(r.summary(.movedChannel).titles == 0)
        // The scratch copy took the history and left the ledger as it was.
        #expect(try w.allActions().count == before)
        #expect(try w.ledger().night(Day(iso: "2026-11-23")!) == nil)
    }

    @Test func identicalBooksChangeNothing() throws {
        let w = try Workspace()
        let copy = w.root + "/rules-copy"
        try FileManager.default.copyItem(atPath: w.root + "/rules", toPath: copy)
        let r = try RuleDiff.run(
            oldRules: w.root + "/rules", newRules: copy, options: w.options(),
            asOf: Day(iso: "2026-11-23")!)
        #expect(r.oldHash == r.newHash)
        #expect(r.titlesChanged == 0)
        #expect(r.categories.map(\.category) == RuleDiff.Category.allCases)
        #expect(r.categories.allSatisfy { $0.titles == 0 && $0.sampleCustomers.isEmpty && $0.transitions.isEmpty })
        #expect(r.profileChanges.isEmpty)
        #expect(r.channels.allSatisfy { $0.old == $0.new })
        #expect(r.channels.reduce(0) { $0 + $1.old } > 0)
        #expect(r.text.contains("The two rule books are identical."))
    }

    @Test func profilesAreComparedByCustomerEvenWhenTheirIdsDiffer() throws {
        let w = try Workspace()
        let new = try Self.editedBook(w, "rules-profiles") {
            $0.replacingOccurrences(of: "id: good_payer", with: "id: bom_pagador")
                .replacingOccurrences(of: "score: \">= 700\"", with: "score: \">= 800\"")
        }
        let r = try RuleDiff.run(
            oldRules: w.root + "/rules", newRules: new, options: w.options(),
            asOf: Day(iso: "2026-11-23")!)
        // Each customer's profile under each book, from `explain`.
        let inputs = try InputReader.read(
            customers: w.root + "/fixtures/customers.csv",
            receivables: w.root + "/fixtures/receivables.csv")
        let books = try [RuleBookLoader.load(directory: w.root + "/rules"), RuleBookLoader.load(directory: new)]
        var moves: [String: Int] = [:]
        for c in inputs.customers {
            let ts = inputs.titles.filter { $0.customerID == c.id }
            guard !ts.isEmpty else { continue }
            let p = books.map {
                NightDecider(book: $0, asOf: Day(iso: "2026-11-23")!)
                    .explain(customer: c, titles: ts, history: LedgerHistory()).profile
            }
            if p[0] != p[1] { moves["\(p[0])→\(p[1])", default: 0] += 1 }
        }
        #expect(
            Dictionary(uniqueKeysWithValues: r.profileChanges.map { ("\($0.from)→\($0.to)", $0.customers) }) == moves)
        #expect(moves["good_payer→bom_pagador", default: 0] > 0)
        #expect(moves["good_payer→standard", default: 0] > 0)
        _ = Self.check(
            r, try Night(rules: w.root + "/rules", w, asOf: "2026-11-23"),
            try Night(rules: new, w, asOf: "2026-11-23"))
    }

    @Test func bothBooksProblemsAreReportedAtOnce() throws {
        let w = try Workspace()
        let a = try Self.editedBook(w, "rules-a") {
            $0.replacingOccurrences(of: "template: carta_cobranca", with: "template: nenhum")
        }
        let b = try Self.editedBook(w, "rules-b") { $0.replacingOccurrences(of: "offset: 10", with: "offset: dez") }
        let e = try #require(throws: ReguaError.self) {
            try RuleDiff.run(oldRules: a, newRules: b, options: w.options(), asOf: Day(iso: "2026-11-23")!)
        }
        #expect(e.code == .refused)
        #expect(e.diagnostics.contains { $0.description.contains("rules-a/") })
        #expect(e.diagnostics.contains { $0.description.contains("rules-b/") })
    }

    /// A hand-off step moved later: the title handed off tonight is `removed`, and the
    /// `handoff` row of the totals says so.
    @Test func handOffsAreComparedLikeSteps() throws {
        let w = try Workspace()
        let new = try Self.editedBook(w, "later-handoff") {
            $0.replacingOccurrences(of: "    offset: 120\n    handoff:", with: "    offset: 150\n    handoff:")
        }
        let r = try RuleDiff.run(
            oldRules: w.root + "/rules", newRules: new, options: w.options(), asOf: Day(iso: "2026-11-23")!)
        let old = try Night(rules: w.root + "/rules", w, asOf: "2026-11-23")
        let now = try Night(rules: new, w, asOf: "2026-11-23")
        #expect(old.decision.handoffs.map(\.title.title.id.raw) == ["NF-10408"] && now.decision.handoffs.isEmpty)
        let row = try #require(r.channels.first { $0.channel == "handoff" })
        #expect(row.old == 1 && row.new == 0)
        let removed = try #require(r.categories.first { $0.category == .removed })
        #expect(removed.titles == 1 && removed.sampleCustomers == ["C048"])
        #expect(removed.transitions.map(\.from) == ["assessoria_d120/handoff"])
    }
}
