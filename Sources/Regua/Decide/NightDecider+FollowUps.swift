/// The follow-ups that come from the data, not from a rule step: the bank's `change_due` and
/// `stop_protest`, and the bureau's `exclude` (SPEC §3 Remittance steps, Bureau steps).
extension NightDecider {
    /// Instructions that follow the data rather than a rule step (SPEC §3): a registered title
    /// whose due date changed gets `change_due`; a protested title paid, disputed, promised or
    /// cancelled gets `stop_protest`.
    func bankFollowUps(
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
