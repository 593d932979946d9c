import Foundation
import Logging

/// `regua simulate` and `regua explain`: the decider played on a scratch copy of the ledger,
/// so nothing real is written or recorded.
public enum Simulation {
    /// One message, bank instruction, bureau record or hand-off of a simulated night.
    public struct Line: Codable, Sendable {
        /// The night, as an ISO date.
        public var night: String
        /// The customer's id.
        public var customerID: String
        /// The message's channel (`email`, `sms`, `letter`, `call`, …), or `bank` for an
        /// instruction, `bureau` for a credit-bureau record, `handoff` for a hand-off.
        public var channel: String
        /// The step that speaks for the message, or the instruction's step.
        public var step: String
        /// The titles of the message or instruction.
        public var titleIDs: [String]
        /// The hold reason, for a held message shown with `--show-held`.
        public var held: String?
        /// True for a night already in the ledger: what was really sent, not a replay.
        public var recorded: Bool?

        enum CodingKeys: String, CodingKey {
            // Spelled so that JSONEncoder's snake_case gives `customer_id` and `title_ids`
            // (from `titleIDs` it would give `title_i_ds`).
            case night, customerID = "customerId", channel, step, titleIDs = "titleIds", held, recorded
        }
    }

    /// The simulated nights and totals per step and channel.
    public struct Result: Codable, Sendable {
        /// The first night simulated, as an ISO date.
        public var from: String
        /// The last night simulated, as an ISO date.
        public var to: String
        /// Every message and instruction, night by night.
        public var lines: [Line]
        /// "step/channel" → messages sent.
        public var totals: [String: Int]
        /// What the operator should know about the range (nights already in the ledger…).
        public var notes: [String] = []
    }

    /// Plays every night from `from` to `to` on an in-memory copy of the ledger.
    public static func run(options: NightOptions, from: Day, to: Day, includeHeld: Bool = false) throws -> Result {
        guard from <= to else { throw ReguaError(.refused, "--from \(from.iso) is after --to \(to.iso)") }
        guard to.days(since: from) <= 3660 else { throw ReguaError(.refused, "simulate at most ten years at a time") }
        // The same reading as `run` (rule book, inputs, issued boletos checked), so a simulated
        // or explained night sees the titles a real one would.
        let loaded = try NightInputs.load(options: options, logger: Logger(label: "regua"))
        let (book, inputs) = (loaded.book, loaded.inputs)
        let ledger = try scratchLedger(options.statePath)
        let settlements = try ledger.settlements(upTo: to)
        let titles = NightInputs.applying(settlements: settlements, to: inputs.titles)
        var lines: [Line] = []
        var totals: [String: Int] = [:]
        var notes: [String] = []
        // Nights already in the ledger were decided for real: they are shown as recorded (what
        // went out), and the play goes on from the night after the last one.
        if let last = try ledger.lastNight(), last.night >= from {
            let end = min(last.night, to)
            let recorded = recordedLines(try ledger.actions(from: from, to: end, sentOnly: true), book: book)
            for l in recorded { totals["\(l.step)/\(l.channel)", default: 0] += 1 }
            lines += recorded
            notes.append(
                (from == end ? "night \(from.iso) is" : "nights \(from.iso) to \(end.iso) are")
                    + " already in the ledger (last night \(last.night.iso)): "
                    + "they are shown as recorded, not replayed; the simulation plays the nights after it")
        }
        let scope = HistoryScope.night(titles: titles)
        var night = from
        while night <= to {
            if let last = try ledger.lastNight(), last.night >= night {
                night = night.adding(days: 1)
                continue  // already decided for real: shown above as recorded
            }
            let history = try ledger.history(before: night, scope: scope)
            let d = NightDecider(book: book, asOf: night).decide(
                customers: inputs.customers, titles: titles, history: history)
            for m in d.messages {
                lines.append(
                    Line(
                        night: night.iso, customerID: m.customer.id.raw, channel: m.channel.rawValue,
                        step: m.step.id, titleIDs: m.titles.map(\.title.id.raw), held: nil, recorded: nil))
                totals["\(m.step.id)/\(m.channel.rawValue)", default: 0] += 1
            }
            if includeHeld { lines += heldLines(d, night: night, book: book) }
            for r in d.remittances {
                lines.append(
                    Line(
                        night: night.iso, customerID: r.customer.id.raw, channel: "bank",
                        step: r.stepID ?? "bank:\(r.instruction.rawValue)", titleIDs: [r.title.title.id.raw], held: nil,
                        recorded: nil))
                totals["\(r.stepID ?? r.instruction.rawValue)/bank", default: 0] += 1
            }
            for l in escalationLines(d.actions, night: night, recorded: nil) {
                lines.append(l)
                totals["\(l.step)/\(l.channel)", default: 0] += 1
            }
            _ = try ledger.commit(
                NightCommit(
                    night: night, rulesHash: book.hash, inputsHash: "simulation", forced: false,
                    exitCode: 0, actions: d.actions,
                    instructions: d.remittances.map { ($0.title.title.id, $0.instruction, $0.title.title.dueDate) }))
            night = night.adding(days: 1)
        }
        return Result(from: from.iso, to: to.iso, lines: lines, totals: totals, notes: notes)
    }

