import Foundation
import Testing
@testable import Regua

/// The real ingest (``InputReader``) reads what the plain reference (``ReferenceIngest``) reads:
/// every accepted customer and title with every field, every reject with file, line, column,
/// reason and ids, and the refusal of a file as a whole, on thousands of random pairs of files,
/// good and broken, each read in one piece and in small pieces, mapped and copied.
@Suite struct ReferenceIngestTests {
    typealias R = ReferenceIngest

    /// What the real ingest read, in the reference's plain terms.
    static func plain(_ read: () throws -> Inputs) -> R.Outcome {
        do {
            let inputs = try read()
            return .read(
                customers: inputs.customers.map(plain), titles: inputs.titles.map(plain),
                rejects: inputs.rejects.map {
                    R.RejectRow(
                        file: $0.file, line: $0.line, column: $0.column, reason: $0.reason, customerID: $0.customerID,
                        titleID: $0.titleID)
                })
        } catch let error as InputError {
            let kind: String
            switch error.kind {
            case .badHeader: kind = "badHeader"
            case .missingColumns(let names): kind = "missingColumns:" + names.joined(separator: ",")
            case .tooLarge: kind = "tooLarge"
            case .unreadable: kind = "unreadable"
            }
            return .refused(path: error.path, kind: kind, message: error.message)
        } catch {
            return .refused(path: "", kind: "unexpected", message: "\(error)")
        }
    }

    static func plain(_ c: Customer) -> R.CustomerRow {
        let a = c.address
        return R.CustomerRow(
            id: c.id.raw, name: c.name, document: "\(c.document.kind.rawValue):\(c.document.value)", email: c.email,
            phone: c.phone, street: a.street, number: a.number, complement: a.complement, district: a.district,
            city: a.city, state: a.state, zip: a.zip, segment: c.segment, score: c.score, tags: c.tags,
            optOut: c.optOut.map(\.rawValue).sorted(), hold: c.hold, line: c.line)
    }

    static func plain(_ t: Title) -> R.TitleRow {
        func iso(_ d: Day?) -> String? {
            d.map { d in
                let (y, m, day) = d.components
                return String(format: "%04d-%02d-%02d", y, m, day)
            }
        }
        return R.TitleRow(
            id: t.id.raw, customerID: t.customerID.raw, dueDate: iso(t.dueDate)!, amount: t.amount.cents,
            issueDate: iso(t.issueDate), status: t.status.rawValue, paidAmount: t.paidAmount.cents,
            paidDate: iso(t.paidDate), promiseDate: iso(t.promiseDate), nossoNumero: t.nossoNumero,
            installment: t.installment, barcode: t.barcode, linhaDigitavel: t.linhaDigitavel, kind: t.kind.rawValue,
            line: t.line)
    }

    /// Both readers on the same two files; nil when they agree, else a description of the first difference.
    static func difference(
        customers: [UInt8], receivables: [UInt8], in dir: String, pieceBytes: Int, mapFrom: Int
    ) throws -> String? {
        let c = try IngestFixtures.write(customers, "customers.csv", in: dir)
        let r = try IngestFixtures.write(receivables, "receivables.csv", in: dir)
        let expected = R.read(customers: customers, receivables: receivables, customersPath: c, receivablesPath: r)
        let got = plain { try InputReader.read(customers: c, receivables: r, pieceBytes: pieceBytes, mapFrom: mapFrom) }
        if got == expected { return nil }
        switch (expected, got) {
        case let (.read(ec, et, er), .read(gc, gt, gr)):
            for (e, g) in zip(ec, gc) where e != g { return "customer differs:\n  reference \(e)\n  real      \(g)" }
            if ec.count != gc.count {
                return "customers: reference \(ec.count), real \(gc.count): \(ec.map(\.id)) vs \(gc.map(\.id))"
            }
            for (e, g) in zip(et, gt) where e != g { return "title differs:\n  reference \(e)\n  real      \(g)" }
            if et.count != gt.count {
                return "titles: reference \(et.count), real \(gt.count): \(et.map(\.id)) vs \(gt.map(\.id))"
            }
            for (e, g) in zip(er, gr) where e != g { return "reject differs:\n  reference \(e)\n  real      \(g)" }
            return "rejects: reference \(er.map(\.description)), real \(gr.map(\.description))"
        default:
            return "reference \(expected)\nreal      \(got)"
        }
    }

