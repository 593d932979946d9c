/// `profiles`: who a customer is, first match wins, the last matches everyone.
extension RuleBookChecker {
    /// Keys a profile's `when` knows.
    static let whenKeys = ["segment", "tags_any", "tags_all"] + NumberField.allCases.map(\.rawValue)

    /// Reads the merged profile list, reporting duplicate ids and a missing or misplaced
    /// catch-all. `place` is where to report an empty list; `broken` names the rule files that
    /// could not be read (a profile they hold is unknown).
    func profiles(_ items: [YAMLNode], place: SourceLocation, broken: [String] = []) -> [Profile] {
        // The last profile read is the book's last only if no unreadable file sorts after it.
        let lastIsKnown =
            items.last.map { last in
                !broken.contains { last.location.file.utf8.lexicographicallyPrecedes($0.utf8) }
            } ?? broken.isEmpty
        guard !items.isEmpty else {
            if broken.isEmpty {
                error(
                    at: place,
                    "o livro de regras não tem perfis; inclua ao menos um último perfil que vale para todos, por exemplo `- id: standard`"
                )
            }
            return []
        }
        var out: [Profile] = []
        var seen: [String: SourceLocation] = [:]
        for (index, item) in items.enumerated() {
            guard let f = fields(item, of: "um perfil", known: ["id", "when"]) else { continue }
            let id = require(f, "id").flatMap {
                name($0, "id", allowed: RuleByte.isIdentifier, described: "letras, dígitos, '_', '.' e '-'")
            }
            if let id, let first = seen[id] {
                error(f["id"]!, "o perfil '\(id)' já foi definido em \(first)")
            }
            var conditions: [Condition] = []
            var everyone = true
            if let when = f["when"] {
                if case .mapping(let pairs) = when.kind, pairs.isEmpty {
                    everyone = true
                } else {
                    everyone = false
                    conditions = self.conditions(when, of: Self.shownID(f))
                }
            }
            let isLast = index == items.count - 1
            if isLast, !everyone, lastIsKnown {
                error(f.key("when")!, "o último perfil deve valer para todos (sem `when`)")
            } else if !isLast, everyone {
                error(
                    item,
                    "o perfil '\(Self.shownID(f))' não tem `when`, então vale para todos e os perfis depois dele nunca são alcançados; só o último perfil pode ficar sem `when`"
                )
            }
            guard let id, seen[id] == nil else { continue }
            seen[id] = f["id"]!.location
            out.append(Profile(id: id, conditions: conditions, location: item.location))
        }
        return out
    }

    /// The conditions of a `when` map, in the order written.
    private func conditions(_ node: YAMLNode, of profile: String) -> [Condition] {
        let section = "o 'when' do perfil '\(profile)'"
        guard let f = fields(node, of: section, known: Self.whenKeys) else { return [] }
        var out: [Condition] = []
        for key in f.order {
            guard let value = f[key] else {
                error(f.key(key)!, "'\(key)' \(RuleFields.in(section)) precisa de um valor")
                continue
            }
            switch key {
            case "segment":
                if value.scalar != nil {
                    if let s = text(value, key) { out.append(.segment([s])) }
                } else if let list = textList(value, key) {
                    out.append(.segment(list))
                }
            case "tags_any":
                if let list = textList(value, key) { out.append(.tagsAny(list)) }
            case "tags_all":
                if let list = textList(value, key) { out.append(.tagsAll(list)) }
            default:
                let field = NumberField(rawValue: key)!
                if let (op, n) = comparison(value, key) { out.append(.number(field, op, hundredths: n)) }
            }
        }
        return out
    }

    /// `700` (meaning `== 700`) or `">= 1000.50"`: the operator and the number in hundredths.
    func comparison(_ node: YAMLNode, _ name: String) -> (Comparison, Int64)? {
        guard let text = text(node, name) else { return nil }
        var rest = Substring(text).drop { $0 == " " }
        var op = Comparison.eq
        // Two-character operators first, so that ">=" is not read as ">" then "=".
        for candidate in [Comparison.ge, .le, .eq, .ne, .gt, .lt] where rest.hasPrefix(candidate.rawValue) {
            op = candidate
            rest = rest.dropFirst(candidate.rawValue.count).drop { $0 == " " }
            break
        }
        guard let n = Self.hundredths(rest.trimmingTrailingSpaces) else {
            error(
                node,
                "'\(name)' deve ser um número ou uma comparação entre aspas como \">= 700\" (operadores >= > <= < == !=), não '\(YAMLNode.excerpt(text))'",
                hint: YAMLHints.operatorTypo(text)
            )
            return nil
        }
        return (op, n)
    }

    /// `12`, `-3`, `1000.5`, `1000.50` → hundredths; nil for anything else (at most 2 decimals).
    static func hundredths(_ s: Substring) -> Int64? {
        var body = s
        let negative = body.first == "-"
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, (1...15).contains(whole.count),
            whole.utf8.allSatisfy(RuleByte.isDigit)
        else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : "00"
        guard (1...2).contains(fraction.count), fraction.utf8.allSatisfy(RuleByte.isDigit) else { return nil }
        if fraction.count == 1 { fraction += "0" }
        let value = Int64(whole)! * 100 + Int64(fraction)!
        return negative ? -value : value
    }
}

extension Substring {
    /// Without trailing spaces.
    fileprivate var trimmingTrailingSpaces: Substring {
        var s = self
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
