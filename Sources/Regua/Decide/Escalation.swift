/// A record of the credit bureau's file (SPEC §3 Bureau steps, §4 `bureau/<name>.csv`).
public enum BureauAction: String, Sendable, Hashable, CaseIterable {
    /// Negativação: the title goes into the bureau's register.
    case include
    /// The title leaves it (paid, settled, or five years past due).
    case exclude
}

/// One record of tonight's bureau file.
public struct PlannedBureauRecord: Sendable {
    /// The title the record is about.
    public var title: DunnedTitle
    /// The title's customer (document, name and address go into the file).
    public var customer: Customer
    /// Include or exclude.
    public var action: BureauAction
    /// The rule step of an include; nil for an exclusion (it follows the data).
    public var stepID: String?
    /// The night the title was included.
    public var includedOn: Day
    /// For an exclusion: the day it must reach the bureau by (STJ Súmula 548: five business
    /// days after the payment, or after the night when there is none).
    public var excludeBy: Day?
    /// An exclusion written on a night after its deadline.
    public var isLate: Bool

    /// Creates a bureau record.
    public init(
        title: DunnedTitle, customer: Customer, action: BureauAction, stepID: String?, includedOn: Day,
        excludeBy: Day?, isLate: Bool = false
    ) {
        self.title = title
        self.customer = customer
        self.action = action
        self.stepID = stepID
        self.includedOn = includedOn
        self.excludeBy = excludeBy
        self.isLate = isLate
    }
}

/// A title handed to an agency or a lawyer tonight, with its dossier.
public struct PlannedHandoff: Sendable {
    /// The title handed off.
    public var title: DunnedTitle
    /// The title's customer.
    public var customer: Customer
    /// The `handoffs` id it goes to.
    public var handoff: String
    /// The step that handed it off.
    public var stepID: String
    /// Every step sent for the title before tonight (night, step, channel), oldest first.
    public var history: [LedgerHistory.SentStep]

    /// Creates a planned hand-off.
    public init(
        title: DunnedTitle, customer: Customer, handoff: String, stepID: String, history: [LedgerHistory.SentStep]
    ) {
        self.title = title
        self.customer = customer
        self.handoff = handoff
        self.stepID = stepID
        self.history = history
    }
}

/// The dates of SPEC §3 Bureau steps.
enum BureauDates {
    /// Due date + 5 calendar years (CDC art. 43 §1); 29 February is read as 1 March.
    static func fiveYearLimit(_ due: Day) -> Day {
        let c = due.components
        if c.month == 2, c.day == 29, Day(year: c.year + 5, month: 2, day: 29) == nil {
            return Day(year: c.year + 5, month: 3, day: 1)!
        }
        return Day(year: c.year + 5, month: c.month, day: c.day)!
    }

    /// The fifth business day after `day` (STJ Súmula 548's deadline for an exclusion).
    static func fiveBusinessDays(after day: Day, calendar: BusinessCalendar) -> Day {
        var d = day
        var n = 0
        while n < 5 {
            d = d.adding(days: 1)
            if calendar.isBusinessDay(d) { n += 1 }
        }
        return d
    }
}
