import Testing
@testable import Regua

/// SPEC §3, one case per row where it can be. As-of 2026-11-23 is a Monday; 2026-11-20 a
/// national holiday (Friday), 2026-11-22 a Sunday (a quiet day in the fixture book).
@Suite struct NightDeciderTests {
    typealias F = DeciderFixtures

    /// Which step a single title of a standard customer gets on 2026-11-23, by due date (nil:
    /// no step is due). Each row states its own expectation.
    @Test(
        arguments: [
            ("2026-11-28", nil),  // Saturday due → effective Mon 30th: −7 days, before the −5…−2 window
            ("2026-11-27", "reminder_d-5"),  // Friday: −4, inside −5…−2
            ("2026-11-23", "due_today"),
            ("2026-11-20", "due_today"),  // holiday Friday → effective Monday 23rd: 0 days
            ("2026-11-18", "overdue_d3"),  // 5 days
            ("2026-11-13", "overdue_d10"),  // 10 days
            ("2026-10-24", nil),  // Saturday → Monday 26th: 28 days, between the 10…13 and 30…33 windows
            ("2026-10-23", "letter_d30"),  // 31 days
            ("2026-10-09", "protest_d45"),  // 45 days
        ] as [(String, String?)])
    func stepByDueDate(due: String, expected: String?) {
        let d = F.decide([F.customer("c1")], [F.title("t1", "c1", due: due, nosso: "0000000001")], asOf: "2026-11-23")
        #expect(d.sentPairs["t1"] == expected)
    }

    @Test func negativeOffsetNeverFiresOnOrAfterDue() {
        // With a huge catch-up the reminder window would reach past due; SPEC: days overdue < 0.
        var p = F.defaultPolicy
        p.catchUpDays = 10
        let d = F.decide(
            [F.customer("c1")], [F.title("t1", "c1", due: "2026-11-23")], asOf: "2026-11-23", book: F.book(policy: p))
        #expect(d.action("t1", "reminder_d-5") == nil)
        #expect(d.sentPairs["t1"] == "due_today")
    }

    @Test func suppression() {
        let titles = [
            F.title("paid", "c1", due: "2026-11-18", status: .paid, paid: 100_00, paidDate: "2026-11-19"),
            F.title("cancel", "c1", due: "2026-11-18", status: .cancelled),
            F.title("disp", "c1", due: "2026-11-18", status: .disputed),
            F.title("prom-active", "c1", due: "2026-11-18", status: .promised, promise: "2026-11-23"),
            F.title("prom-broken", "c1", due: "2026-11-18", status: .promised, promise: "2026-11-22"),
            F.title("zero", "c1", due: "2026-11-18", paid: 100_00),
        ]
        let d = F.decide([F.customer("c1")], titles, asOf: "2026-11-23")
        #expect(d.sentPairs == ["prom-broken": "overdue_d3"])
    }

    @Test func profilesFirstMatchWins() {
        let customers = [
            F.customer("key", segment: "B2B", score: 900, tags: ["key-account"]),
            F.customer("good", score: 750),
            F.customer("std", score: 500),
            F.customer("noscore"),
        ]
        // "key" would also be a good payer; first match wins. Customers without score fail score tests.
        let titles = customers.map { F.title("t-\($0.id.raw)", $0.id.raw, due: "2026-11-23") }
        let d = F.decide(customers, titles, asOf: "2026-11-23")
        #expect(d.profileCounts == ["key_account": 1, "good_payer": 1, "standard": 2])
        // due_today is only for chronic/standard.
        #expect(d.sentPairs["t-key"] == nil)
        #expect(d.sentPairs["t-good"] == nil)
        #expect(d.sentPairs["t-std"] == "due_today")
    }

    @Test func latePaymentsMakeChronic() {
        let history = (1...3).map { i in
            F.title("h\(i)", "c1", due: "2026-0\(i + 1)-10", status: .paid, paid: 100_00, paidDate: "2026-0\(i + 1)-20")
        }
        // A payment on the effective due date is not late: due Saturday 2026-10-10 → Tuesday 13th (12th is a holiday).
        let onTime = F.title("h4", "c1", due: "2026-10-10", status: .paid, paid: 100_00, paidDate: "2026-10-13")
        let d = F.decide(
            [F.customer("c1", score: 800)], history + [onTime, F.title("t", "c1", due: "2026-11-23")],
            asOf: "2026-11-23")
        #expect(d.profileCounts == ["chronic": 1])
        let explanation = NightDecider(book: F.book(), asOf: Day(iso: "2026-11-23")!)
            .explain(customer: F.customer("c1", score: 800), titles: history + [onTime], history: .empty)
        #expect(explanation.facts.latePayments12m == 3)
    }

