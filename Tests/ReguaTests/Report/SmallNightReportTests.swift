import Foundation
import Testing

@testable import Regua

/// A small night of the shipped rule book worked out by hand from SPEC §3 (one title per
/// situation: a reminder, an SMS on the due date, a fallback letter, a title below min_amount,
/// a hold, an opt-out, a missing phone, two titles grouped in one SMS, the 30-day letter, a
/// protest whose letter never went, a key account, promised, disputed, paid and cancelled
/// titles, a rejected customer), then `summary.json` and `report.html` read back: counts per
/// channel and step, holds by reason, totals to the cent with fees computed here, the page read
/// by Python's HTML parser, every pt-BR label, and no whole CPF or CNPJ anywhere.
@Suite(.enabled(if: ExternalTool.python3 != nil))
struct SmallNightReportTests {
    typealias G = GeneratedFiles
    static let night = "2026-12-10"  // a Thursday; no holiday from 2026-10-26 on but 11-02, 11-15, 11-20

    /// A valid CPF from nine digits, by the reference of GeneratedFiles.
    static func cpf(_ nine: String) -> String {
        var d = nine.compactMap(\.wholeNumberValue)
        d.append(G.cpfCheckDigit(d))
        d.append(G.cpfCheckDigit(d))
        return d.map(String.init).joined()
    }

    struct Plan {
        var title: String
        var customer: String
        var due: String
        var amount: Int64
        var paid: Int64 = 0
        var status = ""
        var promise = ""
        var nosso = ""
        /// Days overdue by the effective due date (worked out by hand).
        var days: Int
        /// The step that goes out for it tonight, and on what; nil: nothing goes.
        var sent: (step: String, channel: String)? = nil
    }

    static let address = "Rua das Flores,10,São Paulo,SP,01310-100"
    static let noAddress = ",,,,"
    /// id, name, document, e-mail, phone, address, segment, tags, opt_out, hold
    static let customers: [(String, String, String, String, String, String, String, String, String, String)] =
        [
            (
                "C01", "Ana Lembrete", cpf("123456789"), "ana@exemplo.com.br", "(11) 98765-0001", address, "B2C", "",
                "", ""
            ),
            ("C02", "Bruno Semfone", cpf("234567891"), "bruno@exemplo.com.br", "", noAddress, "B2C", "", "", ""),
            ("C03", "Carla Sms", cpf("345678912"), "", "(11) 98765-0003", noAddress, "B2C", "", "", ""),
            ("C04", "Davi Carta", cpf("456789123"), "", "", address, "B2C", "", "", ""),
            ("C05", "Elisa Pouco", cpf("567891234"), "elisa@exemplo.com.br", "", noAddress, "B2C", "", "", ""),
            (
                "C06", "Fábio Bloqueio", cpf("678912345"), "fabio@exemplo.com.br", "(11) 98765-0006", address, "B2C",
                "", "", "litigation"
            ),
            ("C07", "Gisele Recusa", cpf("789123456"), "", "(11) 98765-0007", noAddress, "B2C", "", "sms", ""),
            (
                "C09", "Igor Dois", cpf("912345678"), "igor@exemplo.com.br", "(11) 98765-0009", noAddress, "B2C", "",
                "", ""
            ),
            ("C11", "Karina Trinta", cpf("135792468"), "karina@exemplo.com.br", "", address, "B2C", "", "", ""),
            ("C12", "Lucas Protesto", cpf("246813579"), "lucas@exemplo.com.br", "", address, "B2C", "", "", ""),
            (
                "C13", "Empresa Grande Ltda", "11222333000181", "fin@grande.com.br", "(11) 4000-1313", address, "B2B",
                "key-account", "", ""
            ),
            ("C14", "Nina Futuro", cpf("975318642"), "nina@exemplo.com.br", "", noAddress, "B2C", "", "", ""),
            ("C15", "Otávio Promessa", cpf("864297531"), "otavio@exemplo.com.br", "", noAddress, "B2C", "", "", ""),
            ("C16", "Paula Disputa", cpf("192837465"), "paula@exemplo.com.br", "", noAddress, "B2C", "", "", ""),
        ]
        + (20..<30).map { i in
            (
                "C\(i)", "Cliente Quitado \(i)", cpf("3141592\(i)"), "c\(i)@exemplo.com.br", "", noAddress, "B2C", "",
                "", ""
            )
        }
    /// A customer whose CPF is wrong in its last digit: refused, and so is its title.
    static let badDocument: String = {
        var c = cpf("111222333")
        let last = c.removeLast().wholeNumberValue!
        return c + String((last + 1) % 10)
    }()

