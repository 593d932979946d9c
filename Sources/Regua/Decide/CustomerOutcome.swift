/// The decisions of a run of customers, merged in customer order.
struct CustomerOutcome: Sendable {
    var actions: [Action] = []
    var messages: [PlannedMessage] = []
    var held: [(message: PlannedMessage, reason: HoldReason)] = []
    var remittances: [PlannedRemittance] = []
    var bureau: [PlannedBureauRecord] = []
    var handoffs: [PlannedHandoff] = []
    var profileCounts: [String: Int] = [:]
    var portfolio = Portfolio()

    mutating func portfolioAdd(_ d: DunnedTitle, inDunning: Bool) {
        guard d.title.status != .paid, d.title.status != .cancelled, d.outstanding.cents > 0 else { return }
        portfolio.add(daysOverdue: d.daysOverdue, outstanding: d.outstanding, inDunning: inDunning)
    }

    /// Room for merging `parts`, so the merge copies each list once instead of regrowing it.
    mutating func reserve(for parts: [CustomerOutcome]) {
        actions.reserveCapacity(parts.reduce(0) { $0 + $1.actions.count })
        messages.reserveCapacity(parts.reduce(0) { $0 + $1.messages.count })
        held.reserveCapacity(parts.reduce(0) { $0 + $1.held.count })
        remittances.reserveCapacity(parts.reduce(0) { $0 + $1.remittances.count })
    }

    mutating func append(_ o: CustomerOutcome) {
        actions.append(contentsOf: o.actions)
        messages.append(contentsOf: o.messages)
        held.append(contentsOf: o.held)
        remittances.append(contentsOf: o.remittances)
        bureau.append(contentsOf: o.bureau)
        handoffs.append(contentsOf: o.handoffs)
        for (k, v) in o.profileCounts { profileCounts[k, default: 0] += v }
        portfolio.merge(o.portfolio)
    }
}
