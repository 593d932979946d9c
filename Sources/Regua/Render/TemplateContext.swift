/// The data a message template sees, and the list of every variable name it may use.
///
/// Values are plain Swift values (`String`, `Int`, `Bool`, lists and dictionaries) so that
/// Mustache prints them and never expands them: a customer called `{{company.pix_key}}` is
/// printed as those characters. Absent optional values (no e-mail, no nosso número) are left
/// out, so `{{#customer.email}}…{{/customer.email}}` shows only when there is one.
public enum TemplateContext {
    /// Every top-level variable, dotted (`customer.name`); `titles` and `customer.address_lines`
    /// are lists (see ``titleVariables``; address lines are texts, printed with `{{.}}`).
    public static let variables: [String] = entries.map(\.0)

    /// The variables of each element of `{{#titles}}…{{/titles}}` (where the top-level ones stay visible).
    public static let titleVariables: [String] = titleEntries.map(\.0)

    /// Builds the context of one message on the as-of date.
    public static func make(message: PlannedMessage, company: Company, asOf: Day, policy: Policy) -> [String: Any] {
        var context: [String: Any] = [
            "customer": customer(message.customer),
            "company": companyValues(company),
            "step": [
                "id": clean(message.step.id),
                "offset": message.step.offset,
                "channel": message.channel.rawValue,
            ] as [String: Any],
            "policy": policyValues(policy),
            "as_of": asOf.iso,
            "as_of_br": asOf.br,
            "as_of_long": BrazilianFormat.longDate(asOf),
            "titles": message.titles.map(title),
            "overdue_titles": message.titles.filter(isOverdue).map(title),
            "upcoming_titles": message.titles.filter { !isOverdue($0) }.map(title),
            "has_overdue": message.titles.contains(where: isOverdue),
            "has_upcoming": message.titles.contains { !isOverdue($0) },
            "totals": totals(message.titles).merging(netValues(message)) { a, _ in a },
            "totals_overdue": totals(message.titles.filter(isOverdue)),
            "totals_upcoming": totals(message.titles.filter { !isOverdue($0) }),
            "has_pix": message.pixCode != nil,
            "message_id": clean(message.id),
            "has_payment_url": company.paymentURL != nil,
        ]
        context["payment_url"] = paymentURL(message, company: company)
        var pix: [String: Any] = [:]
        pix["copia_e_cola"] = message.pixCode.map(clean)
        pix["txid"] = message.pixTxid.map(clean)
        pix["qr_src"] = qrSource(message, company: company)
        pix["amount"] = message.pixCode.map { _ in message.pixAmount.plain }
        pix["amount_br"] = message.pixCode.map { _ in message.pixAmount.br }
        context["pix"] = pix
        context["has_offer"] = message.offer != nil
        context["offer"] = message.offer.map(offerValues)
        return context
    }

    // MARK: - Schema

    /// The top-level schema; ``make(message:company:asOf:policy:)`` produces exactly these names.
    static let entries: [(String, VariableKind)] =
        [
            ("customer.name", .text), ("customer.first_name", .text), ("customer.document_masked", .text),
            ("customer.greeting", .text), ("customer.name_no_period", .text), ("customer.first_name_no_period", .text),
            ("customer.email", .text), ("customer.phone", .text),
            ("customer.address_lines", .texts),
            ("customer.street", .text), ("customer.number", .text), ("customer.complement", .text),
            ("customer.district", .text), ("customer.city", .text), ("customer.state", .text), ("customer.zip", .text),
            ("company.name", .text), ("company.document", .text), ("company.email", .text), ("company.phone", .text),
            ("company.pix_key", .text), ("company.city", .text), ("company.address", .text),
            ("step.id", .text), ("step.offset", .number), ("step.channel", .text),
            ("policy.late_fee_percent_br", .text), ("policy.interest_percent_month_br", .text),
            ("as_of", .text), ("as_of_br", .text), ("as_of_long", .text),
            ("titles", .records(Dictionary(uniqueKeysWithValues: titleEntries))),
            ("overdue_titles", .records(Dictionary(uniqueKeysWithValues: titleEntries))),
            ("upcoming_titles", .records(Dictionary(uniqueKeysWithValues: titleEntries))),
            ("has_overdue", .flag), ("has_upcoming", .flag),
        ] + totalsEntries("totals") + [
            ("totals.credits", .text), ("totals.credits_br", .text), ("totals.has_credits", .flag),
            ("totals.net_amount", .text), ("totals.net_amount_br", .text),
        ] + totalsEntries("totals_overdue") + totalsEntries("totals_upcoming") + [
            ("pix.copia_e_cola", .text), ("pix.txid", .text), ("pix.qr_src", .text),
            ("pix.amount", .text), ("pix.amount_br", .text), ("has_pix", .flag),
            ("message_id", .text),
            ("payment_url", .text), ("has_payment_url", .flag),
            ("has_offer", .flag),
            ("offer.cash_amount", .text), ("offer.cash_amount_br", .text),
            ("offer.savings", .text), ("offer.savings_br", .text),
            ("offer.valid_until", .text), ("offer.valid_until_br", .text),
            ("offer.has_installments", .flag),
            ("offer.installments", .records(Dictionary(uniqueKeysWithValues: installmentEntries))),
        ]

