import Foundation

/// `postgres://USER@HOST:PORT/DATABASE?sslmode=MODE` as `--state` gives it (libpq's URL form).
///
/// The password is never in the URL (it would be in the shell history, the process list and the
/// logs): it comes from the environment variable the URL names (`?password_env=NAME`, default
/// `PGPASSWORD`), else from the password file (`PGPASSFILE`, else `~/.pgpass`, read as libpq
/// reads it). `host=/run/postgresql` in the query names a Unix socket
/// folder instead of a TCP host. `sslmode` is libpq's: `disable`, `allow`/`prefer` (TLS when the
/// server offers it; the default), `require` (TLS, certificate not checked), `verify-ca`
/// (TLS, the chain checked against `sslrootcert` or the system's roots), `verify-full` (also
/// the host name).
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// How much TLS the URL asks for.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// A URL that cannot be used, and why (exit 2).
    public struct Invalid: Error, Sendable {
        /// What is wrong, for the operator.
        public var message: String
    }

    /// The role to connect as.
    public var user: String
    /// The TCP host, or nil with ``socketFolder``.
    public var host: String?
    /// A Unix socket folder (`?host=/path`); the socket is `.s.PGSQL.<port>` in it.
    public var socketFolder: String?
    /// The TCP port (and the socket's number).
    public var port: Int
    /// The database.
    public var database: String
    /// The TLS mode.
    public var sslMode: SSLMode
    /// A CA bundle for `verify-ca` / `verify-full` (`?sslrootcert=`).
    public var rootCertificate: String?
    /// The environment variable holding the password (`?password_env=`, default `PGPASSWORD`).
    public var passwordVariable: String

    /// Whether `state` is meant as a PostgreSQL URL.
    public static func looksLikeOne(_ state: String) -> Bool {
        state.hasPrefix("postgres://") || state.hasPrefix("postgresql://")
    }

    /// Parses a URL; throws ``Invalid`` with the reason.
    public init(_ text: String) throws {
        guard Self.looksLikeOne(text), let c = URLComponents(string: text) else {
            throw Invalid(message: "not a postgres:// URL")
        }
        if c.password != nil {
            throw Invalid(
                message:
                    "the URL carries a password; remove it and give it in PGPASSWORD or ~/.pgpass (a URL ends up in logs and process lists)"
            )
        }
        var query: [String: String] = [:]
        for item in c.queryItems ?? [] { query[item.name] = item.value ?? "" }
        let known: Set = ["sslmode", "host", "sslrootcert", "port", "user", "dbname", "password_env"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw Invalid(
                message: "unknown URL parameter '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        let user = c.user ?? query["user"] ?? ProcessInfo.processInfo.environment["PGUSER"] ?? NSUserName()
        guard !user.isEmpty else { throw Invalid(message: "no user in the URL") }
        self.user = user
        let path = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        let database = path.isEmpty ? (query["dbname"] ?? user) : path
        guard !database.contains("/") else { throw Invalid(message: "the database name '\(database)' has a '/'") }
        self.database = database
        let port = c.port ?? query["port"].flatMap { Int($0) } ?? 5432
        guard (1...65535).contains(port) else { throw Invalid(message: "port \(port) is out of range") }
        self.port = port
        if let h = query["host"], h.hasPrefix("/") {
            socketFolder = h
            host = nil
        } else {
            socketFolder = nil
            host = c.host.flatMap { $0.isEmpty ? nil : $0 } ?? query["host"] ?? "localhost"
        }
        let mode = query["sslmode"] ?? "prefer"
        guard let m = SSLMode(rawValue: mode) else {
            throw Invalid(
                message: "sslmode '\(mode)' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        sslMode = m
        rootCertificate = query["sslrootcert"]
        let variable = query["password_env"] ?? "PGPASSWORD"
        guard !variable.isEmpty, variable.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw Invalid(message: "password_env '\(variable)' is not an environment variable name")
        }
        passwordVariable = variable
    }

    /// The URL as given, without secrets (there are none in it): safe to log.
    public var description: String {
        let place = host.map { "\($0):\(port)" } ?? ""
        let socket = socketFolder.map { "&host=\($0)&port=\(port)" } ?? ""
        let variable = passwordVariable == "PGPASSWORD" ? "" : "&password_env=\(passwordVariable)"
        return "postgres://\(user)@\(place)/\(database)?sslmode=\(sslMode.rawValue)\(socket)\(variable)"
    }

    /// The password for this URL: the variable ``passwordVariable`` names, else the first matching line of the password
    /// file (`hostname:port:database:username:password`, `*` matching anything, `\` escaping
    /// `:` and `\`), which libpq ignores when others can read it — so does this. Nil: none.
    func password(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let p = environment[passwordVariable] { return p }
        let file =
            environment["PGPASSFILE"]
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.pgpass"
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
            let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0,
            let text = try? String(contentsOfFile: file, encoding: .utf8)
        else { return nil }
        let hostKey = host ?? "localhost"
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = Self.passFields(line)
            guard fields.count == 5 else { continue }
            let wanted = [hostKey, String(port), database, user]
            if zip(fields, wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// The five fields of a password-file line, unescaped.
    static func passFields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for ch in line {
            if escaped {
                current.append(ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        fields.append(current)
        return fields
    }
}
