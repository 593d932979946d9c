import Testing

@testable import Regua

/// SPEC §3's rules as properties over random portfolios and random runs of nights: each night's
/// decisions are fed back as the ledger's history of the next, and every night is checked against
/// what came before it. Seeded (SplitMix64), so a failing case is reproduced by its seed.
@Suite struct DecisionPropertyTests {
    /// The ladder of the tests: messages, a requirement with an offer, a bank step, escalation.
    static let steps: [Step] = {
        var s = DeciderFixtures.defaultSteps
        var settle = Step(
            id: "settle_d20", offset: 20, action: .message(channel: .email, template: "atraso", fallback: .sms),
            index: 6)
        settle.requires = Step.Requirement(step: "overdue_d10", days: 5)
        settle.offer = OfferTerms(discountPercent: Percent(decimal: "10")!, validDays: 5)
        s.append(settle)
        s.append(Step(id: "bureau_d60", offset: 60, action: .bureauInclude, index: 7))
        s.append(Step(id: "agency_d90", offset: 90, action: .handoff("agency"), index: 8))
        return s
    }()

    struct Portfolio {
        var customers: [Customer]
        var titles: [Title]
    }

    static func portfolio(_ rng: inout SplitMix64, start: Day) -> Portfolio {
        var customers: [Customer] = []
        var titles: [Title] = []
        for c in 0..<Int(rng.next() % 6 + 2) {
            let id = "C\(c)"
            var customer = DeciderFixtures.customer(
                id, segment: rng.next() % 3 == 0 ? "B2B" : nil,
                score: rng.next() % 2 == 0 ? Int(rng.next() % 1000) : nil,
                email: rng.next() % 4 == 0 ? nil : "c\(c)@example.com",
                phone: rng.next() % 4 == 0 ? nil : "+5511987654321",
                optOut: rng.next() % 5 == 0 ? [.email] : [])
            if rng.next() % 8 == 0 { customer.hold = "litigation" }
            customers.append(customer)
            for t in 0..<Int(rng.next() % 5 + 1) {
                let due = start.adding(days: Int(rng.next() % 120) - 100)
                let statuses: [TitleStatus] = [.open, .open, .open, .open, .paid, .disputed, .cancelled, .promised]
                let status = statuses[Int(rng.next() % UInt64(statuses.count))]
                var title = DeciderFixtures.title(
                    "T\(c)-\(t)", id, due: due.iso, amount: Int64(rng.next() % 50_000 + 500), status: status,
                    paid: rng.next() % 6 == 0 ? Int64(rng.next() % 600) : 0,
                    promise: status == .promised ? start.adding(days: Int(rng.next() % 20)).iso : nil,
                    nosso: rng.next() % 2 == 0 ? "1234567000000\(c)\(t)" : nil)
                if rng.next() % 12 == 0 { title.kind = .credit }
                titles.append(title)
            }
        }
        return Portfolio(customers: customers, titles: titles)
    }

    /// The history the ledger would hand the next night, with `d` added.
    static func record(_ d: NightDecision, into h: inout LedgerHistory, book: RuleBook) {
        for a in d.actions {
            switch a.kind {
            case .sent where a.isOnLadder && a.stepID != "bureau:exclude":
                h.sent[a.titleID, default: []].append(
                    LedgerHistory.SentStep(stepID: a.stepID, offset: a.offset, night: d.asOf, channel: a.channel))
                if a.bureau == .include { h.bureauIncluded[a.titleID] = d.asOf }
                if a.handoff != nil { h.handedOff.insert(a.titleID) }
            case .superseded:
                h.superseded[a.titleID, default: []].insert(a.stepID)
            default: break
            }
            if a.bureau == .exclude { h.bureauExcluded.insert(a.titleID) }
        }
        for m in d.messages { h.recentMessages[m.customer.id, default: []].append(d.asOf) }
    }

