import Foundation
import Testing

@testable import Regua

/// SMTP submission (SPEC §7) against a real Postfix smtpd on loopback that requires STARTTLS
/// (a self-signed certificate made by `openssl req`) and SASL AUTH (Cyrus sasldb): mails arrive
/// once, a wrong password or an untrusted certificate stops the delivery before any message is
/// handed over or counted, and the password appears in no output.
@Suite(
    .serialized,
    .enabled(if: PostfixPeer.available, "\(PostfixPeer.skipReason)"),
    .enabled(if: PostfixPeer.saslAvailable, "\(PostfixPeer.saslSkipReason)"))
struct SMTPSubmissionTests {
    static let account = PostfixPeer.Account(user: "cobranca", password: "senha-\(UUID().uuidString.prefix(8))")

    static func gateways(_ peer: PostfixPeer, host: String = "127.0.0.1", caFile: String?) -> Gateways {
        var s = Gateways.SMTPSettings(
            host: host, port: peer.submissionPort, tls: .starttls, helo: "regua.test", timeout: 20)
        s.user = account.user
        s.passwordEnv = "SMTP_PASSWORD"
        s.caFile = caFile
        return Gateways(email: .init(transport: .smtp(s), envelope: "bounces@regua.test"))
    }

    static func gatewaysFile(_ w: Workspace, _ peer: PostfixPeer, caFile: String?) throws -> String {
        let path = w.root + "/gateways.yaml"
        try """
        email:
          smtp:
            host: 127.0.0.1
            port: \(peer.submissionPort)
            user: \(account.user)
            password_env: SMTP_PASSWORD
            tls: starttls
        \(caFile.map { "    tls_ca_file: \($0)\n" } ?? "")    helo: regua.test
          envelope: bounces@regua.test
        max_attempts: 3

        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `regua deliver` of night 2026-11-25 as an operator runs it: (exit status, stdout + stderr).
    static func deliverCLI(_ w: Workspace, _ gateways: String, password: String) throws -> (Int32, String) {
        let r = try runTool(
            CrashTests.binary,
            [
                "deliver", "--as-of", "2026-11-25", "--gateways", gateways, "--out", w.root + "/out", "--state",
                w.root + "/var/regua.sqlite", "--json",
            ], env: ["SMTP_PASSWORD": password])
        return (r.status, r.out)
    }

    @Test func mailsArriveOnceThroughStarttlsAndAuth() throws {
        let w = try DeliveryFixtures.workspace()
        _ = try w.run("2026-11-25")
        let peer = try PostfixPeer(hard: ["hard.one@bounce-a.test"], submission: Self.account)
        let env = ["SMTP_PASSWORD": Self.account.password]
        let report = try Deliverer(
            options: w.deliveryOptions(only: ["email"]), gateways: Self.gateways(peer, caFile: peer.certificate),
            environment: env
        ).run()
        #expect(report.counts == ["accepted": 5])
        #expect(report.messages.allSatisfy { $0.answer?.hasPrefix("smtp 250") == true })
        try peer.waitUntilQueueIsEmpty()
        // H1's recipient is refused by the sink behind Postfix (it bounces); the four others arrive once.
        let expected = Set(w.emails("2026-11-25").filter { $0.value != "H1" }.keys)
        #expect(peer.receivedMessageIDs().sorted() == expected.sorted())
        // Postfix's own log: the session was TLS, and the login was SASL's.
        #expect(peer.log.contains("postfix/submission/smtpd"))
        #expect(peer.log.contains("TLS connection established from"), "\(peer.log)")
        #expect(peer.log.contains("sasl_username=\(Self.account.user)"))
        // Nothing went out of the relay with TLS by accident.
        #expect(!peer.log.contains("TLS connection established to"))

        // Again: nothing is handed over twice.
        let again = try Deliverer(
            options: w.deliveryOptions(only: ["email"]), gateways: Self.gateways(peer, caFile: peer.certificate),
            environment: env
        ).run()
        #expect(again.counts == ["already_accepted": 5])
        try peer.waitUntilQueueIsEmpty()
        #expect(peer.receivedMessageIDs().count == 4)

        // The client on its own: the session is TLS 1.2 or later.
        let client = SMTPClient(
            settings: {
                guard case .smtp(let s)? = Self.gateways(peer, caFile: peer.certificate).email?.transport else {
                    fatalError()
                }
                return s
            }(), password: Self.account.password)
        try client.openIfNeeded()
        #expect(["TLSv1.2", "TLSv1.3"].contains(client.tlsVersion ?? ""))
        #expect(client.extensions["AUTH"]?.contains("PLAIN") == true)
        client.quit()
    }

    @Test func aWrongPasswordFailsClearlyAndNothingIsAccepted() throws {
        let w = try DeliveryFixtures.workspace()
        _ = try w.run("2026-11-25")
        let peer = try PostfixPeer(submission: Self.account)
        let wrong = "errada-\(UUID().uuidString.prefix(8))"
        #expect(throws: ReguaError.self) {
            try Deliverer(
                options: w.deliveryOptions(only: ["email"]), gateways: Self.gateways(peer, caFile: peer.certificate),
                environment: ["SMTP_PASSWORD": wrong]
            ).run()
        }
        let gw = try Self.gatewaysFile(w, peer, caFile: peer.certificate)
        let (status, out) = try Self.deliverCLI(w, gw, password: wrong)
        #expect(status == 3, "\(out)")
        #expect(out.contains("refused the session: smtp 535 5.7.8 at AUTH PLAIN"), "\(out) \(peer.log.suffix(2500))")
        #expect(out.contains("no attempt counted"))
        // Nothing handed over, nothing recorded: the messages wait whole for the next deliver.
        #expect(try w.ledger().deliveries(night: Day(iso: "2026-11-25")!).isEmpty)
        try peer.waitUntilQueueIsEmpty()
        #expect(peer.receivedMessageIDs().isEmpty)
        #expect(peer.log.contains("authentication failed"), "\(peer.log.suffix(3000))")
        // The password (and the AUTH PLAIN token that carries it) is in no output and no ledger byte.
        let token = Data(([0] + Array(Self.account.user.utf8) + [0] + Array(wrong.utf8))).base64EncodedString()
        #expect(!out.contains(wrong) && !out.contains(token))
        let ledger = try Data(contentsOf: URL(fileURLWithPath: w.root + "/var/regua.sqlite"))
        #expect(ledger.range(of: Data(wrong.utf8)) == nil && ledger.range(of: Data(token.utf8)) == nil)

        // With the right password the same command delivers the night.
        let (ok, okOut) = try Self.deliverCLI(w, gw, password: Self.account.password)
        #expect(ok == 0, "\(okOut)")
        try peer.waitUntilQueueIsEmpty()
        #expect(peer.receivedMessageIDs().count == 5)
        #expect(!okOut.contains(Self.account.password))
    }

    @Test func theServerCertificateIsVerifiedByDefault() throws {
        let w = try DeliveryFixtures.workspace()
        _ = try w.run("2026-11-25")
        let peer = try PostfixPeer(submission: Self.account)
        let env = ["SMTP_PASSWORD": Self.account.password]
        // Without tls_ca_file the system's CAs do not know the self-signed certificate.
        do {
            _ = try Deliverer(
                options: w.deliveryOptions(only: ["email"]), gateways: Self.gateways(peer, caFile: nil),
                environment: env
            ).run()
            Issue.record("delivered to a server whose certificate nobody vouches for")
        } catch let e as ReguaError {
            #expect(e.message.contains("certificate not trusted: self-signed certificate"), "\(e.message)")
        }
        // Trusted, but named otherwise: the certificate is for 127.0.0.1 and mx.regua.test, not localhost.
        do {
            _ = try Deliverer(
                options: w.deliveryOptions(only: ["email"]),
                gateways: Self.gateways(peer, host: "localhost", caFile: peer.certificate), environment: env
            ).run()
            Issue.record("delivered to a server whose certificate names another host")
        } catch let e as ReguaError {
            #expect(e.message.contains("certificate not trusted: hostname mismatch"), "\(e.message)")
        }
        #expect(try w.ledger().deliveries(night: Day(iso: "2026-11-25")!).isEmpty)
        #expect(!peer.log.contains("sasl_username="), "no login was sent before the certificate was checked")
        // The CA file given through the gateways file: delivered.
        let gw = try Self.gatewaysFile(w, peer, caFile: peer.certificate)
        let (ok, out) = try Self.deliverCLI(w, gw, password: Self.account.password)
        #expect(ok == 0, "\(out)")
        try peer.waitUntilQueueIsEmpty()
        #expect(peer.receivedMessageIDs().count == 5)
    }

    @Test func gatewaysFileKeysOfSubmission() throws {
        let g = try Gateways.parse(
            """
            email:
              smtp: {host: smtp.exemplo.com.br, user: cobranca, password_env: SMTP_PASSWORD, tls_ca_file: /etc/regua/ca.pem}
              envelope: b@exemplo.com.br
            """)
        guard case .smtp(let s)? = g.email?.transport else {
            Issue.record("no smtp")
            return
        }
        #expect(s.caFile == "/etc/regua/ca.pem" && s.tls == .starttls)
        do {
            _ = try Gateways.parse(
                "email:\n  smtp: {host: h, tls: none, tls_ca_file: /x.pem}\n  envelope: b@exemplo.com.br\n",
                file: "gw.yaml")
            Issue.record("accepted a CA file for a session in the clear")
        } catch let e as RuleBookErrors {
            #expect(e.diagnostics.map(\.description).contains { $0.contains("'tls_ca_file' não vale com tls: none") })
        }
        #expect(
            SMTPClient.isLoopback("127.0.0.1") && SMTPClient.isLoopback("localhost")
                && !SMTPClient.isLoopback("smtp.exemplo.com.br"))
    }
}
