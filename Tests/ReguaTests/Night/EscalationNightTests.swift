import Foundation
import GRDB
import Testing

@testable import Regua

/// Bureau, hand-off, offers and arms across real nights of the shipped example, read back from
/// the files (Python's csv module) and the ledger.
@Suite struct EscalationNightTests {
    /// The shipped example with a bureau, an agency, an experiment and an offer added.
    static func workspace() throws -> Workspace {
        let ws = try Workspace()
        try withoutShippedEscalation(ws)
        let company = ws.root + "/rules/00-empresa.yaml"
        try
            (try String(contentsOfFile: company, encoding: .utf8) + """

                bureau:
                  name: serasa
                handoffs:
                  - id: assessoria_x
                    name: Assessoria X Cobranças Ltda
                    kind: agency
                experiments:
                  - id: carta_cedo
                    challenger_percent: 50

                """).write(toFile: company, atomically: true, encoding: .utf8)
        let ladder = ws.root + "/rules/10-regua.yaml"
        var text = try String(contentsOfFile: ladder, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "    template: atraso\n    fallback: letter\n",
            with:
                "    template: atraso\n    fallback: letter\n    offer: { waive_fee_percent: 100, valid_days: 5, installments: { max: 3, min_amount: 50.00 } }\n"
        )
        text += """

              - id: negativacao_d45
                offset: 45
                bureau: include
              - id: assessoria_d47
                offset: 47
                handoff: assessoria_x

            """
        try text.write(toFile: ladder, atomically: true, encoding: .utf8)
        return ws
    }

    /// Takes the shipped example's own offer, call, bureau and hand-off steps (and their
    /// sections) out of a workspace's rule book, so a test can add its own.
    static func withoutShippedEscalation(_ ws: Workspace) throws {
        let company = ws.root + "/rules/00-empresa.yaml"
        var c = try String(contentsOfFile: company, encoding: .utf8)
        let bureau = try #require(c.range(of: "\nbureau:"))
        c = String(c[..<bureau.lowerBound]) + "\n"
        try c.write(toFile: company, atomically: true, encoding: .utf8)
        let ladder = ws.root + "/rules/10-regua.yaml"
        var l = try String(contentsOfFile: ladder, encoding: .utf8)
        let tail = try #require(l.range(of: "\n  - id: aviso_negativacao_d36"))
        l = String(l[..<tail.lowerBound]) + "\n"
        let from = try #require(l.range(of: "  - id: proposta_d15"))
        let to = try #require(l.range(of: "  # Carta formal de cobrança aos 30 dias."))
        l.removeSubrange(from.lowerBound..<to.lowerBound)
        try l.write(toFile: ladder, atomically: true, encoding: .utf8)
    }

