import Testing

@testable import Regua

/// SPEC §3 Bureau steps and Hand-off steps, against the small book of ``DeciderFixtures``
/// (as-of 2026-11-23, a Monday; Friday 20 November is a national holiday).
@Suite struct EscalationTests {
    typealias F = DeciderFixtures

    static func book() -> RuleBook {
        var steps = F.defaultSteps
        steps.append(Step(id: "negativacao_d50", offset: 50, action: .bureauInclude, index: 6))
        steps.append(Step(id: "assessoria_d90", offset: 90, action: .handoff("assessoria_x"), index: 7))
        var b = F.book(steps: steps)
        b.bureau = BureauConfig(name: "serasa")
        b.handoffs = [Handoff(id: "assessoria_x", name: "Assessoria X", kind: .agency)]
        return b
    }

    @Test func aBureauStepIncludesTheTitleAndCountsOnItsLadder() {
        let t = F.title("t1", "c1", due: "2026-10-02", nosso: "0000000001")  // 52 days
        let d = F.decide([F.customer("c1")], [t], asOf: "2026-11-23", book: Self.book())
        #expect(d.bureauRecords.map { "\($0.title.title.id.raw) \($0.action.rawValue)" } == ["t1 include"])
        let a = d.action("t1", "negativacao_d50")
        #expect(a?.kind == .sent)
        #expect(a?.bureau == .include)
        #expect(d.action("t1", "protest_d45") == nil)  // its window (45…48) closed on the 20th
        #expect(d.messages.isEmpty)
    }

    @Test(
        arguments: [
            // (paid_date, deadline: five business days after it, late on the night of 2026-11-23)
            ("2026-11-19", "2026-11-27", false),  // Fri 20th holiday, weekend: 23, 24, 25, 26, 27
            ("2026-11-10", "2026-11-17", true),  // 11, 12, 13, 16, 17: written on the 23rd, late
            ("2026-11-16", "2026-11-24", false),  // 17, 18, 19, 23, 24
        ] as [(String, String, Bool)])
    func aPaidTitleIsExcludedWithItsSumula548Deadline(paid: String, deadline: String, late: Bool) {
        let expectedDeadline = deadline
        var h = LedgerHistory()
        h.bureauIncluded = [TitleID("t1"): Day(iso: "2026-10-01")!]
        let t = F.title("t1", "c1", due: "2026-08-01", status: .paid, paid: 100_00, paidDate: paid)
        let d = F.decide([F.customer("c1")], [t], asOf: "2026-11-23", book: Self.book(), history: h)
        #expect(d.bureauRecords.count == 1)
        let r = d.bureauRecords.first
        #expect(r?.action == .exclude)
        #expect(r?.includedOn == Day(iso: "2026-10-01"))
        #expect(r?.excludeBy == Day(iso: expectedDeadline))
        #expect(r?.isLate == late)
        #expect(d.action("t1", "bureau:exclude")?.bureau == .exclude)
    }

    @Test func everyStopProtestConditionExcludes() {
        var h = LedgerHistory()
        let ids = ["paid", "cancel", "reneg", "disp", "prom", "zero", "open"]
        h.bureauIncluded = Dictionary(uniqueKeysWithValues: ids.map { (TitleID($0), Day(iso: "2026-10-01")!) })
        let titles = [
            F.title("paid", "c1", due: "2026-08-01", status: .paid, paid: 100_00),
            F.title("cancel", "c1", due: "2026-08-01", status: .cancelled),
            F.title("reneg", "c1", due: "2026-08-01", status: .renegotiated),
            F.title("disp", "c1", due: "2026-08-01", status: .disputed),
            F.title("prom", "c1", due: "2026-08-01", status: .promised, promise: "2026-11-30"),
            F.title("zero", "c1", due: "2026-08-01", paid: 100_00),
            F.title("open", "c1", due: "2026-08-01"),  // still owed: stays in the register
        ]
        let d = F.decide([F.customer("c1")], titles, asOf: "2026-11-23", book: Self.book(), history: h)
        #expect(Set(d.bureauRecords.map(\.title.title.id.raw)) == ["paid", "cancel", "reneg", "disp", "prom", "zero"])
        // No paid date: the deadline counts from the night.
        #expect(d.bureauRecords.first { $0.title.title.id.raw == "cancel" }?.excludeBy == Day(iso: "2026-11-30"))
    }

