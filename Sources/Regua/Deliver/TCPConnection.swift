import CLibSSL
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a connection to a gateway failed, and whether anything may have reached it.
public struct GatewayIOError: Error, CustomStringConvertible, Sendable {
    /// What happened.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// A blocking TCP connection read line by line (SMTP), upgraded to TLS on demand (STARTTLS).
/// The only file of `Deliver/` that calls the C socket and OpenSSL APIs; it hands out lines
/// and takes bytes, never pointers. Every read and write has a time limit, so a silent server
/// cannot hold a night's delivery forever.
final class TCPConnection {
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    /// The TLS session once ``startTLS(host:caFile:)`` succeeded: every byte after it goes
    /// through it (the system OpenSSL, `Sources/CLibSSL/shim.h`).
    private var tls: UnsafeMutablePointer<regua_tls>?

    /// A C string the shim wrote into `buffer`.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The protocol of the TLS session (`TLSv1.3`), nil in the clear.
    var tlsVersion: String? { tls.map { String(cString: regua_tls_version($0)) } }

    /// Upgrades the connection to TLS as a client of `host` (after the server's `220` to
    /// STARTTLS), verifying its certificate against `caFile` (PEM) or the system's CAs and its
    /// name; throws, naming why, when the handshake or the check fails. Anything the server
    /// sent in the clear and was not read is dropped (RFC 3207 §4.2).
    func startTLS(host: String, caFile: String?) throws {
        buffer = []
        start = 0
        var err = [CChar](repeating: 0, count: 512)
        let session = err.withUnsafeMutableBufferPointer { e in
            regua_tls_connect(fd, host, caFile, 1, e.baseAddress, e.count)
        }
        guard let session else {
            throw GatewayIOError("STARTTLS with \(host): " + Self.text(err))
        }
        tls = session
    }

    /// Connects to `host:port` (the first address that answers), with `timeout` seconds for the
    /// connection and for each read and write.
    init(host: String, port: Int, timeout: Int) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw GatewayIOError("cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var node: UnsafeMutablePointer<addrinfo>? = first
        fd = -1
        while let a = node {
            let s = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
            if s >= 0 {
                var tv = timeval(tv_sec: timeout, tv_usec: 0)
                setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                if connect(s, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 {
                    fd = s
                    break
                }
                lastError = String(cString: strerror(errno))
                _ = Glibc.close(s)
            }
            node = a.pointee.ai_next
        }
        guard fd >= 0 else { throw GatewayIOError("cannot connect to \(host):\(port): \(lastError)") }
        #if canImport(Darwin)
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    deinit { close() }

    /// Closes the connection (again is harmless).
    func close() {
        if let tls {
            regua_tls_free(tls)
            self.tls = nil
        }
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    /// Writes every byte or throws.
    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        if let tls {
            var err = [CChar](repeating: 0, count: 512)
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { raw in
                    err.withUnsafeMutableBufferPointer { e in
                        regua_tls_write(tls, raw.baseAddress, Int32(min(raw.count, 1 << 20)), e.baseAddress, e.count)
                    }
                }
                guard n > 0 else { throw GatewayIOError("write failed: " + Self.text(err)) }
                sent += Int(n)
            }
            return
        }
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { raw in
                #if canImport(Glibc)
                    send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
                #else
                    send(fd, raw.baseAddress, raw.count, 0)
                #endif
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw GatewayIOError("write failed: \(String(cString: strerror(errno)))")
            }
            sent += n
        }
    }

    /// One line without its CRLF (or LF); throws on a closed connection or a time-out.
    func readLine(limit: Int = 4096) throws -> String {
        while true {
            if let nl = buffer[start...].firstIndex(of: 10) {
                var end = nl
                if end > start && buffer[end - 1] == 13 { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = nl + 1
                if start > 65536 {
                    buffer.removeFirst(start)
                    start = 0
                }
                return line
            }
            guard buffer.count - start < limit else { throw GatewayIOError("reply line longer than \(limit) bytes") }
            var chunk = [UInt8](repeating: 0, count: 4096)
            if let tls {
                var err = [CChar](repeating: 0, count: 512)
                let n = chunk.withUnsafeMutableBytes { raw in
                    err.withUnsafeMutableBufferPointer { e in
                        regua_tls_read(tls, raw.baseAddress, Int32(raw.count), e.baseAddress, e.count)
                    }
                }
                if n < 0 { throw GatewayIOError(Self.text(err)) }
                if n == 0 { throw GatewayIOError("the server closed the connection") }
                buffer += chunk[0..<Int(n)]
                continue
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw GatewayIOError("no reply in time") }
            if n <= 0 { throw GatewayIOError("the server closed the connection") }
            buffer += chunk[0..<n]
        }
    }
}
