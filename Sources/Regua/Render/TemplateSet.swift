import Mustache

/// A message rendered from its template: what the channel stage wraps and sends.
public struct RenderedMessage: Sendable, Hashable {
    /// The e-mail subject, one line; nil for SMS and letters.
    public var subject: String?
    /// The text body (e-mail text part, SMS text, letter body), not HTML-escaped.
    public var text: String
    /// The HTML body when the template has a `.email.html.mustache`; nil otherwise.
    public var html: String?

    /// Creates a rendered message.
    public init(subject: String? = nil, text: String, html: String? = nil) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}

/// A render asked for a template the set does not have.
public struct MissingTemplate: Error, Sendable, Hashable, CustomStringConvertible {
    /// The template name, e.g. `atraso`.
    public var template: String
    /// The channel it was asked for.
    public var channel: Channel
    /// `no template atraso.letter.mustache`.
    public var description: String { "no template \(template).\(channel.rawValue).mustache" }
}

/// Every template of a rule book, checked and compiled once, ready to render messages.
public struct TemplateSet: Sendable {
    private struct Key: Hashable, Sendable {
        var name: String
        var channel: Channel
    }

    private struct Compiled: Sendable {
        var subject: MustacheTemplate?
        var body: MustacheTemplate
        var html: MustacheTemplate?
        /// The same three for the night's renderer (nil: that part renders through swift-mustache).
        var fastSubject: CompiledTemplate?
        var fastBody: CompiledTemplate?
        var fastHTML: CompiledTemplate?
    }

    private var compiled: [Key: Compiled]

    /// Checks every template (names, variables, sections, the e-mail Subject line) and every
    /// message step's templates, then compiles them; throws every problem at once.
    public init(book: RuleBook) throws {
        var (compiled, problems) = Self.compileFiles(book.templates)
        problems += Self.checkSteps(book)
        guard problems.isEmpty else { throw RuleBookErrors(problems) }
        self.compiled = compiled
        crossCheck(book: book)
    }

    /// The templates of a book that compile, the others left out, without throwing: what
    /// `regua check` renders samples with when the book has problems elsewhere.
    init(compilingWhatItCan book: RuleBook) {
        compiled = Self.compileFiles(book.templates).compiled
        crossCheck(book: book)
    }

    /// Every problem of the template files themselves (names, syntax, variables, the e-mail
    /// Subject line), without the rule book: what `regua check` reports beside the YAML errors
    /// of a book that does not load.
    static func problems(in templates: [String: TemplateSource]) -> [Diagnostic] {
        compileFiles(templates).problems
    }

