/// SPEC §3 after each title has its step: where the step goes (the bank, the bureau, a hand-off,
/// or a channel), the grouping into messages with their offers, and what holds a message back.
extension NightDecider {
    /// The titles whose step goes out on one channel: they make one message (SPEC §3 Grouping).
    struct ChannelGroup: Sendable {
        /// The channel chosen.
        var channel: Channel
        /// The titles and their steps, in the order they were chosen (title id order).
        var items: [TitleStep]
    }

    /// Each title's step to where it goes: remittance records to the bank (held `no_bank_data`
    /// without a nosso número), bureau inclusions, hand-offs; message steps to the channel that
    /// ``channel(for:in:)`` picks, or held `opt_out` / `no_contact`. The message steps by channel.
    func route<R: DecisionRecorder>(
        _ chosen: [TitleStep], in n: CustomerNight, into acc: inout CustomerOutcome, recorder: inout R
    ) -> [ChannelGroup] {
        var groups: [ChannelGroup] = []
        for item in chosen {
            let s = book.steps[item.step]
            switch s.action {
            case .remittance(let instruction):
                toBank(item.title, s, instruction, in: n, into: &acc, recorder: &recorder)
            case .bureauInclude:
                toBureau(item.title, s, in: n, into: &acc, recorder: &recorder)
            case .handoff(let id):
                toHandoff(item.title, s, id, in: n, into: &acc, recorder: &recorder)
            case .message(let channel, _, _):
                let t = item.title.title
                if let pick = self.channel(for: s, in: n) {
                    if let g = groups.firstIndex(where: { $0.channel == pick }) {
                        groups[g].items.append(item)
                    } else {
                        groups.append(ChannelGroup(channel: pick, items: [item]))
                    }
                    if pick != channel, recorder.isRecording, let mark = n.history.unusable(channel, of: n.customer) {
                        recorder.verdict(.fallback(from: channel, to: pick, mark.issue), step: s, title: t.id)
                    }
                } else {
                    let reason: HoldReason = n.customer.optOut.contains(channel) ? .optOut : .noContact
                    acc.actions.append(n.action(t.id, s, .held, channel: channel, reason: reason))
                    let marks = reason == .noContact && recorder.isRecording ? unusableMarks(of: s, in: n) : [:]
                    recorder.verdict(marks.isEmpty ? .held(reason) : .heldUnusable(marks), step: s, title: t.id)
                }
            }
        }
        return groups
    }

    /// Of a message step's channel and fallback, those whose contact feedback marked unusable
    /// (for `explain`: a step held `no_contact` may owe it to either).
    func unusableMarks(of s: Step, in n: CustomerNight) -> [Channel: ContactIssue] {
        guard case .message(let channel, _, let fallback) = s.action else { return [:] }
        var marks: [Channel: ContactIssue] = [:]
        for c in [channel] + (fallback.map { [$0] } ?? []) {
            if let m = n.history.unusable(c, of: n.customer) { marks[c] = m.issue }
        }
        return marks
    }

    /// SPEC §3 Channel: the step's channel when the customer did not refuse it, has its contact
    /// and feedback did not mark it unusable; else its `fallback` under the same test; else nil.
    func channel(for s: Step, in n: CustomerNight) -> Channel? {
        guard case .message(let channel, _, let fallback) = s.action else { return nil }
        if usable(channel, n.customer, n.history) { return channel }
        return fallback.flatMap { usable($0, n.customer, n.history) ? $0 : nil }
    }

    /// SPEC §3 Remittance steps: one record of the night's remittance file, whatever the night.
    func toBank<R: DecisionRecorder>(
        _ d: DunnedTitle, _ s: Step, _ instruction: RemittanceInstruction, in n: CustomerNight,
        into acc: inout CustomerOutcome, recorder: inout R
    ) {
        if d.title.nossoNumero == nil {
            acc.actions.append(n.action(d.title.id, s, .held, instruction: instruction, reason: .noBankData))
            recorder.verdict(.held(.noBankData), step: s, title: d.title.id)
        } else {
            acc.actions.append(n.action(d.title.id, s, .sent, instruction: instruction))
            acc.remittances.append(
                PlannedRemittance(title: d, customer: n.customer, instruction: instruction, stepID: s.id))
            recorder.verdict(.sent(channel: nil, messageID: nil), step: s, title: d.title.id)
        }
    }

    /// SPEC §3 Bureau steps: an `include` record of the night's bureau file.
    func toBureau<R: DecisionRecorder>(
        _ d: DunnedTitle, _ s: Step, in n: CustomerNight, into acc: inout CustomerOutcome, recorder: inout R
    ) {
        acc.actions.append(n.action(d.title.id, s, .sent, bureau: .include))
        acc.bureau.append(
            PlannedBureauRecord(
                title: d, customer: n.customer, action: .include, stepID: s.id, includedOn: asOf, excludeBy: nil))
        recorder.verdict(.sent(channel: nil, messageID: nil), step: s, title: d.title.id)
    }

