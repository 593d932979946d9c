import Foundation
import Testing

@testable import Regua

/// RFC 3464 reports written by Python's `email` package (nobody here wrote it) are read back:
/// the recipients with their action and status, the message id the report returns, its day.
/// The reports vary as MTAs write them: LF or CRLF, folded fields, several recipients,
/// `Original-Recipient` beside `Final-Recipient`, the returned message whole or headers only,
/// a VERP envelope or none, with or without `Arrival-Date`.
@Suite(.enabled(if: ExternalTool.python3 != nil))
struct DeliveryStatusReportTests {
    static let script = #"""
        import json, random, sys, os
        from email.message import Message
        from email.mime.multipart import MIMEMultipart
        from email.mime.text import MIMEText
        from email.mime.message import MIMEMessage
        from email.mime.base import MIMEBase
        from email.generator import BytesGenerator
        from email.utils import formatdate, parsedate_to_datetime
        from email import policy

        out, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        rng = random.Random(seed)
        cases = []
        for n in range(count):
            mid = "R2026%04d-%s" % (rng.randrange(10000), "".join(rng.choice("abcdef0123456789") for _ in range(4)))
            report = MIMEMultipart("report", report_type="delivery-status")
            report["From"] = "MAILER-DAEMON@mx.exemplo.com.br"
            verp = rng.random() < 0.6
            report["To"] = ("cobranca+%s@empresa.com.br" % mid) if verp else "cobranca@empresa.com.br"
            report["Subject"] = "Undelivered Mail Returned to Sender"
            date_ts = 1767225600 + rng.randrange(365 * 86400)
            arrival_ts = date_ts - rng.randrange(3 * 86400)
            report["Date"] = formatdate(date_ts)
            report.attach(MIMEText("Não foi possível entregar a mensagem.\n", "plain", "utf-8"))
            status = MIMEBase("message", "delivery-status")
            per = Message()
            per["Reporting-MTA"] = "dns; mx.exemplo.com.br"
            with_arrival = rng.random() < 0.5
            if with_arrival:
                per["Arrival-Date"] = formatdate(arrival_ts)
            blocks = [per]
            recipients = []
            for k in range(rng.randrange(1, 4)):
                b = Message()
                address = "cliente%d.%d@exemplo.com.br" % (n, k)
                action, code = rng.choice([("failed", "5.1.1"), ("failed", "4.2.2"), ("delayed", "4.4.1"),
                                           ("delivered", "2.0.0"), ("failed", "5.7.1")])
                original = rng.random() < 0.3
                if original:
                    b["Original-Recipient"] = "rfc822; " + address
                    b["Final-Recipient"] = "rfc822; outro%d@exemplo.com.br" % k
                else:
                    b["Final-Recipient"] = "rfc822;" + address
                if rng.random() < 0.5:
                    # A long diagnostic, folded by the generator, before the fields that matter.
                    b["Diagnostic-Code"] = "smtp; 550 " + " ".join(["mailbox unavailable"] * 8)
                b["Action"] = action
                b["Status"] = code + (" (unknown user)" if rng.random() < 0.3 else "")
                blocks.append(b)
                recipients.append({"address": address, "action": action, "status": code})
            status.set_payload(blocks)
            report.attach(status)
            original = Message()
            original["From"] = "cobranca@empresa.com.br"
            original["To"] = "cliente%d.0@exemplo.com.br" % n
            original["Message-ID"] = "<%s@regua.empresa.com.br>" % mid
            original["Subject"] = "Lembrete de vencimento"
            original.set_payload("Ola\n")
            if rng.random() < 0.5:
                report.attach(MIMEMessage(original))
            else:
                headers = MIMEText("".join("%s: %s\n" % kv for kv in original.items()), "rfc822-headers")
                report.attach(headers)
            crlf = rng.random() < 0.5
            path = os.path.join(out, "dsn%04d.eml" % n)
            with open(path, "wb") as f:
                BytesGenerator(f, policy=policy.SMTP if crlf else policy.compat32).flatten(report)
            day = formatdate(arrival_ts if with_arrival else date_ts)
            cases.append({"path": path, "id": mid, "verp": verp, "recipients": recipients,
                          "day": parsedate_to_datetime(day).strftime("%Y-%m-%d")})
        print(json.dumps(cases))
        """#

    struct Case: Decodable {
        var path: String
        var id: String
        var verp: Bool
        var recipients: [[String: String]]
        var day: String
    }

    @Test func reportsWrittenByPythonAreReadBack() throws {
        let dir = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("dsn.py").path
        try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
        let run = try ExternalTool.run(ExternalTool.python3!, [script, dir.path, "120", "17"])
        try #require(run.status == 0, "\(run.stderr)")
        let cases = try JSONDecoder().decode([Case].self, from: Data(run.stdout.utf8))
        #expect(cases.count == 120)
        for c in cases {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: c.path)))
            guard let report = DeliveryStatusReport.parse(bytes) else {
                Issue.record("not read as a report: \(c.path)")
                continue
            }
            let expected = c.recipients.map {
                DeliveryStatusReport.Recipient(address: $0["address"]!, action: $0["action"]!, status: $0["status"]!)
            }
            #expect(report.recipients == expected, "\(c.path)")
            // The VERP envelope names the message first; without it the returned Message-ID does.
            #expect(report.candidateIDs.first == c.id, "\(c.path): \(report.candidateIDs)")
            #expect(report.day == Day(iso: c.day), "\(c.path)")
            for r in report.recipients {
                let kind = DeliveryStatusReport.eventKind(r)
                switch (r.action, r.status.first) {
                case ("failed", "5"): #expect(kind == .hard)
                case ("failed", "4"): #expect(kind == .soft)
                default: #expect(kind == nil)
                }
            }
        }
    }

    /// A message that is not a delivery report (a reply, a plain bounce text, a report of
    /// another type) is no report.
    @Test func otherMessagesAreNoReport() {
        let reply = "From: a@b\r\nContent-Type: text/plain\r\n\r\nObrigado, já paguei.\r\n"
        #expect(DeliveryStatusReport.parse(Array(reply.utf8)) == nil)
        let disposition =
            "Content-Type: multipart/report; report-type=disposition-notification; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nlido\r\n--b\r\nContent-Type: message/disposition-notification\r\n\r\n"
            + "Disposition: manual-action/MDN-sent-manually; displayed\r\n--b--\r\n"
        #expect(DeliveryStatusReport.parse(Array(disposition.utf8)) == nil)
    }
}
