/// The night in numbers: `summary.json` for monitoring, and the source of `report.html`.
///
/// Field names are part of the public interface (operators' dashboards read them); amounts are
/// decimal strings with a dot (`"1234.56"`) so no JSON reader turns them into floating point.
public struct Summary: Codable, Sendable, Equatable {
    /// The night, as an ISO date (`2026-11-23`).
    public var asOf: String
    /// Hash of the rule book the night was decided with.
    public var rulesHash: String
    /// Hash of the night's inputs: customers, receivables and return files.
    public var inputsHash: String
    /// The as-of date is a quiet day or a holiday: every message held back.
    public var quietDay: Bool
    /// Rows read from the input files.
    public var inputs: Inputs
    /// Messages sent tonight, by channel.
    public var messages: Messages
    /// Per step, in book order.
    public var steps: [StepLine]
    /// Per profile: customers with titles, and messages sent.
    public var profiles: [ProfileLine]
    /// Held-back (title, step) pairs and messages, by reason.
    public var heldBack: [HeldLine]
    /// Bank instructions written to tonight's remittance files.
    public var remittance: Remittance
    /// Bank return files read tonight and what they said.
    public var returns: Returns
    /// Rejected input rows, per file.
    public var rejects: [RejectCount]
    /// The receivables portfolio after the night.
    public var portfolio: PortfolioLine
    /// Outstanding titles by days overdue, in bucket order.
    public var aging: [AgingLine]
    /// What the operator let through that the guards would have refused (`--accept-gap`,
    /// `--force` over `policy.max_messages`); absent on an ordinary night.
    public var overrides: Overrides?

    /// The credit bureau's file tonight (when the book has a `bureau` section).
    public var bureau: Bureau?
    /// Titles handed off tonight, per receiver of `handoffs` (when the book has any).
    public var handoffs: [HandoffLine]?
    /// The rows of tonight's `worklist.csv` (always there on a night this release wrote).
    public var worklist: WorklistCounts?

    /// What people must fix tonight: the rows of `worklist.csv`.
    public struct WorklistCounts: Codable, Sendable, Equatable {
        /// Rows of the file (one per customer and issue).
        public var rows: Int
        /// Customers with at least one row.
        public var customers: Int
        /// Rows per issue, in issue-name order; issues without rows left out.
        public var byIssue: [IssueCount]
    }

    /// Rows of one issue of the worklist.
    public struct IssueCount: Codable, Sendable, Equatable {
        /// The issue (`no_email`, `hold`, …).
        public var issue: String
        /// Its rows.
        public var rows: Int
    }

    /// Tonight's records of the credit bureau's file.
    public struct Bureau: Codable, Sendable, Equatable {
        /// The bureau's name (`bureau/<name>.csv`).
        public var name: String
        /// Titles included (negativação).
        public var includes: Int
        /// Titles excluded.
        public var excludes: Int
        /// Exclusions written after their Súmula 548 deadline.
        public var lateExclusions: Int
    }

    /// Titles handed to one agency or lawyer tonight.
    public struct HandoffLine: Codable, Sendable, Equatable {
        /// The receiver's id (`handoff/<id>.csv`).
        public var handoff: String
        /// Titles handed to it tonight.
        public var titles: Int
        /// Their total outstanding.
        public var outstanding: String
    }

    /// Operator decisions recorded with the night (SPEC §5).
    public struct Overrides: Codable, Sendable, Equatable {
        /// `--accept-gap`: the nights whose steps were let go (`2026-11-24..2026-11-28`).
        public var acceptedGap: String?
        /// How many nights that gap holds.
        public var lostNights: Int?
        /// The last night recorded before the gap.
        public var lastNightBefore: String?
        /// `--force` let the night send more messages than this `policy.max_messages`.
        public var forcedOverMaxMessages: Int?
    }

    /// Rows read from the input files.
    public struct Inputs: Codable, Sendable, Equatable {
        /// Customers read.
        public var customers: Int
        /// Titles read from the receivables.
        public var titles: Int
        /// Input rows rejected (see `rejects.csv`).
        public var rejectedRows: Int
    }

