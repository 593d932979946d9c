import Foundation

/// `regua diff-rules`: one night decided under two rule books, on the same inputs and the same
/// copy of the ledger, compared title by title. Nothing is written or recorded.
public enum RuleDiff {
    /// How a title's night changed from the old book to the new one.
    public enum Category: String, Codable, CaseIterable, Sendable {
        /// The title gets a step only under the new book.
        case added
        /// The title gets a step only under the old book.
        case removed
        /// Both books send the title a step, but not the same one.
        case movedStep = "moved_step"
        /// Both books send the title the same step, on another channel.
        case movedChannel = "moved_channel"
        /// Neither book sends the title anything, and why it is held back differs.
        case heldChanged = "held_changed"
    }

    /// What one title gets tonight under one book: its ladder step, sent or held back.
    ///
    /// Superseded steps and the `bank:` instructions that follow the data are not compared:
    /// the first are implied by the chosen step, the second do not depend on the steps.
    public enum Outcome: Hashable, Sendable {
        /// The step went out; `channel` is `bank` for a remittance step, `bureau` for a bureau
        /// record, `handoff` for a hand-off.
        case sent(step: String, channel: String)
        case held(step: String, reason: HoldReason)
        case nothing

        /// `overdue_d3/email`, `held overdue_d3 (opt_out)`, `nothing`.
        public var label: String {
            switch self {
            case .sent(let step, let channel): return "\(step)/\(channel)"
            case .held(let step, let reason): return "held \(step) (\(reason.rawValue))"
            case .nothing: return "nothing"
            }
        }

        var isSent: Bool {
            if case .sent = self { return true }
            return false
        }

        /// The hold reason, or nil when the title is sent or gets nothing.
        var heldReason: HoldReason? {
            if case .held(_, let r) = self { return r }
            return nil
        }
    }

    /// The category of a change, or nil when the title's night is the same under both books.
    public static func category(old: Outcome, new: Outcome) -> Category? {
        switch (old, new) {
        case let (.sent(os, oc), .sent(ns, nc)):
            if os != ns { return .movedStep }
            return oc != nc ? .movedChannel : nil
        case (.sent, _): return .removed
        case (_, .sent): return .added
        default: return old.heldReason != new.heldReason ? .heldChanged : nil
        }
    }

    /// Titles of one category.
    public struct CategorySummary: Codable, Sendable, Equatable {
        /// The category.
        public var category: Category
        /// Titles whose night changed this way.
        public var titles: Int
        /// Distinct customers of those titles.
        public var customers: Int
        /// Titles by the customer's profile under the new book, sorted by profile id.
        public var byProfile: [ProfileCount]
        /// Titles by (old outcome → new outcome), most frequent first.
        public var transitions: [Transition]
        /// Up to ``RuleDiff/sampleSize`` customer ids, the smallest first.
        public var sampleCustomers: [String]
    }

    /// Titles of a category for one profile.
    public struct ProfileCount: Codable, Sendable, Equatable {
        /// The profile's id under the new book.
        public var profile: String
        /// Titles of the category for this profile.
        public var titles: Int
    }

    /// Titles that went from one outcome to another (``Outcome/label`` on each side).
    public struct Transition: Codable, Sendable, Equatable {
        /// The outcome under the old book.
        public var from: String
        /// The outcome under the new book.
        public var to: String
        /// Titles that made this transition.
        public var titles: Int
    }

    /// Customers whose profile differs between the books (ids may differ between books).
    public struct ProfileChange: Codable, Sendable, Equatable {
        /// The profile under the old book.
        public var from: String
        /// The profile under the new book.
        public var to: String
        /// Customers that moved from one profile to the other.
        public var customers: Int
    }

    /// Messages (or, for `bank`, remittance instructions) of the night under each book.
    public struct ChannelTotal: Codable, Sendable, Equatable {
        /// `email`, `sms`, `letter` or `bank`.
        public var channel: String
        /// Count under the old book.
        public var old: Int
        /// Count under the new book.
        public var new: Int
    }

    /// The comparison of one night under two books.
    public struct Result: Codable, Sendable {
        /// The night compared, as an ISO date.
        public var asOf: String
        /// The old rules folder.
        public var oldRules: String
        /// The new rules folder.
        public var newRules: String
        /// Hash of the old rule book.
        public var oldHash: String
        /// Hash of the new rule book.
        public var newHash: String
        /// Titles decided (every accepted title of the receivables).
        public var titles: Int
        /// Titles whose night changed (the sum of the categories).
        public var titlesChanged: Int
        /// Every category, in ``Category`` order, zero counts included.
        public var categories: [CategorySummary]
        /// Sorted by customers, most first, then by ids.
        public var profileChanges: [ProfileChange]
        /// email, sms, letter, bank.
        public var channels: [ChannelTotal]

        /// The summary of one category.
        public func summary(_ c: Category) -> CategorySummary {
            categories.first { $0.category == c }!
        }
    }

