import Foundation
import Testing
@testable import Regua

/// A customer's shard as SPEC §5 defines it, checked against Python's hashlib (not our SHA-256).
@Suite struct ShardTests {
    @Test func parsesKOfNAndRefusesTheRest() {
        #expect(Shard(parsing: "0/1") == Shard(index: 0, count: 1))
        #expect(Shard(parsing: "6/7")?.folderName == "shard-6-of-7")
        for bad in ["7/7", "-1/4", "1/0", "1", "1/2/3", "a/4", "1/ 4", "", "/4", "+1/4", "٣/4"] {
            #expect(Shard(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test(.enabled(if: ExternalTool.python3 != nil, "python3 is not installed"))
    func shardOfACustomerIsWhatHashlibSays() throws {
        let fixture = try String(contentsOfFile: Workspace.repoRoot + "/fixtures/customers.csv", encoding: .utf8)
        var ids = fixture.split(separator: "\n").dropFirst().compactMap {
            $0.split(separator: ",").first.map(String.init)
        }
        ids += ["", "ção-ü", "C" + String(repeating: "9", count: 40)]
        let script = """
            import hashlib, json, sys
            ids = json.load(open(sys.argv[1], encoding="utf-8"))
            print(json.dumps([[int(hashlib.sha256(i.encode()).hexdigest()[:8], 16) % n for n in (1, 2, 4, 7)] for i in ids]))
            """
        let input = try ExternalTool.temporaryFile(Array(try JSONEncoder().encode(ids)), suffix: ".json")
        let r = try ExternalTool.run(ExternalTool.python3!, ["-c", script, input])
        #expect(r.status == 0, "\(r.stderr)")
        let expected = try JSONDecoder().decode([[Int]].self, from: Data(r.stdout.utf8))
        let ours = ids.map { id in [1, 2, 4, 7].map { Shard.of(CustomerID(id), count: $0) } }
        #expect(ours == expected)
        // Every customer is in exactly one shard of 7.
        for id in ids {
            #expect((0..<7).filter { Shard(index: $0, count: 7)!.contains(CustomerID(id)) }.count == 1)
        }
    }
}
