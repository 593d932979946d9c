#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whole-file reads and chunked writes with POSIX calls, so that errors carry the OS's cause
/// and a 100 MB input costs one allocation.
enum FileBytes {
    /// Why a file could not be read or written: the OS message, or a size refusal.
    struct Failure: Error {
        var cause: String
        var tooLarge = false
    }

    /// The text of the current `errno`.
    static func osCause() -> String {
        String(cString: strerror(errno))
    }

    /// Reads a regular file whole into a ``FileBuffer``; refuses one larger than `limit` bytes.
    static func read(_ path: String, limit: Int) throws(Failure) -> FileBuffer {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(cause: osCause()) }
        defer { _ = posixClose(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(cause: osCause()) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw Failure(cause: "it is a directory") }
        let expected = Int(info.st_size)
        if expected > limit {
            throw Failure(cause: "it has \(expected) bytes, over the limit of \(limit)", tooLarge: true)
        }
        // The size is a hint (pipes report 0, files may grow): read until end of file.
        let buffer = FileBuffer(capacity: expected + 1)
        while true {
            if buffer.count == buffer.capacity {
                if buffer.count > limit {
                    throw Failure(cause: "it has more than \(limit) bytes, the limit", tooLarge: true)
                }
                buffer.grow(to: buffer.capacity * 2)
            }
            let r = posixRead(fd, buffer.base + buffer.count, buffer.capacity - buffer.count)
            if r == 0 { break }
            if r < 0 {
                if errno == EINTR { continue }
                throw Failure(cause: osCause())
            }
            buffer.count += r
        }
        if buffer.count > limit {
            throw Failure(cause: "it has more than \(limit) bytes, the limit", tooLarge: true)
        }
        return buffer
    }

    /// A file being written in chunks; created or truncated on open.
    struct Sink: ~Copyable {
        private let fd: Int32

        init(path: String) throws(Failure) {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw Failure(cause: FileBytes.osCause()) }
        }

        /// Writes all of `bytes`.
        func write(_ bytes: [UInt8]) throws(Failure) {
            var done = 0
            while done < bytes.count {
                let r = bytes.withUnsafeBytes { posixWrite(fd, $0.baseAddress! + done, $0.count - done) }
                if r < 0 {
                    if errno == EINTR { continue }
                    throw Failure(cause: FileBytes.osCause())
                }
                done += r
            }
        }

        /// Closes the file, reporting a failed close (a full disk may show only here).
        consuming func close() throws(Failure) {
            let fd = self.fd
            discard self
            if posixClose(fd) != 0 { throw Failure(cause: FileBytes.osCause()) }
        }

        deinit { _ = posixClose(fd) }
    }
}

// File-scope wrappers: inside `FileBytes` the names `read`, `write` and `close` are taken.
private func posixRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int { read(fd, p, n) }
private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
private func posixClose(_ fd: Int32) -> Int32 { close(fd) }

/// A whole file in memory. A large one is mapped with its pages populated in one call (on
/// Linux), cheaper than 25,000 page faults for 100 MB. Unmapped when released.
final class FileBuffer: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private var mapped: Bool
    /// Bytes read so far.
    var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        (base, mapped) = FileBuffer.allocate(self.capacity)
    }

    /// The bytes read (immutable once reading is done; shared by readers on several threads).
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    func grow(to newCapacity: Int) {
        let (bigger, biggerMapped) = FileBuffer.allocate(newCapacity)
        bigger.update(from: base, count: count)
        FileBuffer.free(base, capacity, mapped)
        (base, capacity, mapped) = (bigger, newCapacity, biggerMapped)
    }

    deinit { FileBuffer.free(base, capacity, mapped) }

    private static func allocate(_ size: Int) -> (UnsafeMutablePointer<UInt8>, Bool) {
        #if os(Linux)
            if size >= 4 << 20,
                let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0),
                p != MAP_FAILED
            {
                return (p.bindMemory(to: UInt8.self, capacity: size), true)
            }
        #endif
        return (UnsafeMutablePointer<UInt8>.allocate(capacity: size), false)
    }

    private static func free(_ p: UnsafeMutablePointer<UInt8>, _ size: Int, _ mapped: Bool) {
        #if os(Linux)
            if mapped {
                _ = munmap(p, size)
                return
            }
        #endif
        p.deallocate()
    }
}
