import Foundation
import Synchronization

/// A step's `offer`: the settlement terms its message carries (SPEC §3 Offers).
public struct OfferTerms: Sendable, Hashable {
    /// Off the outstanding principal.
    public var discountPercent: Percent
    /// Off the late fee (multa).
    public var waiveFeePercent: Percent
    /// Off the interest (juros).
    public var waiveInterestPercent: Percent
    /// Days from the as-of date the offer holds (moved to the next business day).
    public var validDays: Int
    /// Installments offered besides cash, or nil for cash only.
    public var installments: InstallmentTerms?

    /// Price-table (tabela Price) installments: n = 2 … `max` at a monthly rate.
    public struct InstallmentTerms: Sendable, Hashable {
        /// The largest number of installments.
        public var max: Int
        /// An installment below this is not offered.
        public var minAmount: Money
        /// Monthly interest of the installment plan.
        public var interestPercentMonth: Percent
        /// Creates installment terms.
        public init(max: Int, minAmount: Money, interestPercentMonth: Percent) {
            self.max = max
            self.minAmount = minAmount
            self.interestPercentMonth = interestPercentMonth
        }
    }

    /// Creates offer terms.
    public init(
        discountPercent: Percent = Percent(micros: 0), waiveFeePercent: Percent = Percent(micros: 0),
        waiveInterestPercent: Percent = Percent(micros: 0), validDays: Int, installments: InstallmentTerms? = nil
    ) {
        self.discountPercent = discountPercent
        self.waiveFeePercent = waiveFeePercent
        self.waiveInterestPercent = waiveInterestPercent
        self.validDays = validDays
        self.installments = installments
    }
}

/// A settlement offer, computed to the cent for the titles of one message.
public struct Offer: Sendable, Hashable {
    /// What paying at once costs: Σ per title of the discounted principal, fee and interest,
    /// less the customer's credits, never below zero.
    public var cashAmount: Money
    /// Σ over the titles of (updated amount − cash).
    public var savings: Money
    /// The last day the offer holds (a business day).
    public var validUntil: Day
    /// The installment plans offered, by count.
    public var installments: [Installment]

    /// One installment plan.
    public struct Installment: Sendable, Hashable {
        /// How many installments.
        public var count: Int
        /// Each installment.
        public var amount: Money
        /// amount × count.
        public var total: Money
    }

    /// The offer `terms` make for `titles` on `asOf`, with the customer's `credits` netted.
    public static func make(
        _ terms: OfferTerms, titles: [DunnedTitle], credits: Money, asOf: Day, calendar: BusinessCalendar
    ) -> Offer {
        var cash = Money.zero
        var savings = Money.zero
        for d in titles {
            let c =
                remaining(terms.discountPercent).applied(to: d.outstanding)
                + remaining(terms.waiveFeePercent).applied(to: d.lateFee)
                + remaining(terms.waiveInterestPercent).applied(to: d.interest)
            cash += c
            savings += d.updatedAmount - c
        }
        cash = cash - credits
        if cash.cents < 0 { cash = .zero }
        var until = asOf.adding(days: terms.validDays)
        while !calendar.isBusinessDay(until) { until = until.adding(days: 1) }
        var plans: [Installment] = []
        if let i = terms.installments, cash.cents > 0, i.max >= 2 {
            let divisors = PriceTable.divisors(rate: i.interestPercentMonth, upTo: i.max)
            for n in 2...i.max {
                let amount = installment(cash, count: n, rate: i.interestPercentMonth, divisor: divisors[n])
                if amount >= i.minAmount {
                    plans.append(Installment(count: n, amount: amount, total: Money(cents: amount.cents * Int64(n))))
                }
            }
        }
        return Offer(cashAmount: cash, savings: savings, validUntil: until, installments: plans)
    }

    /// 100% − p: what is left of an amount after taking p% off.
    static func remaining(_ p: Percent) -> Percent { Percent(micros: 100_000_000 - p.micros) }

    /// The Price-table installment of `cash` over `n` months at a monthly rate:
    /// cash × i / (1 − (1 + i)^−n), or cash / n at 0%; half-up to the cent, computed in
    /// Foundation's `Decimal` (38 significant digits; SPEC §3 asks for at least 20).
    static func installment(_ cash: Money, count n: Int, rate: Percent) -> Money {
        installment(cash, count: n, rate: rate, divisor: PriceTable.divisor(rate: rate, count: n))
    }

    /// ``installment(_:count:rate:)`` with the divisor of `n` and the rate already computed
    /// (``PriceTable``): the same operations in the same order, so the same cents.
    static func installment(_ cash: Money, count n: Int, rate: Percent, divisor: Decimal) -> Money {
        let cents = Decimal(cash.cents)
        var value: Decimal
        if rate.micros == 0 {
            value = cents / Decimal(n)
        } else {
            value = cents * PriceTable.monthly(rate) / divisor
        }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)  // half away from zero, to whole cents
        return Money(cents: NSDecimalNumber(decimal: rounded).int64Value)
    }
}

/// The parts of a Price-table installment that depend only on the rate and the count: the
/// monthly rate i and the divisor 1 − (1 + i)^−n. `Decimal`'s power is most of an offer's cost
/// and a night asks for the same few rates tens of thousands of times, so each rate's divisors
/// are computed once per process and kept.
enum PriceTable {
    /// i as a fraction: 1.99 % → 0.0199.
    static func monthly(_ rate: Percent) -> Decimal { Decimal(rate.micros) / Decimal(100_000_000) }

    /// 1 − 1 / (1 + i)^n; 0 at a 0 % rate (not used there: the installment is cash / n).
    static func divisor(rate: Percent, count n: Int) -> Decimal {
        guard rate.micros != 0 else { return 0 }
        let i = monthly(rate)
        let growth = pow(1 + i, n)  // (1 + i)^n
        return 1 - 1 / growth
    }

    private static let kept = Mutex<[Int64: [Decimal]]>([:])

    /// ``divisor(rate:count:)`` for n = 0 … `max` (index n), kept per rate.
    static func divisors(rate: Percent, upTo max: Int) -> [Decimal] {
        let key = rate.micros
        if let d = kept.withLock({ $0[key] }), d.count > max { return d }
        let d = (0...max).map { divisor(rate: rate, count: $0) }
        kept.withLock { $0[key] = d }
        return d
    }
}
