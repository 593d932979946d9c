/// The columns of receivables.csv (SPEC §1), by number.
enum ReceivableColumn: Int, CaseIterable {
    case titleID, customerID, dueDate, amount, issueDate, status, paidAmount, paidDate, promiseDate
    case nossoNumero, installment, barcode, linhaDigitavel

    var header: String {
        switch self {
        case .titleID: "title_id"
        case .customerID: "customer_id"
        case .dueDate: "due_date"
        case .amount: "amount"
        case .issueDate: "issue_date"
        case .status: "status"
        case .paidAmount: "paid_amount"
        case .paidDate: "paid_date"
        case .promiseDate: "promise_date"
        case .nossoNumero: "nosso_numero"
        case .installment: "installment"
        case .barcode: "barcode"
        case .linhaDigitavel: "linha_digitavel"
        }
    }

    static let names = allCases.map(\.header)
    static let required = [titleID, customerID, dueDate, amount].map(\.header)
}

/// Reads one row of receivables.csv. Whether its customer exists is checked afterwards for
/// all titles at once (``checkCustomers(_:file:customersFile:customers:)``).
struct TitleRowParser: RowParser {
    static var keyColumn: Int { ReceivableColumn.titleID.rawValue }
    static var keyName: String { ReceivableColumn.titleID.header }

    mutating func parse(_ t: CSVTable, key: String) throws(RowReject) -> Title {
        try title(t, id: key)
    }

    /// Refuses the titles whose customer_id is not in customers.csv or whose customer row was
    /// refused there. `customers` must have had its repeated keys refused already.
    static func checkCustomers(
        _ titles: inout RowChunk<Title>, file: String, customersFile: String,
        customers: RowChunk<Customer>, firstSightings: [Int32]
    ) {
        let firsts = firstSightings.enumerated().filter { $0.element == Int32($0.offset) }.map { Int($0.offset) }
        let bits = KeyGroups.bits(for: titles.items.count)
        let known = customers.sightings.withUnsafeBufferPointer { list in
            KeyGroups(count: firsts.count, bits: bits) { list[firsts[$0]].key }
        }
        // Each half of the titles is grouped and matched on its own thread.
        let found: [Int32] = titles.items.withUnsafeBufferPointer { list in
            let half = list.count / 2
            let (a, b) = Chunking.both(
                {
                    known.match(KeyGroups(count: half, bits: bits) { list[$0].customerID.raw })
                },
                {
                    known.match(KeyGroups(count: list.count - half, bits: bits) { list[half + $0].customerID.raw })
                })
            return a + b
        }
        var dropped: [Bool] = []
        let column = ReceivableColumn.customerID.header
        for (i, f) in found.enumerated() {
            let reason: String
            if f >= 0 {
                let s = customers.sightings[firsts[Int(f)]]
                if s.accepted { continue }
                reason =
                    "customer_id \(echo(titles.items[i].customerID.raw)) was refused in \(customersFile) "
                    + "(line \(s.line)), so its titles are refused too"
            } else {
                reason = "customer_id \(echo(titles.items[i].customerID.raw)) is not in \(customersFile)"
            }
            if dropped.isEmpty { dropped = [Bool](repeating: false, count: titles.items.count) }
            dropped[i] = true
            titles.rejects.append(Reject(file: file, line: titles.items[i].line, column: column, reason: reason))
        }
        if !dropped.isEmpty { titles.dropItems(dropped) }
    }

