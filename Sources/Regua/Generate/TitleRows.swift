/// Generated rows of receivables.csv: due dates from 180 days before to 45 days after the
/// as-of date, R$ 10,00 to R$ 5.000,00, mostly open, with paid (some late), partial, disputed,
/// promised and cancelled titles.
struct TitleRows {
    static let header = [
        "title_id", "customer_id", "issue_date", "due_date", "amount", "status", "paid_amount",
        "paid_date", "promise_date", "nosso_numero", "installment",
    ]

    let asOf: Day
    let customerWidth: Int
    let titleWidth: Int
    /// ``DataGenerator/Mix/realistic``: a nosso número on 90% of the titles.
    var realistic = false

    /// Appends title `j` of `customer`; a `bad` one gets one fault a reader must refuse.
    func row(_ j: Int, customer: Int?, bad: Bool, into out: inout RowBytes, _ rng: inout SplitMix64) {
        let fault = bad ? (customer == nil ? 3 : rng.below(4)) : -1
        let due = asOf.adding(days: rng.within(-180...45))
        // Issued 15 to 60 days before it falls due, but never after the night the export is read:
        // a receivable not issued yet is not in it (and a payment is never dated after that night).
        let issue = min(due.adding(days: -rng.within(15...60)), asOf)
        let cents = rng.within(1_000...500_000)

        out.empty()
        out.bytes.append(UInt8(ascii: "T"))
        out.digits(j, width: titleWidth)
        if fault == 3 {
            out.empty()
            out.bytes.append(contentsOf: Array("NX".utf8))  // no such customer
            out.digits(j, width: customerWidth)
        } else {
            CustomerRows.id(customer ?? 0, width: customerWidth, into: &out)
        }
        out.date(issue)
        switch fault {
        case 0: out.text(due.br)  // 25/11/2026: not the ISO form
        case 1: out.text(String(due.iso.prefix(5)) + "02-30")  // no such day
        default: out.date(due)
        }
        out.money(cents: cents, negative: fault == 2)

        // status, paid_amount, paid_date, promise_date
        let roll = rng.below(1000)
        switch roll {
        case 0..<200:
            out.text("paid")
            out.money(cents: cents)
            let late = rng.chance(350)
            var paid = late ? due.adding(days: rng.within(1...40)) : due.adding(days: -rng.below(11))
            if paid > asOf { paid = asOf }
            if paid < issue { paid = issue }
            out.date(paid)
            out.empty()
        case 200..<220:
            out.text("disputed")
            out.empty()
            out.empty()
            out.empty()
        case 220..<240:
            out.text("promised")
            out.empty()
            out.empty()
            out.date(asOf.adding(days: rng.within(-3...15)))
        case 240..<250:
            out.text("cancelled")
            out.empty()
            out.empty()
            out.empty()
        case 250..<300:
            out.text("open")
            out.money(cents: cents * rng.within(10...90) / 100)
            var paid = due.adding(days: rng.within(-5...20))
            if paid > asOf { paid = asOf }
            if paid < issue { paid = issue }
            out.date(paid)
            out.empty()
        default:
            if rng.chance(500) { out.text("open") } else { out.empty() }
            out.empty()
            out.empty()
            out.empty()
        }

        // nosso_numero for about half (nine in ten in the realistic mix); installments for some
        if rng.chance(realistic ? 900 : 500) { out.number(j, width: 11) } else { out.empty() }
        if rng.chance(200) {
            let total = rng.within(2...12)
            out.text("\(rng.within(1...total))/\(total)")
        } else {
            out.empty()
        }
        out.endRow()
    }
}
