import Foundation

/// Runs a program and returns its exit status and output (tests only). The output goes through
/// a file, not a pipe: a daemon the program starts (Postfix's master) keeps its descriptors.
@discardableResult
func runTool(_ path: String, _ args: [String], stdin: Data? = nil, env: [String: String] = [:]) throws -> (
    status: Int32, out: String
) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    var e = ProcessInfo.processInfo.environment
    for (k, v) in env { e[k] = v }
    p.environment = e
    let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("regua-tool-\(UUID().uuidString)").path
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: outPath) }
    let out = FileHandle(forWritingAtPath: outPath)!
    p.standardOutput = out
    p.standardError = out
    let input = Pipe()
    p.standardInput = stdin == nil ? FileHandle.nullDevice : input
    try p.run()
    if let stdin {
        input.fileHandleForWriting.write(stdin)
        try? input.fileHandleForWriting.close()
    }
    p.waitUntilExit()
    try? out.close()
    return (p.terminationStatus, (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "")
}

/// A free TCP port on 127.0.0.1 (asked of the kernel through Python, so the tests need no socket code).
func freePort() throws -> Int {
    let r = try runTool(
        "/usr/bin/python3",
        ["-c", "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"])
    return Int(r.out.trimmingCharacters(in: .whitespacesAndNewlines))!
}

/// Waits until something listens on 127.0.0.1:port.
func waitForPort(_ port: Int, seconds: Double = 20) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let r = try? runTool(
            "/usr/bin/python3",
            ["-c", "import socket;socket.create_connection(('127.0.0.1',\(port)),timeout=1).close()"]), r.status == 0
        {
            return true
        }
        Thread.sleep(forTimeInterval: 0.2)
    }
    return false
}

