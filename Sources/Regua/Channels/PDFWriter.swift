import Foundation

/// The two core fonts the letters use (PDF 1.4 standard Type 1 fonts: never embedded).
enum PDFFont: Sendable {
    case helvetica, helveticaBold

    /// Resource name inside a page.
    var resourceName: String { self == .helvetica ? "F1" : "F2" }
    /// PostScript name.
    var baseFont: String { self == .helvetica ? "Helvetica" : "Helvetica-Bold" }
    /// Advance widths for codes 0x20–0xFF.
    var widths: [UInt16] { self == .helvetica ? HelveticaMetrics.regular : HelveticaMetrics.bold }
}

/// Length units for page geometry.
enum PDFUnit {
    /// Points per millimetre (72 pt per inch, 25.4 mm per inch).
    static let pointsPerMM = 72.0 / 25.4
    /// Millimetres to points.
    static func mm(_ v: Double) -> Double { v * pointsPerMM }
    /// ISO 216 A4, 210 × 297 mm, in points.
    static let a4Width = 595.276, a4Height = 841.89
}

/// A page's content stream, built from text and rectangles. Coordinates are PDF points from
/// the bottom-left corner; numbers are written with at most three decimals, no locale.
///
/// Operators are appended straight into the byte buffer (no intermediate `String`s): a
/// letter's barcode alone is a hundred-odd rectangles of four numbers each.
struct PDFContent {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(4096) }

    /// Draws already-encoded WinAnsi text with its left end of baseline at (x, y).
    mutating func text(_ encoded: [UInt8], x: Double, y: Double, font: PDFFont, size: Double) {
        guard !encoded.isEmpty else { return }
        append("BT /")
        bytes += font.resourceName.utf8
        append(" ")
        Self.appendNumber(size, to: &bytes)
        append(" Tf ")
        Self.appendNumber(x, to: &bytes)
        append(" ")
        Self.appendNumber(y, to: &bytes)
        append(" Td ")
        Self.appendLiteral(encoded, to: &bytes)
        append(" Tj ET\n")
    }

    /// Draws text with its right end at `right`.
    mutating func textRight(_ encoded: [UInt8], right: Double, y: Double, font: PDFFont, size: Double) {
        text(encoded, x: right - WinAnsi.width(encoded, font: font, size: size), y: y, font: font, size: size)
    }

    /// Fills a rectangle in black.
    mutating func fillRect(x: Double, y: Double, width: Double, height: Double) {
        Self.appendNumber(x, to: &bytes)
        bytes.append(0x20)
        Self.appendNumber(y, to: &bytes)
        bytes.append(0x20)
        Self.appendNumber(width, to: &bytes)
        bytes.append(0x20)
        Self.appendNumber(height, to: &bytes)
        append(" re f\n")
    }

    /// Adds a rectangle to the current path (filled later by ``fill()``): many rectangles
    /// filled at once make one shape, without seams between the ones that touch.
    mutating func rect(x: Double, y: Double, width: Double, height: Double) {
        Self.appendNumber(x, to: &bytes)
        bytes.append(0x20)
        Self.appendNumber(y, to: &bytes)
        bytes.append(0x20)
        Self.appendNumber(width, to: &bytes)
        bytes.append(0x20)
        Self.appendNumber(height, to: &bytes)
        append(" re\n")
    }

    /// Fills the current path in black (nonzero rule) and starts a new one.
    mutating func fill() { append("f\n") }

    /// Appends one number as ``number(_:)`` writes it.
    mutating func appendNumber(_ v: Double) { Self.appendNumber(v, to: &bytes) }

    /// Appends bytes already written in content-stream syntax: the pieces of a drawing that
    /// repeat (a QR code's columns, rows and run widths; a barcode's bar tails), each made once
    /// by ``numberBytes(_:)`` instead of once per rectangle.
    mutating func appendRaw(_ raw: [UInt8]) { bytes += raw }

    /// ``number(_:)`` as ASCII bytes.
    static func numberBytes(_ v: Double) -> [UInt8] {
        var out: [UInt8] = []
        appendNumber(v, to: &out)
        return out
    }

    /// Strokes a rectangle's outline.
    mutating func strokeRect(x: Double, y: Double, width: Double, height: Double, lineWidth: Double) {
        Self.appendNumber(lineWidth, to: &bytes)
        append(" w ")
        rect(x: x, y: y, width: width, height: height)
        append("S\n")
    }

    /// Strokes a straight line of the given width.
    mutating func line(from a: (Double, Double), to b: (Double, Double), width: Double) {
        Self.appendNumber(width, to: &bytes)
        append(" w ")
        Self.appendNumber(a.0, to: &bytes)
        bytes.append(0x20)
        Self.appendNumber(a.1, to: &bytes)
        append(" m ")
        Self.appendNumber(b.0, to: &bytes)
        bytes.append(0x20)
        Self.appendNumber(b.1, to: &bytes)
        append(" l S\n")
    }

    private mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A PDF literal string: `( ) \` escaped, bytes below 0x20 as octal escapes, others raw.
    static func literal(_ encoded: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        appendLiteral(encoded, to: &out)
        return out
    }

    /// ``literal(_:)`` appended to `out`.
    static func appendLiteral(_ encoded: [UInt8], to out: inout [UInt8]) {
        out.reserveCapacity(out.count + encoded.count + 2)
        out.append(UInt8(ascii: "("))
        for b in encoded {
            switch b {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(b)
            case 0..<0x20:  // three octal digits: b < 0o40
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "0") + b >> 6)
                out.append(UInt8(ascii: "0") + (b >> 3) & 7)
                out.append(UInt8(ascii: "0") + b & 7)
            default:
                out.append(b)
            }
        }
        out.append(UInt8(ascii: ")"))
    }

    /// A real number with at most three decimals, trailing zeros dropped, e.g. `56.693`, `10`.
    static func number(_ v: Double) -> String {
        var out: [UInt8] = []
        appendNumber(v, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// ``number(_:)`` appended to `out` as ASCII. Tens of thousands of letters and boletos
    /// write millions of numbers, so digits come from divisions by constants (which compile to
    /// multiplications); ``numberByDivisors(_:)`` is the plain twin the tests hold it to.
    static func appendNumber(_ v: Double, to out: inout [UInt8]) {
        let milli = Int64((v * 1000).rounded())
        if milli < 0 { out.append(UInt8(ascii: "-")) }
        let a = milli.magnitude
        appendDecimal(a / 1000, to: &out)
        var frac = a % 1000
        guard frac != 0 else { return }
        // Up to three fraction digits, leading zeros kept, trailing zeros dropped.
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") + UInt8(frac / 100))
        frac %= 100
        guard frac != 0 else { return }
        out.append(UInt8(ascii: "0") + UInt8(frac / 10))
        frac %= 10
        guard frac != 0 else { return }
        out.append(UInt8(ascii: "0") + UInt8(frac))
    }

    /// A non-negative integer in decimal, appended to `out`.
    static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        // The digits, lowest first, one byte each of a word (eight at most), then written
        // highest first.
        guard value < 100_000_000 else { return appendDecimalByDivisors(value, to: &out) }
        var v = value
        var packed: UInt64 = 0
        var count = 0
        repeat {
            packed |= (v % 10) << UInt64(8 * count)
            v /= 10
            count += 1
        } while v > 0
        while count > 0 {
            count -= 1
            out.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: packed >> UInt64(8 * count)))
        }
    }

    /// ``number(_:)`` as it was first written: the fraction's trailing zeros stripped, then its
    /// digits and the integer's by powers of ten.
    static func numberByDivisors(_ v: Double) -> String {
        var out: [UInt8] = []
        let milli = Int64((v * 1000).rounded())
        if milli < 0 { out.append(UInt8(ascii: "-")) }
        let a = milli.magnitude
        appendDecimalByDivisors(a / 1000, to: &out)
        var frac = a % 1000
        if frac != 0 {
            out.append(UInt8(ascii: "."))
            var digits = 3
            while frac % 10 == 0 {
                frac /= 10
                digits -= 1
            }
            var divisor: UInt64 = digits == 3 ? 100 : digits == 2 ? 10 : 1
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(frac / divisor % 10))
                divisor /= 10
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A non-negative integer in decimal by powers of ten.
    static func appendDecimalByDivisors(_ value: UInt64, to out: inout [UInt8]) {
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }
}

/// Assembles a PDF 1.4 file: catalog, page tree, the two fonts with WinAnsiEncoding, one
/// uncompressed content stream per page, a cross-reference table with exact byte offsets and
/// a trailer whose /ID is a hash of the content. No dates, so the bytes depend only on the
/// pages.
struct PDFDocument {
    /// Content streams, one per page, in order.
    var pages: [[UInt8]] = []
    /// Document title for the Info dictionary (ASCII).
    var title: String = "Regua"

    // Fixed object numbers; page i uses 6 + 2i (page) and 7 + 2i (contents).
    private static let catalog = 1, pageTree = 2, fontRegular = 3, fontBold = 4, info = 5, firstPage = 6

    /// The file's bytes.
    func build() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(pages.reduce(4096) { $0 + $1.count + 400 } + 20 * pages.count * 2)
        _ = emit { out += $0 }
        return out
    }

    /// The file handed to `piece` in consecutive pieces (each page's content stream as it is,
    /// the objects around it in between), and the SHA-256 (hex) of the whole: the /ID is the
    /// hash of everything before the cross-reference table and the file's hash goes on from
    /// there. A night streams the letters' PDF of hundreds of megabytes to disk this way, never
    /// joined into one buffer and hashed once; ``build()`` joins the pieces.
    func emit<E: Error>(_ piece: ([UInt8]) throws(E) -> Void) throws(E) -> String {
        var hash = Hashing.Stream()
        var out: [UInt8] = []  // what is not handed over yet
        out.reserveCapacity(4096)
        var emitted = 0
        func flush() throws(E) {
            guard !out.isEmpty else { return }
            hash.update(out)
            emitted += out.count
            try piece(out)
            out.removeAll(keepingCapacity: true)
        }
        out += "%PDF-1.4\n%".utf8
        out += [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]  // binary marker (§3.4.1)
        var offsets: [Int] = []
        offsets.reserveCapacity(Self.firstPage + 2 * pages.count)
        func begin(_ n: Int) {
            precondition(offsets.count == n - 1, "objects are written in number order")
            offsets.append(emitted + out.count)
            out += "\(n) 0 obj\n".utf8
        }
        func end() { out += "\nendobj\n".utf8 }
        func object(_ n: Int, _ body: String) {
            begin(n)
            out += body.utf8
            end()
        }

        let kids = pages.indices.map { "\(Self.firstPage + 2 * $0) 0 R" }.joined(separator: " ")
        object(Self.catalog, "<< /Type /Catalog /Pages \(Self.pageTree) 0 R >>")
        object(Self.pageTree, "<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>")
        for (n, font) in [(Self.fontRegular, PDFFont.helvetica), (Self.fontBold, .helveticaBold)] {
            object(n, "<< /Type /Font /Subtype /Type1 /BaseFont /\(font.baseFont) /Encoding /WinAnsiEncoding >>")
        }
        begin(Self.info)
        out += "<< /Title ".utf8
        PDFContent.appendLiteral(WinAnsi.encode(title).map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, to: &out)
        out += " /Producer (Regua) >>".utf8
        end()
        let box = "[0 0 \(PDFContent.number(PDFUnit.a4Width)) \(PDFContent.number(PDFUnit.a4Height))]"
        let resources = "<< /Font << /F1 \(Self.fontRegular) 0 R /F2 \(Self.fontBold) 0 R >> /ProcSet [/PDF /Text] >>"
        for (i, content) in pages.enumerated() {
            let page = Self.firstPage + 2 * i, contents = page + 1
            object(
                page,
                "<< /Type /Page /Parent \(Self.pageTree) 0 R /MediaBox \(box) /Resources \(resources) "
                    + "/Contents \(contents) 0 R >>")
            begin(contents)
            out += "<< /Length \(content.count) >>\nstream\n".utf8
            // The content stream goes over as it is, between what precedes and what follows it.
            try flush()
            hash.update(content)
            emitted += content.count
            try piece(content)
            out += "\nendstream".utf8
            end()
        }
        try flush()

        let id = String(hash.hex.prefix(32))
        let xrefOffset = emitted
        out += "xref\n0 \(offsets.count + 1)\n0000000000 65535 f\r\n".utf8
        for o in offsets { out += (String(o).leftPadded(to: 10) + " 00000 n\r\n").utf8 }
        var trailer = "trailer\n<< /Size \(offsets.count + 1) /Root \(Self.catalog) 0 R /Info \(Self.info) 0 R "
        trailer += "/ID [<\(id)> <\(id)>] >>\n"
        trailer += "startxref\n\(xrefOffset)\n%%EOF\n"
        out += trailer.utf8
        try flush()
        return hash.hex
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
