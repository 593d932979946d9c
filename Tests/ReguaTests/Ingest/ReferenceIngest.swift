import Foundation
@testable import Regua

/// customers.csv and receivables.csv read the plain way, as SPEC §1 and the README's readings
/// of it say, with arrays, dictionaries and Strings: no pointers, no hashing tricks, no
/// pieces. ``ReferenceIngestTests`` holds ``InputReader`` to what this reads.
///
/// Where the SPEC leaves a choice (which bad cell of a row is named first, the words of a
/// reason), this follows the README and the reasons `rejects.csv` has always carried:
/// - the CSV rules: RFC 4180 with CRLF or LF, a leading BOM skipped, blank lines skipped, a
///   bare CR inside a line kept as data, a quoted cell's `""` undone; a quote that does not
///   open a cell, or text after a closing quote, refuses the row, and so does a quote never
///   closed; reading goes on on the line after the row's first line;
/// - limits: a cell of 64 KiB, a row of 1 MiB (its line end counted), 1,000 cells;
/// - cells are trimmed of spaces, tabs, CR and LF; an empty cell is absent; a cell that is not
///   UTF-8 refuses its row, but only in a column that is read;
/// - the cells of a row are read in the SPEC's column order and the first bad one is named;
///   a repeated key wins over any other reason of the row, except a row that cannot be read
///   as a whole (syntax, limits, cell count), which keeps its own;
/// - keys are compared as Unicode text (canonical equivalence), as Swift's `String` does;
/// - a title whose customer is missing, or whose customer's first row was refused, is refused.
enum ReferenceIngest {
    /// A customer as plain values.
    struct CustomerRow: Equatable, CustomStringConvertible {
        var id: String
        var name: String
        var document: String  // "cpf:52998224725"
        var email: String?
        var phone: String?
        var street: String?
        var number: String?
        var complement: String?
        var district: String?
        var city: String?
        var state: String?
        var zip: String?
        var segment: String?
        var score: Int?
        var tags: [String]
        var optOut: [String]  // sorted channel names
        var hold: String?
        var line: Int

        var description: String {
            "line \(line): \(id.debugDescription) \(name.debugDescription) \(document) email \(String(describing: email)) "
                + "phone \(String(describing: phone)) address \([street, number, complement, district, city, state, zip]) "
                + "segment \(String(describing: segment)) score \(String(describing: score)) tags \(tags) "
                + "opt_out \(optOut) hold \(String(describing: hold))"
        }
    }

    /// A title as plain values; dates as `YYYY-MM-DD`, money in cents.
    struct TitleRow: Equatable, CustomStringConvertible {
        var id: String
        var customerID: String
        var dueDate: String
        var amount: Int64
        var issueDate: String?
        var status: String
        var paidAmount: Int64
        var paidDate: String?
        var promiseDate: String?
        var nossoNumero: String?
        var installment: String?
        var barcode: String?
        var linhaDigitavel: String?
        var kind: String
        var line: Int

        var description: String {
            "line \(line): \(id.debugDescription) of \(customerID.debugDescription) due \(dueDate) \(amount) "
                + "issue \(String(describing: issueDate)) \(status) paid \(paidAmount) on \(String(describing: paidDate)) "
                + "promise \(String(describing: promiseDate)) nn \(String(describing: nossoNumero)) "
                + "inst \(String(describing: installment)) bc \(String(describing: barcode)) "
                + "ld \(String(describing: linhaDigitavel)) \(kind)"
        }
    }

    /// A refused row, as rejects.csv shows it.
    struct RejectRow: Equatable, CustomStringConvertible {
        var file: String
        var line: Int
        var column: String
        var reason: String
        var customerID: String?
        var titleID: String?

        var description: String {
            "\(file):\(line) [\(column)] \(reason) (customer \(String(describing: customerID)), "
                + "title \(String(describing: titleID)))"
        }
    }

    /// What reading both files gives: the rows, or the refusal of a file as a whole.
    enum Outcome: Equatable {
        case read(customers: [CustomerRow], titles: [TitleRow], rejects: [RejectRow])
        /// The file's path as given, a word for the kind of refusal, and the message.
        case refused(path: String, kind: String, message: String)
    }

