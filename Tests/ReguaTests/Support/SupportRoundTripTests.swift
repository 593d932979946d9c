/// The small helpers under Support/: CSVWriter's bytes read back by CSVRows (random cells with
/// quotes, separators, CR, LF, accents and formula starts), SHA-256 against the FIPS 180-2
/// example vectors and python3's hashlib, HashBuilder's framing, HTMLEntity read back by
/// python3's html.unescape, ASCIIBytes against Character's properties, UTF8Order on random text.
import Foundation
import Testing

@testable import Regua

@Suite struct SupportRoundTripTests {
    static let pieces = [
        "a", "Ana", "1234,56", "x;y", "\"", "\"\"", "say \"hi\"", "\n", "\r", "\r\n", " ", "São Paulo",
        "=SUM(A1)", "+55", "-3", "@x", "\t", "😀", "ção", ",", ";", "", "Conceição", "'", "\u{FF1D}1", "a\u{0}b",
    ]

    static func randomCell(_ rng: inout SplitMix64) -> String {
        (0..<rng.within(0...5)).map { _ in rng.pick(pieces) }.joined()
    }

    static func formulaGuarded(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first else { return cell }
        return "=+-@\t\r\u{FF1D}\u{FF0B}\u{FF0D}\u{FF20}".unicodeScalars.contains(first) ? "'" + cell : cell
    }

    // MARK: - CSV

    @Test(arguments: [false, true])
    func writtenRowsAreReadBackCellForCell(forPeople: Bool) {
        var rng = SplitMix64(seed: forPeople ? 2 : 1)
        for round in 0..<60 {
            let columns = rng.within(2...7)
            let header = (0..<columns).map { "Col \($0)" }
            let rows = (0..<rng.within(0...40)).map { _ in (0..<columns).map { _ in Self.randomCell(&rng) } }
            var w = CSVWriter(header: header, neutraliseFormulas: forPeople, forPeople: forPeople)
            for r in rows { w.row(r) }
            let text = String(decoding: w.bytes, as: UTF8.self)
            let expected = rows.map { r in forPeople ? r.map(Self.formulaGuarded) : r }
            #expect(CSVRows.parse(text) == [header] + expected, "round \(round)")
            // records() keys the cells by the trimmed, lower-cased header.
            let records = CSVRows.records(text)
            #expect(records.count == rows.count)
            for (record, row) in zip(records, expected) {
                #expect(record.count == columns)
                for (i, cell) in row.enumerated() { #expect(record["col \(i)"] == cell) }
            }
        }
    }

    @Test func theTwoFormsDifferOnlyWhereTheyShould() {
        var machine = CSVWriter(header: ["a", "b"], neutraliseFormulas: false)
        machine.row(["1,5", "x;y"])
        machine.row(["=1+1", "plain"])
        #expect(String(decoding: machine.bytes, as: UTF8.self) == "a,b\r\n\"1,5\",x;y\r\n=1+1,plain\r\n")
        var people = CSVWriter(header: ["a", "b"], neutraliseFormulas: true, forPeople: true)
        people.row(["1,5", "x;y"])
        people.row(["=1+1", "plain"])
        #expect(people.bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
        // In the people's form a comma no longer matters to the spreadsheet but is still quoted
        // (RFC 4180 readers that guess the separator); the `;` must be.
        #expect(
            String(decoding: people.bytes.dropFirst(3), as: UTF8.self)
                == "a;b\r\n\"1,5\";\"x;y\"\r\n'=1+1;plain\r\n")
    }

