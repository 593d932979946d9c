/// Checks a template's tags against the schema the way Mustache will resolve them, so that a
/// typo is an error at load with its place and the nearest known name, never an empty space.
struct TemplateChecker {
    /// The variables everything sees.
    var schema: TemplateSchema
    /// `{{{x}}}` and `{{&x}}` are refused in HTML bodies: a value must never become markup.
    var allowUnescaped: Bool

    /// Text transforms of swift-mustache a template may apply to a text variable.
    static let transforms: Set<String> = ["uppercased", "lowercased", "capitalized"]

    /// An open section and the names it makes visible.
    private struct Frame {
        var name: String
        var location: SourceLocation
        /// Names visible on the object the section pushes (nil: it pushes nothing with names).
        var names: [String: VariableKind]?
        /// Whether `{{.}}` prints something meaningful here (a text, a number, a list of texts).
        var dotIsValue: Bool
    }

    /// Every problem of a template's tags, in text order.
    func check(_ tags: [MustacheTag]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var frames: [Frame] = []
        for tag in tags {
            switch tag.kind {
            case .comment:
                continue
            case .unsupported(let what):
                problems.append(Diagnostic(tag.location, "\(what) não são aceitos nos modelos do Regua"))
            case .variable, .unescaped:
                if tag.kind == .unescaped, !allowUnescaped {
                    problems.append(
                        Diagnostic(
                            tag.location, "saída sem escape não é permitida num modelo HTML",
                            hint: "escreva {{\(tag.name)}} para o valor ser escapado"))
                    continue
                }
                if let p = checkVariable(tag, frames: frames) { problems.append(p) }
            case .section, .inverted:
                let (frame, problem) = open(tag, frames: frames)
                if let problem { problems.append(problem) }
                frames.append(frame)
            case .close:
                guard let top = frames.last else {
                    problems.append(Diagnostic(tag.location, "{{/\(tag.name)}} não fecha nenhuma seção aberta"))
                    continue
                }
                if top.name == tag.name {
                    frames.removeLast()
                } else if let k = frames.lastIndex(where: { $0.name == tag.name }) {
                    problems.append(
                        Diagnostic(
                            tag.location,
                            "{{/\(tag.name)}} fecha uma seção enquanto {{#\(top.name)}} (linha \(top.location.line), coluna \(top.location.column)) ainda está aberta",
                            hint: "feche {{#\(top.name)}} antes"))
                    frames.removeSubrange(k...)
                } else {
                    problems.append(
                        Diagnostic(
                            tag.location,
                            "{{/\(tag.name)}} não corresponde à seção aberta {{#\(top.name)}} (linha \(top.location.line), coluna \(top.location.column))",
                            hint: "escreva {{/\(top.name)}}"))
                }
            }
        }
        for frame in frames.reversed() {
            problems.append(
                Diagnostic(
                    frame.location, "a seção {{#\(frame.name)}} nunca é fechada",
                    hint: "acrescente {{/\(frame.name)}}"))
        }
        return problems
    }

    private func checkVariable(_ tag: MustacheTag, frames: [Frame]) -> Diagnostic? {
        var name = tag.name
        var applied: [String] = []
        while let open = name.firstIndex(of: "(") {
            guard name.last == ")" else { return Diagnostic(tag.location, "marcação malformada {{\(tag.name)}}") }
            applied.append(String(name[..<open]))
            name = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
        }
        for t in applied where !Self.transforms.contains(t) {
            return Diagnostic(
                tag.location, "transformação desconhecida '\(t)'",
                hint: "use uma destas: " + Self.transforms.sorted().joined(separator: ", "))
        }
        if name == "." {
            guard frames.last?.dotIsValue == true else {
                return Diagnostic(
                    tag.location, "{{.}} só é permitido dentro de uma seção sobre um texto ou uma lista de textos",
                    hint: "escreva o nome da variável, por exemplo {{customer.name}}")
            }
            return nil
        }
        if let problem = malformed(name, tag) { return problem }
        guard let kind = resolve(name, frames: frames) else { return unknown(name, tag, frames: frames) }
        switch kind {
        case .text, .number:
            if !applied.isEmpty, kind != .text {
                return Diagnostic(tag.location, "transformações só se aplicam a variáveis de texto")
            }
            return nil
        case .flag:
            return Diagnostic(
                tag.location, "'\(name)' é um valor sim/não",
                hint: "use-o como seção: {{#\(name)}}…{{/\(name)}}")
        case .records, .texts:
            return Diagnostic(
                tag.location, "'\(name)' é uma lista", hint: "repita sobre ela: {{#\(name)}}…{{/\(name)}}")
        case .group(let children):
            let example = TemplateSchema.names(in: children, prefix: name).first ?? name
            return Diagnostic(
                tag.location, "'\(name)' é um grupo de variáveis", hint: "escolha uma, por exemplo {{\(example)}}")
        }
    }

