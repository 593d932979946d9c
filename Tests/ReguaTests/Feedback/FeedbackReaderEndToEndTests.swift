/// `regua feedback` (FeedbackReader) end to end on real files after a real published night:
/// RFC 3464 reports in a Maildir and in an mbox, Kannel delivery-report CSVs, the mail house's
/// returned-letters CSV and WhatsApp status JSON lines. Checked against SPEC §7: a `failed`
/// action with a 5.x.x status is a hard bounce, three soft (4.x.x) bounces of one address within
/// 30 days count as one, Kannel's 2 and 16 twice within 30 days, one returned letter, one WhatsApp
/// `failed`; the contact marked is the hash of the very value the message went to (computed here
/// from the fixture's own text); reading the same files twice changes nothing.
import Foundation
import Testing

@testable import Regua

@Suite struct FeedbackReaderEndToEndTests {
    // MARK: - Fixtures

    /// An RFC 3464 report, shaped like RFC 3464 §10's examples (a human part, the
    /// message/delivery-status part with a per-message and a per-recipient group, the returned
    /// headers). `verp` puts the message id in the envelope `To:`; otherwise only the returned
    /// Message-ID names it.
    static func dsn(
        id: String, recipient: String, action: String, status: String, date: String, verp: Bool = true,
        crlf: Bool = false, arrival: String? = nil
    ) -> String {
        let to = verp ? "cobranca+\(id)@empresa.com.br" : "cobranca@empresa.com.br"
        var lines = [
            "From: MAILER-DAEMON@mx.exemplo.com.br",
            "To: \(to)",
            "Date: \(date)",
            "Subject: Undelivered Mail Returned to Sender",
            "MIME-Version: 1.0",
            "Content-Type: multipart/report; report-type=delivery-status;",
            "\tboundary=\"RAA14128.773615765/mx.exemplo.com.br\"",
            "",
            "--RAA14128.773615765/mx.exemplo.com.br",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "Não foi possível entregar a mensagem a \(recipient).",
            "",
            "--RAA14128.773615765/mx.exemplo.com.br",
            "Content-Type: message/delivery-status",
            "",
            "Reporting-MTA: dns; mx.exemplo.com.br",
        ]
        if let arrival { lines.append("Arrival-Date: \(arrival)") }
        lines += [
            "",
            "Final-Recipient: rfc822; \(recipient)",
            "Action: \(action)",
            "Status: \(status)",
            "Diagnostic-Code: smtp; \(status.hasPrefix("5") ? "550 mailbox unavailable" : "452 mailbox full")",
            "",
            "--RAA14128.773615765/mx.exemplo.com.br",
            "Content-Type: text/rfc822-headers",
            "",
            "From: Cobranca <cobranca@empresa.com.br>",
            "To: \(recipient)",
            "Message-ID: <\(id)@regua.empresa.com.br>",
            "Subject: Lembrete de vencimento",
            "",
            "--RAA14128.773615765/mx.exemplo.com.br--",
            "",
        ]
        return lines.joined(separator: crlf ? "\r\n" : "\n")
    }

    static func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The night of 2026-11-25 of the delivery portfolio, published and nothing delivered:
    /// feedback finds the messages in the ledger and their contacts in out/.
    static func publishedNight() throws -> (Workspace, emails: [String: String], sms: [[String: String]]) {
        let w = try DeliveryFixtures.workspace()
        #expect(try w.run("2026-11-25").exitCode == 0)
        let emails = Dictionary(uniqueKeysWithValues: w.emails("2026-11-25").map { ($0.value, $0.key) })
        let sms = CSVRows.records(try String(contentsOfFile: w.night("2026-11-25") + "/sms.csv", encoding: .utf8))
        #expect(emails.count == 5 && sms.count == 5)
        return (w, emails, sms)
    }

    static func marks(_ w: Workspace) throws -> [String: UnusableContact] {
        var out: [String: UnusableContact] = [:]
        for (c, m) in try w.ledger().unusableContacts() { out[c.raw + "|" + m.kind.rawValue] = m }
        return out
    }

