import Foundation
import Testing
@testable import Regua

/// `regua stats` on nights really run on the shipped example, checked against figures this
/// test counts from the ledger's actions and the receivables.
@Suite struct StatsTests {
    /// Per step: first night each title was sent in the period.
    static func reached(_ actions: [LedgerAction], from: Day?, to: Day?) -> [String: [String: Day]] {
        var out: [String: [String: Day]] = [:]
        for la in actions.sorted(by: { $0.night < $1.night }) {
            let a = la.action
            guard a.kind == .sent, !a.stepID.hasPrefix("bank:") else { continue }
            guard from.map({ la.night >= $0 }) ?? true, to.map({ la.night <= $0 }) ?? true else { continue }
            if out[a.stepID]?[a.titleID.raw] == nil { out[a.stepID, default: [:]][a.titleID.raw] = la.night }
        }
        return out
    }

    @Test func figuresMatchTheLedgerAndThePaymentDates() throws {
        let w = try Workspace()
        for night in ["2026-11-16", "2026-11-19", "2026-11-23"] { _ = try w.run(night) }
        let actions = try w.allActions()

        // Pay some titles the ladder reached, at chosen distances from the night they were first reached.
        let first = Self.reached(actions, from: nil, to: nil).values.reduce(into: [String: Day]()) { acc, m in
            for (t, d) in m where acc[t].map({ d < $0 }) ?? true { acc[t] = d }
        }
        let chosen = first.keys.sorted().prefix(6)
        #expect(chosen.count == 6)
        let inputs = try InputReader.read(
            customers: w.root + "/fixtures/customers.csv",
            receivables: w.root + "/fixtures/receivables.csv")
        let amount = Dictionary(uniqueKeysWithValues: inputs.titles.map { ($0.id.raw, $0.amount) })
        for (title, days) in zip(chosen, [0, 3, 6, 12, 20, -2]) {
            try w.setReceivable(title: title, column: "status", value: "paid")
            try w.setReceivable(title: title, column: "paid_amount", value: amount[title]!.plain)
            try w.setReceivable(title: title, column: "paid_date", value: first[title]!.adding(days: days).iso)
        }

        // When and how much each title was paid, from the receivables as they now are.
        let paid = try InputReader.read(
            customers: w.root + "/fixtures/customers.csv",
            receivables: w.root + "/fixtures/receivables.csv")
        #expect(paid.titles.count == inputs.titles.count, "no edited row was rejected")
        var payments: [String: (date: Day, cents: Int64)] = [:]
        for t in paid.titles where t.status == .paid || t.paidAmount.cents > 0 {
            guard let d = t.paidDate else { continue }
            payments[t.id.raw] = (d, t.paidAmount.cents > 0 ? t.paidAmount.cents : t.amount.cents)
        }

        let bounds: [(String?, String?)] = [
            (nil, nil), ("2026-11-19", nil), (nil, "2026-11-19"), ("2026-11-19", "2026-11-19"),
        ]
        var creditedSomewhere = 0
        for (f, t) in bounds {
            let (from, to) = (f.flatMap { Day(iso: $0) }, t.flatMap { Day(iso: $0) })
            let rows = try Stats.run(options: w.options(), from: from, to: to)
            let want = Self.reached(actions, from: from, to: to)
            #expect(Set(rows.map(\.step)) == Set(want.keys), "\(f ?? "…")–\(t ?? "…")")
            #expect(rows.map(\.offset) == rows.map(\.offset).sorted())
            for row in rows {
                let titles = want[row.step] ?? [:]
                var within = [0, 0, 0, 0]
                var recovered: Int64 = 0
                for (title, night) in titles {
                    guard let p = payments[title] else { continue }
                    let days = p.date.days(since: night)
                    guard days >= 0 else { continue }
                    for (i, k) in [3, 7, 15, 30].enumerated() where days <= k { within[i] += 1 }
                    if days <= 30 { recovered += p.cents }
                }
                #expect(row.titlesReached == titles.count, "\(row.step)")
                #expect(
                    [row.paidWithin3, row.paidWithin7, row.paidWithin15, row.paidWithin30] == within, "\(row.step)")
                #expect(row.recovered == Money(cents: recovered).plain, "\(row.step)")
                creditedSomewhere += within[2]
            }
        }
        #expect(creditedSomewhere > 0)
        // The windows tell payments apart: the title paid 12 days after its first step counts at 15 days only.
        let all = try Stats.run(options: w.options(), from: nil, to: nil)
        #expect(all.contains { $0.paidWithin3 < $0.paidWithin15 })
        // Only read: nothing was recorded.
        #expect(try w.allActions().count == actions.count)
    }

    @Test func aMissingLedgerIsAnIOError() throws {
        let w = try Workspace()
        let e = try #require(throws: ReguaError.self) { try Stats.run(options: w.options(), from: nil, to: nil) }
        #expect(e.code == .io)
        #expect(e.message == "no ledger at \(w.root)/var/regua.sqlite")
        #expect(!FileManager.default.fileExists(atPath: w.root + "/var/regua.sqlite"), "stats must not create a ledger")
    }

    @Test func anInvertedPeriodIsRefused() throws {
        let w = try Workspace()
        let e = try #require(throws: ReguaError.self) {
            try Stats.run(options: w.options(), from: Day(iso: "2026-11-20"), to: Day(iso: "2026-11-10"))
        }
        #expect(e.code == .refused)
    }
}
