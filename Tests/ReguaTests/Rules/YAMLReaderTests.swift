import Testing
@testable import Regua

@Suite("YAML reader")
struct YAMLReaderTests {
    private func parse(_ text: String) throws(Diagnostic) -> YAMLNode {
        try YAMLReader.parse(Array(text.utf8), file: "r.yaml")
    }

    private func pairs(_ node: YAMLNode) -> [(key: YAMLNode, value: YAMLNode)] {
        if case .mapping(let p) = node.kind { return p }
        Issue.record("not a map: \(node)")
        return []
    }

    private func items(_ node: YAMLNode) -> [YAMLNode] {
        if case .sequence(let i) = node.kind { return i }
        Issue.record("not a list: \(node)")
        return []
    }

    @Test("every node carries its 1-based line and column")
    func locations() throws {
        let root = try parse("bank:\n  code: \"001\"\nsteps:\n  - id: a\n    offset: -5\n")
        let top = pairs(root)
        #expect(top.map(\.key.location.description) == ["r.yaml:1:1", "r.yaml:3:1"])
        let code = pairs(top[0].value)[0]
        #expect(code.key.location.description == "r.yaml:2:3")
        #expect(code.value.location.description == "r.yaml:2:9")
        let step = items(top[1].value)[0]
        #expect(step.location.description == "r.yaml:4:5")
        #expect(pairs(step)[1].value.location.description == "r.yaml:5:13")
    }

    @Test("scalars stay text; quoting is remembered")
    func scalarsStayText() throws {
        let top = pairs(try parse("a: 001\nb: \"001\"\nc: 2026-01-25\nd:\ne: ''\n"))
        guard case .scalar("001", plain: true) = top[0].value.kind else { Issue.record("\(top[0].value)"); return }
        guard case .scalar("001", plain: false) = top[1].value.kind else { Issue.record("\(top[1].value)"); return }
        #expect(top[2].value.scalar == "2026-01-25")
        #expect(top[3].value.isNull)
        #expect(!top[4].value.isNull, "a quoted empty string is text, not null")
    }

    @Test("an empty file or one of only comments is an empty map", arguments: ["", "# nothing here\n", "---\n"])
    func emptyFile(text: String) throws {
        #expect(pairs(try parse(text)).isEmpty)
    }

    @Test("a second document is refused at its marker")
    func secondDocument() {
        #expect(
            throws: Diagnostic(
                SourceLocation(file: "r.yaml", line: 2, column: 1),
                "um segundo documento YAML ('---') no mesmo arquivo de regras; coloque-o num arquivo próprio")
        ) {
            try parse("a: 1\n---\nb: 2\n")
        }
    }

    @Test("syntax errors carry libyaml's problem mark and text")
    func syntaxErrors() {
        // Verified against libyaml 0.2.5 with a C driver: problem at 2:1, context at 1:4.
        #expect(
            throws: Diagnostic(
                SourceLocation(file: "r.yaml", line: 2, column: 1),
                "erro de sintaxe YAML: há uma tabulação (TAB) no recuo da linha (num valor começado na linha 1, coluna 4)",
                hint: YAMLHints.tabHint
            )
        ) {
            try parse("a: 1\n\tb: 2\n")
        }
        #expect(
            throws: Diagnostic(
                SourceLocation(file: "r.yaml", line: 2, column: 2),
                "erro de sintaxe YAML: faltou ',' entre os itens ou ']' para fechar a lista (numa lista [ … ] aberta na linha 1, coluna 4)"
            )
        ) {
            try parse("a: [1, 2\nb: 3\n")
        }
    }

    @Test("anchors and aliases expand; merge keys add the missing keys")
    func aliases() throws {
        let text = """
            base: &base { channel: email, offset: 1 }
            step:
              <<: *base
              offset: 3
            list: [*base, *base]
            """
        let top = pairs(try parse(text))
        let step = pairs(top[1].value)
        #expect(step.map { $0.key.scalar! } == ["offset", "channel"])
        #expect(step[0].value.scalar == "3", "an explicit key wins over a merged one")
        let list = items(top[2].value)
        #expect(list.count == 2)
        #expect(pairs(list[1])[0].value.scalar == "email")
        #expect(list[1].location.description == "r.yaml:5:15", "an alias copy answers where the alias is")
    }

    @Test("an alias to an unknown anchor is refused")
    func unknownAnchor() {
        // libyaml itself leaves undefined aliases to the application.
        #expect(throws: Diagnostic.self) { try parse("a: *nope\n") }
    }

    @Test("a billion laughs is refused, not expanded")
    func billionLaughs() {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 {
            let refs = Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ")
            text += "a\(i): &a\(i) [\(refs)]\n"
        }
        do {
            _ = try parse(text)
            Issue.record("expanded 10^10 nodes")
        } catch {
            #expect(error.message.contains("mais de 10000 nós YAML"))
            // a0, a1 and a2 expand to 11, 111 and 1111 nodes; a3's ten copies of a2 pass the
            // bound on line 4.
            #expect(error.location.line == 4)
        }
    }

    @Test("nesting deeper than 64 levels is refused")
    func deepNesting() {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(
            throws: Diagnostic(
                SourceLocation(file: "r.yaml", line: 1, column: 65),
                "listas e mapas aninhados em mais de 64 níveis; recusado")
        ) {
            try parse(deep)
        }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try parse(ok) }
    }

    @Test("a file that is not UTF-8 is refused with the line and column of the bad byte")
    func notUTF8() throws {
        let fixture = try RulesFixture([:])
        try fixture.write("r.yaml", Array("a: 1\nname: Jo".utf8) + [0xE3, 0x6F] + Array("\n".utf8))
        do {
            _ = try YAMLReader.read(path: fixture.directory + "/r.yaml")
            Issue.record("read a Latin-1 file")
        } catch {
            #expect(error.location.line == 2)
            #expect(error.location.column == 9)
            #expect(error.message.contains("não está em UTF-8"))
        }
    }

    @Test("a file over 1 MiB is refused")
    func tooLarge() throws {
        let fixture = try RulesFixture([:])
        try fixture.write("big.yaml", Array(repeating: UInt8(ascii: "#"), count: YAMLReader.maxFileBytes + 1))
        #expect(
            throws: Diagnostic(
                SourceLocation(file: fixture.directory + "/big.yaml", line: 1, column: 1),
                "este arquivo de regras passa de 1024 KiB, o limite; recusado")
        ) {
            try YAMLReader.read(path: fixture.directory + "/big.yaml")
        }
    }

    @Test(
        "UTF-8 validation follows RFC 3629",
        arguments: [
            ([0x61, 0xC3, 0xA3], nil), ([0xC0, 0x80], 0), ([0xED, 0xA0, 0x80], 0), ([0x61, 0xF4, 0x90, 0x80, 0x80], 1),
            ([0xE2, 0x82], 0), ([0xF0, 0x9F, 0x98, 0x80], nil),
        ] as [([UInt8], Int?)])
    func utf8Validation(bytes: [UInt8], firstBad: Int?) {
        #expect(RuleFiles.firstInvalidUTF8(bytes) == firstBad)
    }
}
