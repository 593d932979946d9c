import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run at a time per ledger: an exclusive `flock` on `<ledger>.lock`, held for the whole run
/// and released by the kernel when the process ends, even by `kill -9`.
public final class RunLock {
    private let fd: Int32
    /// Path of the lock file, `<ledger>.lock`.
    public let path: String

    /// Takes the lock or throws ``ReguaError`` with exit code 4 when another run holds it.
    public init(ledgerPath: String) throws {
        path = ledgerPath + ".lock"
        let dir = (ledgerPath as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ReguaError(.io, "cannot open lock file \(path): \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let err = errno
            close(fd)
            if err == EWOULDBLOCK {
                throw ReguaError(
                    .locked, "another regua run holds the ledger (\(path)); nothing was done — wait for it to finish")
            }
            throw ReguaError(.io, "cannot lock \(path): \(String(cString: strerror(err)))")
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
