import Foundation

/// The gateways file of `regua deliver` (SPEC §7): where each channel's messages are handed
/// over. Kept apart from the rule book; secrets are only named (an environment variable), never
/// written in it.
public struct Gateways: Sendable {
    /// How e-mails leave.
    public enum EmailTransport: Sendable, Hashable {
        /// Postfix's (or any) sendmail interface: `PATH ARGS… -t -oi -f ENVELOPE`, ended after
        /// `timeout` seconds (`sendmail_timeout`, default 60) when it has not exited by then.
        case sendmail(path: String, arguments: [String], timeout: Int = 60)
        /// SMTP submission (RFC 6409).
        case smtp(SMTPSettings)
    }

    /// SMTP submission settings.
    public struct SMTPSettings: Sendable, Hashable {
        /// When the session is encrypted.
        public enum TLS: String, Sendable, Hashable {
            /// STARTTLS is required: a server that does not offer it is refused.
            case starttls
            /// Plain text: only for a relay on this machine or a trusted network.
            case none
        }
        /// Server host name or address.
        public var host: String
        /// Port, 587 by default.
        public var port: Int
        /// Login user, when the server wants AUTH.
        public var user: String?
        /// Environment variable holding the password.
        public var passwordEnv: String?
        /// STARTTLS or plain.
        public var tls: TLS
        /// The name this client gives in EHLO.
        public var helo: String
        /// Seconds to wait for one reply.
        public var timeout: Int
        /// `tls_ca_file`: a PEM file of the CA certificates to trust for this server instead of
        /// the system's (a company relay with its own CA). The server's name is checked either way.
        public var caFile: String? = nil
    }

    /// E-mail settings.
    public struct Email: Sendable, Hashable {
        /// Sendmail or SMTP.
        public var transport: EmailTransport
        /// `LOCAL@DOMAIN`; the envelope sender of a message is `LOCAL+<message-id>@DOMAIN`.
        public var envelope: String

        /// The envelope sender (VERP) of one message: a bounce names the message it is about.
        public func envelopeSender(messageID: String) -> String {
            guard let at = envelope.lastIndex(of: "@") else { return envelope }
            return envelope[..<at] + "+" + messageID + envelope[at...]
        }
    }

    /// How SMS leave.
    public enum SMSTransport: Sendable, Hashable {
        /// Kannel's `sendsms` HTTP GET.
        case kannel(KannelSettings)
        /// A JSON POST of each row of `sms.csv`.
        case json(HTTPSettings)
    }

    /// Kannel `sendsms` settings.
    public struct KannelSettings: Sendable, Hashable {
        /// `http://HOST:PORT/cgi-bin/sendsms`.
        public var url: String
        /// The sendsms-user's name.
        public var user: String
        /// Environment variable holding its password.
        public var passwordEnv: String
        /// Sender number or name (`from`), when the gateway wants one.
        public var from: String?
        /// Kannel's `dlr-mask` (31: every report).
        public var dlrMask: Int
        /// Where Kannel reports; `{message_id}` is replaced by the message id (else it is added
        /// as `message_id=`), Kannel's own escapes (`%d`, `%T`, …) are left to Kannel.
        public var dlrURL: String?
    }

    /// An HTTP endpoint with an optional bearer token.
    public struct HTTPSettings: Sendable, Hashable {
        /// The URL POSTed to.
        public var url: String
        /// Environment variable holding the bearer token, if any.
        public var tokenEnv: String?
        /// Seconds to wait for the answer.
        public var timeout: Int
    }

    /// E-mail gateway, if configured.
    public var email: Email?
    /// SMS gateway, if configured.
    public var sms: SMSTransport?
    /// WhatsApp (Cloud-API-style) endpoint, if configured.
    public var whatsapp: HTTPSettings?
    /// Attempts per message before a failed one is left for people (default 3).
    public var maxAttempts: Int

    /// Creates gateways (tests build them directly; operators write the YAML file).
    public init(email: Email? = nil, sms: SMSTransport? = nil, whatsapp: HTTPSettings? = nil, maxAttempts: Int = 3) {
        self.email = email
        self.sms = sms
        self.whatsapp = whatsapp
        self.maxAttempts = maxAttempts
    }

    /// Every environment variable the file names, so that a missing one is said before anything
    /// is handed over.
    public var secretNames: [(channel: String, name: String)] {
        var out: [(String, String)] = []
        if case .smtp(let s)? = email?.transport, let p = s.passwordEnv { out.append(("email", p)) }
        switch sms {
        case .kannel(let k)?: out.append(("sms", k.passwordEnv))
        case .json(let h)?: if let t = h.tokenEnv { out.append(("sms", t)) }
        case nil: break
        }
        if let t = whatsapp?.tokenEnv { out.append(("whatsapp", t)) }
        return out
    }
}

