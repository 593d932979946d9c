import Foundation
import Testing
@testable import Regua

/// Delivery records in the SQLite ledger (SPEC §7) driven by random attempts and outcomes, and
/// compared with a plain model of the rule: an attempt is recorded before anything is handed
/// over, a message once accepted is never attempted again, a new attempt counts one more.
@Suite struct SQLiteLedgerDeliveryTests {
    struct Model {
        var night: Day
        var channel: String
        var customer: CustomerID
        var contact: String
        var state: DeliveryState
        var attempts: Int
        var answer: String?
    }

    @Test("600 random begin/finish steps over 30 messages: every record, list and attempt number is the model's")
    func randomAttemptsFollowTheModel() throws {
        var rng = SystemRandomNumberGenerator()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("regua-dl-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/regua.sqlite"
        let nights = ["2026-11-20", "2026-11-21", "2026-11-23"].map { Day(iso: $0)! }
        let messages = (0..<30).map { k in
            (id: "R\(nights[k % 3].iso.filter(\.isNumber))-\(String(format: "%04d", k))", night: nights[k % 3])
        }
        var model: [String: Model] = [:]
        do {
            let l = try SQLiteLedger(path: path)
            for _ in 0..<600 {
                let m = messages.randomElement(using: &rng)!
                if Bool.random(using: &rng) {
                    let channel = ["email", "sms", "whatsapp"].randomElement(using: &rng)!
                    let customer = CustomerID("c\(Int.random(in: 0..<5, using: &rng))")
                    let contact = String(repeating: String(Int.random(in: 0...9, using: &rng)), count: 64)
                    let got = try l.beginAttempt(
                        messageID: m.id, night: m.night, channel: channel, customerID: customer,
                        contactHash: contact)
                    if let prior = model[m.id], prior.state == .accepted {
                        #expect(got == nil, "\(m.id) accepted, attempted again")
                    } else {
                        let attempt = (model[m.id]?.attempts ?? 0) + 1
                        #expect(got == attempt, "\(m.id)")
                        // The first attempt fixes night, channel and customer; each attempt its contact.
                        let first = model[m.id]
                        model[m.id] = Model(
                            night: m.night, channel: first?.channel ?? channel, customer: first?.customer ?? customer,
                            contact: contact, state: .uncertain, attempts: attempt, answer: first?.answer)
                    }
                } else if model[m.id] != nil {
                    let state: DeliveryState = Bool.random(using: &rng) ? .accepted : .failed
                    let answer = state == .accepted ? "250" : ["550", "421", "timeout"].randomElement(using: &rng)!
                    try l.finishAttempt(messageID: m.id, state: state, answer: answer)
                    model[m.id]!.state = state
                    model[m.id]!.answer = answer
                }
            }
        }
        // Another process reads what this one recorded.
        let l = try SQLiteLedger(path: path)
        for m in messages {
            let rec = try l.delivery(messageID: m.id)
            guard let want = model[m.id] else {
                #expect(rec == nil)
                continue
            }
            let r = try #require(rec)
            #expect(r.night == want.night)
            #expect(r.channel == want.channel)
            #expect(r.customerID == want.customer)
            #expect(r.contactHash == want.contact)
            #expect(r.state == want.state, "\(m.id)")
            #expect(r.attempts == want.attempts, "\(m.id)")
            #expect(r.answer == want.answer, "\(m.id)")
        }
        for night in nights {
            let ids = Set(model.filter { $0.value.night == night }.keys)
            #expect(Set(try l.deliveries(night: night).keys) == ids)
        }
        for state in [DeliveryState.uncertain, .accepted, .failed] {
            let keys: [(night: String, id: String)] = model.filter { $0.value.state == state }.map {
                (night: $0.value.night.iso, id: $0.key)
            }
            let want: [String] = keys.sorted { a, b in a.night != b.night ? a.night < b.night : a.id < b.id }.map(\.id)
            #expect(try l.deliveries(in: state).map(\.messageID) == want, "\(state)")
        }
    }

    @Test("A message the ledger recorded as sent is known with its customer, night and channel; others are not")
    func sentMessagesAreTheSentActions() throws {
        let l = try SQLiteLedger(inMemoryCopyOf: nil)
        let night = Day(iso: "2026-11-20")!
        func action(_ title: String, _ kind: ActionKind, _ message: String?, channel: Channel?) -> Action {
            Action(
                titleID: TitleID(title), customerID: CustomerID("cust-\(title)"), stepID: "s", offset: 1, kind: kind,
                channel: channel, reason: kind == .held ? .contactCap : nil, messageID: message, profile: "standard")
        }
        _ = try l.commit(
            NightCommit(
                night: night, rulesHash: "r", inputsHash: "i", forced: false, exitCode: 0,
                actions: [
                    action("t1", .sent, "M-1", channel: .email), action("t2", .sent, "M-2", channel: .sms),
                    action("t3", .held, "M-3", channel: .whatsapp), action("t4", .superseded, nil, channel: nil),
                ]))
        let one = try #require(try l.sentMessage(id: "M-1"))
        #expect(one.customerID == CustomerID("cust-t1") && one.night == night && one.channel == "email")
        #expect(try l.sentMessage(id: "M-2")?.channel == "sms")
        #expect(try l.sentMessage(id: "M-3") == nil)
        #expect(try l.sentMessage(id: "M-404") == nil)
        // An uncertain delivery of a night before tonight is what a later night must look at.
        _ = try l.beginAttempt(
            messageID: "M-1", night: night, channel: "email", customerID: one.customerID,
            contactHash: String(repeating: "a", count: 64))
        #expect(try l.deliveries(in: .uncertain).map(\.messageID) == ["M-1"])
        try l.finishAttempt(messageID: "M-1", state: .accepted, answer: "250")
        #expect(try l.deliveries(in: .uncertain).isEmpty)
        #expect(try l.delivery(messageID: "M-1")?.attempts == 1)
        #expect(
            try l.beginAttempt(
                messageID: "M-1", night: night, channel: "email", customerID: one.customerID,
                contactHash: String(repeating: "b", count: 64)) == nil)
        #expect(try l.delivery(messageID: "M-1")?.contactHash == String(repeating: "a", count: 64))
    }
}