    @Test func realIngestReadsWhatThePlainReferenceReads() throws {
        let dir = IngestFixtures.directory()
        defer { IngestFixtures.remove(dir) }
        let base: UInt64 = 20_261_203
        var failures = 0
        // 1,000 pairs of files by default (a few seconds); REGUA_REFERENCE_CASES=100000 for a long run.
        let count = ProcessInfo.processInfo.environment["REGUA_REFERENCE_CASES"].flatMap { Int($0) } ?? 1_000
        for i in 0..<count {
            let seed = base &+ UInt64(i)
            var g = FileGenerator(seed: seed)
            var files = g.files()
            // Small pieces (and chunk boundaries inside quoted cells) for some, one piece for others.
            let pieceBytes = g.rng.chance(300) ? g.rng.within(16...600) : Chunking.pieceBytes
            let mapFrom = g.rng.chance(500) ? 1 : Int.max
            guard
                let diff = try Self.difference(
                    customers: files.customersBytes, receivables: files.receivablesBytes, in: dir,
                    pieceBytes: pieceBytes, mapFrom: mapFrom)
            else { continue }
            // Smallest files that still differ: rows dropped one at a time while the difference stays.
            var shrunk = true
            while shrunk {
                shrunk = false
                for which in 0..<2 {
                    var k = 0
                    while k < files.rows(which).count {
                        var smaller = files
                        smaller.remove(row: k, from: which)
                        if try Self.difference(
                            customers: smaller.customersBytes, receivables: smaller.receivablesBytes, in: dir,
                            pieceBytes: pieceBytes, mapFrom: mapFrom) != nil
                        {
                            files = smaller
                            shrunk = true
                        } else {
                            k += 1
                        }
                    }
                }
            }
            let last = try Self.difference(
                customers: files.customersBytes, receivables: files.receivablesBytes, in: dir, pieceBytes: pieceBytes,
                mapFrom: mapFrom)
            Issue.record(
                """
                seed \(seed) (pieceBytes \(pieceBytes), mapFrom \(mapFrom)): \(last ?? diff)
                customers.csv: \(String(decoding: files.customersBytes, as: UTF8.self).debugDescription)
                  bytes \(files.customersBytes)
                receivables.csv: \(String(decoding: files.receivablesBytes, as: UTF8.self).debugDescription)
                  bytes \(files.receivablesBytes)
                """)
            failures += 1
            if failures >= 3 { return }
        }
    }

