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
        // The size is a hint (pipes report 0, files may grow): read until end of file.
        var capacity = max(expected + 1, 1)
        var base = FileBuffer.allocate(capacity)
        var count = 0
        var kept = false
        defer { if !kept { base.deallocate() } }
        while true {
            if count == capacity {
                if count > limit {
                    throw Failure(cause: "it has more than \(limit) bytes, the limit", tooLarge: true)
                }
                let bigger = FileBuffer.allocate(capacity * 2)
                bigger.update(from: base, count: count)
                base.deallocate()
                (base, capacity) = (bigger, capacity * 2)
            }
            let r = posixRead(fd, base + count, capacity - count)
            if r == 0 { break }
            if r < 0 {
                if errno == EINTR { continue }
                throw Failure(cause: osCause())
            }
            count += r
        }
        if count > limit {
            throw Failure(cause: "it has more than \(limit) bytes, the limit", tooLarge: true)
        }
        kept = true
        // A pipe's times change as it is written: only a regular file can be checked afterwards.
        return FileBuffer(heap: base, capacity: capacity, count: count, origin: regular ? (path, state) : nil)
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

/// A whole file in memory: read into an allocation, or (a large regular file) mapped. Released
/// (freed or unmapped) with the buffer. Nobody writes the bytes once it is made, so threads may
/// read them at once.
final class FileBuffer: Sendable {
    /// The whole allocation or mapping.
    private let memory: SharedBuffer<UInt8>
    private let storage: Storage
    /// Bytes read.
    let count: Int
    /// The file read and its state when it was opened.
    let origin: (path: String, state: FileState)?

    private enum Storage {
        /// `UnsafeMutablePointer.allocate`, its pages faulted in at once (``Prefault``).
        case heap
        /// The file itself, mapped read-only.
        case file
    }

    /// Takes over `capacity` bytes from `allocate(_:)`, of which `count` were read.
    fileprivate init(
        heap base: UnsafeMutablePointer<UInt8>, capacity: Int, count: Int, origin: (path: String, state: FileState)?
    ) {
        memory = SharedBuffer(UnsafeBufferPointer(start: base, count: capacity))
        storage = .heap
        self.count = count
        self.origin = origin
    }

    /// Maps `count` bytes of an open regular file read-only; nil when the system refuses.
    fileprivate init?(mapping fd: Int32, count: Int, path: String, state: FileState) {
        #if os(Linux)
            BusError.installHandler()
            guard let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else { return nil }
            // Reading goes through the whole file at once (the line count first): ask for all of
            // it (read ahead when not yet in the page cache), then map every page in one call,
            // as a fault each 64 KiB costs more on a virtual machine.
            _ = madvise(p, count, MADV_WILLNEED)
            _ = madvise(p, count, 22)  // MADV_POPULATE_READ (Linux 5.14); a failure changes nothing
            memory = SharedBuffer(
                UnsafeBufferPointer(start: p.bindMemory(to: UInt8.self, capacity: count), count: count))
            storage = .file
            self.count = count
            origin = (path, state)
        #else
            return nil
        #endif
    }

    /// The bytes read (immutable once reading is done; shared by readers on several threads).
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: memory.buffer.baseAddress, count: count) }

    /// Whether the file was rewritten since it was opened (same file, other size or modification
    /// time): then the bytes may be part old, part new. A file replaced by another (renamed over
    /// it) or deleted is no change: these bytes are all the old file's.
    func change() -> String? {
        guard let (path, then) = origin, let now = FileState.now(path) else { return nil }
        guard now.device == then.device, now.inode == then.inode else { return nil }
        if now.size != then.size { return "its size went from \(then.size) to \(now.size) bytes" }
        if now.modified != then.modified { return "its modification time changed" }
        return nil
    }

    deinit {
        let base = UnsafeMutablePointer(mutating: memory.buffer.baseAddress!)
        switch storage {
        case .heap:
            base.deallocate()
        case .file:
            #if os(Linux)
                _ = munmap(base, memory.buffer.count)
            #endif
        }
    }

    /// Room for `size` bytes, its pages present at once: the whole of it is about to be written.
    fileprivate static func allocate(_ size: Int) -> UnsafeMutablePointer<UInt8> {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        Prefault.forWriting(p, count: size)
        return p
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

/// Pages of a fresh large array faulted in with one call instead of one fault each: on a
/// virtual machine a fault costs microseconds, and a night's arrays are a quarter of a GiB.
enum Prefault {
    /// Makes the whole pages of `count` bytes from `p` present and writable (their contents are
    /// unchanged). Only an optimisation: ignored below 1 MiB, and where the system cannot.
    static func forWriting(_ p: UnsafeMutableRawPointer, count: Int) {
        #if os(Linux)
            let page = Int(getpagesize())
            let start = (Int(bitPattern: p) + page - 1) & ~(page - 1)
            let end = (Int(bitPattern: p) + count) & ~(page - 1)
            guard end - start >= 1 << 20, let from = UnsafeMutableRawPointer(bitPattern: start) else { return }
            _ = madvise(from, end - start, 23)  // MADV_POPULATE_WRITE (Linux 5.14)
        #endif
    }

    /// ``forWriting(_:count:)`` for room for `count` values of `T`.
    static func forWriting<T>(_ p: UnsafeMutablePointer<T>, count: Int) {
        forWriting(UnsafeMutableRawPointer(p), count: count * MemoryLayout<T>.stride)
    }
}
