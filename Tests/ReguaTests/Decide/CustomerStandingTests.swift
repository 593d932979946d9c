import Testing

@testable import Regua

/// SPEC §3 Holds, Credits, Requires and the renegotiated status, one rule a test, against the
/// small book of ``DeciderFixtures`` (as-of 2026-11-23, a Monday).
@Suite struct CustomerStandingTests {
    typealias F = DeciderFixtures

    static func held(_ d: NightDecision, _ title: String) -> [String: HoldReason] {
        var out: [String: HoldReason] = [:]
        for a in d.actions where a.titleID.raw == title && a.kind == .held { out[a.stepID] = a.reason }
        return out
    }

    static func credit(_ id: String, _ customer: String, cents: Int64, paid: Int64 = 0, status: TitleStatus = .open)
        -> Title
    {
        var t = F.title(id, customer, due: "2026-11-01", amount: cents, status: status, paid: paid)
        t.kind = .credit
        return t
    }

    // MARK: holds

    @Test func aCustomerOnHoldGetsNothingAndEveryDueStepIsHeld() {
        var c = F.customer("c1")
        c.hold = "judicial_recovery"
        // 45 days overdue: overdue_d... no; protest_d45 due; a second title 5 days overdue.
        let titles = [
            F.title("t1", "c1", due: "2026-10-09", nosso: "0000000001"),
            F.title("t2", "c1", due: "2026-11-18"),
        ]
        let d = F.decide([c], titles, asOf: "2026-11-23")
        #expect(d.messages.isEmpty)
        #expect(d.remittances.isEmpty)
        #expect(d.actions.allSatisfy { $0.kind == .held && $0.reason == .customerHold })
        #expect(Self.held(d, "t1") == ["protest_d45": .customerHold])
        #expect(Self.held(d, "t2") == ["overdue_d3": .customerHold])
    }

    @Test func nothingIsSupersededOnHoldAndEveryDueStepIsHeld() {
        // A long catch-up makes two steps due at once for one title.
        var p = F.defaultPolicy
        p.catchUpDays = 10
        var c = F.customer("c1")
        c.hold = "litigation"
        let d = F.decide([c], [F.title("t1", "c1", due: "2026-11-11")], asOf: "2026-11-23", book: F.book(policy: p))
        #expect(Self.held(d, "t1") == ["overdue_d3": .customerHold, "overdue_d10": .customerHold])
        #expect(!d.actions.contains { $0.kind == .superseded })
    }

    @Test func aHeldCustomersProtestedTitleStillGetsItsStopProtest() {
        var c = F.customer("c1")
        c.hold = "litigation"
        var h = LedgerHistory()
        h.protested = [TitleID("t1")]
        let paid = F.title(
            "t1", "c1", due: "2026-10-01", status: .paid, paid: 100_00, paidDate: "2026-11-20", nosso: "0000000001")
        let d = F.decide([c], [paid], asOf: "2026-11-23", history: h)
        #expect(d.remittances.map(\.instruction) == [.stopProtest])
    }

