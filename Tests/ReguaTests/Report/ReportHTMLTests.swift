import Foundation
import Testing
@testable import Regua

@Suite("report.html")
struct ReportHTMLTests {
    @Test("has every section the finance team reads, in pt-BR")
    func sections() {
        let html = ReportSample.html()
        for title in [
            "Carteira", "Vencidos", "Em cobrança", "Aging", "Funil da noite", "Retidas por motivo",
            "Linhas rejeitadas", "Instruções ao banco", "Eficácia das etapas",
        ] {
            #expect(html.contains(title), "missing \(title)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"pt-BR\">"))
        #expect(html.contains("Noite de 23/11/2026"))
        #expect(html.contains("Exemplo Comércio Ltda"))
    }

    @Test("every hold reason and channel is named in pt-BR, not by its raw key")
    func everyLabelTranslated() {
        var seen: Set<String> = []
        for r in HoldReason.allCases {
            let label = ReportHTML.holdLabel(r.rawValue)
            #expect(label != r.rawValue && label.first?.isUppercase == true, "\(r.rawValue) is shown as \(label)")
            #expect(seen.insert(label).inserted, "two reasons share the label \(label)")
        }
        for c in Channel.allCases {
            #expect(ReportHTML.channelLabel(c.rawValue) != c.rawValue || c == .sms, "\(c.rawValue) untranslated")
        }
        #expect(ReportHTML.channelLabel("call") == "Ligação")
        #expect(ReportHTML.kindLabel("remittance:stop_protest") == "Banco: sustação de protesto")
        #expect(ReportHTML.holdLabel("something_new") == "something_new")
    }

    @Test("aging buckets are labelled in pt-BR and charted in SVG")
    func aging() {
        let html = ReportSample.html()
        for label in [
            "A vencer", "1–15 dias", "16–30 dias", "31–60 dias", "61–90 dias", "91–180 dias",
            "Mais de 180 dias",
        ] {
            #expect(html.contains(">" + label + "<"), "missing \(label)")
        }
        // The biggest bucket (not_due, R$ 5.470.000,00) fills the bar area (430 px); 1–15
        // (R$ 1.234.567,89) gets 1234567.89 / 5470000.00 × 430 = 97.05 → 97 px.
        #expect(html.contains("<rect class=\"age0\" x=\"180\" y=\"11\" width=\"430\" height=\"20\"/>"))
        #expect(html.contains("class=\"age1\" x=\"180\" y=\"41\" width=\"97\""))
        #expect(html.contains("R$ 1.234.567,89 · 1.902 títulos"))
    }

    @Test("numbers, amounts, percentages and dates are written the Brazilian way")
    func ptBRNumbers() {
        let html = ReportSample.html()
        #expect(html.contains("R$ 10.000.000,00"))  // receivable
        #expect(html.contains("12.345 títulos"))
        #expect(html.contains("45,3% da carteira"))  // 4.530.000 / 10.000.000
        #expect(html.contains("R$ 4.123.300,17"))  // recovered by reminder_d-5: 412.330.017 cents
        #expect(html.contains("51,0%"))  // reminder_d-5 in 7 days: 2611 / 5120 = 0.50996
        #expect(html.contains("68,6%"))  // reminder_d-5 in 30 days: 3511 / 5120 = 0.68574
        #expect(html.contains("09/10/2026"))
        #expect(html.contains("Liquidações: 57 · R$ 84.213,09"))
        #expect(!html.contains("1234567.89"))  // no machine decimal leaks through
    }

    @Test(
        "count, percent and offset formats",
        arguments: [
            (0, "0"), (7, "7"), (999, "999"), (1_000, "1.000"), (12_345, "12.345"), (1_234_567, "1.234.567"),
            (-4_500, "-4.500"),
        ])
    func countFormat(n: Int, text: String) {
        #expect(ReportHTML.count(n) == text)
    }

    @Test("percent rounds half-up to one decimal with a comma")
    func percentFormat() {
        #expect(ReportHTML.percent(453, of: 1_000) == "45,3%")
        #expect(ReportHTML.percent(1, of: 3) == "33,3%")
        #expect(ReportHTML.percent(2, of: 3) == "66,7%")
        #expect(ReportHTML.percent(1, of: 8) == "12,5%")  // 12.5 exactly: no rounding
        #expect(ReportHTML.percent(1, of: 16) == "6,3%")  // 6.25 → half-up
        #expect(ReportHTML.percent(5, of: 5) == "100,0%")
        #expect(ReportHTML.percent(0, of: 0) == "—")
        #expect(ReportHTML.offset(-5) == "D-5" && ReportHTML.offset(0) == "D0" && ReportHTML.offset(45) == "D+45")
    }

    @Test("self-contained: no URL, script, external style or image")
    func selfContained() {
        let html = ReportSample.html()
        #expect(!html.contains("http://"))
        #expect(!html.contains("https://"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("url("))
        #expect(!html.contains("@import"))
        #expect(!html.contains("<link"))
        #expect(html.contains("@media print"))
    }

    @Test("hostile values render as text, never as markup")
    func escapesHostileInput() {
        var s = ReportSample.summary()
        s.steps[0].step = "<svg onload=alert(1)>"
        s.profiles[0].profile = "\"><iframe>"
        s.aging[6].bucket = "<b>bucket</b>"
        s.rejects[0].file = "<img src=x onerror=alert(2)>.csv"
        s.returns.filesRead = ["../../<script>.RET"]
        let rejects = [
            Reject(
                file: "r.csv", line: 3, column: "<img src=x onerror=alert(3)>",
                reason: "valor \"<script>alert('x')</script>\" & mais\r\nSubject: x")
        ]
        let remittances = [
            RemittanceLine(
                titleID: "</td><script>alert(4)</script>", customerID: "C&1",
                instruction: "<protest>", dueDate: "<09/10/2026>", amount: Money(cents: 100))
        ]
        let html = ReportHTML.render(
            summary: s, rejects: rejects, remittances: remittances,
            effectiveness: [
                StepEffectiveness(
                    step: "<i>x</i>", offset: 1, titlesReached: 1,
                    paidWithin3: 0, paidWithin7: 0, paidWithin15: 0, paidWithin30: 0,
                    recovered: .zero)
            ],
            companyName: "<b>Ltda & Cia</b>")
        for markup in ["<script", "<img", "<iframe", "<svg onload", "<b>", "<i>", "<protest>"] {
            #expect(!html.contains(markup), "unescaped \(markup)")
        }
        #expect(
            html.contains("valor &quot;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot; &amp; mais  Subject: x"))
        #expect(html.contains("&lt;/td&gt;&lt;script&gt;alert(4)&lt;/script&gt;"))
        #expect(html.contains("&lt;b&gt;Ltda &amp; Cia&lt;/b&gt;"))
        #expect(html.contains("C&amp;1"))
        #expect(html.contains("&quot;&gt;&lt;iframe&gt;"))
    }

