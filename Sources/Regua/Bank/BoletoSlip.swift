import Foundation

/// What a boleto's *ficha de compensação* prints (FEBRABAN layout): the bank and its code with
/// check digit, the linha digitável and barcode, the beneficiary, the payer, the dates and
/// amounts, and the instructions. Built for each title with a nosso número (from the bank
/// stage) or with an ERP-issued barcode or linha digitável.
public struct BoletoSlip: Sendable, Hashable {
    /// Three-digit bank code, `001`.
    public var bankCode: String
    /// The bank's name for the logo area, `Banco do Brasil S.A.` (the code when unknown).
    public var bankName: String
    /// The 44-digit barcode, drawn as Interleaved 2 of 5.
    public var barcode: String
    /// `00190.00009 01238.798779 77700.168188 2 37690000013500`.
    public var linhaDigitavel: String
    /// The title's due date (the barcode's).
    public var dueDate: Day
    /// Valor do documento: the barcode's amount (the title's outstanding when it says none).
    public var amount: Money
    /// Beneficiário: the company's name and CNPJ (formatted).
    public var beneficiaryName: String, beneficiaryDocument: String
    /// The beneficiary's address, when the book has one.
    public var beneficiaryAddress: String?
    /// `1234 / 56789-0`: agency and account (código do beneficiário) of the book's bank; empty
    /// for an ERP boleto of another bank.
    public var agencyCode: String
    /// The nosso número as the title gives it (empty for an ERP boleto without one).
    public var nossoNumero: String
    /// Número do documento: the title id (and installment).
    public var documentNumber: String
    /// Data do documento (the title's issue date, or the as-of date) and data do processamento.
    public var documentDate: Day, processingDate: Day
    /// Carteira (empty when unknown).
    public var wallet: String
    /// Instruções: multa and juros in words, and the updated amount of today.
    public var instructions: [String]
    /// Pagador: name, CPF/CNPJ (formatted) and address lines.
    public var payerName: String, payerDocument: String, payerAddress: [String]
    /// The title id, for the attachment's file name.
    public var titleID: String

    /// The bank's code and check digit, `001-9`: módulo 11 of the code, weights 2…4 from the
    /// right, 10 and 11 written 0 (Banco do Brasil 001-9, Itaú 341-7, Caixa 104-0).
    public var bankCodeWithDigit: String {
        let digits = bankCode.utf8.map { Int($0) - 48 }
        var sum = 0
        for (i, d) in digits.reversed().enumerated() { sum += d * (2 + i % 8) }
        let dv = 11 - sum % 11
        return bankCode + "-" + String(dv >= 10 ? 0 : dv)
    }

    /// Names of the banks Regua issues for or that often appear on ERP boletos.
    static let bankNames: [String: String] = [
        "001": "Banco do Brasil S.A.", "033": "Banco Santander (Brasil) S.A.", "104": "Caixa Econômica Federal",
        "237": "Banco Bradesco S.A.", "341": "Itaú Unibanco S.A.", "748": "Banco Cooperativo Sicredi S.A.",
        "756": "Banco Cooperativo do Brasil S.A. (Sicoob)", "077": "Banco Inter S.A.", "260": "Nu Pagamentos S.A.",
    ]

    /// The slip of a title, or nil when it has no boleto: the bank stage's codes first, else
    /// the ERP's barcode or linha digitável (each gives the other).
    public static func make(
        title t: DunnedTitle, customer: Customer, company: Company, bank: BankAccount?, policy: Policy, asOf: Day
    ) -> BoletoSlip? {
        let erpBarcode = t.title.barcode ?? t.title.linhaDigitavel.flatMap(Boleto.barcode(fromLinha:))
        guard let barcode = t.barcode ?? erpBarcode, Boleto.validate(barcode: barcode),
            let linha = Boleto.linha(fromBarcode: barcode), let formatted = Boleto.format(linha: linha)
        else { return nil }
        let code = String(barcode.prefix(3))
        let cents = Int64(barcode.dropFirst(9).prefix(10)) ?? 0
        let amount = cents > 0 ? Money(cents: cents) : t.outstanding
        var agencyCode = "", wallet = ""
        if let bank, bank.code == code {
            let agency = bank.agency + (bank.agencyDigit.map { "-" + $0 } ?? "")
            let account = bank.account + (bank.accountDigit.map { "-" + $0 } ?? "")
            agencyCode = agency + " / " + account
            wallet = bank.wallet
        }
        var document = t.title.id.raw
        if let i = t.title.installment { document += " (" + i + ")" }
        return BoletoSlip(
            bankCode: code, bankName: bankNames[code] ?? "Banco " + code, barcode: barcode,
            linhaDigitavel: formatted, dueDate: t.title.dueDate, amount: amount,
            beneficiaryName: company.name, beneficiaryDocument: company.document.formatted,
            beneficiaryAddress: company.address, agencyCode: agencyCode, nossoNumero: t.title.nossoNumero ?? "",
            documentNumber: document, documentDate: t.title.issueDate ?? asOf, processingDate: asOf, wallet: wallet,
            instructions: instructions(title: t, amount: amount, policy: policy, asOf: asOf),
            payerName: customer.name, payerDocument: customer.document.formatted,
            payerAddress: customer.address.lines, titleID: t.title.id.raw)
    }

