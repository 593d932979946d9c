/// The banks whose CNAB 240 cobrança dialect Regua writes.
enum CNAB240Dialect: Sendable {
    case bancoDoBrasil, itau

    init(bankCode: String) throws {
        switch bankCode {
        case "001": self = .bancoDoBrasil
        case "341": self = .itau
        default:
            throw BankError(
                "CNAB 240 remittance for bank \(bankCode) is not supported (only 001 Banco do Brasil and 341 Itaú)")
        }
    }

    /// Bank name, positions 103–132 of the file header.
    var bankName: String { self == .bancoDoBrasil ? "BANCO DO BRASIL S.A." : "BANCO ITAU SA" }
    /// File layout version, 164–166 (BB: laravel-boleto `Bb.php`; Itaú: its manual via brcobranca).
    var fileLayoutVersion: String { self == .bancoDoBrasil ? "084" : "040" }
    /// Batch layout version, 14–16.
    var batchLayoutVersion: String { self == .bancoDoBrasil ? "042" : "030" }

    /// Movement code (16–17) of an instruction; stop protest is BB's 10 ("cancela/susta a
    /// instrução de protesto") and Itaú's 18 ("sustar o protesto"): see BANKING-NOTES.md.
    func movement(_ i: RemittanceInstruction) -> String {
        switch i {
        case .register: return "01"
        case .writeOff: return "02"
        case .changeDue: return "06"
        case .protest: return "09"
        case .stopProtest: return self == .bancoDoBrasil ? "10" : "18"
        }
    }
}

/// An item checked and turned into field values, before any byte is written.
struct PreparedRemittanceItem {
    var movement: String
    /// BB: the 17-digit nosso número; Itaú: the 8 digits.
    var nossoNumero: String
    var itauNossoNumeroDAC: String
    var titleID: String
    var dueDate: Day
    var issueDate: Day
    var amountCents: Int64
    var interestPerDayCents: Int64
    /// Segment R: (code 1 amount / 2 percentage, value in cents or hundredths of a percent).
    var lateFee: (code: String, value: Int64)?
    var payerKind: String
    var payerDocument: String
    var payerName: String
    var address: String
    var district: String
    var zip: String?
    var city: String
    var state: String

    var detailCount: Int { lateFee == nil ? 2 : 3 }
}

/// Writes the records of one remittance file for one account.
struct CNAB240Writer {
    let dialect: CNAB240Dialect
    let parts: BankAccountParts
    let company: Company
    let nsa: Int
    let date: Day
    /// Agency/account check digits as the dialect writes them.
    let agencyDigit: String
    let accountDigit: String
    /// BB only: carteira, variation.
    let walletBB: String
    let variationBB: String
    /// The carteira variation used when the rule book gives none.
    static let defaultVariationBB = "019"

    init(bank: BankAccount, company: Company, nsa: Int, date: Day) throws {
        parts = try bank.cnabParts()
        dialect = try CNAB240Dialect(bankCode: parts.bank)
        guard (1...999_999).contains(nsa) else {
            throw BankError("remittance sequence number (NSA) \(nsa) must be between 1 and 999999")
        }
        self.company = company
        self.nsa = nsa
        self.date = date
        switch dialect {
        case .bancoDoBrasil:
            guard parts.agreement.count == 7 || parts.agreement.count == 8 else {
                throw BankError(
                    "Banco do Brasil remittance needs a convênio of 7 or 8 digits (nosso número of 17); got \"\(parts.agreement)\""
                )
            }
            // BB wants the carteira variation in the header. A book that gives only the carteira
            // ("17", as SPEC's example does) gets 019, the variation BB assigns by default to
            // carteira 17 cobrança simples; `wallet: "17-027"` states another one.
            let variation = parts.walletVariation ?? Self.defaultVariationBB
            walletBB = try Boleto.fit(parts.wallet, 2, "Banco do Brasil carteira")
            variationBB = try Boleto.fit(variation, 3, "Banco do Brasil carteira variation")
            _ = try Boleto.fit(parts.agency, 5, "agency")
            _ = try Boleto.fit(parts.account, 12, "account")
            agencyDigit = parts.agencyDigit ?? CheckDigits.mod11BancoDoBrasil(parts.agency) ?? "0"
            accountDigit = parts.accountDigit ?? CheckDigits.mod11BancoDoBrasil(parts.account) ?? "0"
        case .itau:
            _ = try Boleto.itauWallet(parts)
            accountDigit = try Boleto.itauAccountDAC(parts)
            agencyDigit = ""
            walletBB = ""
            variationBB = ""
        }
    }

    // MARK: Items

