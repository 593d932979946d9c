/// SPEC §3 for one title: the steps due, the reasons that hold them all, the requirements, the
/// backfill, and the one step per title per night.
extension NightDecider {
    /// The title's step tonight, or nil: the due steps, less those held (hand-off, hold, credit,
    /// requirement), or the backfill's step; the highest of them, the rest superseded.
    func stepTonight<R: DecisionRecorder>(
        for d: DunnedTitle, in n: CustomerNight, into acc: inout CustomerOutcome, recorder: inout R
    ) -> TitleStep? {
        let h = n.history
        let sent = h.sent.isEmpty ? [] : h.sent[d.title.id] ?? []
        var due = dueSteps(for: d, sent: sent, in: n, recorder: &recorder)
        due = holdEverything(due, of: d, in: n, into: &acc, recorder: &recorder)
        due = requirementsMet(due, of: d, sent: sent, in: n, into: &acc, recorder: &recorder)
        var backfill = false
        if due.isEmpty, let k = backfillStep(for: d, sent: sent, in: n) {
            due = [k]
            backfill = true
        }
        guard let top = oneStepPerTitle(due, of: d, in: n, into: &acc, recorder: &recorder) else { return nil }
        return TitleStep(title: d, step: top, backfill: backfill)
    }

    /// SPEC §3 "A step is due for a title": the profile (and experiment arm) passes the step, the
    /// title is inside its window, the step was never sent nor superseded for the title, and no
    /// higher step was sent (the ladder only moves up; a title excluded from the bureau is never
    /// included again). The book indices of the due steps, in book order; every other step's
    /// verdict goes to `recorder`.
    func dueSteps<R: DecisionRecorder>(
        for d: DunnedTitle, sent: [LedgerHistory.SentStep], in n: CustomerNight, recorder: inout R
    ) -> [Int] {
        let steps = book.steps
        let h = n.history
        let t = d.title
        let maxSent = sent.max { $0.offset < $1.offset }
        let superseded = h.superseded.isEmpty ? [] : h.superseded[t.id] ?? []
        let applying = stepsApplying[n.profile]
        var due: [Int] = []
        // The steps are read field by field where they lie: `steps[k].applies(to:)` copied the
        // whole `Step` (a dozen retains and releases) per step and title, a fifth of the decision.
        for k in steps.indices {
            let verdict: StepVerdict
            let offset = steps[k].offset
            if !(applying?[k] ?? steps[k].applies(to: n.profile)) {
                verdict = .notForProfile
            } else if let e = steps[k].experiment, n.arms[e.id] != e.arm {
                verdict = .otherArm(experiment: e.id, arm: e.arm)
            } else if case .bureauInclude = steps[k].action, h.bureauExcluded.contains(t.id) {
                verdict = .higherAlreadySent(step: "bureau:exclude")  // never included again
            } else if !sent.isEmpty, let prior = sent.first(where: { $0.stepID == steps[k].id }) {
                verdict = .alreadySent(night: prior.night)
            } else if !superseded.isEmpty, superseded.contains(steps[k].id) {
                verdict = .supersededEarlier
            } else if let m = maxSent, m.offset > offset {
                verdict = .higherAlreadySent(step: m.stepID)
            } else if inWindow(offset: offset, days: d.daysOverdue) {
                due.append(k)
                continue
            } else if d.daysOverdue < offset {
                verdict = .notYet(opensOn: d.effectiveDueDate.adding(days: offset))
            } else {
                verdict = .windowClosed(closedOn: windowClose(of: steps[k], for: d))
            }
            if recorder.isRecording { recorder.verdict(verdict, step: steps[k], title: t.id) }
        }
        return due
    }

    /// The last day of a step's window for a title (for an offset below 0, the day before the due date at the latest).
    func windowClose(of s: Step, for d: DunnedTitle) -> Day {
        let close = d.effectiveDueDate.adding(days: s.offset + book.policy.catchUpDays)
        return s.offset < 0 ? min(close, d.effectiveDueDate.adding(days: -1)) : close
    }

