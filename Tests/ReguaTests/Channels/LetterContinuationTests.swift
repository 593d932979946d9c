import Foundation
import Testing
@testable import Regua

/// A letter longer than a page says on every continuation page whose letter it is.
@Suite("Letters: continuation pages")
struct LetterContinuationTests {
    @Test(
        "pdftotext finds the company's name and the recipient at the top of every page after the first",
        .enabled(if: ExternalTool.pdftotext != nil, "pdftotext (poppler-utils) is not installed"))
    func continuationPagesNameTheCompany() throws {
        let letter = LettersPDFTests.letter(name: "Ângela Atacadista S.A.", paragraphs: 40)
        let r = LettersPDF.render([letter, LettersPDFTests.letter(name: "Maria")])
        let pages = r.pages[0].pageCount
        #expect(pages >= 3, "the fixture must run over more than two pages")
        let file = try ExternalTool.temporaryFile(r.pdf, suffix: ".pdf")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let company = letter.senderLines[0]
        for page in 2...pages {
            let out = try ExternalTool.run(
                ExternalTool.pdftotext!, ["-enc", "UTF-8", "-f", String(page), "-l", String(page), file, "-"])
            #expect(out.status == 0, "\(out.stderr)")
            let lines = out.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            // The head comes first on the page, before any line of the body.
            let head = try #require(lines.first, "page \(page) is empty")
            #expect(head.contains(company), "page \(page) starts with \(head)")
            #expect(out.stdout.contains("continuação da carta a Ângela Atacadista S.A."), "page \(page)")
        }
        // The first page keeps its letterhead and carries no continuation head.
        let first = try ExternalTool.run(ExternalTool.pdftotext!, ["-enc", "UTF-8", "-f", "1", "-l", "1", file, "-"])
        #expect(first.stdout.contains(company))
        #expect(!first.stdout.contains("continuação da carta"))
        // A letter of one page has no continuation head either.
        let last = r.pages[1].firstPage
        let single = try ExternalTool.run(
            ExternalTool.pdftotext!, ["-enc", "UTF-8", "-f", String(last), "-l", String(last), file, "-"])
        #expect(!single.stdout.contains("continuação da carta"))
    }
}
