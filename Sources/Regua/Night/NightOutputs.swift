import Foundation
import Logging

/// The files of a night, rendered in memory from the decision, then written to staging.
///
/// Rendering is deterministic: files and their contents depend only on the decision, the rule
/// book, the inputs and the as-of date — never on the clock or the order work was done in.
struct NightOutputs {
    let book: RuleBook
    let templates: TemplateSet
    var decision: NightDecision
    let asOf: Day
    let inputs: Inputs
    let returns: ReturnFilesRead
    let rulesHash: String
    let inputsHash: String
    let effectiveness: [StepEffectiveness]
    let logger: Logger
    /// The template values every message of the night shares, formatted once.
    let templateNight: TemplateNight

    /// Relative path → bytes, in the order they are written (manifest last).
    private(set) var files: [(path: String, bytes: [UInt8])] = []
    private(set) var remittanceFiles: [RemittanceFileRecord] = []
    private(set) var summary: Summary?
    var letterPages = 0
    var smsSegments = 0
    /// Titles paid beyond their amount and the excess (fees received), for the summary.
    var feesReceived: (titles: Int, amount: Money) = (0, .zero)
    /// The gap `--accept-gap` let through, shown in the summary.
    var acceptedGap: NightGap?
    /// The `policy.max_messages` that `--force` let the night pass.
    var forcedOverMaxMessages: Int?
    /// The input files' paths, so the report can name the customer of a rejected row.
    var inputFiles: [String] = []
    /// What people must fix tonight (`worklist.csv`, its summary counts and report section).
    var worklist: [WorklistRow] = []

    init(
        book: RuleBook, templates: TemplateSet, decision: NightDecision, asOf: Day, inputs: Inputs,
        returns: ReturnFilesRead, rulesHash: String, inputsHash: String, effectiveness: [StepEffectiveness],
        logger: Logger
    ) throws {
        self.effectiveness = effectiveness
        self.book = book
        self.templates = templates
        self.decision = decision
        self.asOf = asOf
        self.inputs = inputs
        self.returns = returns
        self.rulesHash = rulesHash
        self.inputsHash = inputsHash
        self.logger = logger
        self.templateNight = TemplateNight(company: book.company, asOf: asOf, policy: book.policy)
    }

    /// One message, rendered for its channel.
    private enum Rendered {
        case email(path: String, bytes: [UInt8])
        case sms(SMSRow)
        case letter(Letter)
        case call(CallRow)
        case whatsapp(WhatsAppMessage)
    }

    /// Messages rendered at a time when the e-mails stream to staging: the e-mails of at most two
    /// windows are in memory (each is 16–32 kB with its QR code and boleto attachments), not the
    /// whole night's (8 GiB at 4M titles when they were all kept until the end).
    static let streamWindow = 8192