extension Gateways {
    /// Reads and checks a gateways file; every problem is reported at once as `FILE:LINE:COLUMN`.
    public static func load(path: String) throws -> Gateways {
        let root: YAMLNode
        do {
            root = try YAMLReader.read(path: path)
        } catch {
            throw RuleBookErrors([error])
        }
        let c = RuleBookChecker()
        let g = read(root, checker: c)
        if !c.diagnostics.isEmpty { throw RuleBookErrors(c.diagnostics) }
        return g!
    }

    /// Parses gateways from YAML text (tests).
    public static func parse(_ text: String, file: String = "gateways.yaml") throws -> Gateways {
        let root: YAMLNode
        do {
            root = try YAMLReader.parse(Array(text.utf8), file: file)
        } catch {
            throw RuleBookErrors([error])
        }
        let c = RuleBookChecker()
        let g = read(root, checker: c)
        if !c.diagnostics.isEmpty { throw RuleBookErrors(c.diagnostics) }
        return g!
    }

    static func read(_ root: YAMLNode, checker c: RuleBookChecker) -> Gateways? {
        guard let f = c.fields(root, of: "o arquivo de gateways", known: ["email", "sms", "whatsapp", "max_attempts"])
        else { return nil }
        var g = Gateways()
        if let n = f["email"] { g.email = email(n, c) }
        if let n = f["sms"] { g.sms = sms(n, c) }
        if let n = f["whatsapp"] {
            g.whatsapp = http(n, c, section: "a seção whatsapp", secretKey: "token_env", required: true)
        }
        if let n = f["max_attempts"] { g.maxAttempts = c.int(n, "max_attempts", in: 1...100) ?? 3 }
        if g.email == nil && g.sms == nil && g.whatsapp == nil && c.diagnostics.isEmpty {
            c.error(root, "o arquivo de gateways não define nenhum gateway: informe email, sms ou whatsapp")
        }
        return g
    }

    /// `password_env`, `token_env`: the name of an environment variable, never the secret.
    private static func envName(_ n: YAMLNode, _ key: String, _ c: RuleBookChecker) -> String? {
        guard let name = c.text(n, key) else { return nil }
        let ok =
            !name.isEmpty && name.utf8.count <= 100 && !RuleByte.isDigit(name.utf8.first!)
            && name.utf8.allSatisfy { RuleByte.isDigit($0) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || $0 == 95 }
        guard ok else {
            c.error(
                n,
                "'\(key)' deve ser o nome de uma variável de ambiente (letras, dígitos, _), não '\(YAMLNode.excerpt(name))'",
                hint: "segredos nunca vão no arquivo de gateways: exporte-os no ambiente e dê aqui o nome da variável")
            return nil
        }
        return name
    }

    private static func email(_ n: YAMLNode, _ c: RuleBookChecker) -> Email? {
        guard
            let f = c.fields(
                n, of: "a seção email", known: ["sendmail", "sendmail_args", "sendmail_timeout", "smtp", "envelope"])
        else {
            return nil
        }
        var transport: EmailTransport?
        if let s = f["sendmail"], let path = c.text(s, "sendmail") {
            var args: [String] = []
            if let a = f["sendmail_args"] { args = c.textList(a, "sendmail_args") ?? [] }
            var timeout = 60
            if let t = f["sendmail_timeout"] { timeout = c.int(t, "sendmail_timeout", in: 1...3600) ?? 60 }
            transport = .sendmail(path: path, arguments: args, timeout: timeout)
        }
        if let s = f["smtp"] {
            if transport != nil {
                c.error(s, "a seção email leva sendmail ou smtp, não os dois")
            } else if let settings = smtp(s, c) {
                transport = .smtp(settings)
            }
        }
        let envelope = c.require(f, "envelope").flatMap { c.text($0, "envelope") }
        if let e = envelope, !RuleBookChecker.looksLikeEmail(e) || e.contains("+") {
            c.error(f["envelope"]!, "'envelope' deve ser um endereço como bounces@exemplo.com.br (sem '+')")
            return nil
        }
        if transport == nil, f["smtp"] == nil, f["sendmail"] == nil {
            c.error(
                n,
                "a seção email precisa de 'sendmail' (um caminho, p. ex. /usr/sbin/sendmail) ou 'smtp' ({host, port, …})"
            )
        }
        guard let transport, let envelope else { return nil }
        return Email(transport: transport, envelope: envelope)
    }

