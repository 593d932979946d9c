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

    /// From this size on, a regular file is mapped instead of copied (``read(_:limit:mapFrom:)``).
    static let mapThreshold = 4 << 20

    /// A regular file's bytes whole, as a ``FileBuffer``; refuses one larger than `limit` bytes.
    ///
    /// A regular file of `mapFrom` bytes or more is mapped read-only: its pages are the page
    /// cache's, so 100 MB cost neither a copy nor 25,000 freshly zeroed pages. Anything else
    /// (a small file, a pipe) is read into memory. Either way the file's size and modification
    /// time are kept, so that ``FileBuffer/change()`` can tell whether it was rewritten while
    /// being read. A mapped file cut short meanwhile would raise SIGBUS, which ends the process
    /// with a message and exit 3 (``BusError``): nothing is written before the inputs are read.
    static func read(_ path: String, limit: Int, mapFrom: Int = mapThreshold) throws(Failure) -> FileBuffer {
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
        let state = FileState(info)
        let regular = (info.st_mode & S_IFMT) == S_IFREG
        if regular, expected >= max(mapFrom, 1),
            let mapped = FileBuffer(mapping: fd, count: expected, path: path, state: state)
        {
            return mapped
        }
        // A pipe's times change as it is written: only a regular file can be checked afterwards.
        return try FileBuffer(reading: fd, expected: expected, limit: limit, origin: regular ? (path, state) : nil)
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

// File-scope wrappers: inside `FileBytes` the names `write` and `close` are taken.
private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
private func posixClose(_ fd: Int32) -> Int32 { close(fd) }

/// What tells a file's content changed: its inode, size and modification time.
struct FileState: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int
    var modified: Int128

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int(info.st_size)
        #if os(Linux)
            let m = info.st_mtim
        #else
            let m = info.st_mtimespec
        #endif
        modified = Int128(m.tv_sec) * 1_000_000_000 + Int128(m.tv_nsec)
    }

    /// The state of the file now at `path`, or nil when it cannot be looked at.
    static func now(_ path: String) -> FileState? {
        var info = stat()
        return stat(path, &info) == 0 ? FileState(info) : nil
    }
}

/// SIGBUS: a mapped input file was cut short while it was being read (the only way Regua can
/// get one). Nothing is written before the inputs are read, so the process ends with a message
/// and exit 3 (unreadable input) instead of a bare crash.
enum BusError {
    /// Installs the handler, once per process.
    static func installHandler() { _ = installed }

    private static let installed: Void = {
        let handler: @convention(c) (Int32) -> Void = { _ in
            // Only async-signal-safe calls here: write(2) of a constant, then _exit(2).
            let message: StaticString =
                "regua: an input file was cut short while it was being read (SIGBUS); nothing was done: run again once the file is complete\n"
            _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
            _exit(3)
        }
        var action = sigaction()
        #if os(Linux)
            action.__sigaction_handler.sa_handler = handler
        #else
            action.__sigaction_u.__sa_handler = handler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        _ = sigaction(SIGBUS, &action, nil)
    }()
}
