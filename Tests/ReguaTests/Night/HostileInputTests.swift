import Foundation
import Testing
@testable import Regua

/// SPEC §1 "Hostile input is bad input too", end to end: cells with CR/LF, markup, Mustache
/// tags, `../` and formulas go through a real night and never become a header, a row, markup,
/// a template or a path.
@Suite struct HostileInputTests {
    @Test func hostileCellsStayData() throws {
        let w = try Workspace()
        // Three customers whose overdue_d3 goes out tonight (due 2026-11-18): by e-mail, and by letter.
        let customers = [
            "H1,\"Ana\r\nBcc: victim@evil.example\r\nX-Injected: yes\",529.982.247-25,ana@example.com,,Rua A,1,,Centro,São Paulo,SP,01001000,B2C,500,,",
            "H2,\"<script>alert(1)</script> {{company.pix_key}}\",35300751758,h2@example.com,,Rua B,2,,Centro,São Paulo,SP,01001000,B2C,500,,",
            "H3,\"=HYPERLINK(\"\"http://evil.example\"\")\",35284121864,,,\"../../etc\",3,,Centro,São Paulo,SP,01001000,B2C,500,,",
        ]
        let receivables = [
            "H1,../../../tmp/pwn,,100.00,2026-11-18,,,,,,,,,",
            "H2,NF-H2,,100.00,2026-11-18,,,,,,,,,",
            "H3,NF-H3,,100.00,2026-11-18,,,,,,,,,",
        ]
        let c = w.root + "/fixtures/customers.csv"
        let r = w.root + "/fixtures/receivables.csv"
        try (String(contentsOfFile: c, encoding: .utf8) + customers.joined(separator: "\r\n") + "\r\n").write(
            toFile: c, atomically: true, encoding: .utf8)
        try (String(contentsOfFile: r, encoding: .utf8) + receivables.joined(separator: "\r\n") + "\r\n").write(
            toFile: r, atomically: true, encoding: .utf8)

        let night = try w.run()
        let dir = try #require(night.folder)
        let tree = Workspace.tree(dir)
        // No file outside the night's folder, no name derived from data.
        #expect(!FileManager.default.fileExists(atPath: "/tmp/pwn"))
        #expect(tree.keys.allSatisfy { !$0.contains("..") && !$0.contains("pwn") })

        let emails = tree.filter { $0.key.hasPrefix("email/") }.map { String(decoding: $0.value, as: UTF8.self) }
        let h1 = try #require(emails.first { $0.contains("X-Regua-Customer: H1") })
        let h1Headers = h1.components(separatedBy: "\r\n\r\n")[0]
        #expect(!h1Headers.contains("\r\nBcc:"))
        #expect(!h1Headers.contains("\r\nX-Injected:"))
        #expect(h1Headers.contains("X-Regua-Titles: ../../../tmp/pwn"))

        let h2 = try #require(emails.first { $0.contains("X-Regua-Customer: H2") })
        let unfolded = h2.replacingOccurrences(of: "=\r\n", with: "")  // undo quoted-printable soft breaks
        let html = try #require(unfolded.components(separatedBy: "Content-Type: text/html").last)
        #expect(!html.contains("<script>"), "markup from data is escaped in the HTML part")
        #expect(html.contains("&lt;script&gt;"))
        #expect(unfolded.contains("{{company.pix_key}}"), "a Mustache tag in data is printed, not expanded")

        // H3 has no e-mail: the letter. Its formula-looking name is neutralised in letters.csv.
        let letters = String(decoding: tree["letters.csv"]!, as: UTF8.self)
        let row = try #require(letters.split(separator: "\r\n").first { $0.contains(",H3,") })
        #expect(row.contains("'=HYPERLINK"))
        #expect(letters.split(separator: "\r\n").allSatisfy { !$0.hasPrefix("Bcc") })
    }
}