    /// The held lines of a night as `run` reports them: the messages held whole (quiet day,
    /// minimum, cap…) and the (title, step) pairs held before any message existed (`opt_out`,
    /// `no_contact`, …), one line per customer, step and reason.
    static func heldLines(_ d: NightDecision, night: Day, book: RuleBook) -> [Line] {
        var lines: [Line] = []
        var inHeldMessage: Set<String> = []
        for (m, r) in d.heldMessages {
            lines.append(
                Line(
                    night: night.iso, customerID: m.customer.id.raw, channel: m.channel.rawValue,
                    step: m.step.id, titleIDs: m.titles.map(\.title.id.raw), held: r.rawValue))
            for t in m.titles { inHeldMessage.insert(m.customer.id.raw + "\u{0}" + t.title.id.raw) }
        }
        struct Key: Hashable {
            var customer: String
            var step: String
            var reason: String
        }
        var groups: [Key: [String]] = [:]
        var order: [Key] = []
        for a in d.actions where a.kind == .held {
            guard let reason = a.reason, !inHeldMessage.contains(a.customerID.raw + "\u{0}" + a.titleID.raw) else {
                continue
            }
            let key = Key(customer: a.customerID.raw, step: a.stepID, reason: reason.rawValue)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(a.titleID.raw)
        }
        for k in order {
            let step = book.step(k.step)
            let channel = step?.channel?.rawValue ?? "bank"
            lines.append(
                Line(
                    night: night.iso, customerID: k.customer, channel: channel, step: k.step,
                    titleIDs: groups[k]!, held: k.reason))
        }
        return lines
    }

    /// Lines for nights already in the ledger: one per message sent (its titles, spoken for by
    /// the most advanced of their steps) and one per bank instruction.
    static func recordedLines(_ actions: [LedgerAction], book: RuleBook) -> [Line] {
        var lines: [Line] = []
        var byMessage: [String: Int] = [:]
        for la in actions where la.action.kind == .sent {
            let a = la.action
            if let id = a.messageID, let c = a.channel {
                if let i = byMessage[id] {
                    lines[i].titleIDs.append(a.titleID.raw)
                    if let current = book.step(lines[i].step), let next = book.step(a.stepID),
                        (next.offset, next.index) > (current.offset, current.index)
                    {
                        lines[i].step = a.stepID
                    }
                } else {
                    byMessage[id] = lines.count
                    lines.append(
                        Line(
                            night: la.night.iso, customerID: a.customerID.raw, channel: c.rawValue, step: a.stepID,
                            titleIDs: [a.titleID.raw], held: nil, recorded: true))
                }
            } else if a.instruction != nil {
                lines.append(
                    Line(
                        night: la.night.iso, customerID: a.customerID.raw, channel: "bank", step: a.stepID,
                        titleIDs: [a.titleID.raw], held: nil, recorded: true))
            } else {
                lines += escalationLines([a], night: la.night, recorded: true)
            }
        }
        return lines
    }