    /// The generator is worth its name: the files it writes reach every kind of outcome the
    /// comparison is meant to cover (else the comparison above could pass on easy files).
    @Test func generatedFilesCoverTheCasesCompared() throws {
        var reasons: Set<String> = []
        var refusals = 0
        var customers = 0
        var titles = 0
        var credits = 0
        var overpaid = 0
        var holds = 0
        var renegotiated = 0
        for i in 0..<400 {
            var g = FileGenerator(seed: 99 &+ UInt64(i))
            let files = g.files()
            switch R.read(customers: files.customersBytes, receivables: files.receivablesBytes) {
            case .refused: refusals += 1
            case .read(let c, let t, let r):
                customers += c.count
                titles += t.count
                credits += t.filter { $0.kind == "credit" }.count
                overpaid += t.filter { $0.paidAmount > $0.amount }.count
                renegotiated += t.filter { $0.status == "renegotiated" }.count
                holds += c.filter { $0.hold != nil }.count
                for reject in r {
                    // The kind of reason, without the echoed cell and the numbers.
                    let words = reject.reason.split(separator: " ").filter {
                        !$0.hasPrefix("'") && $0.first?.isNumber != true
                    }
                    reasons.insert(reject.column + ":" + words.joined(separator: " "))
                }
            }
        }
        #expect(customers > 500 && titles > 300, "\(customers) customers, \(titles) titles")
        #expect(refusals > 5 && refusals < 60, "\(refusals)")
        #expect(
            credits > 10 && overpaid > 10 && holds > 10 && renegotiated > 10,
            "\(credits) credits, \(overpaid) paid beyond, \(holds) holds, \(renegotiated) renegotiated")
        let expectedKinds = [
            "customer_id:customer_id repetido", "title_id:title_id repetido", "customer_id:customer_id não está",
            "customer_id:customer_id foi recusado", "document:document não é um CPF", "document:document não é um CNPJ",
            "due_date:due_date não é uma data", "amount:amount é negativo", "amount:amount tem mais de",
            "status:status não é um destes:", "name:name tem bytes que", "name:name tem mais de",
            ":a linha tem células,", ":uma célula entre aspas", "promise_date:promise_date está vazio (é",
            "installment:installment não é como", "barcode:barcode tem dígitos; deve", "opt_out:opt_out não é um",
            "customer_id:customer_id tem um caractere", "title_id:title_id tem ou que os arquivos",
            "kind:kind não é um destes:",
            "score:score não é um número",
        ]
        for k in expectedKinds {
            #expect(reasons.contains { $0.hasPrefix(k) }, "no generated reject of the kind \(k)")
        }
        #expect(reasons.contains { $0.contains("aspas (\")") }, "no stray quote generated")
    }

    /// Regression cases the comparison found or that pin a reading, written out.
    @Test func keysAreComparedAsUnicodeTextAndRepeatsWinOverOtherReasons() throws {
        let nfc = "Jos\u{E9}"
        let nfd = "Jose\u{301}"
        let customers = "customer_id,name,document\n\(nfc),Ana,529.982.247-25\n\(nfd),,123\n"
        let receivables = "title_id,customer_id,due_date,amount\nT1,\(nfd),2026-11-25,10.00\n"
        let dir = IngestFixtures.directory()
        defer { IngestFixtures.remove(dir) }
        let c = try IngestFixtures.write(Array(customers.utf8), "customers.csv", in: dir)
        let r = try IngestFixtures.write(Array(receivables.utf8), "receivables.csv", in: dir)
        let inputs = try InputReader.read(customers: c, receivables: r)
        #expect(inputs.customers.map(\.id.raw) == [nfc])
        #expect(inputs.rejects.map(\.reason) == ["customer_id repetido (já visto na linha 2)"])
        #expect(inputs.titles.count == 1)
        #expect(
            try Self.difference(
                customers: Array(customers.utf8), receivables: Array(receivables.utf8), in: dir, pieceBytes: 1 << 21,
                mapFrom: 1) == nil)
    }
}

/// Random customers.csv and receivables.csv, good and broken, from a seed.
struct FileGenerator {
    var rng: SplitMix64
    /// Whether cells of 64 KiB (at the limit and past it) may appear in these files: rarely,
    /// so that the comparison stays fast.
    var longCells = false

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// A generated pair of files: header and rows as bytes, rows removable for shrinking.
    struct Files {
        var customersPrefix: [UInt8]
        var customerRows: [[UInt8]]
        var receivablesPrefix: [UInt8]
        var receivableRows: [[UInt8]]
        var customersBytes: [UInt8] { customersPrefix + customerRows.joined() }
        var receivablesBytes: [UInt8] { receivablesPrefix + receivableRows.joined() }
        func rows(_ which: Int) -> [[UInt8]] { which == 0 ? customerRows : receivableRows }
        mutating func remove(row k: Int, from which: Int) {
            if which == 0 { customerRows.remove(at: k) } else { receivableRows.remove(at: k) }
        }
    }

