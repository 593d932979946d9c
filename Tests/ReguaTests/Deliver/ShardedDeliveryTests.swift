import Foundation
import Testing

@testable import Regua

/// `regua deliver` on a sharded night (SPEC §5, §7): the published shard folders are delivered,
/// one shard with `--shard K/N`, a shard not published yet is left for the next deliver (exit 1),
/// and every e-mail of the night reaches a real Postfix exactly once across the runs.
@Suite(
    .serialized,
    .enabled(if: PostfixPeer.available, "\(PostfixPeer.skipReason)"),
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: CrashTests.binary),
        "build the regua binary first (make test does)"))
struct ShardedDeliveryTests {
    static let night = "2026-11-23"

    /// What `deliver --json` printed, read as a script would.
    struct Printed {
        var messages: [(id: String, outcome: String)]
        var unpublishedShards: [String]
        var ids: Set<String> { Set(messages.map(\.id)) }
    }

    static func deliver(_ w: Workspace, _ gateways: String, _ extra: [String] = []) throws -> (Int32, Printed?, String)
    {
        let r = try ExternalTool.run(
            CrashTests.binary,
            [
                "deliver", "--as-of", night, "--gateways", gateways, "--only", "email", "--out", w.root + "/out",
                "--state", w.root + "/var/regua.sqlite", "--json",
            ] + extra)
        guard let doc = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
            let messages = doc["messages"] as? [[String: Any]], let shards = doc["unpublished_shards"] as? [String]
        else { return (r.status, nil, r.stderr) }
        let printed = Printed(
            messages: messages.map { ($0["message_id"] as? String ?? "", $0["outcome"] as? String ?? "") },
            unpublishedShards: shards)
        return (r.status, printed, r.stderr)
    }

    /// Message id → customer of the e-mails in a shard's folder.
    static func emails(_ w: Workspace, _ shard: Shard) -> Set<String> {
        let dir = w.night(night) + "/" + shard.folderName + "/email"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return Set(names.filter { $0.hasSuffix(".eml") }.map { String($0.dropLast(4)) })
    }

    func runShard(_ w: Workspace, _ shard: Shard) throws {
        var o = w.options(Self.night)
        o.shard = shard
        #expect(try NightRunner(options: o).run().exitCode <= 1)
    }

    @Test func publishedShardsAreDeliveredOnceAndAnUnpublishedOneWaits() throws {
        let w = try Workspace()
        let (s0, s1) = (Shard(index: 0, count: 2)!, Shard(index: 1, count: 2)!)
        try runShard(w, s0)
        let first = Self.emails(w, s0)
        #expect(!first.isEmpty)
        let peer = try PostfixPeer()
        let gw = try DeliverKillTests.gatewaysFile(w, peer)

        // Only shard 0 is published: its e-mails go, shard 1 is named and the exit says "not done".
        var (status, report, stderr) = try Self.deliver(w, gw)
        #expect(status == 1, "\(stderr)")
        #expect(report?.unpublishedShards == ["1/2"])
        #expect(report?.ids == first)
        #expect(report?.messages.allSatisfy { $0.outcome == "accepted" } == true)

        // Shard 1 delivered alone once published; then a whole-night deliver has nothing new.
        try runShard(w, s1)
        let second = Self.emails(w, s1)
        #expect(!second.isEmpty && first.isDisjoint(with: second))
        (status, report, stderr) = try Self.deliver(w, gw, ["--shard", "1/2"])
        #expect(status == 0, "\(stderr)")
        #expect(report?.ids == second)
        (status, report, stderr) = try Self.deliver(w, gw)
        #expect(status == 0, "\(stderr)")
        #expect(report?.unpublishedShards == [])
        #expect(report?.messages.allSatisfy { $0.outcome == "already_accepted" } == true)
        #expect(report?.messages.count == first.count + second.count)

        try peer.waitUntilQueueIsEmpty()
        let got = peer.receivedMessageIDs()
        #expect(got.count == first.count + second.count, "every e-mail once")
        #expect(Set(got) == first.union(second))
    }

    @Test func aShardOfAnotherNOrOfAnUnshardedNightIsRefused() throws {
        let w = try Workspace()
        try runShard(w, Shard(index: 0, count: 2)!)
        let peer = try PostfixPeer()
        let gw = try DeliverKillTests.gatewaysFile(w, peer)
        var (status, _, stderr) = try Self.deliver(w, gw, ["--shard", "0/3"])
        #expect(status == 2)
        #expect(stderr.contains("2 shards, not 3"), "\(stderr)")
        (status, _, stderr) = try Self.deliver(w, gw, ["--shard", "1/2"])
        #expect(status == 2)
        #expect(stderr.contains("shard 1/2 of night 2026-11-23 is not published"), "\(stderr)")

        let plain = try Workspace()
        _ = try plain.run(Self.night)
        (status, _, stderr) = try Self.deliver(plain, gw, ["--shard", "0/2"])
        #expect(status == 2)
        #expect(stderr.contains("run without --shard"), "\(stderr)")
        #expect(try plain.ledger().deliveries(night: Day(iso: Self.night)!).isEmpty, "nothing recorded")
    }
}

/// The ledger-wide commands on a sharded night: `stats` counts every shard's steps as the
/// unsharded night's, and `prune` removes the night's folder with its shard folders.
@Suite(.serialized) struct ShardedNightCommandsTests {
    @Test func statsAndPruneSeeTheWholeShardedNight() throws {
        let sharded = try Workspace()
        for k in 0..<3 {
            var o = sharded.options("2026-11-23")
            o.shard = Shard(index: k, count: 3)
            #expect(try NightRunner(options: o).run().exitCode <= 1)
        }
        let plain = try Workspace()
        _ = try plain.run("2026-11-23")
        // Stats over the next night's ledger: the same rows, shard runs or not.
        let a = try Stats.run(options: sharded.options("2026-11-24"), from: nil, to: nil)
        let b = try Stats.run(options: plain.options("2026-11-24"), from: nil, to: nil)
        #expect(!a.isEmpty)
        #expect(a == b)

        // Prune removes out/2026-11-23 with its three shard folders, and records it.
        _ = try sharded.run("2026-11-24")
        #expect(FileManager.default.fileExists(atPath: sharded.root + "/out/2026-11-23/shard-2-of-3/summary.json"))
        let r = try Prune.run(
            outDir: sharded.root + "/out", statePath: sharded.root + "/var/regua.sqlite", keepDays: 1,
            asOf: Day(iso: "2026-11-25")!, dryRun: false)
        #expect(r.folders == ["2026-11-23"])
        #expect(!FileManager.default.fileExists(atPath: sharded.root + "/out/2026-11-23"))
        #expect(FileManager.default.fileExists(atPath: sharded.root + "/out/2026-11-24/summary.json"))
    }
}
