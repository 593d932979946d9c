import Testing
@testable import Regua

@Suite struct InputReaderTests {
    typealias F = IngestFixtures

    private static let receivablesHeader =
        "title_id,customer_id,due_date,amount,status,paid_amount,paid_date,promise_date,"
        + "nosso_numero,installment,barcode,linha_digitavel"

    @Test func readsColumnsInAnyOrderIgnoringUnknownOnesAndHeaderCase() throws {
        let customers =
            " Opt_Out ,ERP_CODE,Name,Customer_ID,document,phone,address_zip,address_state,address_city,"
            + "address_number,address_street,email,score,tags\r\n"
            + "sms; EMAIL,x9,\"Silva, Ana\",C1,529.982.247-25,(11) 98765-4321,01310-100,sp,São Paulo,10,Rua A,"
            + "ana@exemplo.com.br,-15, key-account ;;vip \r\n"
        let receivables = "amount,due_date,customer_id,title_id,junk\n1234.5,2026-11-25,C1,T1,whatever\n"
        let inputs = try F.read(customers: customers, receivables: receivables)
        #expect(inputs.rejects == [])
        let c = try #require(inputs.customers.first)
        #expect(c.id == CustomerID("C1"))
        #expect(c.name == "Silva, Ana")
        #expect(c.document.kind == .cpf)
        #expect(c.phone == "+5511987654321")
        #expect(c.email == "ana@exemplo.com.br")
        #expect(c.address.state == "SP")
        #expect(c.address.zip == "01310100")
        #expect(c.address.isComplete)
        #expect(c.score == -15)
        #expect(c.tags == ["key-account", "vip"])
        #expect(c.optOut == [.sms, .email])
        #expect(c.line == 2)
        let t = try #require(inputs.titles.first)
        #expect(t.id == TitleID("T1"))
        #expect(t.amount == Money(cents: 123_450))
        #expect(t.dueDate == Day(iso: "2026-11-25"))
        #expect(t.status == .open)
        #expect(t.line == 2)
    }

    @Test func hashesAreSHA256OfTheFileBytes() throws {
        let customers = F.customersHeader + "\n" + F.customer("C1") + "\n"
        let receivables = "title_id,customer_id,due_date,amount\nT1,C1,2026-11-25,10.00\n"
        let inputs = try F.read(customers: customers, receivables: receivables)
        #expect(inputs.customersHash == Hashing.sha256Hex(customers))
        #expect(inputs.receivablesHash == Hashing.sha256Hex(receivables))
        #expect(Hashing.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func invalidContactsAreAbsentNotRejects() throws {
        let customers =
            F.customersHeader + "\n"
            + "C1,Ana,529.982.247-25,not-an-email,12345,Rua A,10,São Paulo,XX,999,B2C,,,\n"
        let inputs = try F.read(customers: customers, receivables: "title_id,customer_id,due_date,amount\n")
        #expect(inputs.rejects == [])
        let c = try #require(inputs.customers.first)
        #expect(c.email == nil)
        #expect(c.phone == nil)
        #expect(c.address.state == nil)
        #expect(c.address.zip == nil)
        #expect(!c.hasContact(for: .letter))
    }

    /// A customers.csv row for the standard header from the cells given (others empty).
    private func customerRow(_ cells: [String: String]) -> String {
        F.customersHeader.split(separator: ",").map { cells[String($0)] ?? "" }.joined(separator: ",")
    }

    /// A receivables.csv row for `receivablesHeader` from the cells given (others empty).
    private func titleRow(_ cells: [String: String]) -> String {
        Self.receivablesHeader.split(separator: ",").map { cells[String($0)] ?? "" }.joined(separator: ",")
    }

