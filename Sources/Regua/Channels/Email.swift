import Foundation

/// Everything one e-mail needs, already rendered: the writer only encodes it.
public struct EmailInput: Sendable {
    /// Sender display name and address (the company's).
    public var from: (name: String, address: String)
    /// Recipient display name and address (the customer's); check ``EmailWriter/isSafeAddress(_:)`` first.
    public var to: (name: String, address: String)
    /// Subject line as rendered (any Unicode; sanitised and encoded by the writer).
    public var subject: String
    /// The text/plain body.
    public var text: String
    /// The text/html body (a whole document; see ``EmailWriter/htmlFromText(_:title:)``).
    public var html: String
    /// The message's id, e.g. `R20261123-ab12cd34ef56ab78`: left side of the Message-ID.
    public var messageID: String
    /// Right side of the Message-ID, normally the domain of the company's e-mail.
    public var domain: String
    /// The as-of date; the Date header is this day at 08:00:00 -0300.
    public var date: Day
    /// Extra headers, in order; only `X-` names are written (e.g. X-Regua-Customer).
    public var headers: [(String, String)]
    /// A PNG shown inside the HTML part (the PIX QR code), referred to there as
    /// `cid:<contentID>`; with one, the HTML part becomes `multipart/related` (RFC 2387).
    public var inlineImage: InlineImage?
    /// Files attached after the text and HTML alternatives (`multipart/mixed`).
    public var attachments: [EmailAttachment] = []

    /// Creates an e-mail input.
    public init(
        from: (name: String, address: String), to: (name: String, address: String), subject: String,
        text: String, html: String, messageID: String, domain: String, date: Day,
        headers: [(String, String)] = [], inlineImage: InlineImage? = nil, attachments: [EmailAttachment] = []
    ) {
        self.inlineImage = inlineImage
        self.attachments = attachments
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
        self.domain = domain
        self.date = date
        self.headers = headers
    }

    /// The headers SPEC §4 asks of every e-mail: X-Regua-Customer, X-Regua-Step and
    /// X-Regua-Titles (title ids joined by ", " so that a long list folds between ids).
    public static func reguaHeaders(customerID: String, step: String, titleIDs: [String]) -> [(String, String)] {
        [
            ("X-Regua-Customer", customerID), ("X-Regua-Step", step),
            ("X-Regua-Titles", titleIDs.joined(separator: ", ")),
        ]
    }

    /// ``reguaHeaders(customerID:step:titleIDs:)`` for a planned message (its speaking step).
    public static func reguaHeaders(for message: PlannedMessage) -> [(String, String)] {
        reguaHeaders(
            customerID: message.customer.id.raw, step: message.step.id,
            titleIDs: message.titles.map { $0.title.id.raw })
    }

    /// The Content-ID of a message's PIX QR code image: `pix-<message id>@<domain>`; the HTML
    /// shows it with `<img src="cid:…">` (template variable `pix.qr_src`).
    public static func pixContentID(messageID: String, domain: String) -> String {
        let left = String(decoding: messageID.utf8.map { MIME.isAtext($0) ? $0 : UInt8(ascii: "-") }, as: UTF8.self)
        return "pix-" + left + "@" + domain
    }

    /// The Message-ID's right side for a company e-mail: its domain when that is a plain host
    /// name, else ``EmailWriter/fallbackDomain``.
    public static func messageIDDomain(companyEmail: String?) -> String {
        guard let email = companyEmail, let at = email.lastIndex(of: "@") else { return EmailWriter.fallbackDomain }
        let domain = String(email[email.index(after: at)...])
        return EmailWriter.isHostName(Array(domain.utf8)[...], minLabels: 1) ? domain : EmailWriter.fallbackDomain
    }
}

/// An image carried inside the HTML part and shown where the HTML says `cid:<contentID>`.
public struct InlineImage: Sendable, Hashable {
    /// The Content-ID without angle brackets, `pix-R20261123-ab12@exemplo.com.br`.
    public var contentID: String
    /// The PNG's bytes.
    public var png: [UInt8]
    /// The file name offered when saving it.
    public var fileName: String

