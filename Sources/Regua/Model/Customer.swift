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
/// The name, contacts, address and segment are kept together in one buffer
/// (``CustomerText``): a quarter of a million customers cost one allocation each instead of up
/// to eleven, and a copy of a customer retains one buffer. They read and write as Strings.
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

/// A customer's text fields, one after the other in one String, each read back on demand.
struct CustomerText: Sendable {
    /// The fields, in the order they are stored.
    enum Field: Int, CaseIterable {
        case name, email, phone, street, number, complement, district, city, state, zip, segment
    }

    /// Every present field's UTF-8, in field order: bytes, checked as UTF-8 where they were read
    /// (a String here would check them all again for each of a quarter of a million customers).
    private var storage: [UInt8]
    /// `ends[i]`: offset in `storage` one past field i (an absent field ends where the one
    /// before it does).
    private var ends: SIMD16<UInt32>
    /// Bit i set when field i is present.
    private var present: UInt16

    /// Whether a field is present.
    @inline(__always)
    func has(_ field: Field) -> Bool { present & (1 << UInt16(field.rawValue)) != 0 }

    /// A field as a String, nil when absent.
    subscript(field: Field) -> String? {
        get {
            guard has(field) else { return nil }
            let start = field.rawValue == 0 ? 0 : Int(ends[field.rawValue - 1])
            let end = Int(ends[field.rawValue])
            return storage.withUnsafeBufferPointer {
                String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self)
            }
        }
        set {
            var b = Builder()
            for f in Field.allCases { b.append(f, f == field ? newValue : self[f]) }
            self = b.finish()
        }
    }

    init(name: String, email: String?, phone: String?, address a: PostalAddress, segment: String?) {
        var b = Builder()
        for (f, v) in zip(
            Field.allCases,
            [name, email, phone, a.street, a.number, a.complement, a.district, a.city, a.state, a.zip, segment])
        {
            b.append(f, v)
        }
        self = b.finish()
    }

    private init(storage: [UInt8], ends: SIMD16<UInt32>, present: UInt16) {
        self.storage = storage
        self.ends = ends
        self.present = present
    }

    /// Packs fields given in field order (each at most once; the ones not given are absent).
    struct Builder {
        /// The bytes so far; a parser keeps one builder for all its rows (``reset()``). A buffer
        /// object: copies of a builder would share it, so each parser makes its own.
        let bytes = TextBytes()
        private var ends = SIMD16<UInt32>()
        private var present: UInt16 = 0
        private var next = 0

        /// Empties the builder, keeping its capacity.
        mutating func reset() {
            bytes.removeAll()
            ends = SIMD16<UInt32>()
            present = 0
            next = 0
        }

        /// Marks the fields before `field` absent (at its place, nothing stored).
        private mutating func skip(to field: Field) {
            precondition(field.rawValue >= next, "fields out of order")
            while next < field.rawValue {
                ends[next] = UInt32(bytes.count)
                next += 1
            }
        }

        /// Ends `field` at the bytes appended since ``open(_:)`` gave `start`; present when any
        /// byte was appended, or when `presentIfEmpty`.
        mutating func close(_ field: Field, start: Int, presentIfEmpty: Bool = false) {
            ends[field.rawValue] = UInt32(bytes.count)
            if bytes.count > start || presentIfEmpty { present |= 1 << UInt16(field.rawValue) }
            next = field.rawValue + 1
        }

        /// Where the bytes of `field` start: call, append its bytes to ``bytes``, then ``close(_:start:presentIfEmpty:)``.
        mutating func open(_ field: Field) -> Int {
            skip(to: field)
            precondition(bytes.count + 65_536 < Int(UInt32.max), "customer text too long")
            return bytes.count
        }

        /// Appends a whole field (nil: absent; the name is present even when empty).
        mutating func append(_ field: Field, _ value: String?) {
            let start = open(field)
            if let value { bytes.append(value) }
            close(field, start: start, presentIfEmpty: value != nil)
        }

        /// The packed text; fields not given are absent.
        func finish() -> CustomerText {
            var ends = self.ends
            for i in next..<Field.allCases.count { ends[i] = UInt32(bytes.count) }
            // A copy of its own size: the builder's buffer is reused for the next row.
            return CustomerText(storage: Array(bytes.buffer), ends: ends, present: present)
        }
    }
}

/// Growable bytes that a row's text is appended to: one capacity check and a copy per append,
/// not the generic path of an array (a quarter of a million customers, a dozen cells each).
final class TextBytes {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1_024) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// The bytes so far (valid until the next append).
    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Empties the buffer, keeping its room.
    func removeAll() { count = 0 }

    /// Room for `extra` more bytes, and where they go.
    @inline(__always)
    func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        if count + extra > capacity { grow(count + extra) }
        return base + count
    }

    /// Counts `n` bytes written after ``reserve(_:)``.
    @inline(__always)
    func didAppend(_ n: Int) { count += n }

    @inline(__always)
    func append(_ b: UnsafeBufferPointer<UInt8>) {
        guard let from = b.baseAddress else { return }
        reserve(b.count).update(from: from, count: b.count)
        count += b.count
    }

    func append(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    private func grow(_ needed: Int) {
        let bigger = max(capacity * 2, needed)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = bigger
    }
}
