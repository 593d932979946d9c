import Foundation
import Testing
@testable import Regua

/// Nights in sequence on the shipped example: exactly-once across nights, catch-up, payments.
@Suite struct ManyNightsTests {
    @Test func noStepTwiceAcrossAMonthOfNightsAndNoneBackwards() throws {
        let w = try Workspace()
        var night = Day(iso: "2026-11-16")!
        while night <= Day(iso: "2026-12-20")! {
            _ = try w.run(night.iso)
            night = night.adding(days: 2)  // every other night missed: catch-up must cover it
        }
        let sent = try w.allActions().filter { $0.action.kind == .sent && !$0.action.stepID.hasPrefix("bank:") }
        var seen = Set<String>()
        var maxOffset: [String: Int] = [:]
        for a in sent.sorted(by: { $0.night < $1.night }) {
            #expect(seen.insert("\(a.action.titleID.raw)|\(a.action.stepID)").inserted, "\(a.action.titleID.raw) got \(a.action.stepID) twice")
            let prev = maxOffset[a.action.titleID.raw] ?? Int.min
            #expect(a.action.offset > prev, "\(a.action.titleID.raw) went back down the ladder")
            maxOffset[a.action.titleID.raw] = a.action.offset
        }
        #expect(sent.count > 10)
        // The weekly cap holds across nights: at most 3 messages per customer in any 7 days.
        var byCustomer: [String: [(Day, String)]] = [:]
        for a in sent where a.action.messageID != nil {
            byCustomer[a.action.customerID.raw, default: []].append((a.night, a.action.messageID!))
        }
        for (_, list) in byCustomer {
            let messages = Dictionary(list.map { ($0.1, $0.0) }, uniquingKeysWith: { a, _ in a })
            for (_, day) in messages {
                let week = messages.values.filter { $0 <= day && $0 > day.adding(days: -7) }
                #expect(week.count <= 3)
            }
        }
    }

    @Test func paymentBetweenNightsStopsEveryLaterStep() throws {
        let w = try Workspace()
        _ = try w.run("2026-11-23")
        let sentTitles = Set(try w.allActions().filter { $0.action.kind == .sent && $0.action.messageID != nil }.map(\.action.titleID.raw))
        let victim = try #require(sentTitles.sorted().first)
        try w.setReceivable(title: victim, column: "status", value: "paid")
        var night = Day(iso: "2026-11-24")!
        while night <= Day(iso: "2027-01-31")! {
            _ = try w.run(night.iso)
            night = night.adding(days: 1)
        }
        let later = try w.allActions().filter { $0.night > Day(iso: "2026-11-23")! && $0.action.titleID.raw == victim && $0.action.kind == .sent }
        #expect(later.allSatisfy { $0.action.stepID == "bank:stop_protest" })
    }
}
