/// Where each bank puts what Regua reads in a return file, and what its movement codes mean.
struct CNAB240ReturnDialect {
    enum Bank { case bancoDoBrasil, itau, caixa }
    let bank: Bank

    init(bankCode: String, path: String) throws {
        switch bankCode {
        case "001": bank = .bancoDoBrasil
        case "341": bank = .itau
        case "104": bank = .caixa
        default:
            throw BankError(
                "return files of bank \(bankCode) are not supported (001 Banco do Brasil, 341 Itaú, 104 Caixa)",
                path: path)
        }
    }

    /// Settlement codes: FEBRABAN C044 06 and 17 (after write-off); Caixa adds 46; Itaú's own
    /// table has 06 normal, 08 at the notary, 10 written off as settled (its 17 is a rejection).
    func kind(_ movement: String) -> ReturnEventKind {
        switch (bank, movement) {
        case (_, "02"): return .entryConfirmed
        case (_, "03"): return .entryRejected
        case (_, "06"): return .settlement
        case (_, "09"): return .writtenOff
        case (.itau, "08"), (.itau, "10"): return .settlement
        case (.itau, "32"): return .protested
        case (.bancoDoBrasil, "17"), (.caixa, "17"), (.caixa, "46"): return .settlement
        case (.bancoDoBrasil, "25"), (.caixa, "25"): return .protested
        default: return .other
        }
    }

    /// Nosso número in segment T.
    var nossoNumero: ClosedRange<Int> {
        switch bank {
        case .bancoDoBrasil: 38...57
        case .itau: 41...48
        case .caixa: 40...56
        }
    }

    /// Seu número (document number) in segment T.
    var seuNumero: ClosedRange<Int> {
        switch bank {
        case .bancoDoBrasil: 59...73
        case .itau: 59...68
        case .caixa: 59...69
        }
    }

    /// Reason codes in segment T.
    var reasons: ClosedRange<Int> { bank == .itau ? 214...221 : 214...223 }
}

/// Walks the records of a return file and checks its structure.
struct CNAB240ReturnReader {
    let path: String
    let parts: BankAccountParts
    let dialect: CNAB240ReturnDialect
    let lines: [ArraySlice<UInt8>]

    struct Result {
        var agreement: String
        var nsa: Int
        var date: Day?
        var events: [ReturnEvent]
    }

    private func fail(_ message: String, _ line: Int) -> BankError { BankError(message, path: path, line: line) }

    /// Text of positions `r` (1-based, inclusive) of record `i` (0-based).
    private func text(_ i: Int, _ r: ClosedRange<Int>) -> String {
        let rec = lines[i]
        return String(
            decoding: rec[(rec.startIndex + r.lowerBound - 1)...(rec.startIndex + r.upperBound - 1)], as: UTF8.self)
    }

    private func number(_ i: Int, _ r: ClosedRange<Int>, _ what: String) throws -> Int64 {
        let t = text(i, r)
        guard t.allSatisfy(\.isASCIIDigit), let v = Int64(t) else {
            throw fail("\(what) (positions \(r.lowerBound)–\(r.upperBound)) is \"\(t)\", not a number", i + 1)
        }
        return v
    }

    private func day(_ i: Int, _ start: Int, _ what: String) throws -> Day? {
        let t = text(i, start...(start + 7))
        if t == "00000000" || t == "        " { return nil }
        let u = Array(t.utf8)
        guard u.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let d = Day(
                year: Int(t.suffix(4))!, month: Int(u[2] - 48) * 10 + Int(u[3] - 48),
                day: Int(u[0] - 48) * 10 + Int(u[1] - 48))
        else {
            throw fail("\(what) (positions \(start)–\(start + 7)) is \"\(t)\", not a DDMMYYYY date", i + 1)
        }
        return d
    }

    private func sameNumber(_ a: String, _ b: String) -> Bool {
        a.drop(while: { $0 == "0" }) == b.drop(while: { $0 == "0" })
    }

    /// Digits without leading zeros, for messages.
    private func plain(_ s: String) -> String {
        let t = trimmed(s).drop(while: { $0 == "0" })
        return t.isEmpty ? "0" : String(t)
    }

    private func trimmed(_ s: String) -> String {
        var t = Substring(s)
        while t.first == " " { t.removeFirst() }
        while t.last == " " { t.removeLast() }
        return String(t)
    }

