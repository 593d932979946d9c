/// The header and segment layouts of each dialect. Positions are the manuals' (1-based,
/// inclusive); unwritten positions stay blank. Sources per field: docs/BANKING-NOTES.md.
extension CNAB240Writer {
    /// File header (record type 0).
    func fileHeader() throws -> CNABRecord {
        var r = CNABRecord()
        try r.digits(1, 3, parts.bank, "bank code")
        try r.literal(4, 7, "0000")
        try r.literal(8, 8, "0")
        try companyDocument(&r, to: 32)
        try companyAccount(&r, at: 33)
        try r.alpha(73, 102, company.name, "company name")
        try r.alpha(103, 132, dialect.bankName)
        try r.literal(143, 143, "1")
        try r.date(144, date, "file date")
        try r.zeros(152, 157)  // time: fixed so that a rerun is byte-identical
        try r.num(158, 163, Int64(nsa), "file sequence (NSA)")
        try r.literal(164, 166, dialect.fileLayoutVersion)
        try r.zeros(167, 171)
        if dialect == .itau { try r.zeros(226, 228) }
        return r
    }

    /// Batch header (record type 1), operation `R`, service `01` cobrança.
    func batchHeader(batch: Int) throws -> CNABRecord {
        var r = CNABRecord()
        try r.digits(1, 3, parts.bank, "bank code")
        try r.num(4, 7, Int64(batch), "batch number")
        try r.literal(8, 8, "1")
        try r.literal(9, 9, "R")
        try r.literal(10, 11, "01")
        if dialect == .itau { try r.zeros(12, 13) }
        try r.literal(14, 16, dialect.batchLayoutVersion)
        try companyDocument(&r, to: 33)
        try companyAccount(&r, at: 34)
        try r.alpha(74, 103, company.name, "company name")
        try r.num(184, 191, Int64(nsa), "remittance number")
        try r.date(192, date, "recording date")
        try r.zeros(200, 207)
        return r
    }

    /// Segment P: the title.
    func segmentP(_ p: PreparedRemittanceItem, batch: Int, sequence: Int) throws -> CNABRecord {
        var r = try detailStart("P", p, batch: batch, sequence: sequence)
        switch dialect {
        case .bancoDoBrasil:
            try r.digits(18, 22, parts.agency, "agency")
            try r.literal(23, 23, agencyDigit)
            try r.digits(24, 35, parts.account, "account")
            try r.literal(36, 36, accountDigit)
            try r.alpha(38, 57, p.nossoNumero, "nosso número")  // left-aligned, blanks after
            // 1 simples (carteiras 11/12), 7 carteira 17 simples (BB Particularidades, via brcobranca).
            try r.literal(58, 58, walletBB == "17" ? "7" : "1")
            try r.literal(59, 59, "1")  // registered
            try r.literal(60, 60, "2")
            try r.literal(61, 62, "00")  // emission/distribution: not read by BB
            try r.alpha(63, 77, p.titleID, "seu número")
        case .itau:
            try r.zeros(18, 18)
            try r.digits(19, 22, parts.agency, "agency")
            try r.zeros(24, 30)
            try r.digits(31, 35, parts.account, "account")
            try r.literal(37, 37, accountDigit)
            try r.digits(38, 40, parts.wallet, "carteira")
            try r.digits(41, 48, p.nossoNumero, "nosso número")
            try r.literal(49, 49, p.itauNossoNumeroDAC)
            try r.zeros(58, 62)
            try r.alpha(63, 72, p.titleID, "seu número")
        }
        try r.date(78, p.dueDate, "due date")
        try r.num(86, 100, p.amountCents, "amount")
        try r.zeros(101, 105)
        if dialect == .itau { try r.zeros(106, 106) }
        try r.literal(107, 108, dialect == .bancoDoBrasil ? "02" : "01")  // duplicata mercantil in each bank's table
        try r.literal(109, 109, "N")
        try r.date(110, p.issueDate, "issue date")
        let interest = p.interestPerDayCents > 0
        switch dialect {
        case .bancoDoBrasil: try r.literal(118, 118, interest ? "1" : "3")  // 1 amount per day, 3 exempt
        case .itau: try r.zeros(118, 118)
        }
        try r.date(119, interest ? p.dueDate.adding(days: 1) : nil, "interest date")
        try r.num(127, 141, p.interestPerDayCents, "interest per day")
        try r.zeros(142, 195)  // discount code/date/amount, IOF, rebate
        try r.alpha(196, 220, p.titleID, "company's own id")
        try r.literal(221, 223, "300")  // 3 = do not protest: protest is a ladder step (movement 09)
        switch dialect {
        case .bancoDoBrasil:
            try r.zeros(224, 227)
            try r.literal(228, 229, "09")
            try r.zeros(230, 239)
        case .itau:
            try r.zeros(224, 239)
        }
        return r
    }

