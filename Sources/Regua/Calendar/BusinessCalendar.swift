/// Business days for a rule book: not Saturday, not Sunday, not a holiday.
///
/// `holidays: national` gives Brazil's national holidays and the banks' closing days of
/// Carnaval (Monday and Tuesday) and Corpus Christi, for any year; `extra` adds local ones.
public struct BusinessCalendar: Sendable {
    private let national: Bool
    private let extra: Set<Day>
    /// One bit per day from ``tableStart`` on, set for a holiday (national or extra): the
    /// decision asks for the effective due date of every title, a bit test instead of a year
    /// computation and two hash lookups.
    private let holidayBits: [UInt64]
    /// First day of the table (1990-01-01); it covers 1990 through 2100.
    private static let tableStart = Day(year: 1990, month: 1, day: 1)!
    private static let tableDays = Int(Day(year: 2101, month: 1, day: 1)!.ordinal - tableStart.ordinal)

    /// Builds the calendar of a rule book.
    public init(_ config: CalendarConfig) {
        self.national = config.nationalHolidays
        self.extra = Set(config.extra)
        let days = Self.tableDays
        var bits = [UInt64](repeating: 0, count: (days + 63) / 64)
        func mark(_ day: Day) {
            let i = Int(day.ordinal - Self.tableStart.ordinal)
            guard i >= 0, i < days else { return }
            bits[i >> 6] |= 1 << UInt64(i & 63)
        }
        if config.nationalHolidays {
            for y in 1990...2100 { BusinessCalendar.nationalHolidays(year: y).forEach { mark($0.day) } }
        }
        config.extra.forEach(mark)
        self.holidayBits = bits
    }

    /// Whether a day is a holiday (national or extra); weekends are not holidays by themselves.
    public func isHoliday(_ day: Day) -> Bool {
        let i = Int(day.ordinal - Self.tableStart.ordinal)
        if i >= 0, i < Self.tableDays {
            return holidayBits[i >> 6] & (1 << UInt64(i & 63)) != 0
        }
        if extra.contains(day) { return true }
        guard national else { return false }
        return BusinessCalendar.nationalHolidays(year: day.components.year).contains { $0.day == day }
    }

    /// Not Saturday, not Sunday, not a holiday.
    public func isBusinessDay(_ day: Day) -> Bool {
        let w = day.weekday
        return w != .saturday && w != .sunday && !isHoliday(day)
    }

    /// The due date moved to the next business day when it falls on a weekend or holiday.
    public func effectiveDueDate(_ due: Day) -> Day {
        var d = due
        while !isBusinessDay(d) { d = d.adding(days: 1) }
        return d
    }

    /// Brazil's national holidays (Lei 662/1949 and later) and the banks' closing days of a year.
    public static func nationalHolidays(year: Int) -> [(day: Day, name: String)] {
        var list: [(Day, String)] = [
            (Day(year: year, month: 1, day: 1)!, "Confraternização Universal"),
            (Day(year: year, month: 4, day: 21)!, "Tiradentes"),
            (Day(year: year, month: 5, day: 1)!, "Dia do Trabalho"),
            (Day(year: year, month: 9, day: 7)!, "Independência do Brasil"),
            (Day(year: year, month: 10, day: 12)!, "Nossa Senhora Aparecida"),
            (Day(year: year, month: 11, day: 2)!, "Finados"),
            (Day(year: year, month: 11, day: 15)!, "Proclamação da República"),
            (Day(year: year, month: 12, day: 25)!, "Natal"),
        ]
        if year >= 2024 {
            // Lei 14.759/2023 made Dia Nacional de Zumbi e da Consciência Negra national.
            list.append((Day(year: year, month: 11, day: 20)!, "Consciência Negra"))
        }
        let easter = easterSunday(year: year)
        list.append((easter.adding(days: -48), "Carnaval (segunda-feira)"))
        list.append((easter.adding(days: -47), "Carnaval (terça-feira)"))
        list.append((easter.adding(days: -2), "Sexta-feira Santa"))
        list.append((easter.adding(days: 60), "Corpus Christi"))
        return list.sorted { $0.0 < $1.0 }
    }

    /// Easter Sunday (Gregorian computus, Meeus/Jones/Butcher).
    public static func easterSunday(year: Int) -> Day {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return Day(year: year, month: month, day: day)!
    }
}
