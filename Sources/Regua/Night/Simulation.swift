import Foundation
import Logging

/// `regua simulate` and `regua explain`: the decider played on a scratch copy of the ledger,
/// so nothing real is written or recorded.
public enum Simulation {
    /// One message (or bank instruction) of a simulated night.
    public struct Line: Codable, Sendable {
        /// The night, as an ISO date.
        public var night: String
        /// The customer's id.
        public var customerID: String
        /// `email`, `sms`, `letter`, or `bank` for an instruction.
        public var channel: String
        /// The step that speaks for the message, or the instruction's step.
        public var step: String
        /// The titles of the message or instruction.
        public var titleIDs: [String]
        /// The hold reason, for a held message shown with `--show-held`.
        public var held: String?
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
        let scope = HistoryScope.night(titles: titles)
        var night = from
        while night <= to {
            if let last = try ledger.lastNight(), last.night >= night {
                night = night.adding(days: 1)
                continue  // already decided for real: the scratch ledger has it
            }
            let history = try ledger.history(before: night, scope: scope)
            let d = NightDecider(book: book, asOf: night).decide(
                customers: inputs.customers, titles: titles, history: history)
            for m in d.messages {
                lines.append(
                    Line(
                        night: night.iso, customerID: m.customer.id.raw, channel: m.channel.rawValue,
                        step: m.step.id, titleIDs: m.titles.map(\.title.id.raw), held: nil))
                totals["\(m.step.id)/\(m.channel.rawValue)", default: 0] += 1
            }
            if includeHeld {
                for (m, r) in d.heldMessages {
                    lines.append(
                        Line(
                            night: night.iso, customerID: m.customer.id.raw, channel: m.channel.rawValue,
                            step: m.step.id, titleIDs: m.titles.map(\.title.id.raw), held: r.rawValue))
                }
            }
            for r in d.remittances {
                lines.append(
                    Line(
                        night: night.iso, customerID: r.customer.id.raw, channel: "bank",
                        step: r.stepID ?? "bank:\(r.instruction.rawValue)", titleIDs: [r.title.title.id.raw], held: nil)
                )
                totals["\(r.stepID ?? r.instruction.rawValue)/bank", default: 0] += 1
            }
            _ = try ledger.commit(
                NightCommit(
                    night: night, rulesHash: book.hash, inputsHash: "simulation", forced: false,
                    exitCode: 0, actions: d.actions,
                    instructions: d.remittances.map { ($0.title.title.id, $0.instruction, $0.title.title.dueDate) }))
            night = night.adding(days: 1)
        }
        return Result(from: from.iso, to: to.iso, lines: lines, totals: totals)
    }

    /// Why one customer gets what on a night, against the real ledger's history (read only).
    public static func explain(options: NightOptions, customerID: String, asOf: Day?) throws -> CustomerExplanation {
        // The same reading as `run` (rule book, inputs, issued boletos checked), so a simulated
        // or explained night sees the titles a real one would.
        let loaded = try NightInputs.load(options: options, logger: Logger(label: "regua"))
        let (book, inputs) = (loaded.book, loaded.inputs)
        guard let customer = inputs.customers.first(where: { $0.id.raw == customerID }) else {
            let rejected = inputs.rejects.first { $0.file == options.customers && $0.reason.contains(customerID) }
            throw ReguaError(
                .refused,
                "customer '\(customerID)' is not in \(options.customers)"
                    + (rejected.map { " (a row was rejected: line \($0.line): \($0.reason))" } ?? ""))
        }
        let night = asOf ?? NightRunner.today(in: book.timeZone)
        let ledger = try readOnlyLedger(options.statePath)
        let titles = NightInputs.applying(
            settlements: try ledger.settlements(upTo: night),
            to: inputs.titles.filter { $0.customerID == customer.id })
        return NightDecider(book: book, asOf: night).explain(
            customer: customer, titles: titles,
            history: try ledger.history(before: night, scope: .night(titles: titles)))
    }

    /// A writable in-memory copy of the ledger at `path` (missing: empty); the file is only read.
    static func scratchLedger(_ path: String) throws -> SQLiteLedger {
        do {
            return try SQLiteLedger(inMemoryCopyOf: try SQLiteLedger.forReading(path: path))
        } catch let e as LedgerError {
            throw ReguaError(.io, e.description)
        }
    }

    /// The ledger at `path` opened read-only (missing: empty), for commands that never record.
    static func readOnlyLedger(_ path: String) throws -> SQLiteLedger {
        do {
            return try SQLiteLedger.forReading(path: path)
        } catch let e as LedgerError {
            throw ReguaError(.io, e.description)
        }
    }
}