    @Test func customerRejectsNameLineColumnAndReason() throws {
        let ok = ["customer_id": "C9", "name": "Ana", "document": "529.982.247-25"]
        func with(_ changes: [String: String]) -> String { customerRow(ok.merging(changes) { $1 }) }
        let lines = [
            F.customersHeader,
            F.customer("C1"),  // 2 ok
            F.customer("C1", document: "111.444.777-35"),  // 3 duplicate
            with(["customer_id": "C3", "document": "529.982.247-24"]),  // 4 bad CPF
            with(["customer_id": ""]),  // 5 no id
            with(["customer_id": "C5", "name": ""]),  // 6 no name
            with(["customer_id": "C6", "score": "7.5"]),  // 7 score
            with(["customer_id": "C7", "opt_out": "email;fax"]),  // 8 opt_out
            with(["customer_id": "C8", "name": String(repeating: "é", count: 201)]),  // 9 name too long
            String(with(["customer_id": "C9"]).dropLast()),  // 10 a cell short
            with(["customer_id": "C10", "name": "\"Ana\"x"]),  // 11 stray quote
            with(["customer_id": "C11", "document": "111.444.777-35"]),  // 12 ok
        ]
        let inputs = try F.read(
            customers: lines.joined(separator: "\n") + "\n",
            receivables: "title_id,customer_id,due_date,amount\n")
        #expect(inputs.customers.map(\.id.raw) == ["C1", "C11"])
        let got = inputs.rejects.map { "\($0.line)|\($0.column)|\($0.reason)" }
        #expect(
            got == [
                "3|customer_id|customer_id repetido (já visto na linha 2)",
                "4|document|document não é um CPF válido: os dígitos verificadores não conferem",
                "5|customer_id|customer_id está vazio (é obrigatório)",
                "6|name|name está vazio (é obrigatório)",
                "7|score|score '7.5' não é um número inteiro",
                "8|opt_out|opt_out 'fax' não é um canal (email, sms, letter, call, whatsapp)",
                "9|name|name tem mais de 200 caracteres (201)",
                "10||a linha tem 13 células, mas o cabeçalho tem 14 (uma célula com vírgula precisa estar entre aspas)",
                "11|name|aspas (\") soltas numa célula: uma célula com aspas deve estar toda entre aspas, com as aspas internas dobradas (\"\")",
            ])
        #expect(inputs.rejects.allSatisfy { $0.file == "customers.csv" })
    }

    @Test func receivableRejectsNameLineColumnAndReason() throws {
        let customers =
            [F.customersHeader, F.customer("C1"), F.customer("C2", document: "529.982.247-24")]
            .joined(separator: "\n") + "\n"
        let ok = ["title_id": "T0", "customer_id": "C1", "due_date": "2026-11-25", "amount": "100.00"]
        func with(_ changes: [String: String]) -> String { titleRow(ok.merging(changes) { $1 }) }
        let lines = [
            Self.receivablesHeader,
            with(["title_id": "T1"]),  // 2 ok
            with(["title_id": "T1", "amount": "-1"]),  // 3 duplicate wins
            with(["title_id": "T3", "customer_id": "C9"]),  // 4 unknown customer
            with(["title_id": "T4", "customer_id": "C2"]),  // 5 refused customer
            with(["title_id": "T5", "due_date": "25/11/2026"]),  // 6 date format
            with(["title_id": "T6", "due_date": "2026-02-30"]),  // 7 no such date
            with(["title_id": "T7", "amount": "\"12,50\""]),  // 8 comma decimal
            with(["title_id": "T8", "amount": "-12.50"]),  // 9 negative
            with(["title_id": "T9", "amount": "12.345"]),  // 10 three decimals
            with(["title_id": "T10", "status": "sold"]),  // 11 status
            with(["title_id": "T11", "status": "paid", "paid_amount": "150.00"]),  // 12 paid with fees: kept
            with(["title_id": "T12", "status": "promised"]),  // 13 promise missing
            with(["title_id": "T13", "nosso_numero": "12A45"]),  // 14 nosso número
            with(["title_id": "T14", "installment": "3-12"]),  // 15 installment
            with(["title_id": "T15", "barcode": "1234"]),  // 16 barcode
            with(["title_id": "T16", "due_date": ""]),  // 17 due date missing
            with(["title_id": "T17", "amount": "99999999999999.00"]),  // 18 too large
        ]
        let inputs = try F.read(customers: customers, receivables: lines.joined(separator: "\r\n") + "\r\n")
        #expect(inputs.titles.map(\.id.raw) == ["T1", "T11"])
        #expect(inputs.titles[1].outstanding == .zero)  // a late payment with its fees is no reject
        let got = inputs.rejects.filter { $0.file == "receivables.csv" }.map { "\($0.line)|\($0.column)|\($0.reason)" }
        #expect(
            got == [
                "3|title_id|title_id repetido (já visto na linha 2)",
                "4|customer_id|customer_id 'C9' não está em customers.csv",
                "5|customer_id|customer_id 'C2' foi recusado em customers.csv (linha 3), por isso seus títulos também são recusados",
                "6|due_date|due_date '25/11/2026' não é uma data como 2026-11-25 (AAAA-MM-DD)",
                "7|due_date|due_date '2026-02-30' não é uma data que existe",
                "8|amount|amount '12,50' não é um valor como 1234.56 (ponto decimal, sem separador de milhar)",
                "9|amount|amount '-12.50' é negativo",
                "10|amount|amount '12.345' tem mais de duas casas decimais",
                "11|status|status 'sold' não é um destes: open, paid, cancelled, disputed, promised, renegotiated",
                "13|promise_date|promise_date está vazio (é obrigatório quando o status é promised)",
                "14|nosso_numero|nosso_numero '12A45' deve ter só dígitos, no máximo 20",
                "15|installment|installment '3-12' não é como 3/12",
                "16|barcode|barcode tem 4 dígitos; deve ter 44",
                "17|due_date|due_date está vazio (é obrigatório)",
                "18|amount|amount '99999999999999.00' é grande demais (no máximo 13 dígitos antes do ponto)",
            ])
    }

    @Test func optionalTitleFieldsAreKeptNormalised() throws {
        let customers = F.customersHeader + "\n" + F.customer("C1") + "\n"
        let receivables =
            Self.receivablesHeader + "\n"
            + "T1,C1,2026-11-25,100,Promised,40.5,2026-11-01,2026-12-01,0001234,03/12,,"
            + "00190.00009 01238.798779 77700.168188 2 37690000013500\n"
        let inputs = try F.read(customers: customers, receivables: receivables)
        #expect(inputs.rejects == [])
        let t = try #require(inputs.titles.first)
        #expect(t.status == .promised)
        #expect(t.paidAmount == Money(cents: 4050))
        #expect(t.outstanding == Money(cents: 5950))
        #expect(t.promiseDate == Day(iso: "2026-12-01"))
        #expect(t.nossoNumero == "0001234")
        #expect(t.installment == "3/12")
        #expect(t.linhaDigitavel == "00190000090123879877977700168188237690000013500")
    }

    @Test func hostileCellsStayInTheirCell() throws {
        var customers = Array((F.customersHeader + "\n").utf8)
        customers += Array("C1,\"Ana\r\nBcc: evil@x.com\tDa Silva\",529.982.247-25,,,,,,,,,,,\n".utf8)
        customers += Array("C2,Bia,529.982.247-25,,,,,,,,,\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",,\n".utf8)
        customers += Array("C3,Jo".utf8) + [0xE3, 0x6F] + Array(",529.982.247-25,,,,,,,,,,,\n".utf8)
        customers += Array("C4,{{name}} <b>x</b> ../../etc,529.982.247-25,,,,,,,,,,,\n".utf8)
        let dir = F.directory()
        defer { F.remove(dir) }
        // A file name a spreadsheet would run as a formula, shown in the file column.
        let c = try F.write(customers, "=HYPERLINK(1).csv", in: dir)
        let r = try F.write(Array("title_id,customer_id,due_date,amount\n".utf8), "receivables.csv", in: dir)
        let inputs = try InputReader.read(customers: c, receivables: r)
        #expect(inputs.customers.map(\.name) == ["Ana  Bcc: evil@x.com Da Silva", "{{name}} <b>x</b> ../../etc"])
        #expect(inputs.rejects.map(\.line) == [4, 5])
        #expect(inputs.rejects[0].column == "score")
        #expect(inputs.rejects[0].reason == "score '=HYPERLINK(\"http://evil\",\"x\")' não é um número inteiro")
        #expect(inputs.rejects[1].column == "name")
        #expect(inputs.rejects[1].reason.hasPrefix("name tem bytes que não são UTF-8 'Jo\\xE3o'"))

        // rejects.csv is for a spreadsheet set to pt-BR: BOM, ';' between cells.
        let bytes = InputReader.rejectsCSV(inputs.rejects)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let rows = Self.semicolonRows(bytes)
        #expect(rows.map(\.count) == [6, 6, 6])
        #expect(rows[0] == ["file", "line", "column", "customer_id", "title_id", "reason"])
        #expect(rows[1][0] == "'=HYPERLINK(1).csv")
        #expect(rows[1][1] == "4")
        #expect(rows[1][3] == "C2")
        #expect(rows[2][3] == "C3")
    }

    @Test func bytesThatAreNotUTF8InAnIgnoredColumnDoNotRefuseTheRow() throws {
        let dir = F.directory()
        defer { F.remove(dir) }
        let customers = Array("customer_id,name,document,erp_notes\nC1,Ana,529.982.247-25,caf".utf8) + [0xE9] + [10]
        let c = try F.write(customers, "customers.csv", in: dir)
        let r = try F.write(Array("title_id,customer_id,due_date,amount\n".utf8), "receivables.csv", in: dir)
        let inputs = try InputReader.read(customers: c, receivables: r)
        #expect(inputs.rejects == [])
        #expect(inputs.customers.count == 1)
    }

    @Test func aFormulaInAReasonIsNeutralised() {
        let rejects = [
            Reject(file: "customers.csv", line: 2, column: "=x", reason: "=HYPERLINK(\"http://evil\",\"x\")")
        ]
        let rows = Self.semicolonRows(InputReader.rejectsCSV(rejects))
        #expect(rows[1] == ["customers.csv", "2", "'=x", "", "", "'=HYPERLINK(\"http://evil\",\"x\")"])
    }

    @Test func echoesAreShortAndEscaped() {
        let cell = Array(("x\r\n\u{7}" + String(repeating: "y", count: 100)).utf8)
        let echoed = cell.withUnsafeBufferPointer(CellText.echo)
        #expect(echoed.hasPrefix("'x\\r\\n\\x07yyy"))
        #expect(echoed.hasSuffix("…'"))
        // 60 characters shown (an escape counts as one), 5 extra escape characters, 2 quotes, the ellipsis.
        #expect(echoed.unicodeScalars.count == 68)
    }

    @Test func missingColumnsAndUnreadableFilesThrowClearly() throws {
        let dir = F.directory()
        defer { F.remove(dir) }
        let c = try F.write(Array("customer_id,name\nC1,Ana\n".utf8), "customers.csv", in: dir)
        let r = try F.write(Array("title_id,customer_id,due_date,amount\n".utf8), "receivables.csv", in: dir)
        do {
            _ = try InputReader.read(customers: c, receivables: r)
            Issue.record("read a customers.csv without document")
        } catch let e as InputError {
            #expect(e.kind == .missingColumns(["document"]))
            #expect(e.description == "\(c): the header lacks the required column 'document'")
        }
        do {
            _ = try InputReader.read(customers: dir + "/nope.csv", receivables: r)
            Issue.record("read a missing file")
        } catch let e as InputError {
            #expect(e.kind == .unreadable)
            #expect(e.description == "\(dir)/nope.csv: cannot read the file: No such file or directory")
        }
        do {
            _ = try InputReader.read(customers: dir, receivables: r)
            Issue.record("read a directory")
        } catch let e as InputError {
            #expect(e.kind == .unreadable)
            #expect(e.message.contains("directory"))
        }
        let empty = try F.write([], "empty.csv", in: dir)
        #expect(throws: InputError.self) { try InputReader.read(customers: empty, receivables: r) }
    }

    @Test func rejectsAreSortedByFileThenLine() {
        let sorted = InputReader.sortedRejects([
            Reject(file: "receivables.csv", line: 2, column: "", reason: ""),
            Reject(file: "customers.csv", line: 9, column: "", reason: ""),
            Reject(file: "customers.csv", line: 3, column: "", reason: ""),
        ])
        #expect(sorted.map { "\($0.file):\($0.line)" } == ["customers.csv:3", "customers.csv:9", "receivables.csv:2"])
    }

    /// A plain RFC 4180 reader with `;` between cells (after a BOM), as a pt-BR spreadsheet reads.
    static func semicolonRows(_ bytes: [UInt8]) -> [[String]] {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        cell.unicodeScalars.append("\""); chars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    cell.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == ";" {
                row.append(cell)
                cell = ""
            } else if c == "\r" {
                continue
            } else if c == "\n" {
                row.append(cell)
                rows.append(row)
                row = []
                cell = ""
            } else {
                cell.unicodeScalars.append(c)
            }
        }
        return rows
    }
}
