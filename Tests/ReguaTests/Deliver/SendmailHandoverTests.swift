import Foundation
import Testing

@testable import Regua

/// The sendmail handover in this process against small shell scripts standing in for sendmail:
/// what each way of ending means for the ledger, and the deadline that keeps a wedged sendmail
/// from holding a night's delivery for ever. (Postfix's own sendmail: PostfixDeliveryTests.)
@Suite struct SendmailHandoverTests {
    /// A folder with one executable `sendmail` script, removed by `done()`.
    struct FakeSendmail {
        let folder: String
        var path: String { folder + "/sendmail" }
        var received: String { folder + "/received.eml" }
        var argumentsFile: String { folder + "/args" }

        init(_ body: String) throws {
            folder =
                FileManager.default.temporaryDirectory.appendingPathComponent("regua-sendmail-\(UUID().uuidString)")
                .path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let script = "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"\n" + body + "\n"
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        }

        func done() { try? FileManager.default.removeItem(atPath: folder) }
    }

    static let email = Gateways.Email(
        transport: .sendmail(path: "unused", arguments: []), envelope: "bounces@exemplo.com.br")

    /// An e-mail larger than a pipe's buffer (64 KiB), so a sendmail that never reads stdin
    /// blocks the writer.
    static func message(size: Int = 200_000) -> OutgoingMessage {
        var bytes = Array("To: ana@exemplo.com.br\r\nSubject: teste\r\n\r\n".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: size)
        return OutgoingMessage(
            id: "R20261123-0000000000000007", channel: "email", customerID: CustomerID("C07"),
            contactHash: ContactHash.email("ana@exemplo.com.br"),
            payload: .email(bytes: bytes, recipients: ["ana@exemplo.com.br"]))
    }

    @Test func exitZeroIsAcceptedWithTheWholeMessageAndTheVERPEnvelope() throws {
        let fake = try FakeSendmail("cat > \"$(dirname \"$0\")/received.eml\"; exit 0")
        defer { fake.done() }
        let h = SendmailHandover(path: fake.path, arguments: ["-C", "/etc/x"], timeout: 10, email: Self.email)
        let m = Self.message()
        #expect(h.hand(m) == .accepted("sendmail exit 0"))
        guard case .email(let bytes, _) = m.payload else { return }
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: fake.received))) == bytes)
        let args = try String(contentsOfFile: fake.argumentsFile, encoding: .utf8).split(separator: "\n").map(
            String.init)
        #expect(args == ["-C", "/etc/x", "-t", "-oi", "-f", "bounces+R20261123-0000000000000007@exemplo.com.br"])
    }

    @Test func anotherExitCodeFailsWithWhatSendmailSaid() throws {
        let fake = try FakeSendmail("cat >/dev/null; echo 'queue file write error' >&2; exit 75")
        defer { fake.done() }
        let r = SendmailHandover(path: fake.path, arguments: [], timeout: 10, email: Self.email).hand(Self.message())
        #expect(r == .failed("sendmail exit 75: queue file write error"))
    }

    @Test func aSendmailThatExitsWithoutReadingFailsTheMessageNotTheProcess() throws {
        // Without SIGPIPE ignored, writing the rest of the message would end this test process.
        let fake = try FakeSendmail("exit 1")
        defer { fake.done() }
        let r = SendmailHandover(path: fake.path, arguments: [], timeout: 10, email: Self.email).hand(Self.message())
        guard case .failed(let why) = r else {
            Issue.record("expected failed, got \(r)")
            return
        }
        #expect(why.hasPrefix("sendmail exit 1"))
    }

    @Test(arguments: ["exec sleep 300", "cat >/dev/null; exec sleep 300"])
    func aWedgedSendmailIsKilledAtTheDeadlineAndTheMessageIsUncertain(body: String) throws {
        // `exec sleep` never reads stdin (the first) or reads it all and then hangs (the second).
        let fake = try FakeSendmail(body)
        defer { fake.done() }
        let start = Date()
        let r = SendmailHandover(path: fake.path, arguments: [], timeout: 1, email: Self.email).hand(Self.message())
        let seconds = Date().timeIntervalSince(start)
        #expect(r == .uncertain("sendmail did not end within 1 s and was killed; it may have queued the message"))
        #expect(seconds >= 0.9 && seconds < 10, "took \(seconds) s")
    }

    @Test func theGatewaysFileTakesSendmailTimeout() throws {
        let g = try Gateways.parse(
            "email:\n  sendmail: /usr/sbin/sendmail\n  sendmail_timeout: 20\n  envelope: b@exemplo.com.br\n")
        #expect(g.email?.transport == .sendmail(path: "/usr/sbin/sendmail", arguments: [], timeout: 20))
        #expect(
            try Gateways.parse("email:\n  sendmail: /usr/sbin/sendmail\n  envelope: b@exemplo.com.br\n").email?
                .transport
                == .sendmail(path: "/usr/sbin/sendmail", arguments: [], timeout: 60))
        do {
            _ = try Gateways.parse(
                "email:\n  sendmail: /usr/sbin/sendmail\n  sendmail_timeout: 0\n  envelope: b@exemplo.com.br\n",
                file: "gw.yaml")
            Issue.record("accepted a time-out of 0 s")
        } catch let e as RuleBookErrors {
            #expect(
                e.diagnostics.map(\.description).contains {
                    $0.contains("gw.yaml:3") && $0.contains("sendmail_timeout")
                })
        }
    }
}