    /// SPEC §3 Hand-off steps: a row of the night's hand-off file, with every step sent before.
    func toHandoff<R: DecisionRecorder>(
        _ d: DunnedTitle, _ s: Step, _ id: String, in n: CustomerNight, into acc: inout CustomerOutcome,
        recorder: inout R
    ) {
        acc.actions.append(n.action(d.title.id, s, .sent, handoff: id))
        let before = (n.history.sent[d.title.id] ?? []).sorted { ($0.night, $0.offset) < ($1.night, $1.offset) }
        acc.handoffs.append(PlannedHandoff(title: d, customer: n.customer, handoff: id, stepID: s.id, history: before))
        recorder.verdict(.sent(channel: nil, messageID: nil), step: s, title: d.title.id)
    }

    /// SPEC §3 Grouping and Offers: one message per channel, spoken by the most advanced of its
    /// steps and listing every title of the group (title id order), with the whole credit and the
    /// speaking step's offer; the most advanced messages first (they take the weekly cap first).
    func group(_ groups: [ChannelGroup], in n: CustomerNight) -> [PlannedMessage] {
        let steps = book.steps
        var messages: [PlannedMessage] = []
        for g in groups {
            let speaking = g.items.map(\.step).max { Self.later(steps[$1], than: steps[$0]) }!
            guard case .message(_, let template, _) = steps[speaking].action else { continue }
            let sorted = g.items.sorted { $0.title.title.id < $1.title.title.id }
            var message = PlannedMessage(
                id: messageID(customer: n.customer.id, channel: g.channel), customer: n.customer,
                profile: n.profile, channel: g.channel, step: steps[speaking], template: template,
                titles: sorted.map(\.title), titleSteps: sorted.map { steps[$0.step].id },
                credits: n.standing.credits)
            message.offer = offer(steps[speaking], for: message.titles, in: n)
            messages.append(message)
        }
        messages.sort { a, b in
            a.step.offset != b.step.offset
                ? a.step.offset > b.step.offset
                : a.step.index != b.step.index ? a.step.index > b.step.index : a.channel < b.channel
        }
        return messages
    }

    /// SPEC §3 Offers: the settlement offer of the speaking step, for the message's titles with
    /// the customer's credits netted; nil when the step has none.
    func offer(_ speaking: Step, for titles: [DunnedTitle], in n: CustomerNight) -> Offer? {
        speaking.offer.map {
            Offer.make($0, titles: titles, credits: n.standing.credits, asOf: asOf, calendar: calendar)
        }
    }

    /// SPEC §3 Held back: the first reason that holds a message tonight — `quiet_day`,
    /// `below_min_amount` (its titles' outstanding less credits under `min_amount`),
    /// `outside_call_hours`, `contact_cap` (`contacts` messages already in the 7 days ending
    /// tonight) — or nil when it goes out.
    func holdReason(for m: PlannedMessage, contacts: Int, in n: CustomerNight) -> HoldReason? {
        let policy = book.policy
        if isQuietDay { return .quietDay }
        if m.totalOutstanding - n.standing.credits < policy.minAmount { return .belowMinAmount }
        if m.channel == .call, let hours = policy.callHours, hours.window(on: asOf) == nil { return .outsideCallHours }
        if let cap = policy.maxContactsPerWeek, contacts >= cap { return .contactCap }
        return nil
    }

    /// The customer's messages in the 7 days ending on the as-of date, before tonight (SPEC §3 `contact_cap`).
    func contactsThisWeek(_ n: CustomerNight) -> Int {
        let h = n.history
        let weekStart = asOf.adding(days: -6)
        return (h.recentMessages.isEmpty ? [] : h.recentMessages[n.customer.id] ?? []).filter {
            $0 >= weekStart && $0 < asOf
        }.count
    }

    /// Each message, most advanced first, sent or held back by ``holdReason(for:contacts:in:)``;
    /// each of its titles records its own step with the message's fate. The messages sent are
    /// kept in channel order.
    func holdOrSend<R: DecisionRecorder>(
        _ messages: [PlannedMessage], chosen groups: [ChannelGroup], in n: CustomerNight,
        into acc: inout CustomerOutcome, recorder: inout R
    ) {
        let steps = book.steps
        var contacts = contactsThisWeek(n)
        var outgoing: [PlannedMessage] = []
        for m in messages {
            let reason = holdReason(for: m, contacts: contacts, in: n)
            if reason == nil { contacts += 1 }
            // Every title of a message was chosen, with its step, in the message's group.
            let items = groups.first { $0.channel == m.channel }!.items
            for d in m.titles {
                let pick = items.first { $0.title.title.id == d.title.id }!
                let s = steps[pick.step]
                acc.actions.append(
                    n.action(
                        d.title.id, s, reason == nil ? .sent : .held, channel: m.channel, reason: reason,
                        messageID: reason == nil ? m.id : nil))
                recorder.verdict(
                    reason.map { .held($0) }
                        ?? (pick.backfill
                            ? .backfill(channel: m.channel, messageID: m.id)
                            : .sent(channel: m.channel, messageID: m.id)),
                    step: s, title: d.title.id)
            }
            if let reason {
                acc.held.append((m, reason))
            } else {
                outgoing.append(m)
            }
            recorder.message(m, heldBy: reason)
        }
        outgoing.sort { $0.channel < $1.channel }
        acc.messages.append(contentsOf: outgoing)
    }
}
