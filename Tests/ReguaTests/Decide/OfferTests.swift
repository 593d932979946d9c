import Foundation
import Testing

@testable import Regua

/// SPEC §3 Offers, to the cent. Expected installments were computed independently with
/// Python's `decimal` at 50 digits: cash × i / (1 − (1 + i)^−n), half-up.
@Suite struct OfferTests {
    typealias F = DeciderFixtures

    static let terms = OfferTerms(
        discountPercent: Percent(decimal: "10")!, waiveFeePercent: Percent(decimal: "100")!,
        waiveInterestPercent: Percent(decimal: "50")!, validDays: 5,
        installments: .init(max: 6, minAmount: Money(cents: 200_00), interestPercentMonth: Percent(decimal: "1.99")!))

    static var calendar: BusinessCalendar { BusinessCalendar(F.book().calendar) }

    static func dunned(outstanding: Int64, daysOverdue: Int) -> DunnedTitle {
        let asOf = Day(iso: "2026-11-23")!
        let due = asOf.adding(days: -daysOverdue)
        let t = F.title("t", "c", due: due.iso, amount: outstanding)
        return NightDecider(book: F.book(), asOf: asOf).dunned(t)
    }

    @Test func cashSavingsAndInstallmentsToTheCent() {
        // 1000.00, 10 days overdue from Friday 13th: fee 20.00, interest 1000 × 1%/30 × 10 = 3.33.
        let d = Self.dunned(outstanding: 1000_00, daysOverdue: 10)
        #expect(d.lateFee == Money(cents: 20_00))
        #expect(d.interest == Money(cents: 3_33))
        let o = Offer.make(
            Self.terms, titles: [d], credits: .zero, asOf: Day(iso: "2026-11-23")!, calendar: Self.calendar)
        // 900.00 + 0.00 + round(3.33 × 50%) = 1.67 (half-up of 1.665).
        #expect(o.cashAmount == Money(cents: 901_67))
        #expect(o.savings == Money(cents: 1023_33 - 901_67))
        // 23 + 5 = Saturday 28th → Monday 30th.
        #expect(o.validUntil == Day(iso: "2026-11-30"))
        // From Python's decimal: n=2 464.34, n=3 312.60, n=4 236.74, n=5 191.24 (below the 200.00
        // minimum from n=5 on).
        #expect(o.installments.map(\.count) == [2, 3, 4])
        #expect(o.installments.map(\.amount) == [Money(cents: 464_34), Money(cents: 312_60), Money(cents: 236_74)])
        #expect(o.installments.map(\.total) == [Money(cents: 928_68), Money(cents: 937_80), Money(cents: 946_96)])
    }

    @Test func priceTableAgainstAnIndependentComputation() {
        // 903.34 at 1.99% a month, from Python's decimal (50 digits).
        let expected: [(Int, Int64)] = [(2, 465_20), (3, 313_18), (4, 237_18), (5, 191_60), (6, 161_22)]
        for (n, cents) in expected {
            #expect(
                Offer.installment(Money(cents: 903_34), count: n, rate: Percent(decimal: "1.99")!)
                    == Money(cents: cents))
        }
        // At 0%: cash / n, half-up.
        #expect(Offer.installment(Money(cents: 100_00), count: 3, rate: Percent(micros: 0)) == Money(cents: 33_33))
        #expect(Offer.installment(Money(cents: 100_00), count: 2, rate: Percent(micros: 0)) == Money(cents: 50_00))
    }

    @Test("the divisors kept per rate give the cents of the formula computed whole, for random amounts and rates")
    func keptDivisorsGiveTheWholeFormulasCents() {
        /// The installment as it was computed before the divisors were kept: everything anew.
        func plain(_ cash: Money, _ n: Int, _ rate: Percent) -> Money {
            let cents = Decimal(cash.cents)
            var value: Decimal
            if rate.micros == 0 {
                value = cents / Decimal(n)
            } else {
                let i = Decimal(rate.micros) / Decimal(100_000_000)
                value = cents * i / (1 - 1 / pow(1 + i, n))
            }
            var rounded = Decimal()
            NSDecimalRound(&rounded, &value, 0, .plain)
            return Money(cents: NSDecimalNumber(decimal: rounded).int64Value)
        }
        var g = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            // Rates a rule book writes: 0 … 15 % a month, up to four decimals.
            let rate = Percent(micros: Int64.random(in: 0...1500, using: &g) * 10_000)
            let max = Int.random(in: 2...36, using: &g)
            let cash = Money(cents: Int64.random(in: 1...10_000_000_00, using: &g))
            let kept = PriceTable.divisors(rate: rate, upTo: max)
            for n in 2...max {
                let want = plain(cash, n, rate)
                #expect(Offer.installment(cash, count: n, rate: rate, divisor: kept[n]) == want, "\(cash) \(n) \(rate)")
                #expect(Offer.installment(cash, count: n, rate: rate) == want)
            }
        }
    }

    @Test func creditsComeOffTheCashAndZeroCashOffersNoInstallments() {
        let d = Self.dunned(outstanding: 100_00, daysOverdue: 5)
        let asOf = Day(iso: "2026-11-23")!
        let some = Offer.make(
            Self.terms, titles: [d], credits: Money(cents: 40_00), asOf: asOf, calendar: Self.calendar)
        // 100.00 five days overdue: fee 2.00 waived, interest 0.17 half waived = 0.09 (0.085 half-up).
        #expect(some.cashAmount == Money(cents: 90_00 + 9 - 40_00))
        let all = Offer.make(
            Self.terms, titles: [d], credits: Money(cents: 500_00), asOf: asOf, calendar: Self.calendar)
        #expect(all.cashAmount == .zero)
        #expect(all.installments.isEmpty)
    }

    @Test func validUntilSkipsHolidays() {
        let d = Self.dunned(outstanding: 100_00, daysOverdue: 5)
        // 15th + 5 = Friday 20 November (Consciência Negra, a national holiday) → Monday 23rd.
        let o = Offer.make(
            Self.terms, titles: [d], credits: .zero, asOf: Day(iso: "2026-11-15")!, calendar: Self.calendar)
        #expect(o.validUntil == Day(iso: "2026-11-23"))
    }

    @Test func theSpeakingStepsOfferRidesOnTheMessage() {
        var steps = F.defaultSteps
        steps[2].offer = Self.terms  // overdue_d3
        let titles = [F.title("t1", "c1", due: "2026-11-18", amount: 1000_00), F.title("t2", "c1", due: "2026-11-27")]
        let d = F.decide([F.customer("c1")], titles, asOf: "2026-11-23", book: F.book(steps: steps))
        let email = d.messages.first { $0.channel == .email }
        #expect(email?.titles.count == 2)  // the reminder of t2 rides in the same e-mail
        #expect(email?.step.id == "overdue_d3")
        let o = email?.offer
        #expect(o != nil)
        #expect(
            o?.cashAmount
                == Offer.make(
                    Self.terms, titles: email!.titles, credits: .zero, asOf: Day(iso: "2026-11-23")!,
                    calendar: Self.calendar
                ).cashAmount)
        // A message whose speaking step has no offer carries none.
        #expect(F.decide([F.customer("c1")], titles, asOf: "2026-11-23").messages.allSatisfy { $0.offer == nil })
    }
}