    /// Customers listed per category.
    public static let sampleSize = 5

    /// Decides the night of `asOf` (default: today in the new book's time zone) under both
    /// books on one reading of `options`' customers and receivables and one read-only opening of
    /// its ledger; `options.rulesDir` is not used.
    public static func run(oldRules: String, newRules: String, options: NightOptions, asOf: Day?) throws -> Result {
        let old = load(oldRules)
        let new = load(newRules)
        let failures = [old, new].compactMap(\.error)
        if !failures.isEmpty {
            throw ReguaError(
                .refused, failures.map(\.message).joined(separator: "\n"),
                diagnostics: failures.flatMap(\.diagnostics))
        }
        let (oldBook, newBook) = (old.book!, new.book!)
        let night = asOf ?? NightRunner.today(in: newBook.timeZone)

        let read = try NightInputs.readInputs(options)
        // The same titles `regua run` would decide: boletos with broken check digits are refused.
        var loaded = NightInputs(
            book: newBook, templates: new.templates!, inputs: read, options: options,
            logger: .init(label: "regua.diff-rules"))
        loaded.validateIssuedBoletos()
        let inputs = loaded.inputs

        let ledger = try Simulation.readOnlyLedger(options.statePath)
        let titles = NightInputs.applying(settlements: try ledger.settlements(upTo: night), to: inputs.titles)
        let history = try ledger.history(before: night, scope: .night(titles: titles))
        let oldSide = Side(book: oldBook, asOf: night, customers: inputs.customers, titles: titles, history: history)
        let newSide = Side(book: newBook, asOf: night, customers: inputs.customers, titles: titles, history: history)
        return compare(oldSide, newSide, titles: titles, asOf: night, oldRules: oldRules, newRules: newRules)
    }

    // MARK: - Comparing

    /// One book's night: the decision, each title's outcome and each customer's profile.
    struct Side {
        var book: RuleBook
        var decision: NightDecision
        var outcomes: [TitleKey: Outcome] = [:]
        var profiles: [CustomerID: String] = [:]

        init(book: RuleBook, asOf: Day, customers: [Customer], titles: [Title], history: LedgerHistory) {
            self.book = book
            let decider = NightDecider(book: book, asOf: asOf)
            decision = decider.decide(customers: customers, titles: titles, history: history)
            for a in decision.actions where !a.stepID.hasPrefix("bank:") {
                let key = TitleKey(customer: a.customerID, title: a.titleID)
                switch a.kind {
                case .sent:
                    let channel =
                        a.channel?.rawValue ?? (a.handoff != nil ? "handoff" : a.bureau != nil ? "bureau" : "bank")
                    outcomes[key] = .sent(step: a.stepID, channel: channel)
                case .held: outcomes[key] = .held(step: a.stepID, reason: a.reason ?? .noContact)
                case .superseded: break
                }
            }
            var byCustomer: [CustomerID: [Title]] = [:]
            for t in titles { byCustomer[t.customerID, default: []].append(t) }
            for c in customers {
                guard let ts = byCustomer[c.id] else { continue }
                profiles[c.id] = book.profile(for: c, facts: decider.facts(ts.map(decider.dunned))).id
            }
        }

        /// Messages per channel, remittance instructions as `bank`, bureau records as `bureau`
        /// and hand-offs as `handoff` (the last two only when a book has them).
        var channelTotals: [String: Int] {
            var out: [String: Int] = [:]
            for m in decision.messages { out[m.channel.rawValue, default: 0] += 1 }
            out["bank"] = decision.remittances.count
            if !decision.bureauRecords.isEmpty { out["bureau"] = decision.bureauRecords.count }
            if !decision.handoffs.isEmpty { out["handoff"] = decision.handoffs.count }
            return out
        }
    }

    struct TitleKey: Hashable {
        var customer: CustomerID
        var title: TitleID
    }

