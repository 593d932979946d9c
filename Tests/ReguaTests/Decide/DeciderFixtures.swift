@testable import Regua

/// A small rule book like SPEC §2's, built in code so the decider is tested without YAML.
enum DeciderFixtures {
    static let company = Company(
        name: "Exemplo Comércio Ltda", document: Document.parse("12.345.678/0001-95")!,
        email: "cobranca@exemplo.com.br")

    static func book(policy: Policy = defaultPolicy, steps: [Step]? = nil, profiles: [Profile]? = nil) -> RuleBook {
        RuleBook(
            company: company,
            bank: BankAccount(
                code: "001", agency: "1234", account: "56789", accountDigit: "0",
                agreement: "1234567", wallet: "17"),
            calendar: CalendarConfig(nationalHolidays: true, extra: [Day(iso: "2026-01-25")!]),
            policy: policy, profiles: profiles ?? defaultProfiles, steps: steps ?? defaultSteps)
    }

    static let defaultPolicy = Policy(
        lateFeePercent: Percent(decimal: "2.0")!, interestPercentMonth: Percent(decimal: "1.0")!,
        minAmount: Money(cents: 1000), maxContactsPerWeek: 3, catchUpDays: 3,
        quietDays: [.sunday])

    static let defaultProfiles: [Profile] = [
        Profile(id: "key_account", conditions: [.segment(["B2B"]), .tagsAny(["key-account"])]),
        Profile(
            id: "good_payer",
            conditions: [.number(.score, .ge, hundredths: 70000), .number(.latePayments12m, .eq, hundredths: 0)]),
        Profile(id: "chronic", conditions: [.number(.latePayments12m, .ge, hundredths: 300)]),
        Profile(id: "standard"),
    ]

    static let defaultSteps: [Step] = [
        Step(
            id: "reminder_d-5", offset: -5, action: .message(channel: .email, template: "lembrete", fallback: nil),
            index: 0),
        Step(
            id: "due_today", offset: 0, action: .message(channel: .sms, template: "vence_hoje", fallback: nil),
            profiles: ["chronic", "standard"], index: 1),
        Step(
            id: "overdue_d3", offset: 3, action: .message(channel: .email, template: "atraso", fallback: .letter),
            index: 2),
        Step(
            id: "overdue_d10", offset: 10, action: .message(channel: .sms, template: "atraso_sms", fallback: nil),
            exceptProfiles: ["key_account"], index: 3),
        Step(
            id: "letter_d30", offset: 30, action: .message(channel: .letter, template: "carta_cobranca", fallback: nil),
            index: 4),
        Step(
            id: "protest_d45", offset: 45, action: .remittance(.protest), profiles: ["chronic", "standard"], index: 5),
    ]

    static let address = PostalAddress(
        street: "Rua das Flores", number: "10", district: "Centro", city: "São Paulo",
        state: "SP", zip: "01001000")

    static func customer(
        _ id: String, segment: String? = nil, score: Int? = nil, tags: [String] = [],
        email: String? = "cliente@example.com", phone: String? = "+5511987654321",
        address: PostalAddress = address, optOut: Set<Channel> = []
    ) -> Customer {
        Customer(
            id: CustomerID(id), name: "Cliente \(id)", document: Document.parse("529.982.247-25")!, email: email,
            phone: phone, address: address, segment: segment, score: score, tags: tags, optOut: optOut)
    }

    static func title(
        _ id: String, _ customer: String, due: String, amount: Int64 = 100_00, status: TitleStatus = .open,
        paid: Int64 = 0, paidDate: String? = nil, promise: String? = nil, nosso: String? = nil
    ) -> Title {
        Title(
            id: TitleID(id), customerID: CustomerID(customer), dueDate: Day(iso: due)!, amount: Money(cents: amount),
            status: status, paidAmount: Money(cents: paid), paidDate: paidDate.flatMap { Day(iso: $0) },
            promiseDate: promise.flatMap { Day(iso: $0) }, nossoNumero: nosso)
    }

    static func decide(
        _ customers: [Customer], _ titles: [Title], asOf: String, book: RuleBook = book(),
        history: LedgerHistory = .empty
    ) -> NightDecision {
        NightDecider(book: book, asOf: Day(iso: asOf)!).decide(customers: customers, titles: titles, history: history)
    }
}

extension NightDecision {
    /// The action recorded for a (title, step) pair, if any.
    func action(_ title: String, _ step: String) -> Action? {
        actions.first { $0.titleID.raw == title && $0.stepID == step }
    }
    /// Every sent (title → step) pair.
    var sentPairs: [String: String] {
        Dictionary(
            actions.filter { $0.kind == .sent }.map { ($0.titleID.raw, $0.stepID) }, uniquingKeysWith: { a, _ in a })
    }
}
