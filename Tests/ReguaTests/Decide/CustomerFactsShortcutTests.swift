import Foundation
import Testing
@testable import Regua

/// Segment and tag matching compares ASCII texts byte by byte; it must say what Foundation's
/// case-insensitive comparison says.
@Suite struct CaseInsensitiveShortcutTests {
    @Test func everyPairOfASCIICharactersAgreesWithFoundation() {
        for a in 0..<128 {
            for b in 0..<128 {
                let x = String(UnicodeScalar(UInt8(a))), y = String(UnicodeScalar(UInt8(b)))
                #expect(
                    Condition.sameIgnoringCase(x, y) == (x.caseInsensitiveCompare(y) == .orderedSame),
                    "\(a) \(b)")
            }
        }
    }

    @Test(arguments: [
        ("VIP", "vip"), ("B2B", "b2b"), ("gov", "GOV "), ("", ""), ("a", ""), ("Açougue", "AÇOUGUE"),
        ("straße", "STRASSE"), ("inadimplente", "Inadimplente"), ("x-1", "X_1"),
    ])
    func wordsAgreeWithFoundation(_ pair: (String, String)) {
        #expect(
            Condition.sameIgnoringCase(pair.0, pair.1) == (pair.0.caseInsensitiveCompare(pair.1) == .orderedSame))
    }
}
