/// YAML errors in the words of the finance analyst who edits the rule book: libyaml's problem
/// translated to Brazilian Portuguese, and a hint for the classic mistakes of someone who is not
/// a programmer — an unquoted comparison (`score: >= 700`), a tab, a missing space after `:`,
/// a list written as text (`profiles: chronic, standard`), a value with `: ` inside.
enum YAMLHints {
    /// libyaml's problems, in Portuguese. An unknown one is shown as libyaml wrote it.
    static let problems: [String: String] = [
        "found character that cannot start any token": "há um caractere que não pode começar um valor",
        "did not find expected key": "esperava uma chave (nome: valor) com o mesmo recuo das outras",
        "mapping values are not allowed in this context": "um ':' aparece onde não pode haver um par chave: valor",
        "did not find expected ',' or ']'": "faltou ',' entre os itens ou ']' para fechar a lista",
        "did not find expected ',' or '}'": "faltou ',' entre os pares ou '}' para fechar o mapa",
        "did not find expected '-' indicator": "esperava um item de lista ('- ') com o mesmo recuo dos outros",
        "found unexpected end of stream": "o arquivo terminou antes de uma aspa ou um colchete ser fechado",
        "could not find expected ':'": "faltou ': ' (dois-pontos e espaço) depois de uma chave",
        "did not find expected comment or line break": "esperava o fim da linha aqui",
        "found a tab character that violates indentation": "há uma tabulação (TAB) no recuo da linha",
        "found a tab character where an indentation space is expected":
            "há uma tabulação (TAB) onde o recuo deve ser de espaços",
        "block sequence entries are not allowed in this context":
            "um item de lista ('- ') aparece onde não pode; confira o recuo",
        "found unknown escape character while parsing a quoted scalar":
            "há uma barra invertida (\\) desconhecida num texto entre aspas duplas",
        "did not find expected node content": "esperava um valor aqui",
        "found undefined tag handle": "marca (tag) YAML desconhecida",
        "found unexpected ':'": "há um ':' inesperado",
        "found incompatible YAML document": "documento YAML de versão incompatível",
        "found duplicate %YAML directive": "diretiva %YAML repetida",
        "found an incorrect leading UTF-8 octet": "o arquivo não está em UTF-8",
        "found an incorrect trailing UTF-8 octet": "o arquivo não está em UTF-8",
        "control characters are not allowed": "há caracteres de controle no arquivo",
    ]

    /// What libyaml was reading when it stopped, as the analyst would say it.
    static let contexts: [String: String] = [
        "while parsing a flow sequence": "numa lista [ … ] aberta",
        "while parsing a flow mapping": "num mapa { … } aberto",
        "while parsing a block mapping": "num mapa (chave: valor) começado",
        "while parsing a block collection": "numa lista começada",
        "while scanning a quoted scalar": "num texto entre aspas aberto",
        "while scanning a simple key": "numa chave começada",
        "while scanning a block scalar": "num texto de várias linhas ('>' ou '|') começado",
        "while scanning a plain scalar": "num valor começado",
        "while parsing a flow node": "num valor começado",
        "while parsing a block node": "num valor começado",
        "while scanning an anchor": "numa âncora começada",
        "while scanning an alias": "num alias começado",
        "while scanning a tag": "numa marca (tag) começada",
    ]

    /// The hint for a tab in the indentation.
    static let tabHint =
        "use espaços, não tabulação (TAB), para recuar as linhas; muitos editores trocam o TAB por espaços nas preferências"