    /// Messages sent tonight, by channel.
    public struct Messages: Codable, Sendable, Equatable {
        /// Messages sent, all channels.
        public var total: Int
        /// E-mails sent.
        public var email: Int
        /// SMS sent.
        public var sms: Int
        /// Letters printed.
        public var letter: Int
        /// Calls for the call centre (`calls.csv`).
        public var call: Int
        /// WhatsApp messages (`whatsapp.jsonl`); absent from `summary.json` on a night without any,
        /// so that nights before the channel existed keep their bytes.
        public var whatsapp: Int? = nil
        /// Pages of `letters.pdf`.
        public var letterPages: Int
        /// SMS segments over all SMS sent.
        public var smsSegments: Int
        /// Sum of the outstanding of the titles in messages sent.
        public var outstanding: String
        /// Sum of the updated amounts (with fees) of those titles.
        public var updatedAmount: String
    }

    /// One step of the ladder and what it did tonight.
    public struct StepLine: Codable, Sendable, Equatable {
        /// The step's id.
        public var step: String
        /// The step's offset in days from the effective due date.
        public var offset: Int
        /// `email`, `sms`, `letter`, or `remittance:protest`…
        public var kind: String
        /// Titles that recorded this step as sent tonight.
        public var titlesSent: Int
        /// Messages this step spoke for (was the most advanced step of).
        public var messagesSpoken: Int
        /// Titles sent by this step, per channel.
        public var byChannel: [String: Int]
        /// Titles for which this step was recorded superseded.
        public var superseded: Int
        /// Titles for which this step was held back.
        public var held: Int
        /// Sum of the outstanding of the titles this step sent.
        public var outstanding: String
    }

    /// One profile and what it received tonight.
    public struct ProfileLine: Codable, Sendable, Equatable {
        /// The profile's id.
        public var profile: String
        /// Customers of this profile with titles.
        public var customers: Int
        /// Messages sent to customers of this profile.
        public var messages: Int
    }

    /// One hold reason and what it held back tonight.
    public struct HeldLine: Codable, Sendable, Equatable {
        /// The hold reason (`no_contact`, `opt_out`, `quiet_day`, …).
        public var reason: String
        /// (Title, step) pairs held back for this reason.
        public var titles: Int
        /// Messages held back for this reason.
        public var messages: Int
    }

    /// Tonight's CNAB 240 remittance files and their instructions.
    public struct Remittance: Codable, Sendable, Equatable {
        /// The remittance files written tonight.
        public var files: [File]
        /// Instructions written, by kind (`protest`, `change_due`, …).
        public var instructions: [String: Int]
        /// Instructions written, all kinds.
        public var total: Int
        /// One remittance file of the night.
        public struct File: Codable, Sendable, Equatable {
            /// The file's name in `remessa/`.
            public var name: String
            /// The file's sequence number (NSA).
            public var nsa: Int
            /// Detail records in the file.
            public var records: Int
        }
    }

    /// Bank return files read tonight and what they said.
    public struct Returns: Codable, Sendable, Equatable {
        /// Names of the return files read for the first time tonight.
        public var filesRead: [String]
        /// Names of the return files already read on an earlier night (or given twice).
        public var filesAlreadyRead: [String]
        /// Settlements (liquidações) read tonight.
        public var settlements: Int
        /// Sum of the amounts paid in those settlements.
        public var settledAmount: String
        /// Occurrences by kind (entry_confirmed, entry_rejected, settlement, …).
        public var occurrences: [String: Int]
    }

    /// Rejected rows of one input file.
    public struct RejectCount: Codable, Sendable, Equatable {
        /// The input file's name.
        public var file: String
        /// Rows of that file rejected.
        public var rows: Int
    }

    /// The receivables portfolio: what is owed, overdue and in dunning.
    public struct PortfolioLine: Codable, Sendable, Equatable {
        /// Titles with something outstanding, not paid or cancelled.
        public var receivableTitles: Int
        /// Their total outstanding.
        public var receivable: String
        /// Of those, titles overdue (days overdue above 0).
        public var overdueTitles: Int
        /// Their total outstanding.
        public var overdue: String
        /// Titles that had or have a step on the ladder.
        public var inDunningTitles: Int
        /// Their total outstanding.
        public var inDunning: String
        /// Titles paid with more than their amount (a late boleto paid with multa and juros).
        public var feesReceivedTitles: Int
        /// What those payments brought beyond the titles' amounts: fees received.
        public var feesReceived: String
    }

    /// One aging bucket of the outstanding titles.
    public struct AgingLine: Codable, Sendable, Equatable {
        /// The bucket's label: `not_due`, `1-15`, `16-30`, `31-60`, `61-90`, `91-180` or `180+`.
        public var bucket: String
        /// Titles in the bucket.
        public var titles: Int
        /// Their total outstanding.
        public var outstanding: String
    }
}
