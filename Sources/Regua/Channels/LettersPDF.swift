import Foundation

/// One printed letter, already rendered: the PDF writer only lays it out.
public struct Letter: Sendable {
    /// The recipient (name and postal address).
    public var customer: Customer
    /// The company: name first (printed bold), then address lines.
    public var senderLines: [String]
    /// The as-of date, printed as "São Paulo, 23 de novembro de 2026".
    public var date: Day
    /// The city of the date line (the company's).
    public var city: String
    /// Rendered text: paragraphs separated by blank lines; single line breaks kept; a line
    /// starting with "# " is a bold heading.
    public var body: String
    /// Payment data printed after the body (linha digitável, PIX copia-e-cola…); long strings
    /// wrap by characters. A line starting with "# " is bold.
    public var paymentLines: [String]
    /// What the letter is for, printed in each page's footer for the mail house.
    public var reference: (messageID: String, customerID: String, step: String, titleIDs: [String])
    /// A 44-digit boleto barcode, drawn bare as Interleaved 2 of 5 after the payment lines
    /// (letters with ``slips`` print their barcodes inside the slips instead).
    public var barcode: String?
    /// The PIX BR Code printed as a QR code beside the amount it pays, with the copia-e-cola
    /// in small type for readers of the PDF on a screen.
    public var pix: (code: String, amount: Money)?
    /// The boleto slips (fichas de compensação), one per title with a boleto, after the PIX.
    public var slips: [BoletoSlip] = []

    /// Creates a letter.
    public init(
        customer: Customer, senderLines: [String], date: Day, city: String, body: String,
        paymentLines: [String] = [],
        reference: (messageID: String, customerID: String, step: String, titleIDs: [String]),
        barcode: String? = nil, pix: (code: String, amount: Money)? = nil, slips: [BoletoSlip] = []
    ) {
        self.pix = pix
        self.slips = slips
        self.customer = customer
        self.senderLines = senderLines
        self.date = date
        self.city = city
        self.body = body
        self.paymentLines = paymentLines
        self.reference = reference
        self.barcode = barcode
    }
}

/// `letters.pdf` and `letters.csv` for the mail house.
public enum LettersPDF {
    /// Renders all letters into one A4 PDF in memory; each letter starts on a new page.
    /// Returns, per letter in order, its 1-based first page and its number of pages. No letters:
    /// a valid file of no pages (a night without letters writes no letters.pdf).
    public static func render(_ letters: [Letter]) -> (pdf: [UInt8], pages: [(firstPage: Int, pageCount: Int)]) {
        var pdf: [UInt8] = []
        let pages = write(letters, window: max(1, letters.count)) { pdf += $0 }
        return (pdf, pages)
    }

    /// The forms every letters.pdf holds: the boleto slip's frame, placed by each slip.
    static let forms = [BoletoSlipLayout.frameForm]

    /// Letters laid out at a time by ``write(_:window:to:)``: a night's letters.pdf is not held
    /// whole in memory (17k two-page letters with their QR codes and slips are hundreds of MB).
    public static let window = 1024

    /// The same file as ``render(_:)``, handed to `sink` a window of letters at a time: each
    /// window is laid out on every core, then its pages are written in order, so the bytes do
    /// not depend on the window or on how the work was split. Returns what ``render(_:)`` does.
    public static func write(
        _ letters: [Letter], window: Int = window, to sink: ([UInt8]) throws -> Void
    ) rethrows -> [(firstPage: Int, pageCount: Int)] {
        var hasher = StreamingSHA256()
        return try write(
            letters, window: window,
            to: {
                hasher.update($0)
                try sink($0)
            }, sha256SoFar: { hasher.finishHex() })
    }

