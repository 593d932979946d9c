import CFuzzDriver
import FuzzSupport
@testable import Regua

/// The night's ingest on hostile files: the input, split at its first NUL, is written as
/// customers.csv and receivables.csv and read by `InputReader.read` twice, in one piece and cut
/// into tiny pieces on both cores with the files mapped; both readings must agree.
///
/// Any error thrown is fine (an ``InputError`` is the documented refusal of a whole file); a
/// crash, a sanitizer report, a hang or two readings that differ is a finding.
enum FuzzIngest {
    static let folder = FuzzSupport.scratchFolder("ingest")
    static let customers = folder + "/customers.csv"
    static let receivables = folder + "/receivables.csv"
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let parts = FuzzSupport.parts(data, size, count: 2)
    FuzzSupport.write(parts[0], to: FuzzIngest.customers)
    FuzzSupport.write(parts[1], to: FuzzIngest.receivables)
    let whole: Result<Inputs, Error> = Result {
        try InputReader.read(
            customers: FuzzIngest.customers, receivables: FuzzIngest.receivables, pieceBytes: Int.max,
            mapFrom: Int.max)
    }
    let pieces: Result<Inputs, Error> = Result {
        try InputReader.read(
            customers: FuzzIngest.customers, receivables: FuzzIngest.receivables, pieceBytes: 7, mapFrom: 1)
    }
    switch (whole, pieces) {
    case (.success(let a), .success(let b)):
        FuzzSupport.note("read \(a.customers.count) customers, \(a.titles.count) titles, \(a.rejects.count) rejects")
        precondition(a.rejects == b.rejects, "rejects differ between one piece and many")
        precondition(a.customers.count == b.customers.count, "customers differ between one piece and many")
        precondition(a.titles.count == b.titles.count, "titles differ between one piece and many")
        precondition(a.customersHash == b.customersHash && a.receivablesHash == b.receivablesHash)
    case (.failure(let a), .failure(let b)):
        FuzzSupport.note("refused: \(a)")
        precondition("\(a)" == "\(b)", "errors differ between one piece and many: \(a) / \(b)")
    default:
        preconditionFailure("one reading failed and the other did not: \(whole) / \(pieces)")
    }
    return 0
}

/// The entry point SwiftPM links for this executable (its `main`, renamed): libFuzzer's driver.
@_cdecl("FuzzIngest_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    regua_fuzz_main(argc, argv)
}
