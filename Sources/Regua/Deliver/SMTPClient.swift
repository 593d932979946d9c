import Foundation

/// One SMTP reply: its code and every line of its text (multi-line replies joined).
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    /// The three-digit code.
    public var code: Int
    /// The text of each line, without the code.
    public var lines: [String]

    /// `5.1.1` and the like, when the server sends enhanced status codes (RFC 3463).
    public var enhancedStatus: String? {
        guard let first = lines.first?.split(separator: " ").first else { return nil }
        let parts = first.split(separator: ".")
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return nil }
        return String(first)
    }

    /// The code and status only: what the ledger keeps (a reply's text may name the recipient).
    public var summary: String { "smtp \(code)" + (enhancedStatus.map { " " + $0 } ?? "") }

    /// `250 2.0.0 Ok`.
    public var description: String { "\(code) " + lines.joined(separator: " / ") }

    /// Reads one reply: lines `CODE-text` continue it, `CODE text` ends it (RFC 5321 §4.2).
    static func read(_ nextLine: () throws -> String) throws -> SMTPReply {
        var lines: [String] = []
        var code = 0
        while true {
            let line = try nextLine()
            let u = Array(line.utf8)
            guard u.count >= 3, u[0...2].allSatisfy({ $0 >= 48 && $0 <= 57 }),
                u.count == 3 || u[3] == 32 || u[3] == 45,
                let c = Int(String(decoding: u[0...2], as: UTF8.self))
            else { throw GatewayIOError("not an SMTP reply: '\(line.prefix(80))'") }
            if code != 0 && c != code { throw GatewayIOError("reply code changed inside a multi-line reply") }
            code = c
            lines.append(u.count > 4 ? String(decoding: u[4...], as: UTF8.self) : "")
            if u.count == 3 || u[3] == 32 { return SMTPReply(code: code, lines: lines) }
            if lines.count > 200 { throw GatewayIOError("SMTP reply of more than 200 lines") }
        }
    }
}

/// How handing one message to a gateway ended.
public enum HandoverResult: Sendable, Hashable {
    /// The gateway took it (its code, for the ledger).
    case accepted(String)
    /// The gateway refused it, or it never reached the gateway: safe to try again.
    case failed(String)
    /// It may or may not have reached the gateway (no answer after it was sent): not retried
    /// without `--resend-uncertain`.
    case uncertain(String)
}

/// A small SMTP submission client (RFC 5321, 6409): EHLO, AUTH PLAIN or LOGIN, MAIL FROM with
/// the VERP envelope, RCPT, DATA with dot-stuffing, RSET between messages, QUIT. One
/// connection serves many messages; a broken one is reopened for the next.
///
/// With `tls: starttls` (the default) the session is upgraded with STARTTLS (RFC 3207) before
/// AUTH or any message, the server's certificate verified against `tls_ca_file` or the system's
/// CAs and its name checked; a server that does not offer STARTTLS is refused. `tls: none`
/// stays in the clear (a relay on this machine), and then refuses to send a password to any
/// host but loopback.
public final class SMTPClient {
    private let settings: Gateways.SMTPSettings
    private let password: String?
    private var connection: TCPConnection?
    /// Extensions the server announced in its EHLO reply (upper-cased keywords and their words).
    public private(set) var extensions: [String: [String]] = [:]

    /// A client for one server; nothing is connected until the first message.
    public init(settings: Gateways.SMTPSettings, password: String?) {
        self.settings = settings
        self.password = password
    }

    deinit { quit() }

    private func command(_ line: String) throws -> SMTPReply {
        guard let c = connection else { throw GatewayIOError("not connected") }
        try c.write(Array((line + "\r\n").utf8))
        return try SMTPReply.read { try c.readLine() }
    }

    /// Opens the session: greeting, EHLO, TLS policy, AUTH.
    func open() throws {
        let c = try TCPConnection(host: settings.host, port: settings.port, timeout: settings.timeout)
        connection = c
        let greeting = try SMTPReply.read { try c.readLine() }
        guard greeting.code == 220 else { throw SMTPRefusal(reply: greeting, stage: "greeting") }
        let ehlo = try command("EHLO " + settings.helo)
        guard ehlo.code == 250 else { throw SMTPRefusal(reply: ehlo, stage: "EHLO") }
        extensions = Self.extensions(of: ehlo)
        if settings.tls == .starttls {
            guard extensions["STARTTLS"] != nil else {
                throw GatewayIOError("\(settings.host) does not offer STARTTLS and tls: starttls requires it")
            }
            let r = try command("STARTTLS")
            guard r.code == 220 else { throw SMTPRefusal(reply: r, stage: "STARTTLS") }
            try c.startTLS(host: settings.host, caFile: settings.caFile)
            // RFC 3207 §4.2: forget what the server said in the clear and ask again.
            let again = try command("EHLO " + settings.helo)
            guard again.code == 250 else { throw SMTPRefusal(reply: again, stage: "EHLO after STARTTLS") }
            extensions = Self.extensions(of: again)
        }
        if let user = settings.user {
            if c.tlsVersion == nil, !Self.isLoopback(settings.host) {
                throw GatewayIOError(
                    "AUTH in the clear to \(settings.host) refused (tls: none): use tls: starttls, or a relay on this machine"
                )
            }
            guard let password else { throw GatewayIOError("AUTH needs a password and its variable is empty") }
            try authenticate(user: user, password: password)
        }
    }