/// A temporary folder that other users (postfix, nobody) can walk into; removed at the end.
func peerFolder(_ name: String) throws -> String {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("regua-\(name)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    chmod(root, 0o755)
    return root
}

/// A private Postfix instance on loopback (its own config, queue and data folders), relaying
/// every message to Postfix's own `smtp-sink`, which keeps one file per message. Chosen
/// recipients go to a second sink that refuses RCPT with 5xx, or a third with 4xx; with
/// `maximal_queue_lifetime = 0` Postfix bounces both at once, and its DSNs for our VERP
/// envelope `bounces+<id>@regua.test` land in a Maildir.
final class PostfixPeer {  // files are the test's own
    static let available =
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/postfix")
        && FileManager.default.isExecutableFile(atPath: "/usr/sbin/smtp-sink") && getuid() == 0
    static let skipReason =
        "postfix and smtp-sink (Debian package postfix) and root are needed; scripts/install-deps.sh --test installs them"

    let root: String
    let smtpdPort: Int
    let acceptPort: Int
    let hardPort: Int
    let softPort: Int
    private var sinks: [Process] = []
    private var started = false

    /// The submission service (RFC 6409) when asked for: STARTTLS required, SASL AUTH.
    let submissionPort: Int

    var conf: String { root + "/conf" }
    var maildir: String { root + "/mail/bounces" }
    var sinkDir: String { root + "/sink" }
    /// The self-signed certificate of the submission service (PEM), made by `openssl req`.
    var certificate: String { root + "/tls/server.pem" }

    /// A login of the submission service.
    struct Account {
        var user: String
        var password: String
    }

    /// Whether Cyrus SASL's tools and mechanisms are installed (the submission tests need them).
    static let saslAvailable =
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/saslpasswd2")
        && ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/x86_64-linux-gnu/sasl2"))
            ?? (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/aarch64-linux-gnu/sasl2")) ?? [])
            .contains { $0.hasPrefix("libplain") }
    static let saslSkipReason =
        "Cyrus SASL (Debian packages sasl2-bin and libsasl2-modules) and openssl are needed; scripts/install-deps.sh --test installs them"

    /// Starts the sinks and Postfix; `hard` and `soft` recipients are refused at RCPT. With
    /// `submission`, a second smtpd on ``submissionPort`` requires STARTTLS (a certificate for
    /// 127.0.0.1 made by `openssl req` here) and AUTH PLAIN/LOGIN against a private sasldb
    /// holding that account, and relays only for an authenticated client.
    init(hard: [String] = [], soft: [String] = [], submission: Account? = nil) throws {
        root = try peerFolder("postfix")
        smtpdPort = try freePort()
        acceptPort = try freePort()
        hardPort = try freePort()
        softPort = try freePort()
        submissionPort = try submission == nil ? 0 : freePort()
        let fm = FileManager.default
        for d in ["conf", "queue", "data", "mail", "sink"] {
            try fm.createDirectory(atPath: root + "/" + d, withIntermediateDirectories: true)
            chmod(root + "/" + d, 0o755)
        }
        try fm.setAttributes([.ownerAccountName: "postfix"], ofItemAtPath: root + "/data")
        try fm.setAttributes([.ownerAccountName: "nobody"], ofItemAtPath: root + "/mail")
        try fm.setAttributes([.ownerAccountName: "nobody"], ofItemAtPath: root + "/sink")
        let routes =
            hard.map { "{ \($0) = smtp:[127.0.0.1]:\(hardPort) }" }
            + soft.map { "{ \($0) = smtp:[127.0.0.1]:\(softPort) }" }
        let main = """
            compatibility_level = 3.6
            queue_directory = \(root)/queue
            data_directory = \(root)/data
            mail_owner = postfix
            setgid_group = postdrop
            myhostname = mx.regua.test
            mydomain = regua.test
            myorigin = regua.test
            mydestination =
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            smtpd_relay_restrictions = permit_mynetworks, reject
            default_transport = smtp:[127.0.0.1]:\(acceptPort)
            transport_maps = \(routes.isEmpty ? "" : "inline:{ " + routes.joined(separator: ", ") + " }")
            smtp_dns_support_level = disabled
            maximal_queue_lifetime = 0
            bounce_queue_lifetime = 0
            virtual_mailbox_domains = regua.test
            virtual_mailbox_base = \(root)/mail
            virtual_mailbox_maps = static:bounces/
            virtual_uid_maps = static:65534
            virtual_gid_maps = static:65534
            recipient_delimiter = +
            alias_maps =
            alias_database =
            maillog_file_prefixes = /tmp, \(root)
            maillog_file = \(root)/postfix.log

            """
        var submissionService = ""
        if let submission {
            try Self.makeSubmission(root: root, account: submission)
            submissionService = """
                127.0.0.1:\(submissionPort) inet n - n - - smtpd
                  -o syslog_name=postfix/submission
                  -o smtpd_tls_security_level=encrypt
                  -o smtpd_tls_cert_file=\(root)/tls/server.pem
                  -o smtpd_tls_key_file=\(root)/tls/server.key
                  -o smtpd_tls_loglevel=1
                  -o smtpd_sasl_auth_enable=yes
                  -o smtpd_sasl_type=cyrus
                  -o smtpd_sasl_path=smtpd
                  -o smtpd_sasl_local_domain=regua.test
                  -o smtpd_sasl_security_options=noanonymous
                  -o smtpd_tls_auth_only=yes
                  -o smtpd_client_restrictions=
                  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
                  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject

                """
        }
        try main.write(toFile: conf + "/main.cf", atomically: true, encoding: .utf8)
        let master = """
            127.0.0.1:\(smtpdPort) inet n - n - - smtpd
            pickup    unix  n       -       n       60      1       pickup
            cleanup   unix  n       -       n       -       0       cleanup
            qmgr      unix  n       -       n       300     1       qmgr
            rewrite   unix  -       -       n       -       -       trivial-rewrite
            bounce    unix  -       -       n       -       0       bounce
            defer     unix  -       -       n       -       0       bounce
            trace     unix  -       -       n       -       0       bounce
            verify    unix  -       -       n       -       1       verify
            flush     unix  n       -       n       1000?   0       flush
            tlsmgr    unix  -       -       n       1000?   1       tlsmgr
            proxymap  unix  -       -       n       -       -       proxymap
            smtp      unix  -       -       n       -       -       smtp
            relay     unix  -       -       n       -       -       smtp
            showq     unix  n       -       n       -       -       showq
            error     unix  -       -       n       -       -       error
            retry     unix  -       -       n       -       -       error
            discard   unix  -       -       n       -       -       discard
            local     unix  -       n       n       -       -       local
            virtual   unix  -       n       n       -       -       virtual
            anvil     unix  -       -       n       -       1       anvil
            scache    unix  -       -       n       -       1       scache
            postlog   unix-dgram n  -       n       -       1       postlogd

            """ + submissionService
        try master.write(toFile: conf + "/master.cf", atomically: true, encoding: .utf8)
        for (port, extra) in [
            (acceptPort, ["-d", sinkDir + "/%M."]), (hardPort, ["-f", "RCPT"]), (softPort, ["-r", "RCPT"]),
        ] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/sbin/smtp-sink")
            p.arguments = ["-u", "nobody"] + extra + ["127.0.0.1:\(port)", "50"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            sinks.append(p)
        }
        let r = try runTool("/usr/sbin/postfix", ["-c", conf, "start"])
        started = true
        guard r.status == 0, waitForPort(smtpdPort), waitForPort(acceptPort),
            submission == nil || waitForPort(submissionPort)
        else {
            throw PeerError("postfix did not start (\(r.status)): \(r.out)\n\(log)")
        }
    }

    /// The certificate (self-signed, for IP 127.0.0.1 and mx.regua.test) and the SASL database
    /// of the submission service, readable by the postfix user.
    private static func makeSubmission(root: String, account: Account) throws {
        let fm = FileManager.default
        // Debian's Postfix looks for the SASL application's file in <config_directory>/sasl
        // (its smtpd.conf), whatever `cyrus_sasl_config_path` says.
        for d in ["tls", "conf/sasl", "sasl"] {
            try fm.createDirectory(atPath: root + "/" + d, withIntermediateDirectories: true)
            chmod(root + "/" + d, 0o755)
        }
        let cert = try runTool(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=mx.regua.test",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:mx.regua.test", "-keyout", root + "/tls/server.key",
                "-out", root + "/tls/server.pem",
            ])
        guard cert.status == 0 else { throw PeerError("openssl req: \(cert.out)") }
        try fm.setAttributes([.ownerAccountName: "postfix"], ofItemAtPath: root + "/tls/server.key")
        let db = root + "/sasl/sasldb2"
        let pw = try runTool(
            "/usr/sbin/saslpasswd2", ["-f", db, "-c", "-p", "-u", "regua.test", account.user],
            stdin: Data(account.password.utf8))
        guard pw.status == 0 else { throw PeerError("saslpasswd2: \(pw.out)") }
        try fm.setAttributes([.ownerAccountName: "postfix"], ofItemAtPath: db)
        try """
        pwcheck_method: auxprop
        auxprop_plugin: sasldb
        mech_list: PLAIN LOGIN
        sasldb_path: \(db)

        """.write(toFile: root + "/conf/sasl/smtpd.conf", atomically: true, encoding: .utf8)
        chmod(root + "/conf/sasl/smtpd.conf", 0o644)
    }

    /// Postfix's own log of this instance.
    var log: String { (try? String(contentsOfFile: root + "/postfix.log", encoding: .utf8)) ?? "" }

    /// Waits until Postfix has nothing left in its queue (every message relayed or bounced, and
    /// every bounce delivered).
    func waitUntilQueueIsEmpty(seconds: Double = 60) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let r = try runTool("/usr/sbin/postqueue", ["-c", conf, "-p"])
            if r.out.contains("Mail queue is empty") { return }
            Thread.sleep(forTimeInterval: 0.3)
        }
        throw PeerError("postfix queue not empty after \(seconds)s")
    }

    /// The Message-ID (left side) of every message the accepting sink received, one per copy.
    func receivedMessageIDs() -> [String] {
        let fm = FileManager.default
        return ((try? fm.contentsOfDirectory(atPath: sinkDir)) ?? []).compactMap { name in
            guard let text = try? String(contentsOfFile: sinkDir + "/" + name, encoding: .utf8) else { return nil }
            for line in text.split(separator: "\n") where line.lowercased().hasPrefix("message-id:") {
                let v = line.drop { $0 != "<" }.dropFirst()
                return String(v.prefix { $0 != "@" })
            }
            return nil
        }
    }

    /// The DSN files Postfix delivered to the bounce Maildir.
    func bounceFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: maildir + "/new")) ?? []).sorted()
    }

    /// Submits a message through this instance's sendmail, as a mail program would.
    func sendmail(_ message: [UInt8], envelope: String) throws {
        let r = try runTool("/usr/sbin/sendmail", ["-C", conf, "-t", "-oi", "-f", envelope], stdin: Data(message))
        guard r.status == 0 else { throw PeerError("sendmail: \(r.out)") }
    }

    deinit {
        if started { _ = try? runTool("/usr/sbin/postfix", ["-c", conf, "stop"]) }
        for s in sinks where s.isRunning {
            kill(s.processIdentifier, SIGKILL)  // smtp-sink does not end on SIGTERM
            s.waitUntilExit()
        }
        if ProcessInfo.processInfo.environment["KEEP_TEST_WORKSPACES"] == nil {
            try? FileManager.default.removeItem(atPath: root)
        }
    }
}

