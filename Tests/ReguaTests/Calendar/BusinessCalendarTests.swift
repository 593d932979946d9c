import Testing
@testable import Regua

@Suite struct BusinessCalendarTests {
    /// Easter dates published by the US Naval Observatory / any almanac.
    @Test(arguments: [
        (2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"),
        (2038, "2038-04-25"), (2000, "2000-04-23"),
    ])
    func easter(year: Int, iso: String) {
        #expect(BusinessCalendar.easterSunday(year: year) == Day(iso: iso)!)
    }

    /// 2026's bank holidays as FEBRABAN published them (Carnaval 16–17 Feb, Good Friday 3 Apr,
    /// Corpus Christi 4 Jun, Consciência Negra 20 Nov).
    @Test(arguments: [
        "2026-01-01", "2026-02-16", "2026-02-17", "2026-04-03", "2026-04-21", "2026-05-01",
        "2026-06-04", "2026-09-07", "2026-10-12", "2026-11-02", "2026-11-15", "2026-11-20",
        "2026-12-25",
    ])
    func holidays2026(iso: String) {
        let cal = BusinessCalendar(CalendarConfig(nationalHolidays: true))
        #expect(cal.isHoliday(Day(iso: iso)!))
        #expect(!cal.isBusinessDay(Day(iso: iso)!))
    }

    @Test func consciênciaNegraOnlyFrom2024() {
        let cal = BusinessCalendar(CalendarConfig(nationalHolidays: true))
        #expect(!cal.isHoliday(Day(iso: "2023-11-20")!))
        #expect(cal.isHoliday(Day(iso: "2024-11-20")!))
    }

    @Test(arguments: [
        ("2026-11-20", "2026-11-23"),  // Friday holiday → Monday
        ("2026-11-21", "2026-11-23"),  // Saturday → Monday
        ("2026-11-24", "2026-11-24"),  // ordinary Tuesday
        ("2026-02-14", "2026-02-18"),  // Saturday before Carnaval → Ash Wednesday
        ("2026-12-25", "2026-12-28"),
        ("2026-01-24", "2026-01-26"),  // Saturday, then the extra holiday on Sunday 25
    ])
    func effectiveDueDate(due: String, effective: String) {
        let cal = BusinessCalendar(CalendarConfig(nationalHolidays: true, extra: [Day(iso: "2026-01-25")!]))
        #expect(cal.effectiveDueDate(Day(iso: due)!) == Day(iso: effective)!)
    }

    @Test func extraHolidayOnWeekdayMovesDue() {
        let cal = BusinessCalendar(CalendarConfig(nationalHolidays: false, extra: [Day(iso: "2026-01-26")!]))
        #expect(cal.effectiveDueDate(Day(iso: "2026-01-26")!) == Day(iso: "2026-01-27")!)
        #expect(!cal.isHoliday(Day(iso: "2026-12-25")!))
    }

    /// The day table agrees with the holiday lists for every day it covers, and days outside
    /// it (extra ones included) are still answered.
    @Test func theDayTableAgreesWithTheHolidayListsEverywhere() {
        let extra = [
            Day(iso: "2026-01-25")!, Day(iso: "1985-07-09")!, Day(iso: "2150-03-01")!, Day(iso: "1990-01-02")!,
        ]
        for national in [true, false] {
            let cal = BusinessCalendar(CalendarConfig(nationalHolidays: national, extra: extra))
            var expected = Set(extra)
            if national {
                for y in 1985...2155 { expected.formUnion(BusinessCalendar.nationalHolidays(year: y).map(\.day)) }
            }
            var d = Day(iso: "1985-01-01")!
            while d <= Day(iso: "2155-12-31")! {
                if cal.isHoliday(d) != expected.contains(d) {
                    Issue.record("\(d.iso) national \(national)")
                    break
                }
                d = d.adding(days: 1)
            }
        }
    }
}
