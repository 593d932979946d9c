import Testing

@testable import Regua

/// SPEC §7's bounce and report rules, one row per case.
@Suite struct ContactRulesTests {
    static func events(_ kind: ContactEventKind, _ days: [String]) -> [ContactEvent] {
        days.map { ContactEvent(kind: kind, day: Day(iso: $0)!) }
    }

    @Test(arguments: [
        (ContactKind.email, ContactEventKind.hard, ["2026-11-01"], ContactIssue?.some(.bouncedEmail)),
        (.email, .soft, ["2026-11-01", "2026-11-10"], nil),
        (.email, .soft, ["2026-11-01", "2026-11-10", "2026-11-30"], .bouncedEmail),  // 29 days apart
        (.email, .soft, ["2026-11-01", "2026-11-10", "2026-12-01"], nil),  // 30 days apart: two windows
        (.email, .soft, ["2026-10-01", "2026-11-01", "2026-11-10", "2026-11-20"], .bouncedEmail),
        (.phone, .undelivered, ["2026-11-01"], nil),
        (.phone, .undelivered, ["2026-11-01", "2026-11-30"], .undeliveredSMS),
        (.phone, .undelivered, ["2026-11-01", "2026-12-01"], nil),
        (.address, .returned, ["2026-11-01"], .returnedLetter),
        (.whatsapp, .failed, ["2026-11-01"], .undeliveredWhatsApp),
        (.email, .undelivered, ["2026-11-01", "2026-11-02", "2026-11-03"], nil),  // not e-mail events
    ])
    func verdict(kind: ContactKind, event: ContactEventKind, days: [String], expected: ContactIssue?) {
        #expect(ContactRules.verdict(kind: kind, events: Self.events(event, days)) == expected)
    }

    @Test func dsnActionAndStatusMakeTheEvent() {
        typealias R = DeliveryStatusReport.Recipient
        #expect(DeliveryStatusReport.eventKind(R(address: "a@b", action: "failed", status: "5.1.1")) == .hard)
        #expect(DeliveryStatusReport.eventKind(R(address: "a@b", action: "failed", status: "4.2.2")) == .soft)
        #expect(DeliveryStatusReport.eventKind(R(address: "a@b", action: "delayed", status: "4.4.1")) == nil)
        #expect(DeliveryStatusReport.eventKind(R(address: "a@b", action: "delivered", status: "2.0.0")) == nil)
    }

    @Test func verpAndDates() {
        #expect(DeliveryStatusReport.verpID("bounces+R20261123-ab12@exemplo.com.br") == "R20261123-ab12")
        #expect(DeliveryStatusReport.verpID("bounces@exemplo.com.br") == nil)
        #expect(DeliveryStatusReport.day(rfc5322: "Thu,  3 Dec 2026 07:51:53 +0000 (UTC)") == Day(iso: "2026-12-03"))
        #expect(DeliveryStatusReport.day(rfc5322: "garbage") == nil)
    }

    @Test func mboxSplitsAtFromLinesAndUnquotes() {
        let text =
            "From a@b Thu Dec  3 07:51:53 2026\nSubject: one\n\n>From here\nbody\nFrom c@d Thu Dec  3 07:51:54 2026\nSubject: two\n\nx\n"
        let msgs = MailboxReader.mbox(Array(text.utf8))
        #expect(msgs.count == 2)
        #expect(String(decoding: msgs[0], as: UTF8.self) == "Subject: one\n\nFrom here\nbody\n")
        #expect(MailHeaders.parse(msgs[1]).first("subject") == "two")
    }

    @Test func csvRowsQuotesAndSemicolons() {
        #expect(CSVRows.parse("a,b\r\n\"x,\"\"y\"\"\",2\n") == [["a", "b"], ["x,\"y\"", "2"]])
        #expect(
            CSVRows.records("\u{FEFF}message_id;reason\nR1;mudou-se\n") == [["message_id": "R1", "reason": "mudou-se"]])
    }
}
