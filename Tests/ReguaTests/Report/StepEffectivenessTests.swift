import Foundation
import Testing
@testable import Regua

@Suite("Step effectiveness")
struct StepEffectivenessTests {
    static func day(_ iso: String) -> Day { Day(iso: iso)! }

    static func sent(
        _ night: String, _ title: String, _ step: String, offset: Int,
        kind: ActionKind = .sent, instruction: RemittanceInstruction? = nil
    ) -> LedgerAction {
        LedgerAction(
            night: day(night),
            action: Action(
                titleID: TitleID(title), customerID: CustomerID("C1"), stepID: step, offset: offset, kind: kind,
                channel: instruction == nil ? .email : nil, instruction: instruction, profile: "standard"))
    }

    static func title(
        _ id: String, amount: Int64, status: TitleStatus = .open, paid: Int64 = 0,
        paidOn: String? = nil
    ) -> Title {
        Title(
            id: TitleID(id), customerID: CustomerID("C1"), dueDate: day("2026-11-07"), amount: Money(cents: amount),
            status: status, paidAmount: Money(cents: paid), paidDate: paidOn.map(day))
    }

    // The hand-built ledger. overdue_d3 reaches T1–T3 on 10/11 and T4–T7 on 12/11:
    //   T1 paid 13/11 = N+3 (status paid, 100,00)                → 3, 7, 15; 100,00
    //   T2 paid 14/11 = N+4 (partial: open, paid_amount 50,00)   → 7, 15;    50,00
    //   T3 receivables say paid 11/11 (80,00), the bank settled it 25/11 = N+15 for 70,00:
    //      the settlement wins                                   → 15 only;  70,00
    //   T4 paid 28/11 = N+16                                     → 30 only; 40,00
    //   T5 paid 05/11, before the step (N−7)                     → none, not recovered
    //   T6 status paid, no paid_date (when is unknown)           → none
    //   T7 status paid on 12/11 = N+0, no paid_amount: its amount 30,00 → 3, 7, 15; 30,00
    //   reached 7; within 3: T1, T7 = 2; within 7: T1, T2, T7 = 3; within 15: + T3 = 4;
    //   within 30: + T4 = 5; recovered 100 + 50 + 70 + 30 + 40 = 290,00.
    // reminder_d-5 reaches T1 and T2 on 01/11 (T2 again on 02/11: the first night counts) and
    //   T8 on 01/11 (settled 03/11 = N+2, 20,00):
    //   T1 N+12 → 15; T2 N+13 → 15; T8 → 3, 7, 15. reached 3; 1, 1, 3, 3; recovered 170,00.
    // protest_d45 (a remittance step) reaches T9 on 20/11, never paid: 1; 0, 0, 0; 0,00.
    // Not steps: bank:stop_protest on T9, a held due_today on T10, a superseded reminder on T4.
    static let actions = [
        sent("2026-11-01", "T1", "reminder_d-5", offset: -5),
        sent("2026-11-01", "T2", "reminder_d-5", offset: -5),
        sent("2026-11-02", "T2", "reminder_d-5", offset: -5),
        sent("2026-11-01", "T8", "reminder_d-5", offset: -5),
        sent("2026-11-10", "T1", "overdue_d3", offset: 3),
        sent("2026-11-10", "T2", "overdue_d3", offset: 3),
        sent("2026-11-10", "T3", "overdue_d3", offset: 3),
        sent("2026-11-12", "T4", "overdue_d3", offset: 3),
        sent("2026-11-12", "T5", "overdue_d3", offset: 3),
        sent("2026-11-12", "T6", "overdue_d3", offset: 3),
        sent("2026-11-12", "T7", "overdue_d3", offset: 3),
        sent("2026-11-12", "T4", "reminder_d-5", offset: -5, kind: .superseded),
        sent("2026-11-20", "T9", "protest_d45", offset: 45, instruction: .protest),
        sent("2026-11-21", "T9", "bank:stop_protest", offset: 0, instruction: .stopProtest),
        sent("2026-11-12", "T10", "due_today", offset: 0, kind: .held),
    ]
    static let titles = [
        title("T1", amount: 10_000, status: .paid, paid: 10_000, paidOn: "2026-11-13"),
        title("T2", amount: 20_000, paid: 5_000, paidOn: "2026-11-14"),
        title("T3", amount: 8_000, status: .paid, paid: 8_000, paidOn: "2026-11-11"),
        title("T4", amount: 4_000, status: .paid, paid: 4_000, paidOn: "2026-11-28"),
        title("T5", amount: 5_000, status: .paid, paid: 5_000, paidOn: "2026-11-05"),
        title("T6", amount: 6_000, status: .paid, paid: 6_000),
        title("T7", amount: 3_000, status: .paid, paidOn: "2026-11-12"),
        title("T8", amount: 2_000),
        title("T9", amount: 90_000),
        title("T10", amount: 1_000, status: .paid, paid: 1_000, paidOn: "2026-11-12"),
    ]
    static let settlements = [
        TitleID("T3"): Settlement(paidAmount: Money(cents: 7_000), paidDate: day("2026-11-25")),
        TitleID("T8"): Settlement(paidAmount: Money(cents: 2_000), paidDate: day("2026-11-03")),
    ]

