/// The worklist of a night (SPEC §4 `worklist.csv`): from the night's decision, the customers,
/// the titles and what the ledger knew before the night, so a rerun writes the same rows.
extension Worklist {
    /// One (customer, issue) being gathered.
    private struct Entry {
        var channels: [Channel] = []
        var marks: [UnusableContact] = []
        /// Steps held back tonight by the issue.
        var held: [String] = []
        /// Steps that went (or go, once a quiet day or the cap lets them) by a fallback channel.
        var fellBack: [(step: String, to: Channel)] = []
    }

    /// The rows of a night, by customer id then issue:
    /// - per customer and contact issue, the message steps due tonight that a missing, unusable
    ///   or refused contact held back (`no_contact`, `opt_out`) or sent by their fallback;
    /// - every customer with a `hold` who owes something dunnable or had a step held for it;
    /// - the messages of earlier nights whose delivery is `uncertain`.
    ///
    /// `outstanding` is the customer's dunnable outstanding (due tonight or not, credits not
    /// netted). With a shard, only its customers' uncertain deliveries.
    static func make(
        decision d: NightDecision, customers: [Customer], titles: [Title], history h: LedgerHistory,
        book: RuleBook, shard: Shard?
    ) -> [WorklistRow] {
        let decider = NightDecider(book: book, asOf: d.asOf)
        let stepByID = Dictionary(book.steps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        // The actions a contact stopped or diverted, and the customers on hold.
        var contactActions: [Int] = []
        var holdSteps: [CustomerID: [String]] = [:]
        for i in d.actions.indices {
            guard let step = stepByID[d.actions[i].stepID], case .message(let primary, _, _) = step.action else {
                continue
            }
            if d.actions[i].kind == .held, d.actions[i].reason == .customerHold {
                let a = d.actions[i]
                if !(holdSteps[a.customerID]?.contains(a.stepID) ?? false) {
                    holdSteps[a.customerID, default: []].append(a.stepID)
                }
                continue
            }
            if Self.divertedOrStopped(d.actions[i], primary: primary) { contactActions.append(i) }
        }
        var wanted = Set(contactActions.map { d.actions[$0].customerID })
        wanted.formUnion(holdSteps.keys)
        let uncertain = h.uncertainDeliveries.filter { shard?.contains($0.customerID) ?? true }
        wanted.formUnion(uncertain.map(\.customerID))
        // The portfolio is read by index: a `for c in customers` copies every customer (and
        // retains its fields) to look at two of them, which showed on a 1M-title night.
        var byID: [CustomerID: Customer] = [:]
        for i in customers.indices where customers[i].hold != nil || wanted.contains(customers[i].id) {
            if byID[customers[i].id] == nil { byID[customers[i].id] = customers[i] }
            wanted.insert(customers[i].id)
        }
        guard !wanted.isEmpty else { return [] }
        var outstanding: [CustomerID: Money] = [:]
        for i in titles.indices
        where titles[i].kind == .invoice && wanted.contains(titles[i].customerID)
            && decider.suppression(titles[i]) == nil
        {
            outstanding[titles[i].customerID, default: .zero] += titles[i].outstanding
        }

        var entries: [CustomerID: [WorklistIssue: Entry]] = [:]
        for i in contactActions {
            let a = d.actions[i]
            guard let customer = byID[a.customerID], let step = stepByID[a.stepID],
                case .message(let primary, _, let fallback) = step.action
            else { continue }
            for channel in [primary] + (fallback.map { [$0] } ?? []) {
                if decider.usable(channel, customer, h) {
                    if channel != primary { note(&entries, customer, primary, step: a.stepID, to: channel, h) }
                    break
                }
                if a.kind == .held, a.reason == .noContact || a.reason == .optOut {
                    note(&entries, customer, channel, step: a.stepID, to: nil, h)
                }
            }
        }

        var rows: [WorklistRow] = []
        for (id, issues) in entries {
            let c = byID[id]!
            for (issue, e) in issues {
                rows.append(
                    WorklistRow(
                        customerID: id, name: c.name, issue: issue, detail: detail(issue, e, c),
                        stepsHeld: inBookOrder(e.held + e.fellBack.map(\.step), stepByID),
                        outstanding: outstanding[id] ?? .zero))
            }
        }
        for c in byID.values {
            guard let hold = c.hold else { continue }
            let steps = holdSteps[c.id] ?? []
            let owed = outstanding[c.id] ?? .zero
            guard owed.cents > 0 || !steps.isEmpty else { continue }
            rows.append(
                WorklistRow(
                    customerID: c.id, name: c.name, issue: .hold,
                    detail: "o cliente está com bloqueio (hold: \(hold)); nada sai além do que encerra uma cobrança; "
                        + "tire o bloqueio em customers.csv quando a cobrança puder voltar",
                    stepsHeld: inBookOrder(steps, stepByID), outstanding: owed))
        }
        for (id, messages) in Dictionary(grouping: uncertain, by: \.customerID) {
            let list = messages.map { m in
                "\(channelName(m.channel)) \(m.messageID) da noite de \(m.night.br) (tentativa \(m.attempts))"
            }
            let nights = Set(messages.map(\.night.iso)).sorted()
            rows.append(
                WorklistRow(
                    customerID: id, name: byID[id]?.name ?? "", issue: .uncertainDelivery,
                    detail: "entrega incerta: " + list.joined(separator: "; ")
                        + " foi passada ao gateway e a resposta não foi registrada (regua deliver interrompido); "
                        + "confira no gateway se chegou e, se não chegou, rode "
                        + nights.map { "regua deliver --as-of \($0) --resend-uncertain" }.joined(separator: " e "),
                    stepsHeld: [], outstanding: outstanding[id] ?? .zero))
        }
        rows.sort { $0.customerID != $1.customerID ? $0.customerID < $1.customerID : $0.issue < $1.issue }
        return rows
    }

    /// Whether the contact decided an action: held `no_contact` / `opt_out`, or routed to a
    /// channel other than the step's own (sent, or held afterwards by a message's reason).
    private static func divertedOrStopped(_ a: Action, primary: Channel) -> Bool {
        if a.kind == .held, a.reason == .noContact || a.reason == .optOut { return true }
        guard let c = a.channel, c != primary else { return false }
        switch a.kind {
        case .sent: return true
        case .held:
            return a.reason == .quietDay || a.reason == .belowMinAmount || a.reason == .contactCap
                || a.reason == .outsideCallHours
        case .superseded: return false
        }
    }

    /// Adds an unusable `channel` of a customer to its issue's entry.
    private static func note(
        _ entries: inout [CustomerID: [WorklistIssue: Entry]], _ c: Customer, _ channel: Channel, step: String,
        to fallback: Channel?, _ h: LedgerHistory
    ) {
        let mark = c.optOut.contains(channel) || !c.hasContact(for: channel) ? nil : h.unusable(channel, of: c)
        let issue: WorklistIssue
        if c.optOut.contains(channel) {
            issue = .optOut
        } else if let mark {
            issue = WorklistIssue(mark.issue)
        } else {
            switch channel {
            case .email: issue = .noEmail
            // SPEC §4 has no issue of its own for WhatsApp: a missing phone or opt-in is a
            // `no_phone` row whose detail names which of the two is missing.
            case .sms, .call, .whatsapp: issue = .noPhone
            case .letter: issue = .noAddress
            }
        }
        var e = entries[c.id]?[issue] ?? Entry()
        if !e.channels.contains(channel) { e.channels.append(channel) }
        if let mark, !e.marks.contains(mark) { e.marks.append(mark) }
        if let fallback {
            if !e.fellBack.contains(where: { $0.step == step }) { e.fellBack.append((step, fallback)) }
        } else if !e.held.contains(step) {
            e.held.append(step)
        }
        entries[c.id, default: [:]][issue] = e
    }

    /// What to fix, since when, and what it did tonight, in the words `regua explain` uses.
    private static func detail(_ issue: WorklistIssue, _ e: Entry, _ c: Customer) -> String {
        var text: String
        switch issue {
        case .optOut:
            text =
                "o cliente recusou \(e.channels.map(HoldText.channelName).joined(separator: " e ")) (coluna opt_out): "
                + "combine outro meio com ele ou dê ao degrau um fallback que ele aceite"
        case .noEmail, .noPhone, .noAddress:
            let what =
                switch issue {
                case .noEmail: "cadastre o e-mail em customers.csv"
                case .noPhone where c.phone != nil && e.channels == [.whatsapp]:
                    "registre em whatsapp_opt_in (customers.csv) a data em que o cliente aceitou WhatsApp, se aceitou"
                case .noPhone: "cadastre o telefone em customers.csv"
                default: "complete o endereço em customers.csv"
                }
            text = e.channels.map { HoldText.contactProblem($0, c) }.joined(separator: "; ") + ": " + what
        case .bouncedEmail, .undeliveredSMS, .returnedLetter, .undeliveredWhatsApp:
            let mark = e.marks.first!
            let fix =
                switch mark.kind {
                case .email: "corrija o e-mail no cadastro (coluna email de customers.csv)"
                case .phone, .whatsapp: "corrija o telefone no cadastro (coluna phone de customers.csv)"
                case .address: "corrija o endereço no cadastro (colunas address_* de customers.csv)"
                }
            text =
                HoldText.issueName(mark.issue) + " " + since(mark) + ": " + fix
                + "; um valor novo volta a valer na próxima noite"
        case .hold, .uncertainDelivery:
            text = ""
        }
        var effects: [String] = []
        if !e.held.isEmpty {
            effects.append(
                (e.held.count == 1 ? "etapa " : "etapas ") + e.held.joined(separator: ", ")
                    + (e.held.count == 1 ? " ficou retida" : " ficaram retidas"))
        }
        for (channel, steps) in Dictionary(grouping: e.fellBack, by: \.to).sorted(by: { $0.key < $1.key }) {
            effects.append(
                (steps.count == 1 ? "etapa " : "etapas ") + steps.map(\.step).joined(separator: ", ")
                    + (steps.count == 1 ? " vai" : " vão")
                    + " por \(HoldText.channelName(channel)) (canal alternativo, fallback)")
        }
        if !effects.isEmpty { text += "; nesta noite: " + effects.joined(separator: "; ") }
        return text
    }

    /// "(hard bounce) em 02/12/2026" and the like: what the last report said and its day.
    private static func since(_ m: UnusableContact) -> String {
        guard let event = m.markedBy else { return "desde \(m.since.br)" }
        switch event.kind {
        case .hard: return "(hard bounce) em \(event.day.br)"
        case .soft:
            return
                "(\(ContactRules.softBouncesForHard) soft bounces em \(ContactRules.windowDays) dias, o último em \(event.day.br))"
        case .undelivered:
            return
                "(\(ContactRules.undeliveredSMSForUnusable) relatórios de não entrega em \(ContactRules.windowDays) dias, o último em \(event.day.br))"
        case .returned, .failed: return "em \(event.day.br)"
        }
    }

    /// `e-mail`, `SMS`, `WhatsApp`: a delivery's channel as the ledger names it.
    private static func channelName(_ raw: String) -> String {
        if let c = Channel(rawValue: raw) { return HoldText.channelName(c) }
        return raw == "whatsapp" ? "WhatsApp" : raw
    }

    private static func inBookOrder(_ steps: [String], _ byID: [String: Step]) -> [String] {
        Array(Set(steps)).sorted { (byID[$0]?.index ?? Int.max, $0) < (byID[$1]?.index ?? Int.max, $1) }
    }
}
