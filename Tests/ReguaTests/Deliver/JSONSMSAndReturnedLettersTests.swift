import Foundation
import Testing

@testable import Regua

/// The parts of SPEC §7 the other delivery suites leave out: SMS through a generic JSON POST
/// (one POST per `sms.csv` row, read back by Python's `json` on a loopback endpoint), `deliver
/// --dry-run` (nothing handed over, nothing recorded), and returned letters from the mail house
/// read by `feedback` (the address becomes unusable, once, and `explain` says so).
@Suite(.serialized)
struct JSONSMSAndReturnedLettersTests {
    static let tokenEnv = "REGUA_TEST_SMS_TOKEN"

    static func gateways(_ e: WhatsAppEndpoint) -> Gateways {
        Gateways(sms: .json(.init(url: e.url, tokenEnv: tokenEnv, timeout: 5)))
    }

    @Test func everySMSIsPostedOnceAsJSONWithTheTokenAndADryRunHandsNothingOver() throws {
        let w = try DeliveryFixtures.workspace()
        #expect(try w.run("2026-11-25").exitCode == 0)
        let sms = CSVRows.records(try String(contentsOfFile: w.night("2026-11-25") + "/sms.csv", encoding: .utf8))
        #expect(sms.count == 5)
        let endpoint = try WhatsAppEndpoint(answers: [:])
        let token = "sms-\(UUID().uuidString)"
        let env = [Self.tokenEnv: token]

        // A dry run says what would go and leaves the endpoint and the ledger untouched.
        let dry = try Deliverer(
            options: w.deliveryOptions(dryRun: true, only: ["sms"]), gateways: Self.gateways(endpoint), environment: env
        )
        .run()
        #expect(dry.counts == ["would_send": 5])
        #expect(try endpoint.posts().isEmpty)
        #expect(try w.ledger().deliveries(night: Day(iso: "2026-11-25")!).isEmpty)

        let report = try Deliverer(
            options: w.deliveryOptions(only: ["sms"]), gateways: Self.gateways(endpoint), environment: env
        )
        .run()
        #expect(report.counts == ["accepted": 5])
        let posts = try endpoint.posts()
        #expect(posts.count == 5)
        let byID = Dictionary(uniqueKeysWithValues: sms.map { ($0["message_id"]!, $0) })
        for p in posts {
            let body = try #require(p["body"] as? [String: Any])
            let id = try #require(body["message_id"] as? String)
            let row = try #require(byID[id], "a POST for a message that is not in sms.csv: \(id)")
            #expect(body["customer_id"] as? String == row["customer_id"])
            #expect(body["to"] as? String == row["phone"])
            #expect(body["text"] as? String == row["text"])
            #expect(body["step"] as? String == row["step"])
            #expect((body["title_ids"] as? [String])?.joined(separator: ";") == row["title_ids"])
            #expect((body["segments"] as? Int).map(String.init) == row["segments"])
            #expect(p["authorization"] as? String == "Bearer " + token)
            #expect(p["idempotency_key"] as? String == id)
            #expect(p["content_type"] as? String == "application/json")
        }
        #expect(Set(posts.compactMap { ($0["body"] as? [String: Any])?["message_id"] as? String }) == Set(byID.keys))
        let states = try w.ledger().deliveries(night: Day(iso: "2026-11-25")!)
        #expect(Set(states.keys) == Set(byID.keys) && states.values.allSatisfy { $0.state == .accepted })

        // Again: nothing more is posted.
        let again = try Deliverer(
            options: w.deliveryOptions(only: ["sms"]), gateways: Self.gateways(endpoint), environment: env
        )
        .run()
        #expect(again.counts == ["already_accepted": 5])
        #expect(try endpoint.posts().count == 5)
    }

    @Test func aReturnedLetterMakesTheAddressUnusableOnceAndExplainSaysSo() throws {
        // K1 has no e-mail: on 11-26 its overdue_d3 step goes by letter (the fallback).
        let (w, id) = try DeliveryFixtures.letterWorkspace()
        // On 12-08 title B's offer (proposta_d15) is due, by e-mail with the letter as fallback.
        let offerNight = "2026-12-08"
        let before = try Simulation.explain(
            options: w.options(offerNight), customerID: "K1", asOf: Day(iso: offerNight))
        #expect(!before.account.contains { $0.contains(HoldText.issueName(.returnedLetter)) })

        let returned = w.root + "/devolvidas.csv"
        try
            "message_id,reason,returned_at\r\n\(id),mudou-se,2026-11-27\r\nR20991231-ffffffffffffffff,desconhecido,2026-11-27\r\n"
            .write(toFile: returned, atomically: true, encoding: .utf8)
        let first = try FeedbackReader(options: w.feedbackOptions(returned: [returned])).run()
        #expect(first.marked == 1)
        #expect(first.items.map(\.outcome) == ["returned", "unmatched"])
        #expect(first.items.first?.customerID == "K1" && first.items.first?.marked == "returned_letter")
        let second = try FeedbackReader(options: w.feedbackOptions(returned: [returned])).run()
        #expect(second.marked == 0)
        #expect(second.items.allSatisfy { $0.outcome == "already_read" }, "\(second.items)")

        let after = try Simulation.explain(options: w.options(offerNight), customerID: "K1", asOf: Day(iso: offerNight))
        // The offer is held: no e-mail, and the letter's address came back.
        let offer = try #require(after.account.first { $0.contains("proposta_d15: devido") })
        let want: String =
            "proposta_d15: devido, mas retido: no_contact: o cliente não tem e-mail utilizável (coluna email); "
            + "o contato de carta está inutilizável (\(HoldText.issueName(.returnedLetter)))"
        #expect(offer.trimmingCharacters(in: .whitespaces) == want)
        #expect(!offer.contains("incompleto"), "the address is complete; it came back")

        // That night's worklist names the returned letter for the step it stopped.
        // The nights between are not what this test is about.
        #expect(try w.run(offerNight, acceptGap: true).exitCode == 0)
        let rows = try WorklistTests.spreadsheetRows(w.night(offerNight) + "/worklist.csv").dropFirst()
        let k1Rows = rows.filter { $0[0] == "K1" }
        let returnedRow = try #require(k1Rows.first { $0[2] == "returned_letter" }, "\(k1Rows)")
        #expect(returnedRow[4] == "proposta_d15")
        #expect(returnedRow[3].contains("27/11/2026"), "the day the letter came back: \(returnedRow[3])")
        // The report's held customers say what to fix in the same sense: not an incomplete address.
        let report = try String(contentsOfFile: w.night(offerNight) + "/report.html", encoding: .utf8)
        #expect(report.contains("o contato de carta do cliente foi marcado inutilizável pelo retorno"))
        #expect(!report.contains("faltam: )"))
    }
}
