/// The columns of receivables.csv (SPEC §1), by number.
enum ReceivableColumn: Int, CaseIterable {
    case titleID, customerID, dueDate, amount, issueDate, status, paidAmount, paidDate, promiseDate
    case nossoNumero, installment, barcode, linhaDigitavel
    case kind

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
        case .kind: "kind"
        }
    }

    static let names = allCases.map(\.header)
    static let required = [titleID, customerID, dueDate, amount].map(\.header)
}

/// Reads one row of receivables.csv. Whether its customer exists is checked afterwards for
/// all titles at once (``checkCustomers(_:file:customersFile:customers:known:links:)``).
struct TitleRowParser: RowParser {
    static var keyColumn: Int { ReceivableColumn.titleID.rawValue }
    static var keyName: String { ReceivableColumn.titleID.header }

    mutating func parse(_ t: CSVTable, key: String) throws(RowReject) -> Title {
        try title(t, id: key)
    }

    static var hasLink: Bool { true }
    static func link(_ item: Title) -> String { item.customerID.raw }
    static func key(_ item: Title) -> String { item.id.raw }
    static func rejectIDs(_ t: CSVTable) -> (customer: String?, title: String?) {
        (t.readableKey(ReceivableColumn.customerID.rawValue), t.readableKey(ReceivableColumn.titleID.rawValue))
    }
    static func line(_ item: Title) -> Int { item.line }
    /// Title keys are only looked at for repeats.
    static var needsSightingsWhenSorted: Bool { false }

    /// The customer_ids of customers.csv, each row that first had its key, grouped to be
    /// matched by ``checkCustomers(_:file:customersFile:customers:known:links:)``.
    struct KnownCustomers {
        /// Sighting index of each key's first row.
        var firsts: [Int]
        /// Whether that row was accepted (a title of a refused customer is refused too).
        var accepted: [Bool]
        var groups: KeyGroups
    }

    /// Groups the customer keys; `bits` must be the grouping of the titles to match.
    static func knownCustomers(_ customers: RowChunk<Customer>, firstSightings: [Int32], bits: Int) -> KnownCustomers {
        var firsts: [Int] = []
        for (i, f) in firstSightings.enumerated() where f == Int32(i) { firsts.append(i) }
        let accepted = firsts.map { customers.sightings[$0].accepted }
        let groups = customers.sightings.withUnsafeBufferPointer { list in
            KeyGroups(count: firsts.count, bits: bits, hash: { list[firsts[$0]].hash }) { list[firsts[$0]].key }
        }
        return KnownCustomers(firsts: firsts, accepted: accepted, groups: groups)
    }

    /// Part `k` of `parts` of the titles' customer_ids, grouped with `bits` to be matched by
    /// ``checkCustomers(_:file:customersFile:customers:known:links:)``.
    static func linkPart(_ titles: RowChunk<Title>, _ k: Int, of parts: Int, bits: Int) -> KeyGroups {
        titles.items.withUnsafeBufferPointer { list in
            titles.linkHashes.withUnsafeBufferPointer { hashes in
                KeyGroups.part(
                    count: list.count, k, of: parts, bits: bits, hash: { hashes[$0] }, key: { list[$0].customerID.raw })
            }
        }
    }

    /// Refuses the titles whose customer_id is not in customers.csv or whose customer row was
    /// refused there. `customers` must have had its repeated keys refused already, and `links`
    /// be every ``linkPart(_:_:of:bits:)`` of the titles as they are.
    static func checkCustomers(
        _ titles: inout RowChunk<Title>, file: String, customersFile: String,
        customers: RowChunk<Customer>, known: KnownCustomers, links: [KeyGroups]
    ) {
        // Usually no title is refused: the list of (title index, customer index or nil) is empty.
        let found = known.groups.match(parts: links, count: titles.items.count)
        var refused: [(Int, Int?)] = []
        for (i, f) in found.enumerated() where f.map({ !known.accepted[$0] }) ?? true { refused.append((i, f)) }
        guard !refused.isEmpty else { return }
        var dropped = [Bool](repeating: false, count: titles.items.count)
        let column = ReceivableColumn.customerID.header
        for (i, f) in refused {
            let reason: String
            if let f {
                let s = customers.sightings[known.firsts[f]]
                reason =
                    "customer_id \(echo(titles.items[i].customerID.raw)) foi recusado em \(customersFile) "
                    + "(linha \(s.line)), por isso seus títulos também são recusados"
            } else {
                reason = "customer_id \(echo(titles.items[i].customerID.raw)) não está em \(customersFile)"
            }
            dropped[i] = true
            titles.rejects.append(
                Reject(
                    file: file, line: titles.items[i].line, column: column, reason: reason,
                    customerID: titles.items[i].customerID.raw, titleID: titles.items[i].id.raw))
        }
        titles.dropItems(dropped)
    }

