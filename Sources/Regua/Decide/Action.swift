/// Why a due step did not go out tonight.
public enum HoldReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// The as-of date is a quiet day or a holiday: no message goes out.
    case quietDay = "quiet_day"
    /// The message's titles owe less than `min_amount` in total.
    case belowMinAmount = "below_min_amount"
    /// The customer would pass `max_contacts_per_week`.
    case contactCap = "contact_cap"
    /// The customer refused the step's channel (and its fallback, if any, was not usable).
    case optOut = "opt_out"
    /// The customer lacks the contact for the channel and its fallback.
    case noContact = "no_contact"
    /// A remittance step for a title without a nosso número (the bank cannot identify it).
    case noBankData = "no_bank_data"
    /// The customer has a `hold` (litigation, judicial recovery, …): nothing goes out.
    case customerHold = "customer_hold"
    /// The customer's open credits cover everything it owes.
    case coveredByCredit = "covered_by_credit"
    /// The step's `requires` was not met: the required step was not sent long enough before.
    case requirementNotMet = "requirement_not_met"
    /// The title was handed to an agency or lawyer on an earlier night.
    case handedOff = "handed_off"
    /// A call on a day `policy.call_hours` gives no hours.
    case outsideCallHours = "outside_call_hours"
}

/// What was decided for one (title, step) pair: the unit the ledger records.
public enum ActionKind: String, Sendable, Hashable, Codable {
    /// The step went out (in a message, or as a remittance instruction).
    case sent
    /// Another step due the same night with a higher offset was chosen for the title.
    case superseded
    /// Due but held back; due again on a later night while inside its window.
    case held
}

extension Action {
    /// The action with its recorded arms.
    func withArms(_ arms: String?) -> Action {
        var a = self
        a.arms = arms
        return a
    }

    /// The customer's arm in an experiment, from ``arms``.
    public func arm(in experiment: String) -> Experiment.Arm? {
        guard let arms else { return nil }
        for part in arms.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0] == experiment { return Experiment.Arm(rawValue: String(kv[1])) }
        }
        return nil
    }
}

/// One decided (title, step) pair.
public struct Action: Sendable, Hashable {
    /// The title the step is for.
    public var titleID: TitleID
    /// The title's customer.
    public var customerID: CustomerID
    /// The step id; for instructions that follow the data (`change_due`, `stop_protest`) the
    /// instruction's name prefixed with `bank:`.
    public var stepID: String
    /// The step's offset in days from the effective due date.
    public var offset: Int
    /// Sent, superseded or held.
    public var kind: ActionKind
    /// The channel the message went (or would go) out on; nil for bank instructions.
    public var channel: Channel?
    /// The bank instruction, for a remittance step.
    public var instruction: RemittanceInstruction?
    /// Why the step was held back, when held.
    public var reason: HoldReason?
    /// The message the step went out in, when sent as a message.
    public var messageID: String?
    /// The customer's profile tonight.
    public var profile: String
    /// The customer's arm in each experiment of the book, `id=arm` joined by `;` in book order
    /// (nil when the book has none), so that results can be compared per arm.
    public var arms: String?
    /// A record of the credit bureau's file (include, or the exclusion that follows the data).
    public var bureau: BureauAction?
    /// The `handoffs` id the title was handed to.
    public var handoff: String?

    /// Creates an action.
    public init(
        titleID: TitleID, customerID: CustomerID, stepID: String, offset: Int, kind: ActionKind,
        channel: Channel? = nil, instruction: RemittanceInstruction? = nil, reason: HoldReason? = nil,
        messageID: String? = nil, profile: String, bureau: BureauAction? = nil, handoff: String? = nil
    ) {
        self.bureau = bureau
        self.handoff = handoff
        self.titleID = titleID
        self.customerID = customerID
        self.stepID = stepID
        self.offset = offset
        self.kind = kind
        self.channel = channel
        self.instruction = instruction
        self.reason = reason
        self.messageID = messageID
        self.profile = profile
    }

    /// Whether this counts on the title's ladder (a message sent or an instruction issued).
    public var isOnLadder: Bool { kind == .sent && !stepID.hasPrefix("bank:") }
}

/// One bank instruction of the night.
public struct PlannedRemittance: Sendable {
    /// The title the instruction is about.
    public var title: DunnedTitle
    /// The title's customer.
    public var customer: Customer
    /// What the bank is asked to do.
    public var instruction: RemittanceInstruction
    /// The rule step that asked for it, or nil when it follows the data.
    public var stepID: String?

    /// Creates a planned bank instruction.
    public init(title: DunnedTitle, customer: Customer, instruction: RemittanceInstruction, stepID: String?) {
        self.title = title
        self.customer = customer
        self.instruction = instruction
        self.stepID = stepID
    }
}
