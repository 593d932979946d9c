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

    /// Saves the graphics state and makes one unit `sx` × `sy` points with the origin at
    /// (x, y), until ``restore()``: a barcode's narrow bars are then drawn as small integers
    /// (``unitRect(x:y:width:height:)``), a third of the bytes of points, and an image mask
    /// (``imageMask(width:height:rows:)``) fills the `sx` × `sy` rectangle.
    mutating func scaled(_ sx: Double, _ sy: Double, origin x: Double, _ y: Double) {
        append("q ")
        Self.appendNumber(sx, to: &bytes)
        append(" 0 0 ")
        Self.appendNumber(sy, to: &bytes)
        bytes.append(0x20)
        Self.appendNumber(x, to: &bytes)
        bytes.append(0x20)
        Self.appendNumber(y, to: &bytes)
        append(" cm\n")
    }

    /// Restores the graphics state saved by ``scaled(_:_:origin:_:)``.
    mutating func restore() { append("Q\n") }

    /// Draws the file's form `name` (``PDFForm``) with its origin at (x, y).
    mutating func placeForm(_ name: String, x: Double, y: Double) {
        scaled(1, 1, origin: x, y)
        bytes.append(UInt8(ascii: "/"))
        bytes += name.utf8
        append(" Do\n")
        restore()
    }

    /// Draws `layer`, a content stream drawn at the origin, with its origin at (x, y): inside
    /// its own saved graphics state, moved there by one `cm`. A drawing every page or file
    /// shares (a slip's frame) is then made once and copied.
    mutating func place(_ layer: [UInt8], x: Double, y: Double) {
        scaled(1, 1, origin: x, y)
        bytes += layer
        restore()
    }

    /// Adds a rectangle in whole units of the current scale to the path (filled by ``fill()``).
    mutating func unitRect(x: Int, y: Int, width: Int, height: Int) {
        appendInteger(x)
        bytes.append(0x20)
        appendInteger(y)
        bytes.append(0x20)
        appendInteger(width)
        bytes.append(0x20)
        appendInteger(height)
        append(" re\n")
    }

    /// Paints an image mask in the fill colour (black) over the unit square of the current scale
    /// (``scaled(_:_:origin:_:)``): `height` rows of `width` one-bit samples, 1 painted, each row
    /// padded with zero bits to whole bytes, the first row at the top. An inline image in ASCII
    /// hex, so the content stream stays text: a QR code is then some hundreds of bytes where
    /// rectangles took some thousands.
    mutating func imageMask(width: Int, height: Int, rows: [UInt8]) {
        precondition(rows.count == height * ((width + 7) / 8), "image mask rows do not match its size")
        append("BI /W ")
        Self.appendDecimal(UInt64(width), to: &bytes)
        append(" /H ")
        Self.appendDecimal(UInt64(height), to: &bytes)
        append(" /IM true /BPC 1 /D [1 0] /F /AHx ID\n")
        let hex: StaticString = "0123456789ABCDEF"
        let rowBytes = (width + 7) / 8
        hex.withUTF8Buffer { digits in
            for (i, b) in rows.enumerated() {
                bytes.append(digits[Int(b >> 4)])
                bytes.append(digits[Int(b & 0x0F)])
                if (i + 1) % rowBytes == 0 { bytes.append(0x0A) }
            }
        }
        append(">\nEI\n")
    }

    private mutating func appendInteger(_ v: Int) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        Self.appendDecimal(UInt64(v.magnitude), to: &bytes)
    }

    /// Strokes a rectangle's outline.
    mutating func strokeRect(x: Double, y: Double, width: Double, height: Double, lineWidth: Double) {
        Self.appendNumber(lineWidth, to: &bytes)
        append(" w ")
        rect(x: x, y: y, width: width, height: height)
        append("S\n")
    }

    /// ``line(from:to:width:)`` dashed `dash` on, `dash` off from its start (the slip's cut line:
    /// one path where a segment per dash took ~60 lines), then solid lines again.
    mutating func dashedLine(from a: (Double, Double), to b: (Double, Double), width: Double, dash: Double) {
        bytes.append(UInt8(ascii: "["))
        Self.appendNumber(dash, to: &bytes)
        bytes.append(0x20)
        Self.appendNumber(dash, to: &bytes)
        append("] 0 d ")
        line(from: a, to: b, width: width)
        append("[] 0 d\n")
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

    /// A non-negative integer in decimal, appended to `out`. Most integers of a content stream
    /// are one or two digits (a QR module's column, a run's length, a bar's width in narrow
    /// bars), written here inline, without a call or a loop (the call showed in the night's
    /// profile: ~3 % of its CPU); ``appendDecimalByDivisors(_:to:)`` is the plain twin the tests
    /// hold it to.
    @inline(__always)
    static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
        } else if value < 100 {
            let tens = value / 10
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: tens))
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value &- 10 &* tens))
        } else {
            appendLongDecimal(value, to: &out)
        }
    }

    /// ``appendDecimal(_:to:)`` of three digits or more.
    static func appendLongDecimal(_ value: UInt64, to out: inout [UInt8]) {
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

/// A PDF 1.4 file whose pages are known up front: catalog, page tree, the two fonts with
/// WinAnsiEncoding, one uncompressed content stream per page, a cross-reference table with
/// exact byte offsets and a trailer whose /ID is a hash of the content. No dates, so the bytes
/// depend only on the pages. Built by ``PDFStream``, as a night's letters are.
struct PDFDocument {
    /// Content streams, one per page, in order.
    var pages: [[UInt8]] = []
    /// Document title for the Info dictionary (ASCII).
    var title: String = "Regua"
    /// Drawings the pages place by name (``PDFContent/placeForm(_:x:y:)``).
    var forms: [PDFForm] = []

    /// The file's bytes.
    func build() -> [UInt8] {
        var stream = PDFStream(title: title, forms: forms)
        stream.out.reserveCapacity(pages.reduce(4096) { $0 + $1.count + 200 } + 40 * pages.count + 1024)
        for page in pages { stream.add(page: page) }
        stream.finish()
        return stream.take()
    }
}

/// A drawing a file holds once and its pages place wherever they need it (a Form XObject):
/// a content stream drawn at the origin, its name among the pages' resources, and the box
/// it may draw in (x0, y0, x1, y1; the reader clips to it).
struct PDFForm: Sendable {
    let name: String
    let content: [UInt8]
    let box: [Double]
}

/// Writes a PDF 1.4 file page by page, so a night's letters need not be held whole in memory:
/// the pages first (each page object, then its content stream), then the page tree, catalog,
/// fonts and Info, the cross-reference table and the trailer. The bytes so far sit in ``out``
/// until ``take()`` hands them to the caller (a file, or memory); offsets and the /ID hash
/// count every byte ever written. The /ID is hashed here, or, made with `hashing: false`, by
/// whoever takes the bytes (a staging file hashes them for the manifest anyway): then
/// ``finishObjects()``, ``take()``, and ``finishTrailer(id:)`` with that hash of everything taken.
///
/// Object numbers: catalog 1, page tree 2, fonts 3 and 4, Info 5, then the forms (k of them,
/// 6…5 + k, written after the header); page i (from 0) is object 6 + k + 2i and its contents
/// 7 + k + 2i. The objects after the pages refer to them by number, so their place in the file
/// does not matter to a reader (the cross-reference table says where each is).
struct PDFStream {
    /// Bytes written and not yet taken.
    fileprivate(set) var out: [UInt8] = []
    /// Bytes taken so far: `taken + out.count` is the offset of the next byte.
    private var taken = 0
    /// Every byte before the cross-reference table, for the trailer's /ID (nil: the caller's).
    private var hasher: StreamingSHA256?
    /// Offset of each object, by number − 1 (0 until written).
    private var offsets = [Int](repeating: 0, count: 5)
    private var pageCount = 0
    private let title: String

    private static let catalog = 1, pageTree = 2, fontRegular = 3, fontBold = 4, info = 5, firstForm = 6
    private static let box = "[0 0 \(PDFContent.number(PDFUnit.a4Width)) \(PDFContent.number(PDFUnit.a4Height))]"
    private static let fonts = "/Font << /F1 \(fontRegular) 0 R /F2 \(fontBold) 0 R >> /ProcSet [/PDF /Text]"
    /// The first page's object number: after the forms.
    private let firstPage: Int
    /// Every page's resources: the fonts, and the forms by name.
    private let resources: String

    /// Starts a file (its header is the first bytes of ``out``, then the forms); with
    /// `hashing: false` the caller hashes what it takes and gives the /ID to
    /// ``finishTrailer(id:)``.
    init(title: String, hashing: Bool = true, forms: [PDFForm] = []) {
        self.title = title
        hasher = hashing ? StreamingSHA256() : nil
        firstPage = Self.firstForm + forms.count
        let names = forms.enumerated().map { "/\($1.name) \(Self.firstForm + $0) 0 R" }
        resources =
            forms.isEmpty ? "<< \(Self.fonts) >>" : "<< \(Self.fonts) /XObject << \(names.joined(separator: " ")) >> >>"
        emit(Array("%PDF-1.4\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A])  // binary marker (§3.4.1)
        for (i, form) in forms.enumerated() {
            begin(Self.firstForm + i)
            let box = form.box.map(PDFContent.number).joined(separator: " ")
            emit(
                Array(
                    ("<< /Type /XObject /Subtype /Form /BBox [\(box)] /Resources << \(Self.fonts) >> "
                        + "/Length \(form.content.count) >>\nstream\n").utf8))
            emit(form.content)
            emit(Array("\nendstream\nendobj\n".utf8))
        }
    }

    /// Pages added so far.
    var pages: Int { pageCount }

    private mutating func emit(_ bytes: [UInt8]) {
        hasher?.update(bytes)
        out += bytes
    }

    private mutating func begin(_ n: Int) {
        if offsets.count < n { offsets += [Int](repeating: 0, count: n - offsets.count) }
        offsets[n - 1] = taken + out.count
        emit(Array("\(n) 0 obj\n".utf8))
    }

    private mutating func object(_ n: Int, _ body: String) {
        begin(n)
        emit(Array((body + "\nendobj\n").utf8))
    }

    /// Adds a page with this content stream.
    mutating func add(page content: [UInt8]) {
        let page = firstPage + 2 * pageCount
        pageCount += 1
        object(
            page,
            "<< /Type /Page /Parent \(Self.pageTree) 0 R /MediaBox \(Self.box) /Resources \(resources) "
                + "/Contents \(page + 1) 0 R >>")
        begin(page + 1)
        emit(Array("<< /Length \(content.count) >>\nstream\n".utf8))
        emit(content)
        emit(Array("\nendstream\nendobj\n".utf8))
    }

    /// Writes the page tree, catalog, fonts, Info, cross-reference table and trailer.
    mutating func finish() {
        finishObjects()
        guard let hasher else { preconditionFailure("a stream hashed by its caller ends with finishTrailer(id:)") }
        finishTrailer(id: hasher.finishHex())
    }

    /// Writes the page tree, catalog, fonts and Info: the last bytes the /ID covers.
    mutating func finishObjects() {
        let kids = (0..<pageCount).map { "\(firstPage + 2 * $0) 0 R" }.joined(separator: " ")
        object(Self.pageTree, "<< /Type /Pages /Kids [\(kids)] /Count \(pageCount) >>")
        object(Self.catalog, "<< /Type /Catalog /Pages \(Self.pageTree) 0 R >>")
        for (n, font) in [(Self.fontRegular, PDFFont.helvetica), (Self.fontBold, .helveticaBold)] {
            object(n, "<< /Type /Font /Subtype /Type1 /BaseFont /\(font.baseFont) /Encoding /WinAnsiEncoding >>")
        }
        begin(Self.info)
        var info = Array("<< /Title ".utf8)
        PDFContent.appendLiteral(WinAnsi.encode(title).map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, to: &info)
        emit(info + Array(" /Producer (Regua) >>\nendobj\n".utf8))
    }

    /// Writes the cross-reference table and the trailer, after ``finishObjects()``; `sha256`
    /// is the hex SHA-256 of every byte before them, whose first 32 digits are the /ID.
    mutating func finishTrailer(id sha256: String) {
        let id = String(sha256.prefix(32))
        let xrefOffset = taken + out.count
        var tail = "xref\n0 \(offsets.count + 1)\n0000000000 65535 f\r\n"
        for o in offsets { tail += String(o).leftPadded(to: 10) + " 00000 n\r\n" }
        tail += "trailer\n<< /Size \(offsets.count + 1) /Root \(Self.catalog) 0 R /Info \(Self.info) 0 R "
        tail += "/ID [<\(id)> <\(id)>] >>\n"
        tail += "startxref\n\(xrefOffset)\n%%EOF\n"
        out += tail.utf8
    }

    /// The bytes written since the last call, handed over (to a file, or memory).
    mutating func take() -> [UInt8] {
        defer {
            taken += out.count
            out = []
        }
        return out
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