    static let customerColumns = [
        "customer_id", "name", "document", "email", "phone", "address_street", "address_number",
        "address_complement", "address_district", "address_city", "address_state", "address_zip",
        "segment", "score", "tags", "opt_out", "hold",
    ]
    static let receivableColumns = [
        "title_id", "customer_id", "due_date", "amount", "issue_date", "status", "paid_amount", "paid_date",
        "promise_date", "nosso_numero", "installment", "barcode", "linha_digitavel", "kind",
    ]
    static let customerRequired = ["customer_id", "name", "document"]
    static let receivableRequired = ["title_id", "customer_id", "due_date", "amount"]
    static let statuses = ["open", "paid", "cancelled", "disputed", "promised", "renegotiated"]
    static let kinds = ["invoice", "credit"]
    /// The channels SPEC §1 allows in `opt_out`.
    static let optOutChannels = ["email", "sms", "letter", "call", "whatsapp"]
    static let states: Set<String> = [
        "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA", "PB", "PR", "PE", "PI",
        "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO",
    ]
    /// The area codes (DDD) of ANATEL's numbering plan.
    static let areaCodes: Set<String> = Set(
        ("11 12 13 14 15 16 17 18 19 21 22 24 27 28 31 32 33 34 35 37 38 41 42 43 44 45 46 47 48 49 "
            + "51 53 54 55 61 62 63 64 65 66 67 68 69 71 73 74 75 77 79 81 82 83 84 85 86 87 88 89 "
            + "91 92 93 94 95 96 97 98 99").split(separator: " ").map(String.init))

    // MARK: - Both files

