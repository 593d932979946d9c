import Foundation
@testable import Regua

/// External programs some channel tests use to read our output back; tests that need one are
/// skipped (with `.enabled(if:)`) when it is not installed.
enum ExternalTool {
    /// Full path of an executable found on PATH, or nil.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = String(dir) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static let python3 = find("python3")
    static let pdftotext = find("pdftotext")
    static let qpdf = find("qpdf")
    static let zbarimg = find("zbarimg")
    static let pdftoppm = find("pdftoppm")

    /// The symbols zbarimg reads in the files, one text per symbol (`--raw`, one per line, in
    /// the order of the files), read in one call for many files.
    static func scan(_ files: [String], extra: [String] = []) throws -> [String] {
        let out = try run(zbarimg!, ["-q", "--raw"] + extra + files)
        return out.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// zbarimg options that look for QR codes only (a QR's modules can pass for a 1-D symbol).
    static let qrOnly = ["-Sdisable", "-Sqrcode.enable"]
    /// zbarimg options that look for Interleaved 2 of 5 only.
    static let i25Only = ["-Sdisable", "-Si25.enable"]

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "regua-channels-test-" + UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
    /// Whether python3 can import pypdf (an optional, independent PDF reader).
    static let hasPyPDF: Bool = {
        guard let python3 else { return false }
        return (try? run(python3, ["-c", "import pypdf"]).status) == 0
    }()

    /// Runs a program (in `directory`, else this process's) and returns its exit status,
    /// standard output and standard error.
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Drain both pipes while the child runs (a full pipe would block it): stderr on a thread
        // of its own, since a decoder run on many files may write much to either.
        let errData = Locked(Data())
        let errDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errData.set(err.fileHandleForReading.readDataToEndOfFile())
            errDone.signal()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        errDone.wait()
        let e = errData.value
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// This test process's folder for ``temporaryFile(_:suffix:)``, removed when the process exits.
    static let scratchFolder: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "regua-channels-tests-\(getpid())", isDirectory: true)
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        atexit {
            if ProcessInfo.processInfo.environment["KEEP_TEST_WORKSPACES"] == nil {
                try? FileManager.default.removeItem(at: ExternalTool.scratchFolder)
            }
        }
        return dir
    }()

    /// Writes bytes to a fresh temporary file and returns its path (the folder goes when the
    /// test process ends; `KEEP_TEST_WORKSPACES=1` keeps it for a post-mortem).
    static func temporaryFile(_ bytes: [UInt8], suffix: String) throws -> String {
        let dir = scratchFolder
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(UUID().uuidString + suffix)
        try Data(bytes).write(to: url)
        return url.path
    }
}

/// A customer with accents in the name and a complete address.
func sampleCustomer(name: String = "João da Conceição Ação") -> Customer {
    Customer(
        id: CustomerID("C001"), name: name, document: Document(kind: .cpf, value: "52998224725"),
        email: "joao@example.com.br", phone: "+5511987654321",
        address: PostalAddress(
            street: "Rua das Flores", number: "123", complement: "apto 45",
            district: "Jardim Paulista", city: "São Paulo", state: "SP", zip: "01415000"))
}

/// Whether every CR in the bytes is followed by LF and every LF preceded by CR.
func hasOnlyCRLFLineEnds(_ bytes: [UInt8]) -> Bool {
    for (i, b) in bytes.enumerated() {
        if b == 13, i + 1 >= bytes.count || bytes[i + 1] != 10 { return false }
        if b == 10, i == 0 || bytes[i - 1] != 13 { return false }
    }
    return true
}
