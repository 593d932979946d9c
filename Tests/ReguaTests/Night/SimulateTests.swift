import Foundation
import Testing

@testable import Regua

/// `regua simulate` tells the same story as `regua run`: the same holds, and nights already in
/// the ledger shown as what was really sent.
@Suite struct SimulateTests {
    @Test func showHeldListsEveryHoldTheRunReports() throws {
        let ws = try Workspace()
        let run = try ws.run("2026-11-23", dryRun: true)
        let summary = try #require(run.summary)
        let sim = try Simulation.run(
            options: ws.options(), from: Day(iso: "2026-11-23")!, to: Day(iso: "2026-11-23")!, includeHeld: true)
        var heldTitles: [String: Int] = [:]
        for l in sim.lines { if let r = l.held { heldTitles[r, default: 0] += l.titleIDs.count } }
        let reported = Dictionary(uniqueKeysWithValues: summary.heldBack.map { ($0.reason, $0.titles) })
        #expect(heldTitles == reported)
        #expect(heldTitles["opt_out"] == 2)
        #expect(heldTitles["no_contact"] == 3)
        // Without --show-held, only what goes out.
        let plain = try Simulation.run(
            options: ws.options(), from: Day(iso: "2026-11-23")!, to: Day(iso: "2026-11-23")!)
        #expect(plain.lines.allSatisfy { $0.held == nil })
        let handedOff = summary.handoffs?.reduce(0) { $0 + $1.titles } ?? 0
        let bureau = (summary.bureau?.includes ?? 0) + (summary.bureau?.excludes ?? 0)
        #expect(plain.lines.count == summary.messages.total + summary.remittance.total + handedOff + bureau)
        #expect(plain.lines.filter { $0.channel == "handoff" }.count == handedOff && handedOff == 1)
    }

    @Test func nightsAlreadyInTheLedgerAreShownAsRecorded() throws {
        let ws = try Workspace()
        let real = try #require(try ws.run("2026-11-23").summary)
        let sim = try Simulation.run(options: ws.options(), from: Day(iso: "2026-11-23")!, to: Day(iso: "2026-11-30")!)
        #expect(sim.notes.count == 1)
        #expect(sim.notes[0].contains("night 2026-11-23 is already in the ledger"), "\(sim.notes)")
        let recorded = sim.lines.filter { $0.recorded == true }
        #expect(recorded.allSatisfy { $0.night == "2026-11-23" })
        let escalation: Set<String> = ["bank", "bureau", "handoff"]
        #expect(recorded.filter { !escalation.contains($0.channel) }.count == real.messages.total)
        // The shipped night hands one title to the agency; the bureau's include waits for its notice.
        #expect(recorded.filter { $0.channel == "handoff" }.count == real.handoffs?.reduce(0) { $0 + $1.titles })
        #expect(recorded.filter { $0.channel == "handoff" }.map(\.titleIDs) == [["NF-10408"]])
        #expect(
            recorded.filter { $0.channel == "bureau" }.count == (real.bureau?.includes ?? 0)
                + (real.bureau?.excludes ?? 0))
        #expect(recorded.filter { $0.channel == "bank" }.count == real.remittance.total)
        // The titles of each recorded message are the ones the ledger has for it.
        let sentTitles = try ws.allActions().filter { $0.action.kind == .sent }.map(\.action.titleID.raw).sorted()
        #expect(recorded.flatMap(\.titleIDs).sorted() == sentTitles)
        // The nights after it are played, not recorded.
        #expect(sim.lines.contains { $0.night > "2026-11-23" && $0.recorded == nil })
        #expect(sim.lines.allSatisfy { ($0.night > "2026-11-23") == ($0.recorded == nil) })
        #expect(sim.totals.values.reduce(0, +) == sim.lines.count)
    }
}
