import Foundation
import PostgresNIO

/// The ledger in a PostgreSQL database (`--state postgres://…`, SPEC §5 "Past one machine"):
/// the tables of ``SQLiteLedger`` in PostgreSQL types (``migrations``), read and written with
/// the same queries and the same guarantees — one transaction per night whose COMMIT waits for
/// the night's files to be flushed (``commit(_:before:)``), "never twice" by the primary keys of
/// `title_steps` with `ON CONFLICT DO NOTHING`, one counting run per night by a unique index,
/// and the run lock as an advisory lock (``PostgresRunLock``).
///
/// A process killed at any point leaves no half night: the server rolls back the open
/// transaction when the connection drops, as SQLite's journal does.
public final class PostgresLedger: Ledger {
    /// How the ledger was opened.
    enum Mode: Sendable {
        /// A command that records: the schema is created or migrated.
        case write
        /// A command that only reads: every transaction of the session is read-only.
        case readOnly
        /// `simulate`: one transaction, never committed; each night a savepoint in it.
        case scratch
    }

    let session: PostgresSession
    let mode: Mode
    /// The shard this ledger's runs are recorded as (``recordRuns(as:)``), set once before the
    /// night's commit and read by it; nil: unsharded.
    let runShard = Locked<Shard?>(nil)
    /// The database, for messages (no secret in it).
    public let url: PostgresURL

    /// Connects and, for `.write`, brings the schema to the current version.
    init(url: PostgresURL, mode: Mode) throws {
        self.url = url
        self.mode = mode
        session = try PostgresSession(url: url, purpose: mode == .write ? "ledger" : "reader")
        switch mode {
        case .write:
            try Self.migrate(session, inOpenTransaction: false)
        case .scratch:
            try session.execute("BEGIN")
            try Self.migrate(session, inOpenTransaction: true)  // rolled back with the rest
        case .readOnly:
            try session.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        }
    }

    /// The ledger for a command that only reads: the server itself refuses any write in the
    /// session. A database with no Regua schema yet reads as an empty ledger.
    static func forReading(url: PostgresURL) throws -> any Ledger {
        let l = try PostgresLedger(url: url, mode: .readOnly)
        guard let applied = try appliedMigrations(l.session) else { return try SQLiteLedger(inMemoryCopyOf: nil) }
        let missing = migrations.map(\.name).filter { !applied.contains($0) }
        guard missing.isEmpty else {
            throw LedgerError(
                path: url.description,
                message:
                    "has an older schema (missing \(missing.joined(separator: ", "))); the next `regua run` migrates it"
            )
        }
        return l
    }

