import Foundation
import Testing

@testable import Regua

/// The output CSVs (``CSVWriter``) read back by Python's `csv` module, and the small CSVs that
/// come back from gateways (``CSVRows``) written by it: random cells full of separators,
/// quotes, line breaks, accents and formula starts, in both the machine form (`,`) and the
/// form for people (`;`, BOM, formulas neutralised).
@Suite(.enabled(if: ExternalTool.python3 != nil))
struct CSVAgainstPythonTests {
    static func randomRows(seed: UInt64, count: Int) -> [[String]] {
        var rng = SplitMix64(seed: seed)
        let pieces = [
            "a", "Ana", "1234,56", "x;y", "\"", "say \"hi\"", "\n", "\r\n", " ", "São Paulo", "=SUM(A1)", "+55", "-3",
            "@x", "\t", "😀", "ção", ",", ";", "", "\u{FF1D}1",
        ]
        let columns = rng.within(2...6)
        return (0..<count).map { _ in
            (0..<columns).map { _ in (0..<rng.within(0...4)).map { _ in rng.pick(pieces) }.joined() }
        }
    }

    static func python(_ program: String, _ input: String) throws -> String {
        let dir = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("in").path
        try Data(input.utf8).write(to: URL(fileURLWithPath: path))
        let run = try ExternalTool.run(ExternalTool.python3!, ["-c", program, path])
        try #require(run.status == 0, "\(run.stderr)")
        return run.stdout
    }

    @Test(arguments: [false, true])
    func writtenCSVIsReadBackByPython(forPeople: Bool) throws {
        for seed: UInt64 in 1...20 {
            let rows = Self.randomRows(seed: seed, count: 40)
            let header = (0..<rows[0].count).map { "col\($0)" }
            var w = CSVWriter(header: header, neutraliseFormulas: forPeople, forPeople: forPeople)
            for r in rows { w.row(r) }
            let bytes = w.bytes
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]) == forPeople)
            let json = try Self.python(
                """
                import csv, json, sys
                with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
                    print(json.dumps(list(csv.reader(f, delimiter=\(forPeople ? "';'" : "','"), strict=True))))
                """, String(decoding: bytes, as: UTF8.self))
            let read = try JSONDecoder().decode([[String]].self, from: Data(json.utf8))
            #expect(read.first == header)
            let expected = rows.map { r in
                r.map { cell -> String in
                    guard forPeople, let first = cell.unicodeScalars.first else { return cell }
                    let formula = "=+-@\t\r\u{FF1D}\u{FF0B}\u{FF0D}\u{FF20}".unicodeScalars.contains(first)
                    return formula ? "'" + cell : cell
                }
            }
            #expect(Array(read.dropFirst()) == expected, "seed \(seed)")
            // Every record ends in CRLF (RFC 4180), also the last.
            #expect(bytes.suffix(2) == [13, 10])
        }
    }

    /// What Python's csv writer writes (CRLF or LF, `,` or `;`, minimal or full quoting),
    /// ``CSVRows`` reads cell for cell.
    @Test func csvWrittenByPythonIsReadBack() throws {
        for seed: UInt64 in 1...24 {
            let rows = Self.randomRows(seed: 100 + seed, count: 30)
            let header = (0..<rows[0].count).map { "campo\($0)" }
            let delimiter = seed % 2 == 0 ? ";" : ","
            let terminator = seed % 3 == 0 ? "\\n" : "\\r\\n"
            let quoting = seed % 4 < 2 ? "csv.QUOTE_MINIMAL" : "csv.QUOTE_ALL"
            let payload = String(decoding: try JSONEncoder().encode([header] + rows), as: UTF8.self)
            let text = try Self.python(
                """
                import csv, json, sys, io
                rows = json.load(open(sys.argv[1], encoding="utf-8"))
                out = io.StringIO()
                csv.writer(out, delimiter="\(delimiter)", lineterminator="\(terminator)", quoting=\(quoting)).writerows(rows)
                sys.stdout.write(out.getvalue())
                """, payload)
            #expect(CSVRows.parse(text) == [header] + rows, "seed \(seed)")
            let records = CSVRows.records("\u{FEFF}" + text)
            #expect(records.count == rows.count)
            if let first = records.first { #expect(first["campo0"] == rows[0][0]) }
        }
    }
}