    @Test("a megabyte cell is cut, not copied")
    func longValues() {
        let huge = String(repeating: "A", count: 1_000_000)
        let html = ReportHTML.render(
            summary: ReportSample.summary(),
            rejects: [Reject(file: "r.csv", line: 2, column: "x", reason: huge)],
            remittances: [], effectiveness: nil, companyName: huge)
        #expect(html.utf8.count < 100_000)
        #expect(html.contains(String(repeating: "A", count: 300) + "…"))
    }

    @Test("the reject table stops at 1.000 rows and says how many are left")
    func rejectCap() {
        var s = ReportSample.summary()
        s.inputs.rejectedRows = 2_234
        let rejects = (1...2_234).map {
            Reject(file: "receivables.csv", line: $0 + 1, column: "amount", reason: "valor inválido")
        }
        let html = ReportHTML.render(
            summary: s, rejects: rejects, remittances: [], effectiveness: nil, companyName: "X")
        #expect(html.components(separatedBy: "<td class=\"wrap\">valor inválido</td>").count - 1 == 1_000)
        #expect(html.contains(">1001<"))  // line of the 1,000th row
        #expect(!html.contains(">1002<"))
        #expect(html.contains("e mais 1.234 linhas em rejects.csv"))
    }

    @Test("empty night: every section says so instead of drawing nothing")
    func emptyNight() {
        var s = ReportSample.summary()
        s.steps = []
        s.heldBack = []
        s.remittance = .init(files: [], instructions: [:], total: 0)
        s.returns = .init(filesRead: [], filesAlreadyRead: [], settlements: 0, settledAmount: "0.00", occurrences: [:])
        s.rejects = []
        s.inputs.rejectedRows = 0
        s.quietDay = true
        let html = ReportHTML.render(summary: s, rejects: [], remittances: [], effectiveness: [], companyName: "X")
        for text in [
            "Nenhuma etapa devida", "Nenhuma mensagem retida", "Nenhuma instrução ao banco",
            "Nenhum arquivo de retorno", "Nenhuma linha rejeitada", "Nenhuma etapa enviada no período",
            "Dia sem envio",
        ] {
            #expect(html.contains(text), "missing \(text)")
        }
        let noStats = ReportHTML.render(summary: s, rejects: [], remittances: [], effectiveness: nil, companyName: "X")
        #expect(!noStats.contains("Eficácia das etapas"))
    }

