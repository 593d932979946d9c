import GRDB
@testable import Regua

/// The plain reference for ``SQLiteLedger/history(before:scope:)``: the read of release
/// c172c40, every `sent`/`superseded` action ever recorded, folded in the order recorded. The
/// compact tables must give what this gives for the titles and customers a night reads.
enum ReferenceHistory {
    static func read(_ db: Database, before day: Day) throws -> LedgerHistory {
        var h = LedgerHistory()
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT night, title_id, customer_id, step_id, step_offset, kind, message_id, instruction, due_date
                FROM actions WHERE night < ? AND kind IN ('sent', 'superseded') ORDER BY id
                """, arguments: [day.iso])
        let weekStart = day.adding(days: -6).iso
        var seenMessages = Set<String>()
        while let r = try rows.next() {
            let title = TitleID(r[1])
            let step: String = r[3]
            let kind: String = r[5]
            let nightText: String = r[0]
            if kind == "superseded" {
                h.superseded[title, default: []].insert(step)
                continue
            }
            let night = Day(iso: nightText)!
            if !step.hasPrefix("bank:") {
                h.sent[title, default: []].append(.init(stepID: step, offset: r[4], night: night))
            }
            if let mid: String = r[6], nightText >= weekStart, seenMessages.insert(mid).inserted {
                h.recentMessages[CustomerID(r[2]), default: []].append(night)
            }
            if let ins: String = r[7], let instruction = RemittanceInstruction(rawValue: ins) {
                let due: String? = r[8]
                switch instruction {
                case .register, .changeDue:
                    if let due, let d = Day(iso: due) { h.registeredDue[title] = d }
                case .protest: h.protested.insert(title)
                case .stopProtest: h.protested.remove(title)
                case .writeOff: h.writtenOff.insert(title)
                }
            }
        }
        return h
    }

    /// What a decider can observe of a history for some titles and customers: per title the
    /// steps sent (first record of each, in recorded order) and superseded, the bank state, and
    /// per customer this week's message nights (sorted).
    struct Observed: Equatable, CustomStringConvertible {
        var sent: [String: [String]] = [:]
        var superseded: [String: [String]] = [:]
        var registeredDue: [String: String] = [:]
        var protested: [String] = []
        var writtenOff: [String] = []
        var contacts: [String: [String]] = [:]

        init(_ h: LedgerHistory, titles: [TitleID]?, customers: [CustomerID]?) {
            let ts = titles.map(Set.init)
            let cs = customers.map(Set.init)
            func inT(_ t: TitleID) -> Bool { ts?.contains(t) ?? true }
            for (t, steps) in h.sent where inT(t) && !steps.isEmpty {
                var seen = Set<String>()
                sent[t.raw] = steps.filter { seen.insert($0.stepID).inserted }.map {
                    "\($0.stepID)@\($0.offset)@\($0.night.iso)"
                }
            }
            for (t, s) in h.superseded where inT(t) && !s.isEmpty { superseded[t.raw] = s.sorted() }
            for (t, d) in h.registeredDue where inT(t) { registeredDue[t.raw] = d.iso }
            protested = h.protested.filter(inT).map(\.raw).sorted()
            writtenOff = h.writtenOff.filter(inT).map(\.raw).sorted()
            for (c, n) in h.recentMessages where (cs?.contains(c) ?? true) && !n.isEmpty {
                contacts[c.raw] = n.map(\.iso).sorted()
            }
        }

        var description: String {
            "sent \(sent)\nsuperseded \(superseded)\ndue \(registeredDue)\nprotested \(protested)\nwrittenOff \(writtenOff)\ncontacts \(contacts)"
        }
    }
}
