extension TemplateSet {
    /// The as-of date of sample messages (a Monday), fixed so previews are reproducible.
    public static let sampleAsOf = Day(year: 2026, month: 11, day: 23)!

    /// A realistic context for previews and `regua check`: a customer with every contact, two
    /// titles (one exactly at the step's offset with a boleto of the book's bank, one riding
    /// along without), fees from the book's policy, and the PIX code of the book's company for
    /// the message's total; the payment data are made as a night makes them (``PaymentData``),
    /// so every amount a preview shows agrees with its titles.
    public static func sampleContext(book: RuleBook, channel: Channel, step: Step) -> [String: Any] {
        TemplateContext.make(
            message: sampleMessage(book: book, channel: channel, step: step), company: book.company,
            asOf: sampleAsOf, policy: book.policy)
    }

    /// The message behind ``sampleContext(book:channel:step:)``.
    static func sampleMessage(book: RuleBook, channel: Channel, step: Step) -> PlannedMessage {
        let asOf = sampleAsOf
        let customer = Customer(
            id: CustomerID("C-EXEMPLO"), name: "Maria da Conceição Souza",
            document: Document(kind: .cpf, value: "12345678909"),
            email: "maria.souza@example.com", phone: "+5511987654321",
            address: PostalAddress(
                street: "Rua das Flores", number: "123", complement: "Apto 45",
                district: "Jardim Paulista", city: "São Paulo", state: "SP", zip: "01415000"),
            segment: "B2C", score: 640)
        // The second title rides along in the same message: a week behind on the ladder, or
        // (for a reminder) due a little later; it has no boleto, so both branches show.
        let offsets = [step.offset, step.offset > 0 ? step.offset - 7 : step.offset + 2]
        let amounts: [Int64] = [123_456, 35_000]
        var titles: [DunnedTitle] = []
        for (i, days) in offsets.enumerated() {
            let due = asOf.adding(days: -days)
            let title = Title(
                id: TitleID("NF-2026-00\(41 + i)"), customerID: customer.id, dueDate: due,
                amount: Money(cents: amounts[i]), issueDate: due.adding(days: -30),
                nossoNumero: i == 0 ? "00000000\(41 + i)" : nil, installment: "\(2 + i)/6")
            let outstanding = title.outstanding
            let fee = days > 0 ? book.policy.lateFeePercent.applied(to: outstanding) : .zero
            let interest =
                days > 0 ? book.policy.interestPercentMonth.applied(to: outstanding, times: days, over: 30) : .zero
            titles.append(
                DunnedTitle(
                    title: title, effectiveDueDate: due, daysOverdue: days, outstanding: outstanding,
                    lateFee: fee, interest: interest))
        }
        var template = ""
        if case .message(_, let name, _) = step.action { template = name }
        var message = PlannedMessage(
            id: "R20261123-0123456789abcdef", customer: customer, profile: book.profiles.last?.id ?? "standard",
            channel: channel, step: step, template: template, titles: titles,
            titleSteps: titles.map { _ in step.id })
        if let terms = step.offer {
            message.offer = Offer.make(
                terms, titles: titles, credits: .zero, asOf: asOf, calendar: BusinessCalendar(book.calendar))
        }
        return PaymentData.apply(
            to: message, issuer: book.bank.flatMap { try? BoletoIssuer(bank: $0) },
            pix: PaymentData.merchant(book.company))
    }
}