    /// Creates an inline image.
    public init(contentID: String, png: [UInt8], fileName: String) {
        self.contentID = contentID
        self.png = png
        self.fileName = fileName
    }
}

/// A file attached to an e-mail, base64-encoded.
public struct EmailAttachment: Sendable, Hashable {
    /// The file name offered to the reader (made safe by the writer as well).
    public var fileName: String
    /// The MIME type, e.g. `application/pdf`.
    public var contentType: String
    /// The file's bytes.
    public var bytes: [UInt8]

    /// Creates an attachment.
    public init(fileName: String, contentType: String, bytes: [UInt8]) {
        self.fileName = fileName
        self.contentType = contentType
        self.bytes = bytes
    }
}

/// Writes an ``EmailInput`` as an RFC 5322 / MIME message: CRLF line ends, folded headers,
/// multipart/alternative with quoted-printable UTF-8 text and HTML parts (the HTML inside a
/// multipart/related with its inline image, the whole inside a multipart/mixed with the
/// attachments, when the message has them). Pure and
/// deterministic: the same input gives the same bytes.
public enum EmailWriter {
    /// Replaces an address that fails ``isSafeAddress(_:)`` (callers should not get here):
    /// the reserved `.invalid` TLD (RFC 2606) can never be delivered.
    public static let unsafeAddressPlaceholder = "unsafe-address@invalid"
    /// Replaces a Message-ID domain that is not a plain host name.
    public static let fallbackDomain = "regua.invalid"

    /// The message's bytes.
    public static func render(_ input: EmailInput) -> [UInt8] {
        let boundary = self.boundary(for: input.messageID)
        var out: [UInt8] = []
        out += MIME.headerLine(name: "Date", tokens: rfc5322Date(input.date).split(separator: " ").map(String.init))
        out += MIME.headerLine(name: "From", tokens: mailboxTokens(input.from, headerName: "From"))
        out += MIME.headerLine(name: "To", tokens: mailboxTokens(input.to, headerName: "To"))
        out += MIME.headerLine(name: "Subject", tokens: MIME.unstructuredTokens(input.subject, nameLength: 7))
        out += MIME.headerLine(name: "Message-ID", tokens: [messageIDHeader(id: input.messageID, domain: input.domain)])
        out += MIME.headerLine(name: "MIME-Version", tokens: ["1.0"])
        for (name, value) in input.headers where isCustomHeaderName(name) {
            out += MIME.headerLine(name: name, tokens: MIME.unstructuredTokens(value, nameLength: name.utf8.count))
        }
        // Without an image or attachments the message is exactly the plain alternative.
        let attachments = input.attachments
        if attachments.isEmpty {
            out += MIME.headerLine(
                name: "Content-Type", tokens: ["multipart/alternative;", "boundary=\"\(boundary)\""])
            out += [13, 10]
            appendAlternatives(input, boundary: boundary, to: &out)
            return out
        }
        // Each level has a boundary of its own that is no prefix of another ("m_", "r_" are not hex).
        let mixed = "=_regua_m_" + boundary.dropFirst(8)
        out += MIME.headerLine(name: "Content-Type", tokens: ["multipart/mixed;", "boundary=\"\(mixed)\""])
        out += [13, 10]
        out += Array("--\(mixed)\r\n".utf8)
        out += Array("Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n\r\n".utf8)
        appendAlternatives(input, boundary: boundary, to: &out)
        for a in attachments {
            out += Array("--\(mixed)\r\n".utf8)
            let name = safeFileName(a.fileName)
            out += Array("Content-Type: \(a.contentType); name=\"\(name)\"\r\n".utf8)
            out += Array("Content-Disposition: attachment; filename=\"\(name)\"\r\n".utf8)
            out += Array("Content-Transfer-Encoding: base64\r\n\r\n".utf8)
            appendBase64Lines(a.bytes, to: &out)
        }
        out += Array("--\(mixed)--\r\n".utf8)
        return out
    }

