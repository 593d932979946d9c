import Foundation

/// `regua stats`: how well each step of the ladder worked, from what the ledger recorded and
/// what is known of payments (the receivables' `paid_date`, the bank's settlements).
public enum Stats {
    /// One row per ladder step sent in `[from, to]` (either bound open), by
    /// ``EffectivenessStats/compute(actions:titles:settlements:from:to:)``. Only reads: the
    /// ledger must exist (exit 3 otherwise) and nothing is recorded in it.
    public static func run(options: NightOptions, from: Day?, to: Day?) throws -> [StepEffectiveness] {
        if let from, let to, from > to {
            throw ReguaError(.refused, "--from \(from.iso) is after --to \(to.iso)")
        }
        guard try LedgerLocation(state: options.statePath).exists else {
            throw ReguaError(.io, "no ledger at \(options.statePath)")
        }
        let inputs = try NightInputs.readInputs(options)
        do {
            let ledger = try LedgerLocation(state: options.statePath).openForReading()
            // Payments after `to` still count for steps sent before it: settlements are read to the end.
            let actions = try ledger.actions(from: from ?? earliest, to: to ?? latest, sentOnly: true)
            let settlements = try ledger.settlements(upTo: latest)
            return EffectivenessStats.compute(
                actions: actions, titles: inputs.titles, settlements: settlements,
                from: from, to: to)
        } catch let e as LedgerError {
            throw ReguaError(.io, e.description)
        }
    }

    /// Bounds for an open period (the ledger stores nights as ISO text).
    static let earliest = Day(year: 1900, month: 1, day: 1)!
    static let latest = Day(year: 9999, month: 12, day: 31)!
}

extension Stats {
    /// Champion versus challenger and the offers of `[from, to]` (either bound open), for the
    /// experiments of the rule book in `options` (SPEC §6). Only reads.
    public static func negotiation(options: NightOptions, from: Day?, to: Day?) throws -> (
        arms: [ArmStats], offers: OfferStats
    ) {
        guard try LedgerLocation(state: options.statePath).exists else {
            throw ReguaError(.io, "no ledger at \(options.statePath)")
        }
        let inputs = try NightInputs.readInputs(options)
        // The experiments the book names now; a book that does not load still shows the offers.
        let experiments = (try? RuleBookLoader.load(directory: options.rulesDir))?.experiments.map(\.id) ?? []
        do {
            let ledger = try LedgerLocation(state: options.statePath).openForReading()
            let settlements = try ledger.settlements(upTo: latest)
            let actions = try ledger.actions(from: from ?? earliest, to: to ?? latest, sentOnly: true)
            let arms = ArmStats.compute(
                actions: actions, experiments: experiments, titles: inputs.titles, settlements: settlements,
                from: from, to: to)
            let offers = OfferStats.compute(
                offers: try ledger.offers(from: from ?? earliest, to: to ?? latest), titles: inputs.titles,
                settlements: settlements)
            return (arms, offers)
        } catch let e as LedgerError {
            throw ReguaError(.io, e.description)
        }
    }
}

extension EffectivenessStats {
    /// How ``read(_:from:to:titles:tonight:lookup:)`` finds the sends of the titles that may be
    /// credited: by the night index (every send of the period, then filtered) or by title.
    enum SendsLookup {
        /// The cheaper of the two: by night while the period holds at most twice as many sends
        /// as there are titles to look up (a young ledger), by title after.
        case cheaper
        /// Every send of the period, by the night index.
        case byNight
        /// A lookup per title.
        case byTitle
    }

    /// The report's step effectiveness for the nights `from` … `to`, read in bounded time: the
    /// ledger's per-night counts of each step's sends, and the sends themselves only for the
    /// titles that may be credited (paid on or after `from`). `settlements` holds the settlements
    /// of tonight's `titles` (and tonight's return files); those of titles settled in the period
    /// that left the receivables are read here. The same rows as
    /// ``compute(ladderSteps:titles:settlements:from:to:)`` over every send of the period, by
    /// either lookup.
    static func read(
        _ ledger: any Ledger, from: Day, to: Day, titles: [Title], tonight settlements: [TitleID: Settlement],
        lookup: SendsLookup = .cheaper
    ) throws -> [StepEffectiveness] {
        let sends = try ledger.stepSends(from: from, to: to)
        guard !sends.isEmpty else { return [] }  // nothing sent in the period: no row
        let others = try ledger.titlesSettled(paidFrom: from, upTo: to).filter { settlements[$0] == nil }
        let all = try ledger.settlements(upTo: to, titles: others).merging(settlements) { _, tonight in tonight }
        let paid = creditable(titles: titles, settlements: all, from: from)
        let sent = sends.reduce(0) { $0 + $1.titles }
        let paidSteps: [LadderStep]
        switch lookup {
        case .byNight,
            .cheaper where sent <= 2 * paid.count:
            let keep = Set(paid)
            paidSteps = try ledger.ladderSteps(from: from, to: to).filter { keep.contains($0.titleID) }
        case .byTitle, .cheaper:
            paidSteps = try ledger.ladderSteps(from: from, to: to, titles: paid)
        }
        return compute(sends: sends, paidSteps: paidSteps, titles: titles, settlements: all, from: from, to: to)
    }
}
