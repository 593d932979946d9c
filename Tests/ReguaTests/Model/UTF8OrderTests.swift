import Foundation
import Testing
@testable import Regua

/// Ids are ordered by their UTF-8 bytes through memcmp; the answer must be the generic one.
@Suite struct UTF8OrderTests {
    static let words: [String] = [
        "", "a", "A", "ab", "abc", "T000000001", "T000000010", "T00000001", "NF-10273", "NF-10294",
        "Conceição", "Conceicao", "ção", "ÿ", "z", "\u{0}", "\u{7F}", "\u{80}", "€", "😀",
        "a very long identifier that does not fit a small string", "a very long identifier that does not fit",
        String(repeating: "9", count: 40), String(repeating: "9", count: 41),
        NSString(string: "bridged identifier from Foundation, long enough").description,
    ]

    @Test func everyPairOrdersAsTheGenericWalk() {
        for a in Self.words {
            for b in Self.words {
                #expect(UTF8Order.precedes(a, b) == a.utf8.lexicographicallyPrecedes(b.utf8), "\(a) < \(b)")
                #expect((TitleID(a) < TitleID(b)) == a.utf8.lexicographicallyPrecedes(b.utf8))
                #expect((CustomerID(a) < CustomerID(b)) == a.utf8.lexicographicallyPrecedes(b.utf8))
            }
        }
    }
}