    static func read(
        customers: [UInt8], receivables: [UInt8], customersPath: String = "customers.csv",
        receivablesPath: String = "receivables.csv"
    ) -> Outcome {
        let customersFile = fileName(customersPath)
        let receivablesFile = fileName(receivablesPath)
        let customerTable: Table
        let receivableTable: Table
        switch Table.read(customers, path: customersPath, columns: customerColumns, required: customerRequired) {
        case .failure(let refusal): return refusal.outcome
        case .success(let t): customerTable = t
        }
        switch Table.read(receivables, path: receivablesPath, columns: receivableColumns, required: receivableRequired)
        {
        case .failure(let refusal): return refusal.outcome
        case .success(let t): receivableTable = t
        }

        // customers.csv, row by row.
        var customers: [CustomerRow?] = []  // nil once refused as a repeat
        var rejects: [RejectRow] = []
        /// For each customer_id: the line of the first row that had it, and that row's customer index
        /// when it was accepted.
        var firstCustomer: [String: (line: Int, accepted: Int?)] = [:]
        for row in customerTable.rows {
            let ids = (customer: row.key("customer_id"), title: String?.none)
            func refuse(_ column: String, _ reason: String) {
                rejects.append(
                    RejectRow(
                        file: customersFile, line: row.line, column: column, reason: reason, customerID: ids.customer,
                        titleID: nil))
            }
            if let problem = row.problem {
                if let key = ids.customer, firstCustomer[key] == nil { firstCustomer[key] = (row.line, nil) }
                refuse(problem.column, problem.reason)
                continue
            }
            let key: String
            switch row.keyOrReason("customer_id") {
            case .failure(let r):
                refuse(r.column, r.reason)
                continue
            case .success(let k): key = k
            }
            if let first = firstCustomer[key] {
                refuse("customer_id", "customer_id repetido (já visto na linha \(first.line))")
                continue
            }
            switch customer(row, id: key) {
            case .failure(let r):
                firstCustomer[key] = (row.line, nil)
                refuse(r.column, r.reason)
            case .success(let c):
                firstCustomer[key] = (row.line, customers.count)
                customers.append(c)
            }
        }

        // receivables.csv, row by row; the customer is looked up once the row is read.
        var titles: [TitleRow] = []
        var firstTitle: [String: Int] = [:]
        for row in receivableTable.rows {
            let ids = (customer: row.key("customer_id"), title: row.key("title_id"))
            func refuse(_ column: String, _ reason: String) {
                rejects.append(
                    RejectRow(
                        file: receivablesFile, line: row.line, column: column, reason: reason,
                        customerID: ids.customer, titleID: ids.title))
            }
            if let problem = row.problem {
                if let key = ids.title, firstTitle[key] == nil { firstTitle[key] = row.line }
                refuse(problem.column, problem.reason)
                continue
            }
            let key: String
            switch row.keyOrReason("title_id") {
            case .failure(let r):
                refuse(r.column, r.reason)
                continue
            case .success(let k): key = k
            }
            if let first = firstTitle[key] {
                refuse("title_id", "title_id repetido (já visto na linha \(first))")
                continue
            }
            firstTitle[key] = row.line
            switch title(row, id: key) {
            case .failure(let r):
                refuse(r.column, r.reason)
            case .success(let t):
                if let first = firstCustomer[t.customerID] {
                    if first.accepted == nil {
                        refuse(
                            "customer_id",
                            "customer_id \(echo(t.customerID)) foi recusado em \(customersFile) (linha \(first.line)), "
                                + "por isso seus títulos também são recusados")
                    } else {
                        titles.append(t)
                    }
                } else {
                    refuse("customer_id", "customer_id \(echo(t.customerID)) não está em \(customersFile)")
                }
            }
        }
        rejects.sort { a, b in
            a.file != b.file ? Array(a.file.utf8).lexicographicallyPrecedes(Array(b.file.utf8)) : a.line < b.line
        }
        return .read(customers: customers.compactMap { $0 }, titles: titles, rejects: rejects)
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    // MARK: - One customer

    /// A bad cell: its column and the reason.
    struct Bad: Error {
        var column: String
        var reason: String
        init(_ column: String, _ reason: String) {
            self.column = column
            self.reason = reason
        }
    }

    static func customer(_ row: Row, id: String) -> Result<CustomerRow, Bad> {
        Result { () throws(Bad) in
            guard let name = try row.freeText("name") else { throw Bad("name", "name está vazio (é obrigatório)") }
            guard let documentCell = try row.text("document") else {
                throw Bad("document", "document está vazio (é obrigatório)")
            }
            let document = try Self.document(documentCell)
            let email = try row.text("email").flatMap { isEmail($0) ? $0 : nil }
            let phone = try row.text("phone").flatMap(e164)
            let street = try row.freeText("address_street")
            let number = try row.freeText("address_number")
            let complement = try row.freeText("address_complement")
            let district = try row.freeText("address_district")
            let city = try row.freeText("address_city")
            let state = try row.text("address_state").map(asciiUppercased).flatMap { states.contains($0) ? $0 : nil }
            let zip = try row.text("address_zip").flatMap(cep)
            let segment = try row.freeText("segment")
            var score: Int?
            if let s = try row.text("score") {
                guard let v = integer(s) else { throw Bad("score", "score \(echo(s)) não é um número inteiro") }
                score = v
            }
            var tags: [String] = []
            for piece in try row.text("tags").map({ pieces($0, ";") }) ?? [] {
                let s = trim(piece)
                try checkLength(s, column: "tags")
                let tag = plain(s)
                if !tag.isEmpty, !tags.contains(tag) { tags.append(tag) }
            }
            var optOut: Set<String> = []
            for piece in try row.text("opt_out").map({ pieces($0, ";") }) ?? [] {
                let s = trim(piece)
                if s.isEmpty { continue }
                guard optOutChannels.contains(s.lowercased()) else {
                    throw Bad("opt_out", "opt_out \(echo(s)) não é um canal (email, sms, letter, call, whatsapp)")
                }
                // Only the channels this release has steps on are kept (the rest cannot be sent on).
                if let channel = Channel(rawValue: s.lowercased()) { optOut.insert(channel.rawValue) }
            }
            var hold: String?
            if let s = try row.text("hold") {
                try checkLength(s, column: "hold")
                hold = plain(s).isEmpty ? nil : plain(s)
            }
            return CustomerRow(
                id: id, name: name, document: document, email: email, phone: phone, street: street, number: number,
                complement: complement, district: district, city: city, state: state, zip: zip, segment: segment,
                score: score, tags: tags, optOut: optOut.sorted(), hold: hold, line: row.line)
        }
    }

    /// `cpf:DIGITS` or `cnpj:CHARACTERS`, or why the document is refused (without echoing it).
    static func document(_ s: String) throws(Bad) -> String {
        var chars: [Character] = []
        for c in s {
            if ".-/ ".contains(c) { continue }
            guard c.isASCII, c.isLetter || c.isNumber else {
                throw Bad("document", "document tem caracteres além de dígitos, letras e da pontuação . - /")
            }
            chars.append(Character(c.uppercased()))
        }
        let allDigits = chars.allSatisfy(\.isNumber)
        let allSame = Set(chars).count == 1
        let text = String(chars)
        switch chars.count {
        case 11 where !allDigits: throw Bad("document", "document tem 11 caracteres, mas um CPF tem só dígitos")
        case 11 where allSame: throw Bad("document", "document não é um CPF válido (todos os dígitos são iguais)")
        case 11:
            guard cpfCheckDigits(String(text.prefix(9))) == String(text.suffix(2)) else {
                throw Bad("document", "document não é um CPF válido: os dígitos verificadores não conferem")
            }
            return "cpf:" + text
        case 14 where !chars[12].isNumber || !chars[13].isNumber:
            throw Bad(
                "document",
                "document não é um CNPJ válido: os dois últimos caracteres (dígitos verificadores) devem ser dígitos")
        case 14 where allDigits && allSame:
            throw Bad("document", "document não é um CNPJ válido (todos os dígitos são iguais)")
        case 14:
            guard cnpjCheckDigits(String(text.prefix(12))) == String(text.suffix(2)) else {
                throw Bad("document", "document não é um CNPJ válido: os dígitos verificadores não conferem")
            }
            return "cnpj:" + text
        default:
            throw Bad(
                "document", "document tem \(chars.count) caracteres; um CPF tem 11 dígitos e um CNPJ 14 caracteres")
        }
    }

    /// The two check digits of a CPF's first nine: weights 10…2, then 11…2; 10 counts as 0.
    static func cpfCheckDigits(_ nine: String) -> String {
        var digits = nine.map { Int(String($0))! }
        for _ in 0..<2 {
            let sum = digits.enumerated().map { i, d in d * (digits.count + 1 - i) }.reduce(0, +)
            digits.append(sum * 10 % 11 == 10 ? 0 : sum * 10 % 11)
        }
        return digits.suffix(2).map(String.init).joined()
    }

    /// The two check digits of a CNPJ's first twelve characters (IN RFB 2.229/2024: each
    /// character worth its ASCII code minus 48), weights 2…9 from the right, módulo 11.
    static func cnpjCheckDigits(_ twelve: String) -> String {
        var values = twelve.unicodeScalars.map { Int($0.value) - 48 }
        for _ in 0..<2 {
            let weights = (0..<values.count).map { 2 + $0 % 8 }
            let sum = zip(values.reversed(), weights).map(*).reduce(0, +)
            values.append(sum % 11 < 2 ? 0 : 11 - sum % 11)
        }
        return values.suffix(2).map(String.init).joined()
    }

    /// An addr-spec as the README reads it: one local part of 1–64 bytes (printable, none of
    /// `<>()[],;:"\`, no leading, trailing or doubled dot), a domain of two or more labels of
    /// 1–63 letters, digits, hyphens or non-ASCII (not starting or ending with a hyphen), at
    /// most 254 bytes, no control character.
    static func isEmail(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars)
        guard (3...254).contains(s.utf8.count), let at = scalars.firstIndex(of: "@") else { return false }
        let local = String(String.UnicodeScalarView(scalars[..<at]))
        let domain = String(String.UnicodeScalarView(scalars[(at + 1)...]))
        guard (1...64).contains(local.utf8.count), domain.utf8.count <= 253 else { return false }
        let localScalars = Array(local.unicodeScalars)
        guard localScalars.first != ".", localScalars.last != "." else { return false }
        for (i, u) in localScalars.enumerated() {
            if u.value <= 32 || u.value == 127 || "<>()[],;:\\\"".unicodeScalars.contains(u) { return false }
            if u == ".", i > 0, localScalars[i - 1] == "." { return false }
        }
        let labels = pieces(domain, ".", keepingEmpty: true)
        guard labels.count >= 2 else { return false }
        for label in labels {
            let l = Array(label.unicodeScalars)
            guard (1...63).contains(label.utf8.count), l.first != "-", l.last != "-" else { return false }
            for u in l where u.isASCII {
                guard ("a"..."z").contains(u) || ("A"..."Z").contains(u) || ("0"..."9").contains(u) || u == "-"
                else { return false }
            }
        }
        return !hasControl(s)
    }

