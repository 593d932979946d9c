import Testing

@testable import Regua

/// Whether a customer can be reached on a channel, against the rules written out here (SPEC §3
/// Channel): e-mail needs an e-mail, SMS and calls a phone, a letter the street, number, city,
/// UF and CEP (complement and district are optional), WhatsApp a phone and an opt-in given on
/// or before the day (or at all, when no day is asked about).
@Suite struct CustomerContactTests {
    private let document = Document(kind: .cpf, value: "52998224725")

    @Test func everyCombinationOfContactsAnswersByTheRules() {
        var rng = SplitMix64(seed: 3)
        let samples = ["", "Ana", "Conceição Araújo", "x@exemplo.com.br", "+5511987654321", "SP"]
        func pick() -> String? {
            let r = Int(rng.next() % UInt64(samples.count + 1))
            return r == samples.count ? nil : samples[r]
        }
        let days = [nil, Day(iso: "2026-11-20"), Day(iso: "2026-11-23"), Day(iso: "2026-11-24")]
        for _ in 0..<2_000 {
            let address = PostalAddress(
                street: pick(), number: pick(), complement: pick(), district: pick(), city: pick(), state: pick(),
                zip: pick())
            let (email, phone) = (pick(), pick())
            var c = Customer(
                id: CustomerID("C1"), name: pick() ?? "Maria", document: document, email: email, phone: phone,
                address: address, segment: pick())
            let optIn = days[Int(rng.next() % 4)]
            let day = days[Int(rng.next() % 4)]
            c.whatsappOptIn = optIn
            let letter = [address.street, address.number, address.city, address.state, address.zip]
            #expect(c.hasContact(for: .email) == (email != nil))
            #expect(c.hasContact(for: .sms) == (phone != nil) && c.hasContact(for: .call) == (phone != nil))
            #expect(c.hasContact(for: .letter) == letter.allSatisfy { $0 != nil })
            let whatsapp = phone != nil && optIn != nil && (day == nil || optIn!.ordinal <= day!.ordinal)
            #expect(c.hasContact(for: .whatsapp, on: day) == whatsapp)
        }
    }
}