    /// Runs `body` in one transaction (a savepoint in a scratch ledger); rolls back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        let (begin, commit, rollback) =
            mode == .scratch
            ? ("SAVEPOINT night", "RELEASE SAVEPOINT night", "ROLLBACK TO SAVEPOINT night")
            : ("BEGIN", "COMMIT", "ROLLBACK")
        try session.execute(begin)
        do {
            let result = try body()
            try session.execute(commit)
            return result
        } catch {
            try? session.execute(rollback)
            throw error
        }
    }

    /// Runs the reads of `body` on one snapshot (a repeatable-read, read-only transaction), so
    /// that a title moved between the hot tables and the archive by a commit at the same time is
    /// read once, never twice or not at all. In a scratch ledger the open transaction is the snapshot.
    func snapshot<T>(_ body: () throws -> T) throws -> T {
        guard mode != .scratch else { return try body() }
        try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            let result = try body()
            try session.execute("COMMIT")
            return result
        } catch {
            try? session.execute("ROLLBACK")
            throw error
        }
    }

    @discardableResult
    func q(_ sql: String, _ values: [PostgresSession.Value] = []) throws -> [PostgresSession.Row] {
        try session.query(sql, values)
    }

    // MARK: - Nights

    static let runColumns = "id, night::text, rules_hash, inputs_hash, status, forced, exit_code"

    func nightRecord(_ condition: String, _ values: [PostgresSession.Value]) throws -> NightRecord? {
        guard let r = try q("SELECT \(Self.runColumns) FROM runs \(condition) LIMIT 1", values).first else {
            return nil
        }
        let runID = Int64(try r.int(0))
        let files = try q(
            "SELECT bank_code, agreement, nsa, file_name, records FROM remittance_files WHERE run_id = $1 ORDER BY nsa",
            [runID]
        ).map {
            RemittanceFileRecord(
                bankCode: try $0.string(0), agreement: try $0.string(1), nsa: try $0.int(2),
                fileName: try $0.string(3), records: try $0.int(4))
        }
        return NightRecord(
            runID: runID, night: try r.day(1), rulesHash: try r.string(2), inputsHash: try r.string(3),
            status: NightRecord.Status(rawValue: try r.string(4)) ?? .committed, forced: try r.bool(5),
            remittanceFiles: files, exitCode: try r.int(6))
    }

    /// The record of a night, if it was committed and not replaced.
    public func night(_ day: Day) throws -> NightRecord? {
        try nightRecord("WHERE night = $1::date AND status <> 'replaced'", [day.iso])
    }

    /// The latest night committed and not replaced.
    public func lastNight() throws -> NightRecord? {
        try nightRecord("WHERE status <> 'replaced' ORDER BY night DESC", [])
    }

    /// The latest night before `day` committed and not replaced.
    public func lastNight(before day: Day) throws -> NightRecord? {
        try nightRecord("WHERE status <> 'replaced' AND night < $1::date ORDER BY night DESC", [day.iso])
    }

    /// Marks a committed night as published.
    public func markPublished(runID: Int64) throws {
        try q("UPDATE runs SET status = 'published' WHERE id = $1", [runID])
    }

    // MARK: - Reads

    private func settlementRows(_ sql: String, _ values: [PostgresSession.Value]) throws -> [TitleID: Settlement] {
        var out: [TitleID: Settlement] = [:]
        for r in try q(sql, values) {
            out[TitleID(try r.string(0))] = Settlement(
                paidAmount: Money(cents: Int64(try r.int(1))), paidDate: try r.day(2))
        }
        return out
    }

    /// Settlements read from bank return files on or before `day`, by title.
    public func settlements(upTo day: Day) throws -> [TitleID: Settlement] {
        try settlementRows(
            "SELECT title_id, paid_cents, paid_date::text FROM settlements WHERE night <= $1::date ORDER BY id",
            [day.iso])
    }

    /// Settlements on or before `day` for `titles` only.
    public func settlements(upTo day: Day, titles: [TitleID]) throws -> [TitleID: Settlement] {
        guard !titles.isEmpty else { return [:] }
        return try settlementRows(
            """
            SELECT title_id, paid_cents, paid_date::text FROM settlements
            WHERE night <= $1::date AND title_id = ANY($2::text[]) ORDER BY id
            """, [day.iso, titles.map(\.raw)])
    }

    /// The night a return file (by SHA-256) was read, if it was.
    public func returnFileNight(hash: String) throws -> Day? {
        try q("SELECT night::text FROM return_files WHERE hash = $1", [hash]).first.map { try $0.day(0) }
    }

    /// The next NSA for a bank and agreement: after every NSA recorded, and every NSA a shard
    /// reserved (a shard killed before its commit may still be rerun and write its block).
    public func nextNSA(bankCode: String, agreement: String) throws -> Int {
        try q(
            """
            SELECT greatest(
                (SELECT coalesce(max(nsa), 0) FROM remittance_files WHERE bank_code = $1 AND agreement = $2),
                (SELECT coalesce(max(first_nsa + count - 1), 0) FROM nsa_reservations
                 WHERE bank_code = $1 AND agreement = $2)) + 1
            """, [bankCode, agreement]
        ).first?.int(0) ?? 1
    }

    /// Actions of a range of nights; `sentOnly` keeps the steps that went out.
    public func actions(from: Day, to: Day, sentOnly: Bool) throws -> [LedgerAction] {
        try q(
            """
            SELECT night::text, title_id, customer_id, step_id, step_offset, kind, channel, instruction, reason,
                   message_id, profile, arms, bureau, handoff
            FROM actions WHERE night >= $1::date AND night <= $2::date \(sentOnly ? "AND kind = 'sent'" : "") ORDER BY id
            """, [from.iso, to.iso]
        ).map { r in
            LedgerAction(
                night: try r.day(0),
                action: Action(
                    titleID: TitleID(try r.string(1)), customerID: CustomerID(try r.string(2)),
                    stepID: try r.string(3), offset: try r.int(4),
                    kind: ActionKind(rawValue: try r.string(5)) ?? .held,
                    channel: try r.text(6).flatMap(Channel.init(rawValue:)),
                    instruction: try r.text(7).flatMap(RemittanceInstruction.init(rawValue:)),
                    reason: try r.text(8).flatMap(HoldReason.init(rawValue:)), messageID: try r.text(9),
                    profile: try r.string(10), bureau: try r.text(12).flatMap(BureauAction.init(rawValue:)),
                    handoff: try r.text(13)
                ).withArms(try r.text(11)))
        }
    }

    /// The ladder steps first sent on nights `from` … `to`.
    public func ladderSteps(from: Day, to: Day) throws -> [EffectivenessStats.LadderStep] {
        var out: [EffectivenessStats.LadderStep] = []
        for table in ["title_steps", "archived_title_steps"] {
            for r in try q(
                """
                SELECT night::text, title_id, step_id, step_offset FROM \(table)
                WHERE kind = 'sent' AND night >= $1::date AND night <= $2::date
                ORDER BY night, step_offset, title_id COLLATE "C", step_id COLLATE "C"
                """, [from.iso, to.iso])
            {
                out.append(
                    .init(
                        night: try r.day(0), titleID: TitleID(try r.string(1)), stepID: try r.string(2),
                        offset: try r.int(3)))
            }
        }
        return out
    }

    /// Per night and step, the titles first sent the step on nights `from` … `to` (`step_sends`).
    public func stepSends(from: Day, to: Day) throws -> [EffectivenessStats.StepSends] {
        try q(
            """
            SELECT night::text, step_id, titles, first_offset FROM step_sends
            WHERE night >= $1::date AND night <= $2::date ORDER BY night, step_id COLLATE "C", run_id
            """, [from.iso, to.iso]
        ).map { r in
            .init(night: try r.day(0), stepID: try r.string(1), titles: try r.int(2), firstOffset: try r.int(3))
        }
    }

    /// The ladder steps first sent on nights `from` … `to` for `titles` only, by title.
    public func ladderSteps(from: Day, to: Day, titles: [TitleID]) throws -> [EffectivenessStats.LadderStep] {
        guard !titles.isEmpty else { return [] }
        var out: [EffectivenessStats.LadderStep] = []
        for table in ["title_steps", "archived_title_steps"] {
            for r in try q(
                """
                SELECT night::text, title_id, step_id, step_offset FROM \(table)
                WHERE title_id = ANY($3::text[]) AND kind = 'sent' AND night >= $1::date AND night <= $2::date
                """, [from.iso, to.iso, titles.map(\.raw)])
            {
                out.append(
                    .init(
                        night: try r.day(0), titleID: TitleID(try r.string(1)), stepID: try r.string(2),
                        offset: try r.int(3)))
            }
        }
        return EffectivenessStats.LadderStep.inOrder(out)
    }

    /// The titles with a settlement recorded on or before `day` and paid on or after `paidFrom`.
    public func titlesSettled(paidFrom: Day, upTo day: Day) throws -> [TitleID] {
        try q(
            """
            SELECT title_id FROM settlements WHERE paid_date >= $1::date AND night <= $2::date
            GROUP BY title_id ORDER BY title_id COLLATE "C"
            """, [paidFrom.iso, day.iso]
        ).map { TitleID(try $0.string(0)) }
    }

    /// Every step sent before `day` for these titles, with its channel, oldest first.
    public func sentSteps(titles: [TitleID], before day: Day) throws -> [TitleID: [LedgerHistory.SentStep]] {
        guard !titles.isEmpty else { return [:] }
        var out: [TitleID: [LedgerHistory.SentStep]] = [:]
        for r in try q(
            """
            SELECT title_id, step_id, step_offset, night::text, channel FROM actions
            WHERE kind = 'sent' AND night < $1::date AND title_id = ANY($2::text[]) ORDER BY night, id
            """, [day.iso, titles.map(\.raw)])
        {
            out[TitleID(try r.string(0)), default: []].append(
                .init(
                    stepID: try r.string(1), offset: try r.int(2), night: try r.day(3),
                    channel: try r.text(4).flatMap(Channel.init(rawValue:))))
        }
        return out
    }

    /// The offers made on nights `from` … `to` (of runs that still count).
    public func offers(from: Day, to: Day) throws -> [(night: Day, record: OfferRecord)] {
        try q(
            """
            SELECT night::text, message_id, customer_id, step_id, cash_cents, savings_cents, valid_until::text, title_ids
            FROM offers WHERE night >= $1::date AND night <= $2::date
              AND run_id IN (SELECT id FROM runs WHERE status <> 'replaced')
            ORDER BY id
            """, [from.iso, to.iso]
        ).map { r in
            let offer = Offer(
                cashAmount: Money(cents: Int64(try r.int(4))), savings: Money(cents: Int64(try r.int(5))),
                validUntil: try r.day(6), installments: [])
            let titles = try r.string(7).split(separator: ";").map { TitleID(String($0)) }
            return (
                try r.day(0),
                OfferRecord(
                    messageID: try r.string(1), customerID: CustomerID(try r.string(2)), stepID: try r.string(3),
                    titleIDs: titles, offer: offer)
            )
        }
    }
}