    /// The slips of every title of a message that has a boleto, in the message's order.
    public static func slips(
        for m: PlannedMessage, company: Company, bank: BankAccount?, policy: Policy, asOf: Day
    ) -> [BoletoSlip] {
        m.titles.compactMap {
            make(title: $0, customer: m.customer, company: company, bank: bank, policy: policy, asOf: asOf)
        }
    }

    /// Multa and juros in words, with their amounts on this slip's value, then what the title
    /// owes today when it is overdue.
    static func instructions(title t: DunnedTitle, amount: Money, policy: Policy, asOf: Day) -> [String] {
        let fee = policy.lateFeePercent.applied(to: amount)
        let perDay = policy.interestPercentMonth.applied(to: amount, times: 1, over: 30)
        var out: [String] = []
        switch (policy.lateFeePercent.micros > 0, policy.interestPercentMonth.micros > 0) {
        case (true, true):
            out.append(
                "Após o vencimento, cobrar multa de \(BrazilianFormat.percent(policy.lateFeePercent)) (\(fee.br)) "
                    + "e juros de mora de \(BrazilianFormat.percent(policy.interestPercentMonth)) ao mês "
                    + "(\(perDay.br) por dia de atraso).")
        case (true, false):
            out.append(
                "Após o vencimento, cobrar multa de \(BrazilianFormat.percent(policy.lateFeePercent)) (\(fee.br)); "
                    + "sem juros de mora.")
        case (false, true):
            out.append(
                "Após o vencimento, cobrar juros de mora de \(BrazilianFormat.percent(policy.interestPercentMonth)) "
                    + "ao mês (\(perDay.br) por dia de atraso); sem multa.")
        case (false, false):
            out.append("Não cobrar multa nem juros após o vencimento.")
        }
        if t.daysOverdue > 0 {
            out.append("Valor atualizado em \(asOf.br), com multa e juros: \(t.updatedAmount.br).")
        }
        return out
    }

    /// `boleto-<title>.pdf`, safe whatever the title id holds: ASCII letters, digits, `-` and
    /// `_` kept (accents dropped to their base letter), anything else (dots, separators,
    /// controls) `_`, at most 60 characters of id (a hash of the whole id is added when it was cut or changed,
    /// so two titles never share a name).
    public static func fileName(titleID: String) -> String {
        // An ASCII id (most are) is its own canonical decomposition: Foundation's is skipped,
        // which showed in the night's profile (once per boleto attached).
        fileName(titleID: titleID, decomposed: ASCIIBytes.isASCII(titleID) ? titleID : nil)
    }

    /// ``fileName(titleID:)`` from the id's canonical decomposition, made here when not given:
    /// with `decomposed: nil` always, the plain twin the tests hold the ASCII shortcut to.
    static func fileName(titleID: String, decomposed: String?) -> String {
        var kept = ""
        for ch in (decomposed ?? titleID.decomposedStringWithCanonicalMapping).unicodeScalars {
            if ch.properties.generalCategory == .nonspacingMark { continue }
            let v = ch.value
            let ok = (48...57).contains(v) || (65...90).contains(v) || (97...122).contains(v) || v == 45 || v == 95
            kept.unicodeScalars.append(ok ? ch : "_")
        }
        var name = String(kept.prefix(60))
        if name != titleID || name.isEmpty {
            name += (name.isEmpty ? "" : "-") + String(Hashing.sha256Hex(titleID).prefix(8))
        }
        return "boleto-" + name + ".pdf"
    }
}
