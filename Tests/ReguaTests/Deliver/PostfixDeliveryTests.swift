import Foundation
import Testing

@testable import Regua

/// `deliver` and `feedback` against a real Postfix on loopback: e-mails arrive once at
/// smtp-sink, refused recipients come back as Postfix's own DSNs, feedback reads them, and the
/// next night uses the fallback channel.
@Suite(.serialized, .enabled(if: PostfixPeer.available, "\(PostfixPeer.skipReason)"))
struct PostfixDeliveryTests {
    static func sendmailGateways(_ peer: PostfixPeer) -> Gateways {
        Gateways(
            email: .init(
                transport: .sendmail(path: "/usr/sbin/sendmail", arguments: ["-C", peer.conf]),
                envelope: "bounces@regua.test"))
    }

    @Test func bouncesComeBackAndTheNextNightUsesTheFallback() throws {
        let w = try DeliveryFixtures.workspace()
        #expect(try w.run("2026-11-25").exitCode == 0)
        let emails = w.emails("2026-11-25")
        #expect(Set(emails.values) == ["H1", "H2", "H3", "K1", "S1"])
        let idOf = Dictionary(uniqueKeysWithValues: emails.map { ($0.value, $0.key) })

        let peer = try PostfixPeer(
            hard: ["hard.one@bounce-a.test", "hard.two@bounce-b.test", "hard.three@bounce-c.test"],
            soft: ["soft.one@soft.test"])
        let report = try Deliverer(options: w.deliveryOptions(only: ["email"]), gateways: Self.sendmailGateways(peer))
            .run()
        #expect(report.counts == ["accepted": 5])
        try peer.waitUntilQueueIsEmpty()
        // Only K1's message reached the accepting sink, once; the other four bounced.
        #expect(peer.receivedMessageIDs() == [idOf["K1"]!])
        #expect(peer.bounceFiles().count == 4, "\(peer.log)")
        // A second deliver hands nothing over again.
        let again = try Deliverer(options: w.deliveryOptions(only: ["email"]), gateways: Self.sendmailGateways(peer))
            .run()
        #expect(again.counts == ["already_accepted": 5])
        try peer.waitUntilQueueIsEmpty()
        #expect(peer.receivedMessageIDs().count == 1)

        // The ledger keeps no address: only hashes.
        let rows = try w.ledger().deliveries(night: Day(iso: "2026-11-25")!)
        #expect(rows.count == 5 && rows.values.allSatisfy { $0.state == .accepted && $0.contactHash.count == 64 })
        let ledgerBytes = try Data(contentsOf: URL(fileURLWithPath: w.root + "/var/regua.sqlite"))
        #expect(ledgerBytes.range(of: Data("bounce-a.test".utf8)) == nil)

        // Feedback: three hard bounces mark three addresses; one soft bounce marks nothing.
        let fb = try FeedbackReader(options: w.feedbackOptions(dsn: [peer.maildir])).run()
        let byCustomer = Dictionary(grouping: fb.items, by: { $0.customerID ?? "?" })
        #expect(byCustomer["H1"]?.map(\.outcome) == ["hard"] && byCustomer["H1"]?.first?.marked == "bounced_email")
        #expect(byCustomer["H3"]?.first?.marked == "bounced_email")
        #expect(byCustomer["S1"]?.map(\.outcome) == ["soft"] && byCustomer["S1"]?.first?.marked == nil)
        #expect(fb.marked == 3 && fb.effectiveFrom == "2026-11-26")
        #expect(byCustomer["H2"]?.first?.messageID == idOf["H2"])
        // Read again: nothing changes.
        let twice = try FeedbackReader(options: w.feedbackOptions(dsn: [peer.maildir])).run()
        #expect(twice.items.allSatisfy { $0.outcome == "already_read" } && twice.marked == 0)
        #expect(try w.ledger().unusableContacts().count == 3)

        // The next night: H2 brought a new address; H1 gets the letter; H3 has no address.
        try DeliveryFixtures.customersCSV(email: ["H2": "nova.dois@example.com"]).write(
            toFile: w.root + "/fixtures/customers.csv", atomically: true, encoding: .utf8)
        _ = try w.run("2026-11-26")
        #expect(Set(w.emails("2026-11-26").values) == ["H2", "K1", "S1"])
        let letters = try String(contentsOfFile: w.night("2026-11-26") + "/letters.csv", encoding: .utf8)
        #expect(letters.contains(",H1,overdue_d3,") && !letters.contains(",H3,"))
        let held = try w.allActions().filter { $0.night == Day(iso: "2026-11-26") && $0.action.customerID.raw == "H3" }
        #expect(held.map(\.action.reason) == [.noContact])
        let e = try Simulation.explain(options: w.options("2026-11-26"), customerID: "H3", asOf: Day(iso: "2026-11-26"))
        #expect(
            e.titles.flatMap(\.steps).map(\.verdict.description).contains("due, held back: no_contact (bounced_email)"))
        let e1 = try Simulation.explain(
            options: w.options("2026-11-26"), customerID: "H1", asOf: Day(iso: "2026-11-26"))
        #expect(
            e1.titles.flatMap(\.steps).map(\.verdict.description).contains(
                "email contact unusable (bounced_email): fallback letter"))
    }

    @Test func threeSoftBouncesWithinThirtyDaysAreOneHard() throws {
        let w = try DeliveryFixtures.workspace()
        _ = try w.run("2026-11-25")
        let id = w.emails("2026-11-25").first { $0.value == "S1" }!.key
        let eml = [UInt8](FileManager.default.contents(atPath: w.night("2026-11-25") + "/email/\(id).eml")!)
        let peer = try PostfixPeer(soft: ["soft.one@soft.test"])
        var marks: [Int] = []
        for round in 1...3 {
            // Each submission is refused 4xx by the sink and bounced by Postfix: a new DSN.
            try peer.sendmail(eml, envelope: "bounces+\(id)@regua.test")
            try peer.waitUntilQueueIsEmpty()
            #expect(peer.bounceFiles().count == round)
            let fb = try FeedbackReader(options: w.feedbackOptions(dsn: [peer.maildir])).run()
            #expect(fb.items.filter { $0.outcome == "soft" }.count == 1)
            marks.append(fb.marked)
        }
        #expect(marks == [0, 0, 1])
        #expect(try w.ledger().unusableContacts().map(\.contact.issue) == [.bouncedEmail])
    }

    @Test func smtpSubmissionThroughPostfixSmtpd() throws {
        let w = try DeliveryFixtures.workspace()
        _ = try w.run("2026-11-25")
        let peer = try PostfixPeer(hard: ["hard.one@bounce-a.test"])
        let g = Gateways(
            email: .init(
                transport: .smtp(
                    .init(host: "127.0.0.1", port: peer.smtpdPort, tls: .none, helo: "regua.test", timeout: 20)),
                envelope: "bounces@regua.test"))
        let report = try Deliverer(options: w.deliveryOptions(only: ["email"]), gateways: g).run()
        #expect(report.counts == ["accepted": 5])
        #expect(report.messages.allSatisfy { $0.answer?.hasPrefix("smtp 250") == true })
        try peer.waitUntilQueueIsEmpty()
        #expect(Set(peer.receivedMessageIDs()) == Set(w.emails("2026-11-25").filter { $0.value != "H1" }.keys))
        #expect(peer.receivedMessageIDs().count == 4)
        // The envelope sender each message reached the sink with is its VERP address.
        for name in try FileManager.default.contentsOfDirectory(atPath: peer.sinkDir) {
            let text = try String(contentsOfFile: peer.sinkDir + "/" + name, encoding: .utf8)
            let mid = text.components(separatedBy: "Message-ID: <")[1].prefix { $0 != "@" }
            #expect(text.contains("X-Mail-Args: <bounces+\(mid)@regua.test>"))
        }
    }

    @Test func smtpClientAgainstSmtpSinkDirectly() throws {
        let peer = try PostfixPeer()
        let plain = Gateways.SMTPSettings(
            host: "127.0.0.1", port: peer.acceptPort, tls: .none, helo: "regua.test", timeout: 10)
        let client = SMTPClient(settings: plain, password: nil)
        let body =
            "From: a@regua.test\r\nTo: x@example.com\r\nMessage-ID: <M1@regua.test>\r\nSubject: t\r\n\r\nline\r\n.\r\n..two dots\r\n"
        #expect(
            client.send(envelopeFrom: "bounces+M1@regua.test", recipients: ["x@example.com"], message: Array(body.utf8))
                == .accepted("smtp 250 2.0.0"))
        #expect(client.extensions["8BITMIME"] != nil && client.extensions["PIPELINING"] != nil)
        // A second message on the same session.
        #expect(
            client.send(
                envelopeFrom: "bounces+M2@regua.test", recipients: ["y@example.com"],
                message: Array(body.replacingOccurrences(of: "M1", with: "M2").utf8)) == .accepted("smtp 250 2.0.0"))
        client.quit()
        let dumps = try FileManager.default.contentsOfDirectory(atPath: peer.sinkDir).map {
            try String(contentsOfFile: peer.sinkDir + "/" + $0, encoding: .utf8)
        }
        #expect(dumps.count == 2)
        // smtp-sink stores the message with the dots unstuffed: exactly the lines we sent, so
        // the lone "." line did not end the data early.
        #expect(
            dumps.allSatisfy { $0.replacingOccurrences(of: "\r\n", with: "\n").contains("\nline\n.\n..two dots\n") })
        let hard = SMTPClient(
            settings: .init(host: "127.0.0.1", port: peer.hardPort, tls: .none, helo: "r", timeout: 10), password: nil)
        #expect(
            hard.send(envelopeFrom: "b@regua.test", recipients: ["x@example.com"], message: Array(body.utf8))
                == .failed("smtp 500 5.3.0 at RCPT TO"))
        let soft = SMTPClient(
            settings: .init(host: "127.0.0.1", port: peer.softPort, tls: .none, helo: "r", timeout: 10), password: nil)
        #expect(
            soft.send(envelopeFrom: "b@regua.test", recipients: ["x@example.com"], message: Array(body.utf8))
                == .failed("smtp 450 4.3.0 at RCPT TO"))
        // tls: starttls refuses a server that does not offer it, before any message is sent.
        let tls = SMTPClient(
            settings: .init(host: "127.0.0.1", port: peer.acceptPort, tls: .starttls, helo: "r", timeout: 10),
            password: nil)
        guard
            case .failed(let why) = tls.send(
                envelopeFrom: "b@regua.test", recipients: ["x@example.com"], message: Array(body.utf8))
        else {
            Issue.record("sent without TLS")
            return
        }
        #expect(why.contains("STARTTLS"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: peer.sinkDir).count == 2)
        // Nobody listening: failed, not uncertain.
        let closed = try freePort()
        let none = SMTPClient(
            settings: .init(host: "127.0.0.1", port: closed, tls: .none, helo: "r", timeout: 5), password: nil)
        guard case .failed = none.send(envelopeFrom: "b@regua.test", recipients: ["x@example.com"], message: [65])
        else {
            Issue.record("a refused connection is not a failure")
            return
        }
    }
}