    /// One line per bureau record (`bureau`: an include, or an exclusion `bureau:exclude`) and
    /// per hand-off (`handoff`) among a night's sent actions.
    static func escalationLines(_ actions: [Action], night: Day, recorded: Bool?) -> [Line] {
        actions.compactMap { a in
            guard a.kind == .sent, a.bureau != nil || a.handoff != nil else { return nil }
            return Line(
                night: night.iso, customerID: a.customerID.raw, channel: a.handoff != nil ? "handoff" : "bureau",
                step: a.stepID, titleIDs: [a.titleID.raw], held: nil, recorded: recorded)
        }
    }

    /// Why one customer gets what on a night, against the real ledger's history (read only).
    public static func explain(options: NightOptions, customerID: String, asOf: Day?) throws -> CustomerExplanation {
        // The same reading as `run` (rule book, inputs, issued boletos checked), so a simulated
        // or explained night sees the titles a real one would.
        let loaded = try NightInputs.load(options: options, logger: Logger(label: "regua"))
        let (book, inputs) = (loaded.book, loaded.inputs)
        guard let customer = inputs.customers.first(where: { $0.id.raw == customerID }) else {
            let rejected = RejectedRowLookup.rows(
                path: options.customers, column: "customer_id", value: customerID, rejects: inputs.rejects)
            let file = (options.customers as NSString).lastPathComponent
            guard !rejected.isEmpty else {
                throw ReguaError(.refused, "o cliente '\(customerID)' não está em \(file)")
            }
            let rows = rejected.map { r in
                "a linha \(r.line) de \(r.file) foi rejeitada" + (r.column.isEmpty ? "" : " (coluna \(r.column))")
                    + ": \(r.reason)"
            }
            throw ReguaError(
                .refused,
                "o cliente '\(customerID)' não entra nesta noite: " + rows.joined(separator: "; ")
                    + ". Corrija a linha em \(file) e rode de novo; os títulos dele também ficam de fora enquanto isso."
            )
        }
        let night = asOf ?? NightRunner.today(in: book.timeZone)
        let ledger = try readOnlyLedger(options.statePath)
        let titles = NightInputs.applying(
            settlements: try ledger.settlements(upTo: night),
            to: inputs.titles.filter { $0.customerID == customer.id })
        var e = NightDecider(book: book, asOf: night).explain(
            customer: customer, titles: titles,
            history: try ledger.history(before: night, scope: .night(titles: titles)))
        e.rejectedRows = RejectedRowLookup.rows(
            path: options.receivables, column: "customer_id", value: customerID, rejects: inputs.rejects)
        e.account = ExplainAccount.lines(e, book: book)
        return e
    }

    /// A ledger to play nights on for `state` (a path or a `postgres://` URL), never recorded:
    /// an in-memory copy of an SQLite file (missing: empty), or an uncommitted PostgreSQL
    /// transaction.
    static func scratchLedger(_ state: String) throws -> any Ledger {
        do {
            return try LedgerLocation(state: state).openScratch()
        } catch let e as LedgerError {
            throw ReguaError(.io, e.description)
        }
    }

    /// The ledger `state` names opened read-only (missing: empty), for commands that never record.
    static func readOnlyLedger(_ state: String) throws -> any Ledger {
        do {
            return try LedgerLocation(state: state).openForReading()
        } catch let e as LedgerError {
            throw ReguaError(.io, e.description)
        }
    }
}
