import ArgumentParser
import Foundation
import Regua

/// `regua stats`: step effectiveness from the ledger.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract:
            "How well each step and each experiment arm worked: titles reached, paid within 7, 15 and 30 days, money recovered.",
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
        let fees = Stats.feesReceived(
            try Regua.InputReader.read(
                customers: options.customers, receivables: options.receivables
            ).titles, from: first, to: last)
        let negotiation = try Stats.negotiation(options: options, from: first, to: last)
        if json {
            try printJSON(
                StatsJSON(
                    from: first?.iso, to: last?.iso, steps: rows, feesReceived: fees, experiments: negotiation.arms,
                    offers: negotiation.offers))
            return
        }
        if rows.isEmpty {
            print("No step was sent in the period.")
        } else {
            print(EffectivenessStats.table(rows), terminator: "")
        }
        if !negotiation.arms.isEmpty { print(Self.armTable(negotiation.arms), terminator: "") }
        let o = negotiation.offers
        if o.made > 0 {
            print(
                "Ofertas: \(o.made) feitas (\(Money(decimal: o.cashOffered)?.br ?? o.cashOffered) à vista), \(o.paidByDeadline) pagas no prazo (\(Money(decimal: o.cashPaid)?.br ?? o.cashPaid))"
            )
        }
        if fees.titles > 0 {
            print(
                "Fees received (paid beyond the amount, multa and juros): \(Money(decimal: fees.amount)?.br ?? fees.amount) on \(fees.titles) titles"
            )
        }
    }
}

extension StatsCommand {
    /// Champion and challenger side by side, with the sample sizes.
    static func armTable(_ arms: [ArmStats]) -> String {
        var out =
            "Experimento    braço        clientes  títulos  pagos 7d  pagos 15d  pagos 30d  mensagens  recuperado  por mensagem\n"
        for a in arms {
            func pct(_ s: Double) -> String { String(format: "%5.1f%%", s * 100) }
            out +=
                [
                    a.experiment.padding(toLength: 14, withPad: " ", startingAt: 0),
                    a.arm.padding(toLength: 12, withPad: " ", startingAt: 0),
                    String(a.customers).padding(toLength: 9, withPad: " ", startingAt: 0),
                    String(a.titlesReached).padding(toLength: 8, withPad: " ", startingAt: 0),
                    pct(a.share7).padding(toLength: 9, withPad: " ", startingAt: 0),
                    pct(a.share15).padding(toLength: 10, withPad: " ", startingAt: 0),
                    pct(a.share30).padding(toLength: 10, withPad: " ", startingAt: 0),
                    String(a.messages).padding(toLength: 10, withPad: " ", startingAt: 0),
                    (Money(decimal: a.recovered)?.br ?? a.recovered).padding(toLength: 11, withPad: " ", startingAt: 0),
                    Money(decimal: a.recoveredPerMessage)?.br ?? a.recoveredPerMessage,
                ].joined(separator: " ") + "\n"
        }
        if arms.contains(where: { $0.customers < 100 }) {
            out += "Atenção: um braço com menos de 100 clientes não basta para declarar um vencedor.\n"
        }
        return out
    }
}

/// The `--json` shape of `regua stats`: open bounds are `null`.
struct StatsJSON: Encodable {
    var from: String?
    var to: String?
    var steps: [StepEffectiveness]
    var feesReceived: Stats.FeesReceived
    var experiments: [ArmStats]
    var offers: OfferStats

    enum CodingKeys: String, CodingKey { case from, to, steps, feesReceived, experiments, offers }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(steps, forKey: .steps)
        try c.encode(feesReceived, forKey: .feesReceived)
        try c.encode(experiments, forKey: .experiments)
        try c.encode(offers, forKey: .offers)
    }
}
