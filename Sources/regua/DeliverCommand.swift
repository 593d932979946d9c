import ArgumentParser
import Foundation
import Regua

/// `regua deliver`: hands a published night's messages to the gateways (SPEC §7).
struct DeliverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Hand a published night's e-mails, SMS and WhatsApp messages to the gateways.",
        discussion: """
            Each message is recorded `uncertain` before it is handed over and `accepted` or `failed` after, \
            so a killed run never hands a message over twice: run it again and it goes on where it stopped. \
            Failed messages are tried again up to max_attempts; uncertain ones only with --resend-uncertain. \
            A sharded night is delivered from its published shard folders (all of them, or one with --shard); \
            a shard not published yet is listed and left for the next deliver. \
            Exit 0: everything accepted; 1: some message failed, gave up or is uncertain, or a shard is not \
            published yet (see --json); \
            2: refused (gateways file, flags, night not published); 3: cannot read or write; 4: another deliver runs.
            """)

    @Option(help: "The night (YYYY-MM-DD); default: the last published night.")
    var asOf: String?
    @Option(help: "The gateways file (YAML).")
    var gateways: String
    @Option(help: "Only these channels, comma-separated: email, sms, whatsapp.")
    var only: String?
    @Flag(help: "Hand over again the messages an interrupted run left uncertain (they may arrive twice).")
    var resendUncertain = false
    @Flag(help: "Say what would be handed over; hand over and record nothing.")
    var dryRun = false
    @Option(help: "Folder of the published nights.")
    var out = "out"
    @Option(help: "The ledger: an SQLite file, or a postgres:// URL (password from PGPASSWORD or ~/.pgpass).")
    var state = "var/regua.sqlite"
    @Option(
        help: ArgumentHelp(
            "Deliver only OUT/<date>/shard-K-of-N/ of a sharded night; without it, every published shard.",
            valueName: "K/N"))
    var shard: String?
    @Flag(help: "Print one JSON document on stdout.")
    var json = false
    @OptionGroup var log: LogOptions

    func run() throws {
        let only = try self.only.map { text -> Set<String> in
            let set = Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            for c in set where !Outbox.channels.contains(c) {
                throw ValidationError("--only takes email, sms, whatsapp; not '\(c)'")
            }
            return set
        }
        let shard = try self.shard.map { text -> Shard in
            guard let s = Shard(parsing: text) else {
                throw ValidationError("--shard must be K/N with 0 <= K < N (e.g. 0/4), not '\(text)'")
            }
            return s
        }
        let options = DeliveryOptions(
            asOf: try asOf.map { try parseDay($0, flag: "--as-of") }, only: only, resendUncertain: resendUncertain,
            dryRun: dryRun, outDir: out, statePath: state, shard: shard)
        let report: DeliveryReport
        do {
            let g = try Gateways.load(path: gateways)
            let terminal = isatty(STDERR_FILENO) == 1
            report = try Deliverer(options: options, gateways: g, logger: log.logger()).run { done, total, m in
                guard terminal else { return }
                FileHandle.standardError.write(
                    Data("\r\u{1B}[Kdeliver: \(done)/\(total) \(m.messageID) \(m.outcome.rawValue)".utf8))
                if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
            }
        } catch let e as RuleBookErrors {
            throw ReguaError(.refused, "gateways file \(gateways) is invalid", diagnostics: e.diagnostics)
        } catch let e as LedgerError {
            throw ReguaError(.io, e.description)
        }
        if json {
            try printJSON(report)
        } else {
            let counts = report.counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            print(
                "Night \(report.night)\(dryRun ? " (dry run: nothing handed over, nothing recorded)" : ""): "
                    + (counts.isEmpty ? "no messages" : counts.joined(separator: ", ")) + ".")
            if !report.unpublishedShards.isEmpty {
                print("  not published yet, delivered later: shard \(report.unpublishedShards.joined(separator: ", "))")
            }
            for m in report.messages where [.failed, .uncertain, .gaveUp, .heldUncertain].contains(m.outcome) {
                print("  \(m.messageID) \(m.channel): \(m.outcome.rawValue)\(m.answer.map { " — \($0)" } ?? "")")
            }
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
