import Foundation
import Testing
@testable import Regua

/// A published night's e-mails paid in one step, read back by tools nobody here wrote:
/// Python's email package finds the inline QR image by its `cid:` and the boleto attachments,
/// zbar decodes the QR code (equal to the BR Code in the text) and, after poppler rasterises
/// each attached PDF, the ITF barcode (equal to the linha digitável's barcode).
@Suite struct PaymentReadBackTests {
    static let tools =
        ExternalTool.python3 != nil && ExternalTool.zbarimg != nil && ExternalTool.pdftoppm != nil
        && ExternalTool.pdftotext != nil

    /// Per e-mail: customer, text body, HTML, the image its `cid:` names, the attachments,
    /// the longest base64 line, and the defects Python found.
    static let script = """
        import email, email.policy, json, os, re, sys
        src, dst = sys.argv[1], sys.argv[2]
        out = []
        for name in sorted(n for n in os.listdir(src) if n.endswith('.eml')):
            raw = open(os.path.join(src, name), 'rb').read()
            m = email.message_from_bytes(raw, policy=email.policy.default)
            html = m.get_body(('html',))
            text = m.get_body(('plain',)).get_content()
            cids = re.findall(r'src="cid:([^"]+)"', html.get_content())
            images = {}
            for part in m.walk():
                if part.get_content_type() == 'image/png':
                    cid = part['content-id'].strip('<>')
                    path = os.path.join(dst, name + '.' + str(len(images)) + '.png')
                    open(path, 'wb').write(part.get_content())
                    images[cid] = path
            attachments = []
            for part in m.iter_attachments():
                if part.get_content_type() == 'application/pdf':
                    path = os.path.join(dst, name + '.' + part.get_filename())
                    open(path, 'wb').write(part.get_content())
                    attachments.append({'filename': part.get_filename(), 'path': path})
            b64 = max((len(l) for l in raw.split(b'\\r\\n') if re.fullmatch(rb'[A-Za-z0-9+/=]{40,}', l)), default=0)
            out.append({'file': name, 'customer': str(m['x-regua-customer']), 'text': text,
                        'html_type': m.get_body(('html',)).get_content_type(),
                        'related': any(p.get_content_type() == 'multipart/related' for p in m.walk()),
                        'cids': cids, 'images': images, 'attachments': attachments, 'b64': b64,
                        'defects': sum(len(p.defects) for p in m.walk()), 'size': len(raw)})
        print(json.dumps(out))
        """

