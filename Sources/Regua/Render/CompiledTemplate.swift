import Mustache

/// A value as a night's templates see it: what ``TemplateObject``s answer.
///
/// The nightly renderer works on these typed values instead of `Any`, so that looking a name up
/// is a `switch`, not a chain of dynamic casts. ``any`` gives the same value as swift-mustache
/// sees it, so both renderers read one source of truth.
enum TemplateValue: Sendable {
    case text(String)
    case number(Int)
    case flag(Bool)
    case list([TemplateValue])
    case object(any TemplateObject)

    /// The value as swift-mustache's context holds it.
    var any: Any {
        switch self {
        case .text(let s): s
        case .number(let n): n
        case .flag(let b): b
        case .list(let items): items.map(\.any)
        case .object(let o): o
        }
    }
}

/// An object of a template's context: answers a name with a value, or nil when it has none (so
/// the lookup goes on up the section stack, as in Mustache).
protocol TemplateObject: AnyObject, MustacheParent, Sendable {
    func value(named name: String) -> TemplateValue?
}

extension TemplateObject {
    /// What swift-mustache asks: the same value, as `Any`.
    func child(named name: String) -> Any? { value(named: name)?.any }
}

/// A fixed group of values (`company`, `policy`, `step`, `pix`), built once.
final class TemplateGroup: TemplateObject {
    private let values: [String: TemplateValue]

    init(_ values: [String: TemplateValue]) { self.values = values }

    func value(named name: String) -> TemplateValue? { values[name] }
}

