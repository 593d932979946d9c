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
struct PDFContent {
    private(set) var bytes: [UInt8] = []

    /// Draws already-encoded WinAnsi text with its left end of baseline at (x, y).
    mutating func text(_ encoded: [UInt8], x: Double, y: Double, font: PDFFont, size: Double) {
        guard !encoded.isEmpty else { return }
        append(
            "BT /\(font.resourceName) \(PDFContent.number(size)) Tf \(PDFContent.number(x)) \(PDFContent.number(y)) Td "
        )
        bytes += PDFContent.literal(encoded)
        append(" Tj ET\n")
    }

    /// Draws text with its right end at `right`.
    mutating func textRight(_ encoded: [UInt8], right: Double, y: Double, font: PDFFont, size: Double) {
        text(encoded, x: right - WinAnsi.width(encoded, font: font, size: size), y: y, font: font, size: size)
    }

    /// Fills a rectangle in black.
    mutating func fillRect(x: Double, y: Double, width: Double, height: Double) {
        let n = PDFContent.number
        append("\(n(x)) \(n(y)) \(n(width)) \(n(height)) re f\n")
    }

    /// Strokes a straight line of the given width.
    mutating func line(from a: (Double, Double), to b: (Double, Double), width: Double) {
        append("\(PDFContent.number(width)) w \(PDFContent.number(a.0)) \(PDFContent.number(a.1)) m ")
        append("\(PDFContent.number(b.0)) \(PDFContent.number(b.1)) l S\n")
    }

    private mutating func append(_ s: String) { bytes += Array(s.utf8) }

    /// A PDF literal string: `( ) \` escaped, bytes below 0x20 as octal escapes, others raw.
    static func literal(_ encoded: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "(")]
        for b in encoded {
            switch b {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"):
                out += [UInt8(ascii: "\\"), b]
            case 0..<0x20:
                out += Array(("\\" + String(b, radix: 8).leftPadded(to: 3)).utf8)
            default:
                out.append(b)
            }
        }
        out.append(UInt8(ascii: ")"))
        return out
    }

    /// A real number with at most three decimals, trailing zeros dropped, e.g. `56.693`, `10`.
    static func number(_ v: Double) -> String {
        let milli = Int64((v * 1000).rounded())
        let sign = milli < 0 ? "-" : ""
        let a = milli.magnitude
        let whole = String(a / 1000)
        var frac = String(a % 1000).leftPadded(to: 3)
        while frac.hasSuffix("0") { frac.removeLast() }
        return sign + whole + (frac.isEmpty ? "" : "." + frac)
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
        var out: [UInt8] = Array("%PDF-1.4\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]  // binary marker (§3.4.1)
        var offsets: [Int] = []
        func object(_ n: Int, _ body: [UInt8]) {
            precondition(offsets.count == n - 1, "objects are written in number order")
            offsets.append(out.count)
            out += Array("\(n) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        func object(_ n: Int, _ body: String) { object(n, Array(body.utf8)) }

        let kids = pages.indices.map { "\(Self.firstPage + 2 * $0) 0 R" }.joined(separator: " ")
        object(Self.catalog, "<< /Type /Catalog /Pages \(Self.pageTree) 0 R >>")
        object(Self.pageTree, "<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>")
        for (n, font) in [(Self.fontRegular, PDFFont.helvetica), (Self.fontBold, .helveticaBold)] {
            object(n, "<< /Type /Font /Subtype /Type1 /BaseFont /\(font.baseFont) /Encoding /WinAnsiEncoding >>")
        }
        let safeTitle = PDFContent.literal(WinAnsi.encode(title).map { $0 < 0x80 ? $0 : UInt8(ascii: "?") })
        object(Self.info, Array("<< /Title ".utf8) + safeTitle + Array(" /Producer (Regua) >>".utf8))
        let box = "[0 0 \(PDFContent.number(PDFUnit.a4Width)) \(PDFContent.number(PDFUnit.a4Height))]"
        let resources = "<< /Font << /F1 \(Self.fontRegular) 0 R /F2 \(Self.fontBold) 0 R >> /ProcSet [/PDF /Text] >>"
        for (i, content) in pages.enumerated() {
            let page = Self.firstPage + 2 * i, contents = page + 1
            object(
                page,
                "<< /Type /Page /Parent \(Self.pageTree) 0 R /MediaBox \(box) /Resources \(resources) "
                    + "/Contents \(contents) 0 R >>")
            object(
                contents, Array("<< /Length \(content.count) >>\nstream\n".utf8) + content + Array("\nendstream".utf8))
        }

        let id = String(Hashing.sha256Hex(out).prefix(32))
        let xrefOffset = out.count
        var xref = "xref\n0 \(offsets.count + 1)\n0000000000 65535 f\r\n"
        for o in offsets { xref += String(o).leftPadded(to: 10) + " 00000 n\r\n" }
        xref += "trailer\n<< /Size \(offsets.count + 1) /Root \(Self.catalog) 0 R /Info \(Self.info) 0 R "
        xref += "/ID [<\(id)> <\(id)>] >>\n"
        xref += "startxref\n\(xrefOffset)\n%%EOF\n"
        out += Array(xref.utf8)
        return out
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
