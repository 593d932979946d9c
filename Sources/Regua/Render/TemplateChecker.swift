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
                problems.append(Diagnostic(tag.location, "\(what) are not supported in Regua templates"))
            case .variable, .unescaped:
                if tag.kind == .unescaped, !allowUnescaped {
                    problems.append(
                        Diagnostic(
                            tag.location, "unescaped output is not allowed in an HTML template",
                            hint: "write {{\(tag.name)}} so the value is escaped"))
                    continue
                }
                if let p = checkVariable(tag, frames: frames) { problems.append(p) }
            case .section, .inverted:
                let (frame, problem) = open(tag, frames: frames)
                if let problem { problems.append(problem) }
                frames.append(frame)
            case .close:
                guard let top = frames.last else {
                    problems.append(Diagnostic(tag.location, "{{/\(tag.name)}} closes no open section"))
                    continue
                }
                if top.name == tag.name {
                    frames.removeLast()
                } else if let k = frames.lastIndex(where: { $0.name == tag.name }) {
                    problems.append(
                        Diagnostic(
                            tag.location,
                            "{{/\(tag.name)}} closes a section while {{#\(top.name)}} (line \(top.location.line), column \(top.location.column)) is still open",
                            hint: "close {{#\(top.name)}} first"))
                    frames.removeSubrange(k...)
                } else {
                    problems.append(
                        Diagnostic(
                            tag.location,
                            "{{/\(tag.name)}} does not match the open section {{#\(top.name)}} (line \(top.location.line), column \(top.location.column))",
                            hint: "write {{/\(top.name)}}"))
                }
            }
        }
        for frame in frames.reversed() {
            problems.append(
                Diagnostic(
                    frame.location, "section {{#\(frame.name)}} is never closed",
                    hint: "add {{/\(frame.name)}}"))
        }
        return problems
    }

    private func checkVariable(_ tag: MustacheTag, frames: [Frame]) -> Diagnostic? {
        var name = tag.name
        var applied: [String] = []
        while let open = name.firstIndex(of: "(") {
            guard name.last == ")" else { return Diagnostic(tag.location, "malformed tag {{\(tag.name)}}") }
            applied.append(String(name[..<open]))
            name = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
        }
        for t in applied where !Self.transforms.contains(t) {
            return Diagnostic(
                tag.location, "unknown transform '\(t)'",
                hint: "use one of " + Self.transforms.sorted().joined(separator: ", "))
        }
        if name == "." {
            guard frames.last?.dotIsValue == true else {
                return Diagnostic(
                    tag.location, "{{.}} is only allowed inside a section over a text or a list of texts",
                    hint: "name the variable, e.g. {{customer.name}}")
            }
            return nil
        }
        if let problem = malformed(name, tag) { return problem }
        guard let kind = resolve(name, frames: frames) else { return unknown(name, tag, frames: frames) }
        switch kind {
        case .text, .number:
            if !applied.isEmpty, kind != .text {
                return Diagnostic(tag.location, "transforms apply to text variables only")
            }
            return nil
        case .flag:
            return Diagnostic(
                tag.location, "'\(name)' is a yes/no value",
                hint: "use it as a section: {{#\(name)}}…{{/\(name)}}")
        case .records, .texts:
            return Diagnostic(tag.location, "'\(name)' is a list", hint: "repeat over it: {{#\(name)}}…{{/\(name)}}")
        case .group(let children):
            let example = TemplateSchema.names(in: children, prefix: name).first ?? name
            return Diagnostic(tag.location, "'\(name)' is a group of variables", hint: "name one, e.g. {{\(example)}}")
        }
    }

    private func open(_ tag: MustacheTag, frames: [Frame]) -> (Frame, Diagnostic?) {
        var frame = Frame(name: tag.name, location: tag.location, names: nil, dotIsValue: false)
        if tag.name.contains("(") {
            return (frame, Diagnostic(tag.location, "transforms are not supported on sections"))
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
                    tag.location, "'\(tag.name)' is a number and is always shown as a section",
                    hint: "use a yes/no variable such as is_overdue or has_boleto")
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
        if name.isEmpty { return Diagnostic(tag.location, "empty tag") }
        if name.first == "." {
            return Diagnostic(
                tag.location, "names starting with '.' are not supported",
                hint: "write {{\(name.dropFirst())}}")
        }
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
                || $0 == "."
        }
        if !allowed || name.hasSuffix(".") || name.contains("..") {
            return Diagnostic(tag.location, "malformed name '\(name)'", hint: "names are letters, digits, '_' and dots")
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
                tag.location, "'\(name)' belongs to each element of '\(list)'",
                hint: "use it inside {{#\(list)}}…{{/\(list)}}")
        }
        var candidates: [String] = []
        for frame in frames.reversed() {
            if let names = frame.names { candidates += TemplateSchema.names(in: names) }
        }
        candidates += schema.rootNames
        var best: (String, Int)?
        let typed = Array(name.unicodeScalars)
        for c in candidates {
            let d = KeySuggestion.distance(typed, Array(c.unicodeScalars))
            if best == nil || d < best!.1 { best = (c, d) }
        }
        let hint = best.map { "did you mean '\($0.0)'?" }
        return Diagnostic(tag.location, "unknown variable '\(name)'", hint: hint)
    }
}
