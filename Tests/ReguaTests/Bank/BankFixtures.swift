@testable import Regua

/// Accounts, people and record helpers shared by the bank tests.
enum BankFixtures {
    static let company = Company(
        name: "Exemplo Comércio Ltda", document: Document.parse("11.222.333/0001-81")!,
        pixKey: "cobranca@exemplo.com.br", city: "São Paulo")

    /// Banco do Brasil, convênio of 7 digits, carteira 17 variation 019 (digits from brcobranca's specs).
    static let bb = BankAccount(code: "001", agency: "4042", account: "61900-0", agreement: "1238798", wallet: "17-019")
    /// Itaú agency 0810 account 53678 (DAC 9), carteira 109.
    static let itau = BankAccount(code: "341", agency: "0810", account: "53678", agreement: "", wallet: "109")

    static let fileDate = Day(year: 2026, month: 11, day: 23)!

    static func customer(
        name: String = "Maria da Conceição", cpf: String = "529.982.247-25",
        address: PostalAddress = PostalAddress(
            street: "Rua das Flores", number: "100",
            complement: "Apto 12", district: "Centro",
            city: "São Paulo", state: "SP", zip: "01310100")
    )
        -> Customer
    {
        Customer(id: CustomerID("C1"), name: name, document: Document.parse(cpf)!, address: address)
    }

    static func title(
        _ id: String, nossoNumero: String?, cents: Int64 = 15_000, due: Day = Day(year: 2026, month: 12, day: 10)!
    )
        -> Title
    {
        Title(
            id: TitleID(id), customerID: CustomerID("C1"), dueDate: due, amount: Money(cents: cents),
            issueDate: Day(year: 2026, month: 11, day: 1)!, nossoNumero: nossoNumero)
    }

    static func item(
        _ id: String, nossoNumero: String? = "1", instruction: RemittanceInstruction = .register,
        cents: Int64 = 15_000, lateFee: String = "2.0", interest: String = "1.0",
        customer: Customer = customer()
    ) -> RemittanceItem {
        let t = title(id, nossoNumero: nossoNumero, cents: cents)
        return RemittanceItem(
            title: t, customer: customer, instruction: instruction, dueDate: t.dueDate,
            lateFeePercent: Percent(decimal: lateFee)!, interestPercentMonth: Percent(decimal: interest)!)
    }

    /// The records of a file split at CRLF; nil when a line end is not CRLF.
    static func records(_ bytes: [UInt8]) -> [String]? {
        var out: [String] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 10 {
                guard i > start, bytes[i - 1] == 13 else { return nil }
                out.append(String(decoding: bytes[start..<(i - 1)], as: UTF8.self))
                start = i + 1
            }
            i += 1
        }
        return start == bytes.count ? out : nil
    }

    /// Positions `from`–`to` (1-based, inclusive) of a record.
    static func field(_ record: String, _ from: Int, _ to: Int) -> String {
        let u = Array(record.utf8)
        return String(decoding: u[(from - 1)...(to - 1)], as: UTF8.self)
    }
}