    static let plan: [Plan] =
        [
            Plan(
                title: "T01", customer: "C01", due: "2026-12-15", amount: 123_456, days: -5,
                sent: ("reminder_d-5", "email")),
            Plan(title: "T02", customer: "C02", due: "2026-12-10", amount: 8_000, days: 0),
            Plan(title: "T03", customer: "C03", due: "2026-12-10", amount: 25_000, days: 0, sent: ("due_today", "sms")),
            // Due on a Saturday: effective Monday 12-07, 3 days late; due_today and overdue_d3 both
            // due, overdue_d3 wins (due_today superseded) and goes by letter (no e-mail).
            Plan(
                title: "T04", customer: "C04", due: "2026-12-05", amount: 50_000, paid: 10_000, status: "open", days: 3,
                sent: ("overdue_d3", "letter")),
            Plan(title: "T05", customer: "C05", due: "2026-12-04", amount: 750, days: 6),
            Plan(title: "T06", customer: "C06", due: "2026-12-10", amount: 30_000, days: 0),
            Plan(title: "T07", customer: "C07", due: "2026-12-10", amount: 12_000, days: 0),
            Plan(
                title: "T09A", customer: "C09", due: "2026-11-30", amount: 30_000, days: 10,
                sent: ("overdue_d10", "sms")),
            Plan(
                title: "T09B", customer: "C09", due: "2026-12-10", amount: 20_000, days: 0, sent: ("due_today", "sms")),
            Plan(
                title: "T11", customer: "C11", due: "2026-11-10", amount: 100_000, days: 30,
                sent: ("letter_d30", "letter")),
            Plan(title: "T12", customer: "C12", due: "2026-10-26", amount: 200_000, nosso: "12345", days: 45),
            Plan(title: "T13", customer: "C13", due: "2026-11-30", amount: 65_000, days: 10),
            Plan(title: "T14", customer: "C14", due: "2027-01-20", amount: 9_000, days: -41),
            Plan(
                title: "T15", customer: "C15", due: "2026-12-07", amount: 15_000, status: "promised",
                promise: "2026-12-15", days: 3),
            Plan(title: "T16", customer: "C16", due: "2026-12-10", amount: 6_000, status: "disputed", days: 0),
            Plan(
                title: "T17", customer: "C16", due: "2026-11-05", amount: 10_000, paid: 10_000, status: "paid", days: 35
            ),
            Plan(title: "T18", customer: "C16", due: "2026-12-10", amount: 4_000, status: "cancelled", days: 0),
        ]
        + (20..<30).map { i in
            Plan(
                title: "T\(i)", customer: "C\(i)", due: "2026-11-05", amount: 5_000, paid: 5_000, status: "paid",
                days: 35)
        }

    /// Late fee 2% once, interest 1% a month pro rata die, each half-up to the cent (SPEC §3,
    /// the shipped policy).
    static func updated(_ p: Plan) -> Int64 {
        let o = p.amount - p.paid
        guard p.days > 0 else { return o }
        func halfUp(_ n: Int64, _ d: Int64) -> Int64 { (2 * n + d) / (2 * d) }
        return o + halfUp(o * 2, 100) + halfUp(o * 1 * Int64(p.days), 100 * 30)
    }

    /// `R$ 1.234,56`, written here.
    static func brl(_ cents: Int64) -> String {
        let whole = String(cents / 100)
        var grouped = ""
        for (i, ch) in whole.enumerated() {
            if i > 0 && (whole.count - i) % 3 == 0 { grouped.append(".") }
            grouped.append(ch)
        }
        return "R$ " + grouped + "," + (cents % 100 < 10 ? "0" : "") + String(cents % 100)
    }

    static func setUp() throws -> (Workspace, NightResult) {
        let w = try Workspace()
        let policy = try String(contentsOfFile: w.root + "/rules/00-empresa.yaml", encoding: .utf8)
        precondition(policy.contains("late_fee_percent: 2.0") && policy.contains("interest_percent_month: 1.0"))
        precondition(policy.contains("min_amount: 10.00"))
        var c = [
            "customer_id,name,document,email,phone,address_street,address_number,address_city,address_state,address_zip,segment,tags,opt_out,hold"
        ]
        for x in customers {
            c.append([x.0, x.1, x.2, x.3, x.4, x.5, x.6, x.7, x.8, x.9].joined(separator: ","))
        }
        c.append("C99,Rita Errada,\(badDocument),rita@exemplo.com.br,,,,,,,B2C,,,")
        var r = ["title_id,customer_id,due_date,amount,status,paid_amount,promise_date,nosso_numero"]
        func money(_ c: Int64) -> String { String(c / 100) + "." + (c % 100 < 10 ? "0" : "") + String(c % 100) }
        for p in plan {
            r.append(
                [
                    p.title, p.customer, p.due, money(p.amount), p.status, p.paid > 0 ? money(p.paid) : "", p.promise,
                    p.nosso,
                ]
                .joined(separator: ","))
        }
        r.append("T99,C99,2026-12-01,500.00,,,,")
        try (c.joined(separator: "\r\n") + "\r\n").write(
            toFile: w.root + "/fixtures/customers.csv", atomically: true, encoding: .utf8)
        try (r.joined(separator: "\r\n") + "\r\n").write(
            toFile: w.root + "/fixtures/receivables.csv", atomically: true, encoding: .utf8)
        return (w, try w.run(night))
    }

