/// An input row that was refused: where it is and, in plain words, why.
public struct Reject: Sendable, Hashable {
    /// File name of the input (its last path component, so reruns from another folder agree).
    public var file: String
    /// 1-based line on which the row starts.
    public var line: Int
    /// The column at fault, or "" when the reason is about the whole row.
    public var column: String
    /// A reason a finance analyst understands.
    public var reason: String
    /// The row's customer_id, when it could be read (what the analyst looks the row up by).
    public var customerID: String?
    /// The row's title_id (receivables only), when it could be read.
    public var titleID: String?

    /// Creates a reject.
    public init(
        file: String, line: Int, column: String, reason: String, customerID: String? = nil, titleID: String? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
        self.customerID = customerID
        self.titleID = titleID
    }
}

/// What the night reads: the trusted rows, the refused ones and the input files' hashes.
public struct Inputs: Sendable {
    /// Accepted customers, in file order.
    public var customers: [Customer]
    /// Accepted titles, in file order.
    public var titles: [Title]
    /// Refused rows of both files, sorted by file then line.
    public var rejects: [Reject]
    /// Lower-case hex SHA-256 of customers.csv's bytes.
    public var customersHash: String
    /// Lower-case hex SHA-256 of receivables.csv's bytes.
    public var receivablesHash: String

    /// Creates the inputs of a night.
    public init(
        customers: [Customer], titles: [Title], rejects: [Reject], customersHash: String,
        receivablesHash: String
    ) {
        self.customers = customers
        self.titles = titles
        self.rejects = rejects
        self.customersHash = customersHash
        self.receivablesHash = receivablesHash
    }
}

/// An input file that cannot be used at all (exit 3 when unreadable, else a refused input).
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the file.
    public enum Kind: Sendable, Hashable {
        /// The file could not be opened or read (the OS's cause is in `message`).
        case unreadable
        /// The file is over ``CSVLimits/maxFileBytes``.
        case tooLarge
        /// The file has no header row, or its header row cannot be read.
        case badHeader
        /// Required columns absent from the header, by name.
        case missingColumns([String])
    }

    /// The path as given.
    public var path: String
    /// What is wrong.
    public var kind: Kind
    /// The full explanation.
    public var message: String

    /// Creates an input error.
    public init(path: String, kind: Kind, message: String) {
        self.path = path
        self.kind = kind
        self.message = message
    }

    /// `PATH: message`.
    public var description: String { "\(path): \(message)" }
}
