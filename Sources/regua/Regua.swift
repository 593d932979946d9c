import ArgumentParser
import Regua

@main
struct ReguaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "regua", abstract: "Nightly dunning pipeline.")
}
