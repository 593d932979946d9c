import Foundation
import GRDB

/// The ledger in one SQLite file (default `var/regua.sqlite`), through GRDB.
///
/// The file carries `PRAGMA application_id` = 'RGUA' so a foreign database is refused, never
/// migrated or overwritten; a file that is not SQLite is refused the same way.
public final class SQLiteLedger: Ledger {  // every stored property is an immutable Sendable value
    /// 'RGUA' as a 32-bit integer.
    static let applicationID: Int32 = 0x5247_5541
    let dbQueue: DatabaseQueue
    /// Path of the SQLite file.
    public let path: String

    /// Opens (creating when missing) the ledger at `path`, migrating an older schema; a write
    /// waits up to `busyTimeout` seconds for another process's (the shards of a night share one).
    public init(path: String, busyTimeout: TimeInterval = 5) throws {
        self.path = path
        let fm = FileManager.default
        let exists = fm.fileExists(atPath: path)
        if !exists {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty {
                do {
                    try fm.createDirectory(
                        atPath: dir, withIntermediateDirectories: true,
                        attributes: [.posixPermissions: 0o700])
                } catch {
                    throw LedgerError(path: path, message: "cannot create its folder: \(error.localizedDescription)")
                }
            }
        } else if let size = (try? fm.attributesOfItem(atPath: path))?[.size] as? Int, size > 0 {
            try SQLiteLedger.checkHeader(path: path)
        }
        var config = Configuration()
        config.label = "regua.ledger"
        config.busyMode = .timeout(busyTimeout)
        do {
            dbQueue = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw LedgerError(path: path, message: "cannot open: \(error)")
        }
        chmod(path, 0o600)
        try prepare()
    }

    /// A ledger that lives in memory (tests, simulations).
    public init(inMemoryCopyOf other: SQLiteLedger? = nil) throws {
        path = ":memory:"
        dbQueue = try DatabaseQueue()
        if let other { try other.dbQueue.backup(to: dbQueue) }
        try prepare()
    }

    /// A ledger on an open queue: a read-only file whose schema is current (nothing is
    /// migrated), or an in-memory copy that `prepare` brings to the current schema.
    init(queue: DatabaseQueue, path: String, migrate: Bool) throws {
        self.path = path
        dbQueue = queue
        if migrate { try prepare() }
    }

