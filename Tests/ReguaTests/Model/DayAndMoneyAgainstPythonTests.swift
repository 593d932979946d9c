import Foundation
import Testing

@testable import Regua

/// `Day`, `Money` and `Percent` against Python's `datetime` and `decimal` (proleptic Gregorian
/// calendar from year 1, exact decimal arithmetic with ROUND_HALF_UP): thousands of random
/// values, each answered by a tool nobody here wrote.
@Suite(.enabled(if: ExternalTool.python3 != nil))
struct DayAndMoneyAgainstPythonTests {
    /// Runs a Python program and returns its stdout lines.
    static func python(_ program: String, _ arguments: [String] = []) throws -> [Substring] {
        let run = try ExternalTool.run(ExternalTool.python3!, ["-c", program] + arguments)
        try #require(run.status == 0, "\(run.stderr)")
        return run.stdout.split(separator: "\n")
    }

    /// Random days from year 1 to 9999: their ordinal (days since 1970-01-01), ISO weekday and
    /// the three ways Regua writes them.
    @Test func daysAgreeWithPythonsCalendar() throws {
        let lines = try Self.python(
            """
            import datetime, random
            rng = random.Random(5)
            epoch = datetime.date(1970, 1, 1).toordinal()
            days = [datetime.date.fromordinal(rng.randrange(1, datetime.date(9999, 12, 31).toordinal() + 1)) for _ in range(4000)]
            days += [datetime.date(y, 2, 28) + datetime.timedelta(days=1) for y in (1900, 2000, 2024, 2100, 2400, 1, 4, 100)]
            days += [datetime.date(1, 1, 1), datetime.date(9999, 12, 31), datetime.date(1969, 12, 31)]
            for d in days:
                print(f"{d.year:04d}-{d.month:02d}-{d.day:02d} {d.toordinal() - epoch} {d.isoweekday()} {d.day:02d}/{d.month:02d}/{d.year:04d}")
            """)
        #expect(lines.count == 4011)
        for line in lines {
            let f = line.split(separator: " ").map(String.init)
            guard let day = Day(iso: f[0]) else {
                Issue.record("\(f[0]) not read")
                continue
            }
            #expect(Int(day.ordinal) == Int(f[1])!, "\(line)")
            #expect(day.weekday.rawValue == Int(f[2])!, "\(line)")
            #expect(day.iso == f[0])
            #expect(day.br == f[3])
            #expect(day.ddmmyyyy == f[3].replacingOccurrences(of: "/", with: ""))
            #expect(Day(ordinal: day.ordinal).components == day.components)
            let (y, m, d) = day.components
            #expect(Day.daysInMonth(year: y, month: m) >= d)
        }
    }

    /// Year, month and day triples, valid or not: Regua accepts exactly those Python's
    /// `datetime.date` accepts, and finds the same days between them.
    @Test func impossibleDatesAreRefusedLikePythonRefusesThem() throws {
        let lines = try Self.python(
            """
            import datetime, random
            rng = random.Random(8)
            for _ in range(3000):
                y, m, d = rng.choice([rng.randrange(0, 10001), rng.randrange(1890, 2110)]), rng.randrange(0, 14), rng.randrange(0, 33)
                try:
                    print(y, m, d, datetime.date(y, m, d).toordinal() - datetime.date(2026, 11, 23).toordinal())
                except ValueError:
                    print(y, m, d, "invalid")
            """)
        let asOf = Day(iso: "2026-11-23")!
        var valid = 0
        for line in lines {
            let f = line.split(separator: " ").map(String.init)
            let day = Day(year: Int(f[0])!, month: Int(f[1])!, day: Int(f[2])!)
            if f[3] == "invalid" {
                #expect(day == nil, "\(line)")
            } else {
                valid += 1
                #expect(day?.days(since: asOf) == Int(f[3]), "\(line)")
                #expect(day.map { asOf.adding(days: Int(f[3])!) == $0 } == true, "\(line)")
            }
        }
        #expect(valid > 1000 && valid < 2900)  // both kinds were tried
    }

