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
    /// Closed by a renegotiation agreement; the agreement's installments are titles of their own.
    case renegotiated
}

/// What a row of receivables.csv is: a title the customer owes, or a credit the customer has.
public enum TitleKind: String, Sendable, CaseIterable {
    /// A receivable (the default).
    case invoice
    /// An open credit of the customer (credit note, advance, overpayment), amount positive:
    /// netted from what the customer's messages ask, never dunned (SPEC §3 Credits).
    case credit
}

/// One row of receivables.csv, validated.
///
/// A night holds millions of titles, so the storage is packed (112 bytes instead of 152): the
/// optional dates as day numbers with a sentinel, the line as 32 bits (a file is under 2 GiB),
/// and the rare boleto an ERP already issued in a box of its own.
public struct Title: Sendable {
    /// The title's id (seu número).
    public var id: TitleID
    /// The customer who owes the title.
    public var customerID: CustomerID
    /// The title's face amount.
    public var amount: Money
    /// The amount already paid.
    public var paidAmount: Money
    /// The bank's nosso número, needed for boletos and remittances.
    public var nossoNumero: String?
    /// The installment (parcela), e.g. `2/6`, if any.
    public var installment: String?
    private var issued: IssuedBoleto?
    /// The original due date.
    public var dueDate: Day
    private var issueOrdinal: Int32
    private var paidOrdinal: Int32
    private var promiseOrdinal: Int32
    private var line32: Int32
    /// The title's status.
    public var status: TitleStatus
    /// A title owed, or a credit of the customer.
    public var kind: TitleKind = .invoice

    /// Creates a title.
    public init(
        id: TitleID, customerID: CustomerID, dueDate: Day, amount: Money, issueDate: Day? = nil,
        status: TitleStatus = .open, paidAmount: Money = .zero, paidDate: Day? = nil,
        promiseDate: Day? = nil, nossoNumero: String? = nil, installment: String? = nil,
        barcode: String? = nil, linhaDigitavel: String? = nil, line: Int = 0
    ) {
        self.id = id
        self.customerID = customerID
        self.amount = amount
        self.paidAmount = paidAmount
        self.nossoNumero = nossoNumero
        self.installment = installment
        issued = IssuedBoleto.box(barcode: barcode, linhaDigitavel: linhaDigitavel)
        self.dueDate = dueDate
        issueOrdinal = Self.ordinal(issueDate)
        paidOrdinal = Self.ordinal(paidDate)
        promiseOrdinal = Self.ordinal(promiseDate)
        line32 = Int32(line)
        self.status = status
    }

    /// The date the title was issued, if given.
    public var issueDate: Day? {
        get { Self.day(issueOrdinal) }
        set { issueOrdinal = Self.ordinal(newValue) }
    }
    /// The date it was paid, if paid.
    public var paidDate: Day? {
        get { Self.day(paidOrdinal) }
        set { paidOrdinal = Self.ordinal(newValue) }
    }
    /// The date the customer promised to pay by, for a promised title.
    public var promiseDate: Day? {
        get { Self.day(promiseOrdinal) }
        set { promiseOrdinal = Self.ordinal(newValue) }
    }
    /// A boleto barcode (44 digits) the ERP already issued, validated at ingest.
    public var barcode: String? {
        get { issued?.barcode }
        set { issued = IssuedBoleto.box(barcode: newValue, linhaDigitavel: linhaDigitavel) }
    }
    /// A linha digitável (47 digits) the ERP already issued, validated at ingest.
    public var linhaDigitavel: String? {
        get { issued?.linhaDigitavel }
        set { issued = IssuedBoleto.box(barcode: barcode, linhaDigitavel: newValue) }
    }
    /// 1-based line of the row in its file.
    public var line: Int {
        get { Int(line32) }
        set { line32 = Int32(newValue) }
    }

    /// No date: Int32.min, a day no calendar here reaches (five million years before 1970).
    private static let noDay = Int32.min

    @inline(__always) private static func ordinal(_ day: Day?) -> Int32 {
        guard let day else { return noDay }
        precondition(day.ordinal != noDay, "day out of range")
        return day.ordinal
    }

    @inline(__always) private static func day(_ ordinal: Int32) -> Day? {
        ordinal == noDay ? nil : Day(ordinal: ordinal)
    }

    /// amount − paid_amount (never below zero).
    public var outstanding: Money {
        let o = amount - paidAmount
        return o.cents > 0 ? o : .zero
    }
}

/// The boleto an ERP already issued for a title: few titles have one, so it is kept out of line.
private final class IssuedBoleto: Sendable {
    let barcode: String?
    let linhaDigitavel: String?

    private init(barcode: String?, linhaDigitavel: String?) {
        self.barcode = barcode
        self.linhaDigitavel = linhaDigitavel
    }

    /// A box for the two, or nil when both are absent.
    static func box(barcode: String?, linhaDigitavel: String?) -> IssuedBoleto? {
        barcode == nil && linhaDigitavel == nil ? nil : IssuedBoleto(barcode: barcode, linhaDigitavel: linhaDigitavel)
    }
}