    /// Checks and compiles each template file; an HTML body joins its text e-mail template.
    private static func compileFiles(_ templates: [String: TemplateSource]) -> (
        compiled: [Key: Compiled], problems: [Diagnostic]
    ) {
        var problems: [Diagnostic] = []
        var compiled: [Key: Compiled] = [:]
        var htmlBodies: [String: (TemplateSource, MustacheTemplate)] = [:]

        for fileName in templates.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let source = templates[fileName]!
            guard let (name, kind) = Self.parseFileName(fileName) else {
                problems.append(
                    Diagnostic(
                        SourceLocation(file: source.path, line: 1, column: 1),
                        "o nome do arquivo de modelo deve ser <modelo>.<canal>.mustache",
                        hint: "canais: email, sms, letter, call; corpo HTML de e-mail: <modelo>.email.html.mustache"))
                continue
            }
            switch kind {
            case .html:
                if let t = Self.compile(source.text, path: source.path, line: 1, html: true, problems: &problems) {
                    htmlBodies[name] = (source, t)
                }
            case .email:
                let email = Self.splitEmail(source, problems: &problems)
                let subject = Self.compile(
                    email.subject.text, path: source.path, line: 1, column: email.subject.column,
                    html: false, problems: &problems)
                let body = Self.compile(
                    email.body.text, path: source.path, line: email.body.line, html: false,
                    problems: &problems)
                if let subject, let body {
                    compiled[Key(name: name, channel: .email)] = Compiled(
                        subject: subject, body: body, fastSubject: CompiledTemplate(subject, html: false),
                        fastBody: CompiledTemplate(body, html: false))
                }
            case .sms, .letter, .call:
                let channel: Channel = kind == .sms ? .sms : kind == .letter ? .letter : .call
                if let body = Self.compile(source.text, path: source.path, line: 1, html: false, problems: &problems) {
                    compiled[Key(name: name, channel: channel)] = Compiled(
                        body: body, fastBody: CompiledTemplate(body, html: false))
                }
            }
        }
        for (name, (source, html)) in htmlBodies.sorted(by: { $0.key < $1.key }) {
            let key = Key(name: name, channel: .email)
            if compiled[key] != nil {
                compiled[key]!.html = html
                compiled[key]!.fastHTML = CompiledTemplate(html, html: true)
            } else if !templates.keys.contains(name + ".email.mustache") {
                problems.append(
                    Diagnostic(
                        SourceLocation(file: source.path, line: 1, column: 1),
                        "corpo HTML sem o modelo de e-mail em texto",
                        hint: "crie \(name).email.mustache com a linha Subject e o corpo em texto"))
            }
        }
        return (compiled, problems)
    }

    /// Renders every template with sample messages both ways (swift-mustache over the sample
    /// dictionary, ``CompiledTemplate`` over the night's values); a template where they differ
    /// in any byte renders through swift-mustache from then on. Tests hold them equal; this
    /// keeps a template no test has seen from ever coming out otherwise than swift-mustache
    /// would write it.
    private mutating func crossCheck(book: RuleBook) {
        var samples: [PlannedMessage] = []
        for offset in [-3, 0, 5] {
            for channel in Channel.allCases {
                let step = Step(
                    id: "sample_d\(offset)", offset: offset,
                    action: .message(channel: channel, template: "", fallback: nil), index: 0)
                var m = Self.sampleMessage(book: book, channel: channel, step: step)
                // Both renderers must meet a boleto and a PIX code even when the book has no
                // bank or PIX key: a title from the ERP may bring its own boleto.
                if m.titles[0].barcode == nil {
                    m.titles[0].barcode = "00192376900000135000000001238798777770016818"
                    m.titles[0].linhaDigitavel = "00190000090123879877977700168188237690000013500"
                }
                if m.pixCode == nil {
                    m.pixCode = PixBRCode.payload(
                        key: "cobranca@exemplo.com.br", merchantName: book.company.name, merchantCity: "SAO PAULO",
                        amount: m.totalUpdated, txid: "SAMPLE")
                    m.pixTxid = "SAMPLE"
                }
                if offset == 5 {
                    // One title, no PIX, a customer without e-mail or complement.
                    m.titles = [m.titles[0]]
                    m.pixCode = nil
                    m.pixTxid = nil
                    m.customer.email = nil
                    m.customer.address.complement = nil
                }
                samples.append(m)
            }
        }
        let night = TemplateNight(company: book.company, asOf: Self.sampleAsOf, policy: book.policy)
        for (key, c) in compiled {
            for m in samples where m.channel == key.channel {
                let dict = TemplateContext.make(
                    message: m, company: book.company, asOf: Self.sampleAsOf, policy: book.policy)
                let scope = MessageScope(message: m, night: night)
                func same(_ t: MustacheTemplate?, _ f: CompiledTemplate?) -> Bool {
                    guard let t, let f else { return true }
                    return t.render(dict) == f.render(scope)
                }
                if !same(c.body, c.fastBody) || !same(c.subject, c.fastSubject) || !same(c.html, c.fastHTML) {
                    compiled[key]!.fastBody = nil
                    compiled[key]!.fastSubject = nil
                    compiled[key]!.fastHTML = nil
                    break
                }
            }
        }
    }

    /// Whether the set can render this template on this channel.
    public func has(template: String, channel: Channel) -> Bool {
        compiled[Key(name: template, channel: channel)] != nil
    }

    /// Renders a message. Text bodies are not HTML-escaped; the HTML body is. Values are never
    /// expanded as templates. The subject is one line, whatever the data holds.
    public func render(template: String, channel: Channel, context: [String: Any]) throws -> RenderedMessage {
        try render(template: template, channel: channel, object: context)
    }

    /// Renders a message from its lazily computed context (what a night uses; see ``MessageScope``),
    /// through the ``CompiledTemplate`` of each part; the same bytes as swift-mustache gives.
    func render(template: String, channel: Channel, scope: MessageScope) throws -> RenderedMessage {
        try render(template: template, channel: channel, object: scope, fast: scope)
    }

    /// Whether every part of every template renders through ``CompiledTemplate`` (tests).
    var allCompiled: Bool {
        compiled.values.allSatisfy {
            $0.fastBody != nil && ($0.subject == nil) == ($0.fastSubject == nil)
                && ($0.html == nil) == ($0.fastHTML == nil)
        }
    }

    private func render(template: String, channel: Channel, object context: Any, fast: (any TemplateObject)? = nil)
        throws -> RenderedMessage
    {
        guard let c = compiled[Key(name: template, channel: channel)] else {
            throw MissingTemplate(template: template, channel: channel)
        }
        // A part without its compiled form renders through swift-mustache: over the same
        // values (MessageScope answers swift-mustache too) when the night passes them.
        func run(_ t: MustacheTemplate, _ compiled: CompiledTemplate?) -> String {
            if let fast, let compiled { return compiled.render(fast) }
            return t.render(context)
        }
        let text = run(c.body, c.fastBody)
        switch channel {
        case .email:
            let subject = c.subject.map { Self.oneLine(run($0, c.fastSubject)) }
            return RenderedMessage(subject: subject, text: text, html: c.html.map { run($0, c.fastHTML) })
        case .sms, .call:
            return RenderedMessage(text: Self.trimmed(text))
        case .letter:
            return RenderedMessage(text: text)
        case .whatsapp:
            // No Mustache file speaks for WhatsApp (Meta approves the text); never compiled.
            return RenderedMessage(text: Self.trimmed(text))
        }
    }

    // MARK: - Loading

    private enum FileKind { case email, html, sms, letter, call }

    /// `atraso.email.mustache` → (`atraso`, email); `atraso.email.html.mustache` → (`atraso`, html).
    private static func parseFileName(_ fileName: String) -> (String, FileKind)? {
        guard fileName.hasSuffix(".mustache") else { return nil }
        let stem = String(fileName.dropLast(".mustache".count))
        let table: [(String, FileKind)] = [
            (".email.html", .html), (".email", .email), (".sms", .sms), (".letter", .letter), (".call", .call),
        ]
        for (suffix, kind) in table where stem.hasSuffix(suffix) {
            let name = String(stem.dropLast(suffix.count))
            guard !name.isEmpty, !name.contains("/") else { return nil }
            return (name, kind)
        }
        return nil
    }

    /// Checks and compiles one template text that starts at `line`:`column` of its file.
    private static func compile(
        _ text: String, path: String, line: Int, column: Int = 1, html: Bool,
        problems: inout [Diagnostic]
    ) -> MustacheTemplate? {
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let scan = TemplateScanner.scan(text, file: path, line: line, column: column)
        let checker = TemplateChecker(schema: TemplateContext.schema, allowUnescaped: !html)
        let found = (scan.problems + checker.check(scan.tags))
            .sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        guard found.isEmpty else {
            problems += found
            return nil
        }
        // swift-mustache escapes for HTML by default; text bodies switch that off with its
        // CONTENT_TYPE pragma, on a line of its own so it leaves no trace in the output.
        let source = html ? text : "{{%CONTENT_TYPE:TEXT}}\n" + text
        do {
            return try MustacheTemplate(string: source)
        } catch let error as MustacheTemplate.ParserError {
            // Undo the pragma line and the offset of a part that starts mid-file (the Subject).
            let relative = max(error.context.lineNumber - 1 - (html ? 0 : 1), 0)
            let at = SourceLocation(
                file: path, line: line + relative,
                column: (relative == 0 ? column - 1 : 0) + error.context.columnNumber)
            problems.append(Diagnostic(at, "o modelo não pôde ser lido: \(error.error)"))
        } catch {
            problems.append(
                Diagnostic(
                    SourceLocation(file: path, line: line, column: column),
                    "o modelo não pôde ser lido: \(error)"))
        }
        return nil
    }

    /// A piece of a template file and where it starts.
    private struct Part {
        var text: String
        var line: Int
        var column: Int
    }

    /// Splits an e-mail template into its `Subject:` line and its body (after one blank line).
    private static func splitEmail(_ source: TemplateSource, problems: inout [Diagnostic]) -> (
        subject: Part, body: Part
    ) {
        let text = source.text.hasPrefix("\u{FEFF}") ? String(source.text.dropFirst()) : source.text
        let (first, afterFirst) = splitLine(Substring(text))
        let label = "subject:"
        guard first.lowercased().hasPrefix(label) else {
            problems.append(
                Diagnostic(
                    SourceLocation(file: source.path, line: 1, column: 1),
                    "um modelo de e-mail deve começar com a linha 'Subject: …' (o assunto)",
                    hint: "escreva 'Subject: …', depois uma linha em branco, depois o corpo"))
            return (Part(text: "", line: 1, column: 1), Part(text: text, line: 1, column: 1))
        }
        var subject = first.dropFirst(label.count)
        var column = label.count + 1
        while subject.first == " " {
            subject.removeFirst()
            column += 1
        }
        guard let rest = afterFirst else {
            problems.append(
                Diagnostic(
                    SourceLocation(file: source.path, line: 1, column: first.count + 1),
                    "o modelo de e-mail não tem corpo", hint: "acrescente uma linha em branco e o corpo"))
            return (Part(text: String(subject), line: 1, column: column), Part(text: "", line: 3, column: 1))
        }
        let (second, afterSecond) = splitLine(rest)
        if !second.allSatisfy({ $0 == " " || $0 == "\t" }) {
            problems.append(
                Diagnostic(
                    SourceLocation(file: source.path, line: 2, column: 1),
                    "esperava uma linha em branco depois da linha Subject"))
            return (Part(text: String(subject), line: 1, column: column), Part(text: String(rest), line: 2, column: 1))
        }
        return (
            Part(text: String(subject), line: 1, column: column),
            Part(text: String(afterSecond ?? ""), line: 3, column: 1)
        )
    }

    /// The first line (without its CR LF or LF) and what follows it, nil when there is no line end.
    private static func splitLine(_ s: Substring) -> (Substring, Substring?) {
        guard let nl = s.firstIndex(where: { $0 == "\n" || $0 == "\r\n" }) else { return (s, nil) }
        return (s[..<nl], s[s.index(after: nl)...])
    }

    /// A message step's template must exist on its channel and on its fallback channel.
    private static func checkSteps(_ book: RuleBook) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for step in book.steps {
            guard case .message(let channel, let template, let fallback) = step.action else { continue }
            for c in [channel] + (fallback.map { [$0] } ?? []) where c != .whatsapp {
                let file = template + "." + c.rawValue + ".mustache"
                if book.templates[file] == nil {
                    let at = step.location ?? SourceLocation(file: "rules", line: 1, column: 1)
                    problems.append(
                        Diagnostic(at, "o degrau '\(step.id)' precisa do modelo templates/\(file), que não existe"))
                }
            }
        }
        return problems
    }

    // MARK: - Output hygiene

    /// Control characters and line breaks become single spaces; ends trimmed.
    static func oneLine(_ s: String) -> String {
        let spaced = BrazilianFormat.clean(s)
        return spaced.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// Without leading and trailing spaces and line breaks.
    static func trimmed(_ s: String) -> String {
        var s = Substring(s)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