    // MARK: - DSN

    @Test func dsnReportsInAMaildirMarkHardBouncesOnlyAndOnce() throws {
        let (w, emails, _) = try Self.publishedNight()
        let box = w.root + "/Maildir"
        let date = "Thu, 26 Nov 2026 07:51:53 +0000"
        // H1: hard, named by VERP. H2: hard, named only by the returned Message-ID (CRLF file).
        // K1: delayed. S1: one soft bounce. An unknown id. A message that is no report at all.
        try Self.write(
            Self.dsn(
                id: emails["H1"]!, recipient: "hard.one@bounce-a.test", action: "failed", status: "5.1.1", date: date),
            box + "/new/1.mx")
        try Self.write(
            Self.dsn(
                id: emails["H2"]!, recipient: "Hard.Two@Bounce-B.test", action: "failed", status: "5.7.1 (refused)",
                date: date, verp: false, crlf: true),
            box + "/cur/2.mx:2,S")
        try Self.write(
            Self.dsn(
                id: emails["K1"]!, recipient: "ok.one@example.com", action: "delayed", status: "4.4.1", date: date),
            box + "/new/3.mx")
        try Self.write(
            Self.dsn(id: emails["S1"]!, recipient: "soft.one@soft.test", action: "failed", status: "4.2.2", date: date),
            box + "/new/4.mx")
        try Self.write(
            Self.dsn(
                id: "R20261125-0000000000000000", recipient: "x@y.test", action: "failed", status: "5.1.1", date: date),
            box + "/new/5.mx")
        try Self.write("From: a@b.test\nSubject: oi\n\nnot a report\n", box + "/new/6.mx")
        try Self.write("ignored: a dot file is not a message\n", box + "/new/.hidden")

        let first = try FeedbackReader(options: w.feedbackOptions(dsn: [box])).run()
        // In the order of the files' paths: cur/ before new/.
        #expect(first.items.map(\.outcome) == ["hard", "hard", "ignored", "soft", "unmatched", "ignored"])
        #expect(first.items.map(\.customerID) == ["H2", "H1", "K1", "S1", nil, nil])
        #expect(first.marked == 2)
        #expect(first.items.compactMap(\.marked) == ["bounced_email", "bounced_email"])
        #expect(first.effectiveFrom == "2026-11-26", "the night after the last one published")
        #expect(first.items.allSatisfy { $0.source == "dsn" && $0.file == box })

        let marks = try Self.marks(w)
        #expect(Set(marks.keys) == ["H1|email", "H2|email"])
        // The hash of the address the report names, trimmed and lower-cased.
        #expect(marks["H1|email"]?.valueHash == ContactHash.email("hard.one@bounce-a.test"))
        #expect(marks["H2|email"]?.valueHash == Hashing.sha256Hex("email\u{0}hard.two@bounce-b.test"))
        #expect(marks.values.allSatisfy { $0.issue == .bouncedEmail && $0.since == Day(iso: "2026-11-26") })
        #expect(marks["H1|email"]?.markedBy == ContactEvent(kind: .hard, day: Day(iso: "2026-11-26")!))

        let again = try FeedbackReader(options: w.feedbackOptions(dsn: [box])).run()
        #expect(again.items.count == first.items.count)
        #expect(again.items.allSatisfy { $0.outcome == "already_read" }, "\(again.items)")
        #expect(again.marked == 0)
        #expect(try Self.marks(w) == marks)
    }

