import Dispatch

/// Decides a night: a pure function of (rule book, customers, titles, ledger history, as-of date).
///
/// SPEC §3 is implemented here and only here; every side effect (reading, rendering, writing,
/// recording) happens around it in `Night/`.
public struct NightDecider: Sendable {
    /// The rule book the night is decided under.
    public let book: RuleBook
    /// Business days and holidays of the rule book.
    public let calendar: BusinessCalendar
    /// The night decided.
    public let asOf: Day

    /// A decider for one night of a rule book.
    public init(book: RuleBook, asOf: Day) {
        self.book = book
        self.calendar = BusinessCalendar(book.calendar)
        self.asOf = asOf
    }

    /// Whether no message goes out tonight (quiet day or holiday).
    public var isQuietDay: Bool {
        book.policy.quietDays.contains(asOf.weekday) || calendar.isHoliday(asOf)
    }

    /// Decides the night for every customer. Work splits by customer over the machine's cores;
    /// the result is sorted, so it does not depend on the split.
    public func decide(customers: [Customer], titles: [Title], history: LedgerHistory) -> NightDecision {
        // Customers in id order; an export already in that order (the usual case) is not sorted again.
        let order: [Int] = {
            for k in customers.indices.dropFirst() where customers[k].id < customers[k - 1].id {
                return customers.indices.sorted { customers[$0].id < customers[$1].id }
            }
            return Array(customers.indices)
        }()
        // Titles grouped by customer without an array per customer: each customer is the group
        // of the first customer (in id order) with its id, so that a repeated id shares its
        // first sighting's titles, as a dictionary lookup would; then one counting-sort pass
        // lays the title indices out group by group, each group in file order. The ids are
        // matched by hash groups on both cores (``KeyGroups/firstMatches``), not through a
        // dictionary that hashed a million ids with SipHash.
        let (groupOfCustomer, groupOfTitle) = KeyGroups.firstMatches(
            count: order.count, key: { customers[order[$0]].id.raw },
            probes: titles.count, probe: { titles[$0].customerID.raw })
        let groups = Int32(order.count)
        var start = [Int](repeating: 0, count: Int(groups) + 1)  // counts first, then offsets
        for g in groupOfTitle where g >= 0 { start[Int(g) + 1] += 1 }
        for g in 0..<Int(groups) { start[g + 1] += start[g] }
        var titleIndices = [Int](repeating: 0, count: start[Int(groups)])
        var next = start
        for i in titles.indices where groupOfTitle[i] >= 0 {
            let g = Int(groupOfTitle[i])
            titleIndices[next[g]] = i
            next[g] += 1
        }

        let chunks = max(1, min(8, order.count / 2048))
        var partials = [CustomerOutcome](repeating: CustomerOutcome(), count: chunks)
        partials.withUnsafeMutableBufferPointer { buf in
            let out = buf
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var acc = CustomerOutcome()
                let lo = order.count * chunk / chunks
                let hi = order.count * (chunk + 1) / chunks
                for k in lo..<hi {
                    let g = Int(groupOfCustomer[k])
                    guard start[g] < start[g + 1] else { continue }
                    // The indices sorted by title id (moving ints, not titles), then each
                    // title copied once, straight into its DunnedTitle.
                    var idx = Array(titleIndices[start[g]..<start[g + 1]])
                    if idx.count > 1 { idx.sort { titles[$0].id < titles[$1].id } }
                    let ds = idx.map { dunned(titles[$0]) }
                    decide(customer: customers[order[k]], dunned: ds, history: history, into: &acc, trace: nil)
                }
                out[chunk] = acc
            }
        }
        var all = CustomerOutcome()
        all.reserve(for: partials)
        for p in partials { all.append(p) }
        var decision = NightDecision(
            asOf: asOf, quietDay: isQuietDay, actions: all.actions, messages: all.messages,
            heldMessages: all.held, remittances: all.remittances,
            profileCounts: all.profileCounts, portfolio: all.portfolio)
        decision.bureauRecords = all.bureau
        decision.handoffs = all.handoffs
        return decision
    }

    /// Explains one customer's night, step by step.
    public func explain(customer: Customer, titles: [Title], history: LedgerHistory) -> CustomerExplanation {
        var acc = CustomerOutcome()
        var trace = CustomerExplanation(
            customerID: customer.id, profile: "", profileTrail: [], facts: CustomerFacts(),
            titles: [], messages: [])
        decide(
            customer: customer, titles: titles.sorted { $0.id < $1.id }, history: history, into: &acc,
            trace: &trace)
        return trace
    }

    // MARK: - One customer

    /// The computed state of a title tonight.
    func dunned(_ t: Title) -> DunnedTitle {
        let eff = calendar.effectiveDueDate(t.dueDate)
        let days = asOf.days(since: eff)
        let out = t.outstanding
        let p = book.policy
        let fee = days > 0 ? p.lateFeePercent.applied(to: out) : .zero
        let interest = days > 0 ? p.interestPercentMonth.applied(to: out, times: days, over: 30) : .zero
        return DunnedTitle(
            title: t, effectiveDueDate: eff, daysOverdue: days, outstanding: out, lateFee: fee,
            interest: interest, barcode: t.barcode, linhaDigitavel: t.linhaDigitavel)
    }

    /// Why a title is never dunned tonight, or nil when it is dunnable.
    func suppression(_ t: Title) -> String? {
        switch t.status {
        case .paid: return "paid"
        case .cancelled: return "cancelled"
        case .disputed: return "disputed"
        case .renegotiated: return "renegotiated"
        case .promised:
            if let p = t.promiseDate, asOf <= p { return "promised to pay by \(p.iso)" }
        case .open: break
        }
        if t.outstanding.cents <= 0 { return "nothing outstanding" }
        return nil
    }

    /// Facts of SPEC §3 for one customer.
    func facts(_ titles: [DunnedTitle]) -> CustomerFacts {
        var f = CustomerFacts()
        for d in titles {
            let t = d.title
            if t.status != .cancelled, let paid = t.paidDate, paid > d.effectiveDueDate {
                let age = asOf.days(since: paid)
                if age >= 0 && age < 365 { f.latePayments12m += 1 }
            }
            if suppression(t) == nil, d.daysOverdue > 0 {
                f.totalOverdue += d.outstanding
                f.oldestDaysOverdue = max(f.oldestDaysOverdue, d.daysOverdue)
            }
        }
        return f
    }

    /// Whether a step's window holds for a title `days` overdue.
    func inWindow(_ s: Step, days: Int) -> Bool {
        if s.offset < 0 && days >= 0 { return false }
        return days >= s.offset && days <= s.offset + book.policy.catchUpDays
    }

    /// Static so the closures that use it do not copy the whole decider (rule book and all).
    private static func later(_ a: Step, than b: Step) -> Bool {
        a.offset != b.offset ? a.offset > b.offset : a.index > b.index
    }

    /// SPEC §3 Channel: not refused, the contact present, and not marked unusable by feedback
    /// (for the value customers.csv gives tonight).
    private func usable(_ c: Channel, _ customer: Customer, _ h: LedgerHistory) -> Bool {
        !customer.optOut.contains(c) && customer.hasContact(for: c) && h.unusable(c, of: customer) == nil
    }

    private func messageID(customer: CustomerID, channel: Channel) -> String {
        let h = Hashing.sha256Hex("\(asOf.iso)\u{0}\(customer.raw)\u{0}\(channel.rawValue)")
        let c = asOf.components
        return "R" + pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "-" + String(h.prefix(16))
    }

    func decide(
        customer c: Customer, titles: [Title], history h: LedgerHistory, into acc: inout CustomerOutcome,
        trace: UnsafeMutablePointer<CustomerExplanation>?
    ) {
        // A closure, not `map(dunned)`: the method reference copied the whole decider (rule
        // book and all) for every customer.
        decide(customer: c, dunned: titles.map { dunned($0) }, history: h, into: &acc, trace: trace)
    }

    /// As ``decide(customer:titles:history:into:trace:)``, for titles already dunned (in title id order).
    func decide(
        customer c: Customer, dunned dunnedTitles: [DunnedTitle], history h: LedgerHistory,
        into acc: inout CustomerOutcome, trace: UnsafeMutablePointer<CustomerExplanation>?
    ) {
        // Credits are not titles: not for facts, aging or the ladder; only netted (SPEC §3).
        let hasCredits = dunnedTitles.contains { $0.title.kind == .credit }
        let creditRows = hasCredits ? dunnedTitles.filter { $0.title.kind == .credit } : []
        let dunnedTitles = hasCredits ? dunnedTitles.filter { $0.title.kind != .credit } : dunnedTitles
        let standing = CustomerStanding(
            customer: c, credits: creditRows, owed: dunnedTitles, isDunnable: { suppression($0) == nil })
        let f = facts(dunnedTitles)
        let profile = book.profile(for: c, facts: f)
        let arms = book.experiments.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: book.experiments.map { ($0.id, $0.arm(for: c.id)) })
        acc.profileCounts[profile.id, default: 0] += 1
        let policy = book.policy

        if let trace {
            trace.pointee.profile = profile.id
            trace.pointee.facts = f
            trace.pointee.customer = c
            trace.pointee.night = asOf
            for p in book.profiles {
                let failed = p.conditions.filter { !$0.holds(for: c, facts: f) }
                let ok = failed.isEmpty
                trace.pointee.profileTrail.append((p.id, ok))
                trace.pointee.profileChecks.append(
                    ProfileCheck(
                        profile: p.id, matched: ok,
                        failed: failed.map { ConditionCheck(condition: $0.ruleText, value: $0.value(for: c, facts: f)) }
                    ))
                if ok { break }
            }
        }

        let firstAction = acc.actions.count
        // Steps are named by their index in the rule book and read in place (`steps[k]`), not
        // copied: a Step holds strings and sets, and copies of steps were a sixth of deciding.
        let steps = book.steps
        // Per title: the step chosen tonight, and the verdicts for explain.
        var chosen: [(title: DunnedTitle, step: Int, backfill: Bool)] = []
        var explanations: [TitleID: Int] = [:]
        for d in dunnedTitles {
            let t = d.title
            let suppressed = suppression(t)
            let sent = h.sent.isEmpty ? [] : h.sent[t.id] ?? []
            var ex = trace.map { _ in
                TitleExplanation(
                    titleID: t.id, status: t.status, dueDate: t.dueDate, effectiveDueDate: d.effectiveDueDate,
                    daysOverdue: d.daysOverdue, outstanding: d.outstanding, updatedAmount: d.updatedAmount,
                    suppressed: suppressed, steps: [], promiseDate: t.promiseDate)
            }
            bankFollowUps(
                d, customer: c, profile: profile.id, suppressed: suppressed, history: h, standing: standing, into: &acc)
            bureauFollowUp(d, customer: c, profile: profile.id, suppressed: suppressed, history: h, into: &acc)
            if suppressed == nil {
                let maxSent = sent.max { $0.offset < $1.offset }
                let superseded = h.superseded.isEmpty ? [] : h.superseded[t.id] ?? []
                var due: [Int] = []
                for k in steps.indices {
                    let verdict: StepVerdict?
                    if !steps[k].applies(to: profile.id) {
                        verdict = .notForProfile
                    } else if let e = steps[k].experiment, arms[e.id] != e.arm {
                        verdict = .otherArm(experiment: e.id, arm: e.arm)
                    } else if case .bureauInclude = steps[k].action, h.bureauExcluded.contains(t.id) {
                        verdict = .higherAlreadySent(step: "bureau:exclude")  // never included again
                    } else if !sent.isEmpty, let prior = sent.first(where: { $0.stepID == steps[k].id }) {
                        verdict = .alreadySent(night: prior.night)
                    } else if !superseded.isEmpty, superseded.contains(steps[k].id) {
                        verdict = .supersededEarlier
                    } else if let m = maxSent, m.offset > steps[k].offset {
                        verdict = .higherAlreadySent(step: m.stepID)
                    } else if inWindow(steps[k], days: d.daysOverdue) {
                        due.append(k)
                        verdict = nil
                    } else if d.daysOverdue < steps[k].offset {
                        verdict = .notYet(opensOn: d.effectiveDueDate.adding(days: steps[k].offset))
                    } else {
                        let offset = steps[k].offset
                        let close =
                            offset < 0
                            ? min(
                                d.effectiveDueDate.adding(days: offset + policy.catchUpDays),
                                d.effectiveDueDate.adding(days: -1))
                            : d.effectiveDueDate.adding(days: offset + policy.catchUpDays)
                        verdict = .windowClosed(closedOn: close)
                    }
                    if let v = verdict, ex != nil { ex!.steps.append((steps[k].id, v)) }
                }
                // A title handed off, a hold or covering credits hold every step due, before
                // anything else; nothing is superseded (SPEC §3 Order of the reasons).
                if let reason = h.handedOff.contains(t.id) ? .handedOff : standing.holdsEverything {
                    for k in due {
                        acc.actions.append(
                            Action(
                                titleID: t.id, customerID: c.id, stepID: steps[k].id, offset: steps[k].offset,
                                kind: .held, channel: steps[k].channel, instruction: steps[k].instruction,
                                reason: reason, profile: profile.id))
                        ex?.steps.append((steps[k].id, .held(reason)))
                    }
                    due = []
                }
                // Requires: a step whose required step was not sent long enough before is held
                // (and due again inside its window); the title's step is chosen among the rest.
                if due.contains(where: { steps[$0].requires != nil }) {
                    var candidates: [Int] = []
                    for k in due {
                        if Requirements.met(steps[k], sent: sent, asOf: asOf) {
                            candidates.append(k)
                        } else {
                            acc.actions.append(
                                Action(
                                    titleID: t.id, customerID: c.id, stepID: steps[k].id, offset: steps[k].offset,
                                    kind: .held, channel: steps[k].channel, instruction: steps[k].instruction,
                                    reason: .requirementNotMet, profile: profile.id))
                            ex?.steps.append((steps[k].id, .held(.requirementNotMet)))
                        }
                    }
                    due = candidates
                }
                var backfill = false
                if due.isEmpty, policy.backfill, sent.isEmpty, standing.holdsEverything == nil,
                    !h.handedOff.contains(t.id)
                {
                    // The profile's steps, filtered here rather than once per customer: few
                    // titles ever reach the backfill.
                    let candidates = steps.indices.filter {
                        steps[$0].applies(to: profile.id) && steps[$0].channel != nil
                            && (steps[$0].experiment.map { arms[$0.id] == $0.arm } ?? true)
                            && steps[$0].offset <= d.daysOverdue && !superseded.contains(steps[$0].id)
                            && Requirements.met(steps[$0], sent: sent, asOf: asOf)
                    }
                    if let best = candidates.max(by: { Self.later(steps[$1], than: steps[$0]) }) {
                        due = [best]
                        backfill = true
                    }
                }
                if let top = due.max(by: { Self.later(steps[$1], than: steps[$0]) }) {
                    chosen.append((d, top, backfill))
                    for k in due where k != top {
                        acc.actions.append(
                            Action(
                                titleID: t.id, customerID: c.id, stepID: steps[k].id, offset: steps[k].offset,
                                kind: .superseded, profile: profile.id))
                        ex?.steps.append((steps[k].id, .superseded(by: steps[top].id)))
                    }
                }
            }
            if var e = ex {
                e.steps.sort { a, b in
                    (book.step(a.stepID)?.index ?? 0) < (book.step(b.stepID)?.index ?? 0)
                }
                explanations[t.id] = trace!.pointee.titles.count
                trace!.pointee.titles.append(e)
            }
        }

        func record(_ titleID: TitleID, _ stepID: String, _ v: StepVerdict) {
            guard let trace, let i = explanations[titleID] else { return }
            let pos = trace.pointee.titles[i].steps.firstIndex {
                (book.step($0.stepID)?.index ?? 0) > (book.step(stepID)?.index ?? 0)
            }
            trace.pointee.titles[i].steps.insert((stepID, v), at: pos ?? trace.pointee.titles[i].steps.count)
        }

        // Remittance steps go to the bank whatever the night; message steps pick a channel.
        var groups: [Channel: [(title: DunnedTitle, step: Int, backfill: Bool)]] = [:]
        for item in chosen {
            let d = item.title
            let k = item.step
            switch steps[k].action {
            case .remittance(let instruction):
                if d.title.nossoNumero == nil {
                    acc.actions.append(
                        Action(
                            titleID: d.title.id, customerID: c.id, stepID: steps[k].id, offset: steps[k].offset,
                            kind: .held, instruction: instruction, reason: .noBankData, profile: profile.id))
                    record(d.title.id, steps[k].id, .held(.noBankData))
                } else {
                    acc.actions.append(
                        Action(
                            titleID: d.title.id, customerID: c.id, stepID: steps[k].id, offset: steps[k].offset,
                            kind: .sent, instruction: instruction, profile: profile.id))
                    acc.remittances.append(
                        PlannedRemittance(title: d, customer: c, instruction: instruction, stepID: steps[k].id))
                    record(d.title.id, steps[k].id, .sent(channel: nil, messageID: nil))
                }
            case .bureauInclude:
                acc.actions.append(
                    Action(
                        titleID: d.title.id, customerID: c.id, stepID: steps[k].id, offset: steps[k].offset,
                        kind: .sent, profile: profile.id, bureau: .include))
                acc.bureau.append(
                    PlannedBureauRecord(
                        title: d, customer: c, action: .include, stepID: steps[k].id, includedOn: asOf, excludeBy: nil))
                record(d.title.id, steps[k].id, .sent(channel: nil, messageID: nil))
            case .handoff(let id):
                acc.actions.append(
                    Action(
                        titleID: d.title.id, customerID: c.id, stepID: steps[k].id, offset: steps[k].offset,
                        kind: .sent, profile: profile.id, handoff: id))
                let before = (h.sent[d.title.id] ?? []).sorted { ($0.night, $0.offset) < ($1.night, $1.offset) }
                acc.handoffs.append(
                    PlannedHandoff(title: d, customer: c, handoff: id, stepID: steps[k].id, history: before))
                record(d.title.id, steps[k].id, .sent(channel: nil, messageID: nil))
            case .message(let channel, _, let fallback):
                let pick: Channel? =
                    usable(channel, c, h) ? channel : fallback.flatMap { usable($0, c, h) ? $0 : nil }
                if let pick {
                    groups[pick, default: []].append(item)
                    if pick != channel, trace != nil, let mark = h.unusable(channel, of: c) {
                        record(d.title.id, steps[k].id, .fallback(from: channel, to: pick, mark.issue))
                    }
                } else {
                    let reason: HoldReason = c.optOut.contains(channel) ? .optOut : .noContact
                    acc.actions.append(
                        Action(
                            titleID: d.title.id, customerID: c.id, stepID: steps[k].id, offset: steps[k].offset,
                            kind: .held, channel: channel, reason: reason, profile: profile.id))
                    let mark = reason == .noContact ? h.unusable(channel, of: c) : nil
                    record(d.title.id, steps[k].id, mark.map { .heldUnusable($0.issue) } ?? .held(reason))
                }
            }
        }

        // One message per channel; the most advanced messages take the weekly cap first.
        var messages: [PlannedMessage] = []
        for (channel, items) in groups {
            let speaking = items.map(\.step).max { Self.later(steps[$1], than: steps[$0]) }!
            guard case .message(_, let template, _) = steps[speaking].action else { continue }
            let sorted = items.sorted { $0.title.title.id < $1.title.title.id }
            var message = PlannedMessage(
                    id: messageID(customer: c.id, channel: channel), customer: c,
                    profile: profile.id, channel: channel, step: steps[speaking], template: template,
                    titles: sorted.map(\.title), titleSteps: sorted.map { steps[$0.step].id },
                    credits: standing.credits)
            if let terms = steps[speaking].offer {
                message.offer = Offer.make(
                    terms, titles: message.titles, credits: standing.credits, asOf: asOf, calendar: calendar)
            }
            messages.append(message)
        }
        messages.sort { a, b in
            a.step.offset != b.step.offset
                ? a.step.offset > b.step.offset
                : a.step.index != b.step.index ? a.step.index > b.step.index : a.channel < b.channel
        }
        let weekStart = asOf.adding(days: -6)
        var contacts = (h.recentMessages.isEmpty ? [] : h.recentMessages[c.id] ?? []).filter {
            $0 >= weekStart && $0 < asOf
        }.count
        var outgoing: [PlannedMessage] = []
        for m in messages {
            var reason: HoldReason?
            if isQuietDay {
                reason = .quietDay
            } else if m.totalOutstanding - standing.credits < policy.minAmount {
                reason = .belowMinAmount
            } else if m.channel == .call, let hours = policy.callHours, hours.window(on: asOf) == nil {
                reason = .outsideCallHours
            } else if let cap = policy.maxContactsPerWeek, contacts >= cap {
                reason = .contactCap
            }
            if reason == nil { contacts += 1 }
            for d in m.titles {
                // Every title of a message was chosen above, with its step.
                let pick = chosen.first { $0.title.title.id == d.title.id }!
                let k = pick.step
                acc.actions.append(
                    Action(
                        titleID: d.title.id, customerID: c.id, stepID: steps[k].id, offset: steps[k].offset,
                        kind: reason == nil ? .sent : .held, channel: m.channel, reason: reason,
                        messageID: reason == nil ? m.id : nil, profile: profile.id))
                let isBackfill = pick.backfill
                record(
                    d.title.id, steps[k].id,
                    reason.map { .held($0) }
                        ?? (isBackfill
                            ? .backfill(channel: m.channel, messageID: m.id)
                            : .sent(channel: m.channel, messageID: m.id)))
            }
            if let reason {
                acc.held.append((m, reason))
            } else {
                outgoing.append(m)
            }
            trace?.pointee.messages.append((m.id, m.channel, m.step.id, m.titles.map(\.title.id), reason))
        }
        outgoing.sort { $0.channel < $1.channel }
        acc.messages.append(contentsOf: outgoing)
        // Every action records the customer's arm in each experiment (SPEC §3 Experiments).
        if !arms.isEmpty {
            let text = book.experiments.map { "\($0.id)=\(arms[$0.id]!.rawValue)" }.joined(separator: ";")
            for i in firstAction..<acc.actions.count { acc.actions[i].arms = text }
        }

        // The portfolio: every receivable title; "in dunning" once a step went out for it,
        // on an earlier night or tonight.
        var sentTonight = Set<TitleID>()
        for a in acc.actions[firstAction...] where a.kind == .sent { sentTonight.insert(a.titleID) }
        for d in dunnedTitles {
            acc.portfolioAdd(
                d,
                inDunning: (!sentTonight.isEmpty && sentTonight.contains(d.title.id))
                    || (!h.sent.isEmpty && !(h.sent[d.title.id]?.isEmpty ?? true)))
        }
    }

    /// Instructions that follow the data rather than a rule step (SPEC §3): a registered title
    /// whose due date changed gets `change_due`; a protested title paid, disputed, promised or
    /// cancelled gets `stop_protest`.
    private func bankFollowUps(
        _ d: DunnedTitle, customer c: Customer, profile: String, suppressed: String?,
        history h: LedgerHistory, standing: CustomerStanding, into acc: inout CustomerOutcome
    ) {
        guard book.bank != nil, d.title.nossoNumero != nil else { return }
        let t = d.title
        if !h.protested.isEmpty, h.protested.contains(t.id) {
            if suppressed != nil {
                acc.actions.append(
                    Action(
                        titleID: t.id, customerID: c.id, stepID: "bank:stop_protest", offset: 0,
                        kind: .sent, instruction: .stopProtest, profile: profile))
                acc.remittances.append(PlannedRemittance(title: d, customer: c, instruction: .stopProtest, stepID: nil))
            }
            return
        }
        if !h.registeredDue.isEmpty, let registered = h.registeredDue[t.id], registered != t.dueDate, suppressed == nil,
            !h.writtenOff.contains(t.id), standing.allows(.changeDue), !h.handedOff.contains(t.id)
        {
            acc.actions.append(
                Action(
                    titleID: t.id, customerID: c.id, stepID: "bank:change_due", offset: 0,
                    kind: .sent, instruction: .changeDue, profile: profile))
            acc.remittances.append(PlannedRemittance(title: d, customer: c, instruction: .changeDue, stepID: nil))
        }
    }
}

