/// Draws a ``BoletoSlip`` as the FEBRABAN *ficha de compensação*, 170 mm wide: the bank line
/// (logo area, code with check digit, linha digitável), the boxed fields with the right-hand
/// column of due date and amounts, the instructions, the payer, and the Interleaved 2 of 5
/// barcode (13 mm tall, narrow bar 0.254 mm, wide 3 × narrow, with its quiet zone) below.
enum BoletoSlipLayout {
    typealias U = PDFUnit
    /// Width of the slip.
    static let width = U.mm(170)
    /// The right-hand column (vencimento, valores).
    static let rightColumn = U.mm(45)
    static let headHeight = U.mm(9), rowHeight = U.mm(8.5), instructionsHeight = U.mm(30), payerHeight = U.mm(15)
    /// From the slip's top to the bottom of its barcode: the cut line, the boxes, the
    /// "Autenticação mecânica" line and the barcode.
    static let height =
        cutGap + headHeight + 4 * rowHeight + instructionsHeight + payerHeight + U.mm(5)
        + U.mm(LetterGeometry.barcodeHeight)
    static let cutGap = U.mm(6)

    /// The boxed rows under the bank line: each row's left cells (label, width in mm; the last
    /// takes what is left up to the right column) and its right cell's label.
    static let rows: [(cells: [(label: String, widthMM: Double)], right: String)] = [
        ([("Local de pagamento", 125)], "Vencimento"),
        ([("Beneficiário", 125)], "Agência / Código do beneficiário"),
        (
            [
                ("Data do documento", 24), ("Nº do documento", 40), ("Espécie doc.", 17), ("Aceite", 12),
                ("Data do processamento", 32),
            ], "Nosso número"
        ),
        (
            [("Uso do banco", 24), ("Carteira", 20), ("Espécie", 17), ("Quantidade", 29), ("Valor", 35)],
            "(=) Valor do documento"
        ),
    ]
    /// The right-hand cells beside the instructions.
    static let amountLabels = [
        "(-) Desconto / Abatimento", "(-) Outras deduções", "(+) Mora / Multa", "(+) Outros acréscimos",
        "(=) Valor cobrado",
    ]

    /// The values of ``rows``, cell by cell and then the right cell: the same for every slip
    /// where the cell is printed the same on every boleto ("DM", "N", "R$"), else from `s`.
    static func values(_ s: BoletoSlip?) -> [(cells: [String], right: String)] {
        var beneficiary = ""
        if let s {
            beneficiary = s.beneficiaryName + " - CNPJ " + s.beneficiaryDocument
            if let a = s.beneficiaryAddress { beneficiary += " - " + a }
        }
        return [
            (["Pagável em qualquer banco, mesmo após o vencimento"], s?.dueDate.br ?? ""),
            ([beneficiary], s?.agencyCode ?? ""),
            (
                [s?.documentDate.br ?? "", s?.documentNumber ?? "", "DM", "N", s?.processingDate.br ?? ""],
                s?.nossoNumero ?? ""
            ),
            (["", s?.wallet ?? "", "R$", "", ""], s.map { plainAmount($0.amount) } ?? ""),
        ]
    }

    /// The cells printed the same on every slip (the others empty).
    static let constantValues = values(nil)

    /// Draws the slip with its top-left corner at (left, top), PDF points from the bottom-left:
    /// the frame every slip shares (rules, labels and the cells printed the same on every
    /// boleto), made once (``frame``) and placed here, then this slip's values.
    /// ``drawWhole(_:into:left:top:)`` is the plain twin the tests hold it to.
    ///
    /// `asForm`: the frame is the file's ``frameForm``, placed by name (letters.pdf, where
    /// thousands of slips share it) instead of its content copied in.
    static func draw(_ s: BoletoSlip, into c: inout PDFContent, left: Double, top: Double, asForm: Bool = false) {
        if asForm { c.placeForm(frameForm.name, x: left, y: top) } else { c.place(frame, x: left, y: top) }
        drawValues(s, into: &c, left: left, top: top)
    }

    /// ``frame`` as a form of its file, boxed 2 points beyond the slip on every side.
    static let frameForm = PDFForm(name: "SlipFrame", content: frame, box: [-2, -height - 2, width + 2, 2])

    /// ``draw(_:into:left:top:)`` with the frame drawn in place instead of placed.
    static func drawWhole(_ s: BoletoSlip, into c: inout PDFContent, left: Double, top: Double) {
        drawFrame(into: &c, left: left, top: top)
        drawValues(s, into: &c, left: left, top: top)
    }

    /// ``drawFrame(into:left:top:)`` at the origin: a content stream of its own, so it may be
    /// placed anywhere (``PDFContent/place(_:x:y:)``). It sets its line widths and dashes itself
    /// and leaves nothing set.
    static let frame: [UInt8] = {
        var c = PDFContent()
        drawFrame(into: &c, left: 0, top: 0)
        return c.bytes
    }()

