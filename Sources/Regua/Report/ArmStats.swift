/// Champion versus challenger (SPEC §3 Experiments, §6 `regua stats`): per experiment and arm,
/// what the ladder sent and what came back, with the sample sizes shown so that nobody
/// declares a winner on ten customers.
public struct ArmStats: Codable, Sendable, Equatable {
    /// The experiment's id.
    public var experiment: String
    /// `champion` or `challenger`.
    public var arm: String
    /// Customers of the arm sent at least one message in the period (the sample size).
    public var customers: Int
    /// Titles sent a message in the period.
    public var titlesReached: Int
    /// Titles paid within 7 days of their first message.
    public var paidWithin7: Int
    /// Titles paid within 15 days of their first message.
    public var paidWithin15: Int
    /// Titles paid within 30 days of their first message.
    public var paidWithin30: Int
    /// `paidWithin7` as a share of `titlesReached` (0…1).
    public var share7: Double
    /// `paidWithin15` as a share of `titlesReached` (0…1).
    public var share15: Double
    /// `paidWithin30` as a share of `titlesReached` (0…1).
    public var share30: Double
    /// What the titles paid within 30 days brought in.
    public var recovered: String
    /// Messages sent to the arm.
    public var messages: Int
    /// recovered ÷ messages, to the cent.
    public var recoveredPerMessage: String

    /// The windows, in days after a title's first message.
    public static let windows = [7, 15, 30]

    /// Per experiment (book order) and arm (champion first): from the messages sent in
    /// `[from, to]` (their actions carry the customer's arms), and the payments known.
    public static func compute(
        actions: [LedgerAction], experiments: [String], titles: [Title], settlements: [TitleID: Settlement],
        from: Day?, to: Day?
    ) -> [ArmStats] {
        let sent = actions.filter { (la: LedgerAction) -> Bool in
            guard la.action.kind == .sent, la.action.messageID != nil else { return false }
            if let from, la.night < from { return false }
            if let to, la.night > to { return false }
            return true
        }
        guard !sent.isEmpty, !experiments.isEmpty else { return [] }
        let payments = EffectivenessStats.paymentsByTitle(
            titles: titles, settlements: settlements, only: Set(sent.map { $0.action.titleID }))
        var out: [ArmStats] = []
        for e in experiments {
            for arm in Experiment.Arm.allCases {
                let mine = sent.filter { $0.action.arm(in: e) == arm }
                var first: [TitleID: Day] = [:]
                var customers = Set<CustomerID>()
                var messages = Set<String>()
                for a in mine {
                    customers.insert(a.action.customerID)
                    messages.insert(a.action.messageID!)
                    if first[a.action.titleID].map({ a.night < $0 }) ?? true { first[a.action.titleID] = a.night }
                }
                let (within, recovered) = EffectivenessStats.paidWithin(windows, reached: first, payments: payments)
                let n = Double(max(first.count, 1))
                let perMessage =
                    messages.isEmpty
                    ? Money.zero
                    : Money(cents: (2 * recovered.cents + Int64(messages.count)) / (2 * Int64(messages.count)))
                out.append(
                    ArmStats(
                        experiment: e, arm: arm.rawValue, customers: customers.count, titlesReached: first.count,
                        paidWithin7: within[0], paidWithin15: within[1], paidWithin30: within[2],
                        share7: Double(within[0]) / n, share15: Double(within[1]) / n, share30: Double(within[2]) / n,
                        recovered: recovered.plain, messages: messages.count, recoveredPerMessage: perMessage.plain))
            }
        }
        return out
    }
}

/// Offers made in a period and how many were paid by their deadline (SPEC §3 Offers, issue's
/// `stats`): an offer counts as paid when every title of it was paid on or after the night it
/// was made and on or before its `valid_until`.
public struct OfferStats: Codable, Sendable, Equatable {
    /// Offers made.
    public var made: Int
    /// Offers whose titles were all paid by the deadline.
    public var paidByDeadline: Int
    /// Σ cash amount of the offers made.
    public var cashOffered: String
    /// Σ cash amount of the offers paid by their deadline.
    public var cashPaid: String

    /// From the offers recorded and the payments known.
    public static func compute(
        offers: [(night: Day, record: OfferRecord)], titles: [Title], settlements: [TitleID: Settlement]
    ) -> OfferStats {
        let payments = EffectivenessStats.paymentsByTitle(
            titles: titles, settlements: settlements, only: Set(offers.flatMap(\.record.titleIDs)))
        var paid = 0
        var offered = Money.zero
        var cashPaid = Money.zero
        for (night, r) in offers {
            offered += r.offer.cashAmount
            let all = r.titleIDs.allSatisfy { t in
                payments[t].map { $0.date >= night && $0.date <= r.offer.validUntil } ?? false
            }
            if all {
                paid += 1
                cashPaid += r.offer.cashAmount
            }
        }
        return OfferStats(
            made: offers.count, paidByDeadline: paid, cashOffered: offered.plain, cashPaid: cashPaid.plain)
    }
}
