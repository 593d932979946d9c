import Synchronization

/// The context of one message as Mustache objects that compute each value when a template asks
/// for it, instead of formatting all ~35 values of every title up front.
///
/// A night renders tens of thousands of messages whose templates use a handful of values each,
/// so building ``TemplateContext/make(message:company:asOf:policy:)``'s dictionaries was most of
/// the cost of rendering. Every name answers exactly what that dictionary holds under it (same
/// type, same text; nil where the dictionary has no entry, so Mustache looks further up its
/// stack the same way), which `TemplateScopeTests` checks name by name. The parts that are the
/// same for every message of a night (company, policy, as-of date) are built once in
/// ``TemplateNight``.
final class MessageScope: TemplateObject {
    private let message: PlannedMessage
    private let night: TemplateNight
    /// The objects and lists built so far (by ``Kept`` slot), handed out again when asked again:
    /// an e-mail's subject, text and HTML ask for `customer`, `titles`, `totals`, `pix` or
    /// `offer` dozens of times, and each is built the same every time (its parts are immutable).
    private let kept = Mutex<[TemplateValue?]>(Array(repeating: nil, count: Kept.allCases.count))

    /// The values worth keeping: objects and lists, built from several fields each.
    private enum Kept: Int, CaseIterable {
        case customer, step, titles, overdueTitles, upcomingTitles, totals, totalsOverdue, totalsUpcoming, pix, offer
    }

    /// The context of `message` on `night`.
    init(message: PlannedMessage, night: TemplateNight) {
        self.message = message
        self.night = night
    }

    /// The value kept in `slot`, else `make`'s (kept when there is one).
    private func keep(_ slot: Kept, _ make: () -> TemplateValue?) -> TemplateValue? {
        if let v = kept.withLock({ $0[slot.rawValue] }) { return v }
        let v = make()
        if let v { kept.withLock { $0[slot.rawValue] = v } }
        return v
    }

    func value(named name: String) -> TemplateValue? {
        let m = message
        switch name {
        case "customer": return keep(.customer) { .object(CustomerScope(m.customer)) }
        case "company": return .object(night.company)
        case "step":
            return keep(.step) {
                .object(
                    TemplateGroup([
                        "id": .text(TemplateContext.clean(m.step.id)), "offset": .number(m.step.offset),
                        "channel": .text(m.channel.rawValue),
                    ]))
            }
        case "policy": return .object(night.policy)
        case "as_of": return .text(night.asOf)
        case "as_of_br": return .text(night.asOfBR)
        case "as_of_long": return .text(night.asOfLong)
        case "titles": return keep(.titles) { .list(m.titles.map { .object(TitleScope($0)) }) }
        case "overdue_titles":
            return keep(.overdueTitles) {
                .list(m.titles.filter(TemplateContext.isOverdue).map { .object(TitleScope($0)) })
            }
        case "upcoming_titles":
            return keep(.upcomingTitles) {
                .list(m.titles.filter { !TemplateContext.isOverdue($0) }.map { .object(TitleScope($0)) })
            }
        case "has_overdue": return .flag(m.titles.contains(where: TemplateContext.isOverdue))
        case "has_upcoming": return .flag(m.titles.contains { !TemplateContext.isOverdue($0) })
        case "totals": return keep(.totals) { .object(TotalsScope(m.titles, message: m)) }
        case "totals_overdue":
            return keep(.totalsOverdue) { .object(TotalsScope(m.titles.filter(TemplateContext.isOverdue))) }
        case "totals_upcoming":
            return keep(.totalsUpcoming) {
                .object(TotalsScope(m.titles.filter { !TemplateContext.isOverdue($0) }))
            }
        case "has_pix": return .flag(m.pixCode != nil)
        case "message_id": return .text(TemplateContext.clean(m.id))
        case "payment_url": return text(TemplateContext.paymentURL(m, company: night.companyValue))
        case "has_payment_url": return .flag(night.companyValue.paymentURL != nil)
        case "pix": return keep(.pix) { pixGroup(m) }
        case "has_offer": return .flag(m.offer != nil)
        case "offer": return keep(.offer) { offerGroup(m) }
        default: return nil
        }
    }