    /// Checks one night against the history before it.
    static func check(_ d: NightDecision, before h: LedgerHistory, portfolio p: Portfolio, book: RuleBook, seed: UInt64)
    {
        let decider = NightDecider(book: book, asOf: d.asOf)
        let titles = Dictionary(uniqueKeysWithValues: p.titles.map { ($0.id, $0) })
        let customers = Dictionary(uniqueKeysWithValues: p.customers.map { ($0.id, $0) })
        let ladder = d.actions.filter { $0.kind == .sent && $0.isOnLadder && $0.stepID != "bureau:exclude" }
        var tonight = Set<String>()
        for a in ladder {
            let before = h.sent[a.titleID] ?? []
            // A step never sent twice for a title, and the ladder only moves up.
            #expect(!before.contains { $0.stepID == a.stepID }, "seed \(seed): \(a.stepID) again for \(a.titleID.raw)")
            #expect(tonight.insert(a.titleID.raw + "/" + a.stepID).inserted, "seed \(seed): twice tonight")
            #expect(
                before.allSatisfy { $0.offset <= a.offset }, "seed \(seed): \(a.titleID.raw) moved down to \(a.stepID)")
            #expect(!(h.superseded[a.titleID] ?? []).contains(a.stepID), "seed \(seed): superseded step sent")
            // Nothing to a title not dunnable, a customer on hold, or a title handed off.
            let t = titles[a.titleID]!
            #expect(decider.suppression(t) == nil, "seed \(seed): \(a.stepID) sent to a \(t.status) title")
            #expect(t.kind != .credit)
            #expect(customers[a.customerID]!.hold == nil, "seed \(seed): sent to a customer on hold")
            #expect(!h.handedOff.contains(a.titleID), "seed \(seed): sent after the hand-off")
            // Requirements (the offer's step among them) are never skipped.
            let step = book.step(a.stepID)!
            if let r = step.requires {
                #expect(
                    before.contains { $0.stepID == r.step && d.asOf.days(since: $0.night) >= r.days },
                    "seed \(seed): \(a.stepID) without \(r.step) \(r.days) days before")
            }
        }
        // Grouping covers every sent title exactly once; a message speaks with its highest step.
        var inMessage: [String: Int] = [:]
        for m in d.messages + d.heldMessages.map(\.message) {
            for t in m.titles { inMessage[t.title.id.raw, default: 0] += 1 }
            #expect(m.titles.count == m.titleSteps.count)
            let speaker = m.titleSteps.compactMap { book.step($0) }.max { NightDecider.later($1, than: $0) }
            #expect(speaker?.id == m.step.id, "seed \(seed): message spoken by \(m.step.id)")
            #expect((m.offer != nil) == (m.step.offer != nil))
        }
        #expect(inMessage.values.allSatisfy { $0 == 1 }, "seed \(seed): a title in two messages")
        for m in d.messages {
            let sent = Set(d.actions.filter { $0.messageID == m.id && $0.kind == .sent }.map(\.titleID))
            #expect(sent == Set(m.titles.map(\.title.id)), "seed \(seed): message \(m.id) and its actions differ")
        }
        #expect(
            d.actions.filter { $0.messageID != nil }.allSatisfy { a in d.messages.contains { $0.id == a.messageID } })
        // Caps never exceeded: this week's messages before tonight plus tonight's.
        let weekStart = d.asOf.adding(days: -6)
        for (c, n) in Dictionary(grouping: d.messages, by: { $0.customer.id }).mapValues(\.count) {
            let earlier = (h.recentMessages[c] ?? []).filter { $0 >= weekStart && $0 < d.asOf }.count
            #expect(earlier + n <= book.policy.maxContactsPerWeek!, "seed \(seed): cap passed for \(c.raw)")
        }
        if decider.isQuietDay { #expect(d.messages.isEmpty) }
    }

    /// Runs one seeded case: a random book policy, portfolio and run of nights, each night checked.
    /// Returns every night's decision, for the coverage test below.
    @discardableResult
    static func run(seed: Int) -> [NightDecision] {
        var rng = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9 &+ 17)
        var policy = DeciderFixtures.defaultPolicy
        policy.maxContactsPerWeek = Int(rng.next() % 3) + 1
        policy.backfill = rng.next() % 3 == 0
        policy.catchUpDays = Int(rng.next() % 5)
        let book = DeciderFixtures.book(policy: policy, steps: Self.steps)
        let start = Day(iso: "2026-11-02")!.adding(days: Int(rng.next() % 60))
        let p = Self.portfolio(&rng, start: start)
        var h = LedgerHistory.empty
        var night = start
        var nights: [NightDecision] = []
        for _ in 0..<Int(rng.next() % 12 + 4) {
            let d = NightDecider(book: book, asOf: night).decide(customers: p.customers, titles: p.titles, history: h)
            Self.check(d, before: h, portfolio: p, book: book, seed: UInt64(seed))
            Self.record(d, into: &h, book: book)
            nights.append(d)
            night = night.adding(days: Int(rng.next() % 9) + 1)
        }
        return nights
    }

    @Test(arguments: 0..<240)
    func nightsKeepTheRules(seed: Int) {
        Self.run(seed: seed)
    }

    /// The random cases reach every rule the properties speak of (else they would prove little).
    @Test func casesReachEveryRule() {
        let all = (1000..<1060).flatMap { Self.run(seed: $0) }
        let actions = all.flatMap(\.actions)
        #expect(all.flatMap(\.messages).count > 50)
        #expect(all.flatMap(\.messages).contains { $0.offer != nil })
        #expect(all.flatMap(\.messages).contains { $0.titles.count > 1 })
        for reason in [HoldReason.contactCap, .requirementNotMet, .customerHold, .belowMinAmount, .optOut] {
            #expect(actions.contains { $0.reason == reason }, "no case held \(reason)")
        }
        #expect(actions.contains { $0.kind == .superseded })
        #expect(actions.contains { $0.bureau == .include })
        #expect(actions.contains { $0.stepID == "settle_d20" && $0.kind == .sent })
    }
}
