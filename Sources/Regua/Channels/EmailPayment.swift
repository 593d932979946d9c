import Foundation

/// What makes an e-mail payable in one step (SPEC §4): the PIX QR code as an inline PNG that
/// the HTML shows by `cid:`, and one PDF boleto attached per title with a boleto.
struct EmailPayment {
    /// Pixels per QR module in the PNG (a version-10 code is 260 pixels wide with its quiet zone).
    static let qrScale = 4

    let image: InlineImage?
    let attachments: [EmailAttachment]
    private let pixCode: String?
    private let pixAmount: Money

    /// The image and attachments of a message whose payment data the bank stage filled.
    init(message m: PlannedMessage, slips: [BoletoSlip], domain: String) {
        pixCode = m.pixCode
        pixAmount = m.pixAmount
        if let code = m.pixCode, let symbol = QRCode(text: code) {
            image = InlineImage(
                contentID: EmailInput.pixContentID(messageID: m.id, domain: domain),
                png: symbol.png(scale: Self.qrScale),
                fileName: "pix-qrcode.png")
        } else {
            image = nil
        }
        attachments = slips.map {
            EmailAttachment(
                fileName: BoletoSlip.fileName(titleID: $0.titleID), contentType: "application/pdf",
                bytes: BoletoPDF.render($0))
        }
    }

    /// The HTML body, with the QR code and the copia-e-cola inserted before `</body>` when the
    /// template does not show the image itself (so no e-mail carries an image nobody sees).
    func html(_ html: String) -> String {
        guard let image, let code = pixCode, !ASCIIBytes.contains(html, "cid:" + image.contentID) else {
            return html
        }
        let block =
            "<div style=\"margin:16px 0;padding:12px;border:1px solid #ccc\">\n"
            + "<p><strong>Pague com PIX: \(EmailWriter.escapeHTML(pixAmount.br))</strong></p>\n"
            + "<p><img src=\"cid:\(image.contentID)\" alt=\"QR code PIX\" width=\"220\" height=\"220\"></p>\n"
            + "<p>PIX copia e cola:<br>\n<code style=\"word-break:break-all\">\(EmailWriter.escapeHTML(code))</code></p>\n"
            + "</div>\n"
        if let end = Self.lastBodyEnd(html) {
            var out = html
            out.insert(contentsOf: block, at: end)
            return out
        }
        return html + block
    }

    /// Where the last `</body>` (any case) starts, by its bytes: one pass from the end per e-mail
    /// instead of Foundation's locale-aware search (it showed in the night's profile).
    static func lastBodyEnd(_ html: String) -> String.Index? {
        let tag = Array("</body>".utf8)
        let utf8 = html.utf8
        var i = utf8.endIndex
        while let start = utf8.index(i, offsetBy: -tag.count, limitedBy: utf8.startIndex) {
            if ASCIIBytes.equalIgnoringCase(utf8[start..<i], tag) { return start }
            i = utf8.index(before: i)
        }
        return nil
    }
}
