/// What every part of one customer's decision reads: who, under which profile and experiment
/// arms, in what standing (holds, credits), with what past.
struct CustomerNight: Sendable {
    /// The customer decided.
    var customer: Customer
    /// The profile the customer matched tonight.
    var profile: String
    /// The customer's arm in each experiment of the book.
    var arms: [String: Experiment.Arm]
    /// Holds and credits (SPEC §3 Holds, Credits).
    var standing: CustomerStanding
    /// What the ledger remembers.
    var history: LedgerHistory

    /// An action of this customer on `title` for `step`.
    func action(
        _ title: TitleID, _ step: Step, _ kind: ActionKind, channel: Channel? = nil,
        instruction: RemittanceInstruction? = nil, reason: HoldReason? = nil, messageID: String? = nil,
        bureau: BureauAction? = nil, handoff: String? = nil
    ) -> Action {
        Action(
            titleID: title, customerID: customer.id, stepID: step.id, offset: step.offset, kind: kind,
            channel: channel, instruction: instruction, reason: reason, messageID: messageID, profile: profile,
            bureau: bureau, handoff: handoff)
    }
}

/// A title's step tonight: the book index of the step chosen for it, and whether the backfill chose it.
struct TitleStep: Sendable {
    /// The title.
    var title: DunnedTitle
    /// The index of its step in `book.steps`.
    var step: Int
    /// Whether `policy.backfill` chose it.
    var backfill: Bool
}

extension NightDecider {
    /// One customer's night (SPEC §3), in the order of the SPEC: the customer's standing, facts
    /// and profile; per title, the follow-ups of the data and the one step tonight; then where each
    /// step goes (bank, bureau, hand-off, a channel), the messages, and what holds them back.
    /// `dunned` holds the customer's rows (credits too) in title id order.
    func decide<R: DecisionRecorder>(
        customer c: Customer, dunned rows: [DunnedTitle], history h: LedgerHistory,
        into acc: inout CustomerOutcome, recorder: inout R
    ) {
        // Credits are not titles: not for facts, aging or the ladder; only netted (SPEC §3).
        let hasCredits = rows.contains { $0.title.kind == .credit }
        let credits = hasCredits ? rows.filter { $0.title.kind == .credit } : []
        let owed = hasCredits ? rows.filter { $0.title.kind != .credit } : rows
        let f = facts(owed)
        let profile = book.profile(for: c, facts: f)
        acc.profileCounts[profile.id, default: 0] += 1
        recorder.customer(c, profile: profile.id, facts: f, night: asOf, book: book)
        let n = CustomerNight(
            customer: c, profile: profile.id, arms: arms(of: c.id),
            standing: CustomerStanding(
                customer: c, credits: credits, owed: owed, isDunnable: { suppression($0) == nil }),
            history: h)

        let firstAction = acc.actions.count
        var chosen: [TitleStep] = []
        for d in owed {
            let suppressed = suppression(d.title)
            recorder.title(d, suppressed: suppressed)
            bankFollowUps(
                d, customer: c, profile: profile.id, suppressed: suppressed, history: h, standing: n.standing,
                into: &acc)
            bureauFollowUp(d, customer: c, profile: profile.id, suppressed: suppressed, history: h, into: &acc)
            if suppressed == nil, let step = stepTonight(for: d, in: n, into: &acc, recorder: &recorder) {
                chosen.append(step)
            }
        }
        let groups = route(chosen, in: n, into: &acc, recorder: &recorder)
        let messages = group(groups, in: n)
        holdOrSend(messages, chosen: groups, in: n, into: &acc, recorder: &recorder)
        stampArms(n.arms, on: &acc.actions, from: firstAction)
        addToPortfolio(owed, history: h, actionsFrom: firstAction, into: &acc)
    }

    /// SPEC §3 Experiments: the customer's arm in each experiment of the book.
    func arms(of customer: CustomerID) -> [String: Experiment.Arm] {
        book.experiments.isEmpty
            ? [:] : Dictionary(uniqueKeysWithValues: book.experiments.map { ($0.id, $0.arm(for: customer)) })
    }

    /// Every action records the customer's arm in each experiment (SPEC §3 Experiments).
    func stampArms(_ arms: [String: Experiment.Arm], on actions: inout [Action], from first: Int) {
        guard !arms.isEmpty, first < actions.count else { return }
        let text = book.experiments.map { "\($0.id)=\(arms[$0.id]!.rawValue)" }.joined(separator: ";")
        for i in first..<actions.count { actions[i].arms = text }
    }

    /// The portfolio: every receivable title; "in dunning" once a step went out for it, on an
    /// earlier night or tonight (the actions from `first` on are tonight's of this customer).
    func addToPortfolio(
        _ owed: [DunnedTitle], history h: LedgerHistory, actionsFrom first: Int, into acc: inout CustomerOutcome
    ) {
        var sentTonight = Set<TitleID>()
        for a in acc.actions[first...] where a.kind == .sent { sentTonight.insert(a.titleID) }
        for d in owed {
            acc.portfolioAdd(
                d,
                inDunning: (!sentTonight.isEmpty && sentTonight.contains(d.title.id))
                    || (!h.sent.isEmpty && !(h.sent[d.title.id]?.isEmpty ?? true)))
        }
    }
}
