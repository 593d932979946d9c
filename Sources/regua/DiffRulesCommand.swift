import ArgumentParser
import Foundation
import Regua

/// `regua diff-rules`: what a rule change would change on one night.
struct DiffRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff-rules",
        abstract: "Decide one night under two rule books and report, title by title, what changes.",
        discussion: """
            Both books decide the same inputs against the ledger opened read-only; nothing is written \
            or recorded. Changes: added (a step only under NEW), removed (only under OLD), moved_step, \
            moved_channel, held_changed (held back for another reason), counted by the new book's profile.
            """)

    @Argument(help: "The current rule book folder.")
    var oldDir: String
    @Argument(help: "The proposed rule book folder.")
    var newDir: String
    @Option(help: "The night (YYYY-MM-DD); default: today in the new book's time zone.")
    var asOf: String?
    @Option(help: "customers.csv")
    var customers = "fixtures/customers.csv"
    @Option(help: "receivables.csv")
    var receivables = "fixtures/receivables.csv"
    @Option(help: "The ledger (SQLite file); only read.")
    var state = "var/regua.sqlite"
    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    func run() throws {
        let options = NightOptions(customers: customers, receivables: receivables, statePath: state)
        let result = try RuleDiff.run(
            oldRules: oldDir, newRules: newDir, options: options,
            asOf: try asOf.map { try parseDay($0, flag: "--as-of") })
        if json {
            try printJSON(result)
        } else {
            print(result.text, terminator: "")
        }
    }
}
