/// How well one step of the ladder worked: of the titles it reached, how many were paid soon
/// after, and how much money came in. One row of `regua stats` and of the report's
/// "Eficácia das etapas".
public struct StepEffectiveness: Codable, Sendable, Equatable {
    /// The step id.
    public var step: String
    /// The step's offset in days from the due date (as recorded on its first night).
    public var offset: Int
    /// Titles that recorded this step as sent in the period.
    public var titlesReached: Int
    /// Of those, titles paid on the night of the step or up to 3 days after it.
    public var paidWithin3: Int
    /// … up to 7 days after it (includes ``paidWithin3``).
    public var paidWithin7: Int
    /// … up to 15 days after it (includes ``paidWithin7``).
    public var paidWithin15: Int
    /// … up to 30 days after it (includes ``paidWithin15``; SPEC §6's widest window).
    public var paidWithin30: Int
    /// `paidWithin3 / titlesReached`, 0…1, for display only.
    public var share3: Double
    /// `paidWithin7 / titlesReached`, 0…1, for display only.
    public var share7: Double
    /// `paidWithin15 / titlesReached`, 0…1, for display only.
    public var share15: Double
    /// `paidWithin30 / titlesReached`, 0…1, for display only.
    public var share30: Double
    /// Money paid by the titles counted in ``paidWithin30``, as `"1234.56"`.
    public var recovered: String

    /// Creates a row; the shares are derived from the integer counts.
    public init(
        step: String, offset: Int, titlesReached: Int, paidWithin3: Int, paidWithin7: Int,
        paidWithin15: Int, paidWithin30: Int, recovered: Money
    ) {
        self.step = step
        self.offset = offset
        self.titlesReached = titlesReached
        self.paidWithin3 = paidWithin3
        self.paidWithin7 = paidWithin7
        self.paidWithin15 = paidWithin15
        self.paidWithin30 = paidWithin30
        let n = Double(max(titlesReached, 1))
        self.share3 = Double(paidWithin3) / n
        self.share7 = Double(paidWithin7) / n
        self.share15 = Double(paidWithin15) / n
        self.share30 = Double(paidWithin30) / n
        self.recovered = recovered.plain
    }
}

/// Computes ``StepEffectiveness`` from the ledger's actions and what is known of payments.
public enum EffectivenessStats {
    /// Windows after a step in which a payment is credited to it, in days.
    public static let windows = [3, 7, 15, 30]

    /// One row per step that was sent in the period, ordered by offset, then step id.
    ///
    /// - A title is *reached* by a step on night N, the night of its first `sent` action of
    ///   that step within `[from, to]` (either bound may be open). Only ladder steps count:
    ///   messages and rule-book remittance steps (`register`, `protest`, `write_off`) are
    ///   steps; the `bank:` instructions that follow the data are not.
    /// - Its *payment date* is the settlement date from a bank return file when there is one
    ///   (it wins, as in SPEC §5), else the receivables' `paid_date` when the status is `paid`
    ///   or `paid_amount` > 0. A paid title without a date is never counted: when it was
    ///   paid is unknown.
    /// - It is *paid within k days* when N ≤ payment date ≤ N + k. A payment before the step
    ///   (a title paid, then reached by a stale file) is not credited to the step, neither
    ///   as paid nor as recovered.
    /// - *Recovered* is the amount paid (settlement amount, else `paid_amount`; a `paid`
    ///   title with no `paid_amount` counts its whole amount) of the titles paid within 30 days.
    /// - Credit is not exclusive: a title reached by two steps before paying counts for both.
    /// - Windows still open (a step sent 2 days ago) count what is known so far; a reader
    ///   comparing steps should choose `to` at least 30 days before the last settlement data.
    /// - The windows are SPEC §6's 7, 15 and 30 days; 3 days is kept beside them for the
    ///   first reminders, whose effect shows in days.
    public static func compute(
        actions: [LedgerAction], titles: [Title], settlements: [TitleID: Settlement],
        from: Day?, to: Day?
    ) -> [StepEffectiveness] {
        compute(
            ladderSteps: actions.lazy.filter(\.action.isOnLadder).map {
                LadderStep(
                    night: $0.night, titleID: $0.action.titleID, stepID: $0.action.stepID, offset: $0.action.offset)
            }, titles: titles, settlements: settlements, from: from, to: to)
    }

    /// A ladder step sent for a title on a night (an action's part the statistics read).
    public struct LadderStep: Sendable, Hashable {
        /// The night it was sent.
        public var night: Day
        /// The title it was sent for.
        public var titleID: TitleID
        /// The step's id.
        public var stepID: String
        /// The step's offset.
        public var offset: Int
        /// Creates a sent ladder step.
        public init(night: Day, titleID: TitleID, stepID: String, offset: Int) {
            self.night = night
            self.titleID = titleID
            self.stepID = stepID
            self.offset = offset
        }

