import ArgumentParser
import Foundation
import Regua

/// `regua run`: the nightly job.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Decide the night and write out/<date>/ (e-mails, SMS, letters, remittance, reports).",
        discussion: """
            With no flags it runs the shipped example (rules/, fixtures/). A published night is final: \
            rerunning it with the same inputs does nothing; with different inputs it is refused (exit 2) \
            unless --force, which replaces the night and is recorded. Guards (exit 2, nothing done): a night \
            more than catch_up_days + 1 days after the last one (it would lose the nights between) unless \
            --accept-gap; a file with more rejected rows than policy.max_rejected_percent; a night over \
            policy.max_messages unless --force. Exit 1 when input rows were rejected (see rejects.csv).
            """)

    @Option(help: "The night (YYYY-MM-DD); default: today in the rule book's time zone.")
    var asOf: String?
    @OptionGroup var data: DataOptions
    @Option(name: .customLong("retorno"), parsing: .upToNextOption, help: "CNAB 240 return file(s) to read first.")
    var retorno: [String] = []
    @Option(help: "Output folder; the night goes to OUT/<date>/.")
    var out = "out"
    @Option(
        help:
            "Decide only the customers of shard K of N (0 <= K < N) and publish OUT/<date>/shard-K-of-N/; every shard of a night uses the same rule book and N."
    )
    var shard: String?
    @Flag(help: "Decide and report, write and record nothing.")
    var dryRun = false
    @Flag(
        help:
            "Replace a published night whose inputs or rule book changed, or send more than policy.max_messages (recorded in the ledger)."
    )
    var force = false
    @Flag(
        help:
            "Run a night more than catch_up_days + 1 days after the last one, letting the steps of the nights between go (recorded in the ledger)."
    )
    var acceptGap = false
    @Flag(help: "Print one JSON document on stdout.")
    var json = false
    @OptionGroup var log: LogOptions

    func run() throws {
        var options = NightOptions(
            asOf: try asOf.map { try parseDay($0, flag: "--as-of") }, rulesDir: data.rules,
            customers: data.customers, receivables: data.receivables, returnFiles: retorno,
            outDir: out, statePath: data.state, dryRun: dryRun, force: force, acceptGap: acceptGap)
        if let shard {
            guard let s = Shard(parsing: shard) else {
                throw ValidationError("--shard must be K/N with 0 <= K < N (e.g. 0/4), not '\(shard)'")
            }
            options.shard = s
        }
        let result = try NightRunner(options: options, logger: log.logger()).run()
        if json {
            try printJSON(RunJSON(result))
        } else {
            print(RunText.describe(result))
        }
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}

/// The `--json` shape of `regua run` (documented in the README).
struct RunJSON: Encodable {
    var outcome: String
    var asOf: String
    var folder: String?
    var exitCode: Int32
    var rejectedRows: Int
    var rejects: [RejectJSON]
    var notes: [String]
    var summary: Summary?
    var timings: StageTimings

    init(_ r: NightResult) {
        timings = r.timings
        outcome = r.outcome.rawValue
        asOf = r.asOf.iso
        folder = r.folder
        exitCode = r.exitCode
        rejectedRows = r.rejects.count
        rejects = r.rejects.map(RejectJSON.init)
        notes = r.notes
        summary = r.summary
    }
}

/// One refused input row in `run --json`.
struct RejectJSON: Encodable {
    var file: String
    var line: Int
    var column: String
    var customerID: String?
    var titleID: String?
    var reason: String

    init(_ r: Reject) {
        file = r.file
        line = r.line
        column = r.column
        customerID = r.customerID
        titleID = r.titleID
        reason = r.reason
    }

    enum CodingKeys: String, CodingKey {
        case file, line, column, customerID = "customerId", titleID = "titleId", reason
    }
}

/// The short human summary of a run.
enum RunText {
    static func describe(_ r: NightResult) -> String {
        var lines: [String] = []
        switch r.outcome {
        case .alreadyPublished:
            lines.append(
                "Night \(r.asOf.iso) was already published in \(r.folder ?? "") with the same inputs: nothing to do.")
        case .dryRun:
            lines.append("Dry run of night \(r.asOf.iso): nothing written, nothing recorded.")
        case .completed:
            lines.append("Night \(r.asOf.iso): finished an interrupted publication in \(r.folder ?? "").")
        case .republished:
            lines.append("Night \(r.asOf.iso): folder was missing; written again from the ledger in \(r.folder ?? "").")
        case .published:
            lines.append("Night \(r.asOf.iso) published in \(r.folder ?? "").")
        }
        if let s = r.summary {
            lines.append(
                "  input: \(s.inputs.customers) customers, \(s.inputs.titles) titles, \(s.inputs.rejectedRows) rejected rows"
            )
            lines.append(
                "  messages: \(s.messages.total) (e-mail \(s.messages.email), SMS \(s.messages.sms), letters \(s.messages.letter)\(s.messages.whatsapp.map { ", WhatsApp \($0)" } ?? "")) for \(Money(decimal: s.messages.outstanding)?.br ?? s.messages.outstanding) outstanding"
            )
            for st in s.steps where st.titlesSent + st.held + st.superseded > 0 {
                lines.append(
                    "  step \(st.step): \(st.titlesSent) titles sent, \(st.held) held, \(st.superseded) superseded")
            }
            if !s.heldBack.isEmpty {
                lines.append("  held back: " + s.heldBack.map { "\($0.reason) \($0.titles)" }.joined(separator: ", "))
            }
            if s.remittance.total > 0 {
                lines.append(
                    "  remittance: \(s.remittance.total) instructions in "
                        + s.remittance.files.map { "\($0.name) (NSA \($0.nsa))" }.joined(separator: ", "))
            }
            if let w = s.worklist, w.rows > 0 {
                lines.append(
                    "  worklist: \(w.rows) rows for \(w.customers) customers ("
                        + w.byIssue.map { "\($0.issue) \($0.rows)" }.joined(separator: ", ") + ")"
                        + (r.folder.map { "; see \($0)/worklist.csv" } ?? ""))
            }
            if s.quietDay { lines.append("  quiet day: every message is held back to the next allowed day") }
            if s.portfolio.feesReceivedTitles > 0 {
                lines.append(
                    "  fees received: \(Money(decimal: s.portfolio.feesReceived)?.br ?? s.portfolio.feesReceived) paid beyond the amount of \(s.portfolio.feesReceivedTitles) titles"
                )
            }
            if let o = s.overrides {
                if let gap = o.acceptedGap {
                    lines.append(
                        "  accepted gap: the steps of \(o.lostNights ?? 0) nights (\(gap)) after \(o.lastNightBefore ?? "") were let go (--accept-gap, recorded)"
                    )
                }
                if let max = o.forcedOverMaxMessages {
                    lines.append("  forced: more messages than policy.max_messages (\(max)) (--force, recorded)")
                }
            }
        }
        for n in r.notes { lines.append("  note: \(n)") }
        if !r.rejects.isEmpty {
            if let folder = r.folder {
                lines.append("  \(r.rejects.count) input rows rejected; see \(folder)/rejects.csv (exit 1)")
            } else {
                // A dry run writes no rejects.csv: show the rows here.
                lines.append("  \(r.rejects.count) input rows rejected (exit 1; a dry run writes no rejects.csv):")
                for reject in r.rejects.prefix(20) {
                    let column = reject.column.isEmpty ? "" : ", \(reject.column)"
                    lines.append("    \(reject.file):\(reject.line)\(column): \(reject.reason)")
                }
                if r.rejects.count > 20 {
                    lines.append("    … and \(r.rejects.count - 20) more (--json lists them all)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
