import Foundation

/// `regua prune --keep-days N`: published night folders older than N days hold personal data
/// (names, addresses, e-mails, phones, amounts; LGPD art. 15–16) and are removed; the prune is
/// recorded in the ledger, and the state of titles not seen in the receivables since then moves
/// to the archive tables (out of what a night reads first).
public enum Prune {
    /// Removes (or with `dryRun` lists) the folders in `outDir` of nights before `asOf` − `keepDays`:
    /// `YYYY-MM-DD` and `YYYY-MM-DD.replaced-…`. Staging folders and other files are left alone.
    public static func run(
        outDir: String, statePath: String, keepDays: Int, asOf: Day, dryRun: Bool
    ) throws -> PruneRecord {
        guard keepDays >= 1 else { throw ReguaError(.refused, "--keep-days must be at least 1, not \(keepDays)") }
        let cutoff = asOf.adding(days: -keepDays)
        let fm = FileManager.default
        let names = ((try? fm.contentsOfDirectory(atPath: outDir)) ?? []).filter { name in
            guard let night = Day(iso: String(name.prefix(10))), night < cutoff else { return false }
            return name.count == 10 || name.dropFirst(10).hasPrefix(".replaced-")
        }.sorted()
        let location = try LedgerLocation(state: statePath)
        guard location.exists else {
            throw ReguaError(.io, "no ledger at \(statePath): a prune is recorded there")
        }
        if dryRun {
            let ledger: any Ledger
            do {
                ledger = try location.openForReading()
            } catch let e as LedgerError {
                throw ReguaError(.io, e.description)
            }
            // A ledger that never recorded a night (an empty PostgreSQL database) archives nothing.
            let toArchive = try (ledger as? any OperationsLedger)?.titlesToArchive(notSeenSince: cutoff) ?? 0
            return PruneRecord(
                asOf: asOf.iso, keepDays: keepDays, cutoff: cutoff.iso, folders: names, titlesArchived: toArchive)
        }
        // The run lock of the SQLite file (no night runs meanwhile); on PostgreSQL, one prune at
        // a time, and nights go on: recordPrune locks the compact tables against their commits.
        let lock = try location.lock(.prune(asOf: asOf))
        defer { withExtendedLifetime(lock) {} }
        let ledger = try location.openForOperations()
        var removed: [String] = []
        for name in names {
            do {
                try fm.removeItem(atPath: outDir + "/" + name)
                removed.append(name)
            } catch {
                throw ReguaError(
                    .io,
                    "cannot remove \(outDir)/\(name): \(error.localizedDescription); removed before it: \(removed.count) (not recorded)"
                )
            }
        }
        var record = PruneRecord(
            asOf: asOf.iso, keepDays: keepDays, cutoff: cutoff.iso, folders: removed,
            titlesArchived: try ledger.titlesToArchive(notSeenSince: cutoff))
        do {
            try ledger.recordPrune(record)
            record.titlesArchived = try ledger.prunes().last?.titlesArchived ?? record.titlesArchived
        } catch let e as LedgerError {
            throw ReguaError(.io, e.description)
        }
        return record
    }
}
