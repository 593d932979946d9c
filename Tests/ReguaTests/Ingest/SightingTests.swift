import Testing
@testable import Regua

/// ``Sighting`` packs a row's line, whether it was refused whole and its ``RowOutcome`` in two
/// `Int32`s: every combination reads back as it was written, and the packing keeps its size.
@Suite struct SightingTests {
    @Test func everyOutcomeLineAndBrokenFlagReadsBack() {
        var rng = SystemRandomNumberGenerator()
        let edges = [0, 1, 2, 1_000, Int(Int32.max) - 1]
        let picks = edges + (0..<2_000).map { _ in Int.random(in: 0..<Int(Int32.max), using: &rng) }
        for (n, value) in picks.enumerated() {
            let line = edges[n % edges.count] + 1
            for outcome in [RowOutcome.item(value), .reject(value)] {
                for broken in [false, true] {
                    let s = Sighting(key: "K\(value)", hash: value, line: line, outcome: outcome, broken: broken)
                    #expect(s.outcome == outcome)
                    #expect(s.line == line)
                    #expect(s.broken == broken)
                    #expect(s.accepted == outcome.isItem)
                    #expect(s.key == "K\(value)" && s.hash == value)
                }
            }
        }
    }

    @Test func settingTheOutcomeKeepsTheRest() {
        var s = Sighting(key: "C1", hash: 7, line: 42, outcome: .reject(3), broken: true)
        s.outcome = .item(9)
        #expect(s.outcome == .item(9) && s.line == 42 && s.broken && s.accepted)
        s.outcome = .reject(0)
        #expect(s.outcome == .reject(0) && s.line == 42 && s.broken && !s.accepted)
    }

    @Test func joiningChunksShiftsItemsAndRejectsApart() {
        #expect(RowOutcome.item(4).shifted(items: 10, rejects: 3) == .item(14))
        #expect(RowOutcome.reject(0).shifted(items: 10, rejects: 3) == .reject(3))
        #expect(RowOutcome.item(0).shifted(items: 0, rejects: 5) == .item(0))
    }

    /// A file of a million rows has a million sightings: the packing is what keeps them 32 bytes.
    @Test func aSightingStaysThirtyTwoBytes() {
        #expect(MemoryLayout<Sighting>.stride == 32)
    }
}
