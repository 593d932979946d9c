import Foundation
@testable import Regua

/// A throw-away rules folder under the temporary directory, removed when the value is dropped.
final class RulesFixture {
    let directory: String

    /// Writes `files` (relative path → text) into a new folder.
    init(_ files: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.path + "/regua-rules-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/templates", withIntermediateDirectories: true)
        for (name, text) in files { try write(name, Array(text.utf8)) }
    }

    /// Writes raw bytes to a file of the folder.
    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The diagnostics a load throws, printed as `FILE:LINE:COLUMN: message (hint)` with the folder
    /// prefix dropped; empty when the book loads.
    func errors() -> [String] {
        do {
            _ = try RuleBookLoader.load(directory: directory)
            return []
        } catch let errors as RuleBookErrors {
            return errors.diagnostics.map { $0.description.replacingOccurrences(of: directory + "/", with: "") }
        } catch {
            return ["unexpected error \(error)"]
        }
    }
}
