import Foundation
import Testing

@testable import Regua

/// The finance team's tools know the WhatsApp channel: `check` previews the template message,
/// `simulate`, `diff-rules`, `explain` and `stats` name it, `summary.json` counts it under a key the
/// README documents. Each is the real binary's `--json`, read back with JSONSerialization.
@Suite(
    .serialized,
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: CrashTests.binary),
        "build the regua binary first (make test does)"))
struct WhatsAppToolsTests {
    static func json(_ w: Workspace, _ args: [String]) throws -> [String: Any] {
        try #require(JSONShapeTests.json(w, args) as? [String: Any])
    }

    @Test func everyToolNamesTheChannel() throws {
        let w = try WhatsAppNightTests.workspace()
        try FileManager.default.copyItem(atPath: Workspace.repoRoot + "/rules", toPath: w.root + "/rules-shipped")
        let night = ["--as-of", "2026-11-23"]

        // check: the step is rendered as a Cloud API template message with the sample's values.
        let preview = w.root + "/preview"
        let check = try Self.json(w, ["check", "--preview", preview, "--json"])
        #expect(check["ok"] as? Bool == true)
        #expect((check["rendered"] as? [String])?.contains("overdue_d10/whatsapp") == true)
        let sample = try WhatsAppNightTests.pythonJSONLines(preview + "/overdue_d10.whatsapp.json")
        #expect(sample.count == 1)
        let template = try #require(sample.first?["template"] as? [String: Any])
        #expect(template["name"] as? String == "cobranca_atraso")
        let parameters =
            ((template["components"] as? [[String: Any]])?.first?["parameters"] as? [[String: String]]) ?? []
        #expect(parameters.count == 5 && parameters.allSatisfy { $0["type"] == "text" && !($0["text"] ?? "").isEmpty })

        // simulate: the WhatsApp messages of the night and their totals.
        let sim = try Self.json(w, ["simulate", "--from", "2026-11-23", "--to", "2026-11-23", "--json"])
        let lines = try #require(sim["lines"] as? [[String: Any]])
        #expect(
            lines.filter { $0["channel"] as? String == "whatsapp" }.compactMap { $0["customer_id"] as? String }.sorted()
                == ["W1", "W6"])
        #expect((sim["totals"] as? [String: Int])?["overdue_d10/whatsapp"] == 2)
        #expect((sim["totals"] as? [String: Int])?["overdue_d10/sms"] == 3)

        // diff-rules: the shipped book (SMS at 10 days) against this one moves two titles to WhatsApp.
        let diff = try Self.json(w, ["diff-rules", "rules-shipped", "rules", "--json"] + night)
        let channels = try #require(diff["channels"] as? [[String: Any]])
        let row = try #require(channels.first { $0["channel"] as? String == "whatsapp" })
        #expect(row["old"] as? Int == 0 && row["new"] as? Int == 2)
        let sms = try #require(channels.first { $0["channel"] as? String == "sms" })
        #expect((sms["old"] as! Int) - (sms["new"] as! Int) == 2)
        let moved = try #require(
            (diff["categories"] as? [[String: Any]])?.first { $0["category"] as? String == "moved_channel" })
        #expect(moved["titles"] as? Int == 2)
        #expect((moved["sample_customers"] as? [String])?.sorted() == ["W1", "W6"])

        // explain, before the night: the message goes out on WhatsApp; W3's malformed opt-in
        // counts as none and its step takes the SMS fallback, and the account says why.
        let explain = try Self.json(w, ["explain", "W1", "--json"] + night)
        #expect((explain["messages"] as? [[String: Any]])?.map { $0["channel"] as? String } == ["whatsapp"])
        let w3 = try Self.json(w, ["explain", "W3", "--json"] + night)
        #expect((w3["messages"] as? [[String: Any]])?.map { $0["channel"] as? String } == ["sms"])
        #expect((w3["account"] as? [String])?.contains { $0.contains("whatsapp_opt_in") } == true)

        // The night: summary.json counts the channel, under keys the README's shapes name.
        let run = try Self.json(w, ["run", "--json"] + night)
        let summary = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: w.root + "/out/2026-11-23/summary.json")))
                as? [String: Any])
        let messages = try #require(summary["messages"] as? [String: Any])
        #expect(messages["whatsapp"] as? Int == 2 && messages["sms"] as? Int == 3 && messages["total"] as? Int == 5)
        let readme = try JSONShapeTests.readmeShapes()
        let words = Set(readme.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
        for value in [summary, run] {
            var found: Set<String> = []
            JSONShapeTests.keys(value, into: &found)
            for k in found.sorted() { #expect(words.contains(k), "'\(k)' is not in the README's JSON shapes") }
        }
        let step = try #require(
            (summary["steps"] as? [[String: Any]])?.first { $0["step"] as? String == "overdue_d10" })
        #expect((step["by_channel"] as? [String: Int]) == ["sms": 3, "whatsapp": 2])

        // stats: a title reached by WhatsApp is reached like any other.
        let stats = try Self.json(w, ["stats", "--json"])
        let d10 = try #require((stats["steps"] as? [[String: Any]])?.first { $0["step"] as? String == "overdue_d10" })
        #expect(d10["titles_reached"] as? Int == 5)
    }
}
