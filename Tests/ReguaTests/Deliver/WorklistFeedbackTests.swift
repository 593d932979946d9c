import Foundation
import Testing

@testable import Regua

/// The worklist after real deliveries: e-mails bounced by a real Postfix and read back by
/// `regua feedback` are listed for the next night with the bounce's day; a delivery left
/// `uncertain` by a killed `regua deliver` is listed until `--resend-uncertain` settles it.
@Suite(
    .serialized,
    .enabled(if: PostfixPeer.available, "\(PostfixPeer.skipReason)"),
    .enabled(if: CrashTests.haveBinary, "build the regua binary first (make test does)"))
struct WorklistFeedbackTests {
    /// `regua deliver` of 2026-11-25's e-mails through the test Postfix, run to its end.
    static func deliver(_ w: Workspace, _ gateways: String, _ extra: [String] = [], env: [String: String] = [:]) throws
        -> Process
    {
        let p = try DeliverKillTests.start(
            DeliverKillTests.deliverArgs(w, gateways, extra, asOf: "2026-11-25", json: false), env: env)
        p.waitUntilExit()
        return p
    }

    /// The days (dd/mm/yyyy) of every Date and Arrival-Date header in a DSN, read by Python.
    static func datesIn(_ path: String) throws -> Set<String> {
        let script = """
            import re, sys, email.utils
            text = open(sys.argv[1], encoding='utf-8', errors='replace').read()
            for v in re.findall(r'^(?:Date|Arrival-Date):\\s*(.+)$', text, re.M):
                print(email.utils.parsedate_to_datetime(v.strip()).strftime('%d/%m/%Y'))
            """
        let r = try runTool("/usr/bin/python3", ["-c", script, path])
        return Set(r.out.split(separator: "\n").map(String.init))
    }

    @Test func bouncesAndUncertainDeliveriesAreListedUntilResolved() throws {
        let w = try DeliveryFixtures.workspace()
        #expect(try w.run("2026-11-25").exitCode == 0)
        let peer = try PostfixPeer(hard: ["hard.one@bounce-a.test", "hard.three@bounce-c.test"])
        let gw = try DeliverKillTests.gatewaysFile(w, peer)

        // Killed after handing the first e-mail over: it stays uncertain; a plain rerun does the rest.
        let killed = try Self.deliver(w, gw, env: ["REGUA_CRASH_AT": "deliver-after-handover"])
        #expect(killed.terminationReason == .uncaughtSignal)
        _ = try Self.deliver(w, gw)
        try peer.waitUntilQueueIsEmpty()
        let states = try w.ledger().deliveries(night: Day(iso: "2026-11-25")!)
        let uncertain = states.values.filter { $0.state == .uncertain }
        #expect(uncertain.count == 1)
        let limbo = try #require(uncertain.first)
        #expect(peer.bounceFiles().count == 2, "\(peer.log)")
        let bounceDays = try peer.bounceFiles().reduce(into: Set<String>()) {
            $0.formUnion(try Self.datesIn(peer.maildir + "/new/" + $1))
        }
        let fb = try FeedbackReader(options: w.feedbackOptions(dsn: [peer.maildir])).run()
        #expect(fb.marked == 2)

        // The next night: H1's overdue_d3 goes by letter, H3's is held (no address either).
        _ = try w.run("2026-11-26")
        let rows = try WorklistTests.spreadsheetRows(w.night("2026-11-26") + "/worklist.csv").dropFirst()
        let byKey = Dictionary(uniqueKeysWithValues: rows.map { ($0[0] + "|" + $0[2], $0) })
        var want: Set<String> = ["H1|bounced_email", "H3|bounced_email", "H3|no_address"]
        want.insert(limbo.customerID.raw + "|uncertain_delivery")
        #expect(Set(byKey.keys) == want)
        let h1 = try #require(byKey["H1|bounced_email"])
        #expect(h1[4] == "overdue_d3" && h1[5] == "800,00")
        let pattern = try Regex(#"^e-mail devolvido \(hard bounce\) em (\d\d/\d\d/\d{4}): corrija o e-mail"#)
        let bounce = try #require(h1[3].firstMatch(of: pattern))
        let day = try #require(bounce.output[1].substring)
        #expect(bounceDays.contains(String(day)), "\(h1[3]) vs \(bounceDays)")
        #expect(h1[3].contains("etapa overdue_d3 vai por carta (canal alternativo, fallback)"))
        #expect(byKey["H3|bounced_email"]?[3].contains("etapa overdue_d3 ficou retida") == true)
        #expect(byKey["H3|no_address"]?[3].contains("faltam: address_street") == true)
        let limboRow = try #require(byKey[limbo.customerID.raw + "|uncertain_delivery"])
        #expect(limboRow[3].contains(limbo.messageID) && limboRow[3].contains("--as-of 2026-11-25 --resend-uncertain"))
        #expect(limboRow[4].isEmpty)
        // explain tells the same issue in the same words.
        let e = try Simulation.explain(options: w.options("2026-11-26"), customerID: "H1", asOf: Day(iso: "2026-11-26"))
        #expect(e.account.contains { $0.contains(HoldText.issueName(.bouncedEmail)) })
        #expect(h1[3].hasPrefix(HoldText.issueName(.bouncedEmail)))

        // Resent with --resend-uncertain: accepted, and the next night no longer lists it.
        _ = try Self.deliver(w, gw, ["--resend-uncertain"])
        #expect(try w.ledger().delivery(messageID: limbo.messageID)?.state == .accepted)
        _ = try w.run("2026-11-27")
        let later = try WorklistTests.spreadsheetRows(w.night("2026-11-27") + "/worklist.csv").dropFirst()
        #expect(!later.contains { $0[2] == "uncertain_delivery" })
    }
}
