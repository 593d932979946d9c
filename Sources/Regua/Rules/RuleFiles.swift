import Foundation

/// Reading the rules folder: which files are in it and their bytes, refused when too large or
/// not UTF-8 (hostile input is bad input, never a crash).
enum RuleFiles {
    /// Names of the regular files directly in `directory` that end with one of `suffixes`, in
    /// byte order; hidden files (editor locks, `.#x.yaml`) are skipped. Nil when the folder
    /// cannot be read.
    static func names(in directory: String, suffixes: [String]) -> [String]? {
        guard let all = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        return
            all
            .filter { name in !name.hasPrefix(".") && suffixes.contains { name.hasSuffix($0) && name != $0 } }
            .filter { isRegularFile(directory + "/" + $0) }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Whether the path (after symbolic links) is a regular file: a FIFO or a device would
    /// block or never end.
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Whether the path is a directory (after symbolic links).
    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// The bytes of a file of at most `limit` bytes that must be UTF-8.
    ///
    /// - Parameter what: how to name the file in a refusal, in Portuguese, e.g. "arquivo de regras".
    static func readUTF8(path: String, limit: Int, what: String) throws(Diagnostic) -> [UInt8] {
        let start = SourceLocation(file: path, line: 1, column: 1)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Diagnostic(start, "não foi possível ler este \(what)")
        }
        defer { try? handle.close() }
        // Read one byte past the limit: enough to refuse without loading a huge file.
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw Diagnostic(start, "não foi possível ler este \(what): \(error.localizedDescription)")
        }
        guard data.count <= limit else {
            throw Diagnostic(start, "este \(what) passa de \(limit / 1024) KiB, o limite; recusado")
        }
        let bytes = [UInt8](data)
        if let bad = firstInvalidUTF8(bytes) {
            let (line, column) = position(of: bad, in: bytes)
            throw Diagnostic(
                SourceLocation(file: path, line: line, column: column),
                "este \(what) não está em UTF-8 (o byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) não é válido aqui); salve-o como UTF-8"
            )
        }
        return bytes
    }

    /// The offset of the first byte that does not start or continue a well-formed UTF-8
    /// sequence (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or nil.
    static func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
        var i = 0
        while i < b.count {
            let c = b[i]
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch c {
            case 0x00...0x7F:
                i += 1
                continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i
            }
            guard i + length <= b.count else { return i }
            guard (low...high).contains(b[i + 1]) else { return i }
            for k in 2..<length where !(0x80...0xBF).contains(b[i + k]) { return i }
            i += length
        }
        return nil
    }

    /// 1-based line and column (in characters, as libyaml counts) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for c in bytes[..<offset] {
            if c == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if c & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}
