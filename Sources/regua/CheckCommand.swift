import ArgumentParser
import Foundation
import Regua

/// `regua check`: validate the rule book and render every template with sample data.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the rule book and render every template of every step with sample data.",
        discussion: "Exit 0 when clean, 2 on any error; every error as FILE:LINE:COLUMN: message.")

    @Option(help: "Rule book folder.")
    var rules = "rules"
    @Option(help: "Write one rendered sample per step and channel (.eml, SMS text, letters.pdf) into this folder.")
    var preview: String?
    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    func run() throws {
        let report = try RuleCheck.run(rulesDir: rules, previewDir: preview)
        if json {
            try printJSON(report)
        } else {
            for e in report.errors { FileHandle.standardError.write(Data((e + "\n").utf8)) }
            for w in report.warnings { FileHandle.standardError.write(Data(("warning: " + w + "\n").utf8)) }
            if report.ok {
                print(
                    "Rule book \(rules) is valid: \(report.rendered.count) step/channel templates rendered with sample data."
                )
            } else {
                print("Rule book \(rules): \(report.errors.count) error(s).")
            }
            for f in report.previewFiles { print("  preview: \(f)") }
        }
        if !report.ok { throw ExitCode(2) }
    }
}
