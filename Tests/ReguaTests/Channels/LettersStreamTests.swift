import Foundation
import Testing

@testable import Regua

/// letters.pdf written a window of letters at a time (`LettersPDF.write`) is the file
/// `LettersPDF.render` makes in one piece, whatever the window; a streamed staging file is
/// listed in the manifest with its real size and hash.
@Suite("Letters PDF streamed in windows")
struct LettersStreamTests {
    /// Letters of one to four pages, some with a PIX QR code and boleto slips.
    static func letters() throws -> [Letter] {
        var out: [Letter] = []
        for i in 0..<9 {
            var l = LettersPDFTests.letter(
                name: "Cliente \(i) da Conceição", paragraphs: 1 + (i * 5) % 23,
                messageID: "R20261123-\(String(repeating: "ab", count: 7))\(i)\(i)")
            if i % 3 == 1 {
                let t = try PaymentPrintTests.dunned(
                    "NF-\(i)", nosso: "\(50 + i)", cents: 10_000 + Int64(i), daysOverdue: i)
                let code = PixBRCode.payload(
                    key: "cobranca@exemplo.com.br", merchantName: "Exemplo Comércio Ltda", merchantCity: "São Paulo",
                    amount: t.title.amount, txid: "R20261123ab12cd34ef56ab7\(i)")
                l.pix = (code, t.title.amount)
                l.slips = [try PaymentPrintTests.slip(t)]
            }
            out.append(l)
        }
        return out
    }

    @Test("any window writes the same bytes and pages as the whole file, a window at a time")
    func windowsWriteTheSameFile() throws {
        let letters = try Self.letters()
        let whole = LettersPDF.render(letters)
        #expect(Set(whole.pages.map(\.pageCount)).count > 1, "letters of different lengths")
        for window in [1, 2, 3, 4, 8, 9, 100] {
            var pieces: [[UInt8]] = []
            let pages = LettersPDF.write(letters, window: window) { pieces.append($0) }
            #expect(pieces.joined().elementsEqual(whole.pdf), "window \(window)")
            #expect(pages.map(\.firstPage) == whole.pages.map(\.firstPage), "window \(window)")
            #expect(pages.map(\.pageCount) == whole.pages.map(\.pageCount), "window \(window)")
            // One piece per window, then the objects after the pages (page tree, catalog, fonts,
            // Info), then the cross-reference table and trailer, whose /ID needs the hash of
            // everything before: it streams.
            let windows = (letters.count + window - 1) / window
            #expect(pieces.count == windows + 2, "window \(window)")
            #expect(pieces.allSatisfy { !$0.isEmpty })
            #expect(pieces.last?.starts(with: Array("xref\n".utf8)) == true, "window \(window)")
        }
        // The file holds together: every cross-reference offset points at its object.
        let offsets = try LettersPDFTests.xrefOffsets(whole.pdf)
        for (i, offset) in offsets.enumerated() {
            #expect(whole.pdf[offset...].starts(with: Array("\(i + 1) 0 obj\n".utf8)), "object \(i + 1)")
        }
        // Catalog, page tree, two fonts, Info, the slip frame's form, then two objects a page.
        #expect(offsets.count == 5 + LettersPDF.forms.count + 2 * whole.pages.reduce(0) { $0 + $1.pageCount })
        // The /ID is the SHA-256 of every byte before the cross-reference table.
        let trailer = String(decoding: whole.pdf.suffix(400), as: UTF8.self)
        let after = trailer[try #require(trailer.range(of: "startxref\n", options: .backwards)).upperBound...]
        let xref = try #require(Int(after.prefix { $0.isNumber }))
        #expect(whole.pdf[xref...].starts(with: Array("xref\n".utf8)))
        #expect(trailer.contains("/ID [<" + Hashing.sha256Hex(Array(whole.pdf[..<xref])).prefix(32) + ">"))
    }

    @Test("letters.pdf hashed by its sink is the file PDFStream makes hashing its own bytes")
    func sinkHashedIsSelfHashed() throws {
        let letters = try Self.letters()
        // The plain reference: every letter's pages in one PDFDocument, whose stream hashes
        // every byte itself for the /ID.
        var document = PDFDocument(title: "Regua letters", forms: LettersPDF.forms)
        document.pages = letters.flatMap { LetterComposer.compose($0).map(\.bytes) }
        let reference = document.build()
        #expect(LettersPDF.render(letters).pdf == reference)
        for window in [1, 4, 100] {
            var written: [UInt8] = []
            var asked: [Int] = []
            _ = LettersPDF.write(
                letters, window: window, to: { written += $0 },
                sha256SoFar: {
                    asked.append(written.count)
                    return Hashing.sha256Hex(written)
                })
            #expect(written == reference, "window \(window)")
            #expect(asked.count == 1, "the /ID is asked for once")
        }
    }

    @Test("qpdf accepts the streamed file", .enabled(if: ExternalTool.qpdf != nil, "qpdf is not installed"))
    func qpdfAcceptsIt() throws {
        var bytes: [UInt8] = []
        _ = LettersPDF.write(try Self.letters(), window: 2) { bytes += $0 }
        let file = try ExternalTool.temporaryFile(bytes, suffix: ".pdf")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let out = try ExternalTool.run(ExternalTool.qpdf!, ["--check", file])
        #expect(out.status == 0, "\(out.stdout) \(out.stderr)")
    }

    @Test("a streamed staging file is listed with the size and SHA-256 of what is on disk, owner-only")
    func streamedFileIsListed() throws {
        let dir = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let staging = try StagingFolder(outDir: dir.path, night: LettersPDFTests.asOf)
        let file = try staging.streamedFile("letters.pdf")
        var expected: [UInt8] = []
        for piece in [Array("%PDF".utf8), [], Array(repeating: 0xE3, count: 70_000), Array("\n%%EOF\n".utf8)] {
            try file.write(piece)
            expected += piece
        }
        #expect(staging.entries.isEmpty, "listed only once finished")
        #expect(file.sha256SoFar() == Hashing.sha256Hex(expected))
        try file.finish()
        let path = staging.root + "/letters.pdf"
        let onDisk = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(onDisk == expected)
        #expect(
            staging.entries
                == [.init(path: "letters.pdf", size: expected.count, sha256: Hashing.sha256Hex(expected))])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