    /// Everything of a slip that does not depend on the boleto.
    static func drawFrame(into c: inout PDFContent, left: Double, top: Double) {
        let right = left + width
        let split = right - rightColumn
        // Cut line ("corte na linha pontilhada") with a small label.
        c.dashedLine(from: (left, top - U.mm(2)), to: (right, top - U.mm(2)), width: 0.4, dash: U.mm(1.5))
        c.textRight(
            WinAnsi.encode("Corte na linha pontilhada"), right: right, y: top - U.mm(4.6), font: .helvetica,
            size: 5.5)
        var y = top - cutGap
        // Bank line: logo area | code-digit | linha digitável.
        c.line(from: (left + logoWidth, y), to: (left + logoWidth, y - headHeight), width: 1)
        c.line(from: (left + logoWidth + codeWidth, y), to: (left + logoWidth + codeWidth, y - headHeight), width: 1)
        y -= headHeight
        c.line(from: (left, y), to: (right, y), width: 1.2)

        for (r, constant) in zip(rows, constantValues) {
            var cx = left
            for (i, cell) in r.cells.enumerated() {
                let w = i == r.cells.count - 1 ? split - cx : U.mm(cell.widthMM)
                field(cell.label, constant.cells[i], x: cx, top: y, width: w, c: &c)
                if i > 0 { c.line(from: (cx, y), to: (cx, y - rowHeight), width: 0.5) }
                cx += w
            }
            c.line(from: (split, y), to: (split, y - rowHeight), width: 0.5)
            field(r.right, "", x: split, top: y, width: rightColumn, c: &c)
            y -= rowHeight
            c.line(from: (left, y), to: (right, y), width: 0.5)
        }

        // Instructions, beside the stacked amount cells.
        field("Instruções (texto de responsabilidade do beneficiário)", "", x: left, top: y, width: split - left, c: &c)
        c.line(from: (split, y), to: (split, y - instructionsHeight), width: 0.5)
        let cell = instructionsHeight / Double(amountLabels.count)
        for (i, label) in amountLabels.enumerated() {
            field(label, "", x: split, top: y - Double(i) * cell, width: rightColumn, c: &c)
            if i > 0 { c.line(from: (split, y - Double(i) * cell), to: (right, y - Double(i) * cell), width: 0.5) }
        }
        y -= instructionsHeight
        c.line(from: (left, y), to: (right, y), width: 0.5)

        c.text(WinAnsi.encode("Pagador"), x: left + 2, y: y - U.mm(2.4), font: .helvetica, size: 5.5)
        y -= payerHeight
        c.line(from: (left, y), to: (right, y), width: 1.2)
        c.textRight(
            WinAnsi.encode("Autenticação mecânica - Ficha de Compensação"), right: right, y: y - U.mm(3),
            font: .helvetica, size: 6)
    }

    static let logoWidth = U.mm(42), codeWidth = U.mm(19)

    /// This boleto's part of the slip: bank, code and linha digitável, the cells' values, the
    /// instructions, the payer and the barcode.
    static func drawValues(_ s: BoletoSlip, into c: inout PDFContent, left: Double, top: Double) {
        let right = left + width
        let split = right - rightColumn
        var y = top - cutGap
        text(
            s.bankName, x: left + 2, y: y - headHeight + U.mm(2.6), width: logoWidth - 4, font: .helveticaBold, size: 9,
            c: &c)
        let code = WinAnsi.encode(s.bankCodeWithDigit)
        let codeX = left + logoWidth + (codeWidth - WinAnsi.width(code, font: .helveticaBold, size: 13)) / 2
        c.text(code, x: codeX, y: y - headHeight + U.mm(2.4), font: .helveticaBold, size: 13)
        // The linha digitável whole, in the largest type up to 10.5 pt that fits its box.
        let linha = WinAnsi.encode(s.linhaDigitavel)
        let room = width - logoWidth - codeWidth - 6
        var size = 10.5
        while size > 6, WinAnsi.width(linha, font: .helveticaBold, size: size) > room { size -= 0.5 }
        c.textRight(linha, right: right - 2, y: y - headHeight + U.mm(2.6), font: .helveticaBold, size: size)
        y -= headHeight

        let constant = constantValues
        for (k, (r, v)) in zip(rows, values(s)).enumerated() {
            var cx = left
            for (i, cell) in r.cells.enumerated() {
                let w = i == r.cells.count - 1 ? split - cx : U.mm(cell.widthMM)
                if v.cells[i] != constant[k].cells[i] { value(v.cells[i], x: cx, top: y, width: w, c: &c) }
                cx += w
            }
            value(v.right, x: split, top: y, width: rightColumn, alignRight: true, c: &c)
            y -= rowHeight
        }

        var line = y - U.mm(5.5)
        for instruction in s.instructions {
            for wrapped in WinAnsi.wrap(
                WinAnsi.encode(instruction), font: .helvetica, size: 8, maxWidth: split - left - 6)
            where line > y - instructionsHeight + 3 {
                c.text(wrapped, x: left + 3, y: line, font: .helvetica, size: 8)
                line -= 10
            }
        }
        y -= instructionsHeight

        text(
            s.payerName + " - " + documentLabel(s.payerDocument) + " " + s.payerDocument,
            x: left + 3, y: y - U.mm(5.6), width: width - 6, font: .helveticaBold, size: 8.5, c: &c)
        text(
            s.payerAddress.joined(separator: " - "), x: left + 3, y: y - U.mm(9.4), width: width - 6,
            font: .helvetica, size: 8, c: &c)
        y -= payerHeight
        // The barcode, its quiet zone (≥ 10 narrow bars, here 5 mm) kept to the left.
        Interleaved2of5.draw(
            s.barcode, into: &c, x: left + U.mm(5), y: y - U.mm(5) - U.mm(LetterGeometry.barcodeHeight),
            narrow: U.mm(LetterGeometry.barcodeNarrow), height: U.mm(LetterGeometry.barcodeHeight))
    }