    func read() throws -> Result {
        try checkHeader()
        var events: [ReturnEvent] = []
        var batches = 0
        var batchStart: Int? = nil
        var pendingT: Int? = nil
        var i = 1
        while i < lines.count {
            let line = i + 1
            let code = text(i, 1...3)
            guard code == parts.bank else { throw fail("record of bank \(code) in a file of bank \(parts.bank)", line) }
            let type = text(i, 8...8)
            switch type {
            case "1":
                guard batchStart == nil else {
                    throw fail("batch header inside a batch (a batch trailer is missing)", line)
                }
                batchStart = i
            case "3":
                guard batchStart != nil else { throw fail("detail record outside a batch", line) }
                let segment = text(i, 14...14)
                if let t = pendingT {
                    guard segment == "U" else { throw fail("segment T at line \(t + 1) has no segment U", t + 1) }
                    events.append(try event(t: t, u: i))
                    pendingT = nil
                } else if segment == "T" {
                    pendingT = i
                } else if segment == "U" {
                    throw fail("segment U without its segment T", line)
                }
            case "5":
                guard let start = batchStart else { throw fail("batch trailer outside a batch", line) }
                if let t = pendingT { throw fail("segment T at line \(t + 1) has no segment U", t + 1) }
                let declared = try number(i, 18...23, "record count")
                let actual = i - start + 1
                guard declared == actual else {
                    throw fail("batch trailer counts \(declared) records; the batch has \(actual)", line)
                }
                batches += 1
                batchStart = nil
            case "9":
                if let t = pendingT { throw fail("segment T at line \(t + 1) has no segment U", t + 1) }
                guard batchStart == nil else {
                    throw fail("file trailer inside a batch (the batch trailer is missing)", line)
                }
                guard i == lines.count - 1 else { throw fail("records after the file trailer", line + 1) }
                let declaredBatches = try number(i, 18...23, "batch count")
                let declaredRecords = try number(i, 24...29, "record count")
                guard declaredBatches == batches else {
                    throw fail("file trailer counts \(declaredBatches) batches; the file has \(batches)", line)
                }
                guard declaredRecords == lines.count else {
                    throw fail("file trailer counts \(declaredRecords) records; the file has \(lines.count)", line)
                }
                return Result(
                    agreement: agreement(), nsa: Int(try number(0, 158...163, "file sequence")),
                    date: try day(0, 144, "file date"), events: events)
            case "0":
                throw fail("a second file header", line)
            default:
                guard batchStart != nil else { throw fail("record of type \"\(type)\" outside a batch", line) }
            }
            i += 1
        }
        if let t = pendingT { throw fail("segment T at line \(t + 1) has no segment U", t + 1) }
        throw fail("no file trailer: the file is truncated", lines.count)
    }

    private func agreement() -> String {
        switch dialect.bank {
        case .bancoDoBrasil: String(text(0, 33...41).drop(while: { $0 == "0" }))
        case .caixa: String(text(0, 59...64).drop(while: { $0 == "0" }))
        case .itau: ""
        }
    }

    /// The file header: type, bank, return (not remittance), agreement, agency and account.
    private func checkHeader() throws {
        guard text(0, 8...8) == "0", text(0, 4...7) == "0000" else {
            throw fail("the first record is not a file header (type 0, batch 0000)", 1)
        }
        let code = text(0, 1...3)
        guard code == parts.bank else {
            throw fail("the file is from bank \(code); the account configured is at bank \(parts.bank)", 1)
        }
        guard text(0, 143...143) == "2" else {
            throw fail(
                "position 143 is \"\(text(0, 143...143))\", not 2: this is not a return file (1 is a remittance)", 1)
        }
        let (agency, account, agreementText): (String, String?, String?)
        switch dialect.bank {
        case .bancoDoBrasil: (agency, account, agreementText) = (text(0, 53...57), text(0, 59...70), text(0, 33...41))
        case .itau: (agency, account, agreementText) = (text(0, 54...57), text(0, 66...70), nil)
        case .caixa: (agency, account, agreementText) = (text(0, 53...57), nil, text(0, 59...64))
        }
        guard sameNumber(agency, parts.agency) else {
            throw fail("the file is for agency \(plain(agency)), not the configured \(plain(parts.agency))", 1)
        }
        if let acc = account, !sameNumber(acc, parts.account) {
            throw fail("the file is for account \(plain(acc)), not the configured \(plain(parts.account))", 1)
        }
        if let ag = agreementText, !sameNumber(ag, parts.agreement) {
            throw fail("the file is for convênio \(plain(ag)), not the configured \(plain(parts.agreement))", 1)
        }
    }

    private func event(t: Int, u: Int) throws -> ReturnEvent {
        let movement = text(t, 16...17)
        guard movement.allSatisfy(\.isASCIIDigit) else {
            throw fail("movement code \"\(movement)\" is not two digits", t + 1)
        }
        let own = trimmed(text(t, 106...130))
        let seu = trimmed(text(t, dialect.seuNumero))
        let reasonText = Array(text(t, dialect.reasons))
        var reasons: [String] = []
        for k in stride(from: 0, to: reasonText.count - 1, by: 2) {
            let r = String(reasonText[k...(k + 1)])
            if r != "00" && r != "  " { reasons.append(trimmed(r)) }
        }
        let paid = try number(u, 78...92, "amount paid")
        return ReturnEvent(
            nossoNumero: trimmed(text(t, dialect.nossoNumero)),
            titleID: own.isEmpty ? (seu.isEmpty ? nil : seu) : own,
            movement: movement,
            kind: dialect.kind(movement),
            dueDate: try day(t, 74, "due date"),
            amount: Money(cents: try number(t, 82...96, "title amount")),
            paidAmount: paid > 0 ? Money(cents: paid) : nil,
            occurrenceDate: try day(u, 138, "occurrence date"),
            creditDate: try day(u, 146, "credit date"),
            reasons: reasons)
    }
}
