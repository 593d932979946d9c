/// The keys of one YAML map, checked against the keys its section knows.
struct RuleFields {
    /// The map itself (or the null that stood for an empty one).
    let node: YAMLNode
    /// How messages name the map, with its article: "a seção company", "um degrau".
    let section: String

    /// The section after "em": "na seção company", "em um degrau", "no 'when' do perfil 'x'".
    var inSection: String { RuleFields.in(section) }

    /// "em" joined with the article of `section` as Portuguese writes it.
    static func `in`(_ section: String) -> String {
        if section.hasPrefix("a ") { return "n" + section }
        if section.hasPrefix("o ") { return "n" + section }
        return "em " + section
    }
    private var entries: [String: (key: YAMLNode, value: YAMLNode)] = [:]
    /// Known keys present, in the order written.
    private(set) var order: [String] = []

    init(node: YAMLNode, section: String) {
        self.node = node
        self.section = section
    }

    mutating func add(_ name: String, key: YAMLNode, value: YAMLNode) {
        entries[name] = (key, value)
        order.append(name)
    }

    /// The value of a key that is present and not null.
    subscript(_ name: String) -> YAMLNode? {
        guard let v = entries[name]?.value, !v.isNull else { return nil }
        return v
    }

    /// The key node, for errors about a key's presence rather than its value.
    func key(_ name: String) -> YAMLNode? { entries[name]?.key }
}

/// Collects every problem of a rule book while reading it, so that the finance team sees them
/// all at once; the typed readers here turn YAML text into values or report why not.
final class RuleBookChecker {
    private(set) var diagnostics: [Diagnostic] = []

    /// Longest single-line value accepted (names, e-mails, labels).
    static let maxTextLength = 1_000

    /// Records a problem at a node.
    func error(_ node: YAMLNode, _ message: String, hint: String? = nil) {
        error(at: node.location, message, hint: hint)
    }