    /// Three soft bounces of one address make one hard when the first and the last are less
    /// than 30 days apart; the same reports in an mbox (with a `>From ` line in a body).
    @Test(arguments: [
        ([0, 10, 29], true), ([0, 15, 45], false), ([0, 29], false), ([0, 40, 50, 60], true), ([0, 0, 0], true),
        ([0, 30, 60], false),
    ])
    func softBouncesInAnMboxAddUpWithinThirtyDays(offsets: [Int], marked: Bool) throws {
        let (w, emails, _) = try Self.publishedNight()
        let start = Day(iso: "2026-11-26")!
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var mbox = ""
        for (k, offset) in offsets.enumerated() {
            let c = start.adding(days: offset).components
            let date = "Mon, \(c.day) \(months[c.month - 1]) \(c.year) 0\(k):00:00 -0300"
            let report = Self.dsn(
                id: emails["S1"]!, recipient: "soft.one@soft.test", action: "failed", status: "4.2.2", date: date
            )
            .replacingOccurrences(of: "Não foi possível", with: ">From the MTA: não foi possível")
            mbox += "From MAILER-DAEMON Mon Nov 30 08:00:00 2026\n" + report + "\n"
        }
        let path = w.root + "/bounces.mbox"
        try Self.write(mbox, path)
        #expect(try MailboxReader.messages(at: path).count == offsets.count)
        #expect(
            try MailboxReader.messages(at: path).allSatisfy { m in
                let text = String(decoding: m, as: UTF8.self)
                return text.hasPrefix("From: MAILER-DAEMON") && text.contains("\nFrom the MTA")
                    && !text.contains(">From")
            })

