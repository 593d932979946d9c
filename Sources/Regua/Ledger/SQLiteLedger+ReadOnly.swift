import Foundation
import GRDB

extension SQLiteLedger {
    /// The ledger at `path` for a command that only reads it (`explain`, `simulate`, `stats`,
    /// `diff-rules`, `run --dry-run`): its bytes never change (SPEC §5).
    ///
    /// The file is opened with `SQLITE_OPEN_READONLY`: no migration, no `application_id` write,
    /// no journal-mode change, no journal or WAL file left behind. A ledger of an older schema is
    /// copied into memory and the copy migrated (the file stays as it was, for the next real
    /// run to migrate); a missing or empty file reads as an empty ledger held in memory.
    public static func forReading(path: String) throws -> SQLiteLedger {
        let fm = FileManager.default
        guard fm.fileExists(atPath: path),
            let size = (try? fm.attributesOfItem(atPath: path))?[.size] as? Int, size > 0
        else {
            return try SQLiteLedger(inMemoryCopyOf: nil)
        }
        try checkHeader(path: path)
        var config = Configuration()
        config.label = "regua.ledger.readonly"
        config.readonly = true
        config.busyMode = .timeout(5)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            let (appID, tables, current) = try queue.read { db in
                (
                    try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0,
                    try migrator.hasCompletedMigrations(db) || migrator.hasBeenSuperseded(db)
                )
            }
            if appID != applicationID && (appID != 0 || tables > 0) {
                throw LedgerError(
                    path: path,
                    message:
                        "is an SQLite database of another application (application_id \(appID), \(tables) tables); it was left untouched"
                )
            }
            if tables == 0 { return try SQLiteLedger(inMemoryCopyOf: nil) }
            if current { return try SQLiteLedger(queue: queue, path: path, migrate: false) }
            // An older schema: the newer tables are built on a copy, never in the file.
            let copy = try DatabaseQueue()
            try queue.backup(to: copy)
            return try SQLiteLedger(queue: copy, path: path, migrate: true)
        } catch let e as LedgerError {
            throw e
        } catch let e as DatabaseError where e.extendedResultCode == .SQLITE_READONLY_ROLLBACK {
            throw LedgerError(
                path: path,
                message:
                    "was left mid-transaction by a run that was killed; the next `regua run` recovers it (a read-only command cannot); it was left untouched"
            )
        } catch let e as DatabaseError {
            throw LedgerError(
                path: path,
                message: "cannot be read (\(e.message ?? "\(e.resultCode)")); it was left untouched")
        }
    }
}
