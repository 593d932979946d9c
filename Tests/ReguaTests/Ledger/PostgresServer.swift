import Foundation
import Testing
@testable import Regua
#if canImport(Glibc)
    import Glibc
#endif

/// A real PostgreSQL server for the tests, from Debian's packages (`postgresql`, installed by
/// `scripts/install-deps.sh --test`): `initdb` into a temporary folder, `pg_ctl start` with its
/// Unix socket in that folder and TCP on a free loopback port only. The socket trusts local
/// connections (the folder is the server user's, mode 0700); TCP asks the password (SCRAM) of
/// the role `regua`. Started once per test process, on first use; stopped and its folder
/// removed when the process exits — and, should the test process die without exiting
/// (a crash, SIGKILL), by a watchdog that waits for it.
///
/// `initdb` and `postgres` refuse to run as root: as root (CI), the server runs as the
/// unprivileged `postgres` user of the Debian package (else `nobody`) through `runuser`, with
/// the folder chowned to it. When it truly cannot start, the tests that need it are skipped
/// with the reason — unless `REGUA_REQUIRE_POSTGRES=1` (`make test`), where that is a failure.
final class PostgresServer: Sendable {
    /// The password of the role `regua` over TCP (a throwaway test server's, loopback only).
    static let password = "regua-test-" + UUID().uuidString.prefix(13).lowercased()

    /// The server's folder: `data/`, the socket, `server.log`.
    let root: String
    /// The loopback TCP port (and the socket's number).
    let port: Int
    /// Where `initdb`, `pg_ctl` and `postgres` are.
    let bin: String
    /// The user the server runs as when the tests run as root.
    let runAs: String?

    /// The server, or why it could not start.
    static let shared: Result<PostgresServer, Failure> = {
        do {
            let s = try PostgresServer()
            atexit { (try? PostgresServer.shared.get())?.stop() }
            return .success(s)
        } catch let f as Failure {
            return .failure(f)
        } catch {
            return .failure(Failure(reason: "\(error)"))
        }
    }()

    /// Whether the tests that need it can run: the server started, or it is required
    /// (`REGUA_REQUIRE_POSTGRES=1`), in which case the tests run and fail with the reason.
    static var enabled: Bool {
        (try? shared.get()) != nil || ProcessInfo.processInfo.environment["REGUA_REQUIRE_POSTGRES"] == "1"
    }
    /// Why the tests are skipped, as the test report shows it.
    static var skipReason: Comment {
        if case .failure(let f) = shared { return Comment(rawValue: "PostgreSQL could not start: \(f.reason)") }
        return ""
    }

    /// Why the server could not start.
    struct Failure: Error, Sendable, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    private init() throws {
        guard let bin = Self.findBin() else {
            throw Failure(
                reason:
                    "no initdb under /usr/lib/postgresql/*/bin (apt-get install postgresql; scripts/install-deps.sh --test does)"
            )
        }
        self.bin = bin
        // Short: a Unix socket path is at most 107 bytes.
        root = "/tmp/regua-pg-" + UUID().uuidString.prefix(8).lowercased()
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        if geteuid() == 0 {
            let user = ["postgres", "nobody"].first { Self.run("/usr/bin/id", ["-u", $0]).status == 0 }
            guard let user else {
                try? fm.removeItem(atPath: root)
                throw Failure(
                    reason: "running as root, and there is no unprivileged user (postgres, nobody) to run the server as"
                )
            }
            runAs = user
        } else {
            runAs = nil
        }
        do {
            try Self.password.write(toFile: root + "/pw", atomically: false, encoding: .utf8)
            chmod(root + "/pw", 0o600)
            if let runAs { _ = Self.run("/bin/chown", ["-R", runAs, root]) }
            let initdb = Self.asServer(
                runAs, bin + "/initdb",
                [
                    "-D", root + "/data", "-U", "regua", "--pwfile=" + root + "/pw", "--auth-local=trust",
                    "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync",
                ])
            try? fm.removeItem(atPath: root + "/pw")
            guard initdb.status == 0 else { throw Failure(reason: "initdb failed: \(initdb.output.suffix(800))") }
            var started: (status: Int32, output: String) = (-1, "")
            var chosen = 0
            for _ in 0..<3 {  // a free port may be taken between finding it and the server binding it
                chosen = try Self.freePort()
                started = Self.asServer(
                    runAs, bin + "/pg_ctl",
                    [
                        "-D", root + "/data", "-l", root + "/server.log", "-w", "-t", "60", "-o",
                        "-p \(chosen) -k \(root) -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=100 -c shared_buffers=32MB",
                        "start",
                    ])
                if started.status == 0 { break }
            }
            guard started.status == 0 else {
                let log = (try? String(contentsOfFile: root + "/server.log", encoding: .utf8)) ?? ""
                throw Failure(reason: "pg_ctl start failed: \(started.output) \(log.suffix(800))")
            }
            port = chosen
        } catch {
            try? fm.removeItem(atPath: root)
            throw error
        }
        try startWatchdog()
    }