    /// The reason that holds every step due for the title before any other (SPEC §3 Order of the
    /// reasons): `handed_off`, `customer_hold`, `covered_by_credit`; nil when none does.
    func reasonHoldingEverything(_ d: DunnedTitle, in n: CustomerNight) -> HoldReason? {
        n.history.handedOff.contains(d.title.id) ? .handedOff : n.standing.holdsEverything
    }

    /// SPEC §3 Holds, Credits, Hand-off steps: when a reason holds everything, every due step is
    /// recorded held with it and none is left (nothing is superseded); else `due` unchanged.
    func holdEverything<R: DecisionRecorder>(
        _ due: [Int], of d: DunnedTitle, in n: CustomerNight, into acc: inout CustomerOutcome, recorder: inout R
    ) -> [Int] {
        guard let reason = reasonHoldingEverything(d, in: n) else { return due }
        for k in due {
            let s = book.steps[k]
            acc.actions.append(
                n.action(d.title.id, s, .held, channel: s.channel, instruction: s.instruction, reason: reason))
            recorder.verdict(.held(reason), step: s, title: d.title.id)
        }
        return []
    }

    /// SPEC §3 Requires: a step whose required step was not sent for the title at least its days
    /// before tonight is recorded held `requirement_not_met` (and due again inside its window);
    /// the candidates left, in book order.
    func requirementsMet<R: DecisionRecorder>(
        _ due: [Int], of d: DunnedTitle, sent: [LedgerHistory.SentStep], in n: CustomerNight,
        into acc: inout CustomerOutcome, recorder: inout R
    ) -> [Int] {
        let steps = book.steps
        guard due.contains(where: { steps[$0].requires != nil }) else { return due }
        var candidates: [Int] = []
        for k in due {
            if Requirements.met(steps[k], sent: sent, asOf: asOf) {
                candidates.append(k)
            } else {
                let s = steps[k]
                acc.actions.append(
                    n.action(
                        d.title.id, s, .held, channel: s.channel, instruction: s.instruction, reason: .requirementNotMet
                    ))
                recorder.verdict(.held(.requirementNotMet), step: s, title: d.title.id)
            }
        }
        return candidates
    }

    /// SPEC §3 Backfill: with `policy.backfill`, a title that never had any step, is not held and
    /// has no step due gets the message step of its profile (and arm) with the highest offset not
    /// above its days overdue, its requirement met and not superseded; nil otherwise.
    func backfillStep(for d: DunnedTitle, sent: [LedgerHistory.SentStep], in n: CustomerNight) -> Int? {
        guard book.policy.backfill, sent.isEmpty, n.standing.holdsEverything == nil,
            !n.history.handedOff.contains(d.title.id)
        else { return nil }
        let steps = book.steps
        let superseded = n.history.superseded.isEmpty ? [] : n.history.superseded[d.title.id] ?? []
        // The profile's steps, filtered here rather than once per customer: few titles ever
        // reach the backfill.
        let candidates = steps.indices.filter {
            steps[$0].applies(to: n.profile) && steps[$0].channel != nil
                && (steps[$0].experiment.map { n.arms[$0.id] == $0.arm } ?? true)
                && steps[$0].offset <= d.daysOverdue && !superseded.contains(steps[$0].id)
                && Requirements.met(steps[$0], sent: sent, asOf: asOf)
        }
        return candidates.max(by: { Self.later(steps[$1], than: steps[$0]) })
    }

    /// SPEC §3 One step per title per night: of the steps due, the one with the highest offset
    /// (ties: the later in the book) is the title's step, the others are recorded `superseded`.
    func oneStepPerTitle<R: DecisionRecorder>(
        _ due: [Int], of d: DunnedTitle, in n: CustomerNight, into acc: inout CustomerOutcome, recorder: inout R
    ) -> Int? {
        let steps = book.steps
        guard let top = due.max(by: { Self.later(steps[$1], than: steps[$0]) }) else { return nil }
        for k in due where k != top {
            acc.actions.append(n.action(d.title.id, steps[k], .superseded))
            recorder.verdict(.superseded(by: steps[top].id), step: steps[k], title: d.title.id)
        }
        return top
    }
}
