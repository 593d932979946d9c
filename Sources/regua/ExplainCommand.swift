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
        // The account is for the finance analyst: Brazilian Portuguese, dates dd/mm/aaaa.
        for line in e.account { print(line) }
    }
}

/// The `--json` shape of `regua explain`.
struct ExplainJSON: Encodable {
    struct StepV: Encodable { var step: String; var verdict: String }
    struct T: Encodable {
        var titleId: String, status: String, dueDate: String, effectiveDueDate: String, daysOverdue: Int
        var outstanding: String, updatedAmount: String, suppressed: String?, steps: [StepV]
        /// Added: the due date as dd/mm/aaaa, and the situation in words (nil when not dunned).
        var dueDateBr: String, situationBr: String?
    }
    struct Failed: Encodable { var condition: String, value: String }
    struct P: Encodable { var profile: String, matched: Bool, failed: [Failed] }
    struct R: Encodable { var file: String, line: Int, column: String, reason: String, titleId: String? }
    struct M: Encodable { var messageId: String, channel: String, step: String, titleIds: [String], heldBack: String? }
    var customerId: String
    var profile: String
    var profileTrail: [String: Bool]
    var facts: [String: String]
    var titles: [T]
    var messages: [M]
    /// Added: every profile tried with the conditions that failed and the customer's values.
    var profileConditions: [P]
    /// Added: rows of receivables.csv for this customer that were rejected.
    var rejectedRows: [R]
    /// Added: the account as `regua explain` prints it, in Brazilian Portuguese.
    var account: [String]

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
                suppressed: t.suppressed,
                steps: t.steps.map { StepV(step: $0.stepID, verdict: $0.verdict.description) },
                dueDateBr: t.dueDate.br,
                situationBr: t.suppressed == nil ? BrazilianFormat.situation(daysOverdue: t.daysOverdue) : nil
            )
        }
        messages = e.messages.map {
            M(
                messageId: $0.id, channel: $0.channel.rawValue, step: $0.step,
                titleIds: $0.titles.map(\.raw), heldBack: $0.heldBy?.rawValue)
        }
        profileConditions = e.profileChecks.map {
            P(
                profile: $0.profile, matched: $0.matched,
                failed: $0.failed.map { Failed(condition: $0.condition, value: $0.value) })
        }
        rejectedRows = e.rejectedRows.map {
            R(file: $0.file, line: $0.line, column: $0.column, reason: $0.reason, titleId: $0.titleID)
        }
        account = e.account
    }
}
