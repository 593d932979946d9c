import Foundation
import Testing

@testable import Regua

/// The `call` channel (SPEC §3 Channel, Held back; §4 `calls.csv`).
@Suite struct CallsTests {
    typealias F = DeciderFixtures

    static func book(hours: CallHours?) -> RuleBook {
        var steps = F.defaultSteps
        steps[3] = Step(
            id: "ligacao_d10", offset: 10, action: .message(channel: .call, template: "roteiro", fallback: .letter),
            index: 3)
        var p = F.defaultPolicy
        p.callHours = hours
        return F.book(policy: p, steps: steps)
    }

    static let hours = CallHours(
        weekdays: CallWindow(text: "08:00-20:00"), saturday: CallWindow(text: "09:00-14:00"), sunday: nil)

    @Test func aCallNeedsAPhoneAndFallsBackWithoutOne() {
        let t = F.title("t1", "c1", due: "2026-11-13")  // 10 days on Monday 23rd
        let d = F.decide([F.customer("c1")], [t], asOf: "2026-11-23", book: Self.book(hours: Self.hours))
        #expect(d.messages.map(\.channel) == [.call])
        let none = F.decide([F.customer("c1", phone: nil)], [t], asOf: "2026-11-23", book: Self.book(hours: Self.hours))
        #expect(none.messages.map(\.channel) == [.letter])
    }

    @Test(arguments: [
        // (night, due date 10 days before, expected: sent or the hold)
        ("2026-11-23", "2026-11-13", "sent"),  // Monday: weekdays
        ("2026-11-28", "2026-11-18", "sent"),  // Saturday: 09:00-14:00
        ("2026-11-29", "2026-11-19", "quiet_day"),  // Sunday: a quiet day of the book comes first
    ])
    func callHoursHoldCallsOnDaysWithoutHours(night: String, due: String, expected: String) {
        let t = F.title("t1", "c1", due: due)
        let d = F.decide([F.customer("c1")], [t], asOf: night, book: Self.book(hours: Self.hours))
        let a = d.action("t1", "ligacao_d10")
        #expect(expected == "sent" ? a?.kind == .sent : a?.reason?.rawValue == expected)
    }

    @Test func aDayWithoutAnEntryIsOutsideCallHours() {
        // No Saturday hours: a call on Saturday 28th is held outside_call_hours (not a quiet day).
        let hours = CallHours(weekdays: CallWindow(text: "08:00-20:00"))
        let t = F.title("t1", "c1", due: "2026-11-18")
        let d = F.decide([F.customer("c1")], [t], asOf: "2026-11-28", book: Self.book(hours: hours))
        #expect(d.action("t1", "ligacao_d10")?.reason == .outsideCallHours)
        // Without call_hours any day that is not quiet has calls.
        #expect(F.decide([F.customer("c1")], [t], asOf: "2026-11-28", book: Self.book(hours: nil)).messages.count == 1)
    }

    @Test func callsCountTowardsTheWeeklyCap() {
        var h = LedgerHistory()
        h.recentMessages[CustomerID("c1")] = [
            Day(iso: "2026-11-18")!, Day(iso: "2026-11-19")!, Day(iso: "2026-11-20")!,
        ]
        let t = F.title("t1", "c1", due: "2026-11-13")
        let d = F.decide([F.customer("c1")], [t], asOf: "2026-11-23", book: Self.book(hours: Self.hours), history: h)
        #expect(d.action("t1", "ligacao_d10")?.reason == .contactCap)
    }

    @Test func theWindowCarriesTheZonesOffset() {
        #expect(CallRow.stamp(Day(iso: "2026-11-23")!, 8 * 60, "America/Sao_Paulo") == "2026-11-23T08:00:00-03:00")
        #expect(CallRow.stamp(Day(iso: "2026-07-01")!, 20 * 60 + 30, "America/Manaus") == "2026-07-01T20:30:00-04:00")
        #expect(CallWindow(text: "20:00-08:00") == nil)
        #expect(CallWindow(text: "8h-20h") == nil)
        #expect(CallWindow(text: "08:00-24:00") == CallWindow(from: 480, until: 1440))
    }

    @Test func aNightWritesCallsCSVThatPythonReads() throws {
        let ws = try Workspace()
        let ladder = ws.root + "/rules/10-regua.yaml"
        let text = try String(contentsOfFile: ladder, encoding: .utf8).replacingOccurrences(
            of: "    channel: sms\n    template: atraso_sms\n    except_profiles: [key_account]\n",
            with: "    channel: call\n    template: roteiro\n    except_profiles: [key_account]\n")
        try text.write(toFile: ladder, atomically: true, encoding: .utf8)
        try
            "Bom dia, {{customer.name}}.\nLigamos da {{company.name}} sobre {{totals.count}} título(s), total {{totals.updated_amount_br}}.\n"
            .write(toFile: ws.root + "/rules/templates/roteiro.call.mustache", atomically: true, encoding: .utf8)
        // The shipped policy has call_hours: weekdays 08:00-20:00, Saturday 09:00-14:00.
        #expect(
            try String(contentsOfFile: ws.root + "/rules/00-empresa.yaml", encoding: .utf8).contains(
                "weekdays: \"08:00-20:00\""))
        let r = try ws.run("2026-11-23")
        let rows = try EscalationNightTests.pythonCSV(r.folder! + "/calls.csv")
        #expect(rows.count == r.summary?.messages.call)
        #expect(!rows.isEmpty)
        for row in rows {
            #expect(row["call_from"] == "2026-11-23T08:00:00-03:00")
            #expect(row["call_until"] == "2026-11-23T20:00:00-03:00")
            #expect(row["phone"]?.hasPrefix("+55") == true)
            #expect(row["script"]?.contains("Ligamos da Exemplo Comércio Ltda") == true)
            #expect(row["script"]?.contains("\n") == true)  // the script keeps its lines
            #expect(Int(row["oldest_days_overdue"] ?? "") ?? 0 >= 10)
        }
        #expect(try String(contentsOfFile: r.folder! + "/sms.csv", encoding: .utf8).contains("overdue_d10") == false)
    }
}
