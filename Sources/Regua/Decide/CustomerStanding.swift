/// What stops or shrinks a customer's collection before any step is chosen (SPEC §3 Holds,
/// Credits): a hold on the customer, and open credits netted from what the messages ask.
struct CustomerStanding: Sendable, Equatable {
    /// The customer's open credits: Σ max(0, amount − paid_amount) of the `kind: credit` rows
    /// neither paid nor cancelled.
    var credits: Money
    /// The outstanding of every dunnable title of the customer, due tonight or not.
    var dunnableOutstanding: Money
    /// The reason every step due tonight is held, before any other, or nil.
    var holdsEverything: HoldReason?

    /// The standing of a customer from its rows; `isDunnable` says which owed titles can be dunned.
    init(customer: Customer, credits creditRows: [DunnedTitle], owed: [DunnedTitle], isDunnable: (Title) -> Bool) {
        var credits = Money.zero
        for d in creditRows where d.title.status != .paid && d.title.status != .cancelled {
            credits += d.title.outstanding
        }
        var owedSum = Money.zero
        for d in owed where isDunnable(d.title) { owedSum += d.outstanding }
        self.credits = credits
        self.dunnableOutstanding = owedSum
        if customer.hold != nil {
            holdsEverything = .customerHold
        } else if credits.cents > 0, credits >= owedSum {
            holdsEverything = .coveredByCredit
        } else {
            holdsEverything = nil
        }
    }

    /// Whether a bank follow-up may go out: on hold, only those that end a claim.
    func allows(_ instruction: RemittanceInstruction) -> Bool {
        holdsEverything != .customerHold || instruction == .stopProtest
    }
}

/// SPEC §3 Requires: a step waits until another was sent for the title some days before.
enum Requirements {
    /// Whether `step`'s requirement (if any) is met for a title with these sent steps tonight.
    static func met(_ step: Step, sent: [LedgerHistory.SentStep], asOf: Day) -> Bool {
        guard let r = step.requires else { return true }
        return sent.contains { $0.stepID == r.step && asOf.days(since: $0.night) >= r.days }
    }
}