    private func open(_ tag: MustacheTag, frames: [Frame]) -> (Frame, Diagnostic?) {
        var frame = Frame(name: tag.name, location: tag.location, names: nil, dotIsValue: false)
        if tag.name.contains("(") {
            return (frame, Diagnostic(tag.location, "transformações não são aceitas em seções"))
        }
        if let problem = malformed(tag.name, tag) { return (frame, problem) }
        guard let kind = resolve(tag.name, frames: frames) else {
            return (frame, unknown(tag.name, tag, frames: frames))
        }
        let inverted = tag.kind == .inverted
        switch kind {
        case .number:
            return (
                frame,
                Diagnostic(
                    tag.location, "'\(tag.name)' é um número, e uma seção sobre um número sempre aparece",
                    hint: "use uma variável sim/não, como is_overdue ou has_boleto")
            )
        case .flag:
            break
        case .text:
            frame.dotIsValue = !inverted
        case .texts:
            frame.dotIsValue = !inverted
        case .records(let element):
            if !inverted { frame.names = element }
        case .group(let children):
            if !inverted { frame.names = children }
        }
        return (frame, nil)
    }

    /// Mustache looks the first part of a name up from the innermost section outwards, then
    /// follows the rest from what it found; this does the same on the schema.
    private func resolve(_ name: String, frames: [Frame]) -> VariableKind? {
        let path = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for frame in frames.reversed() {
            guard let names = frame.names, names[path[0]] != nil else { continue }
            return TemplateSchema.walk(path[...], in: names)
        }
        return TemplateSchema.walk(path[...], in: schema.root)
    }

    private func malformed(_ name: String, _ tag: MustacheTag) -> Diagnostic? {
        if name.isEmpty { return Diagnostic(tag.location, "marcação vazia") }
        if name.first == "." {
            return Diagnostic(
                tag.location, "nomes que começam com '.' não são aceitos",
                hint: "escreva {{\(name.dropFirst())}}")
        }
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
                || $0 == "."
        }
        let accentedOnly = name.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == "."
        }
        if !allowed, accentedOnly, !name.hasSuffix("."), !name.contains("..") {
            // `{{saudação}}`: a Portuguese word with its accents; say what it means.
            let meaning = suggestion(for: name, candidates: schema.rootNames).map { "; " + $0 } ?? ""
            return Diagnostic(
                tag.location, "nome malformado '\(name)'", hint: "os nomes das variáveis não levam acento" + meaning)
        }
        if !allowed || name.hasSuffix(".") || name.contains("..") {
            return Diagnostic(
                tag.location, "nome malformado '\(name)'",
                hint: "os nomes têm letras sem acento, dígitos, '_' e pontos")
        }
        return nil
    }

    /// The list whose elements have this name (`due_date_br` → `titles`), if any.
    private func listHolding(_ name: String) -> String? {
        for list in schema.rootNames {
            if case .records(let element)? = TemplateSchema.walk(
                list.split(separator: ".").map(String.init)[...], in: schema.root),
                TemplateSchema.walk(name.split(separator: ".").map(String.init)[...], in: element) != nil
            {
                return list
            }
        }
        return nil
    }

    private func unknown(_ name: String, _ tag: MustacheTag, frames: [Frame]) -> Diagnostic {
        if frames.allSatisfy({ $0.names == nil }), let list = listHolding(name) {
            return Diagnostic(
                tag.location, "'\(name)' pertence a cada item de '\(list)'",
                hint: "use-a dentro de {{#\(list)}}…{{/\(list)}}")
        }
        var candidates: [String] = []
        for frame in frames.reversed() {
            if let names = frame.names { candidates += TemplateSchema.names(in: names) }
        }
        candidates += schema.rootNames
        return Diagnostic(
            tag.location, "variável desconhecida '\(name)'", hint: suggestion(for: name, candidates: candidates))
    }

    /// "você quis dizer …?": by meaning first (the Portuguese glossary: `vencimento` →
    /// `due_date_br`), else the nearest name by spelling when it is near enough to be a typo.
    private func suggestion(for name: String, candidates: [String]) -> String? {
        var meant: [String] = []
        for v in TemplateGlossary.meanings(of: name) {
            if v.hasPrefix("titles.") {
                let short = String(v.dropFirst("titles.".count))
                meant.append(
                    candidates.contains(short) ? "'\(short)'" : "'\(short)' (dentro de {{#titles}}…{{/titles}})")
            } else {
                meant.append("'\(v)'")
            }
        }
        if !meant.isEmpty { return "você quis dizer " + Self.alternatives(meant) + "?" }
        let typed = Array(name.lowercased().unicodeScalars)
        let limit = max(2, typed.count / 3)
        var best: (String, Int)?
        for c in candidates {
            let d = KeySuggestion.distance(typed, Array(c.lowercased().unicodeScalars))
            if d <= limit, best == nil || d < best!.1 { best = (c, d) }
        }
        return best.map { "você quis dizer '\($0.0)'?" }
    }

    /// `a`, `a ou b`, `a, b ou c`.
    static func alternatives(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " ou " + items.last!
    }
}
