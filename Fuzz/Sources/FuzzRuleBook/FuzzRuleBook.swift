import Foundation
import CFuzzDriver
import FuzzSupport
import Regua

/// The rule-book loader on hostile rule files and templates.
///
/// The input is split at its first two NULs: the first part is written as `00-empresa.yaml`,
/// the second as `10-regua.yaml`, the third (its first byte choosing which) over one of the
/// shipped templates in `templates/`, the others being the shipped ones. Then
/// `RuleBookLoader.load` and, for a book that loads, `TemplateSet(book:)`. A thrown error is the
/// documented refusal; a crash, a sanitizer report or a hang is a finding.
enum FuzzRuleBook {
    static let folder = FuzzSupport.scratchFolder("rules")
    static let templates: [(name: String, bytes: [UInt8])] = {
        let shipped = FuzzSupport.repositoryRoot + "/rules/templates"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: shipped))?.sorted() ?? []
        precondition(!names.isEmpty, "fuzz harness: no shipped templates in \(shipped)")
        try! FileManager.default.createDirectory(atPath: folder + "/templates", withIntermediateDirectories: true)
        return names.map { ($0, Array(FileManager.default.contents(atPath: shipped + "/" + $0)!)) }
    }()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let parts = FuzzSupport.parts(data, size, count: 3)
    let folder = FuzzRuleBook.folder
    FuzzSupport.write(parts[0], to: folder + "/00-empresa.yaml")
    FuzzSupport.write(parts[1], to: folder + "/10-regua.yaml")
    let templates = FuzzRuleBook.templates
    let chosen = parts[2].first.map { Int($0) % templates.count }
    for (i, t) in templates.enumerated() {
        let bytes = i == chosen ? Array(parts[2].dropFirst()) : t.bytes
        FuzzSupport.write(bytes, to: folder + "/templates/" + t.name)
    }
    let book: RuleBook
    do { book = try RuleBookLoader.load(directory: folder) } catch {
        FuzzSupport.note("refused: \(error)".prefix(400).description)
        return 0
    }
    do {
        _ = try TemplateSet(book: book)
        FuzzSupport.note("loaded \(book.steps.count) steps, templates compiled")
    } catch {
        FuzzSupport.note("templates refused: \(error)".prefix(400).description)
    }
    return 0
}

/// The entry point SwiftPM links for this executable (its `main`, renamed): libFuzzer's driver.
@_cdecl("FuzzRuleBook_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    regua_fuzz_main(argc, argv)
}
