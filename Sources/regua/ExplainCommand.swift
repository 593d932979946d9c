import ArgumentParser
import Foundation
import Regua

/// `regua explain`: why a customer gets what tonight.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain one customer's night: profile and why, each title, each step's verdict.",
        discussion: "Reads the ledger without changing it.")

    @Argument(help: "The customer_id.")
    var customerID: String
    @Option(help: "The night (YYYY-MM-DD); default: today in the rule book's time zone.")
    var asOf: String?
    @OptionGroup var data: DataOptions
    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    func run() throws {
        let options = data.nightOptions
        let e = try Simulation.explain(
            options: options, customerID: customerID,
            asOf: try asOf.map { try parseDay($0, flag: "--as-of") })
        if json {
            try printJSON(ExplainJSON(e))
            return
        }
        print("Customer \(e.customerID.raw): profile \(e.profile)")
        for (p, ok) in e.profileTrail { print("  profile \(p): \(ok ? "matches" : "does not match")") }
        print(
            "  facts: late_payments_12m=\(e.facts.latePayments12m) total_overdue=\(e.facts.totalOverdue.br) oldest_days_overdue=\(e.facts.oldestDaysOverdue)"
        )
        for t in e.titles {
            print(
                "  title \(t.titleID.raw) [\(t.status.rawValue)] due \(t.dueDate.br), effective \(t.effectiveDueDate.br), \(t.daysOverdue) days overdue, outstanding \(t.outstanding.br), updated \(t.updatedAmount.br)"
            )
            if let s = t.suppressed { print("    not dunned: \(s)") }
            for (step, v) in t.steps { print("    \(step): \(v)") }
        }
        for m in e.messages {
            print(
                "  message \(m.id) by \(m.channel.rawValue), step \(m.step), titles \(m.titles.map(\.raw).joined(separator: ","))"
                    + (m.heldBy.map { " — held back: \($0.rawValue)" } ?? ""))
        }
    }
}

/// The `--json` shape of `regua explain`.
struct ExplainJSON: Encodable {
    struct StepV: Encodable { var step: String; var verdict: String }
    struct T: Encodable {
        var titleId: String, status: String, dueDate: String, effectiveDueDate: String, daysOverdue: Int
        var outstanding: String, updatedAmount: String, suppressed: String?, steps: [StepV]
    }
    struct M: Encodable { var messageId: String, channel: String, step: String, titleIds: [String], heldBack: String? }
    var customerId: String
    var profile: String
    var profileTrail: [String: Bool]
    var facts: [String: String]
    var titles: [T]
    var messages: [M]

    init(_ e: CustomerExplanation) {
        customerId = e.customerID.raw
        profile = e.profile
        profileTrail = Dictionary(e.profileTrail.map { ($0.profile, $0.matched) }, uniquingKeysWith: { a, _ in a })
        facts = [
            "late_payments_12m": String(e.facts.latePayments12m), "total_overdue": e.facts.totalOverdue.plain,
            "oldest_days_overdue": String(e.facts.oldestDaysOverdue),
        ]
        titles = e.titles.map { t in
            T(
                titleId: t.titleID.raw, status: t.status.rawValue, dueDate: t.dueDate.iso,
                effectiveDueDate: t.effectiveDueDate.iso,
                daysOverdue: t.daysOverdue, outstanding: t.outstanding.plain, updatedAmount: t.updatedAmount.plain,
                suppressed: t.suppressed, steps: t.steps.map { StepV(step: $0.stepID, verdict: $0.verdict.description) }
            )
        }
        messages = e.messages.map {
            M(
                messageId: $0.id, channel: $0.channel.rawValue, step: $0.step,
                titleIds: $0.titles.map(\.raw), heldBack: $0.heldBy?.rawValue)
        }
    }
}