    static func compare(
        _ old: Side, _ new: Side, titles: [Title], asOf: Day, oldRules: String,
        newRules: String
    ) -> Result {
        var changed: [Category: [(key: TitleKey, old: Outcome, new: Outcome)]] = [:]
        for t in titles {
            let key = TitleKey(customer: t.customerID, title: t.id)
            let (o, n) = (old.outcomes[key] ?? .nothing, new.outcomes[key] ?? .nothing)
            if let c = category(old: o, new: n) { changed[c, default: []].append((key, o, n)) }
        }
        let categories = Category.allCases.map { c -> CategorySummary in
            let rows = changed[c] ?? []
            var byProfile: [String: Int] = [:]
            var transitions: [Pair: Int] = [:]
            var customers = Set<CustomerID>()
            for r in rows {
                byProfile[new.profiles[r.key.customer] ?? "", default: 0] += 1
                transitions[Pair(r.old.label, r.new.label), default: 0] += 1
                customers.insert(r.key.customer)
            }
            return CategorySummary(
                category: c, titles: rows.count, customers: customers.count,
                byProfile: byProfile.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                    .map { ProfileCount(profile: $0.key, titles: $0.value) },
                transitions: transitions.map { Transition(from: $0.key.a, to: $0.key.b, titles: $0.value) }
                    .sorted { ($1.titles, $0.from, $0.to) < ($0.titles, $1.from, $1.to) },
                sampleCustomers: customers.sorted().prefix(sampleSize).map(\.raw))
        }

        var moves: [Pair: Int] = [:]
        for (customer, was) in old.profiles {
            if let now = new.profiles[customer], now != was { moves[Pair(was, now), default: 0] += 1 }
        }
        let profileChanges = moves.map { ProfileChange(from: $0.key.a, to: $0.key.b, customers: $0.value) }
            .sorted { ($1.customers, $0.from, $0.to) < ($0.customers, $1.from, $1.to) }

        let (ot, nt) = (old.channelTotals, new.channelTotals)
        // Bureau and hand-off rows only when either book makes them (older JSON stays the same).
        let escalation = ["bureau", "handoff"].filter { ot[$0] != nil || nt[$0] != nil }
        let channels = (Channel.allCases.map(\.rawValue) + ["bank"] + escalation)
            .map { ChannelTotal(channel: $0, old: ot[$0] ?? 0, new: nt[$0] ?? 0) }

        return Result(
            asOf: asOf.iso, oldRules: oldRules, newRules: newRules, oldHash: old.book.hash,
            newHash: new.book.hash, titles: titles.count,
            titlesChanged: categories.reduce(0) { $0 + $1.titles }, categories: categories,
            profileChanges: profileChanges, channels: channels)
    }

    private struct Pair: Hashable {
        var a: String
        var b: String
        init(_ a: String, _ b: String) {
            self.a = a
            self.b = b
        }
    }
}

extension RuleDiff {
    /// One book loaded, or why it could not be.
    fileprivate struct Loading {
        var book: RuleBook?
        var templates: TemplateSet?
        var error: ReguaError?
    }

    /// Loads a book without throwing, so that both books' problems are reported at once.
    fileprivate static func load(_ dir: String) -> Loading {
        do {
            let (book, templates) = try NightInputs.loadBook(rulesDir: dir)
            return Loading(book: book, templates: templates)
        } catch let e as ReguaError {
            return Loading(error: e)
        } catch {
            return Loading(error: ReguaError(.refused, "the rule book in \(dir) cannot be loaded: \(error)"))
        }
    }
}

extension RuleDiff.Result {
    /// A plain-text report for a terminal: the categories, their transitions and profiles,
    /// messages per channel under each book, and customers whose profile changed.
    public var text: String {
        var out = [
            "Night \(asOf): \(oldRules) (\(oldHash.prefix(8))) → \(newRules) (\(newHash.prefix(8))); "
                + "\(titles) titles, \(titlesChanged) changed."
        ]
        if oldHash == newHash { out.append("The two rule books are identical.") }
        out.append("")
        out += Self.columns(
            [["change", "titles", "customers", "sample customers"]]
                + categories.map {
                    [
                        $0.category.rawValue, String($0.titles), String($0.customers),
                        $0.sampleCustomers.joined(separator: ", "),
                    ]
                }, rightAligned: [1, 2])
        for c in categories where c.titles > 0 {
            out.append("")
            out.append("\(c.category.rawValue):")
            let shown = c.transitions.prefix(10)
            out += Self.columns(shown.map { ["  \($0.from)", "→", $0.to, String($0.titles)] }, rightAligned: [3])
            if c.transitions.count > shown.count {
                out.append("  … \(c.transitions.count - shown.count) other transitions")
            }
            out.append(
                "  by profile (new book): " + c.byProfile.map { "\($0.profile) \($0.titles)" }.joined(separator: ", "))
        }
        out.append("")
        out += Self.columns(
            [["messages", "old", "new"]] + channels.map { [$0.channel, String($0.old), String($0.new)] },
            rightAligned: [1, 2])
        if !profileChanges.isEmpty {
            out.append("")
            out.append("Customers whose profile changes:")
            out += Self.columns(
                profileChanges.map { ["  \($0.from)", "→", $0.to, String($0.customers)] }, rightAligned: [3])
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Rows padded to aligned columns (by characters), two spaces apart.
    static func columns(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        var widths: [Int] = []
        for r in rows {
            for (i, c) in r.enumerated() {
                if i == widths.count { widths.append(0) }
                widths[i] = max(widths[i], c.count)
            }
        }
        return rows.map { r in
            let cells = r.enumerated().map { i, c in
                let fill = String(repeating: " ", count: widths[i] - c.count)
                return rightAligned.contains(i) ? fill + c : (i == r.count - 1 ? c : c + fill)
            }
            let line = cells.joined(separator: "  ")
            return String(line.prefix(line.count - line.reversed().prefix { $0 == " " }.count))
        }
    }
}
