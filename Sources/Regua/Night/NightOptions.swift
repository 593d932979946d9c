/// What `regua run` was asked to do.
public struct NightOptions: Sendable {
    /// The night; nil = today in the rule book's time zone.
    public var asOf: Day?
    /// The rule book folder.
    public var rulesDir: String
    /// Path of `customers.csv`.
    public var customers: String
    /// Path of `receivables.csv`.
    public var receivables: String
    /// CNAB 240 return files to read before deciding.
    public var returnFiles: [String]
    /// The folder where `<date>/` is published.
    public var outDir: String
    /// The ledger file.
    public var statePath: String
    /// Decide and report; write and record nothing.
    public var dryRun: Bool
    /// Replace a published night whose inputs or rule book changed, or let a night pass
    /// `policy.max_messages` (recorded).
    public var force: Bool
    /// Run a night more than `catch_up_days` + 1 days after the last one, letting the steps of
    /// the nights between go (recorded).
    public var acceptGap: Bool = false
    /// `--shard K/N`: decide and publish only the customers of shard K (SPEC §5); nil = the whole night.
    public var shard: Shard?
    /// Messages rendered at a time while the e-mails stream to staging (``NightOutputs/streamWindow``);
    /// the tests set a small one to cross many windows on a small night.
    var emailWindow = NightOutputs.streamWindow

    /// Creates options; the defaults read the shipped example.
    public init(
        asOf: Day? = nil, rulesDir: String = "rules", customers: String = "fixtures/customers.csv",
        receivables: String = "fixtures/receivables.csv", returnFiles: [String] = [], outDir: String = "out",
        statePath: String = "var/regua.sqlite", dryRun: Bool = false, force: Bool = false, acceptGap: Bool = false
    ) {
        self.acceptGap = acceptGap
        self.asOf = asOf
        self.rulesDir = rulesDir
        self.customers = customers
        self.receivables = receivables
        self.returnFiles = returnFiles
        self.outDir = outDir
        self.statePath = statePath
        self.dryRun = dryRun
        self.force = force
    }
}

/// How a run ended.
public struct NightResult: Sendable {
    /// What the run did with the night.
    public enum Outcome: String, Sendable {
        /// Decided, written, recorded and published.
        case published
        /// The night was already published with the same inputs: nothing done.
        case alreadyPublished = "already_published"
        /// A committed night whose publication was interrupted was finished.
        case completed
        /// A published night whose folder was missing was written again from the ledger; nothing recorded.
        case republished
        /// `--dry-run`: decided only.
        case dryRun = "dry_run"
    }

    /// What the run did with the night.
    public var outcome: Outcome
    /// The night run.
    public var asOf: Day
    /// The night's numbers (nil when nothing was decided).
    public var summary: Summary?
    /// The published folder (nil for dry runs).
    public var folder: String?
    /// Input rows rejected, with file, line, column and reason.
    public var rejects: [Reject]
    /// 0, or 1 when input rows were rejected.
    public var exitCode: Int32
    /// Notes for the operator (return files already read, …).
    public var notes: [String]
    /// Seconds spent per stage and the peak resident memory: for operators and the benchmark,
    /// never written into the night's files.
    public var timings: StageTimings = StageTimings()
}