    /// Checks an item and computes its field values; throws naming the title.
    func prepare(_ item: RemittanceItem) throws -> PreparedRemittanceItem {
        let t = item.title
        func fail(_ m: String) -> BankError { BankError("title \(t.id.raw): \(m)") }
        guard let rawNN = t.nossoNumero?.filter({ $0 != " " && $0 != "." && $0 != "-" }), !rawNN.isEmpty else {
            throw fail("no nosso_numero; a bank instruction needs the boleto's number")
        }
        guard rawNN.allSatisfy(\.isASCIIDigit) else { throw fail("nosso_numero \"\(rawNN)\" must be digits") }
        var nn = ""
        var dac = ""
        do {
            switch dialect {
            case .bancoDoBrasil:
                nn = try Boleto.bbNossoNumero17(parts, rawNN)
            case .itau:
                let rawNN = Boleto.dropPaddingZeros(rawNN, to: 8)
                guard rawNN.count <= 8 else {
                    throw BankError("nosso_numero \(rawNN) is too long: Itaú takes 8 digits")
                }
                nn = String(repeating: "0", count: 8 - rawNN.count) + rawNN
                let wallet = try Boleto.fit(parts.wallet, 3, "Itaú carteira")
                dac = String(
                    Boleto.itauNossoNumeroDAC(
                        agency: try Boleto.fit(parts.agency, 4, "agency"),
                        account: try Boleto.fit(parts.account, 5, "account"),
                        wallet: wallet, nossoNumero: nn))
            }
        } catch let e as BankError {
            throw fail(e.message)
        }
        let outstanding = t.outstanding
        if item.instruction == .register && outstanding.cents <= 0 {
            throw fail("nothing outstanding to register")
        }
        let amount = outstanding.cents > 0 ? outstanding : t.amount
        guard amount.cents <= 999_999_999_999_999 else {
            throw fail("amount \(amount.br) does not fit the 15 digits of positions 86–100")
        }
        let perDay = item.interestPercentMonth.applied(to: amount, times: 1, over: 30)

        var lateFee: (String, Int64)? = nil
        if item.instruction == .register && item.lateFeePercent.micros > 0 {
            // Percent with two decimals when exact (2.0% → 200); otherwise the exact amount.
            if item.lateFeePercent.micros % 10_000 == 0 {
                lateFee = ("2", item.lateFeePercent.micros / 10_000)
            } else {
                lateFee = ("1", item.lateFeePercent.applied(to: amount).cents)
            }
        }

        let c = item.customer
        let a = c.address
        var street = [a.street, a.number].compactMap { $0 }.joined(separator: ", ")
        if let comp = a.complement { street += " " + comp }
        let zipDigits = a.zip?.filter(\.isASCIIDigit)
        return PreparedRemittanceItem(
            movement: dialect.movement(item.instruction),
            nossoNumero: nn,
            itauNossoNumeroDAC: dac,
            titleID: t.id.raw,
            dueDate: item.dueDate,
            issueDate: t.issueDate ?? min(date, item.dueDate),
            amountCents: amount.cents,
            interestPerDayCents: perDay.cents,
            lateFee: lateFee.map { (code: $0.0, value: $0.1) },
            payerKind: c.document.kind == .cpf ? "1" : "2",
            payerDocument: c.document.value,
            payerName: c.name,
            address: street,
            district: a.district ?? "",
            zip: zipDigits?.count == 8 ? zipDigits : nil,
            city: a.city ?? "",
            state: a.state ?? "")
    }

    /// Segments P, Q (and R) of one item, numbered from `firstSequence` inside the batch.
    func details(_ p: PreparedRemittanceItem, batch: Int, firstSequence: Int) throws -> [CNABRecord] {
        var out = [
            try segmentP(p, batch: batch, sequence: firstSequence),
            try segmentQ(p, batch: batch, sequence: firstSequence + 1),
        ]
        if let fee = p.lateFee {
            out.append(try segmentR(p, fee: fee, batch: batch, sequence: firstSequence + 2))
        }
        return out
    }

    // MARK: Common parts

    /// Positions 1–17 of a detail record: bank, batch, `3`, sequence, segment, blank, movement.
    func detailStart(_ segment: String, _ p: PreparedRemittanceItem, batch: Int, sequence: Int) throws -> CNABRecord {
        var r = CNABRecord()
        try r.digits(1, 3, parts.bank, "bank code")
        try r.num(4, 7, Int64(batch), "batch number")
        try r.literal(8, 8, "3")
        try r.num(9, 13, Int64(sequence), "detail sequence")
        try r.literal(14, 14, segment)
        try r.literal(16, 17, p.movement, "movement code")
        return r
    }

    /// Company registration type (18) and number (19–32 file header, 19–33 batch header).
    func companyDocument(_ r: inout CNABRecord, to end: Int) throws {
        try r.literal(18, 18, company.document.kind == .cpf ? "1" : "2")
        try r.digits(19, end, company.document.value, "company document", letters: true)
    }

    /// Batch trailer (5): 18–23 records in the batch including its header and trailer.
    func batchTrailer(batch: Int, records: Int) throws -> CNABRecord {
        var r = CNABRecord()
        try r.digits(1, 3, parts.bank, "bank code")
        try r.num(4, 7, Int64(batch), "batch number")
        try r.literal(8, 8, "5")
        try r.num(18, 23, Int64(records), "records in batch")
        return r
    }

    /// File trailer (9): 4–7 `9999`, 18–23 batches, 24–29 records of every type.
    func fileTrailer(batches: Int, records: Int) throws -> CNABRecord {
        var r = CNABRecord()
        try r.digits(1, 3, parts.bank, "bank code")
        try r.literal(4, 7, "9999")
        try r.literal(8, 8, "9")
        try r.num(18, 23, Int64(batches), "batches in file")
        try r.num(24, 29, Int64(records), "records in file")
        return r
    }
}