    @Test func oneStepPerTitleHighestOffsetWinsOthersSuperseded() {
        // 12 days overdue with catch-up 3 covers only overdue_d10; give a wide catch-up to overlap.
        var p = F.defaultPolicy
        p.catchUpDays = 30
        let d = F.decide(
            [F.customer("c1")], [F.title("t1", "c1", due: "2026-11-11")], asOf: "2026-11-23", book: F.book(policy: p))
        #expect(d.sentPairs["t1"] == "overdue_d10")
        #expect(d.action("t1", "due_today")?.kind == .superseded)
        #expect(d.action("t1", "overdue_d3")?.kind == .superseded)
    }

    @Test func neverTwiceAndNeverBackwards() {
        let t = F.title("t1", "c1", due: "2026-11-18")
        var h = LedgerHistory()
        h.sent[TitleID("t1")] = [.init(stepID: "overdue_d3", offset: 3, night: Day(iso: "2026-11-21")!)]
        #expect(F.decide([F.customer("c1")], [t], asOf: "2026-11-23", history: h).sentPairs.isEmpty)
        var h2 = LedgerHistory()
        h2.sent[TitleID("t1")] = [.init(stepID: "overdue_d10", offset: 10, night: Day(iso: "2026-11-21")!)]
        #expect(F.decide([F.customer("c1")], [t], asOf: "2026-11-23", history: h2).sentPairs.isEmpty)
        var h3 = LedgerHistory()
        h3.superseded[TitleID("t1")] = ["overdue_d3"]
        #expect(F.decide([F.customer("c1")], [t], asOf: "2026-11-23", history: h3).sentPairs.isEmpty)
    }

    @Test func channelFallbackAndHolds() {
        let customers = [
            F.customer("noemail", email: nil),
            F.customer("optout", optOut: [.email]),
            F.customer("nothing", email: nil, address: PostalAddress(street: "Rua A")),
            F.customer("optout-all", optOut: [.email, .letter]),
        ]
        let titles = customers.map { F.title("t-\($0.id.raw)", $0.id.raw, due: "2026-11-18") }
        let d = F.decide(customers, titles, asOf: "2026-11-23")
        #expect(d.action("t-noemail", "overdue_d3")?.channel == .letter)
        #expect(d.action("t-optout", "overdue_d3")?.channel == .letter)
        #expect(d.action("t-nothing", "overdue_d3")?.reason == .noContact)
        #expect(d.action("t-optout-all", "overdue_d3")?.reason == .optOut)
        #expect(d.messages.count == 2)
    }

    @Test func groupingSpeaksWithMostAdvancedStep() {
        let titles = [
            F.title("a", "c1", due: "2026-11-18"),  // overdue_d3 (email)
            F.title("b", "c1", due: "2026-11-19"),  // 4 days: overdue_d3 too
            F.title("c", "c1", due: "2026-11-13"),  // overdue_d10 (sms)
            F.title("d", "c1", due: "2026-10-23"),  // letter_d30
        ]
        var c = F.customer("c1")
        c.email = nil  // overdue_d3 falls back to letter and joins letter_d30
        let d = F.decide([c], titles, asOf: "2026-11-23")
        let letter = d.messages.first { $0.channel == .letter }!
        #expect(letter.step.id == "letter_d30")
        #expect(letter.template == "carta_cobranca")
        #expect(letter.titles.map(\.title.id.raw) == ["a", "b", "d"])
        #expect(letter.titleSteps == ["overdue_d3", "overdue_d3", "letter_d30"])
        #expect(d.messages.count == 2)
        #expect(d.action("a", "overdue_d3")?.messageID == letter.id)
    }

