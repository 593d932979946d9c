import CLibYAML

/// Reads one YAML file into a ``YAMLNode`` tree with libyaml's event parser.
///
/// The only Swift file that sees libyaml. Anchors and aliases are expanded (and `<<` merge keys
/// applied), but the expansion is bounded in nodes and depth so that a "billion laughs" file is
/// refused instead of obeyed.
public enum YAMLReader {
    /// Largest rule file read, in bytes.
    public static let maxFileBytes = 1 << 20
    /// Most nodes a file may produce, counting every copy an alias makes.
    public static let maxNodes = 10_000
    /// Deepest nesting of lists and maps, aliases expanded.
    public static let maxDepth = 64

    /// Reads and parses a rule file: at most ``maxFileBytes``, UTF-8, one document.
    public static func read(path: String) throws(Diagnostic) -> YAMLNode {
        let bytes = try RuleFiles.readUTF8(path: path, limit: maxFileBytes, what: "arquivo de regras")
        return try parse(bytes, file: path)
    }

    /// Parses YAML text; an empty file (or one of only comments) is an empty map.
    ///
    /// - Parameter file: the name locations carry.
    public static func parse(_ bytes: [UInt8], file: String) throws(Diagnostic) -> YAMLNode {
        let start = SourceLocation(file: file, line: 1, column: 1)
        let empty = YAMLNode(.mapping([]), at: start)
        if bytes.isEmpty { return empty }

        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw Diagnostic(start, "não foi possível iniciar o leitor de YAML (falta de memória)")
        }
        defer { yaml_parser_delete(&parser) }

        var builder = TreeBuilder(file: file)
        let result: Result<YAMLNode?, Diagnostic> = bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    return .failure(syntaxError(parser, file: file, bytes: bytes))
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return .success(builder.root) }
                do throws(Diagnostic) {
                    try builder.handle(event)
                } catch {
                    return .failure(error)
                }
            }
        }
        let root = try result.get()
        guard let root, !root.isNull else { return empty }
        return root
    }

    /// libyaml's problem and context, in Portuguese and placed at its problem mark, with a
    /// hint for the mistakes people make most (see ``YAMLHints``).
    private static func syntaxError(_ parser: yaml_parser_t, file: String, bytes: [UInt8]) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        let context = parser.context.map {
            (String(cString: $0), line: Int(parser.context_mark.line) + 1, column: Int(parser.context_mark.column) + 1)
        }
        let mark = parser.problem_mark
        let at = SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        return YAMLHints.syntaxError(problem: problem, context: context, at: at, text: bytes)
    }
}

/// Turns libyaml events into a tree, counting nodes and depth as it goes.
private struct TreeBuilder {
    /// A node with the size and height it adds when an alias copies it.
    struct Built {
        var node: YAMLNode
        var size: Int
        var height: Int
    }

    /// A list or map still open.
    struct Frame {
        var isMapping: Bool
        var location: SourceLocation
        var anchor: String?
        var children: [YAMLNode] = []
        var size = 1
        var height = 1
    }

    let file: String
    private(set) var root: YAMLNode?
    private var stack: [Frame] = []
    private var anchors: [String: Built] = [:]
    private var total = 0
    private var documents = 0

    init(file: String) { self.file = file }

