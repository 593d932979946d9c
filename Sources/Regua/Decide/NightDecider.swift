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
    /// Per profile of the book, whether each step (by book index) applies to it: asked for every
    /// step of every title, it is two set look-ups of the profile's name each time otherwise.
    let stepsApplying: [String: [Bool]]

    /// A decider for one night of a rule book.
    public init(book: RuleBook, asOf: Day) {
        self.book = book
        self.calendar = BusinessCalendar(book.calendar)
        self.asOf = asOf
        var applying: [String: [Bool]] = [:]
        for p in book.profiles { applying[p.id] = book.steps.map { $0.applies(to: p.id) } }
        self.stepsApplying = applying
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
        for case let g? in groupOfTitle { start[g + 1] += 1 }
        for g in 0..<Int(groups) { start[g + 1] += start[g] }
        var titleIndices = [Int](repeating: 0, count: start[Int(groups)])
        var next = start
        for i in titles.indices {
            guard let g = groupOfTitle[i] else { continue }  // a title of no customer
            titleIndices[next[g]] = i
            next[g] += 1
        }

        let chunks = max(1, min(8, order.count / 2048))
        let partials = Parallel.mapRanges(order.count, chunks: chunks) { [start, titleIndices] range in
            var acc = CustomerOutcome()
            for k in range {
                let g = Int(groupOfCustomer[k])
                guard start[g] < start[g + 1] else { continue }
                // The indices sorted by title id (moving ints, not titles), then each
                // title copied once, straight into its DunnedTitle.
                var idx = Array(titleIndices[start[g]..<start[g + 1]])
                if idx.count > 1 { idx.sort { titles[$0].id < titles[$1].id } }
                let ds = idx.map { dunned(titles[$0]) }
                var silent = SilentRecorder()
                decide(customer: customers[order[k]], dunned: ds, history: history, into: &acc, recorder: &silent)
            }
            return acc
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
        var recorder = ExplanationRecorder(customerID: customer.id)
        let sorted = titles.sorted { $0.id < $1.id }
        decide(customer: customer, dunned: sorted.map { dunned($0) }, history: history, into: &acc, recorder: &recorder)
        return recorder.explanation
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
    func inWindow(_ s: Step, days: Int) -> Bool { inWindow(offset: s.offset, days: days) }

    /// Whether the window of a step of this offset holds for a title `days` overdue.
    func inWindow(offset: Int, days: Int) -> Bool {
        if offset < 0 && days >= 0 { return false }
        return days >= offset && days <= offset + book.policy.catchUpDays
    }

    /// Static so the closures that use it do not copy the whole decider (rule book and all).
    static func later(_ a: Step, than b: Step) -> Bool {
        a.offset != b.offset ? a.offset > b.offset : a.index > b.index
    }

    /// SPEC §3 Channel: not refused, the contact present, and not marked unusable by feedback
    /// (for the value customers.csv gives tonight).
    func usable(_ c: Channel, _ customer: Customer, _ h: LedgerHistory) -> Bool {
        !customer.optOut.contains(c) && customer.hasContact(for: c, on: asOf) && h.unusable(c, of: customer) == nil
    }

    /// The id of tonight's message to `customer` on `channel`: the night and a hash of the pair.
    func messageID(customer: CustomerID, channel: Channel) -> String {
        let h = Hashing.sha256Hex("\(asOf.iso)\u{0}\(customer.raw)\u{0}\(channel.rawValue)")
        let c = asOf.components
        return "R" + pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "-" + String(h.prefix(16))
    }
}
