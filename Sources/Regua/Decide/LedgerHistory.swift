/// What the ledger knows before a night: the input of the decision besides the rule book,
/// the receivables and the as-of date. Built by the ledger, read by the decider.
public struct LedgerHistory: Sendable {
    /// A step that went out for a title (message sent or remittance instruction recorded).
    public struct SentStep: Sendable, Hashable {
        /// The step's id.
        public var stepID: String
        /// The step's offset in days.
        public var offset: Int
        /// The night the step went out.
        public var night: Day
        /// The channel it went out on (nil for a bank, bureau or hand-off step).
        public var channel: Channel?
        /// Creates a sent step.
        public init(stepID: String, offset: Int, night: Day, channel: Channel? = nil) {
            self.stepID = stepID
            self.offset = offset
            self.night = night
            self.channel = channel
        }
    }

    /// Per title, every step that went out, in any order.
    public var sent: [TitleID: [SentStep]]
    /// Per title, the steps recorded `superseded`: a step superseded by a later one is never sent.
    public var superseded: [TitleID: Set<String>] = [:]
    /// Per customer, the nights of the messages sent in the week before the as-of date (one
    /// entry per message), for `max_contacts_per_week`.
    public var recentMessages: [CustomerID: [Day]]
    /// Titles registered with the bank and the due date they were registered with.
    public var registeredDue: [TitleID: Day]
    /// Titles with a protest instruction sent and not stopped.
    public var protested: Set<TitleID>
    /// Titles with a write-off instruction sent (no further remittance but stop-protest).
    public var writtenOff: Set<TitleID>
    /// Titles in the credit bureau's register, with the night they were included.
    public var bureauIncluded: [TitleID: Day] = [:]
    /// Titles excluded from the bureau's register: never included again.
    public var bureauExcluded: Set<TitleID> = []
    /// Titles handed to an agency or lawyer: nothing more goes out but what ends a claim.
    public var handedOff: Set<TitleID> = []
    /// Per customer, the contacts feedback marked unusable (SPEC §7), by the hash of their value.
    public var unusableContacts: [CustomerID: [UnusableContact]] = [:]
    /// Messages of earlier nights whose delivery the ledger records as `uncertain` (SPEC §7),
    /// by night and message id: the worklist lists them until they are resolved.
    public var uncertainDeliveries: [DeliveryRecord] = []

    /// Creates a history; empty by default (no night before).
    public init(
        sent: [TitleID: [SentStep]] = [:], recentMessages: [CustomerID: [Day]] = [:],
        registeredDue: [TitleID: Day] = [:], protested: Set<TitleID> = [], writtenOff: Set<TitleID> = []
    ) {
        self.sent = sent
        self.recentMessages = recentMessages
        self.registeredDue = registeredDue
        self.protested = protested
        self.writtenOff = writtenOff
    }

    /// An empty ledger.
    public static let empty = LedgerHistory()
}
