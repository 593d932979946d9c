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

    /// Nights a title may be missing from the receivables before a night's commit moves its state
    /// to the archive (``archiveStale(_:night:)``): a week.
    static let archiveAfterNights = 7

    /// The `last_seen` before which a title has surely not been in the receivables for
    /// ``archiveAfterNights`` nights up to `night` (`last_seen` may be ``lastSeenSlack`` nights old).
    static func staleBefore(_ night: Day) -> String {
        night.adding(days: -(archiveAfterNights + lastSeenSlack)).iso
    }

    /// Moves the state of the titles missing from the receivables for a week to the archive, after
    /// tonight's `last_seen` stamps: the hot tables a night reads whole then hold about the
    /// titles of the last nights, however long the ledger has run (SPEC §5). The archive keeps
    /// their state (a title that comes back is found through its filter and moved back); the
    /// filter takes the moved ids. Returns how many moved.
    @discardableResult
    static func archiveStale(_ db: Database, night: Day) throws -> Int {
        let moved = try String.fetchAll(
            db, sql: "SELECT title_id FROM title_state WHERE last_seen < ?", arguments: [staleBefore(night)])
        guard !moved.isEmpty else { return 0 }
        try move(db, titles: moved, from: "", to: "archived_")
        try addToArchiveFilter(db, moved)
        return moved.count
    }

    /// Adds ids just archived to the filter, in place while it holds them at about ten bits an
    /// id; else (no filter yet, or a full one) the filter is built again from the whole archive at
    /// twice the size, so its cost per archived id stays constant as the archive grows.
    static func addToArchiveFilter(_ db: Database, _ ids: [String]) throws {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT bits, ids FROM archive_filter WHERE name = 'archived_title_state'"),
            var filter = ArchiveFilter(data: row["bits"]),
            (row["ids"] as Int) + ids.count <= filter.capacity
        else { return try rebuildArchiveFilter(db) }
        for id in ids { filter.insert(id) }
        try writeArchiveFilter(db, filter, ids: (row["ids"] as Int) + ids.count)
    }

    /// The filter of the archived ids, built again from the archive (by `prune`, after a move),
    /// with room for as many again.
    static func rebuildArchiveFilter(_ db: Database) throws {
        let ids = try String.fetchAll(db, sql: "SELECT title_id FROM archived_title_state")
        var filter = ArchiveFilter(capacity: 2 * ids.count)
        for id in ids { filter.insert(id) }
        try writeArchiveFilter(db, filter, ids: ids.count)
    }

    private static func writeArchiveFilter(_ db: Database, _ filter: ArchiveFilter, ids: Int) throws {
        try db.execute(
            sql: """
                INSERT INTO archive_filter (name, bits, ids) VALUES ('archived_title_state', ?, ?)
                ON CONFLICT (name) DO UPDATE SET bits = excluded.bits, ids = excluded.ids
                """, arguments: [filter.data, ids])
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
