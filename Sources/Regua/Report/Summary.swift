/// The night in numbers: `summary.json` for monitoring, and the source of `report.html`.
///
/// Field names are part of the public interface (operators' dashboards read them); amounts are
/// decimal strings with a dot (`"1234.56"`) so no JSON reader turns them into floating point.
public struct Summary: Codable, Sendable, Equatable {
    public var asOf: String
    public var rulesHash: String
    public var inputsHash: String
    /// The as-of date is a quiet day or a holiday: every message held back.
    public var quietDay: Bool
    public var inputs: Inputs
    public var messages: Messages
    /// Per step, in book order.
    public var steps: [StepLine]
    /// Per profile: customers with titles, and messages sent.
    public var profiles: [ProfileLine]
    /// Held-back (title, step) pairs and messages, by reason.
    public var heldBack: [HeldLine]
    public var remittance: Remittance
    public var returns: Returns
    public var rejects: [RejectCount]
    public var portfolio: PortfolioLine
    public var aging: [AgingLine]

    public struct Inputs: Codable, Sendable, Equatable {
        public var customers: Int
        public var titles: Int
        public var rejectedRows: Int
    }

    public struct Messages: Codable, Sendable, Equatable {
        public var total: Int
        public var email: Int
        public var sms: Int
        public var letter: Int
        public var letterPages: Int
        public var smsSegments: Int
        /// Sum of the outstanding of the titles in messages sent.
        public var outstanding: String
        /// Sum of the updated amounts (with fees) of those titles.
        public var updatedAmount: String
    }

    public struct StepLine: Codable, Sendable, Equatable {
        public var step: String
        public var offset: Int
        /// `email`, `sms`, `letter`, or `remittance:protest`…
        public var kind: String
        /// Titles that recorded this step as sent tonight.
        public var titlesSent: Int
        /// Messages this step spoke for (was the most advanced step of).
        public var messagesSpoken: Int
        public var byChannel: [String: Int]
        public var superseded: Int
        public var held: Int
        public var outstanding: String
    }

    public struct ProfileLine: Codable, Sendable, Equatable {
        public var profile: String
        public var customers: Int
        public var messages: Int
    }

    public struct HeldLine: Codable, Sendable, Equatable {
        public var reason: String
        public var titles: Int
        public var messages: Int
    }

    public struct Remittance: Codable, Sendable, Equatable {
        public var files: [File]
        public var instructions: [String: Int]
        public var total: Int
        public struct File: Codable, Sendable, Equatable {
            public var name: String
            public var nsa: Int
            public var records: Int
        }
    }

    public struct Returns: Codable, Sendable, Equatable {
        public var filesRead: [String]
        public var filesAlreadyRead: [String]
        public var settlements: Int
        public var settledAmount: String
        /// Occurrences by kind (entry_confirmed, entry_rejected, settlement, …).
        public var occurrences: [String: Int]
    }

    public struct RejectCount: Codable, Sendable, Equatable {
        public var file: String
        public var rows: Int
    }

    public struct PortfolioLine: Codable, Sendable, Equatable {
        public var receivableTitles: Int
        public var receivable: String
        public var overdueTitles: Int
        public var overdue: String
        public var inDunningTitles: Int
        public var inDunning: String
    }

    public struct AgingLine: Codable, Sendable, Equatable {
        public var bucket: String
        public var titles: Int
        public var outstanding: String
    }
}
