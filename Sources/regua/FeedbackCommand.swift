import ArgumentParser
import Foundation
import Regua

/// `regua feedback`: reads bounces, delivery reports, returned letters and WhatsApp statuses (SPEC §7).
struct FeedbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: "Read what the gateways and the post sent back; mark contacts that no longer work.",
        discussion: """
            A hard bounce (DSN Action: failed, 5.x.x), three soft bounces (4.x.x) of one address within 30 days, \
            two SMS reports 2 or 16 within 30 days, one returned letter or one failed WhatsApp status make the \
            contact unusable from the next night until customers.csv brings a different value. Reading the same \
            report twice changes nothing. Exit 0 done; 3 a source could not be read (nothing recorded from it).
            """)

    @Option(parsing: .upToNextOption, help: "Maildir folder(s) or mbox file(s) of DSN bounce reports.")
    var dsn: [String] = []
    @Option(
        name: .customLong("sms-dlr"), parsing: .upToNextOption,
        help: "CSV(s) of message_id,status,at (the dlr_url log).")
    var smsDLR: [String] = []
    @Option(parsing: .upToNextOption, help: "CSV(s) of returned letters: message_id,reason.")
    var returnedLetters: [String] = []
    @Option(parsing: .upToNextOption, help: "WhatsApp status objects, one JSON per line.")
    var whatsappStatus: [String] = []
    @Option(help: "Folder of the published nights.")
    var out = "out"
    @Option(help: "The ledger: an SQLite file, or a postgres:// URL (password from PGPASSWORD or ~/.pgpass).")
    var state = "var/regua.sqlite"
    @Flag(help: "Print one JSON document on stdout.")
    var json = false
    @OptionGroup var log: LogOptions

    func validate() throws {
        if dsn.isEmpty && smsDLR.isEmpty && returnedLetters.isEmpty && whatsappStatus.isEmpty {
            throw ValidationError("give at least one of --dsn, --sms-dlr, --returned-letters, --whatsapp-status")
        }
    }

    func run() throws {
        let options = FeedbackOptions(
            dsn: dsn, smsDLR: smsDLR, returnedLetters: returnedLetters, whatsappStatus: whatsappStatus,
            outDir: out, statePath: state)
        let report: FeedbackReport
        do {
            report = try FeedbackReader(options: options, logger: log.logger()).run()
        } catch let e as LedgerError {
            throw ReguaError(.io, e.description)
        }
        if json {
            try printJSON(report)
            return
        }
        var counts: [String: Int] = [:]
        for i in report.items { counts[i.outcome, default: 0] += 1 }
        print(
            "Read \(report.items.count) reports: "
                + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ".")
        for i in report.items where i.marked != nil {
            print("  customer \(i.customerID ?? "?"): \(i.marked!) (from night \(report.effectiveFrom))")
        }
    }
}
