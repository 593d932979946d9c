import ArgumentParser
import Foundation
import Regua

/// `regua stats`: step effectiveness from the ledger.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "How well each step worked: titles reached and paid within 3, 7 and 15 days, money recovered.",
        discussion: """
            A title is reached by a step on the first night the ledger recorded it sent within --from … --to \
            (open when omitted); its payment date is the bank's settlement, else the receivables' paid_date. \
            Only reads: the ledger must exist (exit 3) and nothing is recorded.
            """)

    @Option(help: "First night counted (YYYY-MM-DD); default: the first recorded.")
    var from: String?
    @Option(help: "Last night counted (YYYY-MM-DD); default: the last recorded.")
    var to: String?
    @OptionGroup var data: DataOptions
    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    func run() throws {
        let options = data.nightOptions
        let (first, last) = (
            try from.map { try parseDay($0, flag: "--from") }, try to.map { try parseDay($0, flag: "--to") }
        )
        let rows = try Stats.run(options: options, from: first, to: last)
        let fees = Stats.feesReceived(try Regua.InputReader.read(
            customers: options.customers, receivables: options.receivables).titles, from: first, to: last)
        if json {
            try printJSON(StatsJSON(from: first?.iso, to: last?.iso, steps: rows, feesReceived: fees))
            return
        }
        if rows.isEmpty {
            print("No step was sent in the period.")
        } else {
            print(EffectivenessStats.table(rows), terminator: "")
        }
        if fees.titles > 0 {
            print(
                "Fees received (paid beyond the amount, multa and juros): \(Money(decimal: fees.amount)?.br ?? fees.amount) on \(fees.titles) titles"
            )
        }
    }
}

/// The `--json` shape of `regua stats`: open bounds are `null`.
struct StatsJSON: Encodable {
    var from: String?
    var to: String?
    var steps: [StepEffectiveness]
    var feesReceived: Stats.FeesReceived

    enum CodingKeys: String, CodingKey { case from, to, steps, feesReceived }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(steps, forKey: .steps)
        try c.encode(feesReceived, forKey: .feesReceived)
    }
}