    @Test("the hand-built ledger gives the hand-computed rows, in offset order")
    func handBuilt() {
        let rows = EffectivenessStats.compute(
            actions: Self.actions, titles: Self.titles, settlements: Self.settlements,
            from: nil, to: nil)
        #expect(
            rows == [
                StepEffectiveness(
                    step: "reminder_d-5", offset: -5, titlesReached: 3, paidWithin3: 1, paidWithin7: 1,
                    paidWithin15: 3, paidWithin30: 3, recovered: Money(cents: 17_000)),
                StepEffectiveness(
                    step: "overdue_d3", offset: 3, titlesReached: 7, paidWithin3: 2, paidWithin7: 3,
                    paidWithin15: 4, paidWithin30: 5, recovered: Money(cents: 29_000)),
                StepEffectiveness(
                    step: "protest_d45", offset: 45, titlesReached: 1, paidWithin3: 0, paidWithin7: 0,
                    paidWithin15: 0, paidWithin30: 0, recovered: .zero),
            ])
        #expect(rows[1].share3 == 2.0 / 7.0 && rows[1].share15 == 4.0 / 7.0)
        #expect(rows[1].share30 == 5.0 / 7.0)
        #expect(rows[1].recovered == "290.00")
    }

    @Test("the period keeps the nights in [from, to]")
    func period() {
        // From 11/11: overdue_d3 keeps T4–T7 (12/11): 4 reached, T7 paid N+0 (30,00), T4 N+16 (40,00);
        // reminder_d-5 (01–02/11) drops out; protest_d45 (20/11) stays.
        let fromOnly = EffectivenessStats.compute(
            actions: Self.actions, titles: Self.titles,
            settlements: Self.settlements, from: Self.day("2026-11-11"), to: nil)
        #expect(fromOnly.map(\.step) == ["overdue_d3", "protest_d45"])
        #expect(
            fromOnly[0]
                == StepEffectiveness(
                    step: "overdue_d3", offset: 3, titlesReached: 4, paidWithin3: 1,
                    paidWithin7: 1, paidWithin15: 1, paidWithin30: 2, recovered: Money(cents: 7_000)))
        // Up to 02/11 (inclusive): only reminder_d-5, T2 still first reached on 01/11.
        let toOnly = EffectivenessStats.compute(
            actions: Self.actions, titles: Self.titles,
            settlements: Self.settlements, from: nil, to: Self.day("2026-11-02"))
        #expect(toOnly.map(\.step) == ["reminder_d-5"])
        #expect(toOnly[0].titlesReached == 3)
        // Only 02/11: T2's send that night is the first within the period, N = 02/11, paid N+12.
        let second = EffectivenessStats.compute(
            actions: Self.actions, titles: Self.titles, settlements: Self.settlements,
            from: Self.day("2026-11-02"), to: Self.day("2026-11-02"))
        #expect(
            second == [
                StepEffectiveness(
                    step: "reminder_d-5", offset: -5, titlesReached: 1, paidWithin3: 0,
                    paidWithin7: 0, paidWithin15: 1, paidWithin30: 1, recovered: Money(cents: 5_000))
            ])
    }

    @Test(
        "window boundaries: N+3 counts in 3 days, N+4 only in 7, N+31 in none",
        arguments: [
            (-1, [0, 0, 0, 0]), (0, [1, 1, 1, 1]), (3, [1, 1, 1, 1]), (4, [0, 1, 1, 1]), (7, [0, 1, 1, 1]),
            (8, [0, 0, 1, 1]), (15, [0, 0, 1, 1]), (16, [0, 0, 0, 1]), (30, [0, 0, 0, 1]), (31, [0, 0, 0, 0]),
        ])
    func boundaries(daysAfter: Int, expected: [Int]) {
        let night = Self.day("2026-11-10")
        let paidOn = night.adding(days: daysAfter)
        let actions = [
            LedgerAction(
                night: night,
                action: Action(
                    titleID: TitleID("T"), customerID: CustomerID("C"), stepID: "s", offset: 3, kind: .sent,
                    channel: .sms,
                    profile: "p"))
        ]
        let titles = [
            Title(
                id: TitleID("T"), customerID: CustomerID("C"), dueDate: Self.day("2026-11-07"),
                amount: Money(cents: 12_345), status: .paid, paidAmount: Money(cents: 12_345), paidDate: paidOn)
        ]
        let row = EffectivenessStats.compute(actions: actions, titles: titles, settlements: [:], from: nil, to: nil)[0]
        #expect([row.paidWithin3, row.paidWithin7, row.paidWithin15, row.paidWithin30] == expected)
        #expect(row.recovered == (expected[3] == 1 ? "123.45" : "0.00"))
    }

    @Test("steps with the same offset sort by id; no sent step, no row")
    func ordering() {
        let actions = [
            Self.sent("2026-11-10", "T1", "zeta", offset: 3),
            Self.sent("2026-11-10", "T1", "alpha", offset: 3),
            Self.sent("2026-11-10", "T2", "early", offset: -1),
            Self.sent("2026-11-10", "T3", "held_only", offset: -2, kind: .held),
        ]
        let rows = EffectivenessStats.compute(actions: actions, titles: [], settlements: [:], from: nil, to: nil)
        #expect(rows.map(\.step) == ["early", "alpha", "zeta"])
        #expect(
            EffectivenessStats.compute(actions: [], titles: Self.titles, settlements: [:], from: nil, to: nil).isEmpty)
    }

    @Test("JSON for `regua stats --json` and the terminal table")
    func outputs() throws {
        let rows = EffectivenessStats.compute(
            actions: Self.actions, titles: Self.titles, settlements: Self.settlements,
            from: nil, to: nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(rows[2]), as: UTF8.self)
        #expect(
            json == "{\"offset\":45,\"paidWithin15\":0,\"paidWithin3\":0,\"paidWithin30\":0,\"paidWithin7\":0,"
                + "\"recovered\":\"0.00\",\"share15\":0,\"share3\":0,\"share30\":0,\"share7\":0,\"step\":\"protest_d45\","
                + "\"titlesReached\":1}")
        let table = EffectivenessStats.table(rows)
        let lines = table.split(separator: "\n")
        #expect(lines.count == 4)
        // overdue_d3: 3 of 7 = 42,9% in 7 days, 4 of 7 = 57,1% in 15, 5 of 7 = 71,4% in 30, R$ 290,00.
        #expect(lines[0].contains("pagos 7d") && lines[0].contains("pagos 30d") && !lines[0].contains("pagos 3d"))
        #expect(lines[2].hasPrefix("overdue_d3  "))
        #expect(
            lines[2].contains("3 (42,9%)") && lines[2].contains("4 (57,1%)") && lines[2].contains("5 (71,4%)")
                && lines[2].hasSuffix("R$ 290,00"))
        #expect(Set(lines.map(\.count)).count == 1)  // aligned columns
    }
}
