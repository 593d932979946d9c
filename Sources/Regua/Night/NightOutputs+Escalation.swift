/// `bureau/<name>.csv` and `handoff/<id>.csv` (SPEC §4): machine CSVs (RFC 4180, `,`) for the
/// credit bureau and the agencies. The bureaus' own layouts are not public; this is the one
/// place that maps a record to columns, so a company can adapt it to its bureau's layout.
extension NightOutputs {
    /// Columns of `bureau/<name>.csv`.
    static let bureauHeader = [
        "action", "title_id", "customer_id", "document", "name", "address_street", "address_number",
        "address_complement", "address_district", "address_city", "address_state", "address_zip", "amount",
        "outstanding", "due_date", "included_on", "exclude_by",
    ]

    /// Columns of `handoff/<id>.csv`: the dossier of each title handed off tonight.
    static let handoffHeader = [
        "title_id", "customer_id", "name", "document", "email", "phone", "address_street", "address_number",
        "address_complement", "address_district", "address_city", "address_state", "address_zip", "due_date",
        "amount", "outstanding", "updated_amount", "days_overdue", "installment", "steps_sent",
    ]

    /// The night's bureau file, or nil when it has no record.
    static func bureauCSV(_ records: [PlannedBureauRecord]) -> [UInt8]? {
        guard !records.isEmpty else { return nil }
        var w = CSVWriter(header: bureauHeader, neutraliseFormulas: false)
        for r in records {
            let a = r.customer.address
            w.row([
                r.action.rawValue, r.title.title.id.raw, r.customer.id.raw, r.customer.document.value,
                r.customer.name, a.street ?? "", a.number ?? "", a.complement ?? "", a.district ?? "", a.city ?? "",
                a.state ?? "", a.zip ?? "", r.title.title.amount.plain, r.title.outstanding.plain,
                r.title.title.dueDate.iso, r.includedOn.iso, r.excludeBy?.iso ?? "",
            ])
        }
        return w.bytes
    }

    /// One file per receiver with titles tonight, in `handoffs` order.
    static func handoffCSVs(_ handoffs: [PlannedHandoff], receivers: [Handoff]) -> [(path: String, bytes: [UInt8])] {
        var out: [(String, [UInt8])] = []
        for receiver in receivers {
            let mine = handoffs.filter { $0.handoff == receiver.id }
            guard !mine.isEmpty else { continue }
            var w = CSVWriter(header: handoffHeader, neutraliseFormulas: false)
            for h in mine {
                let c = h.customer
                let a = c.address
                let t = h.title
                let steps = h.history.map { s in
                    "\(s.night.iso) \(s.stepID)" + (s.channel.map { " \($0.rawValue)" } ?? "")
                }
                w.row([
                    t.title.id.raw, c.id.raw, c.name, c.document.value, c.email ?? "", c.phone ?? "", a.street ?? "",
                    a.number ?? "", a.complement ?? "", a.district ?? "", a.city ?? "", a.state ?? "", a.zip ?? "",
                    t.title.dueDate.iso, t.title.amount.plain, t.outstanding.plain, t.updatedAmount.plain,
                    String(t.daysOverdue), t.title.installment ?? "", steps.joined(separator: "; "),
                ])
            }
            // The id is checked at load as lower-case letters, digits, '_' and '-': a safe name.
            out.append(("handoff/\(receiver.id).csv", w.bytes))
        }
        return out
    }
}
