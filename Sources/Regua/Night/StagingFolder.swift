import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// The night being built in `out/.staging-<date>/`: every file written here is flushed to disk,
/// listed in the manifest, and becomes visible only when the folder is renamed into place.
public final class StagingFolder: Sendable {
    /// One file written, for `manifest.json`.
    public struct Entry: Codable, Sendable, Equatable {
        /// The file's path relative to the night's folder.
        public var path: String
        /// The file's size in bytes.
        public var size: Int
        /// SHA-256 (hex) of the file's bytes.
        public var sha256: String
    }

    /// Path of the staging folder.
    public let root: String
    /// Files written so far, in order.
    public var entries: [Entry] { written.value }
    /// ``entries``, appended to by the thread that writes (the e-mails' own, then the night's).
    private let written = Locked<[Entry]>([])

    /// Creates (after removing any leftover of a killed run) the staging folder,
    /// `outDir/.staging-<date>`, or `outDir/<name>` when a name is given (a shard's).
    public init(outDir: String, night: Day, name: String? = nil) throws {
        root = outDir + "/" + (name ?? ".staging-" + night.iso)
        let fm = FileManager.default
        do {
            try fm.createDirectory(
                atPath: outDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            if fm.fileExists(atPath: root) { try fm.removeItem(atPath: root) }
            try fm.createDirectory(
                atPath: root, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ReguaError(.io, "cannot create \(root): \(error.localizedDescription)")
        }
    }

    /// Writes one file (relative path made only of safe names we chose).
    public func write(_ relative: String, _ bytes: [UInt8]) throws {
        try write([(path: relative, bytes: bytes)][...])
    }

    /// Writes many files on every core (they are independent), or on `threads: 1` only; the
    /// manifest lists entries by path, so nothing depends on which thread wrote what.
    public func write(_ files: ArraySlice<(path: String, bytes: [UInt8])>, threads: Int? = nil) throws {
        let list = Array(files)
        let root = self.root
        let dirs = Set(list.map { (root + "/" + $0.path as NSString).deletingLastPathComponent }).subtracting([root])
        for d in dirs.sorted() where !FileManager.default.fileExists(atPath: d) {
            do {
                try FileManager.default.createDirectory(
                    atPath: d, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch {
                throw ReguaError(.io, "cannot create \(d): \(error.localizedDescription)")
            }
        }
        let chunks = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount * 4, list.count / 32))
        let results = Parallel.mapRanges(list.count, chunks: chunks) { range in
            range.map { i -> Result<Entry, Error> in
                let (relative, bytes) = list[i]
                precondition(!relative.contains(".."), "output names never come from input data")
                return Result {
                    try StagingFolder.writeDurably(path: root + "/" + relative, bytes: bytes)
                    return Entry(path: relative, size: bytes.count, sha256: Hashing.sha256Hex(bytes))
                }
            }
        }
        // The entries before a failure are listed, as each file is written.
        var done: [Entry] = []
        defer { written.withLock { [done] in $0 += done } }
        for r in results.joined() { done.append(try r.get()) }
    }

    /// open(O_CREAT|O_TRUNC, 0600) + write. Durability comes from one `syncfs` over the whole
    /// staging tree in ``syncDirectories()``: a night of 100,000 e-mails would spend minutes in
    /// 100,000 separate fsyncs, and nothing is visible or recorded before that sync anyway.
    static func writeDurably(path: String, bytes: [UInt8]) throws {
        let fd = try create(path)
        defer { close(fd) }
        try writeAll(fd, bytes, path: path)
    }

    /// open(O_CREAT|O_TRUNC, 0600), readable by its owner only (LGPD).
    static func create(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ReguaError(.io, "cannot create \(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Writes all of `bytes` to `fd` (retrying short writes and EINTR).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                Glibc.write(fd, buf.baseAddress! + offset, bytes.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReguaError(.io, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    /// A file of the night written a piece at a time (letters.pdf, laid out a window of letters
    /// at a time), listed in the manifest once ``StreamedFile/finish()`` is called.
    public func streamedFile(_ relative: String) throws -> StreamedFile {
        precondition(!relative.contains("/") && !relative.contains(".."), "a streamed file is at the night's top")
        return StreamedFile(staging: self, relative: relative, fd: try Self.create(root + "/" + relative))
    }

    /// A file being written to staging piece by piece, with its size and SHA-256 kept as it goes.
    /// Each piece is hashed at once and written by a thread of its own while the caller makes
    /// the next (one piece at a time, in order): letters.pdf's pieces are laid out on every core
    /// meanwhile. A failed write is thrown by the next ``write(_:)`` or by ``finish()``.
    public final class StreamedFile {
        private let staging: StagingFolder
        private let relative: String
        private var fd: Int32
        private var size = 0
        private var hasher = StreamingSHA256()
        /// The write of the last piece, until waited for.
        private var pending: BackgroundJob<Result<Void, Error>>?

        fileprivate init(staging: StagingFolder, relative: String, fd: Int32) {
            self.staging = staging
            self.relative = relative
            self.fd = fd
        }

        deinit {
            pending?.wait()
            if fd >= 0 { close(fd) }
        }

        /// Appends bytes (written behind: see the type).
        public func write(_ bytes: [UInt8]) throws {
            precondition(fd >= 0, "written after finish")
            try waitForWrite()
            hasher.update(bytes)
            size += bytes.count
            let fd = fd, path = staging.root + "/" + relative
            pending = BackgroundJob("regua " + relative) {
                Result { try StagingFolder.writeAll(fd, bytes, path: path) }
            }
        }

        /// The hex SHA-256 of every byte given to ``write(_:)`` so far (letters.pdf's /ID is
        /// that of the bytes before its cross-reference table).
        public func sha256SoFar() -> String { hasher.finishHex() }

        private func waitForWrite() throws {
            defer { pending = nil }
            try pending?.wait().get()
        }

        /// Waits for the last write, closes the file and lists it in the manifest.
        public func finish() throws {
            precondition(fd >= 0, "finished twice")
            let written = Result { try waitForWrite() }
            let closed = close(fd)
            fd = -1
            try written.get()
            guard closed == 0 else {
                throw ReguaError(.io, "cannot write \(staging.root)/\(relative): \(String(cString: strerror(errno)))")
            }
            let entry = Entry(path: relative, size: size, sha256: hasher.finishHex())
            staging.written.withLock { $0.append(entry) }
        }
    }

    /// Flushes every file and directory of the staging tree to disk (syncfs), then fsyncs each
    /// directory explicitly, so names and contents are durable before the ledger commit.
    public func syncDirectories() throws {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ReguaError(.io, "cannot open \(root): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // Every file's data and every directory entry of the file system, in one call.
        if syncfs(fd) != 0 { throw ReguaError(.io, "cannot flush \(root): \(String(cString: strerror(errno)))") }
        var dirs = Set([root])
        for e in entries { dirs.insert((root + "/" + e.path as NSString).deletingLastPathComponent) }
        for d in dirs.sorted(by: >) { try StagingFolder.syncDirectory(d) }
    }

    /// Starts flushing what is written so far (one `syncfs`), so the final
    /// ``syncDirectories()`` has less left to wait for; durability still comes from that one.
    public func flushEarly() {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = syncfs(fd)
        close(fd)
    }

    static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ReguaError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw ReguaError(.io, "cannot flush \(path): \(String(cString: strerror(errno)))") }
    }

    /// Renames the staging folder to its published name; the previous folder of a forced night is
    /// first moved aside to `<date>.replaced-<run>`. Both renames are atomic on one file system.
    public func publish(to final: String, replacedSuffix: String?) throws {
        let parent = (final as NSString).deletingLastPathComponent
        if FileManager.default.fileExists(atPath: final) {
            guard let suffix = replacedSuffix else {
                throw ReguaError(.refused, "\(final) exists and a published night is never overwritten")
            }
            guard rename(final, final + "." + suffix) == 0 else {
                throw ReguaError(.io, "cannot move \(final) aside: \(String(cString: strerror(errno)))")
            }
        }
        guard rename(root, final) == 0 else {
            throw ReguaError(.io, "cannot publish \(final): \(String(cString: strerror(errno)))")
        }
        try StagingFolder.syncDirectory(parent)
    }

    /// Removes the staging folder (dry runs and failures); never touches a published night.
    public func discard() {
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// glibc's `syncfs(2)`, declared only under _GNU_SOURCE and so missing from Swift's Glibc
/// module; the symbol has a plain C signature, `int syncfs(int)`.
@_silgen_name("syncfs")
private func syncfs(_ fd: Int32) -> Int32
