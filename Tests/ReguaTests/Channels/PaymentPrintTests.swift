import Foundation
import Testing
@testable import Regua

/// What a printed letter and a boleto attachment carry to be paid: the PIX QR code and the
/// fichas de compensação, rasterised by poppler and read back by zbar and pdftotext.
@Suite("Letters and boletos: QR code and slips read back")
struct PaymentPrintTests {
    static let asOf = Day(year: 2026, month: 11, day: 23)!
    static let policy = Policy(
        lateFeePercent: Percent(decimal: "2")!, interestPercentMonth: Percent(decimal: "1")!)
    static let tools =
        ExternalTool.zbarimg != nil && ExternalTool.pdftoppm != nil && ExternalTool.pdftotext != nil

    /// A title of the Banco do Brasil account with its boleto made as the bank stage does.
    static func dunned(_ id: String, nosso: String, cents: Int64, daysOverdue: Int) throws -> DunnedTitle {
        let due = asOf.adding(days: -daysOverdue)
        let code = try Boleto.make(bank: BankFixtures.bb, nossoNumero: nosso, dueDate: due, amount: Money(cents: cents))
        let title = Title(
            id: TitleID(id), customerID: CustomerID("C1"), dueDate: due, amount: Money(cents: cents), nossoNumero: nosso
        )
        let fee = daysOverdue > 0 ? policy.lateFeePercent.applied(to: title.amount) : .zero
        let interest =
            daysOverdue > 0
            ? policy.interestPercentMonth.applied(to: title.amount, times: daysOverdue, over: 30) : .zero
        return DunnedTitle(
            title: title, effectiveDueDate: due, daysOverdue: daysOverdue, outstanding: title.amount, lateFee: fee,
            interest: interest, barcode: code.barcode, linhaDigitavel: code.linhaDigitavel)
    }

