/// The customers behind the report's reject and hold sections: who they are and what to fix,
/// not only how many (the first ``limit`` of each, with the count of the rest).
public struct ReportPeople: Sendable, Hashable {
    /// Rows shown per section; the rest are counted (and are in `rejects.csv`).
    public static let limit = 200

    /// A rejected input row with the customer it names, when it could be read.
    public struct RejectedLine: Sendable, Hashable {
        /// The refused row.
        public var reject: Reject
        /// The row's `customer_id`, when readable.
        public var customerID: String?
        /// The customer's name (from the row, or from customers.csv for a receivables row).
        public var customerName: String?
        /// The row's `title_id`, for a receivables row.
        public var titleID: String?

        /// Creates a line.
        public init(reject: Reject, customerID: String? = nil, customerName: String? = nil, titleID: String? = nil) {
            self.reject = reject
            self.customerID = customerID
            self.customerName = customerName
            self.titleID = titleID
        }
    }

    /// One customer held for one reason tonight.
    public struct HeldCustomer: Sendable, Hashable {
        /// The customer's id.
        public var customerID: String
        /// The customer's name.
        public var name: String
        /// The hold reason's raw value.
        public var reason: String
        /// The steps held, in book order.
        public var steps: [String]
        /// The titles held.
        public var titleIDs: [String]
        /// What the finance team can do, in Portuguese.
        public var whatToFix: String

        /// Creates a line.
        public init(
            customerID: String, name: String, reason: String, steps: [String], titleIDs: [String], whatToFix: String
        ) {
            self.customerID = customerID
            self.name = name
            self.reason = reason
            self.steps = steps
            self.titleIDs = titleIDs
            self.whatToFix = whatToFix
        }
    }

    /// The first rejected rows, in file and line order.
    public var rejects: [RejectedLine]
    /// All rejected rows.
    public var rejectsTotal: Int
    /// The first held customers, by reason then customer id.
    public var held: [HeldCustomer]
    /// All (customer, reason) pairs held.
    public var heldTotal: Int
    /// The first rows of `worklist.csv`, in its order.
    public var worklist: [WorklistRow] = []
    /// All rows of `worklist.csv`.
    public var worklistTotal = 0

    /// Creates the people of a report.
    public init(rejects: [RejectedLine], rejectsTotal: Int, held: [HeldCustomer], heldTotal: Int) {
        self.rejects = rejects
        self.rejectsTotal = rejectsTotal
        self.held = held
        self.heldTotal = heldTotal
    }
}
