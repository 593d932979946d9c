/// Fees received: what customers paid beyond their titles' amounts (a late boleto paid with its
/// multa and juros). SPEC §1: such a payment is the normal case, not an error.
extension Stats {
    /// Titles paid beyond their amount and the sum of the excess.
    public struct FeesReceived: Sendable, Equatable, Encodable {
        /// Titles whose paid_amount is above their amount.
        public var titles: Int
        /// The sum of paid_amount − amount over them (`"1234.56"`).
        public var amount: String
    }

    /// Fees received on the titles of the receivables whose `paid_date` is in `[from, to]`
    /// (either bound open; titles without a paid_date count only when both are open).
    public static func feesReceived(_ titles: [Title], from: Day?, to: Day?) -> FeesReceived {
        var count = 0
        var sum = Money.zero
        for t in titles where t.kind == .invoice && t.paidAmount > t.amount {
            if from != nil || to != nil {
                guard let paid = t.paidDate else { continue }
                if let from, paid < from { continue }
                if let to, paid > to { continue }
            }
            count += 1
            sum += t.paidAmount - t.amount
        }
        return FeesReceived(titles: count, amount: sum.plain)
    }
}