    static func slip(_ t: DunnedTitle, customer: Customer = sampleCustomer()) throws -> BoletoSlip {
        try #require(
            BoletoSlip.make(
                title: t, customer: customer, company: BankFixtures.company, bank: BankFixtures.bb, policy: policy,
                asOf: asOf))
    }

    /// Every page rasterised at 300 dpi, and what zbar reads on each (QR and ITF).
    static func scanPages(_ pdf: [UInt8]) throws -> (qr: [String], itf: [String], text: String) {
        let dir = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("doc.pdf").path
        try Data(pdf).write(to: URL(fileURLWithPath: file))
        let r = try ExternalTool.run(
            ExternalTool.pdftoppm!, ["-r", "300", "-png", file, dir.appendingPathComponent("p").path])
        #expect(r.status == 0, "\(r.stderr)")
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".png") }
            .sorted()
            .map { dir.appendingPathComponent($0).path }
        // Reading order, runs of white space (line breaks of wrapped instructions too) as one space.
        let text = try ExternalTool.run(ExternalTool.pdftotext!, [file, "-"]).stdout
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return (
            try ExternalTool.scan(pages, extra: ExternalTool.qrOnly),
            try ExternalTool.scan(pages, extra: ExternalTool.i25Only), text
        )
    }

    @Test("a letter's QR code decodes to its BR Code and each slip's ITF barcode to its 44 digits", .enabled(if: tools))
    func letterScans() throws {
        let a = try Self.dunned("NF-1", nosso: "56", cents: 780_000, daysOverdue: 32)
        let b = try Self.dunned("NF-2/ç", nosso: "57", cents: 12_345, daysOverdue: -3)
        let pix = PixBRCode.payload(
            key: "cobranca@exemplo.com.br", merchantName: "Exemplo Comércio Ltda", merchantCity: "São Paulo",
            amount: Money(cents: 816_345), txid: "R20261123ab12cd34ef56ab78")
        let letter = Letter(
            customer: sampleCustomer(), senderLines: ["Exemplo Comércio Ltda"], date: Self.asOf, city: "São Paulo",
            body: "Prezado cliente,\n\nConstam em aberto os títulos abaixo.",
            reference: ("R20261123-ab12cd34ef56ab78", "C001", "letter_d30", ["NF-1", "NF-2/ç"]),
            pix: (pix, Money(cents: 816_345)), slips: [try Self.slip(a), try Self.slip(b)])
        let (pdf, pages) = LettersPDF.render([letter])
        #expect(pages[0].pageCount >= 2)
        let read = try Self.scanPages(pdf)
        #expect(read.qr == [pix])
        #expect(read.itf.sorted() == [a.barcode!, b.barcode!].sorted())
        // The amount the QR code pays is printed beside it.
        #expect(read.text.contains("Pague com PIX") && read.text.contains("Valor: R$ 8.163,45"))
    }

    @Test(
        "letters.pdf holds the slip's frame once, as a form each slip places: its pages rasterise as with the frame copied in",
        .enabled(if: tools))
    func slipFrameIsOneForm() throws {
        let slips = try (0..<3).map {
            try Self.slip(try Self.dunned("NF-\($0)", nosso: "5\($0)", cents: 9_900 + $0, daysOverdue: 9))
        }
        let letter = Letter(
            customer: sampleCustomer(), senderLines: ["Exemplo Comércio Ltda"], date: Self.asOf, city: "São Paulo",
            body: "Prezado cliente,\n\nConstam em aberto os títulos abaixo.",
            reference: ("R20261123-ab12cd34ef56ab78", "C001", "letter_d30", ["NF-0", "NF-1", "NF-2"]), pix: nil,
            slips: slips)
        let (pdf, _) = LettersPDF.render([letter])
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.components(separatedBy: "/Subtype /Form").count == 2, "one form in the file")
        #expect(text.components(separatedBy: "/SlipFrame Do").count == 4, "placed by each of the 3 slips")
        #expect(text.components(separatedBy: "(Local de pagamento)").count == 2, "the frame's labels once")
        // The same pages with the frame's content copied where each slip places it.
        // (Bytes, not strings: the content streams are WinAnsi.)
        let placing = Array("/SlipFrame Do\n".utf8)
        let pages = LetterComposer.compose(letter).map { page -> [UInt8] in
            var out: [UInt8] = [], i = 0
            let b = page.bytes
            while i < b.count {
                if b[i...].starts(with: placing) {
                    out += BoletoSlipLayout.frame
                    i += placing.count
                } else {
                    out.append(b[i])
                    i += 1
                }
            }
            return out
        }
        let inline = PDFDocument(pages: pages).build()
        for page in 1...pages.count {
            let (w1, h1, a, f1) = try Self.rasterise(pdf: pdf, page: page)
            defer { try? FileManager.default.removeItem(at: f1) }
            let (w2, h2, b, f2) = try Self.rasterise(pdf: inline, page: page)
            defer { try? FileManager.default.removeItem(at: f2) }
            try #require(w1 == w2 && h1 == h2)
            let differing = zip(a, b).filter { ($0 < 128) != ($1 < 128) }.count
            #expect(differing == 0, "page \(page)")
            #expect(a.filter { $0 < 128 }.count > 20_000, "page \(page) is not blank")
        }
    }

    @Test(
        "a QR code drawn as an image mask rasterises to exactly its modules, where they belong, and scans back",
        .enabled(if: tools))
    func qrMaskRasterises() throws {
        let texts = [
            "0002012636",  // version 1
            PixBRCode.payload(
                key: "cobranca@exemplo.com.br", merchantName: "Exemplo Comércio Ltda", merchantCity: "São Paulo",
                amount: Money(cents: 816_345), txid: "R20261123ab12cd34ef56ab78"),
            String(repeating: "PIX copia e cola ", count: 20),
        ]
        for text in texts {
            let code = try #require(QRCode(text: text))
            // 15 pixels a module at 300 dpi (3.6 points), so each module's centre is far from its edges.
            let module = 3.6, x = 97.0, y = 211.0
            var content = PDFContent()
            content.text(WinAnsi.encode("antes"), x: 40, y: 40, font: .helvetica, size: 9)
            code.draw(into: &content, x: x, y: y, width: module * Double(code.size + 2 * QRCode.quietZone))
            let (width, height, pixels, folder) = try Self.rasterise(content)
            defer { try? FileManager.default.removeItem(at: folder) }
            let q = QRCode.quietZone
            // The symbol and one ring of its quiet zone, module by module, at each module's centre.
            for my in -1...code.size {
                for mx in -1...code.size {
                    let px = Int(((x + (Double(mx + q) + 0.5) * module) * 300 / 72).rounded(.down))
                    let pyUp = (y + (Double(code.size + q - my) - 0.5) * module) * 300 / 72
                    let py = height - 1 - Int(pyUp.rounded(.down))
                    let dark = pixels[py * width + px] < 128
                    if dark != code.isDark(x: mx, y: my) {
                        Issue.record("\(code.version): module (\(mx), \(my)) is \(dark ? "dark" : "light") on paper")
                        return
                    }
                }
            }
            let pgm = folder.appendingPathComponent("page.pgm").path
            #expect(try ExternalTool.scan([pgm], extra: ExternalTool.qrOnly) == [text])
        }
    }

    /// One page rasterised by poppler at 300 dpi in grey: width, height, pixels, and the temporary
    /// folder holding the file as `page.pgm` (for zbar), which the caller removes.
    static func rasterise(_ page: PDFContent) throws -> (Int, Int, [UInt8], URL) {
        try rasterise(pdf: PDFDocument(pages: [page.bytes]).build())
    }

    /// ``rasterise(_:)`` of page `page` (from 1) of a whole file.
    static func rasterise(pdf: [UInt8], page: Int = 1) throws -> (Int, Int, [UInt8], URL) {
        let dir = try ExternalTool.temporaryFolder()
        do {
            let file = dir.appendingPathComponent("page.pdf").path
            try Data(pdf).write(to: URL(fileURLWithPath: file))
            let image = dir.appendingPathComponent("page").path
            let r = try ExternalTool.run(
                ExternalTool.pdftoppm!,
                ["-r", "300", "-gray", "-f", "\(page)", "-l", "\(page)", "-singlefile", file, image])
            try #require(r.status == 0, "\(r.stderr)")
            let (width, height, pixels) = try pgm(Data(contentsOf: URL(fileURLWithPath: image + ".pgm")))
            return (width, height, pixels, dir)
        } catch {
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
    }

    /// A binary grey-scale PGM (P5, 8 bits) as written by pdftoppm: width, height, pixels.
    static func pgm(_ data: Data) throws -> (Int, Int, [UInt8]) {
        let bytes = [UInt8](data)
        var fields: [Int] = [], i = 2, current = ""
        try #require(bytes.starts(with: Array("P5".utf8)))
        while fields.count < 3 {
            let c = bytes[i]
            i += 1
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 {
                if !current.isEmpty { fields.append(try #require(Int(current))) }
                current = ""
            } else {
                current.append(Character(UnicodeScalar(c)))
            }
        }
        try #require(fields[2] == 255 && bytes.count - i == fields[0] * fields[1])
        return (fields[0], fields[1], Array(bytes[i...]))
    }

    @Test(
        "the slip's cut line, one dashed stroke, rasterises to 57 dashes of 1.5 mm every 3 mm across the 170 mm",
        .enabled(if: tools))
    func cutLineDashes() throws {
        let slip = try Self.slip(try Self.dunned("NF-9", nosso: "58", cents: 99_000, daysOverdue: 5))
        let (left, top) = (PDFUnit.mm(20), PDFUnit.mm(250))
        var content = PDFContent()
        BoletoSlipLayout.draw(slip, into: &content, left: left, top: top)
        let (width, height, pixels, folder) = try Self.rasterise(content)
        defer { try? FileManager.default.removeItem(at: folder) }
        let px = { (points: Double) in Int((points * 300 / 72).rounded()) }
        let row = height - 1 - px(top - PDFUnit.mm(2))
        // Dark runs along the line's row, from 1 mm left of the slip to 1 mm right of it.
        var runs: [(start: Int, length: Int)] = []
        for x in px(left - PDFUnit.mm(1))..<min(width, px(left + BoletoSlipLayout.width + PDFUnit.mm(1))) {
            guard pixels[row * width + x] < 128 else { continue }
            if let last = runs.last, last.start + last.length == x {
                runs[runs.count - 1].length += 1
            } else {
                runs.append((x, 1))
            }
        }
        let dash = 1.5 * 300 / 25.4  // 17.7 pixels
        #expect(runs.count == 57)
        #expect(runs.allSatisfy { abs(Double($0.length) - dash) <= 2 }, "\(runs.map(\.length))")
        #expect(abs(runs.first!.start - px(left)) <= 1)
        for (a, b) in zip(runs, runs.dropFirst()) { #expect(abs(Double(b.start - a.start) - 2 * dash) <= 2) }
    }

    @Test(
        "the slip's frame, made once and placed, rasterises to the same pixels as the slip drawn whole in place",
        .enabled(if: tools), arguments: [(20.0, 250.0, "NF-9", "58"), (31.7, 143.3, "TÍTULO (ação) 7/12", "00123")])
    func placedFrameIsTheWholeDrawing(leftMM: Double, topMM: Double, title: String, nosso: String) throws {
        let slip = try Self.slip(try Self.dunned(title, nosso: nosso, cents: 1_234_567, daysOverdue: 40))
        let (left, top) = (PDFUnit.mm(leftMM), PDFUnit.mm(topMM))
        var placed = PDFContent(), whole = PDFContent()
        BoletoSlipLayout.draw(slip, into: &placed, left: left, top: top)
        BoletoSlipLayout.drawWhole(slip, into: &whole, left: left, top: top)
        #expect(placed.bytes != whole.bytes)
        let (w1, h1, a, f1) = try Self.rasterise(placed)
        defer { try? FileManager.default.removeItem(at: f1) }
        let (w2, h2, b, f2) = try Self.rasterise(whole)
        defer { try? FileManager.default.removeItem(at: f2) }
        try #require(w1 == w2 && h1 == h2)
        // Positions agree to the writer's 0.001 pt, but poppler places glyphs on a grid of a
        // quarter pixel, so an edge may move by one: in black and white, every pixel that
        // differs must have a neighbour of its colour in the other drawing.
        let (inkA, inkB) = (a.map { $0 < 128 }, b.map { $0 < 128 })
        func near(_ ink: Bool, _ image: [Bool], _ x: Int, _ y: Int) -> Bool {
            for dy in -1...1 {
                for dx in -1...1 {
                    let (nx, ny) = (x + dx, y + dy)
                    if nx >= 0, ny >= 0, nx < w1, ny < h1, image[ny * w1 + nx] == ink { return true }
                }
            }
            return false
        }
        var differing = 0, unexplained: [(Int, Int)] = []
        for i in inkA.indices where inkA[i] != inkB[i] {
            differing += 1
            let (x, y) = (i % w1, i / w1)
            if !near(inkA[i], inkB, x, y) || !near(inkB[i], inkA, x, y) { unexplained.append((x, y)) }
        }
        #expect(unexplained.count == 0, "first: \(unexplained.prefix(10))")
        #expect(differing < 500)
        // The drawing is not blank: the slip's rules, labels, values and barcode are there.
        #expect(a.filter { $0 < 128 }.count > 50_000)
        // The frame holds no boleto's values.
        let frame = String(decoding: BoletoSlipLayout.frame, as: UTF8.self)
        #expect(frame.contains("(Nosso n") && !frame.contains("(\(nosso))"))
    }

    @Test("the slip prints every field of the ficha de compensação", .enabled(if: tools))
    func slipFields() throws {
        let t = try Self.dunned("NF-1", nosso: "56", cents: 780_000, daysOverdue: 32)
        let slip = try Self.slip(t)
        let read = try Self.scanPages(BoletoPDF.render(slip))
        #expect(read.itf == [t.barcode!])
        let text = read.text
        let linha = try #require(Boleto.format(linha: t.linhaDigitavel!))
        for expected in [
            "Banco do Brasil S.A.", "001-9", linha, "Local de pagamento", "Pagável em qualquer banco",
            "Beneficiário", "Exemplo Comércio Ltda - CNPJ 11.222.333/0001-81", "Vencimento", t.title.dueDate.br,
            "Agência / Código do beneficiário", "4042 / 61900-0", "Nosso número", "56", "(=) Valor do documento",
            "7.800,00", "Carteira", "17-019", "Nº do documento", "NF-1",
            "multa de 2% (R$ 156,00)", "juros de mora de 1% ao mês (R$ 2,60 por dia de atraso)",
            "Valor atualizado em 23/11/2026, com multa e juros: R$ 8.039,20", "Pagador",
            "João da Conceição Ação - CPF 529.982.247-25", "Rua das Flores, 123 - apto 45", "CEP 01415-000",
            "Ficha de Compensação",
        ] {
            #expect(text.contains(expected), "\(expected)")
        }
    }

    @Test(
        "bank code check digits (módulo 11)",
        arguments: [
            ("001", "001-9"), ("341", "341-7"), ("237", "237-2"), ("104", "104-0"), ("033", "033-7"),
        ])
    func bankDigit(code: String, expected: String) throws {
        var slip = try Self.slip(try Self.dunned("X", nosso: "1", cents: 100, daysOverdue: 0))
        slip.bankCode = code
        #expect(slip.bankCodeWithDigit == expected)
    }

    @Test("an ERP-issued linha digitável gives the slip its barcode; a title without boleto has no slip")
    func erpBoleto() throws {
        let itauBarcode = "34192102100000150001091234567812341234512000"  // BANKING.md worked example
        var t = try Self.dunned("T-9", nosso: "1", cents: 15_000, daysOverdue: 2)
        t.barcode = nil
        t.linhaDigitavel = nil
        t.title.nossoNumero = nil
        #expect(
            BoletoSlip.make(
                title: t, customer: sampleCustomer(), company: BankFixtures.company, bank: BankFixtures.bb,
                policy: Self.policy, asOf: Self.asOf) == nil)
        t.title.linhaDigitavel = "34191.09123 34567.812341 12345.120005 2 10210000015000"
        let slip = try Self.slip(t)
        #expect(slip.barcode == itauBarcode && slip.bankCode == "341" && slip.bankCodeWithDigit == "341-7")
        #expect(slip.amount == Money(cents: 15_000) && slip.agencyCode.isEmpty)
    }

    @Test(
        "attachment names are safe whatever the title id holds",
        arguments: [
            ("NF-10303", "boleto-NF-10303.pdf"),
            ("Ação 1", nil), ("../../etc/passwd", nil), ("a/b\\c", nil), (".hidden", nil), ("", nil),
            (String(repeating: "x", count: 300), nil), ("\r\nBcc: x@y", nil),
        ] as [(String, String?)])
    func fileNames(id: String, expected: String?) {
        let name = BoletoSlip.fileName(titleID: id)
        if let expected { #expect(name == expected) }
        #expect(name.hasPrefix("boleto-") && name.hasSuffix(".pdf"))
        #expect(name.utf8.count <= 80)
        #expect(name.dropLast(4).utf8.allSatisfy { ASCIIBytes.isAlphanumeric($0) || [45, 95].contains($0) })
    }

    @Test("an ASCII id's name is the name made from its canonical decomposition, on 5,000 random ids")
    func asciiShortcutMatchesDecomposition() {
        var rng = SplitMix64(seed: 91)
        let pieces = ["NF", "-", "_", "/", ".", " ", "0", "9", "a", "Z", "ç", "ã", "e\u{301}", "\t", "x", "12345"]
        for n in 0..<5_000 {
            let count = Int(rng.next() % 30)
            let id = (0..<count).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            #expect(BoletoSlip.fileName(titleID: id) == BoletoSlip.fileName(titleID: id, decomposed: nil), "id \(n)")
        }
    }

    @Test("different ids never share a name")
    func distinctNames() {
        let ids = [
            "a/b", "a_b", "a\\b", "a b", "ação", "acao", String(repeating: "y", count: 61),
            String(repeating: "y", count: 62),
        ]
        #expect(Set(ids.map(BoletoSlip.fileName(titleID:))).count == ids.count)
    }
}