    /// The page as Python's html.parser reads it: tag-stack errors, and per section id its
    /// visible text and the cells of its table rows.
    static func read(_ html: String) throws -> (errors: [String], text: [String: String], rows: [String: [[String]]]) {
        let path = try ExternalTool.temporaryFile(Array(html.utf8), suffix: ".html")
        let run = try ExternalTool.run(
            ExternalTool.python3!,
            [
                "-c",
                """
                import json, sys
                from html.parser import HTMLParser
                VOID = {"meta", "br", "hr", "img", "input", "link"}
                class P(HTMLParser):
                    def __init__(self):
                        super().__init__(convert_charrefs=True)
                        self.stack, self.errors = [], []
                        self.section, self.text, self.rows, self.row, self.cell = None, {}, {}, None, None
                    def handle_starttag(self, tag, attrs):
                        if tag not in VOID: self.stack.append(tag)
                        if tag == "section": self.section = dict(attrs).get("id")
                        if tag == "tr": self.row = []
                        if tag in ("td", "th"): self.cell = ""
                    def handle_startendtag(self, tag, attrs): pass
                    def handle_endtag(self, tag):
                        if not self.stack or self.stack[-1] != tag:
                            self.errors.append("unexpected </%s> at %s" % (tag, self.getpos()))
                        else:
                            self.stack.pop()
                        if tag in ("td", "th") and self.row is not None:
                            self.row.append(" ".join(self.cell.split())); self.cell = None
                        if tag == "tr" and self.row is not None and self.section:
                            self.rows.setdefault(self.section, []).append(self.row); self.row = None
                        if tag == "section": self.section = None
                    def handle_data(self, data):
                        if self.stack and self.stack[-1] in ("style", "title"): return
                        if self.cell is not None: self.cell += data
                        key = self.section or "_"
                        self.text[key] = self.text.get(key, "") + " " + data
                p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read()); p.close()
                if p.stack: p.errors.append("unclosed %s" % p.stack)
                text = {k: " ".join(v.split()) for k, v in p.text.items()}
                print(json.dumps({"errors": p.errors, "text": text, "rows": p.rows}))
                """, path,
            ])
        try #require(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        return (
            json["errors"] as? [String] ?? ["no errors list"], json["text"] as? [String: String] ?? [:],
            json["rows"] as? [String: [[String]]] ?? [:]
        )
    }

    @Test func theSummaryIsTheNightWorkedOutByHand() throws {
        let (_, result) = try Self.setUp()
        let s = try #require(result.summary)
        #expect(result.exitCode == 1)
        let open = Self.plan.filter { !["paid", "cancelled"].contains($0.status) && $0.amount > $0.paid }
        let sent = Self.plan.filter { $0.sent != nil }
        // Messages: one per customer and channel.
        let messages = Set(sent.map { "\($0.customer)/\($0.sent!.channel)" })
        #expect(s.messages.total == messages.count)
        #expect(s.messages.email == messages.filter { $0.hasSuffix("/email") }.count)
        #expect(s.messages.sms == messages.filter { $0.hasSuffix("/sms") }.count)
        #expect(s.messages.letter == messages.filter { $0.hasSuffix("/letter") }.count)
        #expect(s.messages.call == 0 && s.messages.whatsapp == nil)
        #expect(s.messages.outstanding == Money(cents: sent.reduce(0) { $0 + $1.amount - $1.paid }).plain)
        #expect(s.messages.updatedAmount == Money(cents: sent.reduce(0) { $0 + Self.updated($1) }).plain)
        // Per step: the titles sent and on which channel.
        for step in s.steps {
            let mine = sent.filter { $0.sent!.step == step.step }
            #expect(step.titlesSent == mine.count, "\(step.step)")
            #expect(step.outstanding == Money(cents: mine.reduce(0) { $0 + $1.amount - $1.paid }).plain, "\(step.step)")
            let channels = Dictionary(grouping: mine, by: { $0.sent!.channel }).mapValues(\.count)
            #expect(step.byChannel.filter { $0.value > 0 } == channels, "\(step.step)")
        }
        let line = Dictionary(uniqueKeysWithValues: s.steps.map { ($0.step, $0) })
        #expect(line["due_today"]?.superseded == 1)  // T04's
        #expect(line["due_today"]?.held == 3)  // T02 no phone, T06 hold, T07 opt-out
        #expect(line["overdue_d3"]?.held == 1)  // T05 below min_amount
        #expect(line["protest_d45"]?.held == 1)  // T12, its letter never went
        #expect(line["due_today"]?.messagesSpoken == 1 && line["overdue_d10"]?.messagesSpoken == 1)
        let held = Dictionary(uniqueKeysWithValues: s.heldBack.map { ($0.reason, $0.titles) })
        #expect(
            held == [
                "no_contact": 1, "customer_hold": 1, "opt_out": 1, "below_min_amount": 1, "requirement_not_met": 1,
            ])
        // The portfolio and its aging, from the plan.
        #expect(s.portfolio.receivableTitles == open.count)
        #expect(s.portfolio.receivable == Money(cents: open.reduce(0) { $0 + $1.amount - $1.paid }).plain)
        let overdue = open.filter { $0.days > 0 }
        #expect(s.portfolio.overdueTitles == overdue.count)
        #expect(s.portfolio.overdue == Money(cents: overdue.reduce(0) { $0 + $1.amount - $1.paid }).plain)
        #expect(s.portfolio.inDunningTitles == sent.count)
        #expect(s.portfolio.inDunning == s.messages.outstanding)
        let buckets: [(String, ClosedRange<Int>)] = [
            ("not_due", -10_000...0), ("1-15", 1...15), ("16-30", 16...30), ("31-60", 31...60), ("61-90", 61...90),
            ("91-180", 91...180), ("180+", 181...100_000),
        ]
        #expect(s.aging.map(\.bucket) == buckets.map(\.0))
        for (a, b) in zip(s.aging, buckets) {
            let inside = open.filter { b.1.contains($0.days) }
            #expect(a.titles == inside.count, "\(a.bucket)")
            #expect(a.outstanding == Money(cents: inside.reduce(0) { $0 + $1.amount - $1.paid }).plain, "\(a.bucket)")
        }
        #expect(s.inputs.customers == Self.customers.count)
        #expect(s.inputs.titles == Self.plan.count)
        #expect(s.inputs.rejectedRows == 2)
        #expect(Set(s.rejects.map { "\($0.file):\($0.rows)" }) == ["customers.csv:1", "receivables.csv:1"])
    }

    @Test func theReportShowsThoseNumbersInPortugueseOnAWellFormedPage() throws {
        let (w, result) = try Self.setUp()
        defer { withExtendedLifetime(w) {} }
        let folder = try #require(result.folder)
        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        let s = try #require(result.summary)
        let page = try Self.read(html)
        #expect(page.errors.isEmpty, "\(page.errors)")
        let sent = Self.plan.filter { $0.sent != nil }
        let outstanding = sent.reduce(0) { $0 + $1.amount - $1.paid }
        let updated = sent.reduce(0) { $0 + Self.updated($1) }
        let funnel = try #require(page.text["funil"])
        #expect(
            funnel.contains(Self.brl(outstanding) + " em aberto · " + Self.brl(updated) + " atualizado"), "\(funnel)")
        // The step table: one row per step of the book, its numbers those of the plan.
        let rows = try #require(page.rows["funil"])
        #expect(rows.first?.first == "Etapa")
        for step in s.steps {
            let row = try #require(rows.first { $0.first == step.step }, "no row for \(step.step)")
            let mine = sent.filter { $0.sent!.step == step.step }
            let by = { (c: String) in String(mine.filter { $0.sent!.channel == c }.count) }
            #expect(row.count == 11, "\(row)")
            #expect(Array(row[3...6]) == [String(mine.count), by("email"), by("sms"), by("letter")], "\(row)")
            #expect(row[10] == Self.brl(mine.reduce(0) { $0 + $1.amount - $1.paid }), "\(row)")
            #expect(row[1] == (step.offset == 0 ? "D0" : step.offset < 0 ? "D\(step.offset)" : "D+\(step.offset)"))
        }
        // Holds by reason, named in Portuguese.
        let heldRows = try #require(page.rows["retidas"]).dropFirst()
        let heldByLabel = Dictionary(uniqueKeysWithValues: heldRows.map { ($0[0], $0[1]) })
        #expect(
            heldByLabel == [
                "Sem contato para o canal": "1", "Cliente com bloqueio (hold)": "1", "Canal recusado pelo cliente": "1",
                "Abaixo do valor mínimo": "1", "Degrau exigido ainda não enviado (requires)": "1",
            ], "\(heldByLabel)")
        // Aging: the buckets' labels, counts, amounts and shares (half-up, one decimal).
        let agingRows = Array(try #require(page.rows["aging"]).dropFirst())
        #expect(
            agingRows.map(\.first) == [
                "A vencer", "1–15 dias", "16–30 dias", "31–60 dias", "61–90 dias", "91–180 dias", "Mais de 180 dias",
            ])
        let total = s.aging.reduce(Int64(0)) { $0 + Money(decimal: $1.outstanding)!.cents }
        for (row, a) in zip(agingRows, s.aging) {
            let cents = Money(decimal: a.outstanding)!.cents
            let tenths = (2 * cents * 1000 + total) / (2 * total)
            #expect(
                Array(row[1...]) == [String(a.titles), Self.brl(cents), "\(tenths / 10),\(tenths % 10)%"], "\(row)")
        }
        let carteira = try #require(page.text["carteira"])
        let receivable = Money(decimal: s.portfolio.receivable)!.cents
        let overdue = Money(decimal: s.portfolio.overdue)!.cents
        let overdueShare = (2 * overdue * 1000 + receivable) / (2 * receivable)
        #expect(
            carteira.contains("A receber " + Self.brl(receivable) + " \(s.portfolio.receivableTitles) títulos"),
            "\(carteira)")
        #expect(
            carteira.contains(
                "Vencidos " + Self.brl(overdue)
                    + " \(s.portfolio.overdueTitles) títulos · \(overdueShare / 10),\(overdueShare % 10)% da carteira"),
            "\(carteira)")
        #expect(
            carteira.contains(
                "Entradas: \(Self.customers.count) clientes, \(Self.plan.count) títulos, 2 linhas rejeitadas."))
        #expect(page.text["banco"]?.contains("Nenhuma instrução ao banco nesta noite.") == true)
        #expect(page.text["rejeitadas"]?.contains("C99") == true)
        // Every heading in pt-BR; no raw key reaches the visible text.
        let visible = page.text.values.joined(separator: " ")
        let labelled = ["carteira", "aging", "funil", "retidas", "banco"].compactMap { page.text[$0] }.joined(
            separator: " ")
        for title in [
            "Carteira", "Aging", "Funil da noite", "Retidas por motivo", "Linhas rejeitadas", "Instruções ao banco",
            "Retornos do banco", "Perfis",
        ] {
            #expect(visible.contains(title), "missing \(title)")
        }
        for key in HoldReason.allCases.map(\.rawValue) + ["not_due", "remittance:"] {
            #expect(!labelled.contains(key), "raw key \(key) shown")
        }
        #expect(visible.contains("Noite de 10/12/2026"))
    }

    /// No whole document (plain or punctuated) in report.html, summary.json, worklist.csv or
    /// rejects.csv: not the accepted customers', not the refused one's.
    @Test func noWholeDocumentIsPrintedForTheFinanceTeam() throws {
        let (w, result) = try Self.setUp()
        defer { withExtendedLifetime(w) {} }
        let folder = try #require(result.folder)
        let documents = Self.customers.map(\.2) + [Self.badDocument]
        // Every run of document characters, punctuation dropped, windows of 11 and 14.
        func scan(_ text: String) -> [String] {
            var found: [String] = []
            let runs = text.split(whereSeparator: {
                !($0.isASCII && ($0.isLetter || $0.isNumber || ".-/".contains($0)))
            })
            for run in runs {
                let bare = Array(G.bare(String(run)).uppercased())
                for n in [11, 14] where bare.count >= n {
                    for i in 0...(bare.count - n) where documents.contains(String(bare[i..<(i + n)])) {
                        found.append(String(bare[i..<(i + n)]))
                    }
                }
            }
            return found
        }
        // The scan finds every document where they are: the input.
        let input = try String(contentsOfFile: w.root + "/fixtures/customers.csv", encoding: .utf8)
        #expect(Set(scan(input)) == Set(documents))
        for file in ["report.html", "summary.json", "worklist.csv", "rejects.csv"] {
            let found = scan(try String(contentsOfFile: folder + "/" + file, encoding: .utf8))
            #expect(found.isEmpty, "\(file) prints \(found)")
        }
        // The names are there, so the scan looked at the right pages.
        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        #expect(html.contains("Rita Errada") && html.contains("Bruno Semfone"))
    }
}
