import Foundation
import Testing

@testable import Regua

/// One mistake at a time in the shipped rule book: each is reported at the FILE:LINE:COLUMN of
/// the value that is wrong — the place PyYAML's pure-Python composer (no code shared with
/// libyaml) gives that value — in Portuguese, and nothing else in the book is blamed.
@Suite(.enabled(if: ExternalTool.python3 != nil && ExternalTool.hasPyYAML))
struct RuleBookMutationTests {
    /// Keys of the shipped book and a wrong value for each.
    static let mutations: [(key: String, bad: String)] = [
        ("offset", "abc"), ("channel", "fax"), ("template", "nao_existe"), ("fallback", "pombo"),
        ("late_fee_percent", "2.5"), ("interest_percent_month", "muito"), ("min_amount", "dez"),
        ("catch_up_days", "-1"), ("transliterate", "talvez"), ("max_rejected_percent", "150"),
        ("max_messages", "muitas"), ("timezone", "Marte/Olimpo"), ("valid_days", "semana"),
        ("discount_percent", "metade"), ("challenger_percent", "150"), ("weekdays", "\"25:00-26:00\""),
        ("document", "12.345.678/0001-96"), ("max_segments", "dois"), ("remittance", "guardar"),
        ("max_contacts_per_week", "tres"), ("kind", "amigo"),
    ]

    /// Where PyYAML says each value of the keys is: file, key, line, column, character range.
    static let script = #"""
        import json, sys, yaml
        keys = set(sys.argv[2].split(","))
        out = []
        for path in sys.argv[3:]:
            text = open(path, encoding="utf-8").read()
            def walk(node):
                if isinstance(node, yaml.MappingNode):
                    for k, v in node.value:
                        if isinstance(v, yaml.ScalarNode) and k.value in keys:
                            out.append({"file": path, "key": k.value, "line": v.start_mark.line + 1,
                                        "column": v.start_mark.column + 1, "start": v.start_mark.index,
                                        "end": v.end_mark.index})
                        walk(v)
                elif isinstance(node, yaml.SequenceNode):
                    for item in node.value:
                        walk(item)
            walk(yaml.compose(text, Loader=yaml.SafeLoader))
        print(json.dumps(out))
        """#

    struct Place: Decodable {
        var file: String
        var key: String
        var line: Int
        var column: Int
        var start: Int
        var end: Int
    }

    @Test func eachMistakeIsReportedAtItsValue() throws {
        let shipped = ShippedRulesTests.folder
        try #require(FileManager.default.fileExists(atPath: shipped))
        let files = ["00-empresa.yaml", "10-regua.yaml"].map { shipped + "/" + $0 }
        let run = try ExternalTool.run(
            ExternalTool.python3!,
            ["-c", Self.script, "-", Self.mutations.map(\.key).joined(separator: ",")] + files)
        try #require(run.status == 0, "\(run.stderr)")
        let places = try JSONDecoder().decode([Place].self, from: Data(run.stdout.utf8))
        // Every mutated key is in the book; keys that repeat (offset, channel) are mutated at
        // the first, the middle and the last place they appear.
        var chosen: [Place] = []
        for m in Self.mutations {
            let at = places.filter { $0.key == m.key }
            #expect(!at.isEmpty, "\(m.key) not in the shipped book")
            chosen += Set([0, at.count / 2, at.count - 1].filter { $0 < at.count }).sorted().map { at[$0] }
        }
        #expect(chosen.count >= 30)
        for place in chosen {
            let bad = Self.mutations.first { $0.key == place.key }!.bad
            let fixture = try RulesFixture([:])
            for f in files
                + (try FileManager.default.contentsOfDirectory(atPath: shipped + "/templates")).map({
                    shipped + "/templates/" + $0
                })
            {
                let relative = String(f.dropFirst(shipped.count + 1))
                var text = try String(contentsOfFile: f, encoding: .utf8)
                if f == place.file {
                    // PyYAML's indices count characters (Unicode scalars).
                    var scalars = Array(text.unicodeScalars)
                    scalars.replaceSubrange(place.start..<place.end, with: bad.unicodeScalars)
                    text = String(String.UnicodeScalarView(scalars))
                }
                try fixture.write(relative, Array(text.utf8))
            }
            let errors = fixture.errors()
            let name = String(place.file.split(separator: "/").last!)
            let here = "\(name):\(place.line):\(place.column): "
            #expect(errors.contains { $0.hasPrefix(here) }, "\(place.key) = \(bad): \(errors)")
            // Nothing else in the book is blamed for it, but what it brings down: a step, an
            // experiment or a hand-off that became invalid is then missing where it is named
            // (and a fallback channel's template where the fallback is).
            let elsewhere = errors.filter { !$0.hasPrefix(here) }
            #expect(
                elsewhere.allSatisfy { $0.contains("não existe") || $0.contains("não está em") },
                "\(place.key) = \(bad): \(errors)")
            // The analyst's language: Portuguese words, none of the English ones of the code.
            for e in errors {
                let message = e.dropFirst(here.count).lowercased()
                #expect(
                    !message.contains("invalid") && !message.contains("expected") && !message.contains(" should "),
                    "\(e)")
                #expect(
                    ["não", "deve", "desconhecid", "inválid", "passa", "é ", "falta", "existe", "use "].contains {
                        message.contains($0)
                    }, "\(e)")
            }
        }
    }
}
