import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// The memory of the input files, and the page faulting of fresh large arrays: unsafe by the
// name of this file (allocations, a mapping and pointers into them), each behind an interface
// that hands out only what was read.

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

    /// Reads an open file to its end into memory (`expected`, its size, is a hint: pipes report
    /// 0, files may grow); refuses more than `limit` bytes.
    init(
        reading fd: Int32, expected: Int, limit: Int, origin: (path: String, state: FileState)?
    ) throws(FileBytes.Failure) {
        var capacity = max(expected + 1, 1)
        var base = Self.allocate(capacity)
        var count = 0
        var kept = false
        defer { if !kept { base.deallocate() } }
        while true {
            if count == capacity {
                if count > limit {
                    throw FileBytes.Failure(cause: "it has more than \(limit) bytes, the limit", tooLarge: true)
                }
                let bigger = Self.allocate(capacity * 2)
                bigger.update(from: base, count: count)
                base.deallocate()
                (base, capacity) = (bigger, capacity * 2)
            }
            let r = read(fd, base + count, capacity - count)
            if r == 0 { break }
            if r < 0 {
                if errno == EINTR { continue }
                throw FileBytes.Failure(cause: FileBytes.osCause())
            }
            count += r
        }
        if count > limit {
            throw FileBytes.Failure(cause: "it has more than \(limit) bytes, the limit", tooLarge: true)
        }
        kept = true
        memory = SharedBuffer(UnsafeBufferPointer(start: base, count: capacity))
        storage = .heap
        self.count = count
        self.origin = origin
    }

    /// Maps `count` bytes of an open regular file read-only; nil when the system refuses.
    init?(mapping fd: Int32, count: Int, path: String, state: FileState) {
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

    /// Lower-case hex SHA-256 of the bytes read, without copying them into an array.
    func sha256Hex() -> String {
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        return Hashing.hex(hasher.finalize())
    }

    /// Room for `size` bytes, its pages present at once: the whole of it is about to be written.
    private static func allocate(_ size: Int) -> UnsafeMutablePointer<UInt8> {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        Prefault.forWriting(p, count: size)
        return p
    }
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
