/// One Mustache tag found in a template, with where it starts.
struct MustacheTag: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case variable, unescaped, section, inverted, close, comment
        /// Partials, delimiter changes, pragmas and inheritance: refused.
        case unsupported(String)
    }

    var kind: Kind
    /// The name as written, trimmed (`customer.name`, `uppercased(customer.name)`).
    var name: String
    /// Where the `{{` is.
    var location: SourceLocation
}

/// Reads the tags of a template by itself, so that every problem is reported with its
/// `FILE:LINE:COLUMN` before the template is compiled (the Mustache parser stops at the first).
enum TemplateScanner {
    /// The tags of `text`, which starts at `line`:`column` of `file`; plus the tags that could not be read.
    static func scan(_ text: String, file: String, line: Int = 1, column: Int = 1) -> (
        tags: [MustacheTag], problems: [Diagnostic]
    ) {
        let chars = Array(text)
        var tags: [MustacheTag] = []
        var problems: [Diagnostic] = []
        var line = line, column = column
        var i = 0

        /// Moves past `count` characters, keeping line and column.
        func advance(_ count: Int) {
            for _ in 0..<count where i < chars.count {
                if chars[i] == "\n" || chars[i] == "\r\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                i += 1
            }
        }
        func starts(_ s: String, at k: Int) -> Bool {
            var k = k
            for c in s {
                guard k < chars.count, chars[k] == c else { return false }
                k += 1
            }
            return true
        }
        func find(_ s: String, from k: Int) -> Int? {
            var k = k
            while k < chars.count {
                if starts(s, at: k) { return k }
                k += 1
            }
            return nil
        }

        while i < chars.count {
            guard starts("{{", at: i) else {
                advance(1)
                continue
            }
            let here = SourceLocation(file: file, line: line, column: column)
            let triple = starts("{{{", at: i)
            let closer = triple ? "}}}" : "}}"
            let bodyStart = i + (triple ? 3 : 2)
            guard let end = find(closer, from: bodyStart) else {
                problems.append(Diagnostic(here, "a marcação nunca é fechada", hint: "feche-a com `\(closer)`"))
                break
            }
            let body = String(chars[bodyStart..<end])
            advance(end + closer.count - i)
            if triple {
                tags.append(MustacheTag(kind: .unescaped, name: trimmed(body), location: here))
                continue
            }
            let sigil = body.first
            let rest = trimmed(String(body.dropFirst()))
            switch sigil {
            case "&": tags.append(MustacheTag(kind: .unescaped, name: rest, location: here))
            case "#": tags.append(MustacheTag(kind: .section, name: rest, location: here))
            case "^": tags.append(MustacheTag(kind: .inverted, name: rest, location: here))
            case "/": tags.append(MustacheTag(kind: .close, name: rest, location: here))
            case "!": tags.append(MustacheTag(kind: .comment, name: "", location: here))
            case ">": tags.append(MustacheTag(kind: .unsupported("parciais ({{>…}})"), name: rest, location: here))
            case "=":
                tags.append(
                    MustacheTag(kind: .unsupported("trocas de delimitador ({{=…=}})"), name: rest, location: here))
            case "%": tags.append(MustacheTag(kind: .unsupported("pragmas ({{%…}})"), name: rest, location: here))
            case "$", "<":
                tags.append(
                    MustacheTag(kind: .unsupported("heranças de modelo ({{\(sigil!)…}})"), name: rest, location: here)
                )
            default: tags.append(MustacheTag(kind: .variable, name: trimmed(body), location: here))
            }
        }
        return (tags, problems)
    }

    private static func trimmed(_ s: String) -> String {
        var s = Substring(s)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
