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
    ///
    /// Every problem of the YAML files and of the template files comes in one pass; the checks
    /// that render samples (an empty subject, an SMS over `max_segments`) need a book that
    /// loads, and join once it does.
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
                let where_ = "\(step.location.map { "\($0): " } ?? "")degrau \(step.id) (\(template).\(c.rawValue))"
                let sample = TemplateSet.sampleMessage(book: book, channel: c, step: step)
                let context = TemplateContext.make(
                    message: sample, company: book.company, asOf: TemplateSet.sampleAsOf, policy: book.policy)
                let titleIDs = sample.titles.map(\.title.id.raw)
                let r: RenderedMessage
                do {
                    r = try templates.render(template: template, channel: c, context: context)
                } catch {
                    report.errors.append("\(where_): o modelo falhou com os dados de exemplo: \(error)")
                    continue
                }
                report.rendered.append("\(step.id)/\(c.rawValue)")
                let name = "\(step.id).\(c.rawValue)"
                switch c {
                case .email:
                    if (r.subject ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                        report.errors.append("\(where_): o e-mail fica sem assunto (a linha Subject está vazia)")
                    }
                    if r.html == nil {
                        report.warnings.append(
                            "\(where_): não há templates/\(template).email.html.mustache; a parte HTML é feita a partir do texto"
                        )
                    }
                    let input = EmailInput(
                        from: (book.company.name, book.company.email ?? "cobranca@localhost"),
                        to: (sample.customer.name, sample.customer.email ?? "cliente@example.com"),
                        subject: r.subject ?? "",
                        text: r.text, html: r.html ?? EmailWriter.htmlFromText(r.text, title: r.subject),
                        messageID: "PREVIEW-\(step.id)", domain: "preview.invalid", date: TemplateSet.sampleAsOf,
                        headers: EmailInput.reguaHeaders(
                            customerID: sample.customer.id.raw, step: step.id, titleIDs: titleIDs))
                    previews.append(("\(name).eml", EmailWriter.render(input)))
                case .sms:
                    let sms = SMS.prepare(r.text, transliterate: book.policy.smsTransliterate)
                    if sms.segments > book.policy.smsMaxSegments {
                        report.errors.append(
                            "\(where_): o SMS precisa de \(sms.segments) partes (\(sms.encoding.rawValue), \(sms.length) caracteres com os dados de exemplo); max_segments é \(book.policy.smsMaxSegments)"
                        )
                    }
                    smsRows.append(
                        SMSRow(
                            messageID: "PREVIEW-\(step.id)", customerID: sample.customer.id.raw,
                            phone: sample.customer.phone ?? "+5511987654321", step: step.id, titleIDs: titleIDs,
                            sms: sms))
                    previews.append(("\(name).txt", Array((sms.text + "\n").utf8)))
                case .letter:
                    letters.append(
                        Letter(
                            customer: sample.customer,
                            senderLines: [book.company.name] + (book.company.address.map { [$0] } ?? []),
                            date: TemplateSet.sampleAsOf, city: book.company.city ?? "São Paulo", body: r.text,
                            reference: ("PREVIEW-\(step.id)", sample.customer.id.raw, step.id, titleIDs)))
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