    /// A process of its own that stops the server and removes its folder once this test
    /// process is gone, however it ended.
    private func startWatchdog() throws {
        let pidFile = root + "/data/postmaster.pid"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [
            "-c",
            // The loop runs in a background subshell and this shell exits at once: Foundation's
            // Process takes a child that closes its descriptors for one that ended and then
            // waits for it in a blocking wait4 on the thread every other Process needs, so a
            // watchdog that stayed its direct child hung the whole test run.
            Self.closingDescriptors + """
                (
                while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
                if [ -f '\(pidFile)' ]; then pm=$(head -1 '\(pidFile)'); kill -QUIT "$pm" 2>/dev/null
                  for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pm" 2>/dev/null || break; sleep 0.5; done; fi
                rm -rf '\(root)'
                ) &
                """,
        ]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
    }

    /// Stops the server at once and removes its folder.
    func stop() {
        _ = Self.asServer(runAs, bin + "/pg_ctl", ["-D", root + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The newest `/usr/lib/postgresql/<version>/bin` with an `initdb`.
    private static func findBin() -> String? {
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).compactMap { Int($0) }
        return versions.sorted(by: >).map { "\(base)/\($0)/bin" }.first {
            FileManager.default.isExecutableFile(atPath: $0 + "/initdb")
        }
    }

    /// A loopback TCP port nobody listens on now (the kernel's choice for port 0).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(reason: "socket(): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
                guard bind(fd, p, len) == 0 else { return -1 }
                return getsockname(fd, p, &len)
            }
        }
        guard bound == 0 else { throw Failure(reason: "bind(127.0.0.1:0): \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Runs a server program as the user the server runs as, with no descriptor of ours but
    /// 0, 1 and 2: Foundation's `Process` learns that a child ended when a socket the child
    /// inherited is closed, and the server `pg_ctl` starts would otherwise hold it open for ever.
    private static func asServer(_ user: String?, _ tool: String, _ args: [String]) -> (status: Int32, output: String) {
        let command = (user.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? []) + [tool] + args
        return run("/bin/bash", ["-c", closingDescriptors + "exec \"$@\"", "regua-pg"] + command)
    }

    /// A bash prelude that closes every descriptor above 2.
    static let closingDescriptors =
        "for fd in /proc/$$/fd/*; do n=${fd##*/}; if [ \"$n\" -gt 2 ]; then eval \"exec $n>&-\"; fi; done; "

    /// Runs a program to its end; its status and its stdout and stderr together.
    @discardableResult
    static func run(_ tool: String, _ args: [String], env: [String: String] = [:]) -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(env) { _, b in b }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("regua-pg-out-\(UUID().uuidString)")
        // A file, not a pipe: the server pg_ctl starts must not hold our pipe open.
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        guard let out = try? FileHandle(forWritingTo: log) else { return (-1, "cannot create \(log.path)") }
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        p.currentDirectoryURL = URL(fileURLWithPath: "/")
        do { try p.run() } catch { return (-1, "\(error)") }
        p.waitUntilExit()
        try? out.close()
        return (p.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// A new, empty database; its URL on the Unix socket (no password: the folder is the server's).
    func newDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let r = psql("postgres", "CREATE DATABASE \(name)")
        guard r.status == 0 else { throw Failure(reason: "CREATE DATABASE failed: \(r.output)") }
        return socketURL(name)
    }

    /// The URL of a database on the Unix socket.
    func socketURL(_ database: String) -> String {
        "postgres://regua@/\(database)?host=\(root)&port=\(port)"
    }

    /// The URL of a database over TCP on loopback (the password from the environment or `.pgpass`).
    func tcpURL(_ database: String, extra: String = "") -> String {
        "postgres://regua@127.0.0.1:\(port)/\(database)?sslmode=disable" + extra
    }

    /// The database a URL names.
    static func database(of url: String) -> String {
        (try? PostgresURL(url).database) ?? url
    }

    /// `psql` (Debian's client, not our code) on a database, over the socket: unaligned,
    /// tuples only, stopping at the first error.
    func psql(_ database: String, _ sql: String) -> (status: Int32, output: String) {
        let db = database.hasPrefix("postgres://") ? Self.database(of: database) : database
        return Self.run(
            "/usr/bin/psql",
            ["-h", root, "-p", "\(port)", "-U", "regua", "-d", db, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql])
    }
}
