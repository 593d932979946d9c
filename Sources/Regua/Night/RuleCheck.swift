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

    /// The book and its templates, with every load problem; when the book has problems, what
    /// could be read of it (nil when not even its company could).
    private static func load(_ rulesDir: String) -> (book: (RuleBook, TemplateSet)?, errors: [Diagnostic]) {
        do {
            let book = try RuleBookLoader.load(directory: rulesDir)
            do {
                return ((book, try TemplateSet(book: book)), [])
            } catch let e as RuleBookErrors {
                return ((book, TemplateSet(compilingWhatItCan: book)), e.diagnostics)
            } catch {
                return (nil, [Diagnostic(SourceLocation(file: rulesDir, line: 1, column: 1), "\(error)")])
            }
        } catch let e as RuleBookErrors {
            let errors = RuleBookLoader.sorted(e.diagnostics + TemplateSet.problems(in: e.templates))
            return (e.partial.map { ($0, TemplateSet(compilingWhatItCan: $0)) }, errors)
        } catch {
            return (nil, [Diagnostic(SourceLocation(file: rulesDir, line: 1, column: 1), "\(error)")])
        }
    }

    /// Runs the check; never throws for rule problems (they are in the report), only for I/O.
    ///
    /// Every problem comes in one pass: the YAML files', the rules', the template files', and
    /// what rendering each step's templates with sample data finds (an empty subject, an SMS
    /// over `max_segments`) — also when the book has errors elsewhere, as long as its company
    /// can be read (the samples speak for it); then with the steps and templates that validate.
    /// Previews are written only for a book without load errors.
    public static func run(rulesDir: String, previewDir: String? = nil) throws -> Report {
        var report = Report(rulesDir: rulesDir, ok: true, errors: [], warnings: [], rendered: [], previewFiles: [])
        let (loaded, loadErrors) = load(rulesDir)
        guard let (book, templates) = loaded else {
            report.ok = false
            report.errors = loadErrors.map(\.description)
            return report
        }
        var renderErrors: [Diagnostic] = []
        var previews: [(String, [UInt8])] = []
        var smsRows: [SMSRow] = []
        var letters: [Letter] = []
        for step in book.steps {
            guard case .message(let channel, let template, let fallback) = step.action else { continue }
            if let t = step.whatsapp, channel == .whatsapp || fallback == .whatsapp {
                // Meta's template, filled with the sample message's values as a night fills it.
                let sample = TemplateSet.sampleMessage(book: book, channel: .whatsapp, step: step)
                let night = TemplateNight(company: book.company, asOf: TemplateSet.sampleAsOf, policy: book.policy)
                var m = WhatsAppMessage(
                    message: sample, template: t, scope: MessageScope(message: sample, night: night))
                m.messageID = "PREVIEW-\(step.id)"
                m.bizOpaqueCallbackData = m.messageID
                if let bytes = try? WhatsAppMessage.jsonl([m]) {
                    report.rendered.append("\(step.id)/whatsapp")
                    previews.append(("\(step.id).whatsapp.json", bytes))
                }
            }
            // A template with its own errors is already reported; its samples cannot render.
            for c in [channel] + (fallback.map { [$0] } ?? []) where templates.has(template: template, channel: c) {
                let place = step.location ?? SourceLocation(file: rulesDir, line: 1, column: 1)
                let where_ = "degrau \(step.id) (\(template).\(c.rawValue))"
                let sample = TemplateSet.sampleMessage(book: book, channel: c, step: step)
                let context = TemplateContext.make(
                    message: sample, company: book.company, asOf: TemplateSet.sampleAsOf, policy: book.policy)
                let titleIDs = sample.titles.map(\.title.id.raw)
                let slips = BoletoSlip.slips(
                    for: sample, company: book.company, bank: book.bank, policy: book.policy,
                    asOf: TemplateSet.sampleAsOf)
                let r: RenderedMessage
                do {
                    r = try templates.render(template: template, channel: c, context: context)
                } catch {
                    renderErrors.append(
                        Diagnostic(place, "\(where_): o modelo falhou com os dados de exemplo: \(error)"))
                    continue
                }
                report.rendered.append("\(step.id)/\(c.rawValue)")
                let name = "\(step.id).\(c.rawValue)"
                switch c {
                case .email:
                    if (r.subject ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                        renderErrors.append(
                            Diagnostic(place, "\(where_): o e-mail fica sem assunto (a linha Subject está vazia)"))
                    }
                    if r.html == nil {
                        report.warnings.append(
                            "\(place): \(where_): não há templates/\(template).email.html.mustache; a parte HTML é feita a partir do texto"
                        )
                    }
                    let domain = EmailInput.messageIDDomain(companyEmail: book.company.email)
                    let payment = EmailPayment(message: sample, slips: slips, domain: domain)
                    let input = EmailInput(
                        from: (book.company.name, book.company.email ?? "cobranca@localhost"),
                        to: (sample.customer.name, sample.customer.email ?? "cliente@example.com"),
                        subject: r.subject ?? "",
                        text: r.text, html: payment.html(r.html ?? EmailWriter.htmlFromText(r.text, title: r.subject)),
                        messageID: "PREVIEW-\(step.id)", domain: "preview.invalid", date: TemplateSet.sampleAsOf,
                        headers: EmailInput.reguaHeaders(
                            customerID: sample.customer.id.raw, step: step.id, titleIDs: titleIDs),
                        inlineImage: payment.image, attachments: payment.attachments)
                    previews.append(("\(name).eml", EmailWriter.render(input)))
                case .sms:
                    let sms = SMS.prepare(r.text, transliterate: book.policy.smsTransliterate)
                    if sms.segments > book.policy.smsMaxSegments {
                        renderErrors.append(
                            Diagnostic(
                                place,
                                "\(where_): o SMS precisa de \(sms.segments) partes (\(sms.encoding.rawValue), \(sms.length) caracteres com os dados de exemplo); max_segments é \(book.policy.smsMaxSegments)"
                            ))
                    }
                    smsRows.append(
                        SMSRow(
                            messageID: "PREVIEW-\(step.id)", customerID: sample.customer.id.raw,
                            phone: sample.customer.phone ?? "+5511987654321", step: step.id, titleIDs: titleIDs,
                            sms: sms))
                    previews.append(("\(name).txt", Array((sms.text + "\n").utf8)))
                case .call:
                    previews.append(("\(name).call.txt", Array((r.text + "\n").utf8)))
                case .whatsapp:
                    continue  // no Mustache file; previewed above
                case .letter:
                    letters.append(
                        Letter(
                            customer: sample.customer,
                            senderLines: [book.company.name] + (book.company.address.map { [$0] } ?? []),
                            date: TemplateSet.sampleAsOf, city: book.company.city ?? "São Paulo", body: r.text,
                            reference: ("PREVIEW-\(step.id)", sample.customer.id.raw, step.id, titleIDs),
                            pix: sample.pixCode.map { ($0, sample.pixAmount) }, slips: slips))
                }
            }
        }
        report.errors = RuleBookLoader.sorted(loadErrors + renderErrors).map(\.description)
        report.ok = report.errors.isEmpty
        if let dir = previewDir, loadErrors.isEmpty {
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
