import Foundation
import Testing
@testable import Regua

/// A night's e-mails go to staging a window of messages at a time and are let go once written
/// (`NightOutputs.renderAll`): whatever the window, the published night is the same, byte for
/// byte, as the night rendered in one window, and the ledger records the same actions.
@Suite struct EmailStreamingTests {
    /// Runs the shipped example's first night with e-mails streamed `window` messages at a time.
    private func night(window: Int) throws -> (files: [String: Data], actions: [String], emails: Int) {
        let w = try Workspace()
        var options = w.options()
        options.emailWindow = window
        let result = try NightRunner(options: options).run()
        #expect(result.outcome == .published)
        let folder = w.root + "/out/2026-11-23"
        let files = Workspace.tree(folder)
        let actions = try w.allActions().map {
            "\($0.action.titleID.raw) \($0.action.stepID) \($0.action.messageID ?? "")"
        }
        return (files, actions, files.keys.filter { $0.hasPrefix("email/") }.count)
    }

    @Test(arguments: [1, 2, 3, 7])
    func anyWindowPublishesTheSameNight(window: Int) throws {
        let whole = try night(window: 1_000_000)
        // The example has more e-mails than one window of this size holds messages.
        #expect(whole.emails > window, "\(whole.emails) e-mails")
        let streamed = try night(window: window)
        #expect(Set(streamed.files.keys) == Set(whole.files.keys))
        for (path, bytes) in whole.files where streamed.files[path] != bytes {
            Issue.record("\(path) differs with windows of \(window)")
        }
        #expect(streamed.actions == whole.actions)
    }

    /// The manifest lists every e-mail written by the streaming thread, with its size and hash.
    @Test func theManifestListsEveryStreamedEmail() throws {
        let n = try night(window: 2)
        let manifest = try #require(n.files["manifest.json"])
        let json = try #require(try JSONSerialization.jsonObject(with: manifest) as? [String: Any])
        let entries = try #require(json["files"] as? [[String: Any]])
        let listed = Set(entries.compactMap { $0["path"] as? String }.filter { $0.hasPrefix("email/") })
        #expect(listed == Set(n.files.keys.filter { $0.hasPrefix("email/") }))
        for e in entries {
            guard let path = e["path"] as? String, let bytes = n.files[path] else { continue }
            #expect(e["size"] as? Int == bytes.count, "\(path)")
            #expect(e["sha256"] as? String == Hashing.sha256Hex(Array(bytes)), "\(path)")
        }
    }
}
