/// A receivable's key ("seu número") as given in receivables.csv.
public struct TitleID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The identifier as written in the file.
    public let raw: String
    /// Wraps an identifier as written in the file.
    public init(_ raw: String) { self.raw = raw }
    /// The identifier as written in the file.
    public var description: String { raw }
    /// Orders identifiers by their UTF-8 bytes.
    public static func < (a: TitleID, b: TitleID) -> Bool { UTF8Order.precedes(a.raw, b.raw) }
}

/// The status column of receivables.csv.
public enum TitleStatus: String, Sendable, CaseIterable {
    case open, paid, cancelled, disputed, promised
}

/// One row of receivables.csv, validated.
public struct Title: Sendable {
    /// The title's id (seu número).
    public var id: TitleID
    /// The customer who owes the title.
    public var customerID: CustomerID
    /// The original due date.
    public var dueDate: Day
    /// The title's face amount.
    public var amount: Money
    /// The date the title was issued, if given.
    public var issueDate: Day?
    /// The title's status.
    public var status: TitleStatus
    /// The amount already paid.
    public var paidAmount: Money
    /// The date it was paid, if paid.
    public var paidDate: Day?
    /// The date the customer promised to pay by, for a promised title.
    public var promiseDate: Day?
    /// The bank's nosso número, needed for boletos and remittances.
    public var nossoNumero: String?
    /// The installment (parcela), e.g. `2/6`, if any.
    public var installment: String?
    /// A boleto barcode (44 digits) the ERP already issued, validated at ingest.
    public var barcode: String?
    /// A linha digitável (47 digits) the ERP already issued, validated at ingest.
    public var linhaDigitavel: String?
    /// 1-based line of the row in its file.
    public var line: Int

    /// Creates a title.
    public init(
        id: TitleID, customerID: CustomerID, dueDate: Day, amount: Money, issueDate: Day? = nil,
        status: TitleStatus = .open, paidAmount: Money = .zero, paidDate: Day? = nil,
        promiseDate: Day? = nil, nossoNumero: String? = nil, installment: String? = nil,
        barcode: String? = nil, linhaDigitavel: String? = nil, line: Int = 0
    ) {
        self.id = id
        self.customerID = customerID
        self.dueDate = dueDate
        self.amount = amount
        self.issueDate = issueDate
        self.status = status
        self.paidAmount = paidAmount
        self.paidDate = paidDate
        self.promiseDate = promiseDate
        self.nossoNumero = nossoNumero
        self.installment = installment
        self.barcode = barcode
        self.linhaDigitavel = linhaDigitavel
        self.line = line
    }

    /// amount − paid_amount (never below zero).
    public var outstanding: Money {
        let o = amount - paidAmount
        return o.cents > 0 ? o : .zero
    }
}