    /// `pix.*`.
    private func pixGroup(_ m: PlannedMessage) -> TemplateValue {
        var pix: [String: TemplateValue] = [:]
        pix["copia_e_cola"] = text(m.pixCode.map(TemplateContext.clean))
        pix["txid"] = text(m.pixTxid.map(TemplateContext.clean))
        pix["qr_src"] = text(TemplateContext.qrSource(m, company: night.companyValue))
        if m.pixCode != nil {
            pix["amount"] = .text(m.pixAmount.plain)
            pix["amount_br"] = .text(m.pixAmount.br)
        }
        return .object(TemplateGroup(pix))
    }

    /// `offer.*`, nil without an offer.
    private func offerGroup(_ m: PlannedMessage) -> TemplateValue? {
        guard let o = m.offer else { return nil }
        return .object(
            TemplateGroup([
                "cash_amount": .text(o.cashAmount.plain), "cash_amount_br": .text(o.cashAmount.br),
                "savings": .text(o.savings.plain), "savings_br": .text(o.savings.br),
                "valid_until": .text(o.validUntil.iso), "valid_until_br": .text(o.validUntil.br),
                "has_installments": .flag(!o.installments.isEmpty),
                "installments": .list(
                    o.installments.map { i in
                        .object(
                            TemplateGroup([
                                "count": .number(i.count), "amount": .text(i.amount.plain),
                                "amount_br": .text(i.amount.br), "total": .text(i.total.plain),
                                "total_br": .text(i.total.br),
                            ]))
                    }),
            ]))
    }
}

/// A text when there is one.
private func text(_ s: String?) -> TemplateValue? { s.map(TemplateValue.text) }

/// What every message of a night shares, formatted once.
struct TemplateNight: Sendable {
    let company: TemplateGroup
    /// The company itself (the PIX image's Content-ID needs its e-mail domain).
    let companyValue: Company
    let policy: TemplateGroup
    let asOf: String
    let asOfBR: String
    let asOfLong: String

    /// The shared values of a night of this company and policy on `asOf`.
    init(company: Company, asOf: Day, policy: Policy) {
        // The same values as the dictionaries of TemplateContext (texts only; anything else there
        // would be a new kind of variable that this conversion must learn).
        self.company = TemplateGroup(
            TemplateContext.companyValues(company).mapValues { .text($0 as! String) })
        self.companyValue = company
        self.policy = TemplateGroup(TemplateContext.policyValues(policy).mapValues(TemplateValue.text))
        self.asOf = asOf.iso
        self.asOfBR = asOf.br
        self.asOfLong = BrazilianFormat.longDate(asOf)
    }
}

/// `customer.*`, computed on demand.
final class CustomerScope: TemplateObject {
    private let c: Customer

    init(_ c: Customer) { self.c = c }

    func value(named name: String) -> TemplateValue? {
        let clean = TemplateContext.clean
        switch name {
        case "name": return .text(clean(c.name))
        case "first_name": return .text(clean(BrazilianFormat.firstName(c.name, kind: c.document.kind)))
        case "greeting":
            return .text(BrazilianFormat.greeting(clean(BrazilianFormat.firstName(c.name, kind: c.document.kind))))
        case "name_no_period": return .text(BrazilianFormat.withoutFinalPeriod(clean(c.name)))
        case "first_name_no_period":
            return .text(
                BrazilianFormat.withoutFinalPeriod(clean(BrazilianFormat.firstName(c.name, kind: c.document.kind))))
        case "document_masked": return .text(BrazilianFormat.maskedDocument(c.document))
        case "address_lines": return .list(c.address.lines.map { .text(clean($0)) })
        case "email": return text(c.email.map(clean))
        case "phone": return text(c.phone.map { clean(BrazilianFormat.phone($0)) })
        case "street": return text(c.text[.street].map(clean))
        case "number": return text(c.text[.number].map(clean))
        case "complement": return text(c.text[.complement].map(clean))
        case "district": return text(c.text[.district].map(clean))
        case "city": return text(c.text[.city].map(clean))
        case "state": return text(c.text[.state].map(clean))
        case "zip": return text(c.address.formattedZip.map(clean))
        default: return nil
        }
    }
}