    /// Segment Q: the payer.
    func segmentQ(_ p: PreparedRemittanceItem, batch: Int, sequence: Int) throws -> CNABRecord {
        var r = try detailStart("Q", p, batch: batch, sequence: sequence)
        try r.literal(18, 18, p.payerKind)
        try r.digits(19, 33, p.payerDocument, "payer document", letters: true)
        try r.alpha(34, dialect == .bancoDoBrasil ? 73 : 63, p.payerName, "payer name")
        try r.alpha(74, 113, p.address, "payer address")
        try r.alpha(114, 128, p.district, "payer district")
        if let zip = p.zip {
            try r.digits(129, 136, zip, "payer CEP")
        } else {
            try r.zeros(129, 136)
        }
        try r.alpha(137, 151, p.city, "payer city")
        try r.alpha(152, 153, p.state, "payer UF")
        try r.zeros(154, 169)  // no guarantor: type 0, document zeros
        try r.zeros(210, 212)
        return r
    }

    /// Segment R: the late fee (multa) from the day after the due date.
    func segmentR(_ p: PreparedRemittanceItem, fee: (code: String, value: Int64), batch: Int, sequence: Int) throws
        -> CNABRecord
    {
        var r = try detailStart("R", p, batch: batch, sequence: sequence)
        try r.zeros(18, 65)  // discounts 2 and 3
        try r.literal(66, 66, fee.code)
        try r.date(67, p.dueDate.adding(days: 1), "late fee date")
        try r.num(75, 89, fee.value, "late fee")
        try r.zeros(200, 215)
        try r.zeros(217, 228)
        try r.zeros(231, 231)
        return r
    }

    // MARK: Account fields

    /// The company's bank identity, the same 40 positions in the file header (from 33) and the
    /// batch header (from 34): BB's agreement, then agency (5) + digit and account (12) + digit;
    /// Itaú's 20 blank positions, then its account block.
    private func companyAccount(_ r: inout CNABRecord, at start: Int) throws {
        switch dialect {
        case .bancoDoBrasil:
            try bbAgreement(&r, at: start)
            try r.digits(start + 20, start + 24, parts.agency, "agency")
            try r.literal(start + 25, start + 25, agencyDigit)
            try r.digits(start + 26, start + 37, parts.account, "account")
            try r.literal(start + 38, start + 38, accountDigit)
        case .itau:
            try itauAccount(&r, at: start + 20)
        }
    }

    /// BB's 20-position agreement: convênio (9), `0014` cobrança cedente, carteira (2),
    /// variation (3), two blanks.
    private func bbAgreement(_ r: inout CNABRecord, at start: Int) throws {
        try r.digits(start, start + 8, parts.agreement, "convênio")
        try r.literal(start + 9, start + 12, "0014")
        try r.literal(start + 13, start + 14, walletBB)
        try r.literal(start + 15, start + 17, variationBB)
    }

    /// Itaú's 20 positions: `0`, agency (4), blank, zeros (7), account (5), blank, DAC.
    private func itauAccount(_ r: inout CNABRecord, at start: Int) throws {
        try r.zeros(start, start)
        try r.digits(start + 1, start + 4, parts.agency, "agency")
        try r.zeros(start + 6, start + 12)
        try r.digits(start + 13, start + 17, parts.account, "account")
        try r.literal(start + 19, start + 19, accountDigit)
    }
}
