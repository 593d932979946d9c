import Foundation
import Testing
@testable import Regua

/// Divergences from SPEC §3/§5 found in review, one test per finding.
@Suite struct ReviewFindingsTests {
    typealias F = DeciderFixtures
    typealias B = ReturnFileBuilder

    // MARK: - SPEC §5: a return file read again changes nothing

    /// The same return file given twice in one run (or two copies of it under other names) is
    /// read once: the night is not refused by the ledger and the settlement is counted once.
    @Test func sameReturnFileTwiceInOneRunIsReadOnce() throws {
        let w = try Workspace()
        let event = B.Event(
            movement: "06", nossoNumero: "12345670000000052", titleID: "NF-10277",
            amount: 1_875_000, paid: 1_875_000, occurrence: Day(iso: "2026-11-20"))
        let bytes = Data(
            B.bytes(
                try B.records(
                    bank: "001", agreement: "1234567", agency: "1234", account: "56789",
                    events: [event])))
        let a = w.root + "/ret-a.RET"
        let b = w.root + "/ret-b.RET"
        try bytes.write(to: URL(fileURLWithPath: a))
        try bytes.write(to: URL(fileURLWithPath: b))
        let r = try NightRunner(options: w.options(retorno: [a, b])).run()
        #expect(r.outcome == .published)
        #expect(r.summary?.returns.settlements == 1)
        #expect(r.summary?.returns.settledAmount == "18750.00")
        #expect(r.notes.contains { $0.contains("ret-b.RET") })
        #expect(try w.allActions().filter { $0.action.titleID.raw == "NF-10277" && $0.action.kind == .sent }.isEmpty)
        // And the night is final: the same command again changes nothing.
        let again = try NightRunner(options: w.options(retorno: [a, b])).run()
        #expect(again.outcome == .alreadyPublished)
    }

    /// `--force` replaces a night: a settlement that only the replaced run read (its return file
    /// is not given again) no longer counts, in the decision as in the ledger.
    @Test func forcedRerunForgetsTheReplacedRunsSettlements() throws {
        let w = try Workspace()
        let event = B.Event(
            movement: "06", nossoNumero: "12345670000000052", titleID: "NF-10277",
            amount: 1_875_000, paid: 1_875_000, occurrence: Day(iso: "2026-11-20"))
        let path = w.root + "/ret.RET"
        try Data(
            B.bytes(
                try B.records(
                    bank: "001", agreement: "1234567", agency: "1234", account: "56789",
                    events: [event]))
        ).write(to: URL(fileURLWithPath: path))
        _ = try NightRunner(options: w.options(retorno: [path])).run()
        #expect(try w.allActions().filter { $0.action.titleID.raw == "NF-10277" && $0.action.kind == .sent }.isEmpty)
        // The file was the wrong one: the operator replaces the night without it.
        _ = try NightRunner(options: w.options(force: true)).run()
        #expect(try w.ledger().settlements(upTo: Day(iso: "2026-11-23")!)[TitleID("NF-10277")] == nil)
        let sent = try w.allActions().filter { $0.action.titleID.raw == "NF-10277" && $0.action.kind == .sent }
        #expect(sent.map(\.action.stepID) == ["overdue_d3"])
    }
}