    private func title(_ t: CSVTable, id: String) throws(RowReject) -> Title {
        typealias R = ReceivableColumn
        let customerID = try t.key(R.customerID.rawValue)
        let due = try CellText.dayOrReject(try t.required(R.dueDate.rawValue), column: R.dueDate.header)
        let amount = try CellText.moneyOrReject(try t.required(R.amount.rawValue), column: R.amount.header)
        let issue = try optionalDay(t, .issueDate)
        var status = TitleStatus.open
        if let b = try t.cell(R.status.rawValue) {
            guard let s = TitleStatus(rawValue: String(decoding: b, as: UTF8.self).lowercased()) else {
                throw RowReject(
                    column: R.status.header,
                    reason: "status \(CellText.echo(b)) is not one of "
                        + TitleStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            status = s
        }
        var paid = Money.zero
        if let b = try t.cell(R.paidAmount.rawValue) {
            paid = try CellText.moneyOrReject(b, column: R.paidAmount.header)
            if paid > amount {
                throw RowReject(
                    column: R.paidAmount.header,
                    reason: "paid_amount \(paid.plain) is more than amount \(amount.plain)")
            }
        }
        let paidDate = try optionalDay(t, .paidDate)
        let promise = try optionalDay(t, .promiseDate)
        if status == .promised, promise == nil {
            throw RowReject(
                column: R.promiseDate.header, reason: "promise_date is empty (it is required when status is promised)")
        }
        var nosso: String?
        if let b = try t.cell(R.nossoNumero.rawValue) {
            guard b.count <= 20, b.allSatisfy(CellText.isDigit) else {
                throw RowReject(
                    column: R.nossoNumero.header,
                    reason: "nosso_numero \(CellText.echo(b)) must be digits only, at most 20")
            }
            nosso = String(decoding: b, as: UTF8.self)
        }
        var installment: String?
        if let b = try t.cell(R.installment.rawValue) {
            guard let i = Self.installment(b) else {
                throw RowReject(
                    column: R.installment.header, reason: "installment \(CellText.echo(b)) is not like 3/12")
            }
            installment = i
        }
        let barcode = try digits(t, .barcode, count: 44)
        let linha = try digits(t, .linhaDigitavel, count: 47)
        return Title(
            id: TitleID(id), customerID: CustomerID(customerID), dueDate: due, amount: amount,
            issueDate: issue, status: status, paidAmount: paid, paidDate: paidDate, promiseDate: promise,
            nossoNumero: nosso, installment: installment, barcode: barcode, linhaDigitavel: linha,
            line: t.line)
    }

    private func optionalDay(_ t: CSVTable, _ column: ReceivableColumn) throws(RowReject) -> Day? {
        guard let b = try t.cell(column.rawValue) else { return nil }
        return try CellText.dayOrReject(b, column: column.header)
    }

    /// A digit string of a fixed length; spaces, dots and hyphens (as in a linha digitável) are dropped.
    private func digits(_ t: CSVTable, _ column: ReceivableColumn, count: Int) throws(RowReject) -> String? {
        guard let b = try t.cell(column.rawValue) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for c in b {
            if CellText.isDigit(c) {
                out.append(c)
            } else if c != UInt8(ascii: " "), c != UInt8(ascii: "."), c != UInt8(ascii: "-") {
                throw RowReject(
                    column: column.header, reason: "\(column.header) \(CellText.echo(b)) must hold digits only")
            }
        }
        guard out.count == count else {
            throw RowReject(
                column: column.header, reason: "\(column.header) has \(out.count) digits; it must have \(count)")
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `3/12` (leading zeros dropped), part between 1 and the total.
    static func installment(_ b: CellBytes) -> String? {
        let parts = b.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        var numbers: [Int] = []
        for p in parts {
            let t = CellText.trimmed(CellBytes(rebasing: p))
            guard (1...3).contains(t.count), t.allSatisfy(CellText.isDigit) else { return nil }
            numbers.append(t.reduce(0) { $0 * 10 + Int($1 - 48) })
        }
        guard numbers[0] >= 1, numbers[0] <= numbers[1] else { return nil }
        return "\(numbers[0])/\(numbers[1])"
    }

    private static func echo(_ s: String) -> String {
        let copy = Array(s.utf8)
        return copy.withUnsafeBufferPointer(CellText.echo)
    }
}
