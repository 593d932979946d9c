/// The ledger: what every night decided, so that no step is sent twice and a night is final.
///
/// SQLite now (``SQLiteLedger``); the protocol is the seam for a PostgreSQL ledger later.
public protocol Ledger: AnyObject {
    /// The record of a night, if it was committed.
    func night(_ day: Day) throws -> NightRecord?
    /// The latest night committed.
    func lastNight() throws -> NightRecord?
    /// Everything the decider needs about nights before `day`.
    func history(before day: Day) throws -> LedgerHistory
    /// Settlements read from bank return files on or before `day`, by title.
    func settlements(upTo day: Day) throws -> [TitleID: Settlement]
    /// The night a return file (by SHA-256) was read, if it was.
    func returnFileNight(hash: String) throws -> Day?
    /// The next remittance file sequence number (NSA) for a bank and agreement.
    func nextNSA(bankCode: String, agreement: String) throws -> Int
    /// Records a night in one transaction: the run, every action, NSAs, bank state, return files.
    func commit(_ night: NightCommit) throws -> Int64
    /// Marks a committed night as published (its folder is visible in `out/`).
    func markPublished(runID: Int64) throws
    /// Deletes a committed night that was never published (its output was never visible).
    func discardUnpublished(runID: Int64) throws
    /// Actions of a range of nights (for stats and audits); `sentOnly` keeps the steps that went out.
    func actions(from: Day, to: Day, sentOnly: Bool) throws -> [LedgerAction]
}

/// A payment the bank reported in a return file.
public struct Settlement: Sendable, Hashable {
    public var paidAmount: Money
    public var paidDate: Day
    public init(paidAmount: Money, paidDate: Day) {
        self.paidAmount = paidAmount
        self.paidDate = paidDate
    }
}

/// A night as the ledger knows it.
public struct NightRecord: Sendable, Hashable {
    public enum Status: String, Sendable { case committed, published }
    public var runID: Int64
    public var night: Day
    public var rulesHash: String
    public var inputsHash: String
    public var status: Status
    public var forced: Bool
    /// Remittance files of the night with their sequence numbers (reused by a rerun).
    public var remittanceFiles: [RemittanceFileRecord]
    /// Exit code the night ended with (0, or 1 with rejects), so a rerun answers the same.
    public var exitCode: Int
}

/// A remittance file of a night.
public struct RemittanceFileRecord: Sendable, Hashable {
    public var bankCode: String
    public var agreement: String
    public var nsa: Int
    public var fileName: String
    public var records: Int
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
    public var hash: String
    public var name: String
    public var bankCode: String
    public var nsa: Int
    /// (title, movement code, kind, amount paid, occurrence date, reason codes)
    public var events: [ReturnEventRecord]
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
    public var titleID: TitleID?
    public var nossoNumero: String
    public var movement: String
    public var kind: String
    public var paidAmount: Money?
    public var occurrenceDate: Day?
    public var reasons: String
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
    public var night: Day
    public var rulesHash: String
    public var inputsHash: String
    public var forced: Bool
    public var exitCode: Int
    public var actions: [Action]
    public var remittanceFiles: [RemittanceFileRecord]
    /// Bank state after the night's instructions: (title, instruction, due date sent).
    public var instructions: [(titleID: TitleID, instruction: RemittanceInstruction, dueDate: Day)]
    public var returnFiles: [ReturnFileRecord]
    /// Titles settled by the night's return files.
    public var settlements: [(titleID: TitleID, settlement: Settlement)]
    /// With `--force`: the earlier run of the same night, replaced in the same transaction.
    public var replacesRunID: Int64?

    public init(
        night: Day, rulesHash: String, inputsHash: String, forced: Bool, exitCode: Int, actions: [Action],
        remittanceFiles: [RemittanceFileRecord] = [],
        instructions: [(titleID: TitleID, instruction: RemittanceInstruction, dueDate: Day)] = [],
        returnFiles: [ReturnFileRecord] = [], settlements: [(titleID: TitleID, settlement: Settlement)] = [],
        replacesRunID: Int64? = nil
    ) {
        self.replacesRunID = replacesRunID
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
    /// Every action of a range of nights.
    public func actions(from: Day, to: Day) throws -> [LedgerAction] {
        try actions(from: from, to: to, sentOnly: false)
    }
}

/// An action as stored, with its night.
public struct LedgerAction: Sendable, Hashable {
    public var night: Day
    public var action: Action
}

/// Why the ledger cannot be used; the CLI maps these to exit 3.
public struct LedgerError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "ledger \(path): \(message)" }
}
