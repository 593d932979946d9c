import Foundation

extension ReportPeople {
    /// The people of a night's report: the first customers held (by reason, those the finance
    /// team can fix first, then id) with what to fix, and the first rejected rows with the
    /// customer each names.
    ///
    /// - Parameter inputFiles: the paths of the night's input files: a rejected row's cells are
    ///   read again from its file (a regular file only; a pipe cannot be read twice, and then
    ///   the row is shown without its customer), up to the last line shown.
    static func make(
        decision: NightDecision, inputs: Inputs, book: RuleBook, inputFiles: [String], worklist: [WorklistRow] = []
    ) -> ReportPeople {
        // Held: one line per (customer, reason), steps and titles gathered in decision order.
        // A missing contact or bank datum can be fixed; a quiet day or the weekly cap only waits.
        let fixableFirst: [HoldReason] = [.noContact, .optOut, .noBankData, .belowMinAmount, .contactCap, .quietDay]
        var order: [HoldReason: Int] = [:]
        for r in HoldReason.allCases { order[r] = fixableFirst.firstIndex(of: r) ?? fixableFirst.count }
        var groups: [String: (customer: CustomerID, reason: HoldReason, steps: [String], titles: [String])] = [:]
        for a in decision.actions where a.kind == .held {
            guard let reason = a.reason else { continue }
            let key = "\(reason.rawValue)\u{0}\(a.customerID.raw)"
            var g = groups[key] ?? (a.customerID, reason, [], [])
            if !g.steps.contains(a.stepID) { g.steps.append(a.stepID) }
            if !g.titles.contains(a.titleID.raw) { g.titles.append(a.titleID.raw) }
            groups[key] = g
        }
        let sorted = groups.values.sorted {
            order[$0.reason]! != order[$1.reason]! ? order[$0.reason]! < order[$1.reason]! : $0.customer < $1.customer
        }
        let shown = sorted.prefix(limit)
        let wanted = Set(shown.map(\.customer.raw))
        var customers: [String: Customer] = [:]
        if !wanted.isEmpty {
            for c in inputs.customers where wanted.contains(c.id.raw) && customers[c.id.raw] == nil {
                customers[c.id.raw] = c
            }
        }
        let held = shown.map { g in
            let customer = customers[g.customer.raw]
            let steps = g.steps.sorted { (book.step($0)?.index ?? 0) < (book.step($1)?.index ?? 0) }
            return HeldCustomer(
                customerID: g.customer.raw, name: customer?.name ?? "", reason: g.reason.rawValue, steps: steps,
                titleIDs: g.titles,
                whatToFix: HoldText.whatToFix(g.reason, step: steps.first.flatMap(book.step), customer: customer))
        }

        // Rejects: the first ones, with the cells that name their customer and title.
        let firstRejects = Array(inputs.rejects.prefix(limit))
        var cells: [String: [Int: [String: String]]] = [:]
        for file in Set(firstRejects.map(\.file)) {
            guard let path = inputFiles.first(where: { ($0 as NSString).lastPathComponent == file }) else { continue }
            let lines = Set(firstRejects.filter { $0.file == file }.map(\.line))
            cells[file] = RowCells.read(path: path, lines: lines, columns: ["customer_id", "name", "title_id"])
        }
        var names: [String: String] = [:]
        // A customer refused in customers.csv is named by its own (rejected) row.
        for row in cells.values.flatMap(\.values) {
            if let id = row["customer_id"], let name = row["name"], !name.isEmpty, names[id] == nil { names[id] = name }
        }
        let receivableCustomers = Set(
            cells.values.flatMap { $0.values.compactMap { $0["name"] == nil ? $0["customer_id"] : nil } })
        if !receivableCustomers.isEmpty {
            for c in inputs.customers where receivableCustomers.contains(c.id.raw) { names[c.id.raw] = c.name }
        }
        let rejects = firstRejects.map { r in
            let row = cells[r.file]?[r.line]
            let id = row?["customer_id"].flatMap { $0.isEmpty ? nil : $0 }
            return RejectedLine(
                reject: r, customerID: id, customerName: row?["name"] ?? id.flatMap { names[$0] },
                titleID: row?["title_id"].flatMap { $0.isEmpty ? nil : $0 })
        }
        var people = ReportPeople(
            rejects: rejects, rejectsTotal: inputs.rejects.count, held: held, heldTotal: sorted.count)
        people.worklist = Array(worklist.prefix(limit))
        people.worklistTotal = worklist.count
        return people
    }
}
