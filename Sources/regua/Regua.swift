import ArgumentParser
import Foundation
import Logging
import Regua

/// `regua`: wires the subcommands; every one of them calls the library.
@main
struct ReguaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regua",
        abstract: "Nightly, rules-driven dunning pipeline (régua de cobrança).",
        discussion: """
            Exit codes: 0 done; 1 done with rejected input rows; 2 invalid rule book, flags or a refused \
            night (nothing done); 3 could not read or write (nothing recorded); 4 another run holds the ledger.
            """,
        version: "0.1.0",
        subcommands: [
            RunCommand.self, CheckCommand.self, ExplainCommand.self, SimulateCommand.self,
            DiffRulesCommand.self, StatsCommand.self, GenerateCommand.self, PruneCommand.self,
            DeliverCommand.self, FeedbackCommand.self, StatusCommand.self,
        ])

    /// Parses, runs, and maps every failure to SPEC §6's exit codes in this one place.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let e as ReguaError {
            FileHandle.standardError.write(Data(("regua: " + e.description + "\n").utf8))
            Foundation.exit(e.code.rawValue)
        } catch let e as ExitCode {
            Foundation.exit(e.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)  // --help, --version
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// Options every command that reads the night's data shares.
struct DataOptions: ParsableArguments {
    @Option(help: "Rule book folder (*.yaml and templates/).")
    var rules = "rules"
    @Option(help: "customers.csv")
    var customers = "fixtures/customers.csv"
    @Option(help: "receivables.csv")
    var receivables = "fixtures/receivables.csv"
    @Option(help: "The ledger (SQLite file).")
    var state = "var/regua.sqlite"

    /// These paths as the library's options (defaults for everything else).
    var nightOptions: NightOptions {
        NightOptions(rulesDir: rules, customers: customers, receivables: receivables, statePath: state)
    }
}

/// Logging to stderr at the chosen level.
struct LogOptions: ParsableArguments {
    @Option(
        help:
            "Log level: trace, debug, info, notice, warning, error, critical (default: info on a terminal, where it shows the night's progress; notice otherwise)."
    )
    var logLevel: String?

    func validate() throws {
        if let l = logLevel, Logger.Level(rawValue: l) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func logger() -> Logger {
        let level = logLevel.flatMap(Logger.Level.init(rawValue:)) ?? (isatty(STDERR_FILENO) == 1 ? .info : .notice)
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        var l = Logger(label: "regua")
        l.logLevel = level
        return l
    }
}

/// Parses `YYYY-MM-DD` for `--as-of`, `--from`, `--to`.
func parseDay(_ text: String, flag: String) throws -> Day {
    guard let d = Day(iso: text) else { throw ValidationError("\(flag) must be a date like 2026-11-23, not '\(text)'") }
    return d
}

/// Prints a JSON document on stdout.
func printJSON(_ value: some Encodable) throws {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    e.keyEncodingStrategy = .convertToSnakeCase
    FileHandle.standardOutput.write(try e.encode(value))
    FileHandle.standardOutput.write(Data("\n".utf8))
}
