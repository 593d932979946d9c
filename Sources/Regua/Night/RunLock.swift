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
            let holder = Self.holderPID(fd)
            close(fd)
            if err == EWOULDBLOCK {
                throw ReguaError(.locked, Self.lockedMessage(ledgerPath: ledgerPath, holder: holder))
            }
            throw ReguaError(.io, "cannot lock \(path): \(String(cString: strerror(err)))")
        }
        // The holder's pid, for the message another run prints (an operator at 3 a.m. wants to
        // know which process to look at). Advisory only: the lock is the flock, not this text.
        let pid = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 {
            _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
    }

    /// What an operator can do when another run holds the ledger: waiting is not always enough,
    /// because once that run has published a later night, this night is refused for ever.
    static func lockedMessage(ledgerPath: String, holder: Int32?) -> String {
        let who = holder.map { "another regua run (pid \($0))" } ?? "another regua run"
        return """
            \(who) holds the ledger \(ledgerPath); nothing was done. When it has ended, run this \
            command again: if that run published this same night, the rerun says "already published"; \
            if it published a later night, this night can no longer be run (a night before the last one \
            is refused) and its steps are caught up by the later nights within catch_up_days. A run \
            that never ends (a hung process) can be stopped with kill; the ledger stays consistent.
            """
    }

    /// The pid the holder wrote into the lock file, if it is there.
    private static func holderPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text)
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
