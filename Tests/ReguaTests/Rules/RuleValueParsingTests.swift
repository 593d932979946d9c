import Testing
@testable import Regua

@Suite("Rule values: suggestions and comparisons")
struct RuleValueParsingTests {
    @Test(
        "edit distance counts insertions, deletions, substitutions and neighbour swaps",
        arguments: [
            ("ofset", "offset", 1), ("offest", "offset", 1), ("chanel", "channel", 1), ("", "abc", 3),
            ("kitten", "sitting", 3), ("offset", "offset", 0),
        ])
    func distance(a: String, b: String, expected: Int) {
        #expect(KeySuggestion.distance(Array(a), Array(b)) == expected)
        #expect(KeySuggestion.distance(Array(b), Array(a)) == expected)
    }

    @Test(
        "the nearest known key is suggested only when it is a plausible typo",
        arguments: [
            ("ofset", "offset"), ("Template", "template"), ("except_profile", "except_profiles"),
            ("remitance", "remittance"), ("colour", nil), ("x", nil),
        ] as [(String, String?)])
    func nearest(word: String, expected: String?) {
        #expect(KeySuggestion.nearest(to: word, in: RuleBookChecker.stepKeys) == expected)
    }

    @Test(
        "number conditions: a literal means ==, values in hundredths",
        arguments: [
            ("700", Comparison.eq, 70_000), (">= 700", .ge, 70_000), ("> 1000.50", .gt, 100_050),
            ("<=1000.5", .le, 100_050), ("< 3", .lt, 300), ("== 0", .eq, 0), ("!= 2", .ne, 200), ("-1", .eq, -100),
        ] as [(String, Comparison, Int64)])
    func comparisons(text: String, op: Comparison, hundredths: Int64) {
        let checker = RuleBookChecker()
        let node = YAMLNode(.scalar(text, plain: false), at: SourceLocation(file: "r.yaml", line: 1, column: 1))
        let parsed = checker.comparison(node, "score")
        #expect(parsed?.0 == op)
        #expect(parsed?.1 == hundredths)
        #expect(checker.diagnostics.isEmpty)
    }

    @Test("malformed number conditions are errors", arguments: ["=> 3", "= 3", ">=", "1.234", "abc", "1,5", ">= 7 00"])
    func badComparisons(text: String) {
        let checker = RuleBookChecker()
        let node = YAMLNode(.scalar(text, plain: false), at: SourceLocation(file: "r.yaml", line: 2, column: 7))
        #expect(checker.comparison(node, "score") == nil)
        #expect(checker.diagnostics.map(\.location.description) == ["r.yaml:2:7"])
    }
}
