/// What one report said about one contact.
public enum ContactEventKind: String, Sendable, Hashable, Codable {
    /// DSN `Action: failed` with a `5.x.x` status.
    case hard
    /// DSN `Action: failed` with a `4.x.x` status.
    case soft
    /// SMS delivery report 2 (failed) or 16 (rejected by the SMSC).
    case undelivered
    /// A letter returned by the post.
    case returned
    /// A WhatsApp status `failed`.
    case failed
}

/// One event of a contact, as the rules read it.
public struct ContactEvent: Sendable, Hashable {
    /// What the report said.
    public var kind: ContactEventKind
    /// The day it happened (the report's date).
    public var day: Day
    /// Creates an event.
    public init(kind: ContactEventKind, day: Day) {
        self.kind = kind
        self.day = day
    }
}

/// SPEC §7's rules: when the events of one contact make it unusable.
public enum ContactRules {
    /// Days of the window in which soft bounces and undelivered SMS add up.
    public static let windowDays = 30
    /// Soft bounces of one address within the window that count as one hard bounce.
    public static let softBouncesForHard = 3
    /// Undelivered SMS reports of one phone within the window that make it unusable.
    public static let undeliveredSMSForUnusable = 2

    /// The issue the events of a contact add up to, or nil while it is still usable.
    public static func verdict(kind: ContactKind, events: [ContactEvent]) -> ContactIssue? {
        switch kind {
        case .email:
            if events.contains(where: { $0.kind == .hard }) { return .bouncedEmail }
            return within(events.filter { $0.kind == .soft }.map(\.day), count: softBouncesForHard)
                ? .bouncedEmail : nil
        case .phone:
            return within(events.filter { $0.kind == .undelivered }.map(\.day), count: undeliveredSMSForUnusable)
                ? .undeliveredSMS : nil
        case .address:
            return events.contains { $0.kind == .returned } ? .returnedLetter : nil
        case .whatsapp:
            return events.contains { $0.kind == .failed } ? .undeliveredWhatsApp : nil
        }
    }

    /// The event, of `events` in the order they were read, with which the contact became
    /// unusable: the first whose prefix ``verdict(kind:events:)`` condemns; nil if none does.
    /// Later reports do not change it, so a night rebuilt later names the same day.
    public static func markingEvent(kind: ContactKind, events: [ContactEvent]) -> ContactEvent? {
        for i in events.indices where verdict(kind: kind, events: Array(events[...i])) != nil { return events[i] }
        return nil
    }

    /// Whether `count` of the days fall within one window of ``windowDays`` days (the first and
    /// the last less than 30 days apart).
    static func within(_ days: [Day], count: Int) -> Bool {
        guard days.count >= count else { return false }
        let sorted = days.sorted()
        for i in 0...(sorted.count - count) where sorted[i + count - 1].days(since: sorted[i]) < windowDays {
            return true
        }
        return false
    }
}
