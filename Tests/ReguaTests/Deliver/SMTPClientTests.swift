import Foundation
import Testing

@testable import Regua

/// The SMTP client's pieces that need no server: replies and DATA's dot-stuffing.
@Suite struct SMTPWireTests {
    @Test func multiLineReplies() throws {
        var lines = ["250-mx.exemplo.com.br", "250-PIPELINING", "250-AUTH PLAIN LOGIN", "250 8BITMIME"][...]
        let r = try SMTPReply.read { lines.removeFirst() }
        #expect(r.code == 250 && r.lines == ["mx.exemplo.com.br", "PIPELINING", "AUTH PLAIN LOGIN", "8BITMIME"])
        var bounce = ["550 5.1.1 <x@y>: Recipient address rejected"][...]
        let b = try SMTPReply.read { bounce.removeFirst() }
        #expect(b.enhancedStatus == "5.1.1" && b.summary == "smtp 550 5.1.1")
        var broken = ["250-a", "251 b"][...]
        #expect(throws: GatewayIOError.self) { try SMTPReply.read { broken.removeFirst() } }
        var junk = ["hello"][...]
        #expect(throws: GatewayIOError.self) { try SMTPReply.read { junk.removeFirst() } }
    }

    @Test(arguments: [
        ("a\nb\n", "a\r\nb\r\n.\r\n"),
        ("a\r\n.\r\n..b\r\n", "a\r\n..\r\n...b\r\n.\r\n"),
        (".start", "..start\r\n.\r\n"),
        ("lone\rcr", "lone\r\ncr\r\n.\r\n"),
    ])
    func dotStuffing(input: String, wire: String) {
        #expect(String(decoding: SMTPClient.dataBlock(Array(input.utf8)), as: UTF8.self) == wire)
    }

    @Test func kannelURLCarriesEverythingEscaped() {
        let h = KannelHandover(
            settings: .init(
                url: "http://127.0.0.1:13013/cgi-bin/sendsms", user: "regua", passwordEnv: "P", from: "4000",
                dlrMask: 31, dlrURL: "http://127.0.0.1:8080/dlr?status=%d"), password: "s&cret")
        let m = OutgoingMessage(
            id: "R20261123-ab", channel: "sms", customerID: CustomerID("C1"), contactHash: "",
            payload: .sms(
                phone: "+5511987654321", text: "Olá & até", encoding: "UCS-2", segments: 1, step: "s", titleIDs: []))
        let url = URLComponents(string: h.url(for: m)!)!
        let q = Dictionary(uniqueKeysWithValues: url.queryItems!.map { ($0.name, $0.value ?? "") })
        #expect(q["username"] == "regua" && q["password"] == "s&cret" && q["to"] == "+5511987654321")
        #expect(q["text"] == "Olá & até" && q["coding"] == "2" && q["charset"] == "UTF-8" && q["from"] == "4000")
        #expect(q["dlr-mask"] == "31" && q["dlr-url"] == "http://127.0.0.1:8080/dlr?status=%d&message_id=R20261123-ab")
    }

    @Test func whatsappBodyIsACloudAPIMessage() throws {
        let line =
            #"{"message_id":"R1","customer_id":"C1","step":"s","title_ids":["T1"],"to":"+5511987654321","biz_opaque_callback_data":"R1","template":{"name":"cobranca","language":{"code":"pt_BR","policy":"deterministic"},"components":[{"type":"body","parameters":[{"type":"text","text":"Maria"}]}]}}"#
        let m = OutgoingMessage(
            id: "R1", channel: "whatsapp", customerID: CustomerID("C1"), contactHash: "",
            payload: .whatsapp(line: Array(line.utf8), to: "+5511987654321"))
        let body = try JSONSerialization.jsonObject(with: JSONPostHandover.body(for: m)!) as! [String: Any]
        #expect(body["messaging_product"] as? String == "whatsapp" && body["type"] as? String == "template")
        #expect(body["biz_opaque_callback_data"] as? String == "R1" && body["to"] as? String == "+5511987654321")
        #expect((body["template"] as? [String: Any])?["name"] as? String == "cobranca")
        #expect(body["message_id"] == nil)
    }
}