/// A real Kannel on loopback: bearerbox with a `fake` SMSC, smsbox with a sendsms user, and
/// `fakesmsc` (kannel-extras) as the SMS centre, whose output lists each message it received.
/// A small Python HTTP server stands for the company's `dlr_url` endpoint and logs
/// `message_id,status,at` as SPEC §7 describes.
final class KannelPeer {
    static let fakesmsc = "/usr/lib/kannel/test/fakesmsc"
    static let available =
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/bearerbox")
        && FileManager.default.isExecutableFile(atPath: "/usr/sbin/smsbox")
        && FileManager.default.isExecutableFile(atPath: fakesmsc)
    static let skipReason =
        "Kannel (Debian packages kannel and kannel-extras) is needed; scripts/install-deps.sh --test installs it"

    let root: String
    let sendsmsPort: Int
    let dlrPort: Int
    let user = "regua"
    let password = "s3cret-test"
    private var processes: [Process] = []

    var dlrLog: String { root + "/dlr.csv" }
    var sendsmsURL: String { "http://127.0.0.1:\(sendsmsPort)/cgi-bin/sendsms" }
    var dlrURL: String { "http://127.0.0.1:\(dlrPort)/dlr?status=%d" }

    init() throws {
        root = try peerFolder("kannel")
        let admin = try freePort()
        let box = try freePort()
        let smsc = try freePort()
        sendsmsPort = try freePort()
        dlrPort = try freePort()
        let conf = """
            group = core
            admin-port = \(admin)
            admin-password = admin-test
            admin-allow-ip = 127.0.0.1
            smsbox-port = \(box)
            box-allow-ip = 127.0.0.1
            log-file = "\(root)/bearerbox.log"
            log-level = 1
            dlr-storage = internal

            group = smsc
            smsc = fake
            smsc-id = fake
            host = 127.0.0.1
            port = \(smsc)
            connect-allow-ip = 127.0.0.1

            group = smsbox
            bearerbox-host = 127.0.0.1
            bearerbox-port = \(box)
            sendsms-port = \(sendsmsPort)
            sendsms-interface = 127.0.0.1
            log-file = "\(root)/smsbox.log"
            log-level = 1
            global-sender = 4000

            group = sendsms-user
            username = \(user)
            password = \(password)
            max-messages = 10
            concatenation = true

            """
        try conf.write(toFile: root + "/kannel.conf", atomically: true, encoding: .utf8)
        let logger = """
            import datetime, http.server, sys, urllib.parse
            out = sys.argv[2]
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                    with open(out, 'a') as f:
                        f.write('%s,%s,%s\\n' % (q.get('message_id', [''])[0], q.get('status', [''])[0], datetime.date.today().isoformat()))
                    self.send_response(200); self.end_headers(); self.wfile.write(b'ok')
                def log_message(self, *a): pass
            http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()

            """
        try logger.write(toFile: root + "/dlr.py", atomically: true, encoding: .utf8)
        try start("/usr/bin/python3", [root + "/dlr.py", String(dlrPort), dlrLog], log: "dlr.out")
        try start("/usr/sbin/bearerbox", [root + "/kannel.conf"], log: "bearerbox.out")
        guard waitForPort(box), waitForPort(smsc) else { throw PeerError("bearerbox did not start") }
        try start("/usr/sbin/smsbox", [root + "/kannel.conf"], log: "smsbox.out")
        try start(
            Self.fakesmsc, ["-H", "127.0.0.1", "-r", String(smsc), "-i", "0.1", "-m", "0", "4000 4001 text hello"],
            log: "fakesmsc.out")
        guard waitForPort(sendsmsPort), waitForPort(dlrPort) else { throw PeerError("smsbox did not start") }
        Thread.sleep(forTimeInterval: 1)  // fakesmsc's connection to the bearerbox
    }

