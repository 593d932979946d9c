import Foundation

/// A gateway that takes messages of one channel: sendmail, SMTP, Kannel, a JSON endpoint,
/// WhatsApp. Each answers for one message whether it took it.
public protocol Handover: AnyObject {
    /// What the ledger and logs call it: `sendmail`, `smtp`, `kannel`, `json`, `whatsapp`.
    var name: String { get }
    /// Hands one message over and says how it ended.
    func hand(_ message: OutgoingMessage) -> HandoverResult
    /// Ends any session held open between messages.
    func finish()
    /// Opens the gateway's session before the first message is recorded as attempted, throwing
    /// when it cannot be (a refused login, a certificate not trusted): a problem of the setup,
    /// not of a message, so no message spends an attempt on it.
    func open() throws
}

extension Handover {
    /// Nothing to open: each message is its own exchange.
    public func open() throws {}
}

/// E-mail through the sendmail interface: `PATH ARGS… -t -oi -f ENVELOPE`, the `.eml` on stdin.
public final class SendmailHandover: Handover {
    let path: String
    let arguments: [String]
    let timeout: Int
    let email: Gateways.Email
    /// The name the ledger uses.
    public let name = "sendmail"

    /// A handover to one sendmail binary, killed when one message takes more than `timeout` seconds.
    public init(path: String, arguments: [String], timeout: Int = 60, email: Gateways.Email) {
        self.path = path
        self.arguments = arguments
        self.timeout = timeout
        self.email = email
        // A sendmail that exits (or is killed) before reading the whole message must fail that
        // message, not end `regua deliver` by SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
    }

    /// Runs sendmail once: exit 0 is accepted, another exit code failed (sendmail queues
    /// nothing it did not accept), death by a signal uncertain. A sendmail still running after
    /// `timeout` seconds (a wedged queue, a full disk) is killed and the message is uncertain:
    /// it may have been queued, so it is not handed over again without `--resend-uncertain`.
    public func hand(_ message: OutgoingMessage) -> HandoverResult {
        guard case .email(let bytes, _) = message.payload else { return .failed("not an e-mail") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments + ["-t", "-oi", "-f", email.envelopeSender(messageID: message.id)]
        let input = Pipe()
        let errors = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        p.standardError = errors
        do {
            try p.run()
        } catch {
            return .failed("cannot start \(path): \(error.localizedDescription)")
        }
        // The message is written while stderr is drained on another thread, so that a chatty
        // sendmail cannot block on a full pipe.
        let drained = DispatchSemaphore(value: 0)
        let box = Locked(Data())
        DispatchQueue.global().async {
            box.set(errors.fileHandleForReading.readDataToEndOfFile())
            drained.signal()
        }
        // The deadline: SIGKILL, because a process started from a test thread (or under a
        // supervisor) may have SIGTERM blocked. Killing it also ends a write into a full pipe.
        let exited = DispatchSemaphore(value: 0)
        let killed = Locked(false)
        let pid = p.processIdentifier
        let seconds = timeout
        DispatchQueue.global().async {
            if exited.wait(timeout: .now() + .seconds(seconds)) == .timedOut {
                killed.set(true)
                kill(pid, SIGKILL)
            }
        }
        var wrote = true
        do {
            try input.fileHandleForWriting.write(contentsOf: Data(bytes))
        } catch {
            wrote = false
        }
        try? input.fileHandleForWriting.close()
        p.waitUntilExit()
        exited.signal()
        if killed.value {
            // A child of sendmail may still hold its stderr open; do not wait for it.
            _ = drained.wait(timeout: .now() + .seconds(1))
            return .uncertain("sendmail did not end within \(timeout) s and was killed; it may have queued the message")
        }
        drained.wait()
        let detail = String(decoding: box.value.prefix(300), as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines)
        if p.terminationReason == .uncaughtSignal {
            return .uncertain("sendmail died by signal \(p.terminationStatus)")
        }
        if p.terminationStatus == 0 && wrote { return .accepted("sendmail exit 0") }
        return .failed("sendmail exit \(p.terminationStatus)" + (detail.isEmpty ? "" : ": " + detail))
    }

    /// Nothing held open.
    public func finish() {}
}

/// E-mail through SMTP submission.
public final class SMTPHandover: Handover {
    let client: SMTPClient
    let email: Gateways.Email
    /// The name the ledger uses.
    public let name = "smtp"

    /// A handover through one SMTP server.
    public init(settings: Gateways.SMTPSettings, password: String?, email: Gateways.Email) {
        client = SMTPClient(settings: settings, password: password)
        self.email = email
    }

    /// One SMTP transaction on the open session.
    public func hand(_ message: OutgoingMessage) -> HandoverResult {
        guard case .email(let bytes, let recipients) = message.payload else { return .failed("not an e-mail") }
        return client.send(
            envelopeFrom: email.envelopeSender(messageID: message.id), recipients: recipients, message: bytes)
    }

    /// QUIT.
    public func finish() { client.quit() }

    /// Connects, STARTTLS, AUTH, unless a session is open.
    public func open() throws { try client.openIfNeeded() }
}
