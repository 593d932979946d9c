import Foundation

/// `calls.csv` for the call centre (SPEC §4): one line per call message, with the day's call
/// window from `policy.call_hours` and the agent's script rendered from
/// `templates/<template>.call.mustache`.
public struct CallRow: Sendable, Hashable {
    /// The message id.
    public var messageID: String
    /// The customer's id.
    public var customerID: String
    /// The speaking step.
    public var step: String
    /// Every title of the message.
    public var titleIDs: [String]
    /// The customer's name.
    public var name: String
    /// E.164 phone.
    public var phone: String
    /// Start of the day's window (`2026-11-23T08:00:00-03:00`), empty without `call_hours`.
    public var callFrom: String
    /// End of the day's window, as ``callFrom``.
    public var callUntil: String
    /// The message's updated amount (outstanding + fees).
    public var updatedAmount: Money
    /// The largest days overdue among its titles.
    public var oldestDaysOverdue: Int
    /// The agent's script.
    public var script: String

    /// Columns of `calls.csv`.
    public static let header = [
        "message_id", "customer_id", "step", "title_ids", "name", "phone", "call_from", "call_until",
        "updated_amount", "oldest_days_overdue", "script",
    ]

    /// The call row of a message, the window on `day` in the book's time zone.
    public init(message m: PlannedMessage, script: String, window: CallWindow?, day: Day, timeZone: String) {
        messageID = m.id
        customerID = m.customer.id.raw
        step = m.step.id
        titleIDs = m.titles.map(\.title.id.raw)
        name = m.customer.name
        phone = m.customer.phone ?? ""
        callFrom = window.map { Self.stamp(day, $0.from, timeZone) } ?? ""
        callUntil = window.map { Self.stamp(day, $0.until, timeZone) } ?? ""
        updatedAmount = m.totalUpdated
        oldestDaysOverdue = m.titles.map(\.daysOverdue).max() ?? 0
        self.script = script
    }

    /// `2026-11-23T08:00:00-03:00`: the local time with the zone's offset on that day.
    static func stamp(_ day: Day, _ minutes: Int, _ timeZone: String) -> String {
        let tz = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "America/Sao_Paulo")!
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        let c = day.components
        let date = cal.date(from: DateComponents(year: c.year, month: c.month, day: c.day, hour: 12)) ?? Date()
        let offset = tz.secondsFromGMT(for: date) / 60
        let sign = offset < 0 ? "-" : "+"
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return
            "\(day.iso)T\(two(minutes / 60)):\(two(minutes % 60)):00\(sign)\(two(abs(offset) / 60)):\(two(abs(offset) % 60))"
    }

    /// `calls.csv`, RFC 4180 with `,`; a script keeps its line breaks inside its quoted cell.
    public static func csv(_ rows: [CallRow]) -> [UInt8] {
        var w = CSVWriter(header: header, neutraliseFormulas: false)
        for r in rows {
            w.row([
                r.messageID, r.customerID, r.step, r.titleIDs.joined(separator: ";"), r.name, r.phone, r.callFrom,
                r.callUntil, r.updatedAmount.plain, String(r.oldestDaysOverdue), r.script,
            ])
        }
        return w.bytes
    }
}

/// The hours calls may be made on a day, in minutes from midnight.
public struct CallWindow: Sendable, Hashable {
    /// First minute of the window.
    public var from: Int
    /// Last minute of the window.
    public var until: Int
    /// Creates a window.
    public init(from: Int, until: Int) {
        self.from = from
        self.until = until
    }

    /// `08:00-20:00`, or nil when malformed or empty.
    public init?(text: String) {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let a = Self.minutes(parts[0]), let b = Self.minutes(parts[1]), a < b else {
            return nil
        }
        from = a
        until = b
    }

    static func minutes(_ s: String) -> Int? {
        let hm = s.split(separator: ":")
        guard hm.count == 2, hm[0].count <= 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]),
            (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 24 * 60
        else { return nil }
        return h * 60 + m
    }
}

/// `policy.call_hours`: `weekdays` (Monday to Friday), `saturday`, `sunday`; a day with no entry
/// has no calls (`outside_call_hours`).
public struct CallHours: Sendable, Hashable {
    /// Monday to Friday's window.
    public var weekdays: CallWindow?
    /// Saturday's window.
    public var saturday: CallWindow?
    /// Sunday's window.
    public var sunday: CallWindow?
    /// Creates call hours.
    public init(weekdays: CallWindow? = nil, saturday: CallWindow? = nil, sunday: CallWindow? = nil) {
        self.weekdays = weekdays
        self.saturday = saturday
        self.sunday = sunday
    }
    /// The window of a day, or nil when calls are not made on it.
    public func window(on day: Day) -> CallWindow? {
        switch day.weekday {
        case .saturday: saturday
        case .sunday: sunday
        default: weekdays
        }
    }
}
