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
    @Flag(help: "Print the Portuguese glossary of template variables (a Markdown table) and exit.")
    var glossary = false

    func run() throws {
        if glossary {
            print(TemplateGlossary.markdownTable, terminator: "")
            return
        }
        let report = try RuleCheck.run(rulesDir: rules, previewDir: preview)
        if json {
            try printJSON(report)
        } else {
            for e in report.errors { FileHandle.standardError.write(Data((e + "\n").utf8)) }
            // What the finance analyst reads: in Portuguese, like every error above.
            for w in report.warnings { FileHandle.standardError.write(Data(("aviso: " + w + "\n").utf8)) }
            if report.ok {
                print(
                    "Livro de regras \(rules) válido: \(report.rendered.count) modelos (degrau/canal) montados com dados de exemplo."
                )
            } else {
                let n = report.errors.count
                print("Livro de regras \(rules): \(n) \(n == 1 ? "erro" : "erros").")
            }
            for f in report.previewFiles { print("  prévia: \(f)") }
        }
        if !report.ok { throw ExitCode(2) }
    }
}
