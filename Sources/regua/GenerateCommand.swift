import ArgumentParser
import Foundation
import Regua

/// `regua generate`: deterministic, realistic inputs for benchmarks and trials.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a deterministic customers.csv and receivables.csv of any size.",
        discussion: """
            Same arguments, same bytes. Valid CPF/CNPJ and phones, pt-BR names with accents, due dates \
            from 180 days before to 45 days after --as-of, partial payments, disputes, promises, \
            opt-outs, and about 0.5% bad rows.
            """)

    @Option(help: "Number of customers.")
    var customers: Int
    @Option(help: "Number of titles.")
    var titles: Int
    @Option(help: "Random seed.")
    var seed: UInt64 = 1
    @Option(help: "The night the data is built around (YYYY-MM-DD).")
    var asOf = "2026-11-23"
    @Option(help: "Output folder.")
    var out: String
    @Option(
        help: ArgumentHelp(
            "What the portfolio looks like: standard (the benchmark's data), or realistic (nosso número on 90% of the titles, fewer e-mails so letters are many, long accented names and addresses).",
            valueName: "standard|realistic"))
    var mix = "standard"

    func validate() throws {
        guard customers > 0, titles >= 0 else {
            throw ValidationError("--customers must be positive and --titles not negative")
        }
    }

    func run() throws {
        let day = try parseDay(asOf, flag: "--as-of")
        guard let mix = DataGenerator.Mix(rawValue: mix) else {
            throw ValidationError("--mix takes standard or realistic, not '\(self.mix)'")
        }
        do {
            let s = try DataGenerator(customers: customers, titles: titles, seed: seed, asOf: day, mix: mix).write(
                to: out)
            print(
                "Wrote \(out)/customers.csv (\(s.customers) rows, \(s.badCustomers) bad) and \(out)/receivables.csv (\(s.titles) rows, \(s.badTitles) bad)."
            )
        } catch let e as DataGenerator.WriteError {
            throw ReguaError(.io, e.description)
        }
    }
}
