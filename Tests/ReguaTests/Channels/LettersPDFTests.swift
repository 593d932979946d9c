import Foundation
import Testing
@testable import Regua

/// The letters PDF: structure checked byte by byte here, and read back by poppler's
/// `pdftotext`, `qpdf --check` and `zbarimg` where they are installed.
@Suite("Letters PDF")
struct LettersPDFTests {
    static let asOf = Day(year: 2026, month: 11, day: 23)!
    static let barcode = "00192376900000135000000001238798777770016818"  // BANKING.md worked example (Banco do Brasil)

    static func letter(
        name: String = "João da Conceição Ação", paragraphs: Int = 1, barcode: String? = nil,
        messageID: String = "R20261123-ab12cd34ef56ab78"
    ) -> Letter {
        let paragraph =
            "Constam em aberto os títulos abaixo. Solicitamos a regularização até 30/11/2026 para evitar "
            + "o envio a protesto, com acentuação: ção, ã, õ, ê, º, ª, € e “aspas”."
        let body =
            "Prezado(a) cliente,\n\n# Títulos em aberto\nT-1 — vencimento 24/10/2026 — R$ 1.234,56\n\n"
            + Array(repeating: paragraph, count: paragraphs).joined(separator: "\n\n") + "\n\nAtenciosamente,\nExemplo"
        return Letter(
            customer: sampleCustomer(name: name),
            senderLines: ["Exemplo Comércio Ltda", "Av. Paulista, 1000 - Bela Vista", "01310-100 São Paulo - SP"],
            date: asOf, city: "São Paulo", body: body,
            paymentLines: [
                "# Dados para pagamento",
                "Linha digitável: 00190.00009 01238.798779 77700.168188 2 37690000013500",
                "PIX: " + String(repeating: "00020126580014br.gov.bcb.pix0136", count: 6),
            ],
            reference: (messageID: messageID, customerID: "C001", step: "letter_d30", titleIDs: ["T-1", "T-2"]),
            barcode: barcode)
    }