    /// The text and HTML parts between `--boundary` lines, the HTML inside a
    /// `multipart/related` with its inline image when there is one.
    private static func appendAlternatives(_ input: EmailInput, boundary: String, to out: inout [UInt8]) {
        func textPart(_ type: String, _ body: String) {
            out += Array("Content-Type: \(type); charset=UTF-8\r\n".utf8)
            out += Array("Content-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
            out += MIME.quotedPrintable(body)
            out += [13, 10]
        }
        out += Array("--\(boundary)\r\n".utf8)
        textPart("text/plain", input.text)
        out += Array("--\(boundary)\r\n".utf8)
        if let image = input.inlineImage, isSafeContentID(image.contentID) {
            let related = "=_regua_r_" + boundary.dropFirst(8)
            out += Array("Content-Type: multipart/related; type=\"text/html\"; boundary=\"\(related)\"\r\n\r\n".utf8)
            out += Array("--\(related)\r\n".utf8)
            textPart("text/html", input.html)
            out += Array("--\(related)\r\n".utf8)
            let name = safeFileName(image.fileName)
            out += Array("Content-Type: image/png; name=\"\(name)\"\r\n".utf8)
            out += Array("Content-ID: <\(image.contentID)>\r\n".utf8)
            out += Array("Content-Disposition: inline; filename=\"\(name)\"\r\n".utf8)
            out += Array("Content-Transfer-Encoding: base64\r\n\r\n".utf8)
            appendBase64Lines(image.png, to: &out)
            out += Array("--\(related)--\r\n".utf8)
        } else {
            textPart("text/html", input.html)
        }
        out += Array("--\(boundary)--\r\n".utf8)
    }

    /// Base64 in lines of 76 characters, each ended by CRLF (RFC 2045 §6.8).
    static func appendBase64Lines(_ bytes: [UInt8], to out: inout [UInt8]) {
        MIME.appendBase64Lines(bytes, to: &out)
    }

    /// A file name for a MIME parameter: printable ASCII without quotes, backslashes, slashes or
    /// controls (others become `_`), at most 100 characters, never empty.
    static func safeFileName(_ name: String) -> String {
        let bytes = name.utf8.prefix(100).map { b -> UInt8 in
            let bad =
                b < 0x21 || b > 0x7E || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\")
                || b == UInt8(ascii: "/")
            return bad ? UInt8(ascii: "_") : b
        }
        return bytes.isEmpty ? "attachment" : String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a Content-ID is `dot-atom@dot-atom` (RFC 2392 / RFC 5322 msg-id) of at most 200 bytes.
    static func isSafeContentID(_ id: String) -> Bool {
        let b = Array(id.utf8)
        guard b.count <= 200, let at = b.firstIndex(of: UInt8(ascii: "@")) else { return false }
        return isDotAtom(b[..<at]) && isDotAtom(b[(at + 1)...])
    }

    /// Whether an address is a plain, ASCII `local@domain` that is safe to put in a header:
    /// a dot-atom local part of RFC 5322 `atext` (≤ 64 bytes) and a host name of at least two
    /// LDH labels (≤ 63 bytes each, no leading or trailing hyphen), 254 bytes in all. Quoted
    /// local parts, comments, IP literals and internationalised addresses are refused: the
    /// caller treats such a customer as having no e-mail.
    public static func isSafeAddress(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard !local.isEmpty, local.count <= 64, isDotAtom(local) else { return false }
        return isHostName(domain, minLabels: 2)
    }

    /// A minimal HTML document for a text body: `&<>"'` escaped, blank-line-separated
    /// paragraphs in `<p>`, single line breaks as `<br>`, control characters removed.
    public static func htmlFromText(_ text: String, title: String? = nil) -> String {
        let lines = MIME.splitLines(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
        var paragraphs: [[String]] = [[]]
        for line in lines {
            if line.allSatisfy(\.isWhitespace) {
                if !(paragraphs.last?.isEmpty ?? true) { paragraphs.append([]) }
            } else {
                paragraphs[paragraphs.count - 1].append(line)
            }
        }
        var html = "<!doctype html>\n<html lang=\"pt-BR\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        if let title { html += "<title>" + escapeHTML(MIME.sanitize(title)) + "</title>\n" }
        html += "</head>\n<body>\n"
        for p in paragraphs where !p.isEmpty {
            html += "<p>" + p.map(escapeHTML).joined(separator: "<br>\n") + "</p>\n"
        }
        html += "</body>\n</html>\n"
        return html
    }

    /// Escapes `& < > " '` and turns control characters (tab included) into spaces.
    public static func escapeHTML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            if let entity = HTMLEntity.of(s) {
                out += entity
                continue
            }
            let v = s.value
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) {
                out += " "
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }

    /// `Mon, 23 Nov 2026 08:00:00 -0300`: the as-of day at a fixed morning hour in Brasília
    /// time, so the header depends on nothing but the date (no wall clock).
    public static func rfc5322Date(_ day: Day) -> String {
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let c = day.components
        return "\(days[day.weekday.rawValue - 1]), \(c.day) \(months[c.month - 1]) \(pad(c.year, 4)) 08:00:00 -0300"
    }

    /// The multipart boundary, derived from the message id. It starts with `=_`, which a
    /// quoted-printable body can never contain, so it cannot collide with the content.
    public static func boundary(for messageID: String) -> String {
        "=_regua_" + String(Hashing.sha256Hex("regua-boundary\u{0}" + messageID).prefix(20))
    }

    // MARK: Pieces

    static func mailboxTokens(_ mailbox: (name: String, address: String), headerName: String) -> [String] {
        let address = isSafeAddress(mailbox.address) ? mailbox.address : unsafeAddressPlaceholder
        let phrase = MIME.phraseTokens(mailbox.name, nameLength: headerName.utf8.count)
        return phrase.isEmpty ? [address] : phrase + ["<" + address + ">"]
    }

    static func messageIDHeader(id: String, domain: String) -> String {
        var left = String(
            decoding: id.utf8.map { MIME.isAtext($0) || $0 == UInt8(ascii: ".") ? $0 : UInt8(ascii: "-") },
            as: UTF8.self)
        if left.isEmpty || !isDotAtom(Array(left.utf8)[...]) {
            left = "R" + String(Hashing.sha256Hex(id).prefix(16))
        }
        let right = isHostName(Array(domain.utf8)[...], minLabels: 1) ? domain : fallbackDomain
        return "<" + left + "@" + right + ">"
    }

    static func isCustomHeaderName(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard b.count > 2, b.count <= 64, name.lowercased().hasPrefix("x-") else { return false }
        return b.allSatisfy { $0 >= 33 && $0 <= 126 && $0 != UInt8(ascii: ":") }
    }

    static func isDotAtom(_ b: ArraySlice<UInt8>) -> Bool {
        guard let first = b.first, let last = b.last, first != UInt8(ascii: "."), last != UInt8(ascii: ".") else {
            return false
        }
        var previousDot = false
        for c in b {
            if c == UInt8(ascii: ".") {
                if previousDot { return false }
                previousDot = true
            } else {
                guard MIME.isAtext(c) else { return false }
                previousDot = false
            }
        }
        return true
    }

    static func isHostName(_ b: ArraySlice<UInt8>, minLabels: Int) -> Bool {
        guard !b.isEmpty, b.count <= 253 else { return false }
        let labels = b.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= minLabels else { return false }
        for label in labels {
            guard !label.isEmpty, label.count <= 63, label.first != UInt8(ascii: "-"),
                label.last != UInt8(ascii: "-")
            else { return false }
            for c in label {
                let ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == UInt8(ascii: "-")
                guard ok else { return false }
            }
        }
        return true
    }
}
