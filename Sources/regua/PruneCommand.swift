import ArgumentParser
import Foundation
import Regua

/// `regua prune`: removes old published night folders (personal data) and records it.
struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove published night folders older than --keep-days (they hold personal data) and record it.",
        discussion: """
            Removes OUT/YYYY-MM-DD and OUT/YYYY-MM-DD.replaced-… of nights before AS-OF minus N days, records \
            the prune in the ledger (table prunes) and moves the state of titles not seen in the receivables \
            since then to the archive tables. The ledger itself keeps no names, documents, e-mails or phones.
            """)

    @Option(help: "Nights of folders to keep (at least 1).")
    var keepDays: Int
    @Option(help: "Output folder holding the nights.")
    var out = "out"
    @Option(help: "The ledger: an SQLite file, or a postgres:// URL (password from PGPASSWORD or ~/.pgpass).")
    var state = "var/regua.sqlite"
    @Option(help: "The day ages are counted from (YYYY-MM-DD); default: today in São Paulo.")
    var asOf: String?
    @Flag(help: "List what would be removed and archived; remove and record nothing.")
    var dryRun = false
    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    func run() throws {
        let day = try asOf.map { try parseDay($0, flag: "--as-of") } ?? NightRunner.today(in: "America/Sao_Paulo")
        let r = try Prune.run(outDir: out, statePath: state, keepDays: keepDays, asOf: day, dryRun: dryRun)
        if json {
            try printJSON(PruneJSON(r, dryRun: dryRun))
            return
        }
        let verb = dryRun ? "would remove" : "removed"
        print(
            "Prune \(dryRun ? "(dry run) " : "")of nights before \(r.cutoff): \(verb) \(r.folders.count) folder(s) from \(out), \(dryRun ? "would archive" : "archived") \(r.titlesArchived) title(s) not seen since."
        )
        for f in r.folders { print("  \(f)") }
    }
}

/// The `--json` shape of `regua prune`.
struct PruneJSON: Encodable {
    var asOf: String
    var keepDays: Int
    var cutoff: String
    var dryRun: Bool
    var folders: [String]
    var titlesArchived: Int

    init(_ r: PruneRecord, dryRun: Bool) {
        asOf = r.asOf
        keepDays = r.keepDays
        cutoff = r.cutoff
        self.dryRun = dryRun
        folders = r.folders
        titlesArchived = r.titlesArchived
    }
}
