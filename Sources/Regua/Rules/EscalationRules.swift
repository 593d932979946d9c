/// The credit bureau of `bureau: {name}` (negativação): `bureau: include` steps write its file.
public struct BureauConfig: Sendable, Hashable {
    /// The bureau's name, also the file name `bureau/<name>.csv` (e.g. `serasa`).
    public var name: String
    /// Creates a bureau section.
    public init(name: String) { self.name = name }
}

/// A collection agency or law firm of `handoffs:`, which `handoff: ID` steps hand titles to.
public struct Handoff: Sendable, Hashable {
    /// What the receiver is.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case agency, legal
    }
    /// The id steps name, also the file name `handoff/<id>.csv`.
    public var id: String
    /// The receiver's name.
    public var name: String
    /// Agency or legal.
    public var kind: Kind
    /// Creates a hand-off receiver.
    public init(id: String, name: String, kind: Kind) {
        self.id = id
        self.name = name
        self.kind = kind
    }
}

extension RuleBookChecker {
    /// `bureau: {name}`.
    func bureau(_ node: YAMLNode) -> BureauConfig? {
        guard let f = fields(node, of: "bureau", known: ["name"]) else { return nil }
        guard
            let name = require(f, "name").flatMap({
                self.name(
                    $0, "name", allowed: RuleByte.isTemplateName, described: "lower-case letters, digits, '_' and '-'")
            })
        else { return nil }
        return BureauConfig(name: name)
    }

    /// `handoffs: [{id, name, kind}]`.
    func handoffs(_ node: YAMLNode?) -> [Handoff] {
        guard let node, let items = list(node, "handoffs") else { return [] }
        var out: [Handoff] = []
        for item in items {
            guard let f = fields(item, of: "a hand-off", known: ["id", "name", "kind"]) else { continue }
            let idNode = require(f, "id")
            let id = idNode.flatMap {
                name($0, "id", allowed: RuleByte.isTemplateName, described: "lower-case letters, digits, '_' and '-'")
            }
            let label = require(f, "name").flatMap { text($0, "name") }
            let kind = require(f, "kind").flatMap {
                choice($0, "kind", Handoff.Kind.allCases.map { ($0.rawValue, $0) })
            }
            guard let id, let label, let kind, let idNode else { continue }
            if out.contains(where: { $0.id == id }) {
                error(idNode, "o destino de hand-off '\(id)' já foi definido em 'handoffs'")
                continue
            }
            out.append(Handoff(id: id, name: label, kind: kind))
        }
        return out
    }
}
