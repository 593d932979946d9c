/// Everything decided for one night: the pure result of ``NightDecider``.
public struct NightDecision: Sendable {
    /// The night decided.
    public var asOf: Day
    /// The as-of date is a quiet day or a holiday: every message is held back.
    public var quietDay: Bool
    /// Every (title, step) decision, sorted by customer, title and step order.
    public var actions: [Action]
    /// Messages that go out tonight, sorted by customer id then channel.
    public var messages: [PlannedMessage]
    /// Messages held back tonight with their reason (quiet day, minimum amount, contact cap).
    public var heldMessages: [(message: PlannedMessage, reason: HoldReason)]
    /// Bank instructions, sorted by customer id then title id.
    public var remittances: [PlannedRemittance]
    /// Tonight's records of the credit bureau's file.
    public var bureauRecords: [PlannedBureauRecord] = []
    /// Titles handed to agencies or lawyers tonight.
    public var handoffs: [PlannedHandoff] = []
    /// Profile of each customer that has at least one title.
    public var profileCounts: [String: Int]
    /// Aging and totals of the portfolio on the as-of date.
    public var portfolio: Portfolio

    /// Creates a night's decision.
    public init(
        asOf: Day, quietDay: Bool, actions: [Action], messages: [PlannedMessage],
        heldMessages: [(message: PlannedMessage, reason: HoldReason)], remittances: [PlannedRemittance],
        profileCounts: [String: Int], portfolio: Portfolio
    ) {
        self.asOf = asOf
        self.quietDay = quietDay
        self.actions = actions
        self.messages = messages
        self.heldMessages = heldMessages
        self.remittances = remittances
        self.profileCounts = profileCounts
        self.portfolio = portfolio
    }
}

/// Receivables on the as-of date, by aging bucket.
public struct Portfolio: Sendable, Hashable {
    /// Aging buckets in days overdue, as the finance team reads them.
    public static let buckets: [(label: String, range: ClosedRange<Int>)] = [
        ("not_due", Int.min / 2...0), ("1-15", 1...15), ("16-30", 16...30), ("31-60", 31...60),
        ("61-90", 61...90), ("91-180", 91...180), ("180+", 181...Int.max / 2),
    ]

    /// Titles with something outstanding and not paid or cancelled.
    public var receivableCount = 0
    /// Their total outstanding.
    public var receivable = Money.zero
    /// Of those, days overdue > 0.
    public var overdueCount = 0
    /// Their total outstanding.
    public var overdue = Money.zero
    /// Titles that had or have a step on the ladder (in dunning).
    public var inDunningCount = 0
    /// Their total outstanding.
    public var inDunning = Money.zero
    /// Per bucket label: count and outstanding, in `buckets` order.
    public var agingCounts: [Int] = Array(repeating: 0, count: Portfolio.buckets.count)
    /// Per bucket, in `buckets` order: the total outstanding.
    public var agingAmounts: [Money] = Array(repeating: .zero, count: Portfolio.buckets.count)

    /// Creates an empty portfolio.
    public init() {}

    mutating func add(daysOverdue: Int, outstanding: Money, inDunning dunning: Bool) {
        receivableCount += 1
        receivable += outstanding
        if daysOverdue > 0 {
            overdueCount += 1
            overdue += outstanding
        }
        if dunning {
            inDunningCount += 1
            inDunning += outstanding
        }
        let i = Portfolio.buckets.firstIndex { $0.range.contains(daysOverdue) }!
        agingCounts[i] += 1
        agingAmounts[i] += outstanding
    }

    mutating func merge(_ o: Portfolio) {
        receivableCount += o.receivableCount
        receivable += o.receivable
        overdueCount += o.overdueCount
        overdue += o.overdue
        inDunningCount += o.inDunningCount
        inDunning += o.inDunning
        for i in agingCounts.indices {
            agingCounts[i] += o.agingCounts[i]
            agingAmounts[i] += o.agingAmounts[i]
        }
    }
}
