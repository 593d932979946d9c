import Foundation
import Testing
@testable import Regua

/// The offers a night's messages made, as `regua stats` reads them back: those of runs that
/// still count, in the order recorded, within the nights asked for.
@Suite struct SQLiteLedgerOffersTests {
    @Test("Random offers over nights with forced reruns and discards read back as the model keeps them")
    func offersOfTheRunsThatCount() throws {
        var rng = SystemRandomNumberGenerator()
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        let start = Day(iso: "2026-11-01")!
        var counted: [(run: Int64, night: Day, offers: [OfferRecord])] = []
        var serial = 0
        var d = 0
        while d < 20 {
            let night = start.adding(days: d)
            var offers: [OfferRecord] = []
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                serial += 1
                let cash = Int64.random(in: 1_000...9_000_000, using: &rng)
                offers.append(
                    OfferRecord(
                        messageID: "M\(serial)", customerID: CustomerID("c\(Int.random(in: 0..<6, using: &rng))"),
                        stepID: ["overdue_d10", "overdue_d30", "offer_d60"].randomElement(using: &rng)!,
                        titleIDs: (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                            TitleID("t\(Int.random(in: 0..<50, using: &rng))")
                        },
                        offer: Offer(
                            cashAmount: Money(cents: cash), savings: Money(cents: cash / 10),
                            validUntil: night.adding(days: Int.random(in: 1...15, using: &rng)), installments: [])))
            }
            let roll = Int.random(in: 0..<6, using: &rng)
            var commit = NightCommit(
                night: night, rulesHash: "r", inputsHash: "i\(serial)", forced: false, exitCode: 0, actions: [])
            commit.offers = offers
            if roll == 0, let prev = counted.last {
                // --force on the last night: its offers stop counting, the new ones do.
                commit.night = prev.night
                commit.forced = true
                commit.replacesRunID = prev.run
                let run = try l.commit(commit)
                counted[counted.count - 1] = (run, prev.night, offers)
            } else if roll == 1 {
                try l.discardUnpublished(runID: try l.commit(commit))
                d += 1
            } else {
                let run = try l.commit(commit)
                try l.markPublished(runID: run)
                counted.append((run, night, offers))
                d += 1
            }
        }
        for (from, to) in [(0, 19), (0, 0), (5, 12), (19, 19), (20, 30)] {
            let a = start.adding(days: from)
            let b = start.adding(days: to)
            let want = counted.filter { $0.night >= a && $0.night <= b }.flatMap { c in c.offers.map { (c.night, $0) } }
            let got = try l.offers(from: a, to: b)
            #expect(got.map(\.night) == want.map(\.0), "\(a.iso)…\(b.iso)")
            #expect(got.map(\.record) == want.map(\.1), "\(a.iso)…\(b.iso)")
        }
    }
}
