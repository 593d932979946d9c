import Foundation
import GRDB

/// What one `regua prune` did (or, with `--dry-run`, would do).
public struct PruneRecord: Sendable, Codable, Hashable {
    /// The night the ages are counted from, as an ISO date.
    public var asOf: String
    /// Nights kept.
    public var keepDays: Int
    /// Folders of nights before this ISO date are removed.
    public var cutoff: String
    /// Folder names removed from the output folder.
    public var folders: [String]
    /// Titles whose state moved to the archive (not seen in the receivables since before the cutoff).
    public var titlesArchived: Int
}

extension SQLiteLedger {
    /// The `last_seen` before which a title has surely not been seen since `cutoff`: `last_seen`
    /// is rewritten only once it is ``CompactState/lastSeenSlack`` nights old.
    static func archiveBefore(_ cutoff: Day) -> String { cutoff.adding(days: -CompactState.lastSeenSlack).iso }

    /// Titles whose state would move out of the hot tables: not seen in the receivables since
    /// before `cutoff` (at least; up to six nights longer).
    public func titlesToArchive(notSeenSince cutoff: Day) throws -> Int {
        try wrap {
            try dbQueue.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM title_state WHERE last_seen < ?",
                    arguments: [Self.archiveBefore(cutoff)]) ?? 0
            }
        }
    }

    /// Moves the state of titles not seen since before the record's cutoff to the archive tables
    /// and records the prune, in one transaction.
    public func recordPrune(_ p: PruneRecord) throws {
        try wrap {
            try dbQueue.write { db in
                guard let cutoff = Day(iso: p.cutoff) else {
                    throw LedgerError(path: path, message: "prune cutoff '\(p.cutoff)' is not a date")
                }
                let moved = try String.fetchAll(
                    db, sql: "SELECT title_id FROM title_state WHERE last_seen < ?",
                    arguments: [Self.archiveBefore(cutoff)])
                try CompactState.move(db, titles: moved, from: "", to: "archived_")
                try CompactState.rebuildArchiveFilter(db)
                try db.execute(
                    sql: """
                        INSERT INTO prunes (recorded_at, as_of, keep_days, cutoff, folders, folder_names, titles_archived)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        ISO8601DateFormatter().string(from: Date()), p.asOf, p.keepDays, p.cutoff, p.folders.count,
                        p.folders.joined(separator: "\n"), moved.count,
                    ])
            }
        }
    }

    /// Every prune recorded, oldest first.
    public func prunes() throws -> [PruneRecord] {
        try wrap {
            try dbQueue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM prunes ORDER BY id").map { r in
                    let names: String = r["folder_names"]
                    return PruneRecord(
                        asOf: r["as_of"], keepDays: r["keep_days"], cutoff: r["cutoff"],
                        folders: names.isEmpty ? [] : names.components(separatedBy: "\n"),
                        titlesArchived: r["titles_archived"])
                }
            }
        }
    }
}

extension CompactState {
    /// Moves titles' rows between the hot tables (`prefix` "") and the archive ("archived_").
    static func move(_ db: Database, titles: [String], from: String, to: String) throws {
        guard !titles.isEmpty else { return }
        let ids = JSONKeyList.encode(titles)
        for table in ["title_steps", "title_state"] {
            try db.execute(
                sql: """
                    INSERT INTO \(to)\(table) SELECT * FROM \(from)\(table)
                    WHERE title_id IN (SELECT value FROM json_each(?))
                    """, arguments: [ids])
            try db.execute(
                sql: "DELETE FROM \(from)\(table) WHERE title_id IN (SELECT value FROM json_each(?))", arguments: [ids])
        }
    }

    /// The filter of the archived ids, built again from the archive (by `prune`, after a move).
    static func rebuildArchiveFilter(_ db: Database) throws {
        let ids = try String.fetchAll(db, sql: "SELECT title_id FROM archived_title_state")
        var filter = ArchiveFilter(capacity: ids.count)
        for id in ids { filter.insert(id) }
        try db.execute(
            sql: """
                INSERT INTO archive_filter (name, bits, ids) VALUES ('archived_title_state', ?, ?)
                ON CONFLICT (name) DO UPDATE SET bits = excluded.bits, ids = excluded.ids
                """, arguments: [filter.data, ids.count])
    }

    /// Of `titles`, those that may be archived: none while the archive is empty; the ones the
    /// filter cannot rule out (all of them without a filter).
    static func archiveCandidates(_ db: Database, among titles: some Sequence<String>) throws -> [String] {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM archived_title_state)") == true else {
            return []
        }
        guard
            let bits = try Data.fetchOne(
                db, sql: "SELECT bits FROM archive_filter WHERE name = 'archived_title_state'"),
            let filter = ArchiveFilter(data: bits)
        else { return Array(titles) }
        return titles.filter(filter.mightContain)
    }

    /// Archived titles in tonight's receivables (or touched by tonight's actions) come back to
    /// the hot tables before the night's rows are folded in.
    static func restoreArchived(_ db: Database, titles: () -> [String]) throws {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM archived_title_state)") == true else { return }
        let titles = try archiveCandidates(db, among: titles())
        guard !titles.isEmpty else { return }
        let back = try String.fetchAll(
            db,
            sql: "SELECT title_id FROM archived_title_state WHERE title_id IN (SELECT value FROM json_each(?))",
            arguments: [JSONKeyList.encode(titles)])
        try move(db, titles: back, from: "archived_", to: "")
    }
}
