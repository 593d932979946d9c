import Foundation

/// What the fuzz targets share: a scratch folder in memory and the input split into parts.
public enum FuzzSupport {
    /// A fresh folder for this process (in /dev/shm when there is one, so that writing the
    /// input to files each run costs no disk); removed by nobody, it lives as long as the run.
    public static func scratchFolder(_ name: String) -> String {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = base + "/regua-fuzz-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The input split at its first `count - 1` NUL bytes into `count` parts (missing parts empty).
    public static func parts(_ data: UnsafePointer<UInt8>, _ size: Int, count: Int) -> [[UInt8]] {
        let all = UnsafeBufferPointer(start: data, count: size)
        var out: [[UInt8]] = []
        var start = 0
        while out.count < count - 1, let nul = all[start...].firstIndex(of: 0) {
            out.append(Array(all[start..<nul]))
            start = nul + 1
        }
        out.append(Array(all[start...]))
        while out.count < count { out.append([]) }
        return out
    }

    /// Writes `bytes` to `path`, replacing what was there; traps if it cannot (the harness is broken).
    public static func write(_ bytes: [UInt8], to path: String) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            fatalError("fuzz harness: cannot write \(path)")
        }
    }

    /// Whether `REGUA_FUZZ_VERBOSE` is set: then each target prints what became of each input
    /// (to check that the seeds reach the deep parts, e.g. `FuzzCNABReturn corpus/x -runs=0`).
    public static let verbose = ProcessInfo.processInfo.environment["REGUA_FUZZ_VERBOSE"] != nil

    /// Prints `line` to standard error when ``verbose``.
    public static func note(_ line: @autoclosure () -> String) {
        if verbose { FileHandle.standardError.write(Data((line() + "\n").utf8)) }
    }

    /// The repository's root folder, found from this source file's place (`Fuzz/Sources/FuzzSupport/`).
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()
}
