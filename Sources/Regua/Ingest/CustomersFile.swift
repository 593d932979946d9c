/// The columns of customers.csv (SPEC §1), by number.
enum CustomerColumn: Int, CaseIterable {
    case customerID, name, document, email, phone
    case street, number, complement, district, city, state, zip
    case segment, score, tags, optOut
    case hold
    case whatsappOptIn

    var header: String {
        switch self {
        case .customerID: "customer_id"
        case .name: "name"
        case .document: "document"
        case .email: "email"
        case .phone: "phone"
        case .street: "address_street"
        case .number: "address_number"
        case .complement: "address_complement"
        case .district: "address_district"
        case .city: "address_city"
        case .state: "address_state"
        case .zip: "address_zip"
        case .segment: "segment"
        case .score: "score"
        case .tags: "tags"
        case .optOut: "opt_out"
        case .hold: "hold"
        case .whatsappOptIn: "whatsapp_opt_in"
        }
    }

    static let names = allCases.map(\.header)
    static let required = [customerID, name, document].map(\.header)
}

/// Reads one row of customers.csv.
///
/// An e-mail, phone, UF or CEP that fails its check is treated as absent (the channel then
/// falls back, SPEC §1), not as a reject; every other bad cell refuses its row.
struct CustomerRowParser: RowParser {
    static var keyColumn: Int { CustomerColumn.customerID.rawValue }
    static var keyName: String { CustomerColumn.customerID.header }
    static func key(_ item: Customer) -> String { item.id.raw }
    /// Channels SPEC §1 allows in `opt_out` that have no ``Channel`` yet (read, nothing to hold).
    static let channelsWithoutSteps: Set<String> = Set(["call", "whatsapp"]).subtracting(
        Channel.allCases.map(\.rawValue))
    static func rejectIDs(_ t: CSVTable) -> (customer: String?, title: String?) {
        (t.readableKey(CustomerColumn.customerID.rawValue), nil)
    }
    static func line(_ item: Customer) -> Int { item.line }

    mutating func parse(_ t: CSVTable, key: String) throws(RowReject) -> Customer {
        try customer(t, id: key)
    }

    /// The name, contacts, address and segment of the row being read, packed as they are read.
    private var text = CustomerText.Builder()

