extension TemplateSet {
    /// The as-of date of sample messages (a Monday), fixed so previews are reproducible.
    public static let sampleAsOf = Day(year: 2026, month: 11, day: 23)!

    /// A realistic context for previews and `regua check`: a customer with every contact, two
    /// titles (one exactly at the step's offset with a Banco do Brasil boleto, one riding along
    /// without), fees from the book's policy, and a PIX code; company values come from the book.
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
                nossoNumero: "00000000\(41 + i)", installment: "\(2 + i)/6")
            let outstanding = title.outstanding
            let fee = days > 0 ? book.policy.lateFeePercent.applied(to: outstanding) : .zero
            let interest =
                days > 0 ? book.policy.interestPercentMonth.applied(to: outstanding, times: days, over: 30) : .zero
            titles.append(
                DunnedTitle(
                    title: title, effectiveDueDate: due, daysOverdue: days, outstanding: outstanding,
                    lateFee: fee, interest: interest,
                    barcode: i == 0 ? "00192376900000135000000001238798777770016818" : nil,
                    linhaDigitavel: i == 0 ? "00190000090123879877977700168188237690000013500" : nil))
        }
        var template = ""
        if case .message(_, let name, _) = step.action { template = name }
        let message = PlannedMessage(
            id: "R20261123-0123456789abcdef", customer: customer, profile: book.profiles.last?.id ?? "standard",
            channel: channel, step: step, template: template, titles: titles,
            titleSteps: titles.map { _ in step.id },
            // The published BR Code example of domain/BANKING.md: well-formed, clearly a sample.
            pixCode:
                "00020126360014br.gov.bcb.pix0114123456780001955204000053039865406150.005802BR5918EMPRESA TESTE LTDA6009SAO PAULO62150511FAT2025000163045D28",
            pixTxid: "FAT20250001")
        return message
    }
}
