import Foundation

/// `regua check`: validates the rule book and renders every template of every step with
/// sample data, optionally writing the samples for a person to read.
public enum RuleCheck {
    /// What a check found.
    public struct Report: Codable, Sendable {
        /// The rules folder checked.
        public var rulesDir: String
        /// No errors were found.
        public var ok: Bool
        /// Errors, as `FILE:LINE:COLUMN: message`.
        public var errors: [String]
        /// Remarks that do not fail the check (an e-mail step without an HTML template, …).
        public var warnings: [String]
        /// Samples rendered: "step/channel".
        public var rendered: [String]
        /// Files written with `--preview`.
        public var previewFiles: [String]
    }

    /// Runs the check; never throws for rule problems (they are in the report), only for I/O.
    public static func run(rulesDir: String, previewDir: String? = nil) throws -> Report {
        var report = Report(rulesDir: rulesDir, ok: true, errors: [], warnings: [], rendered: [], previewFiles: [])
        let book: RuleBook
        let templates: TemplateSet
        do {
            (book, templates) = try NightInputs.loadBook(rulesDir: rulesDir)
        } catch let e as ReguaError {
            report.ok = false
            report.errors = e.diagnostics.map(\.description)
            if report.errors.isEmpty { report.errors = [e.message] }
            return report
        }
        var previews: [(String, [UInt8])] = []
        var smsRows: [SMSRow] = []
        var letters: [Letter] = []
        for step in book.steps {
            guard case .message(let channel, let template, let fallback) = step.action else { continue }
            for c in [channel] + (fallback.map { [$0] } ?? []) {
                let where_ = "\(step.location.map { "\($0): " } ?? "")step \(step.id) (\(template).\(c.rawValue))"
                let context = TemplateSet.sampleContext(book: book, channel: c, step: step)
                // The sample's payment data, shown as the night shows it (QR code, slips, attachments).
                let sample = TemplateSet.sampleMessage(book: book, channel: c, step: step)
                let slips = BoletoSlip.slips(
                    for: sample, company: book.company, bank: book.bank, policy: book.policy,
                    asOf: TemplateSet.sampleAsOf)
                let r: RenderedMessage
                do {
                    r = try templates.render(template: template, channel: c, context: context)
                } catch {
                    report.errors.append("\(where_): rendering failed: \(error)")
                    continue
                }
                report.rendered.append("\(step.id)/\(c.rawValue)")
                let name = "\(step.id).\(c.rawValue)"
                switch c {
                case .email:
                    if (r.subject ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                        report.errors.append("\(where_): the e-mail has no subject")
                    }
                    if r.html == nil {
                        report.warnings.append(
                            "\(where_): no templates/\(template).email.html.mustache; the HTML part is made from the text"
                        )
                    }
                    let domain = EmailInput.messageIDDomain(companyEmail: book.company.email)
                    let payment = EmailPayment(message: sample, slips: slips, domain: domain)
                    let input = EmailInput(
                        from: (book.company.name, book.company.email ?? "cobranca@localhost"),
                        to: ("Maria da Conceição", "maria@example.com"), subject: r.subject ?? "",
                        text: r.text, html: payment.html(r.html ?? EmailWriter.htmlFromText(r.text, title: r.subject)),
                        messageID: "PREVIEW-\(step.id)", domain: "preview.invalid", date: Day(iso: "2026-11-23")!,
                        headers: EmailInput.reguaHeaders(customerID: "PREVIEW", step: step.id, titleIDs: ["PREVIEW-1"]),
                        inlineImage: payment.image, attachments: payment.attachments)
                    previews.append(("\(name).eml", EmailWriter.render(input)))
                case .sms:
                    let sms = SMS.prepare(r.text, transliterate: book.policy.smsTransliterate)
                    if sms.segments > book.policy.smsMaxSegments {
                        report.errors.append(
                            "\(where_): the SMS needs \(sms.segments) segments (\(sms.encoding.rawValue), \(sms.length) characters with sample data); max_segments is \(book.policy.smsMaxSegments)"
                        )
                    }
                    smsRows.append(
                        SMSRow(
                            messageID: "PREVIEW-\(step.id)", customerID: "PREVIEW", phone: "+5511987654321",
                            step: step.id, titleIDs: ["PREVIEW-1"], sms: sms))
                    previews.append(("\(name).txt", Array((sms.text + "\n").utf8)))
                case .letter:
                    let customer = Customer(
                        id: CustomerID("PREVIEW"), name: "Maria da Conceição",
                        document: Document(kind: .cpf, value: "52998224725"),
                        address: PostalAddress(
                            street: "Rua das Acácias", number: "123", complement: "apto 45",
                            district: "Jardim Paulista", city: "São Paulo", state: "SP", zip: "01415000"))
                    letters.append(
                        Letter(
                            customer: customer,
                            senderLines: [book.company.name] + (book.company.address.map { [$0] } ?? []),
                            date: Day(iso: "2026-11-23")!, city: book.company.city ?? "São Paulo", body: r.text,
                            reference: ("PREVIEW-\(step.id)", "PREVIEW", step.id, ["PREVIEW-1"]),
                            pix: sample.pixCode.map { ($0, sample.pixAmount) }, slips: slips))
                }
            }
        }
        report.ok = report.errors.isEmpty
        if let dir = previewDir {
            if !letters.isEmpty { previews.append(("letters.pdf", LettersPDF.render(letters).pdf)) }
            if !smsRows.isEmpty { previews.append(("sms.csv", SMS.csv(rows: smsRows))) }
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                for (name, bytes) in previews {
                    try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
                    report.previewFiles.append(dir + "/" + name)
                }
            } catch {
                throw ReguaError(.io, "cannot write previews to \(dir): \(error.localizedDescription)")
            }
        }
        return report
    }
}