    /// The xref table's offsets, from the trailer's startxref.
    static func xrefOffsets(_ pdf: [UInt8]) throws -> [Int] {
        let text = String(decoding: pdf, as: UTF8.self)
        let tail = try #require(text.range(of: "startxref\n", options: .backwards))
        let start = try #require(Int(text[tail.upperBound...].prefix { $0.isNumber }))
        let xref = Array(pdf[start...])
        #expect(xref.starts(with: Array("xref\n0 ".utf8)))
        // Split bytes on LF (a Swift String would keep "\r\n" together as one Character).
        let lines = xref.split(separator: 10, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        let count = try #require(Int(lines[1].split(separator: " ")[1]))
        #expect(lines[2] == "0000000000 65535 f\r")
        return try (1..<count).map { i in try #require(Int(lines[2 + i].prefix(10))) }
    }

    @Test("every xref offset points at its 'N 0 obj'; /Size and /Count agree with the objects and pages")
    func structure() throws {
        let r = LettersPDF.render([Self.letter(paragraphs: 12), Self.letter(name: "Maria")])
        let offsets = try Self.xrefOffsets(r.pdf)
        for (i, o) in offsets.enumerated() {
            #expect(Array(r.pdf[o...].prefix(12)).starts(with: Array("\(i + 1) 0 obj\n".utf8)), "object \(i + 1)")
        }
        let text = String(decoding: r.pdf, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1.4\n"))
        #expect(text.hasSuffix("%%EOF\n"))
        #expect(text.contains("/Size \(offsets.count + 1) "))
        let total = r.pages.reduce(0) { $0 + $1.pageCount }
        #expect(text.contains("/Count \(total) "))
        #expect(text.components(separatedBy: "/Type /Page ").count - 1 == total)
        #expect(text.contains("/BaseFont /Helvetica /Encoding /WinAnsiEncoding"))
        #expect(text.contains("/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding"))
        #expect(!text.contains("CreationDate"))
        #expect(r.pages.count == 2)
        #expect(r.pages[0].firstPage == 1 && r.pages[0].pageCount == 2)
        #expect(r.pages[1].firstPage == 3 && r.pages[1].pageCount == 1)
    }

    @Test("stream /Length values are exact")
    func streamLengths() throws {
        let pdf = LettersPDF.render([Self.letter()]).pdf
        var checked = 0
        // Byte offsets: the content is WinAnsi, so work on the byte array.
        let marker = Array("/Length ".utf8)
        var i = 0
        while i + marker.count < pdf.count {
            if Array(pdf[i..<(i + marker.count)]) == marker {
                var j = i + marker.count
                var length = 0
                while pdf[j] >= 48 && pdf[j] <= 57 { length = length * 10 + Int(pdf[j] - 48); j += 1 }
                let open = Array(" >>\nstream\n".utf8)
                #expect(Array(pdf[j..<(j + open.count)]) == open)
                let dataStart = j + open.count
                #expect(Array(pdf[(dataStart + length)...].prefix(10)) == Array("\nendstream".utf8))
                checked += 1
                i = dataStart + length
            }
            i += 1
        }
        #expect(checked == 2, "the page's content and the slip frame's form")
    }

    @Test("accented text is written as WinAnsi bytes, parentheses and backslashes escaped")
    func winAnsiBytes() {
        let pdf = LettersPDF.render([Self.letter(name: "Conceição (Ção) \\ Ltda")]).pdf
        // "(Conceição" in WinAnsi bytes.
        #expect(pdf.firstRange(of: [UInt8(ascii: "("), 0x43, 0x6F, 0x6E, 0x63, 0x65, 0x69, 0xE7, 0xE3, 0x6F]) != nil)
        #expect(pdf.firstRange(of: Array("\\(".utf8) + [0xC7, 0xE3, 0x6F] + Array("\\) \\\\ Ltda)".utf8)) != nil)
        #expect(pdf.firstRange(of: Array("ção".utf8)) == nil)  // never UTF-8 in the content
    }

    @Test(
        "Unicode to WinAnsi codes",
        arguments: [
            ("ç", 0xE7), ("ã", 0xE3), ("õ", 0xF5), ("Ç", 0xC7), ("É", 0xC9), ("º", 0xBA), ("ª", 0xAA), ("€", 0x80),
            ("—", 0x97), ("–", 0x96), ("“", 0x93), ("”", 0x94), ("…", 0x85), ("•", 0x95), ("a", 0x61), ("中", 0x3F),
            ("ő", 0x3F), ("\u{0007}", 0x20), ("\u{00A0}", 0xA0),
        ])
    func winAnsiCodes(char: String, code: Int) {
        #expect(WinAnsi.encode(char) == [UInt8(code)])
    }

    @Test(
        "Helvetica widths are the AFM's (1/1000 em)",
        arguments: [
            ("A", PDFFont.helvetica, 667), ("W", .helvetica, 944), ("i", .helvetica, 222), (" ", .helvetica, 278),
            ("ç", .helvetica, 500), ("€", .helvetica, 556), ("A", .helveticaBold, 722), ("ç", .helveticaBold, 556),
            ("i", .helveticaBold, 278), ("m", .helveticaBold, 889),
        ])
    func afmWidths(char: String, font: PDFFont, width: Int) {
        #expect(WinAnsi.width(WinAnsi.encode(char), font: font, size: 1000) == Double(width))
    }

    @Test("wrapping keeps every line within the column and loses nothing; long words break by characters")
    func wrapping() {
        let text = "Pague com o PIX copia e cola " + String(repeating: "0123456789ABCDEF", count: 20) + " até amanhã."
        let bytes = WinAnsi.encode(text)
        let width = 200.0
        let lines = WinAnsi.wrap(bytes, font: .helvetica, size: 10, maxWidth: width)
        #expect(lines.count > 3)
        for l in lines { #expect(WinAnsi.width(l, font: .helvetica, size: 10) <= width) }
        #expect(lines.flatMap { $0 }.filter { $0 != 0x20 } == bytes.filter { $0 != 0x20 })
    }

    @Test("the recipient block fits the envelope window however long the address")
    func recipientBlock() {
        var c = sampleCustomer(name: String(repeating: "Maria da Conceição ", count: 10))
        c.address.street = String(repeating: "Avenida Brigadeiro Faria Lima ", count: 8)
        c.address.district = String(repeating: "Jardim Paulistano ", count: 6)
        let width = PDFUnit.mm(LetterGeometry.recipientWidth)
        let lines = LetterComposer.recipientLines(c, width: width)
        #expect(lines.count == 8)  // name 2, street 3, district, city - UF, CEP
        for l in lines { #expect(WinAnsi.width(l, font: .helvetica, size: 10) <= width) }
        // 8 lines of 12 pt, first baseline 10 pt down, plus a descender: inside 40 mm.
        #expect(10 + 7 * 12 + 3 <= PDFUnit.mm(LetterGeometry.recipientHeight))
        #expect(lines.last == WinAnsi.encode("CEP 01415-000"))
    }

    @Test(
        "numbers are written with at most three decimals and no locale",
        arguments: [
            (56.692913, "56.693"), (10.0, "10"), (-0.5, "-0.5"), (595.276, "595.276"), (0.0004, "0"),
        ])
    func numbers(value: Double, text: String) {
        #expect(PDFContent.number(value) == text)
    }

    @Test("numbers are written as the plain divisions write them, for 200,000 random values of every magnitude")
    func numbersTwin() {
        var rng = SplitMix64(seed: 32_000)
        for n in 0..<200_000 {
            let magnitude = [1.0, 10, 1000, 1e6, 1e9, 1e13][n % 6]
            var v = Double(rng.next() % 2_000_000_001) / 1_000_000_000 * magnitude
            if n % 3 == 0 { v = -v }
            if n % 5 == 0 { v = (v * 1000).rounded() / 1000 + [0, 0.0005, -0.0005, 0.05, 0.5][n / 5 % 5] }
            var fast: [UInt8] = []
            PDFContent.appendNumber(v, to: &fast)
            #expect(String(decoding: fast, as: UTF8.self) == PDFContent.numberByDivisors(v), "\(v)")
        }
        let values: [UInt64] =
            Array(0..<2_000) + [99_999_999, 100_000_000, 123_456_789_012, UInt64(Int64.max), UInt64.max]
            + (0..<20_000).map { _ in rng.next() >> (rng.next() % 64) }
        for value in values {
            var fast: [UInt8] = []
            var plain: [UInt8] = []
            PDFContent.appendDecimal(value, to: &fast)
            PDFContent.appendDecimalByDivisors(value, to: &plain)
            #expect(fast == plain && fast == Array(String(value).utf8), "\(value)")
        }
    }

    @Test(
        "pt-BR dates for the letter",
        arguments: [
            ((2026, 11, 23), "São Paulo", "São Paulo, 23 de novembro de 2026"),
            ((2026, 3, 1), "Curitiba", "Curitiba, 1º de março de 2026"),
            ((2027, 2, 5), " ", "5 de fevereiro de 2027"),
        ])
    func ptBRDates(ymd: (Int, Int, Int), city: String, expected: String) {
        #expect(PortugueseDate.placeAndDate(city: city, day: Day(year: ymd.0, month: ymd.1, day: ymd.2)!) == expected)
    }

    @Test("the boleto barcode is Interleaved 2 of 5, 103 mm long at 0.254 mm narrow bars")
    func barcodeSymbol() throws {
        let e = try #require(Interleaved2of5.elements(Self.barcode))
        #expect(e.count == 4 + 44 * 5 + 3)
        #expect(e.prefix(4).allSatisfy { !$0 })
        #expect(e.filter { $0 }.count == 44 * 2 + 1)  // two wide elements per digit, plus the stop's wide bar
        var content = PDFContent()
        let width = Interleaved2of5.draw(
            Self.barcode, into: &content, x: 0, y: 0, narrow: PDFUnit.mm(0.254), height: 10)
        #expect(abs(width / PDFUnit.pointsPerMM - 102.87) < 0.01)
        #expect(Interleaved2of5.elements("123") == nil)
        #expect(Interleaved2of5.elements("12a4") == nil)
    }

    @Test("same letters, same bytes; the /ID follows the content")
    func determinism() {
        let a = LettersPDF.render([Self.letter(barcode: Self.barcode)]).pdf
        #expect(a == LettersPDF.render([Self.letter(barcode: Self.barcode)]).pdf)
        let b = LettersPDF.render([Self.letter(barcode: Self.barcode, messageID: "R20261123-0000000000000001")]).pdf
        func id(_ pdf: [UInt8]) -> Substring {
            let t = String(decoding: pdf, as: UTF8.self)
            return t[t.range(of: "/ID [<")!.upperBound...].prefix(32)
        }
        #expect(id(a) != id(b))
    }

    @Test(
        "pdftotext reads the accented name, the date, the payment lines and the page footers",
        .enabled(if: ExternalTool.pdftotext != nil, "pdftotext (poppler-utils) is not installed"))
    func pdftotext() throws {
        let r = LettersPDF.render([
            Self.letter(name: "João da Conceição (Ação) \\ Ltda", paragraphs: 12), Self.letter(name: "Maria"),
        ])
        let file = try ExternalTool.temporaryFile(r.pdf, suffix: ".pdf")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let out = try ExternalTool.run(ExternalTool.pdftotext!, ["-enc", "UTF-8", file, "-"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.isEmpty, "\(out.stderr)")
        let text = out.stdout
        #expect(text.contains("João da Conceição (Ação) \\ Ltda"))
        #expect(text.contains("São Paulo, 23 de novembro de 2026"))
        #expect(text.contains("Títulos em aberto"))
        #expect(text.contains("ção, ã, õ, ê, º, ª, € e “aspas”"))
        #expect(text.contains("00190.00009 01238.798779 77700.168188 2 37690000013500"))
        for footer in ["página 1 de 2", "página 2 de 2", "página 1 de 1"] { #expect(text.contains(footer)) }
        #expect(text.contains("R20261123-ab12cd34ef56ab78 · cliente C001 · etapa letter_d30 · títulos T-1, T-2"))
        // One form feed ends each page.
        #expect(text.filter { $0 == "\u{0C}" }.count == 3)
        let info = try ExternalTool.run(ExternalTool.find("pdfinfo") ?? "/usr/bin/pdfinfo", [file])
        #expect(info.stdout.contains("Pages:           3"))
    }

    @Test(
        "pypdf in strict mode reads the pages and the text",
        .enabled(if: ExternalTool.hasPyPDF, "python3 with pypdf is not installed"))
    func pypdfReads() throws {
        let r = LettersPDF.render([Self.letter(paragraphs: 12), Self.letter(name: "Maria")])
        let file = try ExternalTool.temporaryFile(r.pdf, suffix: ".pdf")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let script = """
            import sys, json, pypdf
            r = pypdf.PdfReader(sys.argv[1], strict=True)
            print(json.dumps({'pages': len(r.pages), 'first': r.pages[0].extract_text(), 'last': r.pages[2].extract_text()}))
            """
        let out = try ExternalTool.run(ExternalTool.python3!, ["-c", script, file])
        #expect(out.status == 0, "\(out.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(json["pages"] as? Int == 3)
        #expect((json["first"] as? String)?.contains("João da Conceição Ação") == true)
        #expect((json["last"] as? String)?.contains("Maria") == true)
    }

    @Test("qpdf finds no error", .enabled(if: ExternalTool.qpdf != nil, "qpdf is not installed"))
    func qpdfCheck() throws {
        let pdf = LettersPDF.render([Self.letter(paragraphs: 12, barcode: Self.barcode), Self.letter()]).pdf
        let file = try ExternalTool.temporaryFile(pdf, suffix: ".pdf")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let out = try ExternalTool.run(ExternalTool.qpdf!, ["--check", file])
        #expect(out.status == 0, "\(out.stdout) \(out.stderr)")
        #expect(out.stdout.contains("No syntax or stream encoding errors found"))
    }

    @Test(
        "the drawn barcode scans back to its 44 digits",
        .enabled(
            if: ExternalTool.find("zbarimg") != nil && ExternalTool.find("pdftoppm") != nil,
            "zbarimg (zbar-tools) or pdftoppm (poppler-utils) is not installed"))
    func barcodeScans() throws {
        let pdf = LettersPDF.render([Self.letter(barcode: Self.barcode)]).pdf
        let file = try ExternalTool.temporaryFile(pdf, suffix: ".pdf")
        let image = file + "-page"
        defer {
            try? FileManager.default.removeItem(atPath: file)
            try? FileManager.default.removeItem(atPath: image + ".pgm")
        }
        // Grey-scale PGM at 200 dpi: a narrow bar is 2 pixels, and no PNG compression to wait for.
        let raster = try ExternalTool.run(
            ExternalTool.find("pdftoppm")!, ["-r", "200", "-gray", "-singlefile", file, image])
        #expect(raster.status == 0)
        let scan = try ExternalTool.run(ExternalTool.find("zbarimg")!, ["-q", "--raw", image + ".pgm"])
        #expect(scan.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == Self.barcode)
    }

    @Test("letters.csv lists pages and address; formulas neutralised; one line per letter")
    func lettersCSV() {
        var hostile = Self.letter(name: "=HYPERLINK(\"http://x\")")
        hostile.customer.address.complement = "bloco 2\r\nR9,forged"
        let letters = [Self.letter(paragraphs: 12), hostile]
        let r = LettersPDF.render(letters)
        let lines = String(decoding: LettersPDF.lettersCSV(letters, pages: r.pages), as: UTF8.self).components(
            separatedBy: "\r\n")
        #expect(lines.count == 4 && lines[3].isEmpty)
        #expect(
            lines[0]
                == "message_id,customer_id,step,title_ids,first_page,page_count,name,address_street,address_number,"
                + "address_complement,address_district,address_city,address_state,address_zip")
        #expect(
            lines[1]
                == "R20261123-ab12cd34ef56ab78,C001,letter_d30,T-1;T-2,1,2,João da Conceição Ação,Rua das Flores,123,"
                + "apto 45,Jardim Paulista,São Paulo,SP,01415000")
        #expect(
            lines[2]
                == "R20261123-ab12cd34ef56ab78,C001,letter_d30,T-1;T-2,3,1,\"'=HYPERLINK(\"\"http://x\"\")\",Rua das Flores,123,"
                + "\"bloco 2  R9,forged\",Jardim Paulista,São Paulo,SP,01415000")
    }

    @Test("an empty batch is still a valid PDF", .enabled(if: ExternalTool.qpdf != nil, "qpdf is not installed"))
    func emptyBatch() throws {
        let r = LettersPDF.render([])
        #expect(r.pages.isEmpty)
        let file = try ExternalTool.temporaryFile(r.pdf, suffix: ".pdf")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let out = try ExternalTool.run(ExternalTool.qpdf!, ["--check", file])
        #expect(out.status == 0, "\(out.stdout) \(out.stderr)")
    }
}