extension NightDecider {
    /// The exclusion that follows the data (SPEC §3 Bureau steps): a title in the bureau's
    /// register leaves it on the first night it meets a stop_protest condition, or on the first
    /// night on or after five years past its due date; the exclusion carries its Súmula 548
    /// deadline and is late when written after it.
    func bureauFollowUp(
        _ d: DunnedTitle, customer c: Customer, profile: String, suppressed: String?, history h: LedgerHistory,
        into acc: inout CustomerOutcome
    ) {
        guard !h.bureauIncluded.isEmpty, let included = h.bureauIncluded[d.title.id],
            !h.bureauExcluded.contains(d.title.id)
        else { return }
        let expired = asOf >= BureauDates.fiveYearLimit(d.title.dueDate)
        guard suppressed != nil || expired else { return }
        let base = suppressed != nil ? (d.title.paidDate ?? asOf) : asOf
        let deadline = BureauDates.fiveBusinessDays(after: base, calendar: calendar)
        acc.actions.append(
            Action(
                titleID: d.title.id, customerID: c.id, stepID: "bureau:exclude", offset: 0, kind: .sent,
                profile: profile, bureau: .exclude))
        acc.bureau.append(
            PlannedBureauRecord(
                title: d, customer: c, action: .exclude, stepID: nil, includedOn: included, excludeBy: deadline,
                isLate: asOf > deadline))
    }
}

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
