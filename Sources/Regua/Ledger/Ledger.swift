/// The ledger: what every night decided, so that no step is sent twice and a night is final.
///
/// Two implementations: ``SQLiteLedger`` (one file, the embedded default) and
/// ``PostgresLedger`` (`--state postgres://…`); ``LedgerLocation`` opens the one `--state` names.
/// The night (``NightRunner``), `explain`, `simulate` and `stats` speak only to this protocol.
public protocol Ledger: AnyObject, Sendable {
    /// The record of a night, if it was committed.
    func night(_ day: Day) throws -> NightRecord?
    /// The latest night committed.
    func lastNight() throws -> NightRecord?
    /// The latest night committed before `day` (the night a gap is measured from).
    func lastNight(before day: Day) throws -> NightRecord?
    /// What the decider needs about nights before `day`, for the titles and customers of `scope`.
    func history(before day: Day, scope: HistoryScope) throws -> LedgerHistory
    /// Settlements read from bank return files on or before `day`, by title.
    func settlements(upTo day: Day) throws -> [TitleID: Settlement]
    /// Settlements read from bank return files on or before `day`, for `titles` only.
    func settlements(upTo day: Day, titles: [TitleID]) throws -> [TitleID: Settlement]
    /// The ladder steps first sent on nights `from` … `to` (`regua stats`, audits; a night
    /// reads ``stepSends(from:to:)`` and ``ladderSteps(from:to:titles:)`` instead).
    func ladderSteps(from: Day, to: Day) throws -> [EffectivenessStats.LadderStep]
    /// Per night and step, the titles first sent the step on nights `from` … `to` (the report's
    /// effectiveness, in bounded time).
    func stepSends(from: Day, to: Day) throws -> [EffectivenessStats.StepSends]
    /// The ladder steps first sent on nights `from` … `to` for `titles` only.
    func ladderSteps(from: Day, to: Day, titles: [TitleID]) throws -> [EffectivenessStats.LadderStep]
    /// The titles with a settlement recorded on or before `day` and paid on or after `paidFrom`.
    func titlesSettled(paidFrom: Day, upTo day: Day) throws -> [TitleID]
    /// Every step sent before `day` for these titles, with its channel, oldest first.
    func sentSteps(titles: [TitleID], before day: Day) throws -> [TitleID: [LedgerHistory.SentStep]]
    /// The offers made on nights `from` … `to` (for `regua stats`).
    func offers(from: Day, to: Day) throws -> [(night: Day, record: OfferRecord)]
    /// The night a return file (by SHA-256) was read, if it was.
    func returnFileNight(hash: String) throws -> Day?
    /// The next remittance file sequence number (NSA) for a bank and agreement.
    func nextNSA(bankCode: String, agreement: String) throws -> Int
    /// Records a night in ONE transaction (the run, every action, NSAs, bank state, return
    /// files) whose rows are written first and whose COMMIT waits for `beforeCommit` to return:
    /// the night calls it on another thread while its files are rendered and flushed, and
    /// `beforeCommit` returns (with the remittance files, known only then, recorded with the
    /// others) once they are on disk. If it throws, the transaction rolls back and nothing is
    /// recorded; a process killed before it returns leaves nothing recorded either (SQLite's
    /// journal, or PostgreSQL dropping the open transaction with the connection). Nothing else
    /// may use this ledger while `beforeCommit` waits.
    func commit(_ night: NightCommit, before beforeCommit: () throws -> [RemittanceFileRecord]) throws -> Int64
    /// Marks a committed night as published (its folder is visible in `out/`).
    func markPublished(runID: Int64) throws
    /// Deletes a committed night that was never published (its output was never visible).
    func discardUnpublished(runID: Int64) throws
    /// Actions of a range of nights (for stats and audits); `sentOnly` keeps the steps that went out.
    func actions(from: Day, to: Day, sentOnly: Bool) throws -> [LedgerAction]

    // Sharded nights (SPEC §5 "Past one machine"; SQLiteLedger+Shards.swift).
    /// Records every run committed from now on through this ledger as shard `shard` of its night.
    func recordRuns(as shard: Shard) throws
    /// Claims a shard of a night with a rule book; refuses (exit 2) another N, another rule book
    /// or a night already run unsharded.
    func claimShard(night: Day, shard: Shard, rulesHash: String) throws
    /// Whether any shard of the night was claimed.
    func nightIsSharded(_ night: Day) throws -> Bool
    /// The shard's run of a night, if committed and not replaced.
    func night(_ day: Day, shard: Shard) throws -> NightRecord?
    /// The latest night that counts for a shard's guards, before `day` when given.
    func lastNight(shard: Shard, before day: Day?) throws -> NightRecord?
    /// The first of `count` NSAs reserved for a shard's remittance files of a night (the same block on a rerun).
    func reserveNSA(night: Day, shard: Shard, bankCode: String, agreement: String, count: Int) throws -> Int
    /// The nights recorded up to `day`, newest first, with their unsharded run and shards.
    func nightStatuses(upTo day: Day?) throws -> [NightStatus]
}

