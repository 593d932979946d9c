import Foundation
import Testing

@testable import Regua

/// SPEC §3 Offers on random portfolios against Python's `decimal` at 50 digits: the cash
/// amount (each title's principal, fee and interest less their percentages, half-up to the
/// cent, less the credits, never below zero), the savings, and every Price-table plan
/// (cash × i / (1 − (1 + i)^−n), half-up; a plan below the minimum left out).
@Suite(.enabled(if: ExternalTool.python3 != nil))
struct OfferAgainstDecimalTests {
    typealias F = DeciderFixtures

    static let script = #"""
        import json, sys
        from decimal import Decimal, ROUND_HALF_UP, getcontext
        getcontext().prec = 50
        def half_up(v):
            return int(v.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        def pct(x, micros):  # x × (100% − p)
            return half_up(Decimal(x) * (Decimal(100_000_000) - Decimal(micros)) / Decimal(100_000_000))
        out = []
        for c in json.load(open(sys.argv[1])):
            cash = sum(pct(t["outstanding"], c["discount"]) + pct(t["fee"], c["waiveFee"]) + pct(t["interest"], c["waiveInterest"])
                       for t in c["titles"])
            updated = sum(t["outstanding"] + t["fee"] + t["interest"] for t in c["titles"])
            savings = updated - cash
            cash = max(0, cash - c["credits"])
            plans = []
            if cash > 0:
                i = Decimal(c["rate"]) / Decimal(100_000_000)
                for n in range(2, c["max"] + 1):
                    v = Decimal(cash) / n if i == 0 else Decimal(cash) * i / (1 - (1 + i) ** -n)
                    a = half_up(v)
                    if a >= c["min"]:
                        plans.append([n, a, a * n])
            out.append({"cash": cash, "savings": savings, "plans": plans})
        print(json.dumps(out))
        """#

    struct Case: Codable {
        struct T: Codable {
            var outstanding: Int64
            var fee: Int64
            var interest: Int64
        }
        var titles: [T]
        var discount: Int64
        var waiveFee: Int64
        var waiveInterest: Int64
        var credits: Int64
        var rate: Int64
        var max: Int
        var min: Int64
    }

    struct Expected: Decodable {
        var cash: Int64
        var savings: Int64
        var plans: [[Int64]]
    }

    @Test func offersAgreeWithDecimalToTheCent() throws {
        var rng = SplitMix64(seed: 2026)
        func percent() -> Int64 {
            // Whole percentages mostly, some with decimals, 0 and 100 at the ends.
            switch rng.below(6) {
            case 0: return 0
            case 1: return 100_000_000
            case 2: return Int64(rng.within(0...100_000_000))
            default: return Int64(rng.within(0...100)) * 1_000_000
            }
        }
        let cases: [Case] = (0..<600).map { _ in
            Case(
                titles: (0..<rng.within(1...4)).map { _ in
                    Case.T(
                        outstanding: Int64(rng.within(1...50_000_000)), fee: Int64(rng.within(0...1_000_000)),
                        interest: Int64(rng.within(0...500_000)))
                },
                discount: percent(), waiveFee: percent(), waiveInterest: percent(),
                credits: rng.chance(300) ? Int64(rng.within(0...20_000_000)) : 0,
                rate: rng.chance(150) ? 0 : Int64(rng.within(1...15_000_000)), max: rng.within(1...48),
                min: Int64(rng.within(0...500_000)))
        }
        let dir = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("cases.json")
        try JSONEncoder().encode(cases).write(to: input)
        let run = try ExternalTool.run(ExternalTool.python3!, ["-c", Self.script, input.path])
        try #require(run.status == 0, "\(run.stderr)")
        let expected = try JSONDecoder().decode([Expected].self, from: Data(run.stdout.utf8))
        try #require(expected.count == cases.count)

        let asOf = Day(iso: "2026-11-23")!
        let template = NightDecider(book: F.book(), asOf: asOf).dunned(F.title("t", "c", due: "2026-11-13"))
        let calendar = BusinessCalendar(F.book().calendar)
        var plans = 0
        for (c, e) in zip(cases, expected) {
            let titles = c.titles.map { t -> DunnedTitle in
                var d = template
                d.outstanding = Money(cents: t.outstanding)
                d.lateFee = Money(cents: t.fee)
                d.interest = Money(cents: t.interest)
                return d
            }
            let terms = OfferTerms(
                discountPercent: Percent(micros: c.discount), waiveFeePercent: Percent(micros: c.waiveFee),
                waiveInterestPercent: Percent(micros: c.waiveInterest), validDays: 5,
                installments: .init(
                    max: c.max, minAmount: Money(cents: c.min), interestPercentMonth: Percent(micros: c.rate)))
            let o = Offer.make(terms, titles: titles, credits: Money(cents: c.credits), asOf: asOf, calendar: calendar)
            #expect(o.cashAmount.cents == e.cash, "\(c)")
            #expect(o.savings.cents == e.savings, "\(c)")
            let got = o.installments.map { [Int64($0.count), $0.amount.cents, $0.total.cents] }
            #expect(got == e.plans, "\(c)")
            plans += got.count
            // 23 November 2026 + 5 = Saturday 28th: the offer holds until Monday 30th.
            #expect(o.validUntil == Day(iso: "2026-11-30"))
        }
        #expect(plans > 1_000)  // the installments were really compared
    }
}
