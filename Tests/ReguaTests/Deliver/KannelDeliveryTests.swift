import Foundation
import Testing

@testable import Regua

/// `deliver` through a real Kannel (smsbox `sendsms` → bearerbox → fakesmsc) and `feedback`
/// from the delivery reports Kannel itself sent to the `dlr_url` endpoint.
@Suite(.serialized, .enabled(if: KannelPeer.available, "\(KannelPeer.skipReason)"))
struct KannelDeliveryTests {
    @Test func everySMSArrivesOnceAndReportsAreReadBack() throws {
        let w = try DeliveryFixtures.workspace()
        _ = try w.run("2026-11-25")
        let sms = CSVRows.records(try String(contentsOfFile: w.night("2026-11-25") + "/sms.csv", encoding: .utf8))
        #expect(sms.count == 5)
        let kannel = try KannelPeer()
        let g = Gateways(
            sms: .kannel(
                .init(
                    url: kannel.sendsmsURL, user: kannel.user, passwordEnv: "KANNEL_TEST_PASSWORD", from: "4000",
                    dlrMask: 31, dlrURL: kannel.dlrURL)))
        let env = ["KANNEL_TEST_PASSWORD": kannel.password]
        // Without the secret in the environment nothing is handed over.
        #expect(throws: ReguaError.self) {
            try Deliverer(options: w.deliveryOptions(), gateways: g, environment: [:]).run()
        }

        let report = try Deliverer(options: w.deliveryOptions(only: ["sms"]), gateways: g, environment: env).run()
        #expect(report.counts == ["accepted": 5])
        #expect(report.messages.allSatisfy { $0.answer == "http 202" })
        // A long SMS reaches the SMS centre as its concatenated parts: one per segment.
        let parts = Self.parts(sms)
        let got = kannel.waitForMessages(parts.count)
        #expect(got.count == parts.count)
        #expect(got.map(\.to).sorted() == parts)
        // Run again: already accepted, nothing more reaches the SMS centre.
        let again = try Deliverer(options: w.deliveryOptions(only: ["sms"]), gateways: g, environment: env).run()
        #expect(again.counts == ["already_accepted": 5])
        Thread.sleep(forTimeInterval: 2)
        #expect(kannel.received().count == parts.count)

        // Kannel's own reports (8: SMSC took it, 1: delivered) reach the dlr_url with our ids.
        let ids = Set(sms.map { $0["message_id"]! })
        let deadline = Date().addingTimeInterval(20)
        while Set(kannel.dlrLines().map { String($0.prefix { $0 != "," }) }) != ids && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.3)
        }
        let lines = kannel.dlrLines()
        #expect(Set(lines.map { String($0.prefix { $0 != "," }) }) == ids)
        #expect(lines.allSatisfy { $0.split(separator: ",")[1] == "1" || $0.split(separator: ",")[1] == "8" })
        let fb = try FeedbackReader(options: w.feedbackOptions(smsDLR: [kannel.dlrLog])).run()
        #expect(fb.items.count == lines.count && fb.items.allSatisfy { $0.outcome == "ignored" } && fb.marked == 0)

        // Two "not delivered" reports (16: rejected by the SMSC, 2: failed) within 30 days make
        // the phone unusable; one does not.
        let h1 = sms.first { $0["customer_id"] == "H1" }!["message_id"]!
        let bad = w.root + "/dlr-bad.csv"
        try "message_id,status,at\n\(h1),16,2026-11-25 10:00:00\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(try FeedbackReader(options: w.feedbackOptions(smsDLR: [bad])).run().marked == 0)
        try "message_id,status,at\n\(h1),16,2026-11-25 10:00:00\n\(h1),2,2026-12-10 09:00:00\n".write(
            toFile: bad, atomically: true, encoding: .utf8)
        let marked = try FeedbackReader(options: w.feedbackOptions(smsDLR: [bad])).run()
        #expect(marked.items.map(\.outcome) == ["already_read", "undelivered"])
        #expect(marked.items.last?.marked == "undelivered_sms")
        let marks = try w.ledger().unusableContacts()
        #expect(marks.map(\.customerID.raw) == ["H1"] && marks.first?.contact.kind == .phone)
        #expect(marks.first?.contact.valueHash == ContactHash.phone("+5511987650000"))
    }

    @Test func killedAfterHandingOverTheSMSIsNotSentAgain() throws {
        guard FileManager.default.isExecutableFile(atPath: CrashTests.binary) else { return }
        let w = try DeliveryFixtures.workspace()
        _ = try w.run("2026-11-25")
        let sms = CSVRows.records(try String(contentsOfFile: w.night("2026-11-25") + "/sms.csv", encoding: .utf8))
        let parts = Self.parts(sms)
        let kannel = try KannelPeer()
        let gw = w.root + "/gateways.yaml"
        try """
        sms:
          kannel: {url: "\(kannel.sendsmsURL)", user: \(kannel.user), password_env: KANNEL_TEST_PASSWORD,
                   dlr_url: "\(kannel.dlrURL)"}

        """.write(toFile: gw, atomically: true, encoding: .utf8)
        let args = ["deliver", "--gateways", gw, "--out", w.root + "/out", "--state", w.root + "/var/regua.sqlite"]
        let env = ["KANNEL_TEST_PASSWORD": kannel.password]
        let crashed = try DeliverKillTests.start(
            args, env: env.merging(["REGUA_CRASH_AT": "deliver-after-handover"]) { $1 })
        crashed.waitUntilExit()
        #expect(crashed.terminationReason == .uncaughtSignal)
        let rest = try DeliverKillTests.start(args, env: env)
        rest.waitUntilExit()
        #expect(rest.terminationStatus == 1)  // one uncertain, left for the operator
        let got = kannel.waitForMessages(parts.count)
        Thread.sleep(forTimeInterval: 2)
        #expect(kannel.received().count == parts.count)
        #expect(Set(got.map(\.to)).count == 5)
        let states = try w.ledger().deliveries(night: Day(iso: "2026-11-25")!).values.map(\.state)
        #expect(states.filter { $0 == .uncertain }.count == 1 && states.filter { $0 == .accepted }.count == 4)
    }

    /// The phone of every part the SMS centre should receive: each row's phone once per segment.
    static func parts(_ sms: [[String: String]]) -> [String] {
        sms.flatMap { Array(repeating: $0["phone"]!, count: Int($0["segments"] ?? "") ?? 1) }.sorted()
    }
}
