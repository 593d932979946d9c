import Foundation

@testable import Regua

/// Plain references for the tests of `regua generate`: an RFC 4180 reader written here, the
/// Receita Federal's check-digit rules for CPF and CNPJ with their published weight tables, and
/// a runner for the real `regua` binary.
enum GeneratedFiles {
    /// One record of a CSV file: the line it starts on and its cells.
    struct Record {
        var line: Int
        var cells: [String]
    }

    /// RFC 4180 read byte by byte: `,` between cells, `"` quotes with `""` inside, CR LF (or LF)
    /// between records. Every record keeps the 1-based line it starts on.
    static func records(_ bytes: [UInt8]) -> [Record] {
        var out: [Record] = []
        var cells: [String] = []
        var cell: [UInt8] = []
        var quoted = false
        var line = 1
        var start = 1
        var i = 0
        var rowHasContent = false
        func endCell() {
            cells.append(String(decoding: cell, as: UTF8.self))
            cell.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 34 {
                    if i + 1 < bytes.count, bytes[i + 1] == 34 {
                        cell.append(34)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if b == 10 { line += 1 }
                    cell.append(b)
                }
            } else if b == 34 {
                quoted = true
                rowHasContent = true
            } else if b == 44 {
                endCell()
                rowHasContent = true
            } else if b == 13 || b == 10 {
                if b == 13, i + 1 < bytes.count, bytes[i + 1] == 10 { i += 1 }
                if rowHasContent || !cell.isEmpty {
                    endCell()
                    out.append(Record(line: start, cells: cells))
                }
                cells.removeAll()
                rowHasContent = false
                line += 1
                start = line
            } else {
                cell.append(b)
                rowHasContent = true
            }
            i += 1
        }
        if rowHasContent || !cell.isEmpty {
            endCell()
            out.append(Record(line: start, cells: cells))
        }
        return out
    }

    /// Records as dictionaries keyed by the header (the first record).
    static func table(_ bytes: [UInt8]) -> (header: [String], rows: [(line: Int, cell: [String: String])]) {
        let all = records(bytes)
        guard let header = all.first?.cells else { return ([], []) }
        let rows = all.dropFirst().map { r in
            (r.line, Dictionary(zip(header, r.cells), uniquingKeysWith: { a, _ in a }))
        }
        return (header, rows)
    }

    // MARK: - CPF and CNPJ

    /// A document cell without its punctuation (`.`, `-`, `/`).
    static func bare(_ cell: String) -> String { cell.filter { !".-/".contains($0) } }

    /// CPF: eleven digits, not all equal; each check digit is 11 − (Σ digit × weight mod 11),
    /// 0 when that is 10 or 11, with weights 10…2 for the first and 11…2 for the second.
    static func validCPF(_ s: String) -> Bool {
        let d = s.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard d.count == 11, s.count == 11, Set(d).count > 1 else { return false }
        return cpfCheckDigit(Array(d[0..<9])) == d[9] && cpfCheckDigit(Array(d[0..<10])) == d[10]
    }

    /// The CPF check digit after `d` (nine or ten digits).
    static func cpfCheckDigit(_ d: [Int]) -> Int {
        let weights = Array((2...(d.count + 1)).reversed())  // 10…2 or 11…2
        let r = zip(d, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11
        return r < 2 ? 0 : 11 - r
    }

    /// The weights the Receita Federal publishes for the CNPJ's first and second check digits.
    static let cnpjWeights1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    static let cnpjWeights2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]

    /// CNPJ, numeric or alphanumeric (IN RFB 2.229/2024: twelve characters 0–9 A–Z, each worth
    /// its ASCII code − 48, then two numeric check digits); the all-equal numeric ones are not.
    static func validCNPJ(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 14 else { return false }
        let isDigit = { (c: UInt8) in c >= 48 && c <= 57 }
        let isUpper = { (c: UInt8) in c >= 65 && c <= 90 }
        guard u.prefix(12).allSatisfy({ isDigit($0) || isUpper($0) }), u.suffix(2).allSatisfy(isDigit) else {
            return false
        }
        if u.allSatisfy(isDigit), Set(u).count == 1 { return false }
        let v = u.map { Int($0) - 48 }
        func check(_ values: ArraySlice<Int>, _ weights: [Int]) -> Int {
            let r = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11
            return r < 2 ? 0 : 11 - r
        }
        return check(v[0..<12], cnpjWeights1) == v[12] && check(v[0..<13], cnpjWeights2) == v[13]
    }

    /// `123.456.789-09` / `12.ABC.345/01DE-35`, written here from the published masks.
    static func punctuate(_ s: String) -> String {
        let c = Array(s)
        if c.count == 11 {
            return String(c[0..<3]) + "." + String(c[3..<6]) + "." + String(c[6..<9]) + "-" + String(c[9...])
        }
        return String(c[0..<2]) + "." + String(c[2..<5]) + "." + String(c[5..<8]) + "/" + String(c[8..<12]) + "-"
            + String(c[12...])
    }

    // MARK: - The regua binary

    static let binary = Workspace.repoRoot + "/.build/debug/regua"
    static var haveBinary: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `regua ARGS` in `directory` and collects its exit status and both outputs.
    static func regua(_ args: [String], in directory: String? = nil) throws -> Run {
        let r = try ExternalTool.run(binary, args, in: directory)
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    /// A fresh folder under the temporary directory.
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("regua-generate-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