    @Test func aHeldCustomerGetsNoChangeDue() {
        var c = F.customer("c1")
        c.hold = "litigation"
        var h = LedgerHistory()
        h.registeredDue = [TitleID("t1"): Day(iso: "2026-12-01")!]
        let moved = F.title("t1", "c1", due: "2026-12-10", nosso: "0000000001")
        #expect(F.decide([c], [moved], asOf: "2026-11-23", history: h).remittances.isEmpty)
        #expect(
            F.decide([F.customer("c1")], [moved], asOf: "2026-11-23", history: h).remittances.map(\.instruction) == [
                .changeDue
            ])
    }

    // MARK: credits

    @Test func creditsThatCoverEverythingHoldEveryStep() {
        let titles = [
            F.title("t1", "c1", due: "2026-11-18", amount: 100_00),  // overdue_d3 due
            F.title("t2", "c1", due: "2026-12-20", amount: 50_00),  // not yet due: still counted
            Self.credit("cr1", "c1", cents: 150_00),
        ]
        let d = F.decide([F.customer("c1")], titles, asOf: "2026-11-23")
        #expect(d.messages.isEmpty)
        #expect(Self.held(d, "t1") == ["overdue_d3": .coveredByCredit])
        #expect(!d.actions.contains { $0.titleID.raw == "cr1" })
    }

    @Test func creditsShortOfTheDebtAreShownWholeOnEachMessage() {
        let titles = [
            F.title("t1", "c1", due: "2026-11-18", amount: 100_00),  // overdue_d3 by e-mail
            F.title("t2", "c1", due: "2026-11-23", amount: 80_00),  // due_today by SMS
            Self.credit("cr1", "c1", cents: 60_00, paid: 10_00),  // 50.00 open
            Self.credit("cr2", "c1", cents: 500_00, status: .cancelled),  // not a credit any more
        ]
        let d = F.decide([F.customer("c1")], titles, asOf: "2026-11-23")
        #expect(d.messages.count == 2)
        for m in d.messages {
            #expect(m.credits == Money(cents: 50_00))
            let net = m.totalUpdated - Money(cents: 50_00)
            #expect(m.netAmount == (net.cents > 0 ? net : .zero))
        }
        // The e-mail: 100.00 + 2% + 5 days of 1%/month = 102.17; net 52.17.
        let email = d.messages.first { $0.channel == .email }!
        #expect(email.totalUpdated == Money(cents: 102_17))
        #expect(email.netAmount == Money(cents: 52_17))
    }

    @Test func minAmountComparesOutstandingLessCredits() {
        // 30.00 outstanding − 25.00 credit = 5.00 < min_amount 10.00.
        let titles = [
            F.title("t1", "c1", due: "2026-11-18", amount: 30_00),
            F.title("t2", "c1", due: "2027-01-10", amount: 10_00),  // keeps the credit from covering all
            Self.credit("cr1", "c1", cents: 25_00),
        ]
        let d = F.decide([F.customer("c1")], titles, asOf: "2026-11-23")
        #expect(Self.held(d, "t1") == ["overdue_d3": .belowMinAmount])
    }

    @Test func creditsAreNoTitlesForFactsOrAging() {
        let d = F.decide(
            [F.customer("c1")], [Self.credit("cr1", "c1", cents: 900_00)], asOf: "2026-11-23")
        #expect(d.actions.isEmpty)
        #expect(d.portfolio.receivableCount == 0)
    }

    // MARK: renegotiated

    @Test func aRenegotiatedTitleIsNeverDunnedAndItsProtestStops() {
        var h = LedgerHistory()
        h.protested = [TitleID("t1")]
        let titles = [
            F.title("t1", "c1", due: "2026-10-01", status: .renegotiated, nosso: "0000000001"),
            F.title("t2", "c1", due: "2026-10-09", status: .renegotiated, nosso: "0000000002"),
        ]
        let d = F.decide([F.customer("c1")], titles, asOf: "2026-11-23", history: h)
        #expect(d.messages.isEmpty)
        #expect(d.remittances.map { "\($0.title.title.id.raw) \($0.instruction.rawValue)" } == ["t1 stop_protest"])
    }

    // MARK: requires

    static func bookWithNotice() -> RuleBook {
        var steps = F.defaultSteps
        steps[5].requires = Step.Requirement(step: "letter_d30", days: 10)  // protest_d45 after the letter
        return F.book(steps: steps)
    }

    @Test(
        arguments: [
            // (night the letter was sent, or nil; expected step of t1 tonight, or the hold)
            ("2026-11-08", "sent"),  // 15 days before: met
            ("2026-11-13", "sent"),  // exactly 10 days: met
            ("2026-11-14", "requirement_not_met"),  // 9 days: not yet
            (nil, "requirement_not_met"),  // never sent: protest can never be the first contact
        ] as [(String?, String)])
    func protestNeedsTheNoticeTenDaysBefore(letterNight: String?, expected: String) {
        var h = LedgerHistory()
        if let n = letterNight {
            h.sent[TitleID("t1")] = [.init(stepID: "letter_d30", offset: 30, night: Day(iso: n)!)]
        }
        let t = F.title("t1", "c1", due: "2026-10-09", nosso: "0000000001")  // 45 days overdue
        let d = F.decide([F.customer("c1")], [t], asOf: "2026-11-23", book: Self.bookWithNotice(), history: h)
        let a = d.action("t1", "protest_d45")
        if expected == "sent" {
            #expect(a?.kind == .sent)
        } else {
            #expect(a?.kind == .held)
            #expect(a?.reason?.rawValue == expected)
        }
    }

    @Test func theRequiredStepItselfMayGoOutTheSameNight() {
        // 30 days overdue with a catch-up that reaches the protest: letter_d30 is a candidate,
        // protest_d45 is not (its notice was never sent) — the letter goes out, not superseded.
        var p = F.defaultPolicy
        p.catchUpDays = 20
        var steps = F.defaultSteps
        steps[5].requires = Step.Requirement(step: "letter_d30", days: 10)
        let t = F.title("t1", "c1", due: "2026-10-08", nosso: "0000000001")  // 46 days
        let d = F.decide([F.customer("c1")], [t], asOf: "2026-11-23", book: F.book(policy: p, steps: steps))
        #expect(d.action("t1", "protest_d45")?.reason == .requirementNotMet)
        #expect(d.action("t1", "letter_d30")?.kind == .sent)
    }
}