    @Test func quietDayHoldsMessagesButNotRemittance() {
        let titles = [F.title("m", "c1", due: "2026-11-17"), F.title("p", "c1", due: "2026-10-08", nosso: "1")]
        let d = F.decide([F.customer("c1")], titles, asOf: "2026-11-22")  // Sunday
        #expect(d.quietDay)
        #expect(d.action("m", "overdue_d3")?.reason == .quietDay)
        #expect(d.messages.isEmpty)
        #expect(d.remittances.map(\.instruction) == [.protest])
        let holiday = F.decide([F.customer("c1")], [F.title("m", "c1", due: "2026-11-16")], asOf: "2026-11-20")
        #expect(holiday.action("m", "overdue_d3")?.reason == .quietDay)
    }

    @Test func minAmountAndContactCap() {
        let small = F.decide(
            [F.customer("c1")], [F.title("t", "c1", due: "2026-11-18", amount: 9_99)], asOf: "2026-11-23")
        #expect(small.action("t", "overdue_d3")?.reason == .belowMinAmount)
        var h = LedgerHistory()
        let nights = ["2026-11-17", "2026-11-19", "2026-11-21"].map { Day(iso: $0)! }
        h.recentMessages[CustomerID("c1")] = nights
        let capped = F.decide(
            [F.customer("c1")], [F.title("t", "c1", due: "2026-11-18")], asOf: "2026-11-23", history: h)
        #expect(capped.action("t", "overdue_d3")?.reason == .contactCap)
        // A message sent 7 days ago (the 16th) is outside the week ending on the 23rd.
        h.recentMessages[CustomerID("c1")] = ["2026-11-16", "2026-11-19", "2026-11-21"].map { Day(iso: $0)! }
        let ok = F.decide([F.customer("c1")], [F.title("t", "c1", due: "2026-11-18")], asOf: "2026-11-23", history: h)
        #expect(ok.action("t", "overdue_d3")?.kind == .sent)
    }

    @Test func capKeepsTheMostAdvancedMessage() {
        var h = LedgerHistory()
        h.recentMessages[CustomerID("c1")] = ["2026-11-19", "2026-11-21"].map { Day(iso: $0)! }
        let titles = [F.title("a", "c1", due: "2026-11-18"), F.title("b", "c1", due: "2026-11-13")]
        let d = F.decide([F.customer("c1")], titles, asOf: "2026-11-23", history: h)
        #expect(d.action("b", "overdue_d10")?.kind == .sent)
        #expect(d.action("a", "overdue_d3")?.reason == .contactCap)
    }

    @Test func updatedAmountRoundsHalfUpPerComponent() {
        // R$ 1.234,57 five days late: fee 2% = 24,6914 → 24,69; interest 1%/30×5 = 2,0576 → 2,06.
        let d = F.decide(
            [F.customer("c1")], [F.title("t", "c1", due: "2026-11-18", amount: 1234_57)], asOf: "2026-11-23")
        let m = d.messages[0].titles[0]
        #expect(m.lateFee == Money(cents: 24_69))
        #expect(m.interest == Money(cents: 2_06))
        #expect(m.updatedAmount == Money(cents: 1261_32))
        // Exactly half a cent rounds up: 0,25 × 2% = 0,005 → 0,01.
        #expect(Percent(decimal: "2")!.applied(to: Money(cents: 25)) == Money(cents: 1))
    }

    @Test func backfillGivesOnceTheHighestPassedMessageStep() {
        var p = F.defaultPolicy
        p.backfill = true
        let t = F.title("t", "c1", due: "2026-09-01")  // far past every window but protest
        let d = F.decide(
            [F.customer("c1")], [t], asOf: "2026-11-23", book: F.book(policy: p, steps: Array(F.defaultSteps.prefix(5)))
        )
        #expect(d.sentPairs["t"] == "letter_d30")
        let off = F.decide(
            [F.customer("c1")], [t], asOf: "2026-11-23", book: F.book(steps: Array(F.defaultSteps.prefix(5))))
        #expect(off.sentPairs.isEmpty)
    }

    @Test func bankFollowUps() {
        var h = LedgerHistory()
        h.registeredDue[TitleID("moved")] = Day(iso: "2026-11-10")!
        h.protested.insert(TitleID("settled"))
        let titles = [
            F.title("moved", "c1", due: "2026-12-10", nosso: "1"),
            F.title(
                "settled", "c1", due: "2026-09-10", status: .paid, paid: 100_00, paidDate: "2026-11-20", nosso: "2"),
        ]
        let d = F.decide([F.customer("c1")], titles, asOf: "2026-11-23", history: h)
        #expect(d.remittances.map(\.instruction).sorted { $0.rawValue < $1.rawValue } == [.changeDue, .stopProtest])
    }

