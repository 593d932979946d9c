import Foundation

/// What `regua deliver`, `regua feedback` and `regua prune` need of a ledger, beyond the night's
/// own operations (``Ledger``): delivery states (SPEC §7), feedback reports and the contacts they
/// mark unusable, and retention (SPEC §5). ``SQLiteLedger`` and ``PostgresLedger`` implement it
/// with the same tables; ``LedgerLocation/openForOperations()`` opens the one `--state` names.
public protocol OperationsLedger: Ledger {
    // Deliveries (SQLiteLedger+Delivery.swift, PostgresLedger+Delivery.swift).
    /// The delivery record of a message, if an attempt was ever started.
    func delivery(messageID: String) throws -> DeliveryRecord?
    /// Every delivery record of a night, by message id.
    func deliveries(night: Day) throws -> [String: DeliveryRecord]
    /// Deliveries in a state, of every night, by night and message id.
    func deliveries(in state: DeliveryState) throws -> [DeliveryRecord]
    /// Records, durably and before anything is handed over, that an attempt starts (the message
    /// is `uncertain` until ``finishAttempt(messageID:state:answer:)``); returns the attempt's
    /// number, or nil for a message already accepted, so two deliverers never both hand it over.
    func beginAttempt(
        messageID: String, night: Day, channel: String, customerID: CustomerID, contactHash: String
    ) throws -> Int?
    /// Records how an attempt ended: `accepted` or `failed`, with the gateway's code.
    func finishAttempt(messageID: String, state: DeliveryState, answer: String?) throws
    /// The customer, night and channel of a message the ledger recorded as sent, if any.
    func sentMessage(id messageID: String) throws -> (customerID: CustomerID, night: Day, channel: String?)?

    // Feedback (SQLiteLedger+Feedback.swift, PostgresLedger+Delivery.swift).
    /// Whether a report (by identity) was already read.
    func feedbackSeen(identity: String) throws -> Bool
    /// Records a report once, and marks its contact unusable from night `since` when its events
    /// add up to SPEC §7's rule; a report read before changes nothing.
    @discardableResult
    func recordFeedback(_ f: FeedbackRecord, since: Day) throws -> (fresh: Bool, marked: ContactIssue?)
    /// Every contact marked unusable, by customer.
    func unusableContacts() throws -> [(customerID: CustomerID, contact: UnusableContact)]

    // Retention (SQLiteLedger+Retention.swift, PostgresLedger+Delivery.swift).
    /// Titles whose state would move to the archive: not seen in the receivables since `cutoff`.
    func titlesToArchive(notSeenSince cutoff: Day) throws -> Int
    /// Moves those titles' state to the archive and records the prune, in one transaction.
    func recordPrune(_ p: PruneRecord) throws
    /// Every prune recorded, oldest first.
    func prunes() throws -> [PruneRecord]
}

extension SQLiteLedger: OperationsLedger {}