        /// Steps by night, offset, title and step id (bytes): one order for every ledger.
        public static func inOrder(_ steps: [LadderStep]) -> [LadderStep] {
            steps.sorted { a, b in
                if a.night != b.night { return a.night < b.night }
                if a.offset != b.offset { return a.offset < b.offset }
                if a.titleID != b.titleID { return a.titleID.raw.utf8.lexicographicallyPrecedes(b.titleID.raw.utf8) }
                return a.stepID.utf8.lexicographicallyPrecedes(b.stepID.utf8)
            }
        }
    }

    /// As ``compute(actions:titles:settlements:from:to:)``, from the ladder steps sent (the
    /// ledger's `title_steps`: one row per title and step, never sent twice).
    public static func compute(
        ladderSteps: some Sequence<LadderStep>, titles: [Title], settlements: [TitleID: Settlement],
        from: Day?, to: Day?
    ) -> [StepEffectiveness] {
        // First night each (step, title) was sent in the period, and each step's offset.
        var reached: [String: [TitleID: Day]] = [:]
        var stepOffset: [String: (night: Day, offset: Int)] = [:]
        for a in ladderSteps {
            if let from, a.night < from { continue }
            if let to, a.night > to { continue }
            noteFirstNight(a, in: &reached)
            if stepOffset[a.stepID].map({ (a.night, a.offset) < ($0.night, $0.offset) }) ?? true {
                stepOffset[a.stepID] = (a.night, a.offset)
            }
        }
        return rows(
            reach: reached.mapValues(\.count), offsets: stepOffset.mapValues(\.offset), reached: reached,
            titles: titles, settlements: settlements)
    }

    /// Keeps the first night a step was sent for a title.
    private static func noteFirstNight(_ a: LadderStep, in reached: inout [String: [TitleID: Day]]) {
        if reached[a.stepID]?[a.titleID].map({ a.night < $0 }) ?? true {
            reached[a.stepID, default: [:]][a.titleID] = a.night
        }
    }

    /// One row per step of `reach` (titles reached) with its offset, crediting the payments of
    /// the titles in `reached` (each step's titles, with the night each was first sent it);
    /// ordered by offset, then step id. Nothing sent in the period (a first night): no row, and
    /// no pass over the portfolio.
    private static func rows(
        reach: [String: Int], offsets: [String: Int], reached: [String: [TitleID: Day]], titles: [Title],
        settlements: [TitleID: Settlement]
    ) -> [StepEffectiveness] {
        guard !reach.isEmpty else { return [] }
        var reachedTitles = Set<TitleID>()
        for nights in reached.values { reachedTitles.formUnion(nights.keys) }
        let payments = paymentsByTitle(titles: titles, settlements: settlements, only: reachedTitles)
        var rows: [StepEffectiveness] = []
        for (step, count) in reach {
            let (within, recovered) = paidWithin(windows, reached: reached[step] ?? [:], payments: payments)
            rows.append(
                StepEffectiveness(
                    step: step, offset: offsets[step]!, titlesReached: count,
                    paidWithin3: within[0], paidWithin7: within[1], paidWithin15: within[2], paidWithin30: within[3],
                    recovered: recovered))
        }
        return rows.sorted { a, b in
            a.offset != b.offset ? a.offset < b.offset : a.step.utf8.lexicographicallyPrecedes(b.step.utf8)
        }
    }

    /// What the ledger keeps of one night's first sends of a step (`step_sends`, one row per run
    /// and step): how many titles it reached, and the smallest offset among them.
    public struct StepSends: Sendable, Hashable {
        /// The night.
        public var night: Day
        /// The step's id.
        public var stepID: String
        /// Titles whose first send of the step was this night's.
        public var titles: Int
        /// The smallest offset among those sends.
        public var firstOffset: Int
        /// Creates a row.
        public init(night: Day, stepID: String, titles: Int, firstOffset: Int) {
            self.night = night
            self.stepID = stepID
            self.titles = titles
            self.firstOffset = firstOffset
        }
    }

