import Foundation
import PostgresNIO

/// The run lock of a PostgreSQL ledger: a session advisory lock keyed by night and shard
/// (``LedgerLockKey/advisoryKeys``), held on a connection of its own for the whole run. The
/// server releases it when that connection ends, however the process ends (`kill -9`
/// included): no lock file to clean up, and it holds across machines.
public final class PostgresRunLock: Sendable {
    private let session: PostgresSession
    /// What is locked.
    public let key: LedgerLockKey

    /// Takes the lock, or throws ``ReguaError`` with exit code 4 when another run holds it
    /// (exit 3 when the server cannot be reached).
    public init(url: PostgresURL, key: LedgerLockKey) throws {
        self.key = key
        let (k1, k2) = key.advisoryKeys
        do {
            session = try PostgresSession(url: url, purpose: "run lock")
            let got = try session.query("SELECT pg_try_advisory_lock($1, $2)", [k1, k2]).first?.bool(0) ?? false
            if !got {
                // The holder's pid, from the application_name every regua connection sets.
                let holder = try? session.query(
                    """
                    SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE l.locktype = 'advisory' AND l.classid = $1::oid AND l.objid = $2::oid AND l.granted
                    """, [Int64(UInt32(bitPattern: k1)), Int64(UInt32(bitPattern: k2))]
                ).first?.text(0)
                let pid = holder?.split(separator: " ").last.flatMap { Int32($0) }
                throw ReguaError(
                    .locked,
                    RunLock.lockedMessage(ledgerPath: "\(url) (\(key))", holder: pid))
            }
        } catch let e as LedgerError {
            throw ReguaError(.io, e.description + "; nothing was done")
        }
    }

    deinit {
        let (k1, k2) = key.advisoryKeys
        _ = try? session.query("SELECT pg_advisory_unlock($1, $2)", [k1, k2])
    }
}
