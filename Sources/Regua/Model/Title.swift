/// A receivable's key ("seu número") as given in receivables.csv.
public struct TitleID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let raw: String
    public init(_ raw: String) { self.raw = raw }
    public var description: String { raw }
    public static func < (a: TitleID, b: TitleID) -> Bool { a.raw.utf8.lexicographicallyPrecedes(b.raw.utf8) }
}

/// The status column of receivables.csv.
public enum TitleStatus: String, Sendable, CaseIterable {
    case open, paid, cancelled, disputed, promised
}

/// One row of receivables.csv, validated.
public struct Title: Sendable {
    public var id: TitleID
    public var customerID: CustomerID
    public var dueDate: Day
    public var amount: Money
    public var issueDate: Day?
    public var status: TitleStatus
    public var paidAmount: Money
    public var paidDate: Day?
    public var promiseDate: Day?
    public var nossoNumero: String?
    public var installment: String?
    /// A boleto barcode (44 digits) the ERP already issued, validated at ingest.
    public var barcode: String?
    /// A linha digitável (47 digits) the ERP already issued, validated at ingest.
    public var linhaDigitavel: String?
    /// 1-based line of the row in its file.
    public var line: Int

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