    /// As ``compute(ladderSteps:titles:settlements:from:to:)`` over every ladder step sent in
    /// `[from, to]`, from what a night can read in bounded time: the per-night counts of each
    /// step's sends (`sends`, the ledger's `step_sends`) and the sends themselves only for the
    /// titles that have a payment in the period (`paidSteps`; ``creditable(titles:settlements:from:)``
    /// says which): a title without one adds to a step's reach and nothing else. The same rows,
    /// checked against the whole computation on random ledgers.
    public static func compute(
        sends: some Sequence<StepSends>, paidSteps: some Sequence<LadderStep>, titles: [Title],
        settlements: [TitleID: Settlement], from: Day, to: Day
    ) -> [StepEffectiveness] {
        var reachedCount: [String: Int] = [:]
        var stepOffset: [String: (night: Day, offset: Int)] = [:]
        for s in sends where s.night >= from && s.night <= to && s.titles > 0 {
            reachedCount[s.stepID, default: 0] += s.titles
            if stepOffset[s.stepID].map({ (s.night, s.firstOffset) < ($0.night, $0.offset) }) ?? true {
                stepOffset[s.stepID] = (s.night, s.firstOffset)
            }
        }
        guard !reachedCount.isEmpty else { return [] }
        var reached: [String: [TitleID: Day]] = [:]
        for a in paidSteps where a.night >= from && a.night <= to { noteFirstNight(a, in: &reached) }
        return rows(
            reach: reachedCount, offsets: stepOffset.mapValues(\.offset), reached: reached, titles: titles,
            settlements: settlements)
    }

    /// The titles whose payment (by the rules of ``compute(actions:titles:settlements:from:to:)``)
    /// is on or after `from`: the only ones a step sent in a period starting at `from` can be
    /// credited with. `settlements` must hold the settlement, if it has one, of every title
    /// with a receivables row and of every title settled on or after `from` (a settlement wins
    /// over the receivables, also when it is older). In no particular order (the lookups that
    /// take them answer in an order of their own).
    public static func creditable(titles: [Title], settlements: [TitleID: Settlement], from: Day) -> [TitleID] {
        paymentsByTitle(titles: titles, settlements: settlements).filter { $0.value.date >= from }.map(\.key)
    }

    /// For titles each reached on a night: how many were paid within each of `windows` days of
    /// it (N ≤ payment date ≤ N + k), and the money paid within the widest. A payment before
    /// the night is not credited. Shared by the steps' and the experiment arms' figures.
    static func paidWithin(
        _ windows: [Int], reached: [TitleID: Day], payments: [TitleID: (date: Day, amount: Money)]
    ) -> (counts: [Int], recovered: Money) {
        var within = Array(repeating: 0, count: windows.count)
        var recovered = Money.zero
        for (title, night) in reached {
            guard let p = payments[title] else { continue }
            let days = p.date.days(since: night)
            guard days >= 0 else { continue }
            for (i, k) in windows.enumerated() where days <= k { within[i] += 1 }
            if days <= windows.last! { recovered += p.amount }
        }
        return (within, recovered)
    }

    /// When and how much each title was paid, by the rules of ``compute(actions:titles:settlements:from:to:)``.
    /// The payment of each title (the first row of an id), settlements from the bank winning;
    /// `only` these titles when given.
    static func paymentsByTitle(
        titles: [Title], settlements: [TitleID: Settlement], only: Set<TitleID>? = nil
    ) -> [TitleID: (date: Day, amount: Money)] {
        var out: [TitleID: (date: Day, amount: Money)] = [:]
        for t in titles where out[t.id] == nil {
            if let only, !only.contains(t.id) { continue }
            guard t.status == .paid || t.paidAmount.cents > 0, let date = t.paidDate else { continue }
            let amount = t.paidAmount.cents > 0 ? t.paidAmount : t.amount
            out[t.id] = (date, amount)
        }
        for (id, s) in settlements where only?.contains(id) ?? true { out[id] = (s.paidDate, s.paidAmount) }
        return out
    }

    /// A plain-text table for `regua stats` on a terminal (pt-BR numbers, columns aligned).
    public static func table(_ rows: [StepEffectiveness]) -> String {
        let head = ["etapa", "prazo", "títulos", "pagos 7d", "pagos 15d", "pagos 30d", "recuperado"]
        var lines = [head]
        for r in rows {
            func cell(_ n: Int) -> String {
                ReportHTML.count(n) + " (" + ReportHTML.percent(Int64(n), of: Int64(r.titlesReached)) + ")"
            }
            lines.append([
                BrazilianFormat.clean(r.step), ReportHTML.offset(r.offset), ReportHTML.count(r.titlesReached),
                cell(r.paidWithin7), cell(r.paidWithin15), cell(r.paidWithin30),
                ReportHTML.money(r.recovered)?.br ?? r.recovered,
            ])
        }
        var widths = Array(repeating: 0, count: head.count)
        for l in lines { for (i, c) in l.enumerated() { widths[i] = max(widths[i], c.count) } }
        return lines.map { l in
            l.enumerated().map { i, c in
                let fill = String(repeating: " ", count: widths[i] - c.count)
                return i == 0 ? c + fill : fill + c  // text left, numbers right
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
