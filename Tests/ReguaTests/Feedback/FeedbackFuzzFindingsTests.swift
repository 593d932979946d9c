import Foundation
import Testing

@testable import Regua

/// Inputs the fuzz campaign (Fuzz/, `make fuzz`) found crashing the readers of `regua feedback`,
/// each kept as a regression test with the bytes libFuzzer wrote.
@Suite struct FeedbackFuzzFindingsTests {
    /// A scratch folder removed when the test ends.
    static func withFile<T>(_ bytes: [UInt8], _ body: (String) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("regua-fuzz-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/dlr.csv"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return try body(path)
    }

    /// FuzzFeedback-crash-4345cb1f (input `%`: the DLR reader on an empty file): the header row
    /// was read from an empty list of rows (index out of range).
    @Test func emptyDeliveryReportLogHasNoRows() throws {
        #expect(try Self.withFile([]) { try FeedbackReader.csv($0) }.isEmpty)
        #expect(try Self.withFile(Array("\n".utf8)) { try FeedbackReader.csv($0) }.count <= 1)
    }

    /// The same reader still reads a log with and without its header.
    @Test func deliveryReportLogWithAndWithoutHeader() throws {
        let bare = try Self.withFile(Array("R1,16,2026-11-23T08:00:00Z\n".utf8)) { try FeedbackReader.csv($0) }
        #expect(bare == [["message_id": "R1", "status": "16", "at": "2026-11-23T08:00:00Z"]])
        let headed = try Self.withFile(Array("message_id,status,at\nR2,1,2026-11-24\n".utf8)) {
            try FeedbackReader.csv($0)
        }
        #expect(headed == [["message_id": "R2", "status": "1", "at": "2026-11-24"]])
    }
}