    /// ``write(_:window:to:)`` to a sink that hashes what it is given anyway (a staging file,
    /// for the manifest): `sha256SoFar` is the hex SHA-256 of every byte handed to `sink` so
    /// far, asked once before the cross-reference table for the trailer's /ID, so the file's
    /// 400-odd MB are hashed once, not twice. The same bytes as ``write(_:window:to:)``.
    public static func write(
        _ letters: [Letter], window: Int = window, to sink: ([UInt8]) throws -> Void,
        sha256SoFar: () throws -> String
    ) rethrows -> [(firstPage: Int, pageCount: Int)] {
        var stream = PDFStream(title: "Regua letters", hashing: false, forms: forms)
        var pages: [(firstPage: Int, pageCount: Int)] = []
        pages.reserveCapacity(letters.count)
        let step = max(1, window)
        for start in stride(from: 0, to: letters.count, by: step) {
            let slice = start..<min(start + step, letters.count)
            // Laying out a letter is independent of the others.
            let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 4, slice.count / 64))
            let composed = Parallel.mapRanges(slice.count, chunks: chunks) { range in
                range.map { LetterComposer.compose(letters[slice.lowerBound + $0]) }
            }
            for contents in composed.joined() {
                pages.append((stream.pages + 1, contents.count))
                for page in contents { stream.add(page: page.bytes) }
            }
            try sink(stream.take())
        }
        stream.finishObjects()
        try sink(stream.take())
        stream.finishTrailer(id: try sha256SoFar())
        try sink(stream.take())
        return pages
    }

    /// Columns of `letters.csv`.
    public static let csvHeader = [
        "message_id", "customer_id", "step", "title_ids", "first_page", "page_count", "name",
        "address_street", "address_number", "address_complement", "address_district", "address_city",
        "address_state", "address_zip",
    ]

    /// `letters.csv`: one row per letter with its pages in `letters.pdf` and its address.
    /// Meant for people, so formula-like cells are neutralised; control characters become
    /// spaces so each letter is one physical line. `pages` is ``render(_:)``'s second result.
    public static func lettersCSV(_ letters: [Letter], pages: [(firstPage: Int, pageCount: Int)]) -> [UInt8] {
        precondition(letters.count == pages.count, "one page range per letter")
        var w = CSVWriter(header: csvHeader, neutraliseFormulas: true)
        for (letter, range) in zip(letters, pages) {
            let a = letter.customer.address
            let r = letter.reference
            w.row(
                [
                    r.messageID, r.customerID, r.step, r.titleIDs.joined(separator: ";"), String(range.firstPage),
                    String(range.pageCount), letter.customer.name, a.street ?? "", a.number ?? "", a.complement ?? "",
                    a.district ?? "", a.city ?? "", a.state ?? "", a.zip ?? "",
                ].map(SMS.oneLine))
        }
        return w.bytes
    }
}

/// Lays out one letter on as many pages as it needs.
struct LetterComposer {
    typealias G = LetterGeometry
    static let pageHeight = PDFUnit.a4Height
    static let left = PDFUnit.mm(G.marginX)
    static let right = PDFUnit.a4Width - PDFUnit.mm(G.marginX)
    static let columnWidth = right - left
    static let bottomLimit = pageHeight - PDFUnit.mm(G.bodyBottom)

    /// A line of the flowing text.
    struct FlowLine {
        var bytes: [UInt8]
        var font: PDFFont
        var size: Double
        var leading: Double
        var spaceBefore: Double
        var keepWithNext = false
    }

    private var pages: [PDFContent] = []
    private var current = PDFContent()
    /// Distance from the top of the page to the top of the next line, in points.
    private var cursor = PDFUnit.mm(G.bodyTopFirst)
    private var pageIsEmpty = true
    /// The head of every page after the first: the company's name, and whom the letter is for.
    private var continuationHead: (company: [UInt8], recipient: [UInt8]) = ([], [])

    /// The letter's pages, footers included.
    static func compose(_ letter: Letter) -> [PDFContent] {
        var c = LetterComposer()
        c.continuationHead = (
            WinAnsi.encode(letter.senderLines.first ?? ""),
            WinAnsi.encode("continuação da carta a " + letter.customer.name)
        )
        c.drawFirstPageHead(letter)
        let body = bodyLines(letter.body)
        c.flow(body)
        c.payment(letter, afterBody: !body.isEmpty)
        c.pixBlock(letter)
        for slip in letter.slips { c.slip(slip) }
        c.pages.append(c.current)
        c.drawFooters(letter)
        return c.pages
    }

    // MARK: First page