    /// A Brazilian phone in E.164, as the README reads "any common writing": punctuation
    /// `( ) - . /` and spaces, `+55`, `55`, `0055`, `055`, a trunk 0 (with or without a two-digit
    /// carrier code) or `0xx` before the DDD; a mobile of 9 digits starting with 9 or a
    /// landline of 8 starting with 2–5 after a DDD in use.
    static func e164(_ s: String) -> String? {
        var rest = Array(s.unicodeScalars)
        var plus = false
        var zeroXX = false
        if rest.first == "+" {
            plus = true
            rest.removeFirst()
        } else if rest.count >= 3, rest[0] == "0", "xX".unicodeScalars.contains(rest[1]),
            "xX".unicodeScalars.contains(rest[2])
        {
            zeroXX = true
            rest.removeFirst(3)
        }
        var digits = ""
        for u in rest {
            if ("0"..."9").contains(u) {
                digits.unicodeScalars.append(u)
            } else if !" ()-./".unicodeScalars.contains(u) {
                return nil
            }
        }
        let n = digits.count
        guard n <= 16 else { return nil }
        let national: String
        if plus {
            guard digits.hasPrefix("55") else { return nil }
            national = String(digits.dropFirst(2))
        } else if zeroXX {
            national = digits
        } else if digits.hasPrefix("0055") {
            national = String(digits.dropFirst(4))
        } else if digits.hasPrefix("055"), (10...11).contains(n - 3) {
            national = String(digits.dropFirst(3))
        } else if digits.hasPrefix("0") {
            if (10...11).contains(n - 1) {
                national = String(digits.dropFirst(1))
            } else if (10...11).contains(n - 3) {
                national = String(digits.dropFirst(3))
            } else {
                return nil
            }
        } else if digits.hasPrefix("55"), (12...13).contains(n) {
            national = String(digits.dropFirst(2))
        } else {
            national = digits
        }
        guard national.count == 10 || national.count == 11 else { return nil }
        let ddd = String(national.prefix(2))
        let first = national.dropFirst(2).first!
        guard areaCodes.contains(ddd), national.count == 11 ? first == "9" : "2345".contains(first) else { return nil }
        return "+55" + national
    }