    @Test func fiveYearsPastTheDueDateExcludes() {
        #expect(BureauDates.fiveYearLimit(Day(iso: "2021-11-23")!) == Day(iso: "2026-11-23"))
        #expect(BureauDates.fiveYearLimit(Day(iso: "2024-02-29")!) == Day(iso: "2029-03-01"))
        #expect(BureauDates.fiveYearLimit(Day(iso: "2023-02-28")!) == Day(iso: "2028-02-28"))
        var h = LedgerHistory()
        h.bureauIncluded = [TitleID("old"): Day(iso: "2022-01-15")!, TitleID("young"): Day(iso: "2022-01-15")!]
        let titles = [F.title("old", "c1", due: "2021-11-23"), F.title("young", "c1", due: "2021-11-24")]
        let d = F.decide([F.customer("c1")], titles, asOf: "2026-11-23", book: Self.book(), history: h)
        #expect(d.bureauRecords.map(\.title.title.id.raw) == ["old"])
    }

    @Test func anExcludedTitleIsNeverIncludedAgainAndAnExclusionIsNotRepeated() {
        var h = LedgerHistory()
        h.bureauExcluded = [TitleID("t1")]
        h.bureauIncluded = [TitleID("t1"): Day(iso: "2026-10-01")!]
        let t = F.title("t1", "c1", due: "2026-10-02", status: .paid, paid: 100_00)
        #expect(
            F.decide([F.customer("c1")], [t], asOf: "2026-11-23", book: Self.book(), history: h).bureauRecords.isEmpty)
        let open = F.title("t1", "c1", due: "2026-10-02")
        let again = F.decide([F.customer("c1")], [open], asOf: "2026-11-23", book: Self.book(), history: h)
        #expect(again.bureauRecords.isEmpty)
    }

    @Test func aHeldCustomerIsNotIncludedButIsExcluded() {
        var c = F.customer("c1")
        c.hold = "litigation"
        let d = F.decide([c], [F.title("t1", "c1", due: "2026-10-02")], asOf: "2026-11-23", book: Self.book())
        #expect(d.bureauRecords.isEmpty)
        #expect(d.action("t1", "negativacao_d50")?.reason == .customerHold)
        var h = LedgerHistory()
        h.bureauIncluded = [TitleID("t2"): Day(iso: "2026-10-01")!]
        let paid = F.title("t2", "c1", due: "2026-08-01", status: .paid, paid: 100_00, paidDate: "2026-11-19")
        #expect(F.decide([c], [paid], asOf: "2026-11-23", book: Self.book(), history: h).bureauRecords.count == 1)
    }

    @Test func aHandOffCarriesTheDossierAndThenOnlyWhatEndsAClaimGoesOut() {
        var h = LedgerHistory()
        h.sent[TitleID("t1")] = [
            .init(stepID: "letter_d30", offset: 30, night: Day(iso: "2026-09-24")!, channel: .letter),
            .init(stepID: "overdue_d3", offset: 3, night: Day(iso: "2026-08-28")!, channel: .email),
        ]
        let t = F.title("t1", "c1", due: "2026-08-25", nosso: "0000000001")  // 90 days
        let d = F.decide([F.customer("c1")], [t], asOf: "2026-11-23", book: Self.book(), history: h)
        #expect(d.handoffs.count == 1)
        #expect(d.handoffs.first?.handoff == "assessoria_x")
        #expect(d.handoffs.first?.history.map(\.stepID) == ["overdue_d3", "letter_d30"])  // oldest first
        #expect(d.action("t1", "assessoria_d90")?.handoff == "assessoria_x")

        // Later nights: every step due is held handed_off; a stop_protest still goes out.
        var later = h
        later.handedOff = [TitleID("t1")]
        later.protested = [TitleID("t1")]
        var p = F.defaultPolicy
        p.catchUpDays = 400
        var b = Self.book()
        b.policy = p
        let open = F.decide([F.customer("c1")], [t], asOf: "2026-12-30", book: b, history: later)
        #expect(open.actions.filter { $0.kind != .held }.isEmpty)
        #expect(open.actions.allSatisfy { $0.reason == .handedOff })
        #expect(!open.actions.isEmpty)
        let paid = F.title("t1", "c1", due: "2026-08-25", status: .paid, paid: 100_00, nosso: "0000000001")
        let end = F.decide([F.customer("c1")], [paid], asOf: "2026-12-30", book: b, history: later)
        #expect(end.remittances.map(\.instruction) == [.stopProtest])
    }
}