    private func title(_ t: CSVTable, id: String) throws(RowReject) -> Title {
        typealias R = ReceivableColumn
        let customerID = try t.key(R.customerID.rawValue)
        let due = try CellText.dayOrReject(try t.required(R.dueDate.rawValue), column: R.dueDate.header)
        let amount = try CellText.moneyOrReject(try t.required(R.amount.rawValue), column: R.amount.header)
        let issue = try optionalDay(t, .issueDate)
        var status = TitleStatus.open
        if let b = try t.cell(R.status.rawValue) {
            guard let s = Self.status(b) else {
                throw RowReject(
                    column: R.status.header,
                    reason: "status \(CellText.echo(b)) não é um destes: "
                        + TitleStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            status = s
        }
        var paid = Money.zero
        if let b = try t.cell(R.paidAmount.rawValue) {
            // More than the amount is the normal late payment (multa and juros paid with the
            // boleto): nothing is outstanding, and the excess is counted as fees received.
            paid = try CellText.moneyOrReject(b, column: R.paidAmount.header)
        }
        let paidDate = try optionalDay(t, .paidDate)
        let promise = try optionalDay(t, .promiseDate)
        if status == .promised, promise == nil {
            throw RowReject(
                column: R.promiseDate.header,
                reason: "promise_date está vazio (é obrigatório quando o status é promised)")
        }
        var nosso: String?
        if let b = try t.cell(R.nossoNumero.rawValue) {
            guard b.count <= 20, b.allSatisfy(CellText.isDigit) else {
                throw RowReject(
                    column: R.nossoNumero.header,
                    reason: "nosso_numero \(CellText.echo(b)) deve ter só dígitos, no máximo 20")
            }
            nosso = String(decoding: b, as: UTF8.self)
        }
        var installment: String?
        if let b = try t.cell(R.installment.rawValue) {
            guard let i = Self.installment(b) else {
                throw RowReject(
                    column: R.installment.header, reason: "installment \(CellText.echo(b)) não é como 3/12")
            }
            installment = i
        }
        let barcode = try digits(t, .barcode, count: 44)
        let linha = try digits(t, .linhaDigitavel, count: 47)
        var title = Title(
            id: TitleID(id), customerID: CustomerID(customerID), dueDate: due, amount: amount,
            issueDate: issue, status: status, paidAmount: paid, paidDate: paidDate, promiseDate: promise,
            nossoNumero: nosso, installment: installment, barcode: barcode, linhaDigitavel: linha,
            line: t.line)
        if let b = try t.cell(R.kind.rawValue) {
            guard let k = TitleKind.allCases.first(where: { ASCIIBytes.equalIgnoringCase(b, Array($0.rawValue.utf8)) })
            else {
                throw RowReject(
                    column: R.kind.header,
                    reason: "kind \(CellText.echo(b)) não é um destes: "
                        + TitleKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            title.kind = k
        }
        return title
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
                    column: column.header, reason: "\(column.header) \(CellText.echo(b)) deve ter só dígitos")
            }
        }
        guard out.count == count else {
            throw RowReject(
                column: column.header, reason: "\(column.header) tem \(out.count) dígitos; deve ter \(count)")
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `3/12` (leading zeros dropped, spaces around each number allowed), part between 1 and
    /// the total, each of 1–3 digits.
    static func installment(_ b: CellBytes) -> String? {
        guard let slash = b.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        @inline(__always) func number(_ from: Int, _ to: Int) -> Int? {
            let t = CellText.trimmed(CellBytes(rebasing: b[from..<to]))
            guard (1...3).contains(t.count) else { return nil }
            var v = 0
            for c in t {
                guard CellText.isDigit(c) else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let part = number(0, slash), let total = number(slash + 1, b.count), part >= 1, part <= total
        else { return nil }
        // At most "999/999": written into a small string without interpolation.
        return UnsafeBytes.asciiString(capacity: 7) { out in
            var n = 0
            func put(_ v: Int) {
                if v >= 100 {
                    out[n] = UInt8(48 + v / 100)
                    n += 1
                }
                if v >= 10 {
                    out[n] = UInt8(48 + v / 10 % 10)
                    n += 1
                }
                out[n] = UInt8(48 + v % 10)
                n += 1
            }
            put(part)
            out[n] = UInt8(ascii: "/")
            n += 1
            put(total)
            return n
        }
    }

    /// The status written in any letter case (`Open`, `PAID`), as bytes: no String per row.
    static func status(_ b: CellBytes) -> TitleStatus? {
        statusNames.first { ASCIIBytes.equalIgnoringCase(b, $0.1) }?.0
    }

    private static let statusNames = TitleStatus.allCases.map { ($0, Array($0.rawValue.utf8)) }

    private static func echo(_ s: String) -> String {
        CellText.withBytes(of: s, CellText.echo)
    }
}
