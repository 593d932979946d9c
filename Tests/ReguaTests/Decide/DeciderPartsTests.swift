import Testing

@testable import Regua

/// Each part of `NightDecider.decide(customer:)` alone, as SPEC §3 states it: due steps, the
/// reasons that hold everything, requirements, backfill, one step per title, channel choice,
/// grouping with offers, held reasons and caps, and the recorder of `explain`.
@Suite struct DeciderPartsTests {
    typealias F = DeciderFixtures

    /// A recorder that keeps the verdicts in the order they came.
    struct ListRecorder: DecisionRecorder {
        var verdicts: [(step: String, verdict: StepVerdict)] = []
        var isRecording: Bool { true }
        func customer(_ c: Customer, profile: String, facts: CustomerFacts, night: Day, book: RuleBook) {}
        func title(_ d: DunnedTitle, suppressed: String?) {}
        mutating func verdict(_ v: StepVerdict, step: Step, title: TitleID) { verdicts.append((step.id, v)) }
        func message(_ m: PlannedMessage, heldBy: HoldReason?) {}
    }

    static func night(
        _ c: Customer = F.customer("C1"), profile: String = "standard", history: LedgerHistory = .empty,
        credits: [DunnedTitle] = [], owed: [DunnedTitle] = []
    ) -> CustomerNight {
        CustomerNight(
            customer: c, profile: profile, arms: [:],
            standing: CustomerStanding(customer: c, credits: credits, owed: owed, isDunnable: { _ in true }),
            history: history)
    }

    let decider = NightDecider(book: F.book(), asOf: Day(iso: "2026-03-10")!)  // a Tuesday

