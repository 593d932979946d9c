/// What a template variable holds; decides how a tag may use it.
enum VariableKind: Sendable, Hashable {
    /// Text, printed as is (pre-formatted for Brazil).
    case text
    /// An integer; printed, but never a condition (a number is always "true" in Mustache).
    case number
    /// A yes/no value, for `{{#x}}…{{/x}}` and `{{^x}}…{{/x}}`.
    case flag
    /// A list of records, each with these variables.
    case records([String: VariableKind])
    /// A list of texts, printed with `{{.}}` inside the section.
    case texts
    /// A named group of variables reached with a dot (`customer.name`).
    case group([String: VariableKind])
}

/// The tree of every name a template may use, built from the flat dotted lists of
/// ``TemplateContext``; the variable check walks it the way Mustache walks the context.
struct TemplateSchema: Sendable {
    /// Top-level names (`customer`, `titles`, `as_of`, …).
    let root: [String: VariableKind]
    /// Every full name in schema order, for suggestions.
    let rootNames: [String]

    init(entries: [(String, VariableKind)]) {
        var root: [String: VariableKind] = [:]
        for (name, kind) in entries {
            let parts = name.split(separator: ".").map(String.init)
            Self.insert(parts[...], kind: kind, into: &root)
        }
        self.root = root
        self.rootNames = entries.map(\.0)
    }

    private static func insert(_ parts: ArraySlice<String>, kind: VariableKind, into map: inout [String: VariableKind])
    {
        guard let head = parts.first else { return }
        if parts.count == 1 {
            map[head] = kind
            return
        }
        var children: [String: VariableKind] = [:]
        if case .group(let existing) = map[head] { children = existing }
        insert(parts.dropFirst(), kind: kind, into: &children)
        map[head] = .group(children)
    }

    /// Full dotted names below a map, in a stable order (for hints).
    static func names(in map: [String: VariableKind], prefix: String = "") -> [String] {
        var out: [String] = []
        for key in map.keys.sorted() {
            let full = prefix.isEmpty ? key : prefix + "." + key
            if case .group(let children) = map[key]! {
                out += names(in: children, prefix: full)
            } else {
                out.append(full)
            }
        }
        return out
    }

    /// Follows a dotted path below a map; nil when a part does not exist.
    static func walk(_ path: ArraySlice<String>, in map: [String: VariableKind]) -> VariableKind? {
        guard let head = path.first, let node = map[head] else { return nil }
        let rest = path.dropFirst()
        if rest.isEmpty { return node }
        guard case .group(let children) = node else { return nil }
        return walk(rest, in: children)
    }
}