    @Test(.enabled(if: tools, "python3, zbar-tools and poppler-utils are needed"))
    func qrCodesAndBoletosReadBack() throws {
        let w = try Workspace()
        let r = try w.run()
        let scratch = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let run = try ExternalTool.run(ExternalTool.python3!, ["-c", Self.script, r.folder! + "/email", scratch.path])
        #expect(run.status == 0, "\(run.stderr)")
        let messages = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(messages.count == r.summary?.messages.email)
        var attachmentsSeen = 0
        for m in messages {
            let file = m["file"] as! String
            let defects = m["defects"] as! Int, longest = m["b64"] as! Int, size = m["size"] as! Int
            #expect(defects == 0, "\(file)")
            #expect(longest <= 76, "\(file): base64 lines of at most 76 characters")
            #expect(size < 200_000, "\(file): size")
            let text = m["text"] as! String
            // The BR Code in the text part, and the QR code the HTML shows by cid:.
            let code = try #require(
                text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("000201") }.map(String.init), "\(file)")
            #expect(m["related"] as! Bool)
            let cids = m["cids"] as! [String]
            let images = m["images"] as! [String: String]
            #expect(cids.count == 1 && images.count == 1, "\(file)")
            let image = try #require(images[cids.first ?? ""], "\(file): the cid names the image")
            #expect(try ExternalTool.scan([image], extra: ExternalTool.qrOnly) == [code], "\(file)")
            // The QR code pays the total the text states.
            let amount = try #require(PixBRCodeTests.value(code, "54"))
            // (An offer's e-mail states its cash price; the others their total.)
            let lines = text.split(whereSeparator: \.isNewline)
            let total = try #require(
                lines.first { $0.hasPrefix("• À vista:") } ?? lines.first { $0.hasPrefix("Total") })
            let br = Money(cents: Int64(Double(amount)! * 100 + 0.5)).br
            #expect(total.hasSuffix(br) || total.contains(br + " "), "\(file)")
            // Every attached boleto scans back to the barcode of a linha digitável in the text.
            for a in m["attachments"] as! [[String: String]] {
                attachmentsSeen += 1
                let pdf = a["path"]!
                #expect(a["filename"]!.hasPrefix("boleto-") && a["filename"]!.hasSuffix(".pdf"))
                let png = pdf + "-page"
                let raster = try ExternalTool.run(
                    ExternalTool.pdftoppm!, ["-r", "300", "-png", "-singlefile", pdf, png])
                #expect(raster.status == 0)
                let barcode = try #require(try ExternalTool.scan([png + ".png"], extra: ExternalTool.i25Only).first)
                let linha = try #require(Boleto.linha(fromBarcode: barcode).flatMap(Boleto.format(linha:)))
                #expect(text.contains(linha), "\(file): \(a["filename"]!) is one of the message's boletos")
                let pdfText = try ExternalTool.run(ExternalTool.pdftotext!, [pdf, "-"]).stdout
                #expect(
                    pdfText.contains(linha) && pdfText.contains("Ficha de Compensação") && pdfText.contains("Pagador"))
            }
        }
        #expect(attachmentsSeen > 0, "the example night has e-mails with boletos")

        // C005's overdue e-mail lists its not-yet-due title under its own heading.
        let c005 = try #require(messages.first { $0["customer"] as? String == "C005" })
        let text = c005["text"] as! String
        let overdue = try #require(text.range(of: "Valores já vencidos:"))
        let upcoming = try #require(text.range(of: "Valores a vencer"))
        #expect(overdue.upperBound < upcoming.lowerBound)
        #expect(!text[overdue.upperBound..<upcoming.lowerBound].contains("vence em"))
        #expect(text[upcoming.upperBound...].contains("NF-10281"))
    }

    @Test("check --preview shows the QR code, the slips and the boleto attachments", .enabled(if: tools))
    func previews() throws {
        let dir = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = try RuleCheck.run(rulesDir: Workspace.repoRoot + "/rules", previewDir: dir.path)
        #expect(report.ok)
        let run = try ExternalTool.run(ExternalTool.python3!, ["-c", Self.script, dir.path, dir.path])
        #expect(run.status == 0, "\(run.stderr)")
        let messages = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(!messages.isEmpty)
        for m in messages {
            let images = m["images"] as! [String: String]
            let cids = m["cids"] as! [String]
            #expect(cids.count == 1 && images[cids.first ?? ""] != nil)
            #expect((m["attachments"] as! [[String: String]]).count == 1)
            let qr = try ExternalTool.scan(Array(images.values), extra: ExternalTool.qrOnly)
            #expect(qr.count == 1 && qr[0].hasPrefix("000201"))
        }
        let pages = try Self.rasterise(dir.path + "/letters.pdf", into: dir)
        #expect(try ExternalTool.scan(pages, extra: ExternalTool.qrOnly).count >= 1)
        #expect(try ExternalTool.scan(pages, extra: ExternalTool.i25Only).allSatisfy(Boleto.validate(barcode:)))
    }

    /// The pages of a PDF as 300 dpi PNGs.
    static func rasterise(_ pdf: String, into dir: URL) throws -> [String] {
        let prefix = dir.appendingPathComponent("page").path
        _ = try ExternalTool.run(ExternalTool.pdftoppm!, ["-r", "300", "-png", pdf, prefix])
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("page") }.sorted()
            .map { dir.appendingPathComponent($0).path }
    }
}
