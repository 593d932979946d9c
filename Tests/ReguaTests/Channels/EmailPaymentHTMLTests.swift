import Foundation
import Testing

@testable import Regua

/// Where the PIX block goes in an e-mail's HTML: before the last `</body>` in any case, found by
/// its bytes, as Foundation's case-insensitive backwards search finds it.
@Suite("E-mail PIX block placement")
struct EmailPaymentHTMLTests {
    @Test("the last </body> in any case is where Foundation finds it, on 3,000 random pages")
    func lastBodyEndMatchesFoundation() {
        var rng = SplitMix64(seed: 17)
        let pieces = [
            "</body>", "</BODY>", "</Body>", "</bOdY>", "</body", "body>", "<body>", "</bodx>", "ção", "é", "<",
            "/", ">", "b", "B", "o", "d", "y", " ", "\n", "<p>texto</p>", "</ body>", "€", "👍",
        ]
        for n in 0..<3_000 {
            let count = Int(rng.next() % 12)
            let html = (0..<count).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let expected = html.range(of: "</body>", options: [.backwards, .caseInsensitive])?.lowerBound
            #expect(EmailPayment.lastBodyEnd(html) == expected, "page \(n): \(html.debugDescription)")
        }
        #expect(EmailPayment.lastBodyEnd("<html><body>x</BODY></html>") != nil)
        #expect(EmailPayment.lastBodyEnd("no end") == nil)
    }

    @Test("whether a page shows the QR code's cid is what the standard library's search says, on 3,000 random pages")
    func containsMatchesStandardLibrary() {
        var rng = SplitMix64(seed: 23)
        let pieces = [
            "cid:", "cid:pix-", "pix-R1@exemplo.com.br", "cid:pix-R1@exemplo.com.br", "cid:pix-R1@exemplo.com.b",
            "c", "i", "d", ":", "ção", "é", "👍", "<img src=\"", "\">", " ", "\n", "R1", "@", "exemplo.com.br",
        ]
        let needles = ["cid:pix-R1@exemplo.com.br", "cid:", "ção", "👍c", "x", ""]
        for n in 0..<3_000 {
            let count = Int(rng.next() % 14)
            let html = (0..<count).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let needle = needles[Int(rng.next() % UInt64(needles.count))]
            let expected = html.utf8.firstRange(of: needle.utf8) != nil
            #expect(ASCIIBytes.contains(html, needle) == expected, "page \(n): \(html.debugDescription) \(needle)")
        }
        #expect(ASCIIBytes.contains("<img src=\"cid:pix-R1@a.b\">", "cid:pix-R1@a.b"))
        #expect(!ASCIIBytes.contains("<img src=\"cid:pix-R1@a.\">", "cid:pix-R1@a.b"))
        #expect(!ASCIIBytes.contains("ab", "abc"))
    }
}