    @Test func decisionDoesNotDependOnInputOrder() {
        let customers = (0..<5000).map { F.customer("c\($0)") }
        let titles = (0..<5000).map { F.title("t\($0)", "c\($0)", due: "2026-11-\(10 + $0 % 14)") }
        let a = F.decide(customers, titles, asOf: "2026-11-23")
        let b = F.decide(customers.reversed(), titles.reversed(), asOf: "2026-11-23")
        #expect(a.actions == b.actions)
        #expect(a.messages.map(\.id) == b.messages.map(\.id))
    }

    @Test func portfolioCountsReceivablesAndWhatIsInDunning() {
        let titles = [
            F.title("sent-now", "c1", due: "2026-11-18", amount: 100_00),  // overdue_d3 tonight
            F.title("disputed", "c1", due: "2026-11-18", amount: 200_00, status: .disputed),
            F.title("future", "c1", due: "2026-12-30", amount: 300_00),
            F.title(
                "paid", "c1", due: "2026-11-10", amount: 400_00, status: .paid, paid: 400_00, paidDate: "2026-11-10"),
            F.title("old", "c1", due: "2026-10-01", amount: 500_00),  // past every window, sent before
        ]
        var h = LedgerHistory()
        h.sent[TitleID("old")] = [.init(stepID: "overdue_d3", offset: 3, night: Day(iso: "2026-10-05")!)]
        let p = F.decide([F.customer("c1")], titles, asOf: "2026-11-23", history: h).portfolio
        #expect(p.receivableCount == 4)
        #expect(p.receivable == Money(cents: 1100_00))
        #expect(p.overdueCount == 3)
        #expect(p.overdue == Money(cents: 800_00))
        #expect(p.inDunningCount == 2)
        #expect(p.inDunning == Money(cents: 600_00))
        #expect(p.agingCounts == [1, 2, 0, 1, 0, 0, 0])
    }
}

/// How titles find their customer in the decider: by id as text, whatever the order of either
/// list, and never a customer that is not there.
@Suite struct DeciderCustomerMatchTests {
    typealias F = DeciderFixtures

    @Test func titlesFindTheirCustomerByIdAsText() {
        // Kelvin sign K and combining acute: the same ids as "K1" and "José" written otherwise.
        let customers = [F.customer("C2"), F.customer("K1"), F.customer("Jos\u{E9}")]
        let titles = [
            F.title("T1", "\u{212A}1", due: "2026-11-23"), F.title("T2", "C2", due: "2026-11-23"),
            F.title("T3", "C9", due: "2026-11-23"), F.title("T4", "Jose\u{301}", due: "2026-11-23"),
        ]
        let d = F.decide(customers, titles, asOf: "2026-11-23")
        #expect(d.sentPairs == ["T1": "due_today", "T2": "due_today", "T4": "due_today"])
        // The same answer whatever the order of the lists (the decision is sorted).
        let r = F.decide(customers.reversed(), titles.reversed(), asOf: "2026-11-23")
        #expect(r.actions.map(\.titleID) == d.actions.map(\.titleID))
        #expect(r.messages.map(\.customer.id) == d.messages.map(\.customer.id))
    }

    @Test func manyCustomersEachGetOnlyTheirOwnTitles() {
        // Enough customers for several hash groups and both threads.
        let customers = (0..<3_000).map { F.customer("C\($0)") }
        let titles = (0..<9_000).map { F.title("T\($0)", "C\(($0 * 7) % 3_100)", due: "2026-11-23") }
        let d = F.decide(customers.shuffled(), titles.shuffled(), asOf: "2026-11-23")
        let known = Set(customers.map(\.id))
        let expected = Set(titles.filter { known.contains($0.customerID) }.map(\.id))
        #expect(Set(d.actions.filter { $0.kind == .sent }.map(\.titleID)) == expected)
        for m in d.messages {
            #expect(m.titles.allSatisfy { $0.title.customerID == m.customer.id })
        }
    }
}