    /// The schema of one element of `offer.installments`.
    static let installmentEntries: [(String, VariableKind)] = [
        ("count", .number), ("amount", .text), ("amount_br", .text), ("total", .text), ("total_br", .text),
    ]

    /// `offer.*` (SPEC §3 Offers): the settlement the speaking step offers.
    static func offerValues(_ o: Offer) -> [String: Any] {
        [
            "cash_amount": o.cashAmount.plain, "cash_amount_br": o.cashAmount.br,
            "savings": o.savings.plain, "savings_br": o.savings.br,
            "valid_until": o.validUntil.iso, "valid_until_br": o.validUntil.br,
            "has_installments": !o.installments.isEmpty,
            "installments": o.installments.map { i -> [String: Any] in
                [
                    "count": i.count, "amount": i.amount.plain, "amount_br": i.amount.br,
                    "total": i.total.plain, "total_br": i.total.br,
                ]
            },
        ]
    }

    /// The sums of a list of titles under a group name (`totals`, `totals_overdue`, `totals_upcoming`).
    static func totalsEntries(_ group: String) -> [(String, VariableKind)] {
        [
            ("count", VariableKind.number), ("has_many", .flag), ("amount_br", .text),
            ("outstanding", .text), ("outstanding_br", .text), ("late_fee_br", .text), ("interest_br", .text),
            ("updated_amount", .text), ("updated_amount_br", .text), ("has_fees", .flag),
        ].map { (group + "." + $0.0, $0.1) }
    }

    /// Whether a title goes under "vencidos": past its effective due date. A title due today
    /// (days overdue 0) is not late yet and goes with the upcoming ones.
    static func isOverdue(_ t: DunnedTitle) -> Bool { t.daysOverdue > 0 }

    /// `totals.credits`, `totals.net_amount` (SPEC §3 "Credits"): what the message asks to pay.
    static func netValues(_ m: PlannedMessage) -> [String: Any] {
        [
            "credits": m.credits.plain, "credits_br": m.credits.br, "has_credits": m.credits.cents > 0,
            "net_amount": m.netAmount.plain, "net_amount_br": m.netAmount.br,
        ]
    }

    /// The schema of one element of `titles`.
    static let titleEntries: [(String, VariableKind)] = [
        ("title_id", .text),
        ("due_date", .text), ("due_date_br", .text),
        ("effective_due_date", .text), ("effective_due_date_br", .text), ("due_date_moved", .flag),
        ("amount", .text), ("amount_br", .text),
        ("outstanding", .text), ("outstanding_br", .text), ("has_partial_payment", .flag),
        ("late_fee", .text), ("late_fee_br", .text),
        ("interest", .text), ("interest_br", .text),
        ("updated_amount", .text), ("updated_amount_br", .text),
        ("has_fees", .flag),
        ("days_overdue", .number), ("days_overdue_abs", .number),
        ("is_overdue", .flag), ("is_due_today", .flag), ("situation_br", .text),
        ("installment", .text), ("nosso_numero", .text),
        ("linha_digitavel", .text), ("barcode", .text), ("has_boleto", .flag),
    ]

    /// The schema as a tree, for the template check.
    static let schema = TemplateSchema(entries: entries)

    // MARK: - Parts

    /// The company's payment page for this message, placeholders filled; nil without one.
    static func paymentURL(_ m: PlannedMessage, company: Company) -> String? {
        company.paymentURL?.url(
            messageID: m.id, customerID: m.customer.id.raw, txid: m.pixTxid ?? PixBRCode.txid(forMessageID: m.id))
    }

    /// `cid:<Content-ID>` of the e-mail's inline QR code image, for `<img src="{{pix.qr_src}}">`;
    /// nil without a BR Code.
    static func qrSource(_ m: PlannedMessage, company: Company) -> String? {
        guard m.pixCode != nil else { return nil }
        let domain = EmailInput.messageIDDomain(companyEmail: company.email)
        return "cid:" + EmailInput.pixContentID(messageID: m.id, domain: domain)
    }

