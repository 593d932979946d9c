import Crypto

/// A champion/challenger experiment (SPEC §3 Experiments): a deterministic share of the
/// customers is in the challenger arm, the rest in the champion arm.
public struct Experiment: Sendable, Hashable {
    /// The experiment's id.
    public var id: String
    /// Percent of customers in the challenger arm (0–100).
    public var challengerPercent: Int
    /// Where the experiment is defined.
    public var location: SourceLocation?

    /// The two arms of an experiment.
    public enum Arm: String, Sendable, Hashable, CaseIterable {
        case champion, challenger
    }

    /// Creates an experiment.
    public init(id: String, challengerPercent: Int, location: SourceLocation? = nil) {
        self.id = id
        self.challengerPercent = challengerPercent
        self.location = location
    }

    /// The customer's arm: challenger when int(the first 8 hex digits of SHA-256 of
    /// "id:customer_id", 16) mod 100 < challenger_percent. The same customer is always in the
    /// same arm, on every night and every machine.
    public func arm(for customer: CustomerID) -> Arm {
        Self.bucket(experiment: id, customer: customer) < challengerPercent ? .challenger : .champion
    }

    /// int(first 8 hex digits of SHA-256(experiment + ":" + customer), 16) mod 100: the first
    /// four bytes of the digest read big-endian, which is what those hex digits spell.
    static func bucket(experiment: String, customer: CustomerID) -> Int {
        var bytes = Array(experiment.utf8)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: customer.raw.utf8)
        let first4 = SHA256.hash(data: bytes).prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return Int(first4 % 100)
    }
}

/// A step that exists only for one arm of an experiment.
public struct StepExperiment: Sendable, Hashable {
    /// The experiment's id.
    public var id: String
    /// The arm the step is for.
    public var arm: Experiment.Arm
    /// Creates the experiment link of a step.
    public init(id: String, arm: Experiment.Arm) {
        self.id = id
        self.arm = arm
    }
}

extension RuleBookChecker {
    /// `experiments: [{id, challenger_percent}]`.
    func experiments(_ node: YAMLNode?) -> [Experiment] {
        guard let node, let items = list(node, "experiments") else { return [] }
        var out: [Experiment] = []
        for item in items {
            guard let f = fields(item, of: "an experiment", known: ["id", "challenger_percent"]) else { continue }
            let idNode = require(f, "id")
            let id = idNode.flatMap {
                name($0, "id", allowed: RuleByte.isIdentifier, described: "letters, digits, '_', '.' and '-'")
            }
            let percent = require(f, "challenger_percent").flatMap { n -> Int? in
                guard let v = n.scalar.flatMap({ Int($0) }), (0...100).contains(v) else {
                    error(
                        n,
                        "'challenger_percent' é um número inteiro de 0 a 100 (a parte dos clientes no braço challenger)"
                    )
                    return nil
                }
                return v
            }
            guard let id, let percent, let idNode else { continue }
            if let first = out.first(where: { $0.id == id }) {
                error(idNode, "o experimento '\(id)' já foi definido em \(first.location.map { "\($0)" } ?? "")")
                continue
            }
            out.append(Experiment(id: id, challengerPercent: percent, location: idNode.location))
        }
        return out
    }

    /// A step's `experiment: {id, arm}`, naming a known experiment.
    func stepExperiment(_ node: YAMLNode, experiments: [Experiment]) -> StepExperiment? {
        guard let f = fields(node, of: "experiment", known: ["id", "arm"]) else { return nil }
        let id = require(f, "id").flatMap { text($0, "id") }
        let arm = require(f, "arm").flatMap { choice($0, "arm", Experiment.Arm.allCases.map { ($0.rawValue, $0) }) }
        guard let id, let arm else { return nil }
        guard experiments.contains(where: { $0.id == id }) else {
            error(
                f["id"] ?? node, "o experimento '\(YAMLNode.excerpt(id))' não está em 'experiments'",
                hint: KeySuggestion.hint(for: id, in: experiments.map(\.id)))
            return nil
        }
        return StepExperiment(id: id, arm: arm)
    }
}