    /// Opens the session now if none is open (greeting, EHLO, STARTTLS, AUTH), throwing the
    /// reason it cannot be: a refused connection, a certificate not trusted, a refused login.
    /// ``send(envelopeFrom:recipients:message:)`` opens one itself when needed.
    public func openIfNeeded() throws {
        guard connection == nil else { return }
        do {
            try open()
        } catch let r as SMTPRefusal {
            quit()
            throw GatewayIOError(
                "\(settings.host):\(settings.port) refused the session: \(r.reply.summary) at \(r.stage)")
        } catch {
            quit()
            throw GatewayIOError("\(settings.host):\(settings.port): \(error)")
        }
    }

    /// The protocol of the session's TLS (`TLSv1.3`), nil in the clear or when not connected.
    public var tlsVersion: String? { connection?.tlsVersion }

    /// The keywords of an EHLO reply (its lines after the first), upper-cased, with their words.
    static func extensions(of ehlo: SMTPReply) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for line in ehlo.lines.dropFirst() {
            let words = line.split(separator: " ").map(String.init)
            if let k = words.first { out[k.uppercased()] = Array(words.dropFirst()) }
        }
        return out
    }

    /// 127.0.0.0/8, ::1 and `localhost`: where a password in the clear never leaves the machine.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    private func authenticate(user: String, password: String) throws {
        let mechanisms = Set((extensions["AUTH"] ?? []).map { $0.uppercased() })
        if mechanisms.contains("PLAIN") || mechanisms.isEmpty {
            let token = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            let r = try command("AUTH PLAIN " + token)
            guard r.code == 235 else { throw SMTPRefusal(reply: r, stage: "AUTH PLAIN") }
        } else if mechanisms.contains("LOGIN") {
            var r = try command("AUTH LOGIN")
            guard r.code == 334 else { throw SMTPRefusal(reply: r, stage: "AUTH LOGIN") }
            r = try command(Data(user.utf8).base64EncodedString())
            guard r.code == 334 else { throw SMTPRefusal(reply: r, stage: "AUTH LOGIN user") }
            r = try command(Data(password.utf8).base64EncodedString())
            guard r.code == 235 else { throw SMTPRefusal(reply: r, stage: "AUTH LOGIN password") }
        } else {
            throw GatewayIOError(
                "the server offers AUTH \(mechanisms.sorted().joined(separator: " ")), not PLAIN or LOGIN")
        }
    }

    /// Sends one message. A refusal before the data's end is `failed`; no reply to the data's
    /// final dot is `uncertain` (the server may have queued it).
    public func send(envelopeFrom: String, recipients: [String], message: [UInt8]) -> HandoverResult {
        do {
            if connection == nil { try open() }
        } catch let r as SMTPRefusal {
            quit()
            return .failed(r.reply.summary + " at \(r.stage)")
        } catch {
            quit()
            return .failed("connection: \(error)")
        }
        do {
            var r = try command("MAIL FROM:<\(envelopeFrom)>")
            guard r.code == 250 else {
                try? reset()
                return .failed(r.summary + " at MAIL FROM")
            }
            var taken = 0
            var refusal: SMTPReply?
            for rcpt in recipients {
                r = try command("RCPT TO:<\(rcpt)>")
                if r.code == 250 || r.code == 251 { taken += 1 } else { refusal = refusal ?? r }
            }
            guard taken > 0 else {
                try? reset()
                return .failed((refusal?.summary ?? "no recipient") + " at RCPT TO")
            }
            r = try command("DATA")
            guard r.code == 354 else {
                try? reset()
                return .failed(r.summary + " at DATA")
            }
            try connection!.write(Self.dataBlock(message))
        } catch {
            quit()
            return .failed("connection lost before the message was complete: \(error)")
        }
        do {
            let r = try SMTPReply.read { try connection!.readLine() }
            if r.code == 250 { return .accepted(r.summary) }
            return .failed(r.summary + " at end of data")
        } catch {
            quit()
            return .uncertain("no reply after the message was sent: \(error)")
        }
    }

    private func reset() throws {
        let r = try command("RSET")
        if r.code != 250 { quit() }
    }

    /// Ends the session politely (errors ignored) and closes the connection.
    public func quit() {
        if connection != nil { _ = try? command("QUIT") }
        connection?.close()
        connection = nil
    }

    /// The message as DATA sends it: CRLF line ends, a dot doubled at the start of a line
    /// (RFC 5321 §4.5.2), and the closing `CRLF.CRLF`.
    static func dataBlock(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + message.count / 50 + 5)
        var atLineStart = true
        var i = 0
        while i < message.count {
            let b = message[i]
            if atLineStart && b == 46 { out.append(46) }
            if b == 10 {
                if out.last != 13 { out.append(13) }
                out.append(10)
                atLineStart = true
            } else if b == 13 {
                if i + 1 < message.count && message[i + 1] == 10 {
                    out.append(13)
                } else {
                    out += [13, 10]
                    atLineStart = true
                    i += 1
                    continue
                }
            } else {
                out.append(b)
                atLineStart = false
            }
            i += 1
        }
        if !(out.count >= 2 && out[out.count - 2] == 13 && out[out.count - 1] == 10) { out += [13, 10] }
        out += [46, 13, 10]
        return out
    }
}

/// A server's refusal during the session's opening.
struct SMTPRefusal: Error {
    var reply: SMTPReply
    var stage: String
}
