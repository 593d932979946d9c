import Mustache

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
final class MessageScope: MustacheParent {
    private let message: PlannedMessage
    private let night: TemplateNight

    /// The context of `message` on `night`.
    init(message: PlannedMessage, night: TemplateNight) {
        self.message = message
        self.night = night
    }

    func child(named name: String) -> Any? {
        let m = message
        switch name {
        case "customer": return CustomerScope(m.customer)
        case "company": return night.company
        case "step":
            return [
                "id": TemplateContext.clean(m.step.id), "offset": m.step.offset,
                "channel": m.channel.rawValue,
            ] as [String: Any]
        case "policy": return night.policy
        case "as_of": return night.asOf
        case "as_of_br": return night.asOfBR
        case "as_of_long": return night.asOfLong
        case "titles": return m.titles.map(TitleScope.init)
        case "totals": return TotalsScope(m.titles)
        case "has_pix": return m.pixCode != nil
        case "message_id": return TemplateContext.clean(m.id)
        case "pix":
            var pix: [String: Any] = [:]
            pix["copia_e_cola"] = m.pixCode.map(TemplateContext.clean)
            pix["txid"] = m.pixTxid.map(TemplateContext.clean)
            return pix
        default: return nil
        }
    }
}

/// What every message of a night shares, formatted once.
struct TemplateNight: @unchecked Sendable {  // immutable after init; Any holds only strings and dictionaries of them
    let company: [String: Any]
    let policy: [String: String]
    let asOf: String
    let asOfBR: String
    let asOfLong: String

    /// The shared values of a night of this company and policy on `asOf`.
    init(company: Company, asOf: Day, policy: Policy) {
        self.company = TemplateContext.companyValues(company)
        self.policy = TemplateContext.policyValues(policy)
        self.asOf = asOf.iso
        self.asOfBR = asOf.br
        self.asOfLong = BrazilianFormat.longDate(asOf)
    }
}

/// `customer.*`, computed on demand.
final class CustomerScope: MustacheParent {
    private let c: Customer

    init(_ c: Customer) { self.c = c }

    func child(named name: String) -> Any? {
        let clean = TemplateContext.clean
        switch name {
        case "name": return clean(c.name)
        case "first_name": return clean(BrazilianFormat.firstName(c.name, kind: c.document.kind))
        case "document_masked": return BrazilianFormat.maskedDocument(c.document)
        case "address_lines": return c.address.lines.map(clean)
        case "email": return c.email.map(clean)
        case "phone": return c.phone.map { clean(BrazilianFormat.phone($0)) }
        case "street": return c.address.street.map(clean)
        case "number": return c.address.number.map(clean)
        case "complement": return c.address.complement.map(clean)
        case "district": return c.address.district.map(clean)
        case "city": return c.address.city.map(clean)
        case "state": return c.address.state.map(clean)
        case "zip": return c.address.formattedZip.map(clean)
        default: return nil
        }
    }
}

/// One element of `titles`, computed on demand.
final class TitleScope: MustacheParent {
    private let t: DunnedTitle

    init(_ t: DunnedTitle) { self.t = t }

    func child(named name: String) -> Any? {
        let clean = TemplateContext.clean
        switch name {
        case "title_id": return clean(t.title.id.raw)
        case "due_date": return t.title.dueDate.iso
        case "due_date_br": return t.title.dueDate.br
        case "effective_due_date": return t.effectiveDueDate.iso
        case "effective_due_date_br": return t.effectiveDueDate.br
        case "due_date_moved": return t.effectiveDueDate != t.title.dueDate
        case "amount": return t.title.amount.plain
        case "amount_br": return t.title.amount.br
        case "outstanding": return t.outstanding.plain
        case "outstanding_br": return t.outstanding.br
        case "has_partial_payment": return t.outstanding < t.title.amount
        case "late_fee": return t.lateFee.plain
        case "late_fee_br": return t.lateFee.br
        case "interest": return t.interest.plain
        case "interest_br": return t.interest.br
        case "updated_amount": return t.updatedAmount.plain
        case "updated_amount_br": return t.updatedAmount.br
        case "has_fees": return t.lateFee.cents + t.interest.cents > 0
        case "days_overdue": return t.daysOverdue
        case "days_overdue_abs": return Int(t.daysOverdue.magnitude)
        case "is_overdue": return t.daysOverdue > 0
        case "is_due_today": return t.daysOverdue == 0
        case "situation_br": return BrazilianFormat.situation(daysOverdue: t.daysOverdue)
        case "installment": return t.title.installment.map(clean)
        case "nosso_numero": return t.title.nossoNumero.map(clean)
        // Payment data from the bank stage wins over what the ERP sent with the title.
        case "linha_digitavel":
            return (t.linhaDigitavel ?? t.title.linhaDigitavel).map { clean(BrazilianFormat.linhaDigitavel($0)) }
        case "barcode": return (t.barcode ?? t.title.barcode).map(clean)
        case "has_boleto": return (t.linhaDigitavel ?? t.title.linhaDigitavel) != nil
        default: return nil
        }
    }
}

/// `totals.*`: the sums once, their formats on demand.
final class TotalsScope: MustacheParent {
    private let count: Int
    private let amount: Money, outstanding: Money, fee: Money, interest: Money

    init(_ titles: [DunnedTitle]) {
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

    func child(named name: String) -> Any? {
        switch name {
        case "count": return count
        case "has_many": return count > 1
        case "amount_br": return amount.br
        case "outstanding": return outstanding.plain
        case "outstanding_br": return outstanding.br
        case "late_fee_br": return fee.br
        case "interest_br": return interest.br
        case "updated_amount": return (outstanding + fee + interest).plain
        case "updated_amount_br": return (outstanding + fee + interest).br
        case "has_fees": return fee.cents + interest.cents > 0
        default: return nil
        }
    }
}