        let report = try FeedbackReader(options: w.feedbackOptions(dsn: [path])).run()
        #expect(report.items.allSatisfy { $0.outcome == "soft" && $0.customerID == "S1" })
        #expect(report.marked == (marked ? 1 : 0))
        let marks = try Self.marks(w)
        #expect((marks["S1|email"] != nil) == marked)
        if marked, let m = marks["S1|email"] {
            // The day of the report that tipped the rule: the first third one within a window.
            let days = offsets.map { start.adding(days: $0) }
            let tipping = days.indices.first { i in
                let prefix = days[...i].sorted()
                return prefix.count >= 3
                    && (0...(prefix.count - 3)).contains { prefix[$0 + 2].days(since: prefix[$0]) < 30 }
            }
            #expect(m.markedBy?.day == tipping.map { days[$0] })
            #expect(m.valueHash == ContactHash.email("soft.one@soft.test"))
        }
        // Read again: nothing new, whatever the verdict.
        let again = try FeedbackReader(options: w.feedbackOptions(dsn: [path])).run()
        #expect(again.marked == 0 && again.items.allSatisfy { $0.outcome == "already_read" })
    }

    @Test func aMissingMailboxIsAnErrorAndAnEmptyOneReadsNothing() throws {
        let (w, _, _) = try Self.publishedNight()
        #expect(throws: ReguaError.self) {
            try FeedbackReader(options: w.feedbackOptions(dsn: [w.root + "/no-such-box"])).run()
        }
        try FileManager.default.createDirectory(atPath: w.root + "/empty/new", withIntermediateDirectories: true)
        try Self.write("", w.root + "/empty.mbox")
        let r = try FeedbackReader(options: w.feedbackOptions(dsn: [w.root + "/empty", w.root + "/empty.mbox"])).run()
        #expect(r.items.isEmpty && r.marked == 0)
    }

    // MARK: - SMS delivery reports

    @Test func kannelReportsTwoAndSixteenTwiceWithinThirtyDaysMakeThePhoneUnusable() throws {
        let (w, _, sms) = try Self.publishedNight()
        let byCustomer = Dictionary(uniqueKeysWithValues: sms.map { ($0["customer_id"]!, $0) })
        let id = { (c: String) in byCustomer[c]!["message_id"]! }
        // No header (what a dlr_url endpoint logs): message_id,status,at.
        let log =
            [
                "\(id("H1")),16,2026-11-25T20:00:00Z",
                "\(id("H1")),2,2026-12-10T08:00:00Z",  // 15 days later: unusable
                "\(id("K1")),1,2026-11-25T20:00:00Z",  // delivered
                "\(id("K1")),8,2026-11-25T20:01:00Z",  // accepted by the SMSC
                "\(id("H2")),16,2026-11-25T20:00:00Z",  // once only
                "\(id("H3")),2,2026-11-25T20:00:00Z",
                "\(id("H3")),2,2027-01-05T20:00:00Z",  // 41 days apart: still usable
                "R20261125-ffffffffffffffff,16,2026-11-25T20:00:00Z",
                "\(id("S1")), 16 ,2026-11-26",  // spaces around the status, a bare date
                "\(id("S1")),16,2026-11-27",
            ].joined(separator: "\r\n") + "\r\n"
        let path = w.root + "/dlr.csv"
        try Self.write(log, path)
        let first = try FeedbackReader(options: w.feedbackOptions(smsDLR: [path])).run()
        #expect(
            first.items.map(\.outcome) == [
                "undelivered", "undelivered", "ignored", "ignored", "undelivered", "undelivered", "undelivered",
                "unmatched", "undelivered", "undelivered",
            ])
        #expect(
            first.items.map(\.marked) == [nil, "undelivered_sms", nil, nil, nil, nil, nil, nil, nil, "undelivered_sms"])
        let marks = try Self.marks(w)
        #expect(Set(marks.keys) == ["H1|phone", "S1|phone"])
        for c in ["H1", "S1"] {
            // The phone sms.csv says the message went to, as E.164.
            #expect(marks[c + "|phone"]?.valueHash == Hashing.sha256Hex("phone\u{0}" + byCustomer[c]!["phone"]!))
            #expect(marks[c + "|phone"]?.issue == .undeliveredSMS)
        }
        #expect(marks["H1|phone"]?.markedBy?.day == Day(iso: "2026-12-10"))
        #expect(marks["S1|phone"]?.markedBy?.day == Day(iso: "2026-11-27"))

        // The same log again, and with its header: the header changes nothing, nothing is new.
        let headed = w.root + "/dlr-headed.csv"
        try Self.write("message_id,status,at\n" + log.replacingOccurrences(of: "\r\n", with: "\n"), headed)
        let again = try FeedbackReader(options: w.feedbackOptions(smsDLR: [path, headed])).run()
        #expect(again.items.count == 20)
        #expect(again.items.allSatisfy { $0.outcome == "already_read" }, "\(again.items.map(\.outcome))")
        #expect(try Self.marks(w) == marks)
    }

    // MARK: - Returned letters

    @Test func returnedLettersInEitherSpreadsheetFormMarkTheAddressTheLetterWentTo() throws {
        // K1 has no e-mail: on 11-26 its overdue_d3 step goes by letter.
        let (w, id) = try DeliveryFixtures.letterWorkspace()

        // A spreadsheet export: BOM, `;`, the day in a `date` column, a message id with spaces.
        let sheet = w.root + "/devolvidas.csv"
        try Self.write("\u{FEFF}Message_ID;Reason;Date\r\n  \(id) ;mudou-se;2026-11-30\r\n", sheet)
        let first = try FeedbackReader(options: w.feedbackOptions(returned: [sheet])).run()
        #expect(first.items.map(\.outcome) == ["returned"])
        #expect(first.items.first?.marked == "returned_letter" && first.items.first?.customerID == "K1")
        #expect(first.effectiveFrom == "2026-11-27")
        let mark = try #require(try Self.marks(w)["K1|address"])
        // K1 is the fourth customer of the fixture: Rua das Flores, 13, Centro, São Paulo, SP.
        let parts = ["RUA DAS FLORES", "13", "", "CENTRO", "SÃO PAULO", "SP", "01001000"]
        #expect(mark.valueHash == Hashing.sha256Hex("address\u{0}" + parts.joined(separator: "\u{0}")))
        #expect(mark.since == Day(iso: "2026-11-27"))
        #expect(mark.markedBy == ContactEvent(kind: .returned, day: Day(iso: "2026-11-30")!))

        // The mail house's plain form without a header (message_id,reason) names the same letter:
        // the same report, read already; an unknown id is unmatched.
        let plain = w.root + "/devolvidas-2.csv"
        try Self.write("\(id),endereço insuficiente\nR20261126-0123456789abcdef,desconhecido\n", plain)
        let second = try FeedbackReader(options: w.feedbackOptions(returned: [plain])).run()
        #expect(second.items.map(\.outcome) == ["already_read", "unmatched"])
        #expect(second.marked == 0)
        #expect(try Self.marks(w).count == 1)
    }

    // MARK: - WhatsApp statuses

    @Test func whatsappStatusesInEveryShapeMarkTheFailedNumberOnce() throws {
        let w = try WhatsAppNightTests.workspace()
        let night = try w.run("2026-11-23")
        let folder = try #require(night.folder)
        let lines = try String(contentsOfFile: folder + "/whatsapp.jsonl", encoding: .utf8).split(separator: "\n")
        let objects = try lines.map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let ids = Dictionary(
            uniqueKeysWithValues: objects.map { ($0["customer_id"] as! String, $0["message_id"] as! String) })
        #expect(Set(ids.keys) == ["W1", "W6"])
        let ts = 1_795_000_000  // seconds since 1970: the day is their quotient by 86 400
        let expectedDay = Day(ordinal: Int32(ts / 86_400))
        let status = [
            // A bare status: delivered, says nothing against the number.
            #"{"id":"wamid.A","status":"delivered","timestamp":"\#(ts)","biz_opaque_callback_data":"\#(ids["W1"]!)"}"#,
            "",
            "   ",
            "not json at all",
            // A Cloud API webhook: entry[].changes[].value.statuses[], upper-case status.
            #"{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"statuses":[{"id":"wamid.B","#
                + #""status":"FAILED","timestamp":\#(ts),"biz_opaque_callback_data":"\#(ids["W6"]!)"}]}}]}]}"#,
            // A list of statuses: read for W1, failed for a message that is not ours.
            #"{"statuses":[{"id":"wamid.C","status":"read","biz_opaque_callback_data":"\#(ids["W1"]!)"},"#
                + #"{"id":"wamid.D","status":"failed","biz_opaque_callback_data":"R20261123-ffffffffffffffff"}]}"#,
        ].joined(separator: "\n")
        let path = w.root + "/whatsapp-status.jsonl"
        try Self.write(status, path)
        let options = w.feedbackOptions(whatsapp: [path])
        let first = try FeedbackReader(options: options).run()
        #expect(first.items.map(\.outcome) == ["ignored", "failed", "ignored", "unmatched"])
        #expect(first.items.map(\.customerID) == ["W1", "W6", "W1", nil])
        #expect(first.marked == 1)
        let marks = try Self.marks(w)
        #expect(Set(marks.keys) == ["W6|whatsapp"])
        #expect(marks["W6|whatsapp"]?.valueHash == Hashing.sha256Hex("phone\u{0}+5531988887777"))
        #expect(marks["W6|whatsapp"]?.issue == .undeliveredWhatsApp)
        #expect(marks["W6|whatsapp"]?.markedBy?.day == expectedDay)
        #expect(marks["W6|whatsapp"]?.since == Day(iso: "2026-11-24"))

        let again = try FeedbackReader(options: options).run()
        #expect(again.items.map(\.outcome) == Array(repeating: "already_read", count: 4))
        #expect(try Self.marks(w) == marks)
    }

    // MARK: - Guards

    @Test func withoutALedgerFeedbackRefusesAndWritesNothing() throws {
        let w = try Workspace()
        let path = w.root + "/dlr.csv"
        try Self.write("R1,16,2026-11-25\n", path)
        do {
            _ = try FeedbackReader(options: w.feedbackOptions(smsDLR: [path])).run()
            Issue.record("feedback ran without a ledger")
        } catch let e as ReguaError {
            #expect(e.message.contains("no ledger at") && e.message.contains(w.root + "/var/regua.sqlite"))
        }
        #expect(!FileManager.default.fileExists(atPath: w.root + "/var/regua.sqlite"))
    }
}