    @Test("the funnel stacks titles per channel, then held and superseded")
    func funnel() {
        let html = ReportSample.html()
        // overdue_d3: 214 by e-mail, 73 by letter (fallback), 21 held, 9 superseded.
        #expect(html.contains("287 enviados · 21 retidos · 9 substituídos"))
        // protest_d45 has no channel: its 14 titles are drawn as the bank's.
        let protestRow = html.components(separatedBy: "protest_d45 (D+45)</text>")[1].prefix(400)
        #expect(protestRow.contains("class=\"c-bank\""))
        #expect(html.contains("Banco: protesto"))
    }

    @Test("tags are balanced and python's HTML parser reads it cleanly")
    func wellFormed() throws {
        let html = ReportSample.html()
        for tag in ["svg", "table", "section", "tr", "td", "th", "p", "ul", "li", "div", "text"] {
            let open =
                html.components(separatedBy: "<" + tag + ">").count
                + html.components(separatedBy: "<" + tag + " ").count - 2
            let close = html.components(separatedBy: "</" + tag + ">").count - 1
            #expect(open == close, "<\(tag)> opened \(open), closed \(close)")
        }
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { return }
        // A strict tag-stack check: every non-void element closed in order.
        let script = """
            import sys
            from html.parser import HTMLParser
            VOID = {"meta", "br", "hr", "img", "input", "link", "rect", "line"}
            class P(HTMLParser):
                def __init__(self):
                    super().__init__(); self.stack = []; self.errors = []
                def handle_starttag(self, tag, attrs):
                    if tag not in VOID: self.stack.append(tag)
                def handle_startendtag(self, tag, attrs): pass
                def handle_endtag(self, tag):
                    if not self.stack or self.stack[-1] != tag:
                        self.errors.append("unexpected </%s> at %s, open %s" % (tag, self.getpos(), self.stack[-3:]))
                    else: self.stack.pop()
            p = P(); p.feed(sys.stdin.read()); p.close()
            if p.stack: p.errors.append("unclosed %s" % p.stack)
            print("\\n".join(p.errors[:5]) or "ok")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(html.utf8))
        try input.fileHandleForWriting.close()
        let result = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(result.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
        if let path = ProcessInfo.processInfo.environment["REGUA_REPORT_SAMPLE"] {
            // For a look in a real browser: REGUA_REPORT_SAMPLE=/tmp/report.html swift test --filter wellFormed
            try html.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    @Test("the same night renders the same bytes")
    func deterministic() {
        var s = ReportSample.summary()
        s.steps[2].byChannel = ["letter": 73, "email": 214, "zeta": 1, "alpha": 2]
        s.returns.occurrences = ["settlement": 57, "entryConfirmed": 31, "other": 2, "writtenOff": 1]
        let a = ReportHTML.render(
            summary: s, rejects: ReportSample.rejects, remittances: ReportSample.remittances,
            effectiveness: ReportSample.effectiveness, companyName: "X")
        // A decoded copy has its dictionaries rebuilt (another iteration order, same content).
        let copy = try! JSONDecoder().decode(Summary.self, from: JSONEncoder().encode(s))
        let b = ReportHTML.render(
            summary: copy, rejects: ReportSample.rejects, remittances: ReportSample.remittances,
            effectiveness: ReportSample.effectiveness, companyName: "X")
        #expect(a == b)
        // Occurrences listed in key order: entryConfirmed, other, settlement, writtenOff.
        #expect(
            a.contains(
                "Ocorrências: Entrada confirmada 31 · Outras ocorrências 2 · Liquidação 57 · Baixa sem pagamento 1"))
    }
}