    /// A libyaml syntax error as a diagnostic: the problem in Portuguese, where libyaml was, and
    /// a hint read from the text around the mark.
    ///
    /// - Parameters:
    ///   - context: libyaml's context and where it started (1-based), if it gave one.
    ///   - text: the file's bytes, to look at the lines around the mistake.
    static func syntaxError(
        problem: String, context: (String, line: Int, column: Int)?, at: SourceLocation, text: [UInt8]
    ) -> Diagnostic {
        var message = "erro de sintaxe YAML: " + (problems[problem] ?? problem)
        if let (what, line, column) = context, let said = contexts[what] {
            message += " (\(said) na linha \(line), coluna \(column))"
        }
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        func line(_ n: Int) -> String { n >= 1 && n <= lines.count ? lines[n - 1] : "" }
        let here = Array(line(at.line))
        let char: Character? = at.column >= 1 && at.column <= here.count ? here[at.column - 1] : nil
        let first = context.map { min($0.line, at.line) } ?? max(1, at.line - 1)
        let nearby = Array(first...at.line)

        var hint: String?
        if char == "\t" || problem.contains("tab character") {
            hint = tabHint
        } else if let comparison = nearby.lazy.compactMap({ unquotedComparison(in: line($0)) }).first {
            hint = comparison
        } else if problem == "could not find expected ':'"
            || problem == "mapping values are not allowed in this context"
            || problem == "did not find expected key",
            let n = nearby.reversed().first(where: { missingSpaceKey(in: line($0)) != nil })
        {
            let (key, value) = missingSpaceKey(in: line(n))!
            hint = "falta um espaço depois de ':' na linha \(n): escreva '\(key): \(value)'"
        } else if problem == "mapping values are not allowed in this context", let value = valueWithColon(line(at.line))
        {
            hint = "o valor contém ': '; ponha-o entre aspas: \"\(value)\""
        } else if nearby.contains(where: { line($0).prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") }) {
            hint = tabHint
        } else if problem == "found character that cannot start any token", let c = char, "@`%".contains(c) {
            hint = "um valor que começa com '\(c)' deve ficar entre aspas"
        } else if problem == "did not find expected key" || problem == "did not find expected '-' indicator" {
            hint = "as chaves de um mesmo mapa (e os itens '- ' de uma lista) devem começar na mesma coluna"
        } else if problem == "found unexpected end of stream" {
            hint = "confira se toda aspa (\") e todo colchete ([ ou {) aberto foi fechado"
        }
        return Diagnostic(at, message, hint: hint)
    }

    /// `score: >= 700` (block or flow) → the hint to quote the comparison, naming the fix.
    static func unquotedComparison(in line: String) -> String? {
        let operators = [">=", "<=", "==", "!=", ">", "<", "=>", "=<"]
        var rest = Substring(line)
        while let colon = rest.firstIndex(of: ":") {
            let key = rest[..<colon].split(whereSeparator: { " {,-\t".contains($0) }).last
            var value = rest[rest.index(after: colon)...]
            guard value.first == " " else {
                rest = value
                continue
            }
            value = value.drop { $0 == " " }
            if let key, let op = operators.first(where: { value.hasPrefix($0) }) {
                let number = value.dropFirst(op.count).drop { $0 == " " }
                    .prefix { $0.isNumber || $0 == "." || $0 == "-" }
                let fixed = (op == "=>" ? ">=" : op == "=<" ? "<=" : op) + " " + number
                return
                    "uma comparação deve ficar entre aspas, senão o YAML lê '\(op.prefix(1))' como um símbolo seu: escreva \(key): \"\(fixed)\""
            }
            rest = value
        }
        return nil
    }

    /// `  min_amount:10` → (`min_amount`, `10`): a key glued to its value.
    static func missingSpaceKey(in line: String) -> (key: String, value: String)? {
        var body = Substring(line).drop { $0 == " " }
        if body.hasPrefix("- ") { body = body.dropFirst(2).drop { $0 == " " } }
        guard !body.hasPrefix("#"), let colon = body.firstIndex(of: ":") else { return nil }
        let key = body[..<colon]
        let value = body[body.index(after: colon)...]
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }),
            let next = value.first, next != " ", next != "/", !value.hasPrefix("//")
        else { return nil }
        return (String(key), String(value.prefix { $0 != "#" }).trimmingSpaces)
    }

    /// `  name: Empresa: Filial` → `Empresa: Filial`: a value that holds `: ` itself.
    static func valueWithColon(_ line: String) -> String? {
        guard let colon = line.range(of: ": ") else { return nil }
        let value = line[colon.upperBound...].trimmingSpaces
        return value.contains(": ") && !value.hasPrefix("\"") && !value.hasPrefix("'") ? value : nil
    }

    /// A local tag (`!=`, `!x`): refused; `!= 700` was meant as a comparison.
    static func localTag(_ tag: String, value: String, at: SourceLocation) -> Diagnostic {
        if tag == "!=" || tag.hasPrefix("!=") {
            return Diagnostic(
                at, "o YAML leu '!=' como uma marca (tag) sua, não como uma comparação",
                hint: "ponha a comparação entre aspas: \"!= \(value)\"")
        }
        return Diagnostic(
            at, "marcas (tags) YAML como '\(YAMLNode.excerpt(tag))' não são aceitas num livro de regras",
            hint: "se é um texto que começa com '!', ponha-o entre aspas")
    }

    /// A map written as one line of text: `policy: min_amount:10`, or a key glued to its value.
    static func missingSpace(in node: YAMLNode) -> String? {
        guard let text = node.scalar, !node.isNull, let (key, value) = missingSpaceKey(in: text) else { return nil }
        return "falta um espaço depois de ':' — escreva '\(key): \(value)'"
    }

    /// A key that holds a `:` with no space after it.
    static func missingSpace(inKey name: String) -> String? {
        guard let (key, value) = missingSpaceKey(in: name) else { return nil }
        return "falta um espaço depois de ':' — escreva '\(key): \(value)'"
    }

    /// `company: Exemplo Ltda` where a map was expected.
    static func mapWrittenAsText(_ node: YAMLNode) -> String? {
        guard node.scalar != nil, !node.isNull else { return nil }
        return "escreva cada chave numa linha própria, recuada com espaços abaixo do nome da seção"
    }

    /// `profiles: chronic, standard` → write it `[chronic, standard]`.
    static func listWrittenAsText(_ node: YAMLNode) -> String? {
        guard let text = node.scalar, !node.isNull else { return nil }
        let items = text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        return "escreva a lista entre colchetes: [\(items.joined(separator: ", "))]"
    }

    /// A comparison where a plain whole number is expected (`offset: ">= 3"`).
    static func comparisonWhereNumber(_ text: String) -> String? {
        let t = text.trimmingSpaces
        guard let c = t.first, "<>=!".contains(c) else { return nil }
        return "aqui vai só um número inteiro, sem operador de comparação"
    }

    /// `=> 3`, `=< 3`, `= 0`, `<> 0` → the operator meant.
    static func operatorTypo(_ text: String) -> String? {
        let t = Substring(text.trimmingSpaces)
        for (typo, meant) in [("=>", ">="), ("=<", "<="), ("<>", "!="), ("=", "==")] where t.hasPrefix(typo) {
            if typo == "=", t.hasPrefix("==") { continue }
            return "você quis dizer \"\(meant) \(t.dropFirst(typo.count).drop { $0 == " " })\"?"
        }
        return nil
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
