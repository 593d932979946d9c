import Foundation
import Testing

@testable import Regua

/// The HTTP handover in this process (no binary needed): the deadline covers the whole exchange,
/// so a peer that never answers or never finishes its answer costs the time-out, not the night;
/// a refusal keeps its status code in the ledger's answer.
@Suite(.serialized) struct HTTPDeadlineTests {
    static func message(to phone: String) throws -> OutgoingMessage {
        let line = try JSONSerialization.data(
            withJSONObject: [
                "message_id": "R20261123-0000000000000001", "customer_id": "C01", "step": "overdue_d10",
                "title_ids": ["T-C01"], "to": phone, "biz_opaque_callback_data": "R20261123-0000000000000001",
                "template": [
                    "name": "cobranca_atraso", "language": ["code": "pt_BR", "policy": "deterministic"],
                    "components": [],
                ],
            ], options: [.sortedKeys])
        return OutgoingMessage(
            id: "R20261123-0000000000000001", channel: "whatsapp", customerID: CustomerID("C01"),
            contactHash: ContactHash.phone(phone), payload: .whatsapp(line: [UInt8](line), to: phone))
    }

    @Test(arguments: ["hang", "trickle"]) func aPeerThatNeverFinishesIsUncertainWithinTheTimeout(answer: String) throws
    {
        let phone = "+5511987654399"
        let endpoint = try WhatsAppEndpoint(answers: [phone: [answer]])
        let h = JSONPostHandover(
            name: "whatsapp", settings: .init(url: endpoint.url, tokenEnv: "T", timeout: 2), token: "t")
        let start = Date()
        let r = h.hand(try Self.message(to: phone))
        let seconds = Date().timeIntervalSince(start)
        guard case .uncertain = r else {
            Issue.record("expected uncertain, got \(r)")
            return
        }
        #expect(seconds >= 1.5 && seconds < 10, "took \(seconds) s")
        #expect(try endpoint.posts().count == 1)
    }

    @Test func aRefusalKeepsItsStatusCode() throws {
        let phone = "+5511987654398"
        let endpoint = try WhatsAppEndpoint(answers: [phone: ["503"]])
        let h = JSONPostHandover(
            name: "whatsapp", settings: .init(url: endpoint.url, tokenEnv: "T", timeout: 5), token: "t")
        guard case .failed(let why) = h.hand(try Self.message(to: phone)) else {
            Issue.record("a 503 is a refusal")
            return
        }
        #expect(why.hasPrefix("http 503: "))
        #expect(Deliverer.ledgerAnswer(why) == "http 503")
        #expect(Deliverer.ledgerAnswer("smtp 550 5.1.1 <ana@exemplo.com.br>: no such user") == "smtp 550 5.1.1")
        #expect(Deliverer.ledgerAnswer("sendmail exit 75") == "sendmail exit 75")
    }
}