    mutating func files() -> Files {
        let ids = (0..<rng.within(1...30)).map { "C\($0)" } + [Self.nfcJose, Self.nfdJose, "Ação-7", "😀1"]
        longCells = rng.chance(40)
        let customerColumns = columns(
            required: R.customerRequired, optional: R.customerColumns.filter { !R.customerRequired.contains($0) })
        let receivableColumns = columns(
            required: R.receivableRequired, optional: R.receivableColumns.filter { !R.receivableRequired.contains($0) })
        let crlf = rng.chance(400)
        let (cp, cr) = file(columns: customerColumns, crlf: crlf, rows: rng.within(0...30)) { g, name in
            g.customerCell(name, ids)
        }
        let (rp, rr) = file(columns: receivableColumns, crlf: crlf, rows: rng.within(0...40)) { g, name in
            g.receivableCell(name, ids)
        }
        return Files(customersPrefix: cp, customerRows: cr, receivablesPrefix: rp, receivableRows: rr)
    }

    typealias R = ReferenceIngest
    static let nfcJose = "Jos\u{E9}"
    static let nfdJose = "Jose\u{301}"

    /// The header's columns: the required ones (rarely one missing or doubled), some optional
    /// ones and some unknown ones, in any order.
    mutating func columns(required: [String], optional: [String]) -> [String] {
        var names = required + optional.filter { _ in rng.chance(600) }
        if rng.chance(250) { names += [rng.pick(Self.pool0)] }
        if rng.chance(8) { names.remove(at: rng.below(required.count)) }
        if rng.chance(5) { names.append(rng.pick(names)) }
        for i in names.indices.reversed() { names.swapAt(i, rng.below(i + 1)) }
        return names
    }

    /// A file of the columns: the header (written in any case, with spaces, maybe behind a BOM
    /// and blank lines) and rows of cells from `cell`, some broken on purpose.
    mutating func file(
        columns: [String], crlf: Bool, rows: Int, cell: (inout FileGenerator, String) -> [UInt8]
    ) -> ([UInt8], [[UInt8]]) {
        var prefix: [UInt8] = rng.chance(300) ? [0xEF, 0xBB, 0xBF] : []
        if rng.chance(50) { prefix += [10] }
        let end: [UInt8] = crlf ? [13, 10] : [10]
        let header = columns.map { name -> [UInt8] in
            switch rng.below(10) {
            case 0: return Array(name.uppercased().utf8)
            case 1: return Array(" \(name) ".utf8)
            case 2: return quoted(Array(name.utf8))
            default: return Array(name.utf8)
            }
        }
        if rng.chance(5) { return (prefix, []) }  // no header at all
        prefix += join(header) + (rng.chance(5) ? [34] : []) + end
        var out: [[UInt8]] = []
        for k in 0..<rows {
            var cells: [[UInt8]] = []
            for name in columns { cells.append(render(cell(&self, name.lowercased()))) }
            if rng.chance(30) { cells.removeLast() }
            if rng.chance(30) { cells.append(Array("extra".utf8)) }
            var row = join(cells)
            if rng.chance(25) { row.insert(34, at: rng.below(row.count + 1)) }  // a stray or opening quote
            if rng.chance(15) { row.insert(0xE9, at: rng.below(row.count + 1)) }  // Latin-1 é
            if k == rows - 1, rng.chance(40) { row = [34] + row }  // a quote opened and never closed
            let last = k == rows - 1
            row += last && rng.chance(300) ? [] : (rng.chance(50) ? (crlf ? [10] : [13, 10]) : end)
            if rng.chance(40) { row += rng.pick([[10], [13, 10], [10, 10]]) }
            out.append(row)
        }
        return (prefix, out)
    }

    func join(_ cells: [[UInt8]]) -> [UInt8] { Array(cells.joined(separator: [44])) }

    func quoted(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [34]
        for c in b {
            if c == 34 { out.append(34) }
            out.append(c)
        }
        out.append(34)
        return out
    }

    /// A cell as written: quoted when it must be, and sometimes when it need not.
    mutating func render(_ b: [UInt8]) -> [UInt8] {
        let special: Set<UInt8> = [44, 34, 10, 13]  // comma, quote, LF, CR
        let must = b.contains(where: special.contains)
        return must || rng.chance(100) ? quoted(b) : b
    }

