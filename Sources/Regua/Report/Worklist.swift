/// What people must fix, one kind per row of `worklist.csv` (SPEC §4): a contact missing,
/// unusable or refused for a step that was due, a hold, a delivery whose outcome is unknown.
public enum WorklistIssue: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// A step's channel is e-mail and the customer has no e-mail.
    case noEmail = "no_email"
    /// A step's channel is SMS or a call and the customer has no phone.
    case noPhone = "no_phone"
    /// A step's channel is a letter and the customer's address is incomplete.
    case noAddress = "no_address"
    /// Feedback marked the e-mail unusable (hard bounce, or three soft bounces in 30 days).
    case bouncedEmail = "bounced_email"
    /// Feedback marked the phone unusable for SMS (two undelivered reports in 30 days).
    case undeliveredSMS = "undelivered_sms"
    /// Feedback marked the address unusable (a letter the post returned).
    case returnedLetter = "returned_letter"
    /// Feedback marked the phone unusable for WhatsApp (a status `failed`).
    case undeliveredWhatsApp = "undelivered_whatsapp"
    /// The customer refused the step's channel (`opt_out`).
    case optOut = "opt_out"
    /// The customer has a `hold`: nothing goes out but what ends a claim.
    case hold
    /// `regua deliver` handed a message over and never learnt the answer.
    case uncertainDelivery = "uncertain_delivery"

    /// The issue a feedback mark stands for.
    public init(_ issue: ContactIssue) {
        switch issue {
        case .bouncedEmail: self = .bouncedEmail
        case .undeliveredSMS: self = .undeliveredSMS
        case .returnedLetter: self = .returnedLetter
        case .undeliveredWhatsApp: self = .undeliveredWhatsApp
        }
    }

    /// Rows sort by customer, then by the issue's name.
    public static func < (a: WorklistIssue, b: WorklistIssue) -> Bool { a.rawValue < b.rawValue }
}

/// One row of `worklist.csv`: one customer and one issue.
public struct WorklistRow: Sendable, Hashable {
    /// The customer concerned.
    public var customerID: CustomerID
    /// The customer's name (empty for a customer no longer in customers.csv).
    public var name: String
    /// What is wrong.
    public var issue: WorklistIssue
    /// What to fix and since when, in Portuguese.
    public var detail: String
    /// The ids of tonight's steps the issue held back or sent by a fallback channel, in book order.
    public var stepsHeld: [String]
    /// The outstanding of the customer's dunnable titles (due tonight or not).
    public var outstanding: Money

    /// Creates a row.
    public init(
        customerID: CustomerID, name: String, issue: WorklistIssue, detail: String, stepsHeld: [String],
        outstanding: Money
    ) {
        self.customerID = customerID
        self.name = name
        self.issue = issue
        self.detail = detail
        self.stepsHeld = stepsHeld
        self.outstanding = outstanding
    }
}

/// `worklist.csv` and its counts.
public enum Worklist {
    /// The header, as SPEC §4 names the columns.
    public static let header = ["customer_id", "name", "issue", "detail", "steps_held", "outstanding"]

    /// The file for the finance team, like `rejects.csv`: UTF-8 with a BOM, `;` between cells,
    /// amounts `1234,56`, cells a spreadsheet would run as a formula neutralised; step ids
    /// joined by `, `. Header only on a night with nothing to fix.
    public static func csv(_ rows: [WorklistRow]) -> [UInt8] {
        var writer = CSVWriter(header: header, neutraliseFormulas: true, forPeople: true)
        for r in rows {
            writer.row([
                r.customerID.raw, r.name, r.issue.rawValue, r.detail, r.stepsHeld.joined(separator: ", "),
                CSVWriter.peopleAmount(r.outstanding),
            ])
        }
        return writer.bytes
    }

    /// Rows per issue, in issue order, issues without rows left out.
    public static func counts(_ rows: [WorklistRow]) -> [(issue: WorklistIssue, rows: Int)] {
        var n: [WorklistIssue: Int] = [:]
        for r in rows { n[r.issue, default: 0] += 1 }
        return n.keys.sorted().map { ($0, n[$0]!) }
    }
}
