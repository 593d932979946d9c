/// A customer's text fields, one after the other in one buffer, each read back on demand: what
/// ``Customer`` keeps its name, contacts, address and segment in, packed here where the rows
/// are read. It still pays: on the 1M-title night (250,000 customers, 2026-12-04) a
/// `Customer` of plain `String` fields made reading the files take 10% longer (21% more CPU)
/// and 11% more memory.
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
            return String(decoding: storage[start..<end], as: UTF8.self)
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
