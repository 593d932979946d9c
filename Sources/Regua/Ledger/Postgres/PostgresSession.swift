import Foundation
import Logging
import PostgresNIO

/// One PostgreSQL connection used synchronously: the one place where the (synchronous) night
/// meets postgres-nio's asynchronous API.
///
/// The connection runs on an event loop thread of its own (a one-thread
/// `MultiThreadedEventLoopGroup`), never on Swift's cooperative pool; a caller on an ordinary
/// thread blocks on each answer (`EventLoopFuture.wait()`), which cannot deadlock the pool
/// because no task of the pool is needed to produce it.
final class PostgresSession: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let connection: PostgresConnection
    private let logger: Logger
    /// The URL, for messages (it holds no secret).
    let url: PostgresURL

    /// One value to bind to a `$n` parameter.
    typealias Value = (any PostgresThrowingDynamicTypeEncodable)?
    /// One row of an answer.
    typealias Row = PostgresRandomAccessRow

    /// Connects (and authenticates, with TLS when the URL's `sslmode` asks for it).
    init(url: PostgresURL, purpose: String) throws {
        self.url = url
        var log = Logger(label: "regua.postgres")
        log.logLevel = .critical  // postgres-nio's own logging stays quiet; errors are thrown
        logger = log
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let config = try Self.configuration(url)
            connection = try PostgresConnection.connect(
                on: group.next(), configuration: config, id: 1, logger: log
            ).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw LedgerError(path: url.description, message: "cannot connect: \(Self.describe(error))")
        }
        // Who holds a lock, for the message another run prints: our pid, in pg_stat_activity.
        _ = try? query("SELECT set_config('application_name', $1, false)", ["regua \(purpose) pid \(getpid())"])
    }

    deinit {
        _ = try? connection.close().wait()
        try? group.syncShutdownGracefully()
    }

    private static func configuration(_ url: PostgresURL) throws -> PostgresConnection.Configuration {
        let password = url.password()
        if let folder = url.socketFolder {
            return PostgresConnection.Configuration(
                unixSocketPath: folder + "/.s.PGSQL.\(url.port)", username: url.user, password: password,
                database: url.database)
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        switch url.sslMode {
        case .disable, .allow, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let root = url.rootCertificate { tls.trustRoots = .file(root) }
        let mode: PostgresConnection.Configuration.TLS
        switch url.sslMode {
        case .disable: mode = .disable
        case .allow, .prefer: mode = .prefer(try NIOSSLContext(configuration: tls))
        case .require, .verifyCA, .verifyFull: mode = .require(try NIOSSLContext(configuration: tls))
        }
        var config = PostgresConnection.Configuration(
            host: url.host ?? "localhost", port: url.port, username: url.user, password: password,
            database: url.database, tls: mode)
        config.options.connectTimeout = .seconds(10)
        return config
    }

    /// Runs one statement with its parameters and returns every row.
    @discardableResult
    func query(_ sql: String, _ values: [Value] = []) throws -> [PostgresRandomAccessRow] {
        var binds = PostgresBindings(capacity: values.count)
        for v in values {
            if let v { try binds.append(v) } else { binds.appendNull() }
        }
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait()
                .map { $0.makeRandomAccess() }
        } catch {
            throw LedgerError(path: url.description, message: Self.describe(error))
        }
    }

    /// Runs statements with no parameters, one after another; each may be a script of several
    /// `;`-separated statements (without `;` in literals), as the extended protocol runs one at a time.
    func execute(_ statements: String...) throws {
        for script in statements {
            for s in script.split(separator: ";") where !s.allSatisfy(\.isWhitespace) { try query(String(s)) }
        }
    }

    /// The server's message (and SQLSTATE) rather than postgres-nio's generic text; never the
    /// password nor the parameters' values.
    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let m = e.serverInfo?[.message] {
                return m + (e.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            return "\(e.code)"
        }
        return "\(error)"
    }
}

extension PostgresRandomAccessRow {
    /// Column `i` as text (`NULL` is nil).
    func text(_ i: Int) throws -> String? { try self[i].decode(String?.self) }
    /// Column `i` as text, `NULL` refused.
    func string(_ i: Int) throws -> String { try self[i].decode(String.self) }
    /// Column `i` as an integer.
    func int(_ i: Int) throws -> Int { try self[i].decode(Int.self) }
    /// Column `i` as an integer (`NULL` is nil).
    func optionalInt(_ i: Int) throws -> Int? { try self[i].decode(Int?.self) }
    /// Column `i` as a boolean.
    func bool(_ i: Int) throws -> Bool { try self[i].decode(Bool.self) }
    /// Column `i`, a `date` read as `::text`, as a day.
    func day(_ i: Int) throws -> Day {
        let s = try string(i)
        guard let d = Day(iso: s) else { throw LedgerError(path: "postgres", message: "'\(s)' is not a date") }
        return d
    }
}
