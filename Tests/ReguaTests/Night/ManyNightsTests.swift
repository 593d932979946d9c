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
            #expect(
                seen.insert("\(a.action.titleID.raw)|\(a.action.stepID)").inserted,
                "\(a.action.titleID.raw) got \(a.action.stepID) twice")
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
        let sentTitles = Set(
            try w.allActions().filter { $0.action.kind == .sent && $0.action.messageID != nil }.map(
                \.action.titleID.raw))
        let victim = try #require(sentTitles.sorted().first)
        try w.setReceivable(title: victim, column: "status", value: "paid")
        var night = Day(iso: "2026-11-24")!
        while night <= Day(iso: "2027-01-31")! {
            _ = try w.run(night.iso)
            night = night.adding(days: 1)
        }
        let later = try w.allActions().filter {
            $0.night > Day(iso: "2026-11-23")! && $0.action.titleID.raw == victim && $0.action.kind == .sent
        }
        #expect(later.allSatisfy { $0.action.stepID == "bank:stop_protest" })
    }

    @Test func quietDayHoldsMessagesToTheNextAllowedNight() throws {
        let w = try Workspace()
        try w.protestWithoutTheLetter()
        let sunday = try w.run("2026-11-22")
        #expect(sunday.summary?.quietDay == true)
        #expect(sunday.summary?.messages.total == 0)
        #expect(sunday.summary?.remittance.total ?? 0 > 0, "quiet days do not hold bank instructions")
        let held = try w.allActions().filter { $0.action.reason == .quietDay }
        #expect(!held.isEmpty)
        _ = try w.run("2026-11-23")
        let monday = try w.allActions().filter { $0.night == Day(iso: "2026-11-23")! }
        let sentTitles = Set(monday.filter { $0.action.kind == .sent }.map(\.action.titleID))
        // Held on Monday only for a reason of its own (below the minimum amount, …), never the quiet day.
        let heldMonday = Set(
            monday.filter { $0.action.kind == .held && $0.action.reason != .quietDay }.map(\.action.titleID))
        #expect(!monday.contains { $0.action.reason == .quietDay })
        // Each title held on Sunday whose window is still open on Monday goes out on Monday.
        let book = try RuleBookLoader.load(directory: w.root + "/rules")
        let titles = try InputReader.read(
            customers: w.root + "/fixtures/customers.csv",
            receivables: w.root + "/fixtures/receivables.csv"
        ).titles
        let decider = NightDecider(book: book, asOf: Day(iso: "2026-11-23")!)
        var checked = 0
        for h in held {
            guard let t = titles.first(where: { $0.id == h.action.titleID }), let step = book.step(h.action.stepID)
            else { continue }
            if decider.inWindow(step, days: decider.dunned(t).daysOverdue) {
                #expect(
                    sentTitles.contains(t.id) || heldMonday.contains(t.id),
                    "\(t.id) held on Sunday should go out on Monday")
                if sentTitles.contains(t.id) { checked += 1 }
            }
        }
        #expect(checked > 0)
    }
}
