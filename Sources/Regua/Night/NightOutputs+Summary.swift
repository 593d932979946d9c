/// `summary.json` and `report.html` from the decision.
extension NightOutputs {
    func makeSummary() -> Summary {
        var summary = baseSummary()
        let d = decision
        summary.worklist = .init(
            rows: worklist.count, customers: Set(worklist.map(\.customerID)).count,
            byIssue: Worklist.counts(worklist).map { .init(issue: $0.issue.rawValue, rows: $0.rows) })
        if let b = book.bureau {
            summary.bureau = .init(
                name: b.name, includes: d.bureauRecords.filter { $0.action == .include }.count,
                excludes: d.bureauRecords.filter { $0.action == .exclude }.count,
                lateExclusions: d.bureauRecords.filter(\.isLate).count)
        }
        if !book.handoffs.isEmpty {
            summary.handoffs = book.handoffs.map { h in
                let mine = d.handoffs.filter { $0.handoff == h.id }
                return .init(
                    handoff: h.id, titles: mine.count,
                    outstanding: mine.reduce(Money.zero) { $0 + $1.title.outstanding }.plain)
            }
        }
        return summary
    }

    private func baseSummary() -> Summary {
        let d = decision
        var byChannel: [Channel: Int] = [:]
        var outstanding = Money.zero
        var updated = Money.zero
        var spoken: [String: Int] = [:]
        var profileMessages: [String: Int] = [:]
        var titleAmount: [TitleID: Money] = [:]
        // One pass over the messages, by index: a `for m in` copies each message (and retains
        // its fields), which showed on a 1M-title night's critical path.
        for i in d.messages.indices {
            byChannel[d.messages[i].channel, default: 0] += 1
            outstanding += d.messages[i].totalOutstanding
            updated += d.messages[i].totalUpdated
            spoken[d.messages[i].step.id, default: 0] += 1
            profileMessages[d.messages[i].profile, default: 0] += 1
            for t in d.messages[i].titles { titleAmount[t.title.id] = t.outstanding }
        }
        for r in d.remittances { titleAmount[r.title.title.id] = r.title.outstanding }
        var stepLines: [String: Summary.StepLine] = [:]
        // Summed as money and written once a step, not parsed and written again per title.
        var stepOutstanding: [String: Money] = [:]
        var heldTitles: [HoldReason: Int] = [:]
        for a in d.actions {
            let key = a.stepID
            var line =
                stepLines[key]
                ?? Summary.StepLine(
                    step: key, offset: a.offset,
                    kind: a.instruction.map { "remittance:\($0.rawValue)" } ?? book.step(key)?.channel?.rawValue ?? "",
                    titlesSent: 0, messagesSpoken: 0, byChannel: [:], superseded: 0, held: 0, outstanding: "0.00")
            switch a.kind {
            case .sent:
                line.titlesSent += 1
                if let c = a.channel { line.byChannel[c.rawValue, default: 0] += 1 }
                stepOutstanding[key, default: .zero] += titleAmount[a.titleID] ?? .zero
            case .superseded: line.superseded += 1
            case .held:
                line.held += 1
                if let r = a.reason { heldTitles[r, default: 0] += 1 }
            }
            stepLines[key] = line
        }
        for (k, v) in stepOutstanding { stepLines[k]?.outstanding = v.plain }
        for (k, v) in spoken { stepLines[k]?.messagesSpoken = v }
        let order = book.steps.map(\.id)
        let steps = stepLines.values.sorted { a, b in
            let ia = order.firstIndex(of: a.step) ?? Int.max
            let ib = order.firstIndex(of: b.step) ?? Int.max
            return ia != ib ? ia < ib : a.step < b.step
        }
        var heldMessages: [HoldReason: Int] = [:]
        for (_, r) in d.heldMessages { heldMessages[r, default: 0] += 1 }
        let held = HoldReason.allCases.compactMap { r -> Summary.HeldLine? in
            let t = heldTitles[r] ?? 0
            let m = heldMessages[r] ?? 0
            return t == 0 && m == 0 ? nil : Summary.HeldLine(reason: r.rawValue, titles: t, messages: m)
        }
        let profiles = book.profiles.map { p in
            Summary.ProfileLine(
                profile: p.id, customers: d.profileCounts[p.id] ?? 0, messages: profileMessages[p.id] ?? 0)
        }
        var instructions: [String: Int] = [:]
        for r in d.remittances { instructions[r.instruction.rawValue, default: 0] += 1 }
        var rejectsByFile: [String: Int] = [:]
        for r in inputs.rejects { rejectsByFile[r.file, default: 0] += 1 }
        let p = d.portfolio
        return Summary(
            asOf: asOf.iso, rulesHash: rulesHash, inputsHash: inputsHash, quietDay: d.quietDay,
            inputs: .init(
                customers: inputs.customers.count, titles: inputs.titles.count, rejectedRows: inputs.rejects.count),
            messages: .init(
                total: d.messages.count, email: byChannel[.email] ?? 0, sms: byChannel[.sms] ?? 0,
                letter: byChannel[.letter] ?? 0, call: byChannel[.call] ?? 0, whatsapp: byChannel[.whatsapp],
                letterPages: letterPages,
                smsSegments: smsSegments,
                outstanding: outstanding.plain, updatedAmount: updated.plain),
            steps: steps, profiles: profiles, heldBack: held,
            remittance: .init(
                files: remittanceFiles.map { .init(name: $0.fileName, nsa: $0.nsa, records: $0.records) },
                instructions: instructions, total: d.remittances.count),
            returns: .init(
                filesRead: returns.newFiles.map(\.name), filesAlreadyRead: returns.alreadyRead,
                settlements: returns.newSettlements.count, settledAmount: returns.settledAmount.plain,
                occurrences: returns.occurrences),
            rejects: rejectsByFile.keys.sorted().map { .init(file: $0, rows: rejectsByFile[$0]!) },
            portfolio: .init(
                receivableTitles: p.receivableCount, receivable: p.receivable.plain,
                overdueTitles: p.overdueCount, overdue: p.overdue.plain,
                inDunningTitles: p.inDunningCount, inDunning: p.inDunning.plain,
                feesReceivedTitles: feesReceived.titles, feesReceived: feesReceived.amount.plain),
            aging: Portfolio.buckets.indices.map { i in
                .init(
                    bucket: Portfolio.buckets[i].label, titles: p.agingCounts[i], outstanding: p.agingAmounts[i].plain)
            },
            overrides: acceptedGap == nil && forcedOverMaxMessages == nil
                ? nil
                : .init(
                    acceptedGap: acceptedGap?.description, lostNights: acceptedGap?.count,
                    lastNightBefore: acceptedGap?.lastNight.iso, forcedOverMaxMessages: forcedOverMaxMessages))
    }

    /// The night's report; `people` is ``ReportPeople/make(decision:inputs:book:inputFiles:worklist:)``
    /// of this night (made while the letters render).
    func reportHTML(_ summary: Summary, people: ReportPeople) -> String {
        ReportHTML.render(
            summary: summary,
            rejects: inputs.rejects,
            remittances: decision.remittances.map {
                RemittanceLine(
                    titleID: $0.title.title.id.raw, customerID: $0.customer.id.raw,
                    instruction: $0.instruction.rawValue, dueDate: $0.title.title.dueDate.br,
                    amount: $0.title.outstanding)
            },
            effectiveness: effectiveness, companyName: book.company.name,
            people: people)
    }
}
