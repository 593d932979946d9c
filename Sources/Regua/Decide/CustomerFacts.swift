import Foundation

/// Facts computed per customer from the receivables (SPEC §3), used by profile conditions.
public struct CustomerFacts: Sendable, Hashable {
    /// Titles paid after their effective due date, paid within the 365 days ending on the as-of date.
    public var latePayments12m: Int
    /// Outstanding summed over the dunnable titles with days overdue > 0.
    public var totalOverdue: Money
    /// The largest days overdue among them (0 if none).
    public var oldestDaysOverdue: Int

    /// Creates the facts; zero by default.
    public init(latePayments12m: Int = 0, totalOverdue: Money = .zero, oldestDaysOverdue: Int = 0) {
        self.latePayments12m = latePayments12m
        self.totalOverdue = totalOverdue
        self.oldestDaysOverdue = oldestDaysOverdue
    }

    /// The value of a numeric field in hundredths (money in cents, counts × 100), or nil when
    /// the customer has no such value (no score).
    func hundredths(_ field: NumberField, customer: Customer) -> Int64? {
        switch field {
        case .score: customer.score.map { Int64($0) * 100 }
        case .latePayments12m: Int64(latePayments12m) * 100
        case .totalOverdue: totalOverdue.cents
        case .oldestDaysOverdue: Int64(oldestDaysOverdue) * 100
        }
    }
}

extension Condition {
    /// Whether the condition holds for a customer with these facts.
    public func holds(for customer: Customer, facts: CustomerFacts) -> Bool {
        switch self {
        case .segment(let values):
            guard let s = customer.segment else { return false }
            return values.contains { Self.sameIgnoringCase($0, s) }
        case .tagsAny(let tags):
            return tags.contains { t in customer.tags.contains { Self.sameIgnoringCase($0, t) } }
        case .tagsAll(let tags):
            return tags.allSatisfy { t in customer.tags.contains { Self.sameIgnoringCase($0, t) } }
        case .number(let field, let op, let value):
            guard let v = facts.hundredths(field, customer: customer) else { return false }
            return op.holds(v, value)
        }
    }
}

extension Condition {
    /// Foundation's case-insensitive equality; for two ASCII texts (segments and tags nearly
    /// always are) the same answer byte by byte, without Foundation's per-call cost.
    static func sameIgnoringCase(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        if x.allSatisfy({ $0 < 0x80 }), y.allSatisfy({ $0 < 0x80 }) { return ASCIIBytes.equalIgnoringCase(x, y) }
        return a.caseInsensitiveCompare(b) == .orderedSame
    }
}

extension RuleBook {
    /// The first profile, in book order, whose conditions all hold.
    public func profile(for customer: Customer, facts: CustomerFacts) -> Profile {
        for p in profiles where p.conditions.allSatisfy({ $0.holds(for: customer, facts: facts) }) {
            return p
        }
        // The loader guarantees a catch-all last profile; a hand-built book may not have one.
        return profiles.last ?? Profile(id: "default")
    }
}