    private func start(_ path: String, _ args: [String], log: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        _ = FileManager.default.createFile(atPath: root + "/" + log, contents: nil)
        let h = FileHandle(forWritingAtPath: root + "/" + log)!
        p.standardOutput = h
        p.standardError = h
        try p.run()
        processes.append(p)
    }

    /// What fakesmsc received: (to, coding, text as Kannel wrote it), one per message.
    func received() -> [(to: String, coding: String, text: String)] {
        let text = (try? String(contentsOfFile: root + "/fakesmsc.out", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let r = line.range(of: "Got message "), let lt = line[r.upperBound...].firstIndex(of: "<") else {
                return nil
            }
            let inner = line[line.index(after: lt)...].dropLast(line.hasSuffix(">") ? 1 : 0)
            let parts = inner.split(separator: " ", maxSplits: 3).map(String.init)
            guard parts.count == 4 else { return nil }
            return (parts[1], parts[2], parts[3])
        }
    }

    /// Waits until fakesmsc has `count` messages (or the time is up) and returns them.
    func waitForMessages(_ count: Int, seconds: Double = 30) -> [(to: String, coding: String, text: String)] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let r = received()
            if r.count >= count { return r }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return received()
    }

    /// The DLR endpoint's log lines.
    func dlrLines() -> [String] {
        ((try? String(contentsOfFile: dlrLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    deinit {
        for p in processes.reversed() where p.isRunning {
            kill(p.processIdentifier, SIGKILL)  // fakesmsc and the boxes take their time on SIGTERM
            p.waitUntilExit()
        }
        if ProcessInfo.processInfo.environment["KEEP_TEST_WORKSPACES"] == nil {
            try? FileManager.default.removeItem(atPath: root)
        }
    }
}

/// A peer that did not come up.
struct PeerError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