    private mutating func customer(_ t: CSVTable, id: String) throws(RowReject) -> Customer {
        typealias C = CustomerColumn
        typealias F = CustomerText.Field
        text.reset()
        // Free text straight into the customer's buffer, in field order.
        func appendText(_ column: CustomerColumn, _ field: F) throws(RowReject) {
            let start = text.open(field)
            _ = try t.appendText(column.rawValue, to: text.bytes)
            text.close(field, start: start)
        }
        let nameStart = text.open(.name)
        guard try t.appendText(C.name.rawValue, to: text.bytes) else {
            throw RowReject(column: C.name.header, reason: "name está vazio (é obrigatório)")
        }
        text.close(.name, start: nameStart)
        let document = try Self.document(try t.required(C.document.rawValue))
        let emailStart = text.open(.email)
        if let b = try t.cell(C.email.rawValue), ContactFields.isEmail(bytes: b) { text.bytes.append(b) }
        text.close(.email, start: emailStart)
        text.append(.phone, try t.cell(C.phone.rawValue).flatMap(BrazilianPhone.e164(bytes:)))
        try appendText(.street, .street)
        try appendText(.number, .number)
        try appendText(.complement, .complement)
        try appendText(.district, .district)
        try appendText(.city, .city)
        text.append(.state, try t.cell(C.state.rawValue).flatMap(ContactFields.state(bytes:)))
        text.append(.zip, try t.cell(C.zip.rawValue).flatMap(ContactFields.zip(bytes:)))
        try appendText(.segment, .segment)
        var score: Int?
        if let b = try t.cell(C.score.rawValue) {
            guard let s = Self.integer(b) else {
                throw RowReject(column: C.score.header, reason: "score \(CellText.echo(b)) não é um número inteiro")
            }
            score = s
        }
        var tags: [String] = []
        if let b = try t.cell(C.tags.rawValue) {
            for part in b.split(separator: UInt8(ascii: ";")) {
                let piece = CellText.trimmed(CellBytes(rebasing: part))
                if let tag = try CSVTable.text(piece, column: C.tags.header), !tags.contains(tag) { tags.append(tag) }
            }
        }
        var optOut: Set<Channel> = []
        if let b = try t.cell(C.optOut.rawValue) {
            for part in b.split(separator: UInt8(ascii: ";")) {
                let piece = CellText.trimmed(CellBytes(rebasing: part))
                if piece.isEmpty { continue }
                let name = String(decoding: piece, as: UTF8.self).lowercased()
                // SPEC §1 lists these too; no step of this release speaks on them, so refusing
                // them is kept (no message can go out on a channel that does not exist yet).
                if Self.channelsWithoutSteps.contains(name) { continue }
                guard let channel = Channel(rawValue: name) else {
                    throw RowReject(
                        column: C.optOut.header,
                        reason: "opt_out \(CellText.echo(piece)) não é um canal (email, sms, letter, call, whatsapp)")
                }
                optOut.insert(channel)
            }
        }
        var customer = Customer(
            id: CustomerID(id), text: text.finish(), document: document, score: score, tags: tags, optOut: optOut,
            line: t.line)
        if let b = try t.cell(C.hold.rawValue) {
            customer.hold = try CSVTable.text(CellText.trimmed(b), column: C.hold.header)
        }
        // SPEC §3 Channel: a malformed opt-in date counts as none (no WhatsApp), not a reject.
        if let b = try t.cell(C.whatsappOptIn.rawValue) {
            customer.whatsappOptIn = CellText.day(CellText.trimmed(b))
        }
        return customer
    }

    /// A CPF or CNPJ, or a reason that says what is wrong without echoing the number (LGPD).
    static func document(_ b: CellBytes) throws(RowReject) -> Document {
        if let d = Document.parse(bytes: b) { return d }
        var chars: [UInt8] = []
        for c in b {
            switch c {
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: " "): continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "a")...UInt8(ascii: "z"):
                chars.append(c)
            default:
                throw RowReject(
                    column: "document",
                    reason: "document tem caracteres além de dígitos, letras e da pontuação . - /")
            }
        }
        let allDigits = chars.allSatisfy(CellText.isDigit)
        let reason: String
        switch chars.count {
        case 11 where !allDigits:
            reason = "document tem 11 caracteres, mas um CPF tem só dígitos"
        case 11 where Set(chars).count == 1:
            reason = "document não é um CPF válido (todos os dígitos são iguais)"
        case 11:
            reason = "document não é um CPF válido: os dígitos verificadores não conferem"
        case 14 where !CellText.isDigit(chars[12]) || !CellText.isDigit(chars[13]):
            reason =
                "document não é um CNPJ válido: os dois últimos caracteres (dígitos verificadores) devem ser dígitos"
        case 14 where allDigits && Set(chars).count == 1:
            reason = "document não é um CNPJ válido (todos os dígitos são iguais)"
        case 14:
            reason = "document não é um CNPJ válido: os dígitos verificadores não conferem"
        default:
            reason = "document tem \(chars.count) caracteres; um CPF tem 11 dígitos e um CNPJ 14 caracteres"
        }
        throw RowReject(column: "document", reason: reason)
    }

    /// An optionally signed integer of at most 18 digits.
    static func integer(_ b: CellBytes) -> Int? {
        var i = 0
        var negative = false
        if let f = b.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            negative = f == UInt8(ascii: "-")
            i = 1
        }
        guard b.count > i, b.count - i <= 18 else { return nil }
        var v = 0
        while i < b.count {
            guard CellText.isDigit(b[i]) else { return nil }
            v = v * 10 + Int(b[i] - 48)
            i += 1
        }
        return negative ? -v : v
    }
}
