import Foundation
import Testing

@testable import Regua

/// Kills the real `regua deliver` process (SIGKILL) at chosen and at random moments while it
/// hands a night's e-mails to a real Postfix, and counts what reached smtp-sink: no message
/// ever arrives twice unless the operator says `--resend-uncertain`.
@Suite(
    .serialized,
    .enabled(if: PostfixPeer.available, "\(PostfixPeer.skipReason)"),
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: CrashTests.binary),
        "build the regua binary first (make test does)"))
struct DeliverKillTests {
    static func gatewaysFile(_ w: Workspace, _ peer: PostfixPeer) throws -> String {
        let path = w.root + "/gateways.yaml"
        try """
        email:
          sendmail: /usr/sbin/sendmail
          sendmail_args: ["-C", "\(peer.conf)"]
          envelope: bounces@regua.test
        max_attempts: 3

        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `regua deliver` of a night's e-mails in the workspace (with `--json` unless asked not to).
    static func deliverArgs(
        _ w: Workspace, _ gateways: String, _ extra: [String] = [], asOf: String = "2026-11-23", json: Bool = true
    )
        -> [String]
    {
        [
            "deliver", "--as-of", asOf, "--gateways", gateways, "--only", "email", "--out", w.root + "/out",
            "--state", w.root + "/var/regua.sqlite",
        ] + (json ? ["--json"] : []) + extra
    }

    static func start(_ args: [String], env: [String: String] = [:]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CrashTests.binary)
        p.arguments = args
        var e = ProcessInfo.processInfo.environment
        for (k, v) in env { e[k] = v }
        p.environment = e
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    static func states(_ w: Workspace) throws -> [String: DeliveryState] {
        try w.ledger().deliveries(night: Day(iso: "2026-11-23")!).mapValues(\.state)
    }

    @Test func killedAtEachPointNothingArrivesTwice() throws {
        let w = try Workspace()
        #expect(try w.run("2026-11-23").exitCode == 1)  // the shipped fixtures reject rows on purpose
        let all = Set(w.emails("2026-11-23").keys)
        let n = all.count
        #expect(n >= 3)
        let peer = try PostfixPeer()
        let gw = try Self.gatewaysFile(w, peer)

        // Killed after recording the attempt, before handing over: one message uncertain, not sent.
        let a = try Self.start(Self.deliverArgs(w, gw), env: ["REGUA_CRASH_AT": "deliver-after-begin"])
        a.waitUntilExit()
        #expect(a.terminationReason == .uncaughtSignal)
        let first = try Self.states(w)
        #expect(first.values.map(\.rawValue) == ["uncertain"])
        // Killed after handing the next one over, before recording the answer.
        let b = try Self.start(Self.deliverArgs(w, gw), env: ["REGUA_CRASH_AT": "deliver-after-handover"])
        b.waitUntilExit()
        #expect(b.terminationReason == .uncaughtSignal)
        let second = try Self.states(w)
        #expect(second.count == 2 && second.values.allSatisfy { $0 == .uncertain })
        let notSent = first.keys.first!
        let handed = second.keys.first { $0 != notSent }!

        // A plain rerun hands over the others and leaves the two uncertain ones alone.
        let c = try Self.start(Self.deliverArgs(w, gw))
        c.waitUntilExit()
        #expect(c.terminationStatus == 1)  // uncertain messages remain: someone must look
        try peer.waitUntilQueueIsEmpty()
        var got = peer.receivedMessageIDs()
        #expect(got.count == n - 1 && Set(got) == all.subtracting([notSent]))
        #expect(try Self.states(w).values.filter { $0 == .accepted }.count == n - 2)

        // Only when told, the uncertain ones go again: the one never handed over arrives once,
        // the one that was handed over arrives a second time (what the flag warns about).
        let d = try Self.start(Self.deliverArgs(w, gw, ["--resend-uncertain"]))
        d.waitUntilExit()
        #expect(d.terminationStatus == 0)
        try peer.waitUntilQueueIsEmpty()
        got = peer.receivedMessageIDs()
        #expect(got.filter { $0 == notSent }.count == 1)
        #expect(got.filter { $0 == handed }.count == 2)
        #expect(got.count == n + 1)
        #expect(try Self.states(w).values.allSatisfy { $0 == .accepted })
    }

    @Test func killedAtRandomMomentsNothingArrivesTwice() throws {
        let w = try Workspace()
        _ = try w.run("2026-11-23")
        let all = Set(w.emails("2026-11-23").keys)
        let peer = try PostfixPeer()
        let gw = try Self.gatewaysFile(w, peer)
        var rng = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<12 {
            let p = try Self.start(Self.deliverArgs(w, gw))
            Thread.sleep(forTimeInterval: Double.random(in: 0.01...0.3, using: &rng))
            if !p.isRunning { break }  // it finished on its own
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            kills += 1
        }
        let last = try Self.start(Self.deliverArgs(w, gw))
        last.waitUntilExit()
        try peer.waitUntilQueueIsEmpty()
        let got = peer.receivedMessageIDs()
        let states = try Self.states(w)
        let accepted = Set(states.filter { $0.value == .accepted }.keys)
        let uncertain = Set(states.filter { $0.value == .uncertain }.keys)
        // Never twice; every accepted message exactly once; the rest are uncertain, at most one
        // per kill, and arrived at most once.
        #expect(got.count == Set(got).count, "a message arrived twice after \(kills) kills")
        #expect(accepted.isSubset(of: Set(got)))
        #expect(Set(got).isSubset(of: all))
        #expect(accepted.union(uncertain) == all)
        #expect(uncertain.count <= kills)
        #expect(last.terminationStatus == (uncertain.isEmpty ? 0 : 1))
    }
}