/// One element of `titles`, computed on demand.
final class TitleScope: TemplateObject {
    private let t: DunnedTitle

    init(_ t: DunnedTitle) { self.t = t }

    func value(named name: String) -> TemplateValue? {
        let clean = TemplateContext.clean
        switch name {
        case "title_id": return .text(clean(t.title.id.raw))
        case "due_date": return .text(t.title.dueDate.iso)
        case "due_date_br": return .text(t.title.dueDate.br)
        case "effective_due_date": return .text(t.effectiveDueDate.iso)
        case "effective_due_date_br": return .text(t.effectiveDueDate.br)
        case "due_date_moved": return .flag(t.effectiveDueDate != t.title.dueDate)
        case "amount": return .text(t.title.amount.plain)
        case "amount_br": return .text(t.title.amount.br)
        case "outstanding": return .text(t.outstanding.plain)
        case "outstanding_br": return .text(t.outstanding.br)
        case "has_partial_payment": return .flag(t.outstanding < t.title.amount)
        case "late_fee": return .text(t.lateFee.plain)
        case "late_fee_br": return .text(t.lateFee.br)
        case "interest": return .text(t.interest.plain)
        case "interest_br": return .text(t.interest.br)
        case "updated_amount": return .text(t.updatedAmount.plain)
        case "updated_amount_br": return .text(t.updatedAmount.br)
        case "has_fees": return .flag(t.lateFee.cents + t.interest.cents > 0)
        case "days_overdue": return .number(t.daysOverdue)
        case "days_overdue_abs": return .number(Int(t.daysOverdue.magnitude))
        case "is_overdue": return .flag(t.daysOverdue > 0)
        case "is_due_today": return .flag(t.daysOverdue == 0)
        case "situation_br": return .text(BrazilianFormat.situation(daysOverdue: t.daysOverdue))
        case "installment": return text(t.title.installment.map(clean))
        case "nosso_numero": return text(t.title.nossoNumero.map(clean))
        // Payment data from the bank stage wins over what the ERP sent with the title.
        case "linha_digitavel":
            return text((t.linhaDigitavel ?? t.title.linhaDigitavel).map { clean(BrazilianFormat.linhaDigitavel($0)) })
        case "barcode": return text((t.barcode ?? t.title.barcode).map(clean))
        case "has_boleto": return .flag((t.linhaDigitavel ?? t.title.linhaDigitavel) != nil)
        default: return nil
        }
    }
}

/// `totals.*`: the sums once, their formats on demand.
final class TotalsScope: TemplateObject {
    private let count: Int
    private let amount: Money, outstanding: Money, fee: Money, interest: Money

    /// Credits and net amount, for `totals` only (nil for the overdue and upcoming sums).
    private let net: (credits: Money, amount: Money)?

    init(_ titles: [DunnedTitle], message: PlannedMessage? = nil) {
        net = message.map { ($0.credits, $0.netAmount) }
        var amount = Money.zero, outstanding = Money.zero, fee = Money.zero, interest = Money.zero
        for t in titles {
            amount += t.title.amount
            outstanding += t.outstanding
            fee += t.lateFee
            interest += t.interest
        }
        (self.count, self.amount, self.outstanding, self.fee, self.interest) = (
            titles.count, amount, outstanding, fee, interest
        )
    }

    func value(named name: String) -> TemplateValue? {
        switch name {
        case "count": return .number(count)
        case "has_many": return .flag(count > 1)
        case "amount_br": return .text(amount.br)
        case "outstanding": return .text(outstanding.plain)
        case "outstanding_br": return .text(outstanding.br)
        case "late_fee_br": return .text(fee.br)
        case "interest_br": return .text(interest.br)
        case "updated_amount": return .text((outstanding + fee + interest).plain)
        case "updated_amount_br": return .text((outstanding + fee + interest).br)
        case "has_fees": return .flag(fee.cents + interest.cents > 0)
        case "credits": return net.map { .text($0.credits.plain) }
        case "credits_br": return net.map { .text($0.credits.br) }
        case "has_credits": return net.map { .flag($0.credits.cents > 0) }
        case "net_amount": return net.map { .text($0.amount.plain) }
        case "net_amount_br": return net.map { .text($0.amount.br) }
        default: return nil
        }
    }
}
