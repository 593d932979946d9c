/// A YAML value as read from a rule file: scalars stay text (each field converts its own), and
/// every node knows where it was written so that errors can point at it.
public struct YAMLNode: Sendable, CustomStringConvertible {
    /// The shape of a node.
    public indirect enum Kind: Sendable {
        /// A scalar's text; `plain` is false when it was quoted, a block scalar or explicitly tagged.
        case scalar(String, plain: Bool)
        /// A list, in order.
        case sequence([YAMLNode])
        /// A map, pairs in the order written.
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    /// The node's value.
    public var kind: Kind
    /// Where the node starts (its first character).
    public var location: SourceLocation

    /// Creates a node.
    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The scalar's text, or nil for a list or a map.
    public var scalar: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// Whether this is YAML's null: an empty plain scalar, `~` or `null` unquoted.
    public var isNull: Bool {
        guard case .scalar(let text, let plain) = kind, plain else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// A short name of the node's type for error messages, in Portuguese: "o texto 'x'",
    /// "uma lista", "um mapa", "um valor vazio".
    public var typeName: String {
        switch kind {
        case .scalar: isNull ? "um valor vazio" : "o texto '\(YAMLNode.excerpt(scalar ?? ""))'"
        case .sequence: "uma lista"
        case .mapping: "um mapa"
        }
    }

    /// A flow-style rendering, for debugging.
    public var description: String {
        switch kind {
        case .scalar(let text, _): return text
        case .sequence(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .mapping(let pairs):
            return "{" + pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }

    /// At most 40 characters of a value with control characters made visible, so that an error
    /// message quoting hostile input stays one readable line.
    static func excerpt(_ text: String) -> String {
        var out = ""
        for (i, scalar) in text.unicodeScalars.enumerated() {
            if i == 40 {
                out += "…"
                break
            }
            out +=
                scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return out
    }
}