    // MARK: - Cells

    // The values cells are drawn from, made once.
    static let pool0: [String] = ["observacao", "erp_code", "Notas internas", ""]
    static let pool1: [String] = [
        "Maria Silva", "João da Conceição", "Ñandú Comércio Ltda.", "Silva, Ana", "Ana\tMaria", "Zé\u{85}Silva",
        "\u{1}", "", "  ", "=HYPERLINK(\"x\")", "Ana \"Aninha\" Souza", "Linha\nquebrada", "👩‍💻 Dev",
        String(repeating: "ç", count: 200), String(repeating: "ç", count: 201), "\u{2028}",
    ]
    static let pool2: [String] = [
        "maria@exemplo.com.br", "MARIA.SILVA@EXEMPLO.COM", "maria@", "a..b@x.com", "x@-a.com", ".a@b.co", "a@b",
        "nome sobrenome@x.com", "ação@empresa.com.br", "a@exemplo\u{85}.com", "a@b.c", "a@b..com",
        "x@domínio.com.br", "a@b@c.com", "a\"b@c.com", "", "o'brien@x.org",
    ]
    static let pool3: [String] = [
        "(11) 98765-4321", "+55 11 98765-4321", "011987654321", "0xx11 3456-7890", "0 21 11 98765-4321",
        "5511987654321", "98765-4321", "(20) 98765-4321", "+1 555 1234", "11 8765-4321", "(11) 2345-6789",
        "0055 11 98765 4321", "055 11 98765 4321", "abc", "+55 (21) 3456.7890", "0XX21987654321", "",
        "11 98765 4321 ramal 2", "+5511987654321123",
    ]
    static let pool4: [String] = ["Rua das Flores", "Av. Paulista, 1000", "", "R. São João\u{7}"]
    static let pool5: [String] = ["123", "s/n", "", "10 A"]
    static let pool6: [String] = ["Apto 4", "", "Bloco \"B\""]
    static let pool7: [String] = ["Centro", "Bela Vista", ""]
    static let pool8: [String] = ["São Paulo", "Rio de Janeiro", "", String(repeating: "a", count: 201)]
    static let pool9: [String] = ["SP", "sp", "Rj", "XX", "São", "S", "", " mg "]
    static let pool10: [String] = ["01310-100", "01310100", "01.310-100", "00000-000", "1234-567", "ABCDE-123", ""]
    static let pool11: [String] = ["B2B", "B2C", "", "Varejo\u{2029}"]
    static let pool12: [String] = ["700", "-5", "+12", "7.5", "abc", "1234567890123456789", "", "", ""]
    static let pool13: [String] = ["vip;novo", "vip; vip ;;novo", " ; ", "", String(repeating: "t", count: 201)]
    static let pool14: [String] = [
        "email", "SMS;letter", "call", "whatsapp", "fax", "", "", ";;", "EMAIL; sms", "e-mail",
    ]
    static let pool15: [String] = [
        "", "", "", "", "litigation", "judicial_recovery", "deceased", "\u{7}", "  recuperação ",
    ]
    static let pool16: [String] = ["qualquer coisa", "", "a,b", "\u{FF}"]
    static let pool17: [String] = [
        "2026-11-25", "2024-02-29", "2023-02-29", "2026-13-01", "25/11/2026", "2026-1-5", "0000-01-01",
        "9999-12-31", " 2026-11-25 ", "2026-04-31", "2000-02-29", "1900-02-29", "2026-11-25T00:00", "",
    ]
    static let pool18: [String] = [
        "1234.56", "0.5", "10", "1.234,56", "-10.00", "12345678901234", "1234567890123.99", "1.999", "abc", "",
        ".5", "5.", "+5", "99999.99", "0", "150.00", "1500.00", "12.345.678901234", "R$ 10,00",
    ]
    static let pool19: [String] = [
        "open", "PAID", "Cancelled", "disputed", "promised", "renegotiated", "Renegotiated", "closed", "", "",
    ]
    static let pool20: [String] = ["12345678", "123456789012345678901", "12a", "", "00000000000000000001"]
    static let pool21: [String] = ["3/12", "03/012", " 3 / 12 ", "13/12", "0/5", "1/1000", "3-12", "3/12/1", "", ""]
    static let pool22: [String] = [
        String(repeating: "1", count: 44), String(repeating: "2", count: 43),
        "00193.3730 00000 00000 10000 00000 "
            + "0000 00000 000", "0019x", "", "", "",
    ]
    static let pool23: [String] = [
        "00190.00009 01234.567890 12345.678901 2 12340000012345", String(repeating: "3", count: 48), "", "", "",
    ]
    static let pool24: [String] = ["invoice", "CREDIT", "credit", "credito", "", "", ""]
    static let pool25: [String] = ["x", "", "a,b", "\u{FF}"]
    static let pool26: [String] = [
        "", "a;b", "a,b", "x\ty", "x\u{85}y", String(repeating: "k", count: 101), String(repeating: "é", count: 100),
        String(repeating: "é", count: 101), " C1 ", "=1+1",
    ]
    static let pool27: [String] = [
        "111.111.111-11", "00000000000000", "AAAAAAAAAAAAAA", "1234567890", "12.345.678/0001-AB",
    ]
    static let pool28: [String] = ["529.982.247-25", "11.222.333/0001-81", "12.ABC.345/01DE-35", "529#982.247-25"]