    /// Amounts written for people (`R$ 1.234.567,89`) and for machines (`1234567.89`), against
    /// Python's own digit grouping.
    @Test func moneyIsWrittenLikePythonGroupsIt() throws {
        var rng = SplitMix64(seed: 31)
        let amounts: [Int64] =
            (0..<2000).map { _ in
                let digits = rng.within(1...17)
                var v: Int64 = 0
                for _ in 0..<digits { v = v * 10 + Int64(rng.below(10)) }
                return rng.chance(200) ? -v : v
            } + [0, 1, 99, 100, 99_999, 100_000, -1, -100_000, Int64.max / 1000]
        let lines = try Self.python(
            """
            import sys
            from decimal import Decimal
            for c in sys.argv[1].split():
                d = Decimal(int(c)).scaleb(-2)
                grouped = f"{d:,.2f}".translate(str.maketrans(",.", ".,"))
                print(f"{d:.2f}", grouped)
            """, [amounts.map(String.init).joined(separator: " ")])
        #expect(lines.count == amounts.count)
        for (cents, line) in zip(amounts, lines) {
            let f = line.split(separator: " ").map(String.init)
            let m = Money(cents: cents)
            #expect(m.plain == f[0], "\(cents)")
            #expect(m.brNumber == f[1], "\(cents)")
            #expect(m.br == "R$ " + f[1])
            if cents >= 0 { #expect(Money(decimal: f[0]) == m, "\(f[0])") }
        }
    }

    /// Late fees and pro-rata interest (`Percent.applied`) round half up to the cent exactly
    /// as Python's `Decimal` does, for rates of up to six decimals and long periods.
    @Test func percentagesRoundHalfUpLikeDecimal() throws {
        var rng = SplitMix64(seed: 77)
        var cases: [(Int64, String, Int, Int)] = []
        for _ in 0..<3000 {
            let cents = Int64(rng.within(0...2_000_000_000)) * (rng.chance(100) ? 1000 : 1)
            let whole = rng.within(0...20)
            let decimals = rng.within(0...6)
            let frac = (0..<decimals).map { _ in String(rng.below(10)) }.joined()
            let rate = decimals == 0 ? "\(whole)" : "\(whole).\(frac)"
            cases.append((cents, rate, rng.within(1...400), rng.pick([1, 30, 360, 365])))
        }
        let input = cases.map { "\($0.0),\($0.1),\($0.2),\($0.3)" }.joined(separator: " ")
        let lines = try Self.python(
            """
            import sys
            from decimal import Decimal, ROUND_HALF_UP, getcontext
            getcontext().prec = 60
            for case in sys.argv[1].split():
                c, rate, n, d = case.split(",")
                v = Decimal(c) * Decimal(rate) / Decimal(100) * Decimal(n) / Decimal(d)
                print(v.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            """, [input])
        #expect(lines.count == cases.count)
        for (c, line) in zip(cases, lines) {
            let p = try #require(Percent(decimal: c.1), "\(c.1)")
            #expect(p.applied(to: Money(cents: c.0), times: c.2, over: c.3).cents == Int64(line)!, "\(c)")
        }
    }

    /// Rates Regua must refuse (a sign, a comma, seven decimals, nothing) and those it reads.
    @Test(
        arguments: [
            ("2", 2_000_000), ("2.0", 2_000_000), ("0.033", 33_000), ("0.000001", 1), ("10.5", 10_500_000),
            ("-1", nil), ("1,5", nil), ("0.0000001", nil), ("", nil), (".5", nil), ("5.", nil), ("1.2.3", nil),
            ("1234567890", nil),
        ] as [(String, Int64?)])
    func percentText(text: String, micros: Int64?) {
        #expect(Percent(decimal: text)?.micros == micros)
        if let micros { #expect(Percent(decimal: Percent(micros: micros).description)?.micros == micros) }
    }
}