    private static func smtp(_ n: YAMLNode, _ c: RuleBookChecker) -> SMTPSettings? {
        guard
            let f = c.fields(
                n, of: "a seção email.smtp",
                known: ["host", "port", "user", "password_env", "tls", "tls_ca_file", "helo", "timeout"])
        else { return nil }
        guard let host = c.require(f, "host").flatMap({ c.text($0, "host") }) else { return nil }
        var s = SMTPSettings(host: host, port: 587, tls: .starttls, helo: "localhost", timeout: 60)
        if let p = f["port"] { s.port = c.int(p, "port", in: 1...65535) ?? 587 }
        if let u = f["user"] { s.user = c.text(u, "user") }
        if let p = f["password_env"] { s.passwordEnv = envName(p, "password_env", c) }
        if let t = f["tls"] {
            s.tls = c.choice(t, "tls", [("starttls", SMTPSettings.TLS.starttls), ("none", .none)]) ?? .starttls
        }
        if let h = f["helo"] { s.helo = c.text(h, "helo") ?? "localhost" }
        if let t = f["timeout"] { s.timeout = c.int(t, "timeout", in: 1...3600) ?? 60 }
        if let a = f["tls_ca_file"] {
            s.caFile = c.text(a, "tls_ca_file")
            if s.tls == .none { c.error(a, "'tls_ca_file' não vale com tls: none (a sessão não usa TLS)") }
        }
        if s.user != nil, s.passwordEnv == nil {
            c.error(n, "a seção email.smtp tem 'user' mas não 'password_env' (a variável de ambiente com a senha)")
        }
        return s
    }

    private static func sms(_ n: YAMLNode, _ c: RuleBookChecker) -> SMSTransport? {
        guard let f = c.fields(n, of: "a seção sms", known: ["kannel", "json"]) else { return nil }
        if f["kannel"] != nil, f["json"] != nil {
            c.error(n, "a seção sms leva kannel ou json, não os dois")
            return nil
        }
        if let k = f["kannel"] {
            guard
                let kf = c.fields(
                    k, of: "a seção sms.kannel", known: ["url", "user", "password_env", "from", "dlr_mask", "dlr_url"])
            else { return nil }
            let url = c.require(kf, "url").flatMap { httpURL($0, "url", c) }
            let user = c.require(kf, "user").flatMap { c.text($0, "user") }
            let pass = c.require(kf, "password_env").flatMap { envName($0, "password_env", c) }
            var mask = 31
            if let m = kf["dlr_mask"] { mask = c.int(m, "dlr_mask", in: 0...255) ?? 31 }
            let dlr = kf["dlr_url"].flatMap { httpURL($0, "dlr_url", c) }
            let from = kf["from"].flatMap { c.text($0, "from") }
            guard let url, let user, let pass else { return nil }
            return .kannel(
                KannelSettings(url: url, user: user, passwordEnv: pass, from: from, dlrMask: mask, dlrURL: dlr))
        }
        if let j = f["json"] {
            return http(j, c, section: "a seção sms.json", secretKey: "token_env", required: false).map { .json($0) }
        }
        c.error(n, "a seção sms precisa de 'kannel' ({url, user, password_env, dlr_url}) ou 'json' ({url, token_env})")
        return nil
    }

    private static func http(
        _ n: YAMLNode, _ c: RuleBookChecker, section: String, secretKey: String, required: Bool
    ) -> HTTPSettings? {
        guard let f = c.fields(n, of: section, known: ["url", secretKey, "timeout"]) else { return nil }
        let url = c.require(f, "url").flatMap { httpURL($0, "url", c) }
        var token: String?
        if required {
            token = c.require(f, secretKey).flatMap { envName($0, secretKey, c) }
        } else if let t = f[secretKey] {
            token = envName(t, secretKey, c)
        }
        var timeout = 30
        if let t = f["timeout"] { timeout = c.int(t, "timeout", in: 1...3600) ?? 30 }
        guard let url else { return nil }
        return HTTPSettings(url: url, tokenEnv: token, timeout: timeout)
    }

    private static func httpURL(_ n: YAMLNode, _ key: String, _ c: RuleBookChecker) -> String? {
        guard let text = c.text(n, key) else { return nil }
        guard let u = URLComponents(string: text.replacingOccurrences(of: "%", with: "%25")),
            u.scheme == "http" || u.scheme == "https", u.host?.isEmpty == false
        else {
            c.error(n, "'\(key)' deve ser uma URL http:// ou https://, não '\(YAMLNode.excerpt(text))'")
            return nil
        }
        return text
    }
}