    /// Values that pass, drawn most of the time so that whole rows pass too (a row of twenty
    /// cells drawn only from mixed pools would almost never be accepted).
    static let goodCustomerCells: [String: [String]] = [
        "name": ["Maria Silva", "João da Conceição", "Ñandú Comércio Ltda.", "Silva, Ana", "Ana \"Aninha\" Souza"],
        "email": ["maria@exemplo.com.br", "", "ação@empresa.com.br"],
        "phone": ["(11) 98765-4321", "", "0xx11 3456-7890"],
        "score": ["", "700", "-5"], "tags": ["", "vip;novo"], "opt_out": ["", "email", "SMS;letter", "call"],
        "hold": ["", "", "", "litigation"], "address_zip": ["01310-100", ""], "address_state": ["SP", "rj", ""],
    ]

    static let goodReceivableCells: [String: [String]] = [
        "due_date": ["2026-11-25", "2024-02-29", "2026-10-01"],
        "amount": ["1234.56", "0.5", "10", "99999.99", "150.00"],
        "issue_date": ["", "2026-09-30"], "paid_date": ["", "2026-11-02"], "promise_date": ["", "2026-12-01"],
        "paid_amount": ["", "", "0", "10.00", "1500.00"],
        "status": ["", "open", "paid", "PAID", "renegotiated", "Renegotiated", "cancelled", "disputed"],
        "kind": ["", "invoice", "credit", "CREDIT"], "nosso_numero": ["", "12345678"],
        "installment": ["", "3/12", " 03 / 012 "],
        "barcode": ["", "", String(repeating: "1", count: 44)],
        "linha_digitavel": ["", "", "00190.00009 01234.567890 12345.678901 2 12340000012345"],
    ]

    mutating func customerCell(_ column: String, _ ids: [String]) -> [UInt8] {
        if rng.chance(850), let good = Self.goodCustomerCells[column] { return text(rng.pick(good)) }
        if column == "document", rng.chance(700) { return text(rng.pick(["529.982.247-25", "11.222.333/0001-81"])) }
        if rng.chance(3) { return [0x4A, 0x6F, 0xE3, 0x6F] }  // "João" in Latin-1, in any column
        if longCells, rng.chance(20) { return Array(repeating: UInt8(ascii: "x"), count: rng.pick([65_536, 65_537])) }
        switch column {
        case "customer_id": return key(ids)
        case "name":
            return text(rng.pick(Self.pool1))
        case "document": return text(document())
        case "email":
            return text(rng.pick(Self.pool2))
        case "phone":
            return text(rng.pick(Self.pool3))
        case "address_street": return text(rng.pick(Self.pool4))
        case "address_number": return text(rng.pick(Self.pool5))
        case "address_complement": return text(rng.pick(Self.pool6))
        case "address_district": return text(rng.pick(Self.pool7))
        case "address_city": return text(rng.pick(Self.pool8))
        case "address_state": return text(rng.pick(Self.pool9))
        case "address_zip":
            return text(rng.pick(Self.pool10))
        case "segment": return text(rng.pick(Self.pool11))
        case "score": return text(rng.pick(Self.pool12))
        case "tags": return text(rng.pick(Self.pool13))
        case "opt_out":
            return text(rng.pick(Self.pool14))
        case "hold":
            return text(rng.pick(Self.pool15))
        default: return text(rng.pick(Self.pool16))
        }
    }