    /// Renders every output of the night into memory. Messages are independent, so they render
    /// on every core; the results keep the decision's order, so the bytes do not depend on it.
    ///
    /// With a `staging` folder, the messages render in windows of `window` messages and each
    /// window's e-mails go to staging on a thread of their own while the next window, then the
    /// letters, the bank file and the report render, and are then let go: creating thousands of
    /// files is the kernel's work, and one thread does it best (two contend for the directory's
    /// lock). Nothing in staging is visible or recorded before the night is synced and committed,
    /// so writing early changes nothing else; the manifest lists what staging wrote, by path.
    mutating func renderAll(firstNSA: Int, staging: StagingFolder? = nil, window: Int = streamWindow) throws {
        var clock = StageClock()
        let messages = decision.messages
        let issuer = book.bank.flatMap { try? BoletoIssuer(bank: $0) }
        let pix = book.company.pixKey.map {
            PixBRCode.Merchant(key: $0, name: book.company.name, city: book.company.city ?? "SAO PAULO")
        }
        let me = self
        /// Messages `window` rendered on every core, in message order. Each range renders until
        /// its first failure; the first failure in message order is thrown.
        func render(_ window: Range<Int>) throws -> [Rendered] {
            let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 4, window.count / 256))
            let parts = Parallel.mapRanges(window.count, chunks: chunks) { range in
                Result { () throws -> [Rendered] in
                    try range.map {
                        try me.render(me.withPaymentData(messages[window.lowerBound + $0], issuer: issuer, pix: pix))
                    }
                }
            }
            return try parts.flatMap { try $0.get() }
        }
        var emails: [(path: String, bytes: [UInt8])] = []
        var smsRows: [SMSRow] = []
        var letters: [Letter] = []
        var calls: [CallRow] = []
        var whatsapp: [WhatsAppMessage] = []
        func collect(_ results: [Rendered]) {
            for r in results {
                switch r {
                case .email(let path, let bytes): emails.append((path, bytes))
                case .sms(let row):
                    if row.sms.segments > book.policy.smsMaxSegments {
                        logger.warning(
                            "SMS \(row.messageID) (step \(row.step)) needs \(row.sms.segments) segments, above max_segments \(book.policy.smsMaxSegments)"
                        )
                    }
                    smsSegments += row.sms.segments
                    smsRows.append(row)
                case .letter(let l): letters.append(l)
                case .call(let c): calls.append(c)
                case .whatsapp(let w): whatsapp.append(w)
                }
            }
        }
        // The e-mail thread of the window before: one at a time, in order; however rendering
        // ends, it is done before this returns.
        var emailJob: BackgroundJob<Result<Void, Error>>?
        defer { emailJob?.wait() }
        let windows =
            staging == nil
            ? [0..<messages.count]
            : stride(from: 0, to: messages.count, by: max(1, window)).map {
                $0..<min($0 + max(1, window), messages.count)
            }
        for window in windows {
            collect(try render(window))
            if let staging, !emails.isEmpty {
                try emailJob?.wait().get()
                let batch = emails[...]
                emails.removeAll()
                emailJob = BackgroundJob("regua e-mails") {
                    Result { try staging.write(batch, threads: 1) }
                }
            }
        }
        clock.lap("messages")
        // Written only on a night with calls (SPEC §4), in the decision's order.
        let callsFile: (String, [UInt8])? = calls.isEmpty ? nil : ("calls.csv", CallRow.csv(calls))
        let whatsappFile: (String, [UInt8])? =
            whatsapp.isEmpty ? nil : ("whatsapp.jsonl", try WhatsAppMessage.jsonl(whatsapp))
        // A dry run keeps the e-mails with the other files; a night streamed them to staging.
        files.append(contentsOf: emails)
        if let staging, let last = emailJob {
            // Once the last window is written, start flushing the e-mails while the rest renders.
            emailJob = BackgroundJob("regua e-mails") {
                Result {
                    try last.wait().get()
                    staging.flushEarly()
                }
            }
        }
        // What the report and two files need of the decision alone, made on a thread of its own
        // while the letters render (they leave a part of a core idle): the serial end is shorter.
        let besides = BackgroundJob("regua report parts") {
            (
                people: ReportPeople.make(
                    decision: me.decision, inputs: me.inputs, book: me.book, inputFiles: me.inputFiles,
                    worklist: me.worklist),
                rejects: InputReader.rejectsCSV(me.inputs.rejects), worklist: Worklist.csv(me.worklist)
            )
        }
        files.append(("sms.csv", SMS.csv(rows: smsRows)))
        if let callsFile { files.append(callsFile) }
        if let whatsappFile { files.append(whatsappFile) }
        // A night without letters has a header-only letters.csv and no letters.pdf (a PDF needs
        // a page for every reader). A night streams letters.pdf to staging a window of letters
        // at a time; a dry run keeps it with the other files.
        let pages: [(firstPage: Int, pageCount: Int)]
        if let staging, !letters.isEmpty {
            let file = try staging.streamedFile("letters.pdf")
            pages = try LettersPDF.write(letters, to: { try file.write($0) }, sha256SoFar: { file.sha256SoFar() })
            try file.finish()
        } else {
            let rendered = LettersPDF.render(letters)
            pages = rendered.pages
            if !letters.isEmpty { files.append(("letters.pdf", rendered.pdf)) }
        }
        letterPages = pages.reduce(0) { $0 + $1.pageCount }
        files.append(("letters.csv", LettersPDF.lettersCSV(letters, pages: pages)))
        clock.lap("letters")
        try renderRemittance(firstNSA: firstNSA)
        if let bureau = book.bureau, let bytes = Self.bureauCSV(decision.bureauRecords) {
            files.append(("bureau/\(bureau.name).csv", bytes))
        }
        files.append(contentsOf: Self.handoffCSVs(decision.handoffs, receivers: book.handoffs))
        clock.lap("remittance")
        let parts = besides.wait()
        files.append(("rejects.csv", parts.rejects))
        files.append(("worklist.csv", parts.worklist))
        let summary = makeSummary()
        self.summary = summary
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        files.append(("summary.json", Array(try encoder.encode(summary)) + [10]))
        files.append(("report.html", Array(reportHTML(summary, people: parts.people).utf8)))
        clock.lap("summary")
        try emailJob?.wait().get()
        clock.lap("e-mails written")
        let laps = clock.finish().seconds.sorted { $0.key < $1.key }.map {
            "\($0.key) \(String(format: "%.2f", $0.value))s"
        }
        logger.debug("render: \(laps.joined(separator: ", "))")
    }

    /// Writes every file not yet written, then `manifest.json` listing them all (size and
    /// SHA-256), last.
    func write(to staging: StagingFolder, crashPoint: (String) -> Void) throws {
        // Two halves, so the crash tests can kill a run with half the night on disk.
        let half = files.count / 2
        try staging.write(files[..<half])
        crashPoint("mid-staging")
        try staging.write(files[half...])
        let manifest = Manifest(asOf: asOf.iso, files: staging.entries.sorted { $0.path < $1.path })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try staging.write("manifest.json", Array(try encoder.encode(manifest)) + [10])
    }

    struct Manifest: Codable {
        var asOf: String
        var files: [StagingFolder.Entry]
        enum CodingKeys: String, CodingKey {
            case asOf = "as_of"
            case files
        }
    }

    // MARK: - Payment data

    /// Boleto (for titles with a nosso número) and PIX copia-e-cola (per message) for templates
    /// and letters. A title whose boleto cannot be made simply goes without one.
    private func withPaymentData(_ message: PlannedMessage, issuer: BoletoIssuer?, pix: PixBRCode.Merchant?)
        -> PlannedMessage
    {
        PaymentData.apply(to: message, issuer: issuer, pix: pix)
    }

    /// Renders one message's template and lays it out for its channel.
    private func render(_ m: PlannedMessage) throws -> Rendered {
        let scope = MessageScope(message: m, night: templateNight)
        if m.channel == .whatsapp {
            // The rule book's checker gives every step that may speak on WhatsApp its template.
            guard let t = m.step.whatsapp else {
                throw ReguaError(.refused, "step \(m.step.id) has no whatsapp_template for message \(m.id)")
            }
            return .whatsapp(WhatsAppMessage(message: m, template: t, scope: scope))
        }
        let rendered: RenderedMessage
        do {
            rendered = try templates.render(
                template: m.template, channel: m.channel, scope: scope)
        } catch {
            throw ReguaError(
                .refused, "template \(m.template).\(m.channel.rawValue) failed for message \(m.id): \(error)")
        }
        switch m.channel {
        case .email:
            return .email(path: "email/\(m.id).eml", bytes: EmailWriter.render(emailInput(m, rendered)))
        case .sms:
            return .sms(
                SMSRow(message: m, sms: SMS.prepare(rendered.text, transliterate: book.policy.smsTransliterate)))
        case .letter:
            return .letter(letter(m, rendered))
        case .call:
            return .call(
                CallRow(
                    message: m, script: rendered.text, window: book.policy.callHours?.window(on: asOf), day: asOf,
                    timeZone: book.timeZone))
        case .whatsapp:
            preconditionFailure("WhatsApp messages return above")
        }
    }

    // MARK: - Channels

    private func emailInput(_ m: PlannedMessage, _ r: RenderedMessage) -> EmailInput {
        let fromAddress = book.company.email ?? "nao-responda@regua.invalid"
        let domain = EmailInput.messageIDDomain(companyEmail: book.company.email)
        let payment = EmailPayment(message: m, slips: slips(m), domain: domain)
        return EmailInput(
            from: (book.company.name, fromAddress), to: (m.customer.name, m.customer.email ?? ""),
            subject: r.subject ?? "", text: r.text,
            html: payment.html(r.html ?? EmailWriter.htmlFromText(r.text, title: r.subject)),
            messageID: m.id, domain: domain, date: asOf,
            headers: EmailInput.reguaHeaders(
                customerID: m.customer.id.raw, step: m.step.id,
                titleIDs: m.titles.map(\.title.id.raw)),
            inlineImage: payment.image, attachments: payment.attachments)
    }

    private func letter(_ m: PlannedMessage, _ r: RenderedMessage) -> Letter {
        var sender = [book.company.name]
        if let a = book.company.address { sender.append(a) }
        return Letter(
            customer: m.customer, senderLines: sender, date: asOf, city: book.company.city ?? "São Paulo",
            body: r.text, reference: (m.id, m.customer.id.raw, m.step.id, m.titles.map(\.title.id.raw)),
            pix: m.pixCode.map { ($0, m.pixAmount) }, slips: slips(m))
    }

    /// The boleto slip of every title of the message that has one.
    private func slips(_ m: PlannedMessage) -> [BoletoSlip] {
        BoletoSlip.slips(for: m, company: book.company, bank: book.bank, policy: book.policy, asOf: asOf)
    }

    // MARK: - Bank

    private mutating func renderRemittance(firstNSA nsa: Int) throws {
        guard let bank = book.bank, !decision.remittances.isEmpty else { return }
        let items = decision.remittances.map { r in
            RemittanceItem(
                title: r.title.title, customer: r.customer, instruction: r.instruction, dueDate: r.title.title.dueDate,
                lateFeePercent: book.policy.lateFeePercent, interestPercentMonth: book.policy.interestPercentMonth)
        }
        let built: [(name: String, bytes: [UInt8])]
        do {
            built = try CNAB240Remittance.buildFiles(
                bank: bank, company: book.company, nsa: nsa, date: asOf, items: items)
        } catch {
            throw ReguaError(.refused, "cannot build the remittance file: \(error)")
        }
        for (i, f) in built.enumerated() {
            files.append(("remessa/" + f.name, f.bytes))
            remittanceFiles.append(
                RemittanceFileRecord(
                    bankCode: bank.code, agreement: bank.agreement, nsa: nsa + i,
                    fileName: f.name, records: f.bytes.count / 242))
        }
    }
}
