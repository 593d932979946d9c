/// Why a customer gets what tonight: the answer of `regua explain`.
public struct CustomerExplanation: Sendable {
    /// The customer explained.
    public var customerID: CustomerID
    /// The profile the customer matched tonight.
    public var profile: String
    /// The conditions of the profiles tried before the match, each with whether it held.
    public var profileTrail: [(profile: String, matched: Bool)]
    /// The facts the profiles were tested against.
    public var facts: CustomerFacts
    /// The customer's titles, each with its steps' verdicts.
    public var titles: [TitleExplanation]
    /// Messages this customer gets tonight (or would, if not held).
    public var messages: [(id: String, channel: Channel, step: String, titles: [TitleID], heldBy: HoldReason?)]
    /// The customer explained (name, contacts, opt-outs), for an account that names what is missing.
    public var customer: Customer? = nil
    /// The night explained.
    public var night: Day? = nil
    /// Each profile tried, in book order up to the match, with the conditions that failed.
    public var profileChecks: [ProfileCheck] = []
    /// Rows of receivables.csv for this customer that were rejected (filled by `Simulation`).
    public var rejectedRows: [RejectedRow] = []
    /// The account in Brazilian Portuguese, one line each, as `regua explain` prints it
    /// (filled by `Simulation`, which knows the rule book).
    public var account: [String] = []
}

/// One profile tried for a customer: whether it matched and, if not, which conditions failed.
public struct ProfileCheck: Sendable, Hashable {
    /// The profile's id.
    public var profile: String
    /// Whether every condition held.
    public var matched: Bool
    /// The conditions that did not hold, in book order.
    public var failed: [ConditionCheck]
}

/// A condition of a profile and what the customer had.
public struct ConditionCheck: Sendable, Hashable {
    /// The condition as the rule book writes it: `score >= 700`, `segment: B2B`.
    public var condition: String
    /// The customer's value for it, as written in the account: `640`, `sem score`, `B2C`.
    public var value: String
}

/// An input row refused on the night's reading: where it is and why.
public struct RejectedRow: Sendable, Hashable {
    /// The input file's name.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// The column at fault, or "".
    public var column: String
    /// The reason, as `rejects.csv` gives it.
    public var reason: String
    /// The row's title id, when it is a receivables row that has one.
    public var titleID: String?
}

/// One title's place on the ladder tonight.
public struct TitleExplanation: Sendable {
    /// The title.
    public var titleID: TitleID
    /// The title's status in the receivables.
    public var status: TitleStatus
    /// The original due date.
    public var dueDate: Day
    /// The due date moved to the next business day, if it fell on a holiday or weekend.
    public var effectiveDueDate: Day
    /// Days from the effective due date to the as-of date (negative before it).
    public var daysOverdue: Int
    /// What the title still owes, before fees.
    public var outstanding: Money
    /// Outstanding plus late fee and interest.
    public var updatedAmount: Money
    /// Why the title is not dunned at all, if so (paid, cancelled, disputed, promised, nothing outstanding).
    public var suppressed: String?
    /// Each step of the ladder with its verdict for this title, in book order.
    public var steps: [(stepID: String, verdict: StepVerdict)]
    /// The day the customer promised to pay, for a `promised` title.
    public var promiseDate: Day? = nil
}

/// The verdict on one step for one title.
public enum StepVerdict: Sendable, Hashable, CustomStringConvertible {
    case notForProfile
    case otherArm(experiment: String, arm: Experiment.Arm)
    case notYet(opensOn: Day)
    case windowClosed(closedOn: Day)
    case alreadySent(night: Day)
    case supersededEarlier
    case higherAlreadySent(step: String)
    case superseded(by: String)
    case sent(channel: Channel?, messageID: String?)
    case held(HoldReason)
    /// Held back `no_contact` with feedback's marks among the reasons: the channels (the step's
    /// own, its fallback) whose contact is present but marked unusable, and why.
    case heldUnusable([Channel: ContactIssue])
    /// The step's channel's contact is marked unusable: the fallback channel takes it.
    case fallback(from: Channel, to: Channel, ContactIssue)
    case backfill(channel: Channel?, messageID: String?)

    /// The verdict in words, as `regua explain` prints it.
    public var description: String {
        switch self {
        case .notForProfile: "not for this profile"
        case .otherArm(let e, let arm): "only for the \(arm.rawValue) arm of experiment \(e)"
        case .notYet(let d): "not yet (window opens \(d.iso))"
        case .windowClosed(let d): "window closed on \(d.iso)"
        case .alreadySent(let d): "already sent on \(d.iso)"
        case .supersededEarlier: "superseded on an earlier night"
        case .higherAlreadySent(let s): "a later step (\(s)) was already sent"
        case .superseded(let s): "due, superseded by \(s)"
        case .sent(let c, let m):
            "due: goes out" + (c.map { " by \($0.rawValue)" } ?? " to the bank") + (m.map { " in \($0)" } ?? "")
        case .held(let r): "due, held back: \(r.rawValue)"
        case .heldUnusable(let marks):
            "due, held back: no_contact ("
                + marks.sorted { $0.key < $1.key }.map(\.value.rawValue).joined(separator: ", ") + ")"
        case .fallback(let from, let to, let issue):
            "\(from.rawValue) contact unusable (\(issue.rawValue)): fallback \(to.rawValue)"
        case .backfill(let c, let m):
            "backfill: goes out" + (c.map { " by \($0.rawValue)" } ?? "") + (m.map { " in \($0)" } ?? "")
        }
    }
}