    mutating func receivableCell(_ column: String, _ ids: [String]) -> [UInt8] {
        if rng.chance(900), let good = Self.goodReceivableCells[column] { return text(rng.pick(good)) }
        if rng.chance(3) { return [0x4A, 0x6F, 0xE3, 0x6F] }
        if longCells, rng.chance(20) { return Array(repeating: UInt8(ascii: "9"), count: rng.pick([65_536, 65_537])) }
        switch column {
        case "title_id":
            return rng.chance(900) ? text("T\(rng.below(40))") : text(rng.pick(Self.pool26))
        case "customer_id":
            return rng.chance(900) ? text(rng.pick(ids)) : key(ids + ["C999"])
        case "due_date", "issue_date", "paid_date", "promise_date":
            if column != "due_date", rng.chance(600) { return [] }
            return text(rng.pick(Self.pool17))
        case "amount", "paid_amount":
            if column == "paid_amount", rng.chance(500) { return [] }
            return text(rng.pick(Self.pool18))
        case "status":
            return text(rng.pick(Self.pool19))
        case "nosso_numero": return text(rng.pick(Self.pool20))
        case "installment":
            return text(rng.pick(Self.pool21))
        case "barcode":
            return text(rng.pick(Self.pool22))
        case "linha_digitavel":
            return text(rng.pick(Self.pool23))
        case "kind": return text(rng.pick(Self.pool24))
        default: return text(rng.pick(Self.pool25))
        }
    }

    func text(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// A key cell: mostly one of `ids` (so repeats happen), sometimes a bad one.
    mutating func key(_ ids: [String]) -> [UInt8] {
        if rng.chance(900) { return text(rng.pick(ids)) }
        return text(rng.pick(Self.pool26))
    }

    /// A CPF or CNPJ: valid (numeric, alphanumeric, punctuated or not) or broken.
    mutating func document() -> String {
        let digits = (0..<9).map { _ in String(rng.below(10)) }.joined()
        let cpf = digits + R.cpfCheckDigits(digits)
        let alnum = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let base = (0..<12).map { _ in rng.chance(300) ? String(rng.pick(alnum)) : String(rng.below(10)) }.joined()
        let cnpj = base + R.cnpjCheckDigits(base)
        func punctuated(_ s: String, _ marks: [(Int, Character)]) -> String {
            var out = Array(s)
            for (i, m) in marks.reversed() where i <= out.count { out.insert(m, at: i) }
            return String(out)
        }
        switch rng.below(22) {
        case 0, 1, 2, 14, 15, 16, 17: return cpf
        case 3, 4: return punctuated(cpf, [(3, "."), (6, "."), (9, "-")])
        case 5, 6, 18, 19: return cnpj
        case 7: return punctuated(cnpj, [(2, "."), (5, "."), (8, "/"), (12, "-")]).lowercased()
        case 8: return String(cpf.prefix(10)) + String((Int(String(cpf.last!))! + 1) % 10)  // wrong check digit
        case 9: return String(cnpj.prefix(13)) + String((Int(String(cnpj.last!))! + 3) % 10)
        case 10: return rng.pick(Self.pool27)
        case 11: return rng.pick(Self.pool28)
        case 12: return "52998224A25"
        case 13: return ""
        default: return cpf
        }
    }
}
