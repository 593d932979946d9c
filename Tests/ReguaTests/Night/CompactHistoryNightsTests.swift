import Foundation
import GRDB
import Testing
@testable import Regua

/// The decider over random sequences of real nights (the shipped example, receivables edited
/// between nights, `--force` reruns): tonight's decision from the compact read equals the one
/// from the full reference read, action for action, every night.
@Suite(.serialized) struct CompactHistoryNightsTests {
    static let editable = ["NF-10311", "NF-10303", "NF-10266", "NF-10008", "NF-10277", "NF-10024", "NF-10312"]

    @Test(arguments: [11, 12] as [UInt64])
    func decisionsFromTheCompactReadEqualTheFullRead(seed: UInt64) throws {
        var r = CompactHistoryTests.Rand(state: seed)
        let w = try Workspace()
        var night = Day(iso: "2026-11-23")!
        var published: [Day] = []
        for _ in 0..<14 {
            var force = false
            if r.chance(20), let last = published.last {
                night = last  // the same night again with changed receivables: --force
                force = true
            }
            if r.chance(50) || force {
                let title = Self.editable[r.int(Self.editable.count)]
                if r.chance(70) {
                    try w.setReceivable(
                        title: title, column: "due_date", value: night.adding(days: r.int(40) - 30).iso)
                } else {
                    try w.setReceivable(title: title, column: "status", value: "disputed")
                }
            }
            let options = w.options(night.iso, force: force, acceptGap: true)  // nights are skipped on purpose
            let loaded = try NightInputs.load(options: options, logger: .init(label: "test"))
            let ledger = try SQLiteLedger.forReading(path: options.statePath)
            let titles = NightInputs.applying(
                settlements: try ledger.settlements(upTo: night.adding(days: -1)), to: loaded.inputs.titles)
            let reference = try ledger.dbQueue.read { db in try ReferenceHistory.read(db, before: night) }
            let compact = try ledger.history(before: night, scope: .night(titles: titles))
            let decider = NightDecider(book: loaded.book, asOf: night)
            let want = decider.decide(customers: loaded.inputs.customers, titles: titles, history: reference)
            let got = decider.decide(customers: loaded.inputs.customers, titles: titles, history: compact)
            #expect(got.actions == want.actions, "seed \(seed), night \(night.iso)")
            #expect(got.messages.map(\.id) == want.messages.map(\.id))
            #expect(got.remittances.count == want.remittances.count)
            // The report's effectiveness from `title_steps` equals the one from the actions.
            let window = (night.adding(days: -90), night.adding(days: -1))
            #expect(
                EffectivenessStats.compute(
                    ladderSteps: try ledger.ladderSteps(from: window.0, to: window.1), titles: titles,
                    settlements: [:], from: window.0, to: window.1)
                    == EffectivenessStats.compute(
                        actions: try ledger.actions(from: window.0, to: window.1, sentOnly: true), titles: titles,
                        settlements: [:], from: window.0, to: window.1))
            let result = try NightRunner(options: options).run()
            #expect([.published, .alreadyPublished].contains(result.outcome), "\(night.iso): \(result.outcome)")
            if !force { published.append(night) }
            night = night.adding(days: 1 + r.int(9))
        }
        #expect(
            try w.allActions().contains { $0.action.instruction == .changeDue || $0.action.instruction == .protest })
    }
}