    @Test func dueStepsAreThoseInTheirWindowNeverSentAndNotBelowTheLadder() {
        let d = decider.dunned(F.title("T1", "C1", due: "2026-03-06"))  // 4 days overdue
        var r = ListRecorder()
        let due = decider.dueSteps(for: d, sent: [], in: Self.night(), recorder: &r)
        #expect(due.map { decider.book.steps[$0].id } == ["overdue_d3"])
        #expect(r.verdicts.count == decider.book.steps.count - 1)
        #expect(r.verdicts.first { $0.step == "overdue_d10" }?.verdict == .notYet(opensOn: Day(iso: "2026-03-16")!))
        #expect(
            r.verdicts.first { $0.step == "due_today" }?.verdict == .windowClosed(closedOn: Day(iso: "2026-03-09")!))
        // A higher step already sent: overdue_d3 is below the title's place on the ladder.
        let sent = [LedgerHistory.SentStep(stepID: "overdue_d10", offset: 10, night: Day(iso: "2026-03-01")!)]
        var r2 = ListRecorder()
        #expect(decider.dueSteps(for: d, sent: sent, in: Self.night(), recorder: &r2).isEmpty)
        #expect(r2.verdicts.first { $0.step == "overdue_d3" }?.verdict == .higherAlreadySent(step: "overdue_d10"))
        // Already sent itself.
        let own = [LedgerHistory.SentStep(stepID: "overdue_d3", offset: 3, night: Day(iso: "2026-03-09")!)]
        var r3 = ListRecorder()
        #expect(decider.dueSteps(for: d, sent: own, in: Self.night(), recorder: &r3).isEmpty)
        #expect(r3.verdicts.first { $0.step == "overdue_d3" }?.verdict == .alreadySent(night: Day(iso: "2026-03-09")!))
    }

    @Test func aHoldOrCoveringCreditHoldsEveryDueStepAndSupersedesNothing() {
        var held = F.customer("C1")
        held.hold = "litigation"
        let d = decider.dunned(F.title("T1", "C1", due: "2026-03-06"))
        var acc = CustomerOutcome()
        var r = ListRecorder()
        let left = decider.holdEverything([1, 2], of: d, in: Self.night(held), into: &acc, recorder: &r)
        #expect(left.isEmpty)
        #expect(acc.actions.map(\.reason) == [.customerHold, .customerHold])
        #expect(acc.actions.allSatisfy { $0.kind == .held })
        let credit = decider.dunned(F.title("K1", "C1", due: "2026-01-01", amount: 500_00))
        var acc2 = CustomerOutcome()
        let covered = Self.night(credits: [credit], owed: [d])
        #expect(decider.holdEverything([2], of: d, in: covered, into: &acc2, recorder: &r).isEmpty)
        #expect(acc2.actions.map(\.reason) == [.coveredByCredit])
        var acc3 = CustomerOutcome()
        #expect(decider.holdEverything([2], of: d, in: Self.night(), into: &acc3, recorder: &r) == [2])
        #expect(acc3.actions.isEmpty)
    }

    @Test func requirementsHoldTheStepUntilTheRequiredOneIsOldEnough() {
        var steps = F.defaultSteps
        steps[3].requires = Step.Requirement(step: "overdue_d3", days: 5)
        let dec = NightDecider(book: F.book(steps: steps), asOf: Day(iso: "2026-03-10")!)
        let d = dec.dunned(F.title("T1", "C1", due: "2026-02-28"))
        var r = ListRecorder()
        var acc = CustomerOutcome()
        let recent = [LedgerHistory.SentStep(stepID: "overdue_d3", offset: 3, night: Day(iso: "2026-03-07")!)]
        #expect(dec.requirementsMet([3], of: d, sent: recent, in: Self.night(), into: &acc, recorder: &r).isEmpty)
        #expect(acc.actions.map(\.reason) == [.requirementNotMet])
        let old = [LedgerHistory.SentStep(stepID: "overdue_d3", offset: 3, night: Day(iso: "2026-03-05")!)]
        var acc2 = CustomerOutcome()
        #expect(dec.requirementsMet([3], of: d, sent: old, in: Self.night(), into: &acc2, recorder: &r) == [3])
        #expect(acc2.actions.isEmpty)
    }

    @Test func backfillTakesTheHighestMessageStepNotAboveTheDaysOverdue() {
        var policy = F.defaultPolicy
        policy.backfill = true
        let dec = NightDecider(book: F.book(policy: policy), asOf: Day(iso: "2026-03-10")!)
        let d = dec.dunned(F.title("T1", "C1", due: "2026-01-20"))  // ~49 days: past every window
        #expect(dec.backfillStep(for: d, sent: [], in: Self.night()).map { dec.book.steps[$0].id } == "letter_d30")
        let once = [LedgerHistory.SentStep(stepID: "overdue_d3", offset: 3, night: Day(iso: "2026-01-25")!)]
        #expect(dec.backfillStep(for: d, sent: once, in: Self.night()) == nil)
        #expect(decider.backfillStep(for: d, sent: [], in: Self.night()) == nil)  // backfill off
    }

    @Test func oneStepPerTitleKeepsTheHighestAndSupersedesTheRest() {
        let d = decider.dunned(F.title("T1", "C1", due: "2026-03-06"))
        var acc = CustomerOutcome()
        var r = ListRecorder()
        #expect(decider.oneStepPerTitle([1, 2, 0], of: d, in: Self.night(), into: &acc, recorder: &r) == 2)
        #expect(acc.actions.map(\.stepID) == ["due_today", "reminder_d-5"])
        #expect(acc.actions.allSatisfy { $0.kind == .superseded })
        #expect(r.verdicts.map(\.verdict) == [.superseded(by: "overdue_d3"), .superseded(by: "overdue_d3")])
        #expect(decider.oneStepPerTitle([], of: d, in: Self.night(), into: &acc, recorder: &r) == nil)
    }

    @Test func channelFollowsOptOutContactAndFallback() {
        let step = decider.book.steps[2]  // email, fallback letter
        #expect(decider.channel(for: step, in: Self.night()) == .email)
        #expect(decider.channel(for: step, in: Self.night(F.customer("C1", optOut: [.email]))) == .letter)
        #expect(decider.channel(for: step, in: Self.night(F.customer("C1", email: nil))) == .letter)
        let nowhere = F.customer("C1", email: nil, address: PostalAddress())
        #expect(decider.channel(for: step, in: Self.night(nowhere)) == nil)
        #expect(decider.channel(for: decider.book.steps[5], in: Self.night()) == nil)  // a bank step
    }

    @Test func groupingMakesOneMessagePerChannelSpokenByTheHighestStep() {
        let a = decider.dunned(F.title("T2", "C1", due: "2026-03-06"))
        let b = decider.dunned(F.title("T1", "C1", due: "2026-02-08"))
        let groups = [
            NightDecider.ChannelGroup(
                channel: .email,
                items: [TitleStep(title: a, step: 2, backfill: false), TitleStep(title: b, step: 4, backfill: false)])
        ]
        let messages = decider.group(groups, in: Self.night())
        #expect(messages.count == 1)
        #expect(messages[0].step.id == "letter_d30")
        #expect(messages[0].titles.map(\.title.id.raw) == ["T1", "T2"])
        #expect(messages[0].titleSteps == ["letter_d30", "overdue_d3"])
        #expect(messages[0].offer == nil)
    }

    @Test func heldReasonsComeInTheirOrderAndTheCapCounts() {
        let d = decider.dunned(F.title("T1", "C1", due: "2026-03-06", amount: 500))
        let small = PlannedMessage(
            id: "M", customer: F.customer("C1"), profile: "standard", channel: .email, step: decider.book.steps[2],
            template: "atraso", titles: [d], titleSteps: ["overdue_d3"])
        #expect(decider.holdReason(for: small, contacts: 9, in: Self.night()) == .belowMinAmount)
        let big = decider.dunned(F.title("T1", "C1", due: "2026-03-06", amount: 500_00))
        var m = small
        m.titles = [big]
        #expect(decider.holdReason(for: m, contacts: 2, in: Self.night()) == nil)
        #expect(decider.holdReason(for: m, contacts: 3, in: Self.night()) == .contactCap)
        let sunday = NightDecider(book: F.book(), asOf: Day(iso: "2026-03-08")!)
        #expect(sunday.holdReason(for: small, contacts: 9, in: Self.night()) == .quietDay)
        let h = LedgerHistory(recentMessages: [
            CustomerID("C1"): [Day(iso: "2026-03-04")!, Day(iso: "2026-03-03")!, Day(iso: "2026-03-10")!]
        ])
        #expect(decider.contactsThisWeek(Self.night(history: h)) == 1)
    }

    @Test func theExplanationRecorderKeepsVerdictsInBookOrder() {
        let steps = decider.book.steps
        var r = ExplanationRecorder(customerID: CustomerID("C1"))
        r.title(decider.dunned(F.title("T1", "C1", due: "2026-03-06")), suppressed: nil)
        r.verdict(.notForProfile, step: steps[4], title: TitleID("T1"))
        r.verdict(.superseded(by: "x"), step: steps[1], title: TitleID("T1"))
        r.verdict(.held(.optOut), step: steps[4], title: TitleID("T1"))
        r.verdict(.notForProfile, step: steps[0], title: TitleID("T9"))  // a title never begun
        #expect(r.explanation.titles.count == 1)
        #expect(r.explanation.titles[0].steps.map(\.stepID) == ["due_today", "letter_d30", "letter_d30"])
        #expect(r.explanation.titles[0].steps.last?.verdict == .held(.optOut))
    }
}