    /// The text split at every `separator` scalar (empty pieces left out unless `keepingEmpty`).
    static func pieces(_ s: String, _ separator: Unicode.Scalar, keepingEmpty: Bool = false) -> [String] {
        s.unicodeScalars.split(separator: separator, omittingEmptySubsequences: !keepingEmpty).map {
            String(String.UnicodeScalarView($0))
        }
    }

    /// Upper case for the ASCII letters only.
    static func asciiUppercased(_ s: String) -> String {
        String(
            String.UnicodeScalarView(
                s.unicodeScalars.map { ("a"..."z").contains($0) ? Unicode.Scalar($0.value - 32)! : $0 }))
    }

    /// The eight digits of a CEP (dots and hyphens allowed anywhere); 00000-000 is none.
    static func cep(_ s: String) -> String? {
        var digits = ""
        for c in s {
            if c.isASCII, c.isNumber { digits.append(c) } else if c != "-", c != "." { return nil }
        }
        return digits.count == 8 && digits != "00000000" ? digits : nil
    }

    /// An integer of 1–18 digits, optionally signed.
    static func integer(_ s: String) -> Int? {
        var body = Substring(s)
        if body.hasPrefix("-") || body.hasPrefix("+") { body = body.dropFirst() }
        guard (1...18).contains(body.count), body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(s)
    }

    // MARK: - One title