    /// Records a problem at a place.
    func error(at location: SourceLocation, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(location, message, hint: hint))
    }

    /// Records a problem already made.
    func add(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// Reads a map whose keys must be among `known`; unknown keys are reported with the nearest
    /// known one. A null stands for an empty map. Nil (after an error) when the node is not a map.
    func fields(_ node: YAMLNode, of section: String, known: [String]) -> RuleFields? {
        var fields = RuleFields(node: node, section: section)
        if node.isNull { return fields }
        guard case .mapping(let pairs) = node.kind else {
            error(
                node, "\(section) deve ser um mapa de chaves (chave: valor), não \(node.typeName)",
                hint: YAMLHints.missingSpace(in: node) ?? YAMLHints.mapWrittenAsText(node))
            return nil
        }
        var seen: [String: SourceLocation] = [:]
        for pair in pairs {
            guard let name = pair.key.scalar, !pair.key.isNull else {
                error(
                    pair.key, "uma chave \(RuleFields.in(section)) deve ser um nome simples, não \(pair.key.typeName)")
                continue
            }
            if let first = seen[name] {
                error(
                    pair.key,
                    "'\(YAMLNode.excerpt(name))' aparece duas vezes \(RuleFields.in(section)) (a primeira em \(first))")
                continue
            }
            seen[name] = pair.key.location
            guard known.contains(name) else {
                error(
                    pair.key, "chave desconhecida '\(YAMLNode.excerpt(name))' \(RuleFields.in(section))",
                    hint: YAMLHints.missingSpace(inKey: name) ?? KeySuggestion.hint(for: name, in: known))
                continue
            }
            fields.add(name, key: pair.key, value: pair.value)
        }
        return fields
    }

    /// An `id` as messages show it: its text even when invalid, `?` when absent.
    static func shownID(_ fields: RuleFields) -> String {
        fields["id"]?.scalar.map { YAMLNode.excerpt($0) } ?? "?"
    }

    /// The value of a required key, or an error at the map (or at the key when it is empty).
    func require(_ fields: RuleFields, _ name: String) -> YAMLNode? {
        if let value = fields[name] { return value }
        if let key = fields.key(name) {
            error(key, "'\(name)' \(fields.inSection) precisa de um valor")
        } else {
            error(fields.node, "falta '\(name)' \(fields.inSection)")
        }
        return nil
    }

    /// A scalar of one line without control characters (values end up in e-mail headers, CSV
    /// cells and file names).
    func text(_ node: YAMLNode, _ name: String) -> String? {
        guard let text = node.scalar, !node.isNull else {
            error(node, "'\(name)' deve ser um texto, não \(node.typeName)")
            return nil
        }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            error(node, "'\(name)' deve ser uma única linha de texto, sem caracteres de controle")
            return nil
        }
        guard text.unicodeScalars.count <= Self.maxTextLength else {
            error(node, "'\(name)' tem mais de \(Self.maxTextLength) caracteres")
            return nil
        }
        return text
    }

    /// Text made only of the given ASCII characters (ids, template names).
    func name(_ node: YAMLNode, _ key: String, allowed: (UInt8) -> Bool, described: String) -> String? {
        guard let text = text(node, key) else { return nil }
        guard !text.isEmpty, text.utf8.count <= 100, text.utf8.allSatisfy(allowed) else {
            error(node, "'\(key)' deve ter de 1 a 100 caracteres entre \(described), não '\(YAMLNode.excerpt(text))'")
            return nil
        }
        return text
    }

    /// A whole number within `range`.
    func int(_ node: YAMLNode, _ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = node.scalar, !node.isNull else {
            error(node, "'\(name)' deve ser um número inteiro, não \(node.typeName)")
            return nil
        }
        guard let value = Int(text) else {
            error(
                node, "'\(name)' deve ser um número inteiro, não '\(YAMLNode.excerpt(text))'",
                hint: YAMLHints.comparisonWhereNumber(text))
            return nil
        }
        guard range.contains(value) else {
            error(node, "'\(name)' deve estar entre \(range.lowerBound) e \(range.upperBound), não \(value)")
            return nil
        }
        return value
    }

    /// `true` or `false` (also `yes`/`no`, which YAML 1.1 files use).
    func bool(_ node: YAMLNode, _ name: String) -> Bool? {
        switch node.scalar?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error(node, "'\(name)' deve ser true (sim) ou false (não), não \(node.typeName)")
            return nil
        }
    }

    /// A list (a null is an empty one).
    func list(_ node: YAMLNode, _ name: String) -> [YAMLNode]? {
        if node.isNull { return [] }
        guard case .sequence(let items) = node.kind else {
            error(
                node, "'\(name)' deve ser uma lista, por exemplo [a, b], não \(node.typeName)",
                hint: YAMLHints.listWrittenAsText(node))
            return nil
        }
        return items
    }

    /// A list of single-line texts; items that are not are reported and skipped.
    func textList(_ node: YAMLNode, _ name: String) -> [String]? {
        list(node, name).map { items in items.compactMap { text($0, name) } }
    }

    /// One of the given words.
    func choice<T>(_ node: YAMLNode, _ name: String, _ options: [(String, T)]) -> T? {
        guard let text = text(node, name) else { return nil }
        if let hit = options.first(where: { $0.0 == text }) { return hit.1 }
        let words = options.map(\.0)
        error(
            node, "'\(name)' deve ser um destes: \(words.joined(separator: ", ")); não '\(YAMLNode.excerpt(text))'",
            hint: KeySuggestion.hint(for: text, in: words))
        return nil
    }
}

/// Byte classes of the names and numbers rule files use (ASCII only, so that ids are safe in
/// headers, CSV cells and file names).
enum RuleByte {
    /// `0-9`.
    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    /// `[a-zA-Z0-9_.-]`: profile and step ids.
    static func isIdentifier(_ c: UInt8) -> Bool {
        isDigit(c) || (c | 0x20 >= 97 && c | 0x20 <= 122) || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
            || c == UInt8(ascii: "-")
    }
    /// `[a-z0-9_-]`: template names.
    static func isTemplateName(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 97 && c <= 122) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }
}
