import Foundation

/// Where the ledger lives, as `--state` names it (SPEC §5 "Past one machine"): a file path
/// (SQLite, the embedded default) or a `postgres://` / `postgresql://` URL (PostgreSQL).
public enum LedgerLocation: Sendable, Hashable, CustomStringConvertible {
    /// An SQLite file.
    case file(String)
    /// A PostgreSQL database.
    case postgres(PostgresURL)

    /// Reads `--state`; a malformed `postgres://` URL is refused (exit 2).
    public init(state: String) throws {
        if PostgresURL.looksLikeOne(state) {
            do {
                self = .postgres(try PostgresURL(state))
            } catch let e as PostgresURL.Invalid {
                throw ReguaError(.refused, "--state: \(e.message)")
            }
        } else {
            self = .file(state)
        }
    }

    /// The path, or the URL without any secret, for logs and messages.
    public var description: String {
        switch self {
        case .file(let path): path
        case .postgres(let url): url.description
        }
    }

    /// Opens the ledger for a command that records (creating and migrating its schema).
    public func openForWriting() throws -> any Ledger {
        switch self {
        case .file(let path): try SQLiteLedger(path: path)
        case .postgres(let url): try PostgresLedger(url: url, mode: .write)
        }
    }

    /// Opens the ledger for a command that only reads it: nothing in it ever changes (an SQLite
    /// file opened read-only; a PostgreSQL session whose transactions are read-only). A ledger
    /// that does not exist yet reads as an empty one.
    public func openForReading() throws -> any Ledger {
        switch self {
        case .file(let path): try SQLiteLedger.forReading(path: path)
        case .postgres(let url): try PostgresLedger.forReading(url: url)
        }
    }

    /// A ledger to play nights on without recording them (`simulate`): an in-memory copy of an
    /// SQLite file; for PostgreSQL, one transaction that is never committed.
    public func openScratch() throws -> any Ledger {
        switch self {
        case .file(let path): try SQLiteLedger(inMemoryCopyOf: try SQLiteLedger.forReading(path: path))
        case .postgres(let url): try PostgresLedger(url: url, mode: .scratch)
        }
    }

    /// Whether there is a ledger to read (an SQLite file exists; a PostgreSQL URL is always
    /// taken to name one: whether it can be reached is found on opening).
    public var exists: Bool {
        switch self {
        case .file(let path): FileManager.default.fileExists(atPath: path)
        case .postgres: true
        }
    }

    /// Takes the run lock of `key` for as long as the returned value lives (and the process
    /// lives): the `flock` of `<ledger>.lock` for a file, which serialises every run of the
    /// ledger; a PostgreSQL advisory lock keyed by night (and shard) on a connection of its own,
    /// released by the server when that connection ends, even by `kill -9`. Throws
    /// ``ReguaError`` with exit code 4 when another run holds it.
    public func lock(_ key: LedgerLockKey) throws -> AnyObject {
        switch self {
        case .file(let path): try RunLock(ledgerPath: path)
        case .postgres(let url): try PostgresRunLock(url: url, key: key)
        }
    }
}

/// What a run lock is taken for: a night, and the shard of a sharded night (SPEC §5: "the lock
/// is per (night, shard)"). `shard` 0 is the unsharded night; a sharded run passes K + 1.
public struct LedgerLockKey: Sendable, Hashable, CustomStringConvertible {
    /// The night the run decides.
    public var night: Day
    /// 0 for an unsharded night; K + 1 for shard K of a sharded one (at most 65535).
    public var shard: Int

    /// The lock of a night (and shard).
    public init(night: Day, shard: Int = 0) {
        self.night = night
        self.shard = shard
    }

    /// The two 32-bit keys of `pg_try_advisory_lock(int, int)`: 'RG' and the shard in the
    /// first (as `pg_locks.classid` shows it), the night as YYYYMMDD in the second (`objid`).
    public var advisoryKeys: (Int32, Int32) {
        (Int32(bitPattern: 0x5247_0000 | UInt32(shard & 0xFFFF)), Int32(night.iso.filter(\.isNumber)) ?? 0)
    }

    /// `night 2026-11-23` (and `shard K`).
    public var description: String { "night \(night.iso)" + (shard == 0 ? "" : " shard \(shard - 1)") }
}
