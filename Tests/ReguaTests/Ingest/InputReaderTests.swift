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
                "3|customer_id|duplicate customer_id (first seen on line 2)",
                "4|document|document is not a valid CPF: its check digits do not match",
                "5|customer_id|customer_id is empty (it is required)",
                "6|name|name is empty (it is required)",
                "7|score|score '7.5' is not a whole number",
                "8|opt_out|opt_out 'fax' is not a channel (email, sms, letter)",
                "9|name|name is longer than 200 characters (201)",
                "10||the row has 13 cells but the header has 14 (a cell holding a comma must be quoted)",
                "11|name|stray quote (\") in a cell: a cell with quotes must be wholly quoted and its inner quotes doubled (\"\")",
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
            with(["title_id": "T11", "status": "paid", "paid_amount": "150.00"]),  // 12 overpaid
            with(["title_id": "T12", "status": "promised"]),  // 13 promise missing
            with(["title_id": "T13", "nosso_numero": "12A45"]),  // 14 nosso número
            with(["title_id": "T14", "installment": "3-12"]),  // 15 installment
            with(["title_id": "T15", "barcode": "1234"]),  // 16 barcode
            with(["title_id": "T16", "due_date": ""]),  // 17 due date missing
            with(["title_id": "T17", "amount": "99999999999999.00"]),  // 18 too large
        ]
        let inputs = try F.read(customers: customers, receivables: lines.joined(separator: "\r\n") + "\r\n")
        #expect(inputs.titles.map(\.id.raw) == ["T1"])
        let got = inputs.rejects.filter { $0.file == "receivables.csv" }.map { "\($0.line)|\($0.column)|\($0.reason)" }
        #expect(
            got == [
                "3|title_id|duplicate title_id (first seen on line 2)",
                "4|customer_id|customer_id 'C9' is not in customers.csv",
                "5|customer_id|customer_id 'C2' was refused in customers.csv (line 3), so its titles are refused too",
                "6|due_date|due_date '25/11/2026' is not a date like 2026-11-25",
                "7|due_date|due_date '2026-02-30' is not a real date",
                "8|amount|amount '12,50' is not a number like 1234.56",
                "9|amount|amount '-12.50' is negative",
                "10|amount|amount '12.345' has more than two decimals",
                "11|status|status 'sold' is not one of open, paid, cancelled, disputed, promised",
                "12|paid_amount|paid_amount 150.00 is more than amount 100.00",
                "13|promise_date|promise_date is empty (it is required when status is promised)",
                "14|nosso_numero|nosso_numero '12A45' must be digits only, at most 20",
                "15|installment|installment '3-12' is not like 3/12",
                "16|barcode|barcode has 4 digits; it must have 44",
                "17|due_date|due_date is empty (it is required)",
                "18|amount|amount '99999999999999.00' is too large (at most 13 digits before the point)",
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
        #expect(inputs.rejects[0].reason == "score '=HYPERLINK(\"http://evil\",\"x\")' is not a whole number")
        #expect(inputs.rejects[1].column == "name")
        #expect(inputs.rejects[1].reason.hasPrefix("name holds bytes that are not UTF-8 'Jo\\xE3o'"))

        let rows = CSVReader.rows(InputReader.rejectsCSV(inputs.rejects))
        #expect(rows.map(\.cells.count) == [4, 4, 4])
        #expect(rows[0].cells == ["file", "line", "column", "reason"])
        #expect(rows[1].cells[0] == "'=HYPERLINK(1).csv")
        #expect(rows[1].cells[1] == "4")
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
        let rows = CSVReader.rows(InputReader.rejectsCSV(rejects))
        #expect(rows[1].cells == ["customers.csv", "2", "'=x", "'=HYPERLINK(\"http://evil\",\"x\")"])
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
}
