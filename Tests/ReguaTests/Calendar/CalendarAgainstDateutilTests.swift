import Foundation
import Testing

@testable import Regua

/// Easter and the holidays that hang on it, against python-dateutil's `easter()` (its own
/// implementation of the Gregorian computus, written by nobody here), for every year from
/// 1583 to 4099; and the bank calendar built on them, day by day, against the list that
/// BANKING.md gives (fixed dates, 20 November from 2024, Carnaval −48/−47, Good Friday −2,
/// Corpus Christi +60).
@Suite(.enabled(if: ExternalTool.python3 != nil && ExternalTool.hasDateutil))
struct CalendarAgainstDateutilTests {
    static func dateutilEasters() throws -> [Int: String] {
        let run = try ExternalTool.run(
            ExternalTool.python3!,
            [
                "-c",
                "from dateutil.easter import easter, EASTER_WESTERN\n"
                    + "for y in range(1583, 4100): print(y, easter(y, EASTER_WESTERN).isoformat())",
            ])
        try #require(run.status == 0, "\(run.stderr)")
        var out: [Int: String] = [:]
        for line in run.stdout.split(separator: "\n") {
            let f = line.split(separator: " ")
            out[Int(f[0])!] = String(f[1])
        }
        return out
    }

    @Test func easterIsDateutilsEveryYear() throws {
        let easters = try Self.dateutilEasters()
        #expect(easters.count == 4099 - 1583 + 1)
        for (year, iso) in easters.sorted(by: { $0.key < $1.key }) {
            #expect(BusinessCalendar.easterSunday(year: year).iso == iso, "\(year)")
        }
    }

    /// Every holiday of every year from 1990 to 2100 is on the day the facts give it, with
    /// its name, and no other day is one; a business day is a weekday that is no holiday.
    @Test func holidaysAreTheFactsEveryYear() throws {
        let easters = try Self.dateutilEasters()
        let cal = BusinessCalendar(CalendarConfig(nationalHolidays: true))
        for year in 1990...2100 {
            let easter = Day(iso: easters[year]!)!
            // Two may fall on one day (Good Friday on Tiradentes in 2000 and 2079): a list, not a map.
            var expected: [(String, String)] = [
                ("\(year)-01-01", "Confraternização Universal"), ("\(year)-04-21", "Tiradentes"),
                ("\(year)-05-01", "Dia do Trabalho"), ("\(year)-09-07", "Independência do Brasil"),
                ("\(year)-10-12", "Nossa Senhora Aparecida"), ("\(year)-11-02", "Finados"),
                ("\(year)-11-15", "Proclamação da República"), ("\(year)-12-25", "Natal"),
                (easter.adding(days: -48).iso, "Carnaval (segunda-feira)"),
                (easter.adding(days: -47).iso, "Carnaval (terça-feira)"),
                (easter.adding(days: -2).iso, "Sexta-feira Santa"), (easter.adding(days: 60).iso, "Corpus Christi"),
            ]
            if year >= 2024 { expected.append(("\(year)-11-20", "Consciência Negra")) }
            let listed = BusinessCalendar.nationalHolidays(year: year)
            let order = { (a: (String, String), b: (String, String)) in a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }
            let got = listed.map { ($0.day.iso, $0.name) }.sorted(by: order)
            #expect(got.map(\.0) == expected.sorted(by: order).map(\.0), "\(year)")
            #expect(got.map(\.1) == expected.sorted(by: order).map(\.1), "\(year)")
            #expect(listed.map(\.day) == listed.map(\.day).sorted())
            let holidays = Set(expected.map(\.0))
            var d = Day(year: year, month: 1, day: 1)!
            while d.components.year == year {
                let holiday = holidays.contains(d.iso)
                #expect(cal.isHoliday(d) == holiday, "\(d.iso)")
                let weekend = d.weekday == .saturday || d.weekday == .sunday
                #expect(cal.isBusinessDay(d) == (!holiday && !weekend), "\(d.iso)")
                // The effective due date is the first business day on or after the day.
                var e = d
                while !cal.isBusinessDay(e) { e = e.adding(days: 1) }
                #expect(cal.effectiveDueDate(d) == e, "\(d.iso)")
                d = d.adding(days: 1)
            }
        }
    }
}

extension ExternalTool {
    /// Whether python3 can import dateutil.easter.
    static let hasDateutil: Bool = {
        guard let python3 else { return false }
        return (try? run(python3, ["-c", "import dateutil.easter"]).status) == 0
    }()
}
