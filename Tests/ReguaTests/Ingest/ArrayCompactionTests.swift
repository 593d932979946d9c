import Testing
@testable import Regua

@Suite struct ArrayCompactionTests {
    /// Counts live instances, to see that every dropped element is destroyed once and no
    /// kept one is.
    private final class Tracked {
        static let live = Locked(0)
        let value: Int
        init(_ value: Int) {
            self.value = value
            Tracked.live.withLock { $0 += 1 }
        }
        deinit { Tracked.live.withLock { $0 -= 1 } }
    }

    private struct Row {
        var id: Int
        var name: String
        var tracked: Tracked
    }

    @Test func removesTheMarkedElementsKeepingTheOrderAndDestroyingEachOnce() {
        var rng = SplitMix64(seed: 5)
        for n in [0, 1, 2, 3, 10, 100, 1_000] {
            for share in [0, 1, 5, 50, 95, 100] {
                do {
                    var rows = (0..<n).map {
                        Row(id: $0, name: "linha \($0) " + String(repeating: "x", count: $0 % 20), tracked: Tracked($0))
                    }
                    let dropped = (0..<n).map { _ in Int(rng.next() % 100) < share }
                    rows.removeMarked(dropped)
                    let expected = (0..<n).filter { !dropped[$0] }
                    #expect(rows.map(\.id) == expected)
                    #expect(rows.map(\.tracked.value) == expected)
                    #expect(rows.allSatisfy { $0.name.hasPrefix("linha \($0.id) ") })
                    #expect(Tracked.live.value == expected.count)
                }
                #expect(Tracked.live.value == 0)
            }
        }
    }
}
