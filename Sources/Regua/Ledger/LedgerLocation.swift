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

    /// Opens the ledger for `deliver`, `feedback` or `prune` (creating and migrating its schema);
    /// one that cannot be opened is an I/O error (exit 3) that names it, before anything is done.
    public func openForOperations() throws -> any OperationsLedger {
        do {
            switch self {
            case .file(let path): return try SQLiteLedger(path: path)
            case .postgres(let url): return try PostgresLedger(url: url, mode: .write)
            }
        } catch let e as LedgerError {
            throw ReguaError(.io, e.description + "; nothing was done")
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
        case .file(let path):
            switch key.purpose {
            case .night, .prune: try RunLock(ledgerPath: path)
            // One deliver per folder at a time, whatever the night: `<ledger>.deliver[.shard-K-of-N].lock`.
            case .deliver(let shard):
                try RunLock(ledgerPath: path + ".deliver" + (shard.map { "." + $0.folderName } ?? ""))
            }
        case .postgres(let url): try PostgresRunLock(url: url, key: key)
        }
    }
}

/// What a run lock is taken for: a night, and the shard of a sharded night (SPEC §5: "the lock
/// is per (night, shard)"). `shard` 0 is the unsharded night; a sharded run passes K + 1.
public struct LedgerLockKey: Sendable, Hashable, CustomStringConvertible {
    /// What holds the lock: a run of a night, a `deliver` of a night's folder, a `prune`.
    public enum Purpose: Sendable, Hashable {
        /// `regua run` (the default).
        case night
        /// `regua deliver` of a night, or of one shard's folder of it.
        case deliver(Shard?)
        /// `regua prune`: one at a time per ledger, whatever the night.
        case prune
    }

    /// The night the run decides (or delivers).
    public var night: Day
    /// 0 for an unsharded night; K + 1 for shard K of a sharded one (at most 65535).
    public var shard: Int
    /// What the lock is for.
    public var purpose: Purpose

    /// The lock of a night (and shard).
    public init(night: Day, shard: Int = 0) {
        self.night = night
        self.shard = shard
        self.purpose = .night
    }

    /// The lock of a `deliver` of a night's folder (a shard's, or the unsharded night's).
    public static func deliver(night: Day, shard: Shard?) -> LedgerLockKey {
        var k = LedgerLockKey(night: night, shard: shard.map { $0.index + 1 } ?? 0)
        k.purpose = .deliver(shard)
        return k
    }

    /// The lock of a `prune`.
    public static func prune(asOf: Day) -> LedgerLockKey {
        var k = LedgerLockKey(night: asOf)
        k.purpose = .prune
        return k
    }

    /// The two 32-bit keys of `pg_try_advisory_lock(int, int)`: 'RG' (a night), 'RD' (a deliver)
    /// or 'RP' (a prune) and the shard in the first (as `pg_locks.classid` shows it), the night
    /// as YYYYMMDD in the second (`objid`; 0 for a prune, which locks the whole ledger).
    public var advisoryKeys: (Int32, Int32) {
        let (tag, objid): (UInt32, Int32) =
            switch purpose {
            case .night: (0x5247_0000, Int32(night.iso.filter(\.isNumber)) ?? 0)
            case .deliver: (0x5244_0000, Int32(night.iso.filter(\.isNumber)) ?? 0)
            case .prune: (0x5250_0000, 0)
            }
        return (Int32(bitPattern: tag | UInt32(shard & 0xFFFF)), objid)
    }

    /// `night 2026-11-23` (and `shard K`), `deliver of night …`, `prune`.
    public var description: String {
        let night = "night \(night.iso)" + (shard == 0 ? "" : " shard \(shard - 1)")
        switch purpose {
        case .night: return night
        case .deliver: return "deliver of " + night
        case .prune: return "prune"
        }
    }
}
