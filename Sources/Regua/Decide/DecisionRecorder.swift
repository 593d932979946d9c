/// Hears what the parts of one customer's decision find, for `regua explain`.
///
/// The night decides with ``SilentRecorder`` (every call empty, compiled away); `explain` with
/// ``ExplanationRecorder``, which builds the ``CustomerExplanation``. A recorder only listens:
/// the decisions are the same whichever one is passed.
protocol DecisionRecorder {
    /// Whether anything is kept: false lets a part skip work that only the account needs.
    var isRecording: Bool { get }
    /// The customer's profile and facts, once, before any title.
    mutating func customer(_ c: Customer, profile: String, facts: CustomerFacts, night: Day, book: RuleBook)
    /// A title begins, with why it is not dunned tonight (nil when it is).
    mutating func title(_ d: DunnedTitle, suppressed: String?)
    /// A verdict on `step` for the title `title`.
    mutating func verdict(_ v: StepVerdict, step: Step, title: TitleID)
    /// A message of the customer, sent (`heldBy` nil) or held back.
    mutating func message(_ m: PlannedMessage, heldBy: HoldReason?)
}

/// The recorder of a night: keeps nothing.
struct SilentRecorder: DecisionRecorder {
    var isRecording: Bool { false }
    func customer(_ c: Customer, profile: String, facts: CustomerFacts, night: Day, book: RuleBook) {}
    func title(_ d: DunnedTitle, suppressed: String?) {}
    func verdict(_ v: StepVerdict, step: Step, title: TitleID) {}
    func message(_ m: PlannedMessage, heldBy: HoldReason?) {}
}

/// The recorder of `regua explain`: the customer's profile trail, each title's verdicts in book
/// order, and the messages.
struct ExplanationRecorder: DecisionRecorder {
    /// The account so far.
    var explanation: CustomerExplanation
    /// Where each title's explanation is in `explanation.titles`.
    private var place: [TitleID: Int] = [:]

    /// A recorder for one customer.
    init(customerID: CustomerID) {
        explanation = CustomerExplanation(
            customerID: customerID, profile: "", profileTrail: [], facts: CustomerFacts(), titles: [], messages: [])
    }

    var isRecording: Bool { true }

    mutating func customer(_ c: Customer, profile: String, facts f: CustomerFacts, night: Day, book: RuleBook) {
        explanation.profile = profile
        explanation.facts = f
        explanation.customer = c
        explanation.night = night
        for p in book.profiles {
            let failed = p.conditions.filter { !$0.holds(for: c, facts: f) }
            let ok = failed.isEmpty
            explanation.profileTrail.append((p.id, ok))
            explanation.profileChecks.append(
                ProfileCheck(
                    profile: p.id, matched: ok,
                    failed: failed.map { ConditionCheck(condition: $0.ruleText, value: $0.value(for: c, facts: f)) }))
            if ok { break }
        }
    }

    mutating func title(_ d: DunnedTitle, suppressed: String?) {
        let t = d.title
        place[t.id] = explanation.titles.count
        explanation.titles.append(
            TitleExplanation(
                titleID: t.id, status: t.status, dueDate: t.dueDate, effectiveDueDate: d.effectiveDueDate,
                daysOverdue: d.daysOverdue, outstanding: d.outstanding, updatedAmount: d.updatedAmount,
                suppressed: suppressed, steps: [], promiseDate: t.promiseDate))
    }

    /// Kept in book order; a second verdict on the same step goes after the first.
    mutating func verdict(_ v: StepVerdict, step: Step, title: TitleID) {
        guard let i = place[title] else { return }
        indexOf[step.id] = step.index
        let pos = explanation.titles[i].steps.firstIndex { stepIndex($0.stepID) > step.index }
        explanation.titles[i].steps.insert((step.id, v), at: pos ?? explanation.titles[i].steps.count)
    }

    mutating func message(_ m: PlannedMessage, heldBy: HoldReason?) {
        explanation.messages.append((m.id, m.channel, m.step.id, m.titles.map(\.title.id), heldBy))
    }

    /// The book index of a step already recorded.
    private func stepIndex(_ id: String) -> Int { indexOf[id] ?? 0 }
    /// Each recorded step's book index, by id.
    private var indexOf: [String: Int] = [:]
}
