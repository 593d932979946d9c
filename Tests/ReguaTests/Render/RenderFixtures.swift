import Foundation
@testable import Regua

/// Shared builders for the Render tests: a message, a company, the shipped rule book.
enum RenderFixtures {
    static let asOf = Day(iso: "2026-11-23")!

    static let company = Company(
        name: "Exemplo Comércio Ltda", document: Document.parse("12.345.678/0001-95")!,
        email: "cobranca@exemplo.com.br", phone: "+55 11 4000-0000", pixKey: "cobranca@exemplo.com.br",
        city: "São Paulo", address: "Av. Paulista, 1000 - Bela Vista - 01310-100",
        paymentURL: try! PaymentURLTemplate(
            parsing: "https://pg.exemplo.com.br/{txid}?c={customer_id}"))

    static let policy = Policy(
        lateFeePercent: Percent(decimal: "2.0")!, interestPercentMonth: Percent(decimal: "1.0")!,
        minAmount: Money(cents: 1000), maxContactsPerWeek: 3, catchUpDays: 3, quietDays: [.sunday])

    static func customer(name: String = "Maria da Conceição Souza") -> Customer {
        Customer(
            id: CustomerID("C004"), name: name, document: Document.parse("123.456.789-09")!,
            email: "maria.souza@example.com", phone: "+5511987654321",
            address: PostalAddress(
                street: "Rua Augusta", number: "1500", complement: "Apto 12", district: "Consolação",
                city: "São Paulo", state: "SP", zip: "01304001"))
    }

    /// A title due on the 2026-11-20 holiday (effective 23) and one due 2026-11-20 paid in part, 3 days late.
    static func titles() -> [DunnedTitle] {
        let holiday = Title(
            id: TitleID("NF-10273"), customerID: CustomerID("C004"), dueDate: Day(iso: "2026-11-20")!,
            amount: Money(cents: 32_990), installment: "4/10")
        let late = Title(
            id: TitleID("NF-10294"), customerID: CustomerID("C004"), dueDate: Day(iso: "2026-11-20")!,
            amount: Money(cents: 150_000), paidAmount: Money(cents: 26_544), nossoNumero: "0000000042",
            barcode: "00192376900000135000000001238798777770016818",
            linhaDigitavel: "00190000090123879877977700168188237690000013500")
        return [
            DunnedTitle(
                title: holiday, effectiveDueDate: Day(iso: "2026-11-23")!, daysOverdue: 0,
                outstanding: holiday.outstanding, lateFee: .zero, interest: .zero),
            // 1.234,56 outstanding, 3 days late: multa 2% = 24,69; juros 1%/30 × 3 = 1,23.
            DunnedTitle(
                title: late, effectiveDueDate: Day(iso: "2026-11-20")!, daysOverdue: 3,
                outstanding: late.outstanding, lateFee: Money(cents: 2_469), interest: Money(cents: 123)),
        ]
    }

    static func message(customer: Customer = customer(), channel: Channel = .email, pix: Bool = true) -> PlannedMessage
    {
        let step = Step(
            id: "overdue_d3", offset: 3, action: .message(channel: .email, template: "atraso", fallback: .letter),
            index: 2)
        let t = titles()
        return PlannedMessage(
            id: "R20261123-00000000000000aa", customer: customer, profile: "chronic", channel: channel, step: step,
            template: "atraso", titles: t, titleSteps: ["due_today", "overdue_d3"],
            pixCode: pix
                ? "00020126360014br.gov.bcb.pix0114123456780001955204000053039865406150.005802BR5918EMPRESA TESTE LTDA6009SAO PAULO62150511FAT2025000163045D28"
                : nil,
            pixTxid: pix ? "FAT20250001" : nil)
    }

    /// ``message()`` with a settlement offer: 10% off the principal, the fee waived, half the
    /// interest, six installments at 1.99% a month of at least R$ 200,00.
    static func offerMessage() -> PlannedMessage {
        var m = message()
        let terms = OfferTerms(
            discountPercent: Percent(decimal: "10")!, waiveFeePercent: Percent(decimal: "100")!,
            waiveInterestPercent: Percent(decimal: "50")!, validDays: 5,
            installments: .init(
                max: 6, minAmount: Money(cents: 200_00), interestPercentMonth: Percent(decimal: "1.99")!))
        m.offer = Offer.make(terms, titles: m.titles, credits: .zero, asOf: asOf, calendar: BusinessCalendar(.init()))
        return m
    }

    static func context(_ m: PlannedMessage = message()) -> [String: Any] {
        TemplateContext.make(message: m, company: company, asOf: asOf, policy: policy)
    }

    /// A rule book with only the given templates (file name → text) and no steps.
    static func book(_ templates: [String: String], steps: [Step] = []) -> RuleBook {
        var sources: [String: TemplateSource] = [:]
        for (name, text) in templates { sources[name] = TemplateSource(path: "rules/templates/" + name, text: text) }
        return RuleBook(
            company: company, policy: policy, profiles: [Profile(id: "standard")], steps: steps, templates: sources)
    }

    /// The errors `TemplateSet(book:)` throws, as printed.
    static func errors(_ templates: [String: String], steps: [Step] = []) -> [String] {
        do {
            _ = try TemplateSet(book: book(templates, steps: steps))
            return []
        } catch let e as RuleBookErrors {
            return e.diagnostics.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    // MARK: - The shipped example

    /// The repository root, found from this file (through the scratch package's symlinks too).
    static let repoRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("rules/10-regua.yaml").path) {
                return dir
            }
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()

    /// The steps of rules/10-regua.yaml, as the decider's fixtures write them by hand (the YAML
    /// loader is tested elsewhere).
    static let shippedSteps: [Step] = DeciderFixtures.defaultSteps

    /// The shipped templates read from rules/templates/.
    static func shippedBook() throws -> RuleBook {
        let folder = repoRoot.appendingPathComponent("rules/templates")
        var sources: [String: TemplateSource] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            sources[name] = TemplateSource(path: "rules/templates/" + name, text: text)
        }
        return RuleBook(
            company: company, policy: policy,
            profiles: ["key_account", "good_payer", "chronic", "standard"].map { Profile(id: $0) },
            steps: shippedSteps, templates: sources)
    }

    /// Rows of a small RFC 4180 file (quoted fields, doubled quotes, CRLF), header included.
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false
        var it = Array(text.unicodeScalars)[...]
        while let c = it.popFirst() {
            if quoted {
                if c == "\"" {
                    if it.first == "\"" { field.unicodeScalars.append(it.removeFirst()) } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r" {
                continue
            } else if c == "\n" {
                row.append(field); rows.append(row); row = []; field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
