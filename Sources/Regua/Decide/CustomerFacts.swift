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

extension Condition {
    /// The condition as the rule book writes it: `score >= 700`, `segment: B2B`,
    /// `tags_any: [key-account]`, `total_overdue > 1000.00`.
    public var ruleText: String {
        switch self {
        case .segment(let values): "segment: " + (values.count == 1 ? values[0] : "[\(values.joined(separator: ", "))]")
        case .tagsAny(let tags): "tags_any: [\(tags.joined(separator: ", "))]"
        case .tagsAll(let tags): "tags_all: [\(tags.joined(separator: ", "))]"
        case .number(let field, let op, let n): "\(field.rawValue) \(op.rawValue) \(Self.number(n, field))"
        }
    }

    /// What the customer has for this condition, in Portuguese: `640`, `sem score`, `B2C`,
    /// `sem etiquetas`, `R$ 1.234,56`.
    public func value(for customer: Customer, facts: CustomerFacts) -> String {
        switch self {
        case .segment: return customer.segment ?? "sem segmento"
        case .tagsAny, .tagsAll: return customer.tags.isEmpty ? "sem etiquetas" : customer.tags.joined(separator: ", ")
        case .number(let field, _, _):
            guard let v = facts.hundredths(field, customer: customer) else { return "sem \(field.rawValue)" }
            return field == .totalOverdue ? Money(cents: v).br : String(v / 100)
        }
    }

    /// A number of the rule book as written: whole for counts, two decimals for money.
    private static func number(_ hundredths: Int64, _ field: NumberField) -> String {
        if field != .totalOverdue, hundredths % 100 == 0 { return String(hundredths / 100) }
        return Money(cents: hundredths).plain
    }
}