    mutating func handle(_ event: yaml_event_t) throws(Diagnostic) {
        let at = location(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw Diagnostic(
                    at, "um segundo documento YAML ('---') no mesmo arquivo de regras; coloque-o num arquivo próprio")
            }
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let plain = s.style == YAML_PLAIN_SCALAR_STYLE && s.tag == nil
            if let tag = string(s.tag), tag.hasPrefix("!") {
                // `score: != 700` reads as the local tag `!=` on the text 700, which would
                // silently mean "== 700": refused, with what was meant.
                throw YAMLHints.localTag(tag, value: text, at: at)
            }
            try count(1, at: at)
            try finish(
                Built(node: YAMLNode(.scalar(text, plain: plain), at: at), size: 1, height: 0),
                anchor: string(s.anchor))
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = string(isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)
            if stack.count + 1 > YAMLReader.maxDepth {
                throw Diagnostic(at, "listas e mapas aninhados em mais de \(YAMLReader.maxDepth) níveis; recusado")
            }
            try count(1, at: at)
            stack.append(Frame(isMapping: isMapping, location: at, anchor: anchor))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            let kind: YAMLNode.Kind
            if frame.isMapping {
                var pairs: [(key: YAMLNode, value: YAMLNode)] = []
                var i = 0
                while i + 1 < frame.children.count {
                    pairs.append((frame.children[i], frame.children[i + 1]))
                    i += 2
                }
                kind = .mapping(try Self.applyMergeKeys(pairs))
            } else {
                kind = .sequence(frame.children)
            }
            try finish(
                Built(node: YAMLNode(kind, at: frame.location), size: frame.size, height: frame.height),
                anchor: frame.anchor)
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor) ?? ""
            guard var built = anchors[name] else {
                throw Diagnostic(
                    at, "o alias '*\(YAMLNode.excerpt(name))' não nomeia nenhuma âncora definida antes dele")
            }
            if stack.count + built.height > YAMLReader.maxDepth {
                throw Diagnostic(
                    at,
                    "o alias '*\(YAMLNode.excerpt(name))' aninha mais de \(YAMLReader.maxDepth) níveis; recusado")
            }
            try count(built.size, at: at)
            // The copy answers for itself where the alias is written.
            built.node.location = at
            try finish(built, anchor: nil)
        default:
            break  // stream start, document end: nothing to build
        }
    }

    /// Adds produced nodes to the total and refuses past the bound.
    private mutating func count(_ n: Int, at: SourceLocation) throws(Diagnostic) {
        total += n
        if total > YAMLReader.maxNodes {
            throw Diagnostic(
                at,
                "este arquivo se expande em mais de \(YAMLReader.maxNodes) nós YAML (contando âncoras e aliases); recusado como um possível ataque \"billion laughs\""
            )
        }
    }

    /// Attaches a complete node to its parent (or makes it the root) and records its anchor.
    private mutating func finish(_ built: Built, anchor: String?) throws(Diagnostic) {
        if let anchor { anchors[anchor] = built }
        guard !stack.isEmpty else {
            root = built.node
            return
        }
        stack[stack.count - 1].children.append(built.node)
        stack[stack.count - 1].size += built.size
        stack[stack.count - 1].height = max(stack[stack.count - 1].height, built.height + 1)
    }

    /// YAML 1.1 merge keys: `<<: *base` (or a list of them) adds the keys the map lacks.
    private static func applyMergeKeys(_ pairs: [(key: YAMLNode, value: YAMLNode)]) throws(Diagnostic)
        -> [(key: YAMLNode, value: YAMLNode)]
    {
        let isMerge = { (key: YAMLNode) -> Bool in
            if case .scalar("<<", plain: true) = key.kind { return true }
            return false
        }
        guard pairs.contains(where: { isMerge($0.key) }) else { return pairs }
        var out = pairs.filter { !isMerge($0.key) }
        var seen = Set(out.compactMap { $0.key.scalar })
        for pair in pairs where isMerge(pair.key) {
            let sources: [YAMLNode]
            switch pair.value.kind {
            case .mapping: sources = [pair.value]
            case .sequence(let items): sources = items
            case .scalar: sources = [pair.value]
            }
            for source in sources {
                guard case .mapping(let merged) = source.kind else {
                    throw Diagnostic(
                        source.location, "'<<' junta um mapa ou uma lista de mapas, não \(source.typeName)")
                }
                for p in merged {
                    if let k = p.key.scalar {
                        guard seen.insert(k).inserted else { continue }
                    }
                    out.append(p)
                }
            }
        }
        return out
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