    private mutating func drawFirstPageHead(_ letter: Letter) {
        func y(_ mmFromTop: Double) -> Double { Self.pageHeight - PDFUnit.mm(mmFromTop) }
        // Letterhead: company name bold, then its lines, within the space above the window.
        var top = PDFUnit.mm(G.letterheadTop)
        for (i, raw) in letter.senderLines.enumerated() {
            let font: PDFFont = i == 0 ? .helveticaBold : .helvetica
            let size = i == 0 ? 12.0 : 8.5
            let leading = i == 0 ? 15.0 : 10.5
            guard top + leading <= PDFUnit.mm(G.letterheadBottom) else { break }
            let line = Self.truncate(WinAnsi.encode(raw), font: font, size: size, maxWidth: Self.columnWidth)
            current.text(line, x: Self.left, y: Self.pageHeight - top - size, font: font, size: size)
            top += leading
        }
        // Window: return line, then the recipient block.
        let windowX = PDFUnit.mm(G.recipientX), windowWidth = PDFUnit.mm(G.recipientWidth)
        let ret = WinAnsi.encode(
            letter.senderLines.map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: " · "))
        current.text(
            Self.truncate(ret, font: .helvetica, size: 7, maxWidth: windowWidth), x: windowX,
            y: y(G.returnLineBaseline), font: .helvetica, size: 7)
        var baseline = PDFUnit.mm(G.recipientTop) + 10
        for line in Self.recipientLines(letter.customer, width: windowWidth) {
            current.text(line, x: windowX, y: Self.pageHeight - baseline, font: .helvetica, size: 10)
            baseline += 12
        }
        for mark in G.foldMarks {
            current.line(from: (PDFUnit.mm(4), y(mark)), to: (PDFUnit.mm(9), y(mark)), width: 0.3)
        }
        let date = WinAnsi.encode(PortugueseDate.placeAndDate(city: letter.city, day: letter.date))
        current.textRight(
            Self.truncate(date, font: .helvetica, size: 10, maxWidth: Self.columnWidth),
            right: Self.right, y: y(G.dateBaseline), font: .helvetica, size: 10)
    }

    /// Name (≤ 2 lines), first address line (≤ 3), other address lines (1 each): at most
    /// 8 lines of 12 pt, inside the 40 mm block.
    static func recipientLines(_ customer: Customer, width: Double) -> [[UInt8]] {
        func fit(_ text: String, max: Int) -> [[UInt8]] {
            var lines = WinAnsi.wrap(WinAnsi.encode(text), font: .helvetica, size: 10, maxWidth: width)
            if lines.count > max {
                lines = Array(lines.prefix(max))
                lines[max - 1] = truncate(lines[max - 1], font: .helvetica, size: 10, maxWidth: width, mark: true)
            }
            return lines
        }
        var out = fit(customer.name, max: 2)
        for (i, line) in customer.address.lines.enumerated() { out += fit(line, max: i == 0 ? 3 : 1) }
        return out
    }

    // MARK: Flowing text

    /// The body's lines: blank lines separate paragraphs, "# " lines are bold headings.
    static func bodyLines(_ body: String) -> [FlowLine] {
        var out: [FlowLine] = []
        var gap = 0.0
        for raw in MIME.splitLines(Array(body.utf8)).map({ String(decoding: $0, as: UTF8.self) }) {
            if raw.allSatisfy(\.isWhitespace) {
                if !out.isEmpty { gap = 7 }
                continue
            }
            out += styled(raw, size: 10.5, leading: 14, gapBefore: gap)
            gap = 0
        }
        return out
    }

    /// One source line wrapped to the column; a "# " prefix makes it a bold heading that
    /// stays with the line after it.
    static func styled(_ raw: String, size: Double, leading: Double, gapBefore: Double) -> [FlowLine] {
        let isHeading = raw.hasPrefix("# ")
        let font: PDFFont = isHeading ? .helveticaBold : .helvetica
        let text = isHeading ? String(raw.dropFirst(2)) : raw
        let size = isHeading ? size + 1 : size
        let leading = isHeading ? leading + 2 : leading
        let wrapped = WinAnsi.wrap(WinAnsi.encode(text), font: font, size: size, maxWidth: columnWidth)
        let firstGap = isHeading ? max(gapBefore, 7) : gapBefore
        return wrapped.enumerated().map { i, bytes in
            FlowLine(
                bytes: bytes, font: font, size: size, leading: leading, spaceBefore: i == 0 ? firstGap : 0,
                keepWithNext: isHeading)
        }
    }

    private mutating func flow(_ lines: [FlowLine]) {
        for (i, line) in lines.enumerated() {
            var need = line.spaceBefore + line.leading
            if line.keepWithNext, i + 1 < lines.count { need += lines[i + 1].leading }
            if !pageIsEmpty, cursor + need > Self.bottomLimit { newPage() }
            if !pageIsEmpty { cursor += line.spaceBefore }
            current.text(
                line.bytes, x: Self.left, y: Self.pageHeight - cursor - line.size, font: line.font, size: line.size)
            cursor += line.leading
            pageIsEmpty = false
        }
    }

    private mutating func newPage() {
        pages.append(current)
        current = PDFContent()
        drawContinuationHead()
        cursor = PDFUnit.mm(G.bodyTopNext)
        pageIsEmpty = true
    }

    /// A continuation page says whose letter it is, above the body: the company's name in bold
    /// on the left, "continuação da carta a …" on the right, and a thin rule under both.
    private mutating func drawContinuationHead() {
        let baseline = Self.pageHeight - PDFUnit.mm(G.continuationHeadBaseline)
        let company = Self.truncate(
            continuationHead.company, font: .helveticaBold, size: 9, maxWidth: Self.columnWidth / 2 - 6)
        current.text(company, x: Self.left, y: baseline, font: .helveticaBold, size: 9)
        let companyWidth = WinAnsi.width(company, font: .helveticaBold, size: 9)
        let recipient = Self.truncate(
            continuationHead.recipient, font: .helvetica, size: 8, maxWidth: Self.columnWidth - companyWidth - 12)
        current.textRight(recipient, right: Self.right, y: baseline, font: .helvetica, size: 8)
        let rule = baseline - 4
        current.line(from: (Self.left, rule), to: (Self.right, rule), width: 0.3)
    }

    // MARK: Payment block

    /// A rule, the payment lines and the barcode, kept on one page when they fit on one.
    private mutating func payment(_ letter: Letter, afterBody: Bool) {
        let lines = letter.paymentLines.flatMap { Self.styled($0, size: 9.5, leading: 12.5, gapBefore: 0) }
        let digits = letter.barcode.flatMap { $0.utf8.count == 44 && Interleaved2of5.elements($0) != nil ? $0 : nil }
        guard !lines.isEmpty || digits != nil else { return }
        let barcodeHeight = digits == nil ? 0 : PDFUnit.mm(4 + G.barcodeHeight)
        let ruleGap = 16.0
        let height = ruleGap + lines.reduce(0) { $0 + $1.spaceBefore + $1.leading } + barcodeHeight
        let pageRoom = Self.bottomLimit - PDFUnit.mm(G.bodyTopNext)
        if !pageIsEmpty, cursor + height > Self.bottomLimit, height <= pageRoom { newPage() }
        if !pageIsEmpty, afterBody {
            let y = Self.pageHeight - cursor - ruleGap / 2
            current.line(from: (Self.left, y), to: (Self.right, y), width: 0.5)
            cursor += ruleGap
        }
        flow(lines)
        if let digits {
            if !pageIsEmpty, cursor + barcodeHeight > Self.bottomLimit { newPage() }
            cursor += PDFUnit.mm(4)
            let bottom = Self.pageHeight - cursor - PDFUnit.mm(G.barcodeHeight)
            Interleaved2of5.draw(
                digits, into: &current, x: Self.left, y: bottom,
                narrow: PDFUnit.mm(G.barcodeNarrow), height: PDFUnit.mm(G.barcodeHeight))
            cursor += PDFUnit.mm(G.barcodeHeight)
            pageIsEmpty = false
        }
    }

    // MARK: PIX and boletos

    /// Side of the QR code drawn, quiet zone included (36 mm: the symbol itself is at least
    /// 26 mm wide for every version).
    static let qrSide = PDFUnit.mm(36)

    /// "Pague com PIX": the QR code on the left; the amount it pays, how to read it and the
    /// copia-e-cola on the right. Kept on one page.
    private mutating func pixBlock(_ letter: Letter) {
        guard let pix = letter.pix, let symbol = QRCode(text: pix.code) else { return }
        let textLeft = Self.left + Self.qrSide + PDFUnit.mm(6)
        let textWidth = Self.right - textLeft
        var lines: [(bytes: [UInt8], font: PDFFont, size: Double)] = [
            (WinAnsi.encode("Pague com PIX"), .helveticaBold, 11.5),
            (WinAnsi.encode("Valor: " + pix.amount.br), .helveticaBold, 11.5),
        ]
        for l in WinAnsi.wrap(
            WinAnsi.encode("Abra o aplicativo do seu banco, escolha pagar com PIX e leia o QR code ao lado."),
            font: .helvetica, size: 9, maxWidth: textWidth)
        {
            lines.append((l, .helvetica, 9))
        }
        lines.append((WinAnsi.encode("PIX copia e cola:"), .helvetica, 7))
        for l in Self.wrapCharacters(WinAnsi.encode(pix.code), font: .helvetica, size: 6.5, maxWidth: textWidth) {
            lines.append((l, .helvetica, 6.5))
        }
        let textHeight = lines.reduce(0) { $0 + $1.size * 1.3 }
        let height = max(Self.qrSide, textHeight) + PDFUnit.mm(4)
        if !pageIsEmpty, cursor + height > Self.bottomLimit { newPage() }
        let top = Self.pageHeight - cursor - PDFUnit.mm(2)
        symbol.draw(into: &current, x: Self.left, y: top - Self.qrSide, width: Self.qrSide)
        var baseline = top - PDFUnit.mm(4)
        for l in lines {
            current.text(l.bytes, x: textLeft, y: baseline - l.size * 0.3, font: l.font, size: l.size)
            baseline -= l.size * 1.3
        }
        cursor += height
        pageIsEmpty = false
    }

    /// Text cut into lines by characters, every byte kept (spaces too): a code to copy.
    static func wrapCharacters(_ bytes: [UInt8], font: PDFFont, size: Double, maxWidth: Double) -> [[UInt8]] {
        var lines: [[UInt8]] = [[]]
        var used = 0.0
        for b in bytes {
            let w = WinAnsi.width(b, font: font, size: size)
            if used + w > maxWidth, !lines[lines.count - 1].isEmpty {
                lines.append([])
                used = 0
            }
            lines[lines.count - 1].append(b)
            used += w
        }
        return lines.filter { !$0.isEmpty }
    }

    /// One ficha de compensação, on a new page when it does not fit below the cursor.
    private mutating func slip(_ slip: BoletoSlip) {
        let height = BoletoSlipLayout.height + PDFUnit.mm(2)
        if !pageIsEmpty, cursor + height > Self.bottomLimit { newPage() }
        BoletoSlipLayout.draw(slip, into: &current, left: Self.left, top: Self.pageHeight - cursor, asForm: true)
        cursor += height
        pageIsEmpty = false
    }

    // MARK: Footer

    /// "página N de M" on the right and the message reference on the left of every page.
    private mutating func drawFooters(_ letter: Letter) {
        let r = letter.reference
        var ref = r.messageID + " · cliente " + r.customerID + " · etapa " + r.step
        if !r.titleIDs.isEmpty { ref += " · títulos " + r.titleIDs.joined(separator: ", ") }
        let refEncoded = WinAnsi.encode(ref)  // the same on every page; only its room varies
        let y = PDFUnit.mm(G.footerBaseline)
        for i in pages.indices {
            let label = WinAnsi.encode("página \(i + 1) de \(pages.count)")
            let labelWidth = WinAnsi.width(label, font: .helvetica, size: 7.5)
            pages[i].textRight(label, right: Self.right, y: y, font: .helvetica, size: 7.5)
            let refBytes = Self.truncate(
                refEncoded, font: .helvetica, size: 7,
                maxWidth: Self.columnWidth - labelWidth - 12)
            pages[i].text(refBytes, x: Self.left, y: y, font: .helvetica, size: 7)
        }
    }

    /// Text cut to `maxWidth`, ending in "…" when something was cut (or when `mark` asks).
    static func truncate(_ bytes: [UInt8], font: PDFFont, size: Double, maxWidth: Double, mark: Bool = false) -> [UInt8]
    {
        if !mark, WinAnsi.width(bytes, font: font, size: size) <= maxWidth { return bytes }
        let ellipsis: UInt8 = 0x85
        let room = maxWidth - WinAnsi.width(ellipsis, font: font, size: size)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 1)
        var used = 0.0
        for b in bytes {
            let w = WinAnsi.width(b, font: font, size: size)
            if used + w > room { break }
            out.append(b)
            used += w
        }
        while out.last == 0x20 { out.removeLast() }
        out.append(ellipsis)
        return out
    }
}
