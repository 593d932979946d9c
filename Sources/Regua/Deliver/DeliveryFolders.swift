import Foundation

/// Which published folders a `deliver` run reads: the night's own `out/<date>/`, or, for a
/// sharded night, the folder of each published shard `out/<date>/shard-K-of-N/` (one shard with
/// `--shard K/N`, as the pod that ran it would deliver it).
struct DeliveryFolders: Equatable {
    /// One folder to deliver.
    struct Folder: Equatable {
        /// Its path.
        var path: String
        /// The shard it holds, nil for an unsharded night.
        var shard: Shard?
    }
    /// The night.
    var night: Day
    /// What to deliver, in shard order.
    var folders: [Folder]
    /// Shards of the night that are not published yet (nothing of theirs is delivered).
    var unpublishedShards: [Shard]

    /// Resolves the night (`asOf`, else the newest recorded night) and its folders from the
    /// ledger's night statuses; refuses (exit 2) what cannot be delivered.
    static func resolve(
        statuses: [NightStatus], asOf: Day?, shard: Shard?, outDir: String
    ) throws -> DeliveryFolders {
        let status: NightStatus
        if let asOf {
            guard let s = statuses.first(where: { $0.night == asOf }) else {
                throw ReguaError(.refused, "night \(asOf.iso) was never run; nothing to deliver")
            }
            status = s
        } else {
            guard let s = statuses.first else {
                throw ReguaError(.refused, "no published night to deliver; run `regua run` first")
            }
            status = s
        }
        let day = status.night
        var found: DeliveryFolders
        if let unsharded = status.unsharded {
            guard shard == nil else {
                throw ReguaError(.refused, "night \(day.iso) was run without --shard; deliver it without --shard")
            }
            guard unsharded == .published else {
                throw ReguaError(
                    .refused, "night \(day.iso) is not published (a run was interrupted); run it again first")
            }
            found = DeliveryFolders(
                night: day, folders: [Folder(path: outDir + "/" + day.iso, shard: nil)], unpublishedShards: [])
        } else {
            guard let count = status.shards.first?.shard.count else {
                throw ReguaError(
                    .refused, "night \(day.iso) is not published (a run was interrupted); run it again first")
            }
            let published = Set(status.shards.filter { $0.status == .published }.map(\.shard))
            let wanted: [Shard]
            if let shard {
                guard shard.count == count else {
                    throw ReguaError(
                        .refused,
                        "night \(day.iso) was run in \(count) shards, not \(shard.count); use --shard K/\(count)")
                }
                guard published.contains(shard) else {
                    throw ReguaError(
                        .refused,
                        "shard \(shard) of night \(day.iso) is not published (not run, or interrupted); run it first")
                }
                wanted = [shard]
            } else {
                wanted = (0..<count).compactMap { Shard(index: $0, count: count) }
            }
            guard wanted.contains(where: published.contains) else {
                throw ReguaError(
                    .refused, "no shard of night \(day.iso) is published yet (of \(count)); run them first")
            }
            found = DeliveryFolders(
                night: day,
                folders: wanted.filter(published.contains).map {
                    Folder(path: outDir + "/" + day.iso + "/" + $0.folderName, shard: $0)
                },
                unpublishedShards: wanted.filter { !published.contains($0) })
        }
        for f in found.folders {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: f.path, isDirectory: &isDir), isDir.boolValue else {
                throw ReguaError(.refused, "night \(day.iso) is published but \(f.path) is missing (pruned?)")
            }
        }
        return found
    }
}
