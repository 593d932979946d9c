/// A calendar date with no time of day and no time zone: the unit of every decision.
///
/// Stored as the number of days since 1970-01-01 (proleptic Gregorian), so that
/// "days overdue" is a subtraction and comparisons are integer comparisons.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let ordinal: Int32

    /// Creates a day from its ordinal (days since 1970-01-01).
    public init(ordinal: Int32) { self.ordinal = ordinal }

    /// Creates a day from a year, month and day of month; `nil` when the date does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Day.daysInMonth(year: year, month: month)
        else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        self.ordinal = Int32(era * 146097 + doe - 719468)
    }

    /// Parses `YYYY-MM-DD` exactly (ten characters, real date).
    public init?(iso text: some StringProtocol) {
        let u = Array(text.utf8)
        self.init(isoBytes: u[...])
    }

    /// Parses `YYYY-MM-DD` from raw bytes.
    public init?(isoBytes u: ArraySlice<UInt8>) {
        guard u.count == 10 else { return nil }
        let b = Array(u)
        guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                let c = b[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Year, month and day of month.
    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(ordinal) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// ISO weekday: Monday = 1 … Sunday = 7.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (4).
        let w = ((Int(ordinal) % 7) + 7 + 3) % 7 + 1
        return Weekday(rawValue: w)!
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        let c = components
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
    }

    /// `DD/MM/YYYY`, as Brazilians write dates.
    public var br: String {
        let c = components
        return pad(c.day, 2) + "/" + pad(c.month, 2) + "/" + pad(c.year, 4)
    }

    /// `DDMMYYYY`, as CNAB files write dates.
    public var ddmmyyyy: String {
        let c = components
        return pad(c.day, 2) + pad(c.month, 2) + pad(c.year, 4)
    }

    /// The ISO form, `2026-11-23`.
    public var description: String { iso }

    /// The day `n` days later (earlier when negative).
    public func adding(days n: Int) -> Day { Day(ordinal: ordinal + Int32(n)) }

    /// Calendar days from `other` to `self` (positive when `self` is later).
    public func days(since other: Day) -> Int { Int(ordinal) - Int(other.ordinal) }

    /// Orders days by date.
    public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }

    /// Number of days in a month of a year.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

@inline(__always)
func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// ISO weekday numbers, Monday first.
public enum Weekday: Int, CaseIterable, Sendable {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// The English lower-case name used in rule books (`sunday`).
    public var name: String {
        switch self {
        case .monday: "monday"
        case .tuesday: "tuesday"
        case .wednesday: "wednesday"
        case .thursday: "thursday"
        case .friday: "friday"
        case .saturday: "saturday"
        case .sunday: "sunday"
        }
    }

    /// Reads an English or Portuguese day name.
    public init?(name: String) {
        let n = name.lowercased()
        let table: [String: Weekday] = [
            "monday": .monday, "tuesday": .tuesday, "wednesday": .wednesday, "thursday": .thursday,
            "friday": .friday, "saturday": .saturday, "sunday": .sunday,
            "segunda": .monday, "terca": .tuesday, "terça": .tuesday, "quarta": .wednesday,
            "quinta": .thursday, "sexta": .friday, "sabado": .saturday, "sábado": .saturday,
            "domingo": .sunday,
        ]
        guard let d = table[n] else { return nil }
        self = d
    }
}
