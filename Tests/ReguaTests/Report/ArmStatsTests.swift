import Testing

@testable import Regua

/// Champion/challenger and offer statistics, against counts made by hand.
@Suite struct ArmStatsTests {
    static func sent(_ night: String, _ title: String, _ customer: String, _ message: String, arm: String)
        -> LedgerAction
    {
        var a = Action(
            titleID: TitleID(title), customerID: CustomerID(customer), stepID: "s", offset: 3, kind: .sent,
            channel: .email, messageID: message, profile: "standard")
        a.arms = "sms_cedo=\(arm);outro=champion"
        return LedgerAction(night: Day(iso: night)!, action: a)
    }

    static func paid(_ id: String, _ cents: Int64, on day: String) -> Title {
        Title(
            id: TitleID(id), customerID: CustomerID("x"), dueDate: Day(iso: "2026-10-01")!, amount: Money(cents: cents),
            status: .paid, paidAmount: Money(cents: cents), paidDate: Day(iso: day))
    }

    @Test func armsAreComparedFromEachTitlesFirstMessage() {
        let actions = [
            Self.sent("2026-11-01", "t1", "c1", "m1", arm: "champion"),
            Self.sent("2026-11-05", "t1", "c1", "m2", arm: "champion"),  // a later message: t1 counts from the 1st
            Self.sent("2026-11-01", "t2", "c2", "m3", arm: "champion"),
            Self.sent("2026-11-01", "t3", "c3", "m4", arm: "challenger"),
        ]
        let titles = [
            Self.paid("t1", 100_00, on: "2026-11-10"),  // 9 days after its first message: within 15 and 30
            Self.paid("t2", 50_00, on: "2026-12-15"),  // 44 days: not recovered
            Self.paid("t3", 30_00, on: "2026-11-04"),  // 3 days
        ]
        let rows = ArmStats.compute(
            actions: actions, experiments: ["sms_cedo"], titles: titles, settlements: [:], from: nil, to: nil)
        #expect(rows.map(\.arm) == ["champion", "challenger"])
        let champion = rows[0]
        #expect(champion.customers == 2)
        #expect(champion.titlesReached == 2)
        #expect(champion.messages == 3)
        #expect([champion.paidWithin7, champion.paidWithin15, champion.paidWithin30] == [0, 1, 1])
        #expect(champion.share30 == 0.5)
        #expect(champion.recovered == "100.00")
        #expect(champion.recoveredPerMessage == "33.33")
        let challenger = rows[1]
        #expect([challenger.customers, challenger.titlesReached, challenger.messages] == [1, 1, 1])
        #expect([challenger.paidWithin7, challenger.paidWithin15, challenger.paidWithin30] == [1, 1, 1])
        #expect(challenger.recovered == "30.00")
        // A period that leaves the first night out counts t1 from its 5 November message.
        let later = ArmStats.compute(
            actions: actions, experiments: ["sms_cedo"], titles: titles, settlements: [:],
            from: Day(iso: "2026-11-02"), to: nil)
        #expect(later[0].titlesReached == 1)
        #expect(later[0].paidWithin7 == 1)
    }

    @Test func anOfferIsPaidWhenAllItsTitlesArePaidByTheDeadline() {
        func offer(_ titles: [String], until: String, cash: Int64) -> (night: Day, record: OfferRecord) {
            (
                Day(iso: "2026-11-20")!,
                OfferRecord(
                    messageID: "m", customerID: CustomerID("c"), stepID: "s", titleIDs: titles.map(TitleID.init),
                    offer: Offer(
                        cashAmount: Money(cents: cash), savings: .zero, validUntil: Day(iso: until)!, installments: []))
            )
        }
        let titles = [Self.paid("a", 100_00, on: "2026-11-24"), Self.paid("b", 100_00, on: "2026-11-27")]
        let s = OfferStats.compute(
            offers: [
                offer(["a"], until: "2026-11-25", cash: 90_00),  // paid by the 25th
                offer(["a", "b"], until: "2026-11-25", cash: 180_00),  // b paid after the deadline
                offer(["zz"], until: "2026-11-25", cash: 10_00),  // never paid
            ], titles: titles, settlements: [:])
        #expect(s == OfferStats(made: 3, paidByDeadline: 1, cashOffered: "280.00", cashPaid: "90.00"))
    }
}
