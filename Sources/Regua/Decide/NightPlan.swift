/// A title as it stands on the as-of date, with the amounts a message shows.
public struct DunnedTitle: Sendable {
    /// The title as read from the receivables.
    public var title: Title
    /// The due date moved to the next business day when it fell on a weekend or holiday.
    public var effectiveDueDate: Day
    /// as-of − effective due date (negative before it).
    public var daysOverdue: Int
    /// What the title still owes, before fees.
    public var outstanding: Money
    /// Multa, once after due.
    public var lateFee: Money
    /// Juros de mora, pro rata die.
    public var interest: Money
    /// outstanding + late fee + interest.
    public var updatedAmount: Money { outstanding + lateFee + interest }
    /// Payment data, filled by the bank stage when available.
    public var barcode: String?
    /// Linha digitável of the boleto, filled by the bank stage when available.
    public var linhaDigitavel: String?

    /// Creates a title as it stands on a night.
    public init(
        title: Title, effectiveDueDate: Day, daysOverdue: Int, outstanding: Money, lateFee: Money,
        interest: Money, barcode: String? = nil, linhaDigitavel: String? = nil
    ) {
        self.title = title
        self.effectiveDueDate = effectiveDueDate
        self.daysOverdue = daysOverdue
        self.outstanding = outstanding
        self.lateFee = lateFee
        self.interest = interest
        self.barcode = barcode
        self.linhaDigitavel = linhaDigitavel
    }
}

/// One message of the night: one customer, one channel, the most advanced step speaking for
/// every title of the group.
public struct PlannedMessage: Sendable {
    /// Deterministic id, safe as a file name: `R20261123-<16 hex>`.
    public var id: String
    /// The customer the message goes to.
    public var customer: Customer
    /// The customer's profile tonight.
    public var profile: String
    /// The channel the message goes out on (after any fallback).
    public var channel: Channel
    /// The step whose template speaks (highest offset of the group).
    public var step: Step
    /// The template name (the speaking step's); on a fallback channel the same template name.
    public var template: String
    /// Titles in id order, each with the step it records.
    public var titles: [DunnedTitle]
    /// For each title, in the same order, the step it records.
    public var titleSteps: [String]
    /// PIX copia-e-cola for the total updated amount, filled by the bank stage.
    public var pixCode: String?
    /// The PIX transaction id (the message id).
    public var pixTxid: String?
    /// The customer's open credits, shown whole on each of its messages (SPEC §3 Credits).
    public var credits: Money = .zero
    /// The settlement offer of the speaking step, computed for the message's titles.
    public var offer: Offer?

    /// Creates a planned message.
    public init(
        id: String, customer: Customer, profile: String, channel: Channel, step: Step, template: String,
        titles: [DunnedTitle], titleSteps: [String], pixCode: String? = nil, pixTxid: String? = nil,
        credits: Money = .zero
    ) {
        self.credits = credits
        self.id = id
        self.customer = customer
        self.profile = profile
        self.channel = channel
        self.step = step
        self.template = template
        self.titles = titles
        self.titleSteps = titleSteps
        self.pixCode = pixCode
        self.pixTxid = pixTxid
    }

    /// Sum of the titles' outstanding amounts.
    public var totalOutstanding: Money { titles.reduce(.zero) { $0 + $1.outstanding } }
    /// What the message asks to pay: its updated total less the customer's credits, never
    /// below zero (`totals.net_amount`).
    public var netAmount: Money {
        let n = totalUpdated - credits
        return n.cents > 0 ? n : .zero
    }
    /// Sum of the titles' updated amounts.
    public var totalUpdated: Money { titles.reduce(.zero) { $0 + $1.updatedAmount } }
    /// The amount of the message's PIX BR Code (SPEC §3 "Payment data").
    public var pixAmount: Money { offer?.cashAmount ?? netAmount }
}