    /// Refuses a file that is not an SQLite database before SQLite gets a chance to touch it.
    static func checkHeader(path: String) throws {
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw LedgerError(path: path, message: "cannot be read (permissions?)")
        }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 16)) ?? Data()
        guard head == Data("SQLite format 3\u{0}".utf8) else {
            throw LedgerError(
                path: path,
                message:
                    "is not an SQLite database (corrupted or not a Regua ledger); it was left untouched — restore it from a backup or point --state elsewhere"
            )
        }
    }

    private func prepare() throws {
        do {
            let appID = try dbQueue.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0 }
            let tables = try dbQueue.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
            }
            if appID != SQLiteLedger.applicationID && (appID != 0 || tables > 0) {
                throw LedgerError(
                    path: path,
                    message:
                        "is an SQLite database of another application (application_id \(appID), \(tables) tables); it was left untouched"
                )
            }
            // Marked as Regua's before the first migration: a run killed while migrating a new
            // file leaves a ledger the next run finishes migrating, never a "foreign" file.
            if appID == 0 {
                try dbQueue.write { db in try db.execute(sql: "PRAGMA application_id = \(SQLiteLedger.applicationID)") }
            }
            try Self.migrator.migrate(dbQueue)
        } catch let e as LedgerError {
            throw e
        } catch let e as DatabaseError {
            throw LedgerError(
                path: path,
                message: "is unreadable or corrupted (\(e.message ?? "\(e.resultCode)")); it was left untouched")
        }
    }

    // MARK: - Queries

    /// The record of a night, if it was committed and not replaced.
    public func night(_ day: Day) throws -> NightRecord? {
        try wrap {
            try dbQueue.read { db in
                try Self.nightRecord(db, sql: "WHERE night = ? AND status != 'replaced'", [day.iso])
            }
        }
    }

    /// The latest night committed and not replaced.
    public func lastNight() throws -> NightRecord? {
        try wrap {
            try dbQueue.read { db in try Self.nightRecord(db, sql: "WHERE status != 'replaced' ORDER BY night DESC", [])
            }
        }
    }

    /// The latest night before `day` committed and not replaced.
    public func lastNight(before day: Day) throws -> NightRecord? {
        try wrap {
            try dbQueue.read { db in
                try Self.nightRecord(
                    db, sql: "WHERE status != 'replaced' AND night < ? ORDER BY night DESC", [day.iso])
            }
        }
    }

    static func nightRecord(_ db: Database, sql: String, _ args: StatementArguments) throws -> NightRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs \(sql) LIMIT 1", arguments: args) else {
            return nil
        }
        let runID: Int64 = row["id"]
        let files = try Row.fetchAll(
            db, sql: "SELECT * FROM remittance_files WHERE run_id = ? ORDER BY nsa", arguments: [runID]
        )
        .map {
            RemittanceFileRecord(
                bankCode: $0["bank_code"], agreement: $0["agreement"], nsa: $0["nsa"],
                fileName: $0["file_name"], records: $0["records"])
        }
        return NightRecord(
            runID: runID, night: Day(iso: row["night"] as String)!, rulesHash: row["rules_hash"],
            inputsHash: row["inputs_hash"], status: NightRecord.Status(rawValue: row["status"]) ?? .committed,
            forced: row["forced"], remittanceFiles: files, exitCode: row["exit_code"])
    }

    /// Settlements read from bank return files on or before `day`, by title.
    public func settlements(upTo day: Day) throws -> [TitleID: Settlement] {
        try wrap {
            try dbQueue.read { db in
                var out: [TitleID: Settlement] = [:]
                for r in try Row.fetchAll(
                    db, sql: "SELECT title_id, paid_cents, paid_date FROM settlements WHERE night <= ? ORDER BY id",
                    arguments: [day.iso])
                {
                    out[TitleID(r[0])] = Settlement(paidAmount: Money(cents: r[1]), paidDate: Day(iso: r[2] as String)!)
                }
                return out
            }
        }
    }

    /// The night a return file (by SHA-256) was read, if it was.
    public func returnFileNight(hash: String) throws -> Day? {
        try wrap {
            try dbQueue.read { db in
                try String.fetchOne(db, sql: "SELECT night FROM return_files WHERE hash = ?", arguments: [hash]).flatMap
                { Day(iso: $0) }
            }
        }
    }

    /// The next remittance file sequence number (NSA) for a bank and agreement.
    public func nextNSA(bankCode: String, agreement: String) throws -> Int {
        try wrap {
            try dbQueue.read { db in
                (try Int.fetchOne(
                    db, sql: "SELECT max(nsa) FROM remittance_files WHERE bank_code = ? AND agreement = ?",
                    arguments: [bankCode, agreement]) ?? 0) + 1
            }
        }
    }

    /// Actions of a range of nights; `sentOnly` keeps the steps that went out.
    public func actions(from: Day, to: Day, sentOnly: Bool) throws -> [LedgerAction] {
        try wrap {
            try dbQueue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT night, title_id, customer_id, step_id, step_offset, kind, channel, instruction, reason, message_id, profile,
                               arms, bureau, handoff
                        FROM actions WHERE night >= ? AND night <= ? \(sentOnly ? "AND kind = 'sent'" : "") ORDER BY id
                        """, arguments: [from.iso, to.iso]
                ).map { r in
                    LedgerAction(
                        night: Day(iso: r[0] as String)!,
                        action: Action(
                            titleID: TitleID(r[1]), customerID: CustomerID(r[2]), stepID: r[3], offset: r[4],
                            kind: ActionKind(rawValue: r[5]) ?? .held,
                            channel: (r[6] as String?).flatMap(Channel.init(rawValue:)),
                            instruction: (r[7] as String?).flatMap(RemittanceInstruction.init(rawValue:)),
                            reason: (r[8] as String?).flatMap(HoldReason.init(rawValue:)), messageID: r[9],
                            profile: r[10], bureau: (r[12] as String?).flatMap(BureauAction.init(rawValue:)),
                            handoff: r[13]
                        ).withArms(r[11]))
                }
            }
        }
    }

    // MARK: - Writes

    /// Records a night in one transaction whose rows are written first and whose COMMIT waits
    /// for `beforeCommit` to return (with the remittance files known only then, recorded with
    /// the others); if it throws, the transaction is rolled back and nothing is recorded. A
    /// night inserts its rows on another thread while its files are rendered and flushed to
    /// disk, and lets the transaction commit only once they are (the order of a night holds: a
    /// crash before that point leaves SQLite's journal to undo the uncommitted rows).
    /// Nothing else may use this ledger while `beforeCommit` waits.
    public func commit(_ n: NightCommit, before beforeCommit: () throws -> [RemittanceFileRecord]) throws -> Int64 {
        try wrap {
            try dbQueue.write { db in
                if let old = n.replacesRunID {
                    // --force: the earlier run of this night stays for audit but no longer counts.
                    try db.execute(sql: "UPDATE runs SET status = 'replaced' WHERE id = ?", arguments: [old])
                    try db.execute(
                        sql: "UPDATE actions SET kind = 'replaced-' || kind WHERE run_id = ?", arguments: [old])
                    try db.execute(sql: "DELETE FROM settlements WHERE run_id = ?", arguments: [old])
                    try db.execute(
                        sql:
                            "DELETE FROM return_events WHERE file_hash IN (SELECT hash FROM return_files WHERE run_id = ?)",
                        arguments: [old])
                    try db.execute(sql: "DELETE FROM return_files WHERE run_id = ?", arguments: [old])
                    try CompactState.forget(db, run: old)
                    try Self.rebuildEscalation(
                        db, titles: try String.fetchAll(db, sql: CompactState.titlesOfRun, arguments: [old, old]))
                }
                try db.execute(
                    sql: """
                        INSERT INTO runs (night, rules_hash, inputs_hash, status, forced, exit_code, recorded_at,
                                          accepted_gap, forced_volume)
                        VALUES (?, ?, ?, 'committed', ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        n.night.iso, n.rulesHash, n.inputsHash, n.forced, n.exitCode,
                        ISO8601DateFormatter().string(from: Date()), n.acceptedGap?.description, n.forcedVolume,
                    ])
                let runID = db.lastInsertedRowID
                var dueByTitle: [TitleID: Day] = [:]
                for i in n.instructions { dueByTitle[i.titleID] = i.dueDate }
                let insert = try db.cachedStatement(
                    sql: """
                        INSERT INTO actions (run_id, night, title_id, customer_id, step_id, step_offset, kind, channel,
                                             instruction, reason, message_id, profile, rules_hash, due_date,
                                             arms, bureau, handoff)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                let night = n.night.iso
                try CompactState.restoreArchived(db) { n.seenTitles.map(\.raw) + n.actions.map(\.titleID.raw) }
                var compact = try CompactState.NightWriter(db, runID: runID, night: n.night)
                for a in n.actions {
                    let due = a.instruction != nil && a.kind == .sent ? dueByTitle[a.titleID]?.iso : nil
                    try insert.execute(arguments: [
                        runID, night, a.titleID.raw, a.customerID.raw, a.stepID, a.offset,
                        a.kind.rawValue, a.channel?.rawValue, a.instruction?.rawValue,
                        a.reason?.rawValue, a.messageID, a.profile, n.rulesHash, due,
                        a.arms, a.bureau?.rawValue, a.handoff,
                    ])
                    try compact.add(a, actionID: db.lastInsertedRowID, due: due)
                }
                try CompactState.recountStepSends(db, runs: [CompactState.RunNight(run: runID, night: night)])
                try compact.finish(db, seen: n.seenTitles)
                try CompactState.archiveStale(db, night: n.night)
                try Self.recordEscalation(db, night: n.night, actions: n.actions)
                try Self.recordOffers(db, runID: runID, night: n.night, offers: n.offers)
                let lateFiles = try beforeCommit()
                for f in n.remittanceFiles + lateFiles {
                    try db.execute(
                        sql: """
                            INSERT INTO remittance_files (run_id, night, bank_code, agreement, nsa, file_name, records)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """, arguments: [runID, night, f.bankCode, f.agreement, f.nsa, f.fileName, f.records])
                }
                for rf in n.returnFiles {
                    try db.execute(
                        sql:
                            "INSERT INTO return_files (hash, run_id, night, name, bank_code, nsa) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [rf.hash, runID, night, rf.name, rf.bankCode, rf.nsa])
                    let ev = try db.cachedStatement(
                        sql: """
                            INSERT INTO return_events (file_hash, title_id, nosso_numero, movement, kind, paid_cents, occurrence_date, reasons)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """)
                    for e in rf.events {
                        try ev.execute(arguments: [
                            rf.hash, e.titleID?.raw, e.nossoNumero, e.movement, e.kind,
                            e.paidAmount?.cents, e.occurrenceDate?.iso, e.reasons,
                        ])
                    }
                }
                for s in n.settlements {
                    try db.execute(
                        sql:
                            "INSERT INTO settlements (run_id, night, title_id, paid_cents, paid_date) VALUES (?, ?, ?, ?, ?)",
                        arguments: [
                            runID, night, s.titleID.raw, s.settlement.paidAmount.cents, s.settlement.paidDate.iso,
                        ])
                }
                return runID
            }
        }
    }

    /// Marks a committed night as published.
    public func markPublished(runID: Int64) throws {
        try wrap {
            try dbQueue.write { db in
                try db.execute(sql: "UPDATE runs SET status = 'published' WHERE id = ?", arguments: [runID])
            }
        }
    }

    /// Deletes a committed night that was never published; any other run (published, replaced,
    /// unknown) is left as it is: its actions are history that later nights rely on.
    public func discardUnpublished(runID: Int64) throws {
        try wrap {
            try dbQueue.write { db in
                let status = try String.fetchOne(db, sql: "SELECT status FROM runs WHERE id = ?", arguments: [runID])
                guard status == "committed" else { return }
                let titles = try String.fetchAll(
                    db, sql: CompactState.titlesOfRun, arguments: [runID, runID])
                for table in [
                    "actions", "remittance_files", "settlements", "return_files", "customer_contacts", "offers",
                ] {
                    try db.execute(sql: "DELETE FROM \(table) WHERE run_id = ?", arguments: [runID])
                }
                try db.execute(sql: "DELETE FROM return_events WHERE file_hash NOT IN (SELECT hash FROM return_files)")
                try db.execute(sql: "DELETE FROM runs WHERE id = ? AND status = 'committed'", arguments: [runID])
                try CompactState.rebuild(db, titles: titles)
                try Self.rebuildEscalation(db, titles: titles)
            }
        }
    }

    func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as LedgerError {
            throw e
        } catch let e as DatabaseError {
            throw LedgerError(path: path, message: e.message ?? "\(e.resultCode)")
        }
    }
}
