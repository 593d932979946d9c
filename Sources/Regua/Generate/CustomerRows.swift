/// Generated rows of customers.csv: 80% people (CPF), 20% companies (CNPJ, a quarter of them
/// in the alphanumeric 2026 form), with the gaps and variety real exports have.
struct CustomerRows {
    static let header = [
        "customer_id", "name", "document", "email", "phone", "address_street", "address_number",
        "address_complement", "address_district", "address_city", "address_state", "address_zip",
        "segment", "score", "tags", "opt_out",
    ]

    /// Digits of the zero-padded number in a customer id (`C0000042`).
    let width: Int
    private let asciiFirst = SampleNames.first.map(SampleNames.ascii)
    private let asciiLast = SampleNames.last.map(SampleNames.ascii)

    /// ``DataGenerator/Mix/realistic``: long names and addresses, fewer e-mails.
    let realistic: Bool

    init(width: Int, realistic: Bool = false) {
        self.width = width
        self.realistic = realistic
    }

    /// The id of customer `i` (also used by the title rows).
    static func id(_ i: Int, width: Int, into out: inout RowBytes) {
        out.empty()
        out.bytes.append(UInt8(ascii: "C"))
        out.digits(i, width: width)
    }

    /// Appends customer `i`; a `bad` one gets an invalid CPF (wrong check digit).
    func row(_ i: Int, bad: Bool, into out: inout RowBytes, _ rng: inout SplitMix64) {
        let company = !bad && rng.chance(200)
        let f = rng.below(SampleNames.first.count)
        let l1 = rng.below(SampleNames.last.count)
        let l2 = rng.below(SampleNames.last.count)
        Self.id(i, width: width, into: &out)

        // name
        if company {
            let last = SampleNames.last[l1]
            let kind = rng.below(100)
            if kind < 3 {
                out.text("\(last), \(SampleNames.last[l2]) & Cia. Ltda")  // needs quoting
            } else if kind < 4 {
                out.text("Bar \"do \(SampleNames.first[f])\" Ltda")  // doubled quotes
            } else if realistic {
                out.text(
                    "\(rng.pick(SampleNames.business)) \(rng.pick(SampleNames.businessTrade)) \(last) \(SampleNames.last[l2]) \(rng.pick(SampleNames.companySuffix))"
                )
            } else {
                out.text("\(rng.pick(SampleNames.business)) \(last) \(rng.pick(SampleNames.companySuffix))")
            }
        } else if realistic {
            // Brazilian full names: one or two given names, a particle, two or three surnames.
            var name = SampleNames.first[f]
            if rng.chance(600) { name += " " + rng.pick(SampleNames.first) }
            if rng.chance(400) { name += " " + rng.pick(SampleNames.particles) }
            name += " " + SampleNames.last[l2]
            if rng.chance(500) { name += " " + rng.pick(SampleNames.last) }
            name += " " + SampleNames.last[l1]
            out.text(name)
        } else {
            let middle = rng.chance(500) ? " " + SampleNames.last[rng.below(SampleNames.last.count)] : ""
            out.text("\(SampleNames.first[f])\(middle) \(SampleNames.last[l1])")
        }

        // document
        let digits =
            company
            ? SampleDocuments.cnpj(&rng, alphanumeric: rng.chance(250))
            : SampleDocuments.cpf(&rng, broken: bad)
        if rng.chance(500) {
            out.text(SampleDocuments.punctuated(digits))
        } else {
            out.text(String(decoding: digits, as: UTF8.self))
        }

        // email
        if rng.chance(realistic ? 650 : 850) {
            let local = company ? "financeiro.\(asciiLast[l1])" : "\(asciiFirst[f]).\(asciiLast[l1])"
            out.text("\(local)\(rng.below(1000))@\(rng.pick(SampleNames.domains))")
        } else {
            out.empty()
        }

        // phone, in one of the writings people use
        let city = rng.pick(SampleNames.cities)
        if rng.chance(800) {
            let mobile = !company || rng.chance(300)
            let head = mobile ? 90_000 + rng.below(10_000) : 2_000 + rng.below(4_000)
            let tail = rng.below(10_000)
            let number = mobile ? pad(head, 5) + pad(tail, 4) : pad(head, 4) + pad(tail, 4)
            let split = number.count - 4
            let a = String(number.prefix(split))
            let b = String(number.suffix(4))
            switch rng.below(4) {
            case 0: out.text("(\(city.ddd)) \(a)-\(b)")
            case 1: out.text("+55 \(city.ddd) \(a)-\(b)")
            case 2: out.text("\(city.ddd)\(number)")
            default: out.text("0\(city.ddd) \(a) \(b)")
            }
        } else {
            out.empty()
        }

        // address
        if realistic {
            Self.longAddress(city, into: &out, &rng)
        } else {
            Self.address(city, into: &out, &rng)
        }

        // segment, score, tags, opt-out
        out.text(company ? "B2B" : "B2C")
        if rng.chance(900) { out.number(rng.below(1001)) } else { out.empty() }
        var tags: [String] = []
        if company, rng.chance(150) { tags.append("key-account") }
        if rng.chance(50) { tags.append("vip") }
        if rng.chance(30) { tags.append("renegociado") }
        if tags.isEmpty { out.empty() } else { out.text(tags.joined(separator: ";")) }
        if rng.chance(30) {
            out.text(rng.pick(["sms", "email", "letter", "email;sms"]))
        } else {
            out.empty()
        }
        out.endRow()
    }

    /// The standard mix's address: mostly complete, some without number or CEP.
    private static func address(
        _ city: (city: String, state: String, ddd: Int, cep: Int), into out: inout RowBytes, _ rng: inout SplitMix64
    ) {
        let completeness = rng.below(100)
        if completeness < 2 {
            for _ in 0..<7 { out.empty() }
            return
        }
        out.text(rng.pick(SampleNames.streets))
        if completeness < 6 { out.empty() } else { out.number(1 + rng.below(3000)) }
        if rng.chance(300) { out.text(rng.pick(SampleNames.complements)) } else { out.empty() }
        out.text(rng.pick(SampleNames.districts))
        out.text(city.city)
        out.text(rng.chance(900) ? city.state : city.state.lowercased())
        if completeness < 9 {
            out.empty()
        } else {
            let cep = city.cep * 1_000_000 + rng.below(1_000_000)
            let text = pad(cep, 8)
            out.text(rng.chance(500) ? String(text.prefix(5)) + "-" + String(text.suffix(3)) : text)
        }
    }

    /// The realistic mix's address: long street and district names, complete for a letter but
    /// for one customer in two hundred.
    private static func longAddress(
        _ city: (city: String, state: String, ddd: Int, cep: Int), into out: inout RowBytes, _ rng: inout SplitMix64
    ) {
        let completeness = rng.below(1000)
        if completeness < 5 {
            for _ in 0..<7 { out.empty() }
            return
        }
        out.text(rng.pick(SampleNames.longStreets))
        out.number(1 + rng.below(9000))
        if rng.chance(600) { out.text(rng.pick(SampleNames.complements)) } else { out.empty() }
        out.text(rng.pick(SampleNames.longDistricts))
        out.text(city.city)
        out.text(city.state)
        let cep = city.cep * 1_000_000 + rng.below(1_000_000)
        let text = pad(cep, 8)
        out.text(completeness < 15 ? String(text.prefix(5)) + "-" + String(text.suffix(3)) : text)
    }
}
