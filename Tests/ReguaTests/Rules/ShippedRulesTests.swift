import Foundation
import Testing
@testable import Regua

@Suite("The shipped example rule book")
struct ShippedRulesTests {
    /// `rules/` at the package root, found from this file (through a scratch symlink too).
    static let folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules").path

    @Test("validates, with the SPEC §2 ladder in order", .enabled(if: FileManager.default.fileExists(atPath: folder)))
    func shippedBookLoads() throws {
        let book: RuleBook
        do {
            book = try RuleBookLoader.load(directory: Self.folder)
        } catch {
            Issue.record("\(error)")
            return
        }
        #expect(book.profiles.last?.conditions.isEmpty == true)
        #expect(book.steps.map(\.index) == Array(book.steps.indices))
        for step in book.steps {
            guard case .message(let channel, let template, _) = step.action else { continue }
            #expect(book.templates["\(template).\(channel.rawValue).mustache"] != nil)
        }
    }
}