    /// `CPF` or `CNPJ` by the formatted document's length.
    static func documentLabel(_ formatted: String) -> String { formatted.utf8.count > 14 ? "CNPJ" : "CPF" }

    /// `1.234,56`: amounts on the slip go without the currency sign (the Espécie cell says R$).
    static func plainAmount(_ m: Money) -> String {
        let br = m.br
        return br.hasPrefix("R$ ") ? String(br.dropFirst(3)) : br
    }

    /// A labelled cell: the label in small type at its top-left, the value (if any) below.
    private static func field(
        _ label: String, _ v: String, x: Double, top: Double, width: Double, c: inout PDFContent
    ) {
        c.text(WinAnsi.encode(label), x: x + 2, y: top - U.mm(2.4), font: .helvetica, size: 5.5)
        value(v, x: x, top: top, width: width, c: &c)
    }

    /// A cell's value under its label, cut to the cell; right-aligned in bold in the right column.
    private static func value(
        _ value: String, x: Double, top: Double, width: Double, alignRight: Bool = false, c: inout PDFContent
    ) {
        guard !value.isEmpty else { return }
        let v = LetterComposer.truncate(WinAnsi.encode(value), font: .helvetica, size: 8.5, maxWidth: width - 5)
        if alignRight {
            c.textRight(v, right: x + width - 3, y: top - U.mm(6.6), font: .helveticaBold, size: 8.5)
        } else {
            c.text(v, x: x + 3, y: top - U.mm(6.6), font: .helvetica, size: 8.5)
        }
    }

    private static func text(
        _ s: String, x: Double, y: Double, width: Double, font: PDFFont, size: Double, c: inout PDFContent
    ) {
        c.text(
            LetterComposer.truncate(WinAnsi.encode(s), font: font, size: size, maxWidth: width), x: x, y: y, font: font,
            size: size)
    }
}

/// One boleto as a PDF of its own, the e-mail attachment ("2ª via"): a heading with the
/// company and the title, then the ficha de compensação.
enum BoletoPDF {
    /// The file's bytes (one A4 page).
    static func render(_ slip: BoletoSlip) -> [UInt8] {
        var c = PDFContent()
        let left = PDFUnit.mm(20)
        var y = PDFUnit.a4Height - PDFUnit.mm(20)
        func line(_ s: String, font: PDFFont, size: Double) {
            c.text(
                LetterComposer.truncate(WinAnsi.encode(s), font: font, size: size, maxWidth: BoletoSlipLayout.width),
                x: left, y: y - size, font: font, size: size)
            y -= size + 5
        }
        line(slip.beneficiaryName, font: .helveticaBold, size: 12)
        line("CNPJ " + slip.beneficiaryDocument, font: .helvetica, size: 9)
        y -= 8
        line("Boleto do título " + slip.documentNumber + " - 2ª via", font: .helveticaBold, size: 11)
        line("Pagador: " + slip.payerName, font: .helvetica, size: 9.5)
        line("Vencimento " + slip.dueDate.br + " - valor do documento " + slip.amount.br, font: .helvetica, size: 9.5)
        line("Linha digitável: " + slip.linhaDigitavel, font: .helvetica, size: 9.5)
        y -= PDFUnit.mm(4)
        BoletoSlipLayout.draw(slip, into: &c, left: left, top: y)
        var document = PDFDocument(title: "Boleto " + slip.titleID)
        document.pages = [c.bytes]
        return document.build()
    }
}