    static func clean(_ s: String) -> String { BrazilianFormat.clean(s) }

    private static func customer(_ c: Customer) -> [String: Any] {
        let firstName = clean(BrazilianFormat.firstName(c.name, kind: c.document.kind))
        var v: [String: Any] = [
            "name": clean(c.name),
            "first_name": firstName,
            "greeting": BrazilianFormat.greeting(firstName),
            "name_no_period": BrazilianFormat.withoutFinalPeriod(clean(c.name)),
            "first_name_no_period": BrazilianFormat.withoutFinalPeriod(firstName),
            "document_masked": BrazilianFormat.maskedDocument(c.document),
            "address_lines": c.address.lines.map(clean),
        ]
        v["email"] = c.email.map(clean)
        v["phone"] = c.phone.map { clean(BrazilianFormat.phone($0)) }
        let a = c.address
        v["street"] = a.street.map(clean)
        v["number"] = a.number.map(clean)
        v["complement"] = a.complement.map(clean)
        v["district"] = a.district.map(clean)
        v["city"] = a.city.map(clean)
        v["state"] = a.state.map(clean)
        v["zip"] = a.formattedZip.map(clean)
        return v
    }

    static func policyValues(_ p: Policy) -> [String: String] {
        [
            "late_fee_percent_br": BrazilianFormat.percent(p.lateFeePercent),
            "interest_percent_month_br": BrazilianFormat.percent(p.interestPercentMonth),
        ]
    }

    static func companyValues(_ c: Company) -> [String: Any] {
        var v: [String: Any] = ["name": clean(c.name), "document": c.document.formatted]
        v["email"] = c.email.map(clean)
        v["phone"] = c.phone.map(clean)
        v["pix_key"] = c.pixKey.map(clean)
        v["city"] = c.city.map(clean)
        v["address"] = c.address.map(clean)
        return v
    }

    private static func title(_ t: DunnedTitle) -> [String: Any] {
        let fees = t.lateFee.cents + t.interest.cents > 0
        var v: [String: Any] = [
            "title_id": clean(t.title.id.raw),
            "due_date": t.title.dueDate.iso,
            "due_date_br": t.title.dueDate.br,
            "effective_due_date": t.effectiveDueDate.iso,
            "effective_due_date_br": t.effectiveDueDate.br,
            "due_date_moved": t.effectiveDueDate != t.title.dueDate,
            "amount": t.title.amount.plain,
            "amount_br": t.title.amount.br,
            "outstanding": t.outstanding.plain,
            "outstanding_br": t.outstanding.br,
            "has_partial_payment": t.outstanding < t.title.amount,
            "late_fee": t.lateFee.plain,
            "late_fee_br": t.lateFee.br,
            "interest": t.interest.plain,
            "interest_br": t.interest.br,
            "updated_amount": t.updatedAmount.plain,
            "updated_amount_br": t.updatedAmount.br,
            "has_fees": fees,
            "days_overdue": t.daysOverdue,
            "days_overdue_abs": Int(t.daysOverdue.magnitude),
            "is_overdue": t.daysOverdue > 0,
            "is_due_today": t.daysOverdue == 0,
            "situation_br": BrazilianFormat.situation(daysOverdue: t.daysOverdue),
        ]
        v["installment"] = t.title.installment.map(clean)
        v["nosso_numero"] = t.title.nossoNumero.map(clean)
        // Payment data from the bank stage wins over what the ERP sent with the title.
        let linha = t.linhaDigitavel ?? t.title.linhaDigitavel
        v["linha_digitavel"] = linha.map { clean(BrazilianFormat.linhaDigitavel($0)) }
        v["barcode"] = (t.barcode ?? t.title.barcode).map(clean)
        v["has_boleto"] = linha != nil
        return v
    }

    private static func totals(_ titles: [DunnedTitle]) -> [String: Any] {
        var amount = Money.zero, outstanding = Money.zero, fee = Money.zero, interest = Money.zero
        for t in titles {
            amount += t.title.amount
            outstanding += t.outstanding
            fee += t.lateFee
            interest += t.interest
        }
        let updated = outstanding + fee + interest
        return [
            "count": titles.count,
            "has_many": titles.count > 1,
            "amount_br": amount.br,
            "outstanding": outstanding.plain,
            "outstanding_br": outstanding.br,
            "late_fee_br": fee.br,
            "interest_br": interest.br,
            "updated_amount": updated.plain,
            "updated_amount_br": updated.br,
            "has_fees": fee.cents + interest.cents > 0,
        ]
    }
}
