import ArgumentParser
import Foundation
import Regua

/// `regua status`: the nights recorded, and per night which shards are published (SPEC §5).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The nights recorded in the ledger, and per night which shards are published.",
        discussion: """
            A night run without --shard is listed as unsharded (committed or published). A sharded night \
            lists its N and, per shard K, published, committed (recorded, folder not yet renamed into place: \
            the next run of the shard finishes it) or started (claimed, nothing recorded: killed or refused \
            before its commit; rerun it). The ledger is only read.
            """)

    @Option(help: "List the nights up to this one (YYYY-MM-DD); default: every night.")
    var asOf: String?
    @Option(help: "The ledger: an SQLite file or a postgres:// URL (the password from PGPASSWORD or ~/.pgpass).")
    var state = "var/regua.sqlite"
    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    func run() throws {
        let day = try asOf.map { try parseDay($0, flag: "--as-of") }
        let location = try LedgerLocation(state: state)
        guard location.exists else {
            throw ReguaError(.io, "ledger \(state) does not exist; no night was ever recorded")
        }
        let ledger: any Ledger
        do { ledger = try location.openForReading() } catch let e as LedgerError {
            throw ReguaError(.io, e.description)
        }
        let nights = try ledger.nightStatuses(upTo: day).map(StatusJSON.Night.init)
        if json {
            try printJSON(StatusJSON(nights: nights))
            return
        }
        if nights.isEmpty { print("No night recorded.") }
        for n in nights {
            if let u = n.unsharded { print("\(n.night)  unsharded  \(u)") }
            if let count = n.shards {
                let published = n.shardList.filter { $0.status == "published" }.count
                let detail = n.shardList.map { "\($0.shard):\($0.status)" }.joined(separator: " ")
                print("\(n.night)  \(published)/\(count) shards published  \(detail)")
            }
        }
    }
}

/// The `--json` shape of `regua status`.
struct StatusJSON: Encodable {
    /// One night.
    struct Night: Encodable {
        var night: String
        /// `committed` or `published` for a night run without --shard, else null.
        var unsharded: String?
        /// N for a sharded night, else null.
        var shards: Int?
        /// How many of its shards are published.
        var shardsPublished: Int
        /// Per shard claimed: its index and `published`, `committed` or `started`.
        var shardList: [ShardJSON]

        init(_ s: NightStatus) {
            night = s.night.iso
            unsharded = s.unsharded?.rawValue
            shards = s.shards.first?.shard.count
            shardList = s.shards.map { ShardJSON(shard: $0.shard.index, status: $0.status?.rawValue ?? "started") }
            shardsPublished = shardList.filter { $0.status == "published" }.count
        }

        enum CodingKeys: String, CodingKey {
            case night, unsharded, shards, shardsPublished, shardList = "shardStatus"
        }

        /// Every key is written, a null one too: scripts read a stable shape.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(night, forKey: .night)
            try c.encode(unsharded, forKey: .unsharded)
            try c.encode(shards, forKey: .shards)
            try c.encode(shardsPublished, forKey: .shardsPublished)
            try c.encode(shardList, forKey: .shardList)
        }
    }
    /// One shard of a night.
    struct ShardJSON: Encodable {
        var shard: Int
        var status: String
    }
    var nights: [Night]
}
