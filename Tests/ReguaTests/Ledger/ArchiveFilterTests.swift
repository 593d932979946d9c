import Foundation
import Testing
@testable import Regua

/// The archive's Bloom filter never misses an archived id, lets few others through, and reads
/// back from its bytes as it was.
@Suite struct ArchiveFilterTests {
    @Test(arguments: [0, 1, 900, 20000])
    func noFalseNegativesAndFewFalsePositives(count: Int) throws {
        var f = ArchiveFilter(capacity: count)
        let inside = (0..<count).map { "T\($0)-ã" }
        for id in inside { f.insert(id) }
        let back = try #require(ArchiveFilter(data: f.data))
        #expect(inside.allSatisfy(back.mightContain))
        let outside = (0..<20000).map { "U\($0)" }
        let passed = outside.filter(back.mightContain).count
        #expect(Double(passed) / Double(outside.count) < 0.03, "\(passed) of 20000 passed")
        #expect(back.data == f.data)
    }

    @Test func garbageIsNoFilter() {
        #expect(ArchiveFilter(data: Data([1, 2, 3])) == nil)
        #expect(ArchiveFilter(data: Data(count: 520)) == nil)
    }
}