/// Nights between the last recorded night and tonight that no run will ever decide: their
/// steps, past the catch-up window tonight, are lost (SPEC §5).
public struct NightGap: Sendable, Hashable, CustomStringConvertible {
    /// The last night recorded before tonight.
    public var lastNight: Day
    /// The first night whose steps are lost.
    public var firstLost: Day
    /// The last night whose steps are lost.
    public var lastLost: Day

    /// The gap between `last` and `night`, when `night` is more than `catchUpDays` + 1 days after it.
    public init?(after last: Day, night: Day, catchUpDays: Int) {
        let firstLost = last.adding(days: 1)
        let lastLost = night.adding(days: -(catchUpDays + 1))
        guard firstLost <= lastLost else { return nil }
        self.lastNight = last
        self.firstLost = firstLost
        self.lastLost = lastLost
    }

    /// How many nights are lost.
    public var count: Int { lastLost.days(since: firstLost) + 1 }

    /// `2026-11-24..2026-11-28` (or one date).
    public var description: String {
        firstLost == lastLost ? firstLost.iso : firstLost.iso + ".." + lastLost.iso
    }
}

/// A payment the bank reported in a return file.
public struct Settlement: Sendable, Hashable {
    /// The amount the bank says was paid.
    public var paidAmount: Money
    /// The date the bank says it was paid.
    public var paidDate: Day
    /// Creates a settlement of an amount paid on a date.
    public init(paidAmount: Money, paidDate: Day) {
        self.paidAmount = paidAmount
        self.paidDate = paidDate
    }
}

/// A night as the ledger knows it.
public struct NightRecord: Sendable, Hashable {
    /// How far a night got: committed to the ledger, or also published in `out/`.
    public enum Status: String, Sendable { case committed, published }
    /// The run's row id in the ledger.
    public var runID: Int64
    /// The night (as-of date) of the run.
    public var night: Day
    /// Hash of the rule book the night was decided with.
    public var rulesHash: String
    /// Hash of the night's inputs.
    public var inputsHash: String
    /// Whether the night is only committed or also published.
    public var status: Status
    /// The night was run with `--force`.
    public var forced: Bool
    /// Remittance files of the night with their sequence numbers (reused by a rerun).
    public var remittanceFiles: [RemittanceFileRecord]
    /// Exit code the night ended with (0, or 1 with rejects), so a rerun answers the same.
    public var exitCode: Int
}

/// A remittance file of a night.
public struct RemittanceFileRecord: Sendable, Hashable {
    /// The bank's code (`001`, `341`, …).
    public var bankCode: String
    /// The collection agreement (convênio) the file was written for.
    public var agreement: String
    /// The file's sequence number (NSA).
    public var nsa: Int
    /// The file's name in `remessa/`.
    public var fileName: String
    /// Detail records in the file.
    public var records: Int
    /// Creates the record of a remittance file.
    public init(bankCode: String, agreement: String, nsa: Int, fileName: String, records: Int) {
        self.bankCode = bankCode
        self.agreement = agreement
        self.nsa = nsa
        self.fileName = fileName
        self.records = records
    }
}

/// A return file read on a night, with what it said.
public struct ReturnFileRecord: Sendable {
    /// SHA-256 of the file, so it is read only once.
    public var hash: String
    /// The file's name as given.
    public var name: String
    /// The bank's code in the file's header.
    public var bankCode: String
    /// The file's sequence number (NSA).
    public var nsa: Int
    /// (title, movement code, kind, amount paid, occurrence date, reason codes)
    public var events: [ReturnEventRecord]
    /// Creates the record of a return file and its occurrences.
    public init(hash: String, name: String, bankCode: String, nsa: Int, events: [ReturnEventRecord]) {
        self.hash = hash
        self.name = name
        self.bankCode = bankCode
        self.nsa = nsa
        self.events = events
    }
}

