import ArgumentParser
import Foundation
import Regua

/// `regua simulate`: the ladder played night by night on a scratch ledger.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Play the ladder night by night on a scratch copy of the ledger: who gets what, when.",
        discussion: "Nothing is written or recorded; the real ledger is only read.")

    @Option(help: "First night (YYYY-MM-DD).")
    var from: String
    @Option(help: "Last night (YYYY-MM-DD).")
    var to: String
    @OptionGroup var data: DataOptions
    @Flag(help: "Also list messages held back, with the reason.")
    var showHeld = false
    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    func run() throws {
        let options = data.nightOptions
        let r = try Simulation.run(
            options: options, from: try parseDay(from, flag: "--from"),
            to: try parseDay(to, flag: "--to"), includeHeld: showHeld)
        if json {
            try printJSON(r)
            return
        }
        for n in r.notes { print("note: \(n)") }
        for l in r.lines {
            print(
                "\(l.night)  \(l.channel.padding(toLength: 6, withPad: " ", startingAt: 0))  \(l.step.padding(toLength: 16, withPad: " ", startingAt: 0))  customer \(l.customerID)  titles \(l.titleIDs.joined(separator: ","))"
                    + (l.held.map { "  (held: \($0))" } ?? "") + (l.recorded == true ? "  (recorded)" : ""))
        }
        print("Totals \(r.from) … \(r.to):")
        for k in r.totals.keys.sorted() { print("  \(k): \(r.totals[k]!)") }
    }
}