    @Test func gatewayCSVQuirksAreRead() {
        // LF only, a BOM, `;` guessed from the header, blank lines skipped, a missing last end.
        #expect(
            CSVRows.parse("\u{FEFF}id;status\n\n1;DELIVRD\n2;\"a;b\"") == [
                ["id", "status"], ["1", "DELIVRD"], ["2", "a;b"],
            ])
        // A header with both `;` and `,` is read with `,`.
        #expect(CSVRows.parse("a;x,b\r\n1;2,3\r\n") == [["a;x", "b"], ["1;2", "3"]])
        // A lone CR ends a line too (old Mac exports).
        #expect(CSVRows.parse("a,b\r1,2\r") == [["a", "b"], ["1", "2"]])
        // A quote inside an unquoted cell is kept as it is.
        #expect(CSVRows.parse("a,b\n5\" disk,x\n") == [["a", "b"], ["5\" disk", "x"]])
        // Short rows give the cells they have; records() leaves the rest out.
        #expect(CSVRows.records(" ID , Status \n7\n") == [["id": "7"]])
        #expect(CSVRows.records("") == [])
    }

    // MARK: - SHA-256

    @Test func sha256GivesThePublishedVectors() {
        // FIPS 180-2, appendix B, and the empty message.
        #expect(Hashing.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hashing.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            Hashing.sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            Hashing.sha256Hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(Hashing.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Hashing.hex([]) == "")
    }

    /// Random inputs (and HashBuilder's label framing, written out by hand in Python).
    @Test(.enabled(if: ExternalTool.python3 != nil))
    func sha256AndHashBuilderAgreeWithHashlib() throws {
        var rng = SplitMix64(seed: 51)
        var inputs: [[UInt8]] = []
        for _ in 0..<40 { inputs.append((0..<rng.within(0...3_000)).map { _ in UInt8(rng.below(256)) }) }
        let dir = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (i, bytes) in inputs.enumerated() {
            try Data(bytes).write(to: dir.appendingPathComponent("in\(i)"))
        }
        let run = try ExternalTool.run(
            ExternalTool.python3!,
            [
                "-c",
                """
                import hashlib, sys, os
                d = sys.argv[1]; n = int(sys.argv[2])
                data = [open(os.path.join(d, "in%d" % i), "rb").read() for i in range(n)]
                for b in data: print(hashlib.sha256(b).hexdigest())
                h = hashlib.sha256()
                for i, b in enumerate(data):
                    h.update(("rule%d\\0%d\\0" % (i, len(b))).encode()); h.update(b)
                print(h.hexdigest())
                """, dir.path, String(inputs.count),
            ])
        try #require(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == inputs.count + 1)
        for (i, bytes) in inputs.enumerated() { #expect(Hashing.sha256Hex(bytes) == lines[i]) }
        var builder = HashBuilder()
        for (i, bytes) in inputs.enumerated() { builder.add(label: "rule\(i)", bytes) }
        #expect(builder.finish() == lines.last)
    }

    @Test func hashBuilderKeepsChunkBoundariesApart() {
        var ab = HashBuilder()
        ab.add(label: "x", Array("ab".utf8))
        ab.add(label: "x", Array("c".utf8))
        var bc = HashBuilder()
        bc.add(label: "x", Array("a".utf8))
        bc.add(label: "x", Array("bc".utf8))
        #expect(ab.finish() != bc.finish())
        var labelled = HashBuilder()
        labelled.add(label: "y", Array("ab".utf8))
        labelled.add(label: "x", Array("c".utf8))
        #expect(labelled.finish() != ab.finish())
        #expect(HashBuilder().finish() == Hashing.sha256Hex(""))
    }

    // MARK: - HTML entities

    static func escaped(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars {
            if let e = HTMLEntity.of(s) { out += e } else { out.unicodeScalars.append(s) }
        }
        return out
    }

    @Test func theFiveCharactersAndNothingElseAreEscaped() {
        #expect(HTMLEntity.of("&") == "&amp;")
        #expect(HTMLEntity.of("<") == "&lt;")
        #expect(HTMLEntity.of(">") == "&gt;")
        #expect(HTMLEntity.of("\"") == "&quot;")
        #expect(HTMLEntity.of("'") == "&#39;")
        for v in UInt32(0)...0x2FF {
            guard let s = Unicode.Scalar(v), !"&<>\"'".unicodeScalars.contains(s) else { continue }
            #expect(HTMLEntity.of(s) == nil, "U+\(String(v, radix: 16))")
        }
    }

    @Test(.enabled(if: ExternalTool.python3 != nil))
    func escapedTextIsUnescapedByPythonToTheOriginal() throws {
        var rng = SplitMix64(seed: 61)
        let parts = ["<b>", "&amp;", "Tom & Jerry", "'", "\"", "ção", "😀", "a>b", "&#39;", " ", "\n", "R$ 1.234,56"]
        let texts = (0..<50).map { _ in (0..<rng.within(0...8)).map { _ in rng.pick(parts) }.joined() }
        let payload = String(decoding: try JSONEncoder().encode(texts.map(Self.escaped)), as: UTF8.self)
        let dir = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("in.json").path
        try Data(payload.utf8).write(to: URL(fileURLWithPath: path))
        let run = try ExternalTool.run(
            ExternalTool.python3!,
            [
                "-c",
                "import html, json, sys; print(json.dumps([html.unescape(t) for t in json.load(open(sys.argv[1]))]))",
                path,
            ])
        try #require(run.status == 0, "\(run.stderr)")
        #expect(try JSONDecoder().decode([String].self, from: Data(run.stdout.utf8)) == texts)
        // And no escaped text contains a raw markup character.
        #expect(texts.map(Self.escaped).allSatisfy { !$0.contains("<") && !$0.contains(">") && !$0.contains("\"") })
    }

    // MARK: - ASCII bytes and UTF-8 order

    @Test func asciiTestsAgreeWithCharacterProperties() {
        for b in UInt8(0)...0x7F {
            let c = Character(Unicode.Scalar(b))
            #expect(ASCIIBytes.isAlphanumeric(b) == (c.isLetter || c.isNumber), "byte \(b)")
            for other in UInt8(0)...0x7F {
                let same = String(c).caseInsensitiveCompare(String(Character(Unicode.Scalar(other)))) == .orderedSame
                #expect(ASCIIBytes.equalIgnoringCase([b], [other]) == same, "\(b) \(other)")
            }
        }
        #expect(ASCIIBytes.equalIgnoringCase(Array("DELIVRD".utf8), Array("delivrd".utf8)))
        #expect(!ASCIIBytes.equalIgnoringCase(Array("DELIVRD".utf8), Array("delivr".utf8)))
        #expect(ASCIIBytes.isASCII("plain text 123 ~"))
        #expect(!ASCIIBytes.isASCII("ação"))
        #expect(ASCIIBytes.isASCII(""))
    }

    @Test func utf8OrderOnRandomTextIsTheGenericByteOrder() {
        var rng = SplitMix64(seed: 71)
        let alphabet: [String] = ["a", "b", "A", "0", "9", "-", "ç", "é", "€", "😀", "\u{7F}", "\u{80}", "z"]
        let words = (0..<400).map { _ in (0..<rng.within(0...24)).map { _ in rng.pick(alphabet) }.joined() }
        for _ in 0..<20_000 {
            let a = rng.pick(words)
            let b = rng.chance(100) ? a : rng.pick(words)
            #expect(UTF8Order.precedes(a, b) == a.utf8.lexicographicallyPrecedes(b.utf8))
        }
        // Sorting with it is the byte order.
        let sorted = words.sorted(by: UTF8Order.precedes)
        #expect(sorted == words.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(UTF8Order.precedes("f", "é"))
    }
}
