import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
@testable import Regua

/// Temporary input files for ingest tests.
enum IngestFixtures {
    /// A fresh empty directory under /tmp.
    static func directory() -> String {
        var template = Array("/tmp/regua-ingest-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        return String(cString: path!)
    }

    /// Removes a directory made by ``directory()`` and its files.
    static func remove(_ dir: String) {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Writes bytes to `dir/name` and returns the path.
    @discardableResult
    static func write(_ bytes: [UInt8], _ name: String, in dir: String) throws -> String {
        let path = dir + "/" + name
        let sink = try FileBytes.Sink(path: path)
        try sink.write(bytes)
        try sink.close()
        return path
    }

    /// The standard customers.csv header.
    static let customersHeader =
        "customer_id,name,document,email,phone,address_street,address_number,address_city,"
        + "address_state,address_zip,segment,score,tags,opt_out"

    /// A valid customer row for the standard header.
    static func customer(_ id: String, document: String = "529.982.247-25") -> String {
        "\(id),Maria Silva,\(document),maria@exemplo.com.br,(11) 98765-4321,Rua A,10,São Paulo,SP,01310-100,B2C,700,vip,"
    }

    /// Reads customers and receivables given as text; by default the files are mapped, however
    /// small (`mapFrom: Int.max` reads them into memory instead).
    static func read(
        customers: String, receivables: String, pieceBytes: Int = Chunking.pieceBytes,
        mapFrom: Int = 1
    ) throws -> Inputs {
        let dir = directory()
        defer { remove(dir) }
        let c = try write(Array(customers.utf8), "customers.csv", in: dir)
        let r = try write(Array(receivables.utf8), "receivables.csv", in: dir)
        return try InputReader.read(
            customers: c, receivables: r, pieceBytes: pieceBytes, mapFrom: mapFrom)
    }
}