    static func pythonCSV(_ path: String) throws -> [[String: String]] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", "-c",
            "import csv,json,sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))))",
            path,
        ]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try JSONSerialization.jsonObject(with: data) as? [[String: String]] ?? []
    }

    @Test func includesHandOffsExclusionsOffersAndArmsAcrossNights() throws {
        let ws = try Self.workspace()
        let first = try ws.run("2026-11-23")
        let folder = try #require(first.folder)
        // 46 and 45 days overdue: included; 47 and 48: handed off (the higher offset wins).
        let bureau = try Self.pythonCSV(folder + "/bureau/serasa.csv")
        #expect(bureau.map { $0["title_id"]! }.sorted() == ["NF-10311", "NF-10313"])
        #expect(
            bureau.allSatisfy {
                $0["action"] == "include" && $0["included_on"] == "2026-11-23" && $0["exclude_by"] == ""
            })
        let c020 = try #require(bureau.first { $0["customer_id"] == "C020" })
        #expect(c020["document"] == "35296792246")
        #expect(c020["name"] == "Sebastião Rodrigues Alves")
        #expect(c020["outstanding"] == "1500.00")
        let handoff = try Self.pythonCSV(folder + "/handoff/assessoria_x.csv")
        #expect(handoff.map { $0["title_id"]! }.sorted() == ["NF-10312", "NF-10314", "NF-10315"])
        #expect(handoff.allSatisfy { $0["email"]?.contains("@") == true })
        #expect(first.summary?.bureau?.includes == 2)
        #expect(first.summary?.handoffs?.first?.titles == 3)
        // The offer rides on overdue_d3's messages and is recorded; every action has its arm.
        let db = try DatabaseQueue(path: ws.root + "/var/regua.sqlite")
        let offers = try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM offers")! }
        #expect(offers > 0)
        let noArm = try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM actions WHERE arms IS NULL")! }
        #expect(noArm == 0)
        let arms = try db.read { try Set(String.fetchAll($0, sql: "SELECT DISTINCT arms FROM actions")) }
        #expect(arms == ["carta_cedo=champion", "carta_cedo=challenger"])

        // NF-10313 is paid the next day: excluded, with its Súmula 548 deadline.
        try ws.setReceivable(title: "NF-10313", column: "status", value: "paid")
        try ws.setReceivable(title: "NF-10313", column: "paid_amount", value: "1500.00")
        try ws.setReceivable(title: "NF-10313", column: "paid_date", value: "2026-11-24")
        let second = try ws.run("2026-11-24")
        let excl = try Self.pythonCSV(second.folder! + "/bureau/serasa.csv")
        #expect(
            excl.map { "\($0["action"]!) \($0["title_id"]!) \($0["included_on"]!) \($0["exclude_by"]!)" } == [
                "exclude NF-10313 2026-11-23 2026-12-01"
            ])
        #expect(second.summary?.bureau?.lateExclusions == 0)
        // The handed-off titles get nothing more: their due steps are held handed_off.
        let handedOffSent = try db.read {
            try Int.fetchOne(
                $0,
                sql: """
                    SELECT count(*) FROM actions WHERE night = '2026-11-24' AND kind = 'sent'
                    AND title_id IN ('NF-10312', 'NF-10314', 'NF-10315')
                    """)!
        }
        #expect(handedOffSent == 0)
        // Nothing more on the third night: the exclusion is not repeated.
        let third = try ws.run("2026-11-25")
        #expect(!FileManager.default.fileExists(atPath: third.folder! + "/bureau/serasa.csv"))
        #expect(third.summary?.bureau?.excludes == 0)
    }

    @Test func aForcedNightForgetsItsIncludes() throws {
        let ws = try Self.workspace()
        _ = try ws.run("2026-11-23")
        // Replace the night with a book without the bureau step: its includes no longer count.
        let ladder = ws.root + "/rules/10-regua.yaml"
        let text = try String(contentsOfFile: ladder, encoding: .utf8).replacingOccurrences(
            of: "    bureau: include\n", with: "    remittance: protest\n")
        try text.write(toFile: ladder, atomically: true, encoding: .utf8)
        _ = try ws.run("2026-11-23", force: true)
        let l = try ws.ledger()
        let h = try l.history(before: Day(iso: "2026-11-24")!, scope: .everything)
        #expect(h.bureauIncluded.isEmpty)
        #expect(h.handedOff.count == 3)
    }

    @Test func theDossierListsEveryStepSentWithItsChannel() throws {
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        func sent(_ step: String, _ offset: Int, _ channel: Channel?, _ night: String) throws {
            _ = try l.commit(
                NightCommit(
                    night: Day(iso: night)!, rulesHash: "r", inputsHash: night, forced: false, exitCode: 0,
                    actions: [
                        Action(
                            titleID: TitleID("t1"), customerID: CustomerID("c1"), stepID: step, offset: offset,
                            kind: .sent, channel: channel, messageID: channel == nil ? nil : "M-\(night)",
                            profile: "standard")
                    ]))
        }
        try sent("overdue_d3", 3, .email, "2026-08-28")
        try sent("letter_d30", 30, .letter, "2026-09-24")
        let steps = try l.sentSteps(titles: [TitleID("t1"), TitleID("t2")], before: Day(iso: "2026-11-23")!)
        #expect(
            steps[TitleID("t1")]?.map { "\($0.night.iso) \($0.stepID) \($0.channel?.rawValue ?? "")" } == [
                "2026-08-28 overdue_d3 email", "2026-09-24 letter_d30 letter",
            ])
        #expect(steps[TitleID("t2")] == nil)
        #expect(try l.sentSteps(titles: [TitleID("t1")], before: Day(iso: "2026-09-24")!)[TitleID("t1")]?.count == 1)
    }
}
