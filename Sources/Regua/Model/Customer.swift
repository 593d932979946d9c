/// A customer's identifier as given in customers.csv.
public struct CustomerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The identifier as written in the file.
    public let raw: String
    /// Wraps an identifier as written in the file.
    public init(_ raw: String) { self.raw = raw }
    /// The identifier as written in the file.
    public var description: String { raw }
    /// Orders identifiers by their UTF-8 bytes.
    public static func < (a: CustomerID, b: CustomerID) -> Bool { UTF8Order.precedes(a.raw, b.raw) }
}

/// A Brazilian taxpayer number: CPF for people, CNPJ for companies.
public struct Document: Hashable, Sendable {
    /// CPF (a person) or CNPJ (a company).
    public enum Kind: String, Sendable { case cpf, cnpj }
    /// CPF or CNPJ.
    public let kind: Kind
    /// Digits (and, for the 2026 alphanumeric CNPJ, upper-case letters) without punctuation.
    public let value: String

    /// Creates a document of a kind from its characters without punctuation.
    public init(kind: Kind, value: String) {
        self.kind = kind
        self.value = value
    }

    /// The document with most characters hidden, for logs and reports (LGPD).
    public var masked: String {
        let v = Array(value)
        guard v.count > 5 else { return String(repeating: "*", count: v.count) }
        return String(repeating: "*", count: v.count - 4) + String(v.suffix(4))
    }

    /// `123.456.789-09` or `12.345.678/0001-95`.
    public var formatted: String {
        let v = Array(value)
        switch kind {
        case .cpf where v.count == 11:
            return String(v[0..<3]) + "." + String(v[3..<6]) + "." + String(v[6..<9]) + "-" + String(v[9..<11])
        case .cnpj where v.count == 14:
            return String(v[0..<2]) + "." + String(v[2..<5]) + "." + String(v[5..<8]) + "/" + String(v[8..<12]) + "-"
                + String(v[12..<14])
        default:
            return value
        }
    }
}

/// A postal address; complete when a letter can be sent to it.
public struct PostalAddress: Hashable, Sendable {
    /// Street name.
    public var street: String?
    /// Street number.
    public var number: String?
    /// Apartment, suite or other complement.
    public var complement: String?
    /// District (bairro).
    public var district: String?
    /// City.
    public var city: String?
    /// Unidade federativa, two upper-case letters.
    public var state: String?
    /// CEP, eight digits.
    public var zip: String?

    /// Creates an address; absent parts are nil.
    public init(
        street: String? = nil, number: String? = nil, complement: String? = nil, district: String? = nil,
        city: String? = nil, state: String? = nil, zip: String? = nil
    ) {
        self.street = street
        self.number = number
        self.complement = complement
        self.district = district
        self.city = city
        self.state = state
        self.zip = zip
    }

    /// Street, number, city, UF and CEP are all present (complement and district are optional).
    public var isComplete: Bool {
        street != nil && number != nil && city != nil && state != nil && zip != nil
    }

    /// `01310-100`.
    public var formattedZip: String? {
        guard let z = zip, z.count == 8 else { return zip }
        return String(z.prefix(5)) + "-" + String(z.suffix(3))
    }

    /// The lines printed in an envelope window.
    public var lines: [String] {
        var l1 = [street, number].compactMap { $0 }.joined(separator: ", ")
        if let c = complement { l1 += " - " + c }
        var out = [l1]
        if let d = district { out.append(d) }
        out.append([city, state].compactMap { $0 }.joined(separator: " - "))
        if let z = formattedZip { out.append("CEP " + z) }
        return out.filter { !$0.isEmpty }
    }
}

/// One row of customers.csv, validated.
///
/// The name, contacts, address and segment read and write as Strings; they are kept together
/// in one buffer that ingest packs (``CustomerText``, in `Ingest/PackedCustomerText.swift`): a
/// quarter of a million customers cost one allocation each instead of up to eleven, and a copy
/// of a customer retains one buffer.
public struct Customer: Sendable {
    /// The customer's id.
    public var id: CustomerID
    /// The customer's CPF or CNPJ.
    public var document: Document
    /// The customer's credit score, if any.
    public var score: Int?
    /// The customer's tags.
    public var tags: [String]
    /// Channels the customer refused.
    public var optOut: Set<Channel>
    /// 1-based line of the row in its file (for messages to people).
    public var line: Int
    /// A reason that stops all collection for this customer (`litigation`,
    /// `judicial_recovery`, …), or nil (SPEC §3 Holds).
    public var hold: String?
    /// `whatsapp_opt_in`: the day the customer agreed to WhatsApp messages; nil when absent or
    /// malformed (SPEC §3 Channel: a malformed date counts as none).
    public var whatsappOptIn: Day?
    /// Name, e-mail, phone, address parts and segment.
    var text: CustomerText

    /// The customer's full name.
    public var name: String {
        get { text[.name] ?? "" }
        set { text[.name] = newValue }
    }
    /// The customer's e-mail address, if usable.
    public var email: String? {
        get { text[.email] }
        set { text[.email] = newValue }
    }
    /// E.164, e.g. `+5511987654321`.
    public var phone: String? {
        get { text[.phone] }
        set { text[.phone] = newValue }
    }
    /// The customer's segment (e.g. `B2B`), if any.
    public var segment: String? {
        get { text[.segment] }
        set { text[.segment] = newValue }
    }
    /// The customer's postal address.
    public var address: PostalAddress {
        get {
            PostalAddress(
                street: text[.street], number: text[.number], complement: text[.complement],
                district: text[.district], city: text[.city], state: text[.state], zip: text[.zip])
        }
        set { text = CustomerText(name: name, email: email, phone: phone, address: newValue, segment: segment) }
    }

    /// Creates a customer.
    public init(
        id: CustomerID, name: String, document: Document, email: String? = nil, phone: String? = nil,
        address: PostalAddress = PostalAddress(), segment: String? = nil, score: Int? = nil,
        tags: [String] = [], optOut: Set<Channel> = [], line: Int = 0
    ) {
        self.init(
            id: id, text: CustomerText(name: name, email: email, phone: phone, address: address, segment: segment),
            document: document, score: score, tags: tags, optOut: optOut, line: line)
    }

    /// Creates a customer whose text fields are already packed.
    init(
        id: CustomerID, text: CustomerText, document: Document, score: Int?, tags: [String],
        optOut: Set<Channel>, line: Int
    ) {
        self.id = id
        self.text = text
        self.document = document
        self.score = score
        self.tags = tags
        self.optOut = optOut
        self.line = line
    }

    /// Whether the customer has what the channel needs (an e-mail, a phone, a complete address;
    /// for WhatsApp a phone and an opt-in given on or before `day`, or at all when `day` is nil).
    public func hasContact(for channel: Channel, on day: Day? = nil) -> Bool {
        switch channel {
        case .email: text.has(.email)
        case .sms, .call: text.has(.phone)
        case .whatsapp: text.has(.phone) && whatsappOptIn.map { day == nil || $0 <= day! } == true
        // `address.isComplete`, read from the presence mask: no address Strings per call.
        case .letter: text.has(.street) && text.has(.number) && text.has(.city) && text.has(.state) && text.has(.zip)
        }
    }
}