    static func title(_ row: Row, id: String) -> Result<TitleRow, Bad> {
        Result { () throws(Bad) in
            let customerID: String
            switch row.keyOrReason("customer_id") {
            case .failure(let r): throw Bad(r.column, r.reason)
            case .success(let k): customerID = k
            }
            let due = try date(try row.required("due_date"), column: "due_date")
            let amount = try money(try row.required("amount"), column: "amount")
            let issue = try row.text("issue_date").map { s throws(Bad) in try date(s, column: "issue_date") }
            var status = "open"
            if let s = try row.text("status") {
                guard let known = statuses.first(where: { equalIgnoringASCIICase($0, s) }) else {
                    throw Bad("status", "status \(echo(s)) não é um destes: " + statuses.joined(separator: ", "))
                }
                status = known
            }
            // A paid amount above the amount is a late payment with its fees: no reject.
            let paid = try row.text("paid_amount").map { s throws(Bad) in try money(s, column: "paid_amount") } ?? 0
            let paidDate = try row.text("paid_date").map { s throws(Bad) in try date(s, column: "paid_date") }
            let promise = try row.text("promise_date").map { s throws(Bad) in try date(s, column: "promise_date") }
            if status == "promised", promise == nil {
                throw Bad("promise_date", "promise_date está vazio (é obrigatório quando o status é promised)")
            }
            var nosso: String?
            if let s = try row.text("nosso_numero") {
                guard s.utf8.count <= 20, s.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw Bad("nosso_numero", "nosso_numero \(echo(s)) deve ter só dígitos, no máximo 20")
                }
                nosso = s
            }
            var installment: String?
            if let s = try row.text("installment") {
                guard let i = Self.installment(s) else {
                    throw Bad("installment", "installment \(echo(s)) não é como 3/12")
                }
                installment = i
            }
            let barcode = try row.text("barcode").map { s throws(Bad) in try digits(s, column: "barcode", count: 44) }
            let linha = try row.text("linha_digitavel").map { s throws(Bad) in
                try digits(s, column: "linha_digitavel", count: 47)
            }
            var kind = "invoice"
            if let s = try row.text("kind") {
                guard let known = kinds.first(where: { equalIgnoringASCIICase($0, s) }) else {
                    throw Bad("kind", "kind \(echo(s)) não é um destes: " + kinds.joined(separator: ", "))
                }
                kind = known
            }
            return TitleRow(
                id: id, customerID: customerID, dueDate: due, amount: amount, issueDate: issue, status: status,
                paidAmount: paid, paidDate: paidDate, promiseDate: promise, nossoNumero: nosso,
                installment: installment, barcode: barcode, linhaDigitavel: linha, kind: kind, line: row.line)
        }
    }

    static func equalIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        let lower = { (s: String) in
            String(
                s.unicodeScalars.map {
                    ("A"..."Z").contains($0) ? Character(Unicode.Scalar($0.value + 32)!) : Character($0)
                })
        }
        return Array(lower(a).utf8) == Array(lower(b).utf8)
    }

    /// `YYYY-MM-DD`, a day of the proleptic Gregorian calendar from year 1 to 9999.
    static func date(_ s: String, column: String) throws(Bad) -> String {
        let u = Array(s.utf8)
        let shaped =
            u.count == 10 && u[4] == UInt8(ascii: "-") && u[7] == UInt8(ascii: "-")
            && [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { (48...57).contains(u[$0]) }
        guard shaped else {
            throw Bad(column, "\(column) \(echo(s)) não é uma data como 2026-11-25 (AAAA-MM-DD)")
        }
        let y = Int(s.prefix(4))!
        let m = Int(s.dropFirst(5).prefix(2))!
        let d = Int(s.suffix(2))!
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard y >= 1, (1...12).contains(m), d >= 1, d <= lengths[m - 1] else {
            throw Bad(column, "\(column) \(echo(s)) não é uma data que existe")
        }
        return s
    }

    /// `1234.56`, `1234.5` or `1234`: dot decimal, no sign, no thousands separator, at most
    /// 13 digits before the dot (what CNAB carries); in cents.
    static func money(_ s: String, column: String) throws(Bad) -> Int64 {
        func cents(_ s: Substring) -> Int64? {
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, (1...13).contains(parts[0].count),
                parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
            else { return nil }
            let fraction = parts.count == 2 ? parts[1] : "00"
            guard (1...2).contains(fraction.count) else { return nil }
            return Int64(parts[0])! * 100 + Int64(fraction.count == 1 ? fraction + "0" : fraction)!
        }
        if let c = cents(Substring(s)) { return c }
        if s.hasPrefix("-"), cents(s.dropFirst()) != nil { throw Bad(column, "\(column) \(echo(s)) é negativo") }
        let digitsAndDots = s.allSatisfy { $0 == "." || ($0.isASCII && $0.isNumber) }
        let whole = s.prefix { $0 != "." }.count
        if digitsAndDots, whole > 13 {
            throw Bad(column, "\(column) \(echo(s)) é grande demais (no máximo 13 dígitos antes do ponto)")
        }
        if digitsAndDots, s.split(separator: ".", omittingEmptySubsequences: false).count == 2, s.count - whole - 1 > 2
        {
            throw Bad(column, "\(column) \(echo(s)) tem mais de duas casas decimais")
        }
        throw Bad(column, "\(column) \(echo(s)) não é um valor como 1234.56 (ponto decimal, sem separador de milhar)")
    }

    /// `part/total`, each of 1–3 digits (spaces around them allowed, leading zeros dropped),
    /// 1 ≤ part ≤ total.
    static func installment(_ s: String) -> String? {
        let parts = pieces(s, "/", keepingEmpty: true)
        guard parts.count >= 2 else { return nil }
        func number(_ t: String) -> Int? {
            let t = trim(t)
            guard (1...3).contains(t.utf8.count), t.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else {
                return nil
            }
            return Int(t)
        }
        // Everything after the first slash is the total (a second slash makes it no number).
        guard let part = number(parts[0]), let total = number(parts.dropFirst().joined(separator: "/")), part >= 1,
            part <= total
        else { return nil }
        return "\(part)/\(total)"
    }

    /// A digit string of `count` digits; spaces, dots and hyphens are dropped.
    static func digits(_ s: String, column: String, count: Int) throws(Bad) -> String {
        var out = ""
        for c in s {
            if c.isASCII, c.isNumber {
                out.append(c)
            } else if !" .-".contains(c) {
                throw Bad(column, "\(column) \(echo(s)) deve ter só dígitos")
            }
        }
        guard out.count == count else { throw Bad(column, "\(column) tem \(out.count) dígitos; deve ter \(count)") }
        return out
    }

    // MARK: - Text

    /// C0 controls, DEL, C1 controls and the line and paragraph separators.
    static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 32 || u.value == 127 || (0x80...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029
    }

    static func hasControl(_ s: String) -> Bool { s.unicodeScalars.contains(where: isControl) }

    /// Without leading and trailing spaces, tabs, CR and LF.
    static let blanks: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n"]

    static func trim(_ s: String) -> String {
        var scalars = Array(s.unicodeScalars)
        while let f = scalars.first, blanks.contains(f) { scalars.removeFirst() }
        while let l = scalars.last, blanks.contains(l) { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Every control character written as one space, then trimmed.
    static func plain(_ s: String) -> String {
        trim(String(String.UnicodeScalarView(s.unicodeScalars.map { isControl($0) ? " " : $0 })))
    }

    static func checkLength(_ s: String, column: String) throws(Bad) {
        let n = s.unicodeScalars.count
        if n > 200 { throw Bad(column, "\(column) tem mais de 200 caracteres (\(n))") }
    }

    /// A cell quoted in a reason: at most 60 characters, controls escaped, bytes that are not
    /// UTF-8 written `\xHH`.
    static func echo(_ s: String) -> String { echo(bytes: Array(s.utf8)) }

    static func echo(bytes: [UInt8]) -> String {
        var pieces: [String] = []
        if let s = String(validating: bytes, as: UTF8.self) {
            for u in s.unicodeScalars {
                switch u.value {
                case 10: pieces.append("\\n")
                case 13: pieces.append("\\r")
                case 9: pieces.append("\\t")
                case 0..<32, 127: pieces.append(String(format: "\\x%02X", u.value))
                case 0x80...0x9F, 0x2028, 0x2029: pieces.append(String(format: "\\u{%X}", u.value))
                default: pieces.append(String(u))
                }
            }
        } else {
            for b in bytes {
                pieces.append((32..<127).contains(b) ? String(Unicode.Scalar(b)) : String(format: "\\x%02X", b))
            }
        }
        let shown = pieces.prefix(60).joined() + (pieces.count > 60 ? "…" : "")
        return "'" + shown + "'"
    }
}

// MARK: - The CSV layer

extension ReferenceIngest {
    /// One record of a CSV file: where it starts, its cells (those read before a syntax error),
    /// and what is wrong with it.
    struct Record {
        enum Problem: Equatable {
            case unterminatedQuote, strayQuote(Int), cellTooLong(Int), rowTooLong, tooManyFields
        }
        var line: Int
        var cells: [[UInt8]]
        var problem: Problem?
    }

    /// Splits bytes into records, one byte at a time.
    static func records(_ b: [UInt8]) -> [Record] {
        var out: [Record] = []
        var p = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        /// LF, CR LF, or a CR that ends the input: a line end of that many bytes.
        func lineEnd(_ i: Int) -> Int {
            if b[i] == 10 { return 1 }
            if b[i] == 13 { return i + 1 == b.count ? 1 : (b[i + 1] == 10 ? 2 : 0) }
            return 0
        }
        while true {
            while p < b.count, lineEnd(p) > 0 {
                p += lineEnd(p)
                line += 1
            }
            if p >= b.count { return out }
            let start = p
            var record = Record(line: line, cells: [], problem: nil)
            var syntax: Record.Problem?
            cells: while true {
                var cell: [UInt8] = []
                if p < b.count, b[p] == 34 {
                    p += 1
                    var closed = false
                    while p < b.count {
                        if b[p] == 34 {
                            if p + 1 < b.count, b[p + 1] == 34 {
                                cell.append(34)
                                p += 2
                                continue
                            }
                            closed = true
                            p += 1
                            break
                        }
                        if b[p] == 10 { line += 1 }
                        cell.append(b[p])
                        p += 1
                    }
                    guard closed else {
                        syntax = .unterminatedQuote
                        break cells
                    }
                    record.cells.append(cell)
                    if p == b.count { break cells }
                    if b[p] == 44 {
                        p += 1
                        continue cells
                    }
                    if lineEnd(p) > 0 {
                        p += lineEnd(p)
                        line += 1
                        break cells
                    }
                    record.cells.removeLast()
                    syntax = .strayQuote(record.cells.count)
                    break cells
                }
                while p < b.count, b[p] != 44, b[p] != 10 {
                    if b[p] == 34 {
                        syntax = .strayQuote(record.cells.count)
                        break cells
                    }
                    cell.append(b[p])
                    p += 1
                }
                if p < b.count, b[p] == 44 {
                    record.cells.append(cell)
                    p += 1
                    continue cells
                }
                if cell.last == 13 { cell.removeLast() }
                record.cells.append(cell)
                if p < b.count {
                    p += 1
                    line += 1
                }
                break cells
            }
            if let syntax {
                record.problem = syntax
                record.cells = Array(record.cells.prefix(1_000))
                // Reading goes on on the line after the record's first line.
                var q = start
                while q < b.count, b[q] != 10 { q += 1 }
                p = min(q + 1, b.count)
                line = record.line + 1
            } else {
                if let i = record.cells.indices.first(where: { $0 >= 1_000 || record.cells[$0].count > 65_536 }) {
                    record.problem = i >= 1_000 ? .tooManyFields : .cellTooLong(i)
                }
                record.cells = Array(record.cells.prefix(1_000))
                if p - start > 1_048_576 { record.problem = .rowTooLong }
            }
            out.append(record)
        }
    }

    /// A file seen through its header.
    struct Table {
        var rows: [Row]

        static func read(_ bytes: [UInt8], path: String, columns: [String], required: [String]) -> Result<
            Table, RefusalError
        > {
            let records = ReferenceIngest.records(bytes)
            func refuse(_ kind: String, _ message: String) -> Result<Table, RefusalError> {
                .failure(RefusalError(outcome: .refused(path: path, kind: kind, message: message)))
            }
            guard let header = records.first else {
                return refuse(
                    "badHeader", "the file is empty: a header row with \(required.joined(separator: ", ")) is required")
            }
            if let problem = header.problem {
                return refuse(
                    "badHeader", "the header row (line \(header.line)) cannot be read: \(describe(problem))")
            }
            let names = header.cells.map { plain(trim(String(decoding: $0, as: UTF8.self))).lowercased() }
            var index: [String: Int] = [:]
            for (i, name) in names.enumerated() where columns.contains(name) {
                if let earlier = index[name] {
                    return refuse(
                        "badHeader", "column '\(name)' appears twice in the header (cells \(earlier + 1) and \(i + 1))")
                }
                index[name] = i
            }
            let missing = required.filter { index[$0] == nil }
            if !missing.isEmpty {
                let list = missing.map { "'\($0)'" }.joined(separator: ", ")
                return refuse(
                    "missingColumns:" + missing.joined(separator: ","),
                    "the header lacks the required \(missing.count == 1 ? "column" : "columns") \(list)")
            }
            let rows = records.dropFirst().map { record in
                Row(line: record.line, cells: record.cells, index: index, header: names, recordProblem: record.problem)
            }
            return .success(Table(rows: rows))
        }
    }

    /// A refusal of a file as a whole, carried out of ``Table/read(_:path:columns:required:)``.
    struct RefusalError: Error {
        var outcome: Outcome
    }

    static func describe(_ p: Record.Problem) -> String {
        switch p {
        case .unterminatedQuote:
            "uma célula entre aspas nunca é fechada (falta um \"); a leitura continuou na linha seguinte"
        case .strayQuote:
            "aspas (\") soltas numa célula: uma célula com aspas deve estar toda entre aspas, com as aspas internas dobradas (\"\")"
        case .cellTooLong: "uma célula passa de 64 KiB, o limite de uma célula"
        case .rowTooLong: "a linha passa de 1 MiB, o limite de uma linha"
        case .tooManyFields: "a linha tem mais de 1000 células, o limite de uma linha"
        }
    }

    /// One data row: its cells looked up by column name.
    struct Row {
        var line: Int
        var cells: [[UInt8]]
        var index: [String: Int]
        var header: [String]
        var recordProblem: Record.Problem?

        /// Why the row cannot be read as a whole, if so.
        var problem: Bad? {
            if let p = recordProblem {
                switch p {
                case .strayQuote(let i), .cellTooLong(let i):
                    let name =
                        i < header.count ? String(String.UnicodeScalarView(header[i].unicodeScalars.prefix(60))) : ""
                    return Bad(name, describe(p))
                default: return Bad("", describe(p))
                }
            }
            if cells.count != header.count {
                return Bad(
                    "",
                    "a linha tem \(cells.count) células, mas o cabeçalho tem \(header.count) "
                        + "(uma célula com vírgula precisa estar entre aspas)")
            }
            return nil
        }

        /// The trimmed cell as bytes, nil when the column is absent or the cell empty.
        func bytes(_ column: String) -> [UInt8]? {
            guard let i = index[column], i < cells.count else { return nil }
            let s = cells[i]
            let blank = { (c: UInt8) in c == 32 || c == 9 || c == 10 || c == 13 }
            guard let first = s.firstIndex(where: { !blank($0) }) else { return nil }
            let last = s.lastIndex(where: { !blank($0) })!
            return Array(s[first...last])
        }

        /// The trimmed cell as text; bytes that are not UTF-8 refuse the row.
        func text(_ column: String) throws(Bad) -> String? {
            guard let b = bytes(column) else { return nil }
            guard let s = String(validating: b, as: UTF8.self) else {
                throw Bad(
                    column,
                    "\(column) tem bytes que não são UTF-8 \(echo(bytes: b)) "
                        + "(o arquivo foi salvo em Latin-1 ou Windows-1252? exporte em UTF-8)")
            }
            return s
        }

        func required(_ column: String) throws(Bad) -> String {
            guard let s = try text(column) else { throw Bad(column, "\(column) está vazio (é obrigatório)") }
            return s
        }

        /// Free text: at most 200 characters, controls written as spaces; nil when nothing is left.
        func freeText(_ column: String) throws(Bad) -> String? {
            guard let s = try text(column) else { return nil }
            try checkLength(s, column: column)
            let p = plain(s)
            return p.isEmpty ? nil : p
        }

        /// A key cell: required, no control character, no `;` or `,`, at most 100 characters.
        func keyOrReason(_ column: String) -> Result<String, Bad> {
            Result { () throws(Bad) in
                let s = try required(column)
                if hasControl(s) {
                    throw Bad(column, "\(column) \(echo(s)) tem um caractere de controle (quebra de linha, tabulação…)")
                }
                if s.unicodeScalars.contains(";") || s.unicodeScalars.contains(",") {
                    throw Bad(
                        column,
                        "\(column) \(echo(s)) tem ';' ou ',', que os arquivos de saída usam para separar códigos")
                }
                if s.unicodeScalars.count > 100 { throw Bad(column, "\(column) tem mais de 100 caracteres") }
                return s
            }
        }

        /// The key when it can be read, even in a row refused as a whole.
        func key(_ column: String) -> String? { try? keyOrReason(column).get() }
    }
}