/// A template compiled once for the night's hot path: the token tree that swift-mustache parsed
/// (so whitespace, standalone lines and every syntax rule are exactly swift-mustache's), walked
/// over ``TemplateValue``s.
///
/// It renders what swift-mustache renders for the tags a Regua template may hold (variables,
/// sections, inverted sections, comments, the text transforms), which tests check byte for byte
/// on the shipped templates and on templates written to stress whitespace and nesting. Looking
/// values up through swift-mustache's `Any` context (dynamic casts per name and per stack level)
/// was most of a night's rendering time. A template holding any other token is not compiled
/// (``init(_:html:)`` returns nil) and renders through swift-mustache.
struct CompiledTemplate: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case variable(path: [String], transforms: [String], escaped: Bool)
        case section(path: [String], transforms: [String], nodes: [Node], inverted: Bool)
    }

    let nodes: [Node]

    /// The tree of a parsed template; nil when it holds a token this renderer does not handle.
    /// `html`: variables are HTML-escaped (the template was compiled without the text pragma).
    init?(_ template: MustacheTemplate, html: Bool) {
        guard let nodes = Self.nodes(of: template, html: html) else { return nil }
        self.nodes = nodes
    }

    // MARK: - Reading swift-mustache's tree

    /// swift-mustache keeps its tokens internal; reflection reads them. Every case is matched by
    /// name and shape, and anything unexpected gives nil, never a wrong template.
    private static func nodes(of template: MustacheTemplate, html: Bool) -> [Node]? {
        guard let tokens = Mirror(reflecting: template).descendant("tokens") as? [Any] else { return nil }
        var out: [Node] = []
        for token in tokens {
            let mirror = Mirror(reflecting: token)
            guard mirror.displayStyle == .enum, let caseChild = mirror.children.first,
                let label = caseChild.label
            else { return nil }
            let payload = Mirror(reflecting: caseChild.value)
            func field(_ name: String) -> Any? { payload.descendant(name) }
            switch label {
            case "text":
                guard let s = caseChild.value as? String else { return nil }
                out.append(.text(s))
            case "variable", "unescapedVariable":
                guard let name = field("name") as? String, let transforms = field("transforms") as? [String],
                    transforms.allSatisfy(TemplateChecker.transforms.contains)
                else { return nil }
                out.append(
                    .variable(
                        path: path(name), transforms: transforms, escaped: html && label == "variable"))
            case "section", "invertedSection":
                guard let name = field("name") as? String, let transforms = field("transforms") as? [String],
                    transforms.allSatisfy(TemplateChecker.transforms.contains),
                    let inner = field("template") as? MustacheTemplate,
                    let children = nodes(of: inner, html: html)
                else { return nil }
                out.append(
                    .section(
                        path: path(name), transforms: transforms, nodes: children,
                        inverted: label == "invertedSection"))
            case "contentType":
                // Only the text pragma TemplateSet puts on the first line; it is what `html: false` means.
                guard !html, out.isEmpty else { return nil }
            default:
                return nil
            }
        }
        return out
    }

    /// `customer.name` → [customer, name]; `.` → [.] (the current value).
    private static func path(_ name: String) -> [String] {
        name == "." ? ["."] : name.split(separator: ".").map(String.init)
    }

    // MARK: - Rendering

    /// Renders over `root` (the message's context object).
    func render(_ root: any TemplateObject) -> String {
        var out = ""
        out.reserveCapacity(2048)
        var stack: [TemplateValue] = [.object(root)]
        Self.render(nodes, stack: &stack, into: &out)
        return out
    }

    private static func render(_ nodes: [Node], stack: inout [TemplateValue], into out: inout String) {
        for node in nodes {
            switch node {
            case .text(let s):
                out += s
            case .variable(let path, let transforms, let escaped):
                guard let value = lookup(path, transforms: transforms, stack: stack) else { continue }
                switch value {
                case .text(let s): if escaped { appendEscaped(s, to: &out) } else { out += s }
                case .number(let n): out += String(n)
                case .flag(let b): out += b ? "true" : "false"
                case .list, .object:
                    // Refused by the template check; printed the way swift-mustache would.
                    let text = String(describing: value.any)
                    if escaped { appendEscaped(text, to: &out) } else { out += text }
                }
            case .section(let path, let transforms, let inner, let inverted):
                let value = lookup(path, transforms: transforms, stack: stack)
                if inverted {
                    switch value {
                    case .list(let items) where items.isEmpty:
                        stack.append(value!)
                        render(inner, stack: &stack, into: &out)
                        stack.removeLast()
                    case .flag(false), nil:
                        render(inner, stack: &stack, into: &out)
                    default:
                        continue
                    }
                } else {
                    switch value {
                    case .list(let items):
                        for item in items {
                            stack.append(item)
                            render(inner, stack: &stack, into: &out)
                            stack.removeLast()
                        }
                    case .flag(let b):
                        if b { render(inner, stack: &stack, into: &out) }
                    case nil:
                        continue
                    case .some(let v):
                        stack.append(v)
                        render(inner, stack: &stack, into: &out)
                        stack.removeLast()
                    }
                }
            }
        }
    }

    /// The first name from the innermost section outwards, the rest from what it found; then
    /// the transforms, innermost first. Only objects answer names (swift-mustache's reflection
    /// finds no named member on a text, number, flag or list).
    private static func lookup(_ path: [String], transforms: [String], stack: [TemplateValue]) -> TemplateValue? {
        var found: TemplateValue?
        if path.count == 1, path[0] == "." {
            found = stack.last
        } else {
            for element in stack.reversed() {
                guard case .object(let o) = element, let v = o.value(named: path[0]) else { continue }
                found = v
                for name in path.dropFirst() {
                    guard case .object(let inner)? = found else { return nil }
                    found = inner.value(named: name)
                }
                break
            }
        }
        guard var value = found else { return nil }
        // swift-mustache's own String transforms; every other value has none of the three
        // (``init(_:html:)`` compiles no other transform), so the variable is empty.
        for t in transforms.reversed() {
            guard case .text(let s) = value, let r = s.transform(t) as? String else { return nil }
            value = .text(r)
        }
        return value
    }

    /// swift-mustache's HTML escape (`<`, `>`, `&`, `"`, `'`, compared as whole characters) —
    /// not ``EmailWriter/escapeHTML(_:)``, which also drops control characters: the night must
    /// give exactly swift-mustache's bytes.
    private static func appendEscaped(_ s: String, to out: inout String) {
        let special = s.utf8.contains { (b: UInt8) -> Bool in
            switch b {
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
            default: false
            }
        }
        guard special else {
            out += s
            return
        }
        for c in s {
            // A character is `<` only as that scalar alone: `<` with a combining mark is another
            // character, which swift-mustache leaves as it is.
            let scalars = c.unicodeScalars
            if scalars.count == 1, let entity = HTMLEntity.of(scalars.first!) { out += entity } else { out.append(c) }
        }
    }
}
