import Foundation
import Testing
@testable import Regua

/// What `stats` and the escalation guards read of past sends — ``SQLiteLedger/sentSteps(titles:before:)``
/// and ``SQLiteLedger/ladderSteps(from:to:)`` — against the list of sends the test committed,
/// over random nights with forced reruns, discarded nights and prunes.
@Suite struct SQLiteLedgerSentStepsTests {
    typealias C = CompactHistoryTests

    struct Sent: Hashable {
        var night: Day
        var title: TitleID
        var step: String
        var offset: Int
        var channel: Channel?
    }

    @Test(arguments: [11, 12, 13] as [UInt64])
    func pastSendsAreTheCommittedOnes(seed: UInt64) throws {
        var r = C.Rand(state: seed)
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        var night = Day(iso: "2026-03-02")!
        // The sends of every run that still counts, in commit order, by run.
        var runs: [(run: Int64, sends: [Sent])] = []
        for _ in 0..<40 {
            let move = r.int(8)
            if move == 0, let prev = runs.last {
                var n = C.randomNight(&r, night: night.adding(days: -1))
                n.forced = true
                n.replacesRunID = prev.run
                n.night = try #require(try l.night(n.night) ?? l.lastNight()).night
                let run = try l.commit(n)
                runs.removeLast()
                runs.append((run, Self.sends(n)))
            } else if move == 1 {
                let run = try l.commit(C.randomNight(&r, night: night))
                try l.discardUnpublished(runID: run)
            } else if move == 2, let last = try l.lastNight() {
                try l.recordPrune(
                    PruneRecord(
                        asOf: last.night.iso, keepDays: 3, cutoff: last.night.adding(days: -3).iso, folders: [],
                        titlesArchived: 0))
            } else {
                var n = C.randomNight(&r, night: night)
                n.seenTitles = (0..<40).filter { _ in r.chance(25) }.map { TitleID("T\($0)") }
                let run = try l.commit(n)
                try l.markPublished(runID: run)
                runs.append((run, Self.sends(n)))
                night = night.adding(days: 1 + r.int(3))
            }
        }
        let all = runs.flatMap(\.sends).sorted { $0.night < $1.night }  // stable: commit order within a night
        let first = Day(iso: "2026-03-01")!
        for back in stride(from: 0, through: night.days(since: first) + 1, by: 3) {
            let day = first.adding(days: back)
            let titles = (0..<40).filter { _ in r.chance(50) }.map { TitleID("T\($0)") } + [TitleID("nobody")]
            var want: [TitleID: [LedgerHistory.SentStep]] = [:]
            for s in all where s.night < day && titles.contains(s.title) {
                want[s.title, default: []].append(
                    LedgerHistory.SentStep(stepID: s.step, offset: s.offset, night: s.night, channel: s.channel))
            }
            #expect(try l.sentSteps(titles: titles, before: day) == want, "seed \(seed) before \(day.iso)")
        }
        #expect(try l.sentSteps(titles: [], before: night).isEmpty)
        // The ladder steps of a range: each (title, step) once, on the night it was first sent;
        // `bank:` instructions (registration and its upkeep) are the bank's, not rungs of the ladder.
        var firstSent: [String: Sent] = [:]
        for s in all where !s.step.hasPrefix("bank:") && firstSent[s.title.raw + "|" + s.step] == nil {
            firstSent[s.title.raw + "|" + s.step] = s
        }
        for (from, to) in [(first, night), (first.adding(days: 10), first.adding(days: 30)), (night, night)] {
            let want = firstSent.values.filter { $0.night >= from && $0.night <= to }
                .map {
                    EffectivenessStats.LadderStep(
                        night: $0.night, titleID: $0.title, stepID: $0.step, offset: $0.offset)
                }
            let got = try l.ladderSteps(from: from, to: to)
            #expect(got.count == Set(got).count, "a step counted twice")
            #expect(
                Set(got) == Set(want),
                "seed \(seed) \(from.iso)…\(to.iso) extra \(Set(got).subtracting(want).map { "\($0.night.iso) \($0.titleID.raw) \($0.stepID)" }) missing \(Set(want).subtracting(got).map { "\($0.night.iso) \($0.titleID.raw) \($0.stepID)" })"
            )
        }
    }

    static func sends(_ n: NightCommit) -> [Sent] {
        n.actions.filter { $0.kind == .sent }.map {
            Sent(night: n.night, title: $0.titleID, step: $0.stepID, offset: $0.offset, channel: $0.channel)
        }
    }
}