/// One occurrence of a return file, as recorded.
public struct ReturnEventRecord: Sendable, Hashable {
    /// The title the occurrence is about, when known.
    public var titleID: TitleID?
    /// The title's nosso número as the bank sent it.
    public var nossoNumero: String
    /// The CNAB movement (occurrence) code.
    public var movement: String
    /// What the occurrence means (`settlement`, `entry_rejected`, …).
    public var kind: String
    /// The amount paid, for a settlement.
    public var paidAmount: Money?
    /// The date the bank gives for the occurrence.
    public var occurrenceDate: Day?
    /// The bank's reason codes, as sent.
    public var reasons: String
    /// Creates the record of one occurrence.
    public init(
        titleID: TitleID?, nossoNumero: String, movement: String, kind: String, paidAmount: Money?,
        occurrenceDate: Day?, reasons: String
    ) {
        self.titleID = titleID
        self.nossoNumero = nossoNumero
        self.movement = movement
        self.kind = kind
        self.paidAmount = paidAmount
        self.occurrenceDate = occurrenceDate
        self.reasons = reasons
    }
}

/// What one night records.
public struct NightCommit: Sendable {
    /// The night (as-of date).
    public var night: Day
    /// Hash of the rule book the night was decided with.
    public var rulesHash: String
    /// Hash of the night's inputs.
    public var inputsHash: String
    /// The night was run with `--force`.
    public var forced: Bool
    /// Exit code the night ended with.
    public var exitCode: Int
    /// Every action of the night: sent, superseded and held.
    public var actions: [Action]
    /// Remittance files of the night with their NSAs.
    public var remittanceFiles: [RemittanceFileRecord]
    /// Bank state after the night's instructions: (title, instruction, due date sent).
    public var instructions: [(titleID: TitleID, instruction: RemittanceInstruction, dueDate: Day)]
    /// Return files read on the night.
    public var returnFiles: [ReturnFileRecord]
    /// Titles settled by the night's return files.
    public var settlements: [(titleID: TitleID, settlement: Settlement)]
    /// With `--force`: the earlier run of the same night, replaced in the same transaction.
    public var replacesRunID: Int64?
    /// With `--accept-gap`: the nights the operator let go without running them.
    public var acceptedGap: NightGap?
    /// The night sends more than `policy.max_messages` and `--force` let it through.
    public var forcedVolume = false
    /// The titles in the night's receivables (their `last_seen`, which retention archives by).
    public var seenTitles: [TitleID]
    /// The offers the night's messages made.
    public var offers: [OfferRecord] = []

    /// Creates the record of a night.
    public init(
        night: Day, rulesHash: String, inputsHash: String, forced: Bool, exitCode: Int, actions: [Action],
        remittanceFiles: [RemittanceFileRecord] = [],
        instructions: [(titleID: TitleID, instruction: RemittanceInstruction, dueDate: Day)] = [],
        returnFiles: [ReturnFileRecord] = [], settlements: [(titleID: TitleID, settlement: Settlement)] = [],
        replacesRunID: Int64? = nil, acceptedGap: NightGap? = nil, forcedVolume: Bool = false,
        seenTitles: [TitleID] = []
    ) {
        self.replacesRunID = replacesRunID
        self.acceptedGap = acceptedGap
        self.forcedVolume = forcedVolume
        self.seenTitles = seenTitles
        self.night = night
        self.rulesHash = rulesHash
        self.inputsHash = inputsHash
        self.forced = forced
        self.exitCode = exitCode
        self.actions = actions
        self.remittanceFiles = remittanceFiles
        self.instructions = instructions
        self.returnFiles = returnFiles
        self.settlements = settlements
    }
}

extension Ledger {
    /// Records a night in one transaction, its remittance files already in `night`.
    public func commit(_ night: NightCommit) throws -> Int64 {
        try commit(night, before: { [] })
    }

    /// What the decider needs about nights before `day`, for every title and customer.
    public func history(before day: Day) throws -> LedgerHistory {
        try history(before: day, scope: .everything)
    }

    /// Every action of a range of nights.
    public func actions(from: Day, to: Day) throws -> [LedgerAction] {
        try actions(from: from, to: to, sentOnly: false)
    }
}

/// An action as stored, with its night.
public struct LedgerAction: Sendable, Hashable {
    /// The night the action was decided on.
    public var night: Day
    /// The action.
    public var action: Action
}

/// Why the ledger cannot be used; the CLI maps these to exit 3.
public struct LedgerError: Error, CustomStringConvertible, Sendable {
    /// Path of the ledger file.
    public var path: String
    /// What went wrong.
    public var message: String
    /// Creates an error for the ledger at a path.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    /// The path and the problem, for the log.
    public var description: String { "ledger \(path): \(message)" }
}
