import Foundation
import Testing

@testable import Regua

/// The rule-file reader (libyaml underneath, our tree and locations on top) against PyYAML's
/// pure-Python composer, which shares no code with libyaml: random rule-like documents dumped
/// by PyYAML in block and flow style, with quoted, plain, multi-line and accented scalars, are
/// read by both, and every node must agree on its shape, its text, whether it was plain, and
/// the line and column an error message would point at.
@Suite(.enabled(if: ExternalTool.python3 != nil && ExternalTool.hasPyYAML))
struct YAMLReaderAgainstPyYAMLTests {
    static let script = #"""
        import json, random, sys, os, yaml
        out, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        rng = random.Random(seed)
        words = ["lembrete", "vencido", "d-5", "001", "2026-11-25", "sim", "no", "~", "", "R$ 1.234,56", "a: b",
                 "# não é comentário", "São Paulo", "ação", "linha 1\nlinha 2", "  espaços  ", "x" * 90, "-5",
                 "{{nome}}", "[lista]", "'aspas'", "\"duplas\"", "tab\taqui", "@arroba", "%porcento", "é"]
        def value(depth):
            r = rng.random()
            if depth > 3 or r < 0.55:
                return rng.choice(words) if rng.random() < 0.8 else str(rng.randrange(-100, 1000))
            if r < 0.78:
                return [value(depth + 1) for _ in range(rng.randrange(0, 4))]
            return {rng.choice(words[:12]) + str(k): value(depth + 1) for k in range(rng.randrange(0, 4))}
        def walk(node, path, rows):
            m = node.start_mark
            base = {"path": path, "line": m.line + 1, "column": m.column + 1}
            if isinstance(node, yaml.ScalarNode):
                rows.append(dict(base, kind="scalar", text=node.value, plain=node.style is None))
            elif isinstance(node, yaml.SequenceNode):
                rows.append(dict(base, kind="sequence", count=len(node.value)))
                for i, item in enumerate(node.value):
                    walk(item, path + "/" + str(i), rows)
            else:
                rows.append(dict(base, kind="mapping", count=len(node.value)))
                for i, (k, v) in enumerate(node.value):
                    walk(k, path + "/k" + str(i), rows)
                    walk(v, path + "/v" + str(i), rows)
        cases = []
        for n in range(count):
            doc = {"id" + str(k): value(0) for k in range(rng.randrange(1, 6))}
            text = yaml.dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=rng.choice([False, None, True]),
                             width=rng.choice([40, 80, 1000]), indent=rng.choice([2, 4]))
            path = os.path.join(out, "r%03d.yaml" % n)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            rows = []
            walk(yaml.compose(text, Loader=yaml.SafeLoader), "", rows)
            cases.append({"path": path, "rows": rows})
        print(json.dumps(cases))
        """#

    struct Row: Decodable, Equatable {
        var path: String
        var line: Int
        var column: Int
        var kind: String
        var text: String?
        var plain: Bool?
        var count: Int?
    }

    struct Case: Decodable {
        var path: String
        var rows: [Row]
    }

    /// The same walk as the script's, over our tree.
    static func walk(_ node: YAMLNode, _ path: String, into rows: inout [Row]) {
        let (line, column) = (node.location.line, node.location.column)
        switch node.kind {
        case .scalar(let text, let plain):
            rows.append(Row(path: path, line: line, column: column, kind: "scalar", text: text, plain: plain))
        case .sequence(let items):
            rows.append(Row(path: path, line: line, column: column, kind: "sequence", count: items.count))
            for (i, item) in items.enumerated() { walk(item, path + "/\(i)", into: &rows) }
        case .mapping(let pairs):
            rows.append(Row(path: path, line: line, column: column, kind: "mapping", count: pairs.count))
            for (i, pair) in pairs.enumerated() {
                walk(pair.key, path + "/k\(i)", into: &rows)
                walk(pair.value, path + "/v\(i)", into: &rows)
            }
        }
    }

    @Test func documentsDumpedByPyYAMLReadTheSameEverywhere() throws {
        let dir = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("gen.py").path
        try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
        let run = try ExternalTool.run(ExternalTool.python3!, [script, dir.path, "150", "4"])
        try #require(run.status == 0, "\(run.stderr)")
        let cases = try JSONDecoder().decode([Case].self, from: Data(run.stdout.utf8))
        #expect(cases.count == 150)
        var nodes = 0
        for c in cases {
            let root = try YAMLReader.read(path: c.path)
            var rows: [Row] = []
            Self.walk(root, "", into: &rows)
            nodes += rows.count
            #expect(rows.count == c.rows.count, "\(c.path)")
            for (ours, theirs) in zip(rows, c.rows) where ours != theirs {
                let text = (try? String(contentsOfFile: c.path, encoding: .utf8)) ?? ""
                Issue.record("\(c.path): ours \(ours), PyYAML's \(theirs)\n\(text)")
                break
            }
        }
        #expect(nodes > 1_500)
    }
}

extension ExternalTool {
    /// Whether python3 can import yaml.
    static let hasPyYAML: Bool = {
        guard let python3 else { return false }
        return (try? run(python3, ["-c", "import yaml"]).status) == 0
    }()
}
