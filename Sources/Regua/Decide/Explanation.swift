/// Why a customer gets what tonight: the answer of `regua explain`.
public struct CustomerExplanation: Sendable {
    public var customerID: CustomerID
    public var profile: String
    /// The conditions of the profiles tried before the match, each with whether it held.
    public var profileTrail: [(profile: String, matched: Bool)]
    public var facts: CustomerFacts
    public var titles: [TitleExplanation]
    /// Messages this customer gets tonight (or would, if not held).
    public var messages: [(id: String, channel: Channel, step: String, titles: [TitleID], heldBy: HoldReason?)]
}

/// One title's place on the ladder tonight.
public struct TitleExplanation: Sendable {
    public var titleID: TitleID
    public var status: TitleStatus
    public var dueDate: Day
    public var effectiveDueDate: Day
    public var daysOverdue: Int
    public var outstanding: Money
    public var updatedAmount: Money
    /// Why the title is not dunned at all, if so (paid, cancelled, disputed, promised, nothing outstanding).
    public var suppressed: String?
    public var steps: [(stepID: String, verdict: StepVerdict)]
}

/// The verdict on one step for one title.
public enum StepVerdict: Sendable, Hashable, CustomStringConvertible {
    case notForProfile
    case notYet(opensOn: Day)
    case windowClosed(closedOn: Day)
    case alreadySent(night: Day)
    case supersededEarlier
    case higherAlreadySent(step: String)
    case superseded(by: String)
    case sent(channel: Channel?, messageID: String?)
    case held(HoldReason)
    case backfill(channel: Channel?, messageID: String?)

    public var description: String {
        switch self {
        case .notForProfile: "not for this profile"
        case .notYet(let d): "not yet (window opens \(d.iso))"
        case .windowClosed(let d): "window closed on \(d.iso)"
        case .alreadySent(let d): "already sent on \(d.iso)"
        case .supersededEarlier: "superseded on an earlier night"
        case .higherAlreadySent(let s): "a later step (\(s)) was already sent"
        case .superseded(let s): "due, superseded by \(s)"
        case .sent(let c, let m):
            "due: goes out" + (c.map { " by \($0.rawValue)" } ?? " to the bank") + (m.map { " in \($0)" } ?? "")
        case .held(let r): "due, held back: \(r.rawValue)"
        case .backfill(let c, let m):
            "backfill: goes out" + (c.map { " by \($0.rawValue)" } ?? "") + (m.map { " in \($0)" } ?? "")
        }
    }
}
