import Testing
@testable import Regua

@Suite struct CustomerTextTests {
    private let document = Document(kind: .cpf, value: "52998224725")

    /// Every field present or absent, with accents, empty strings and long values: what goes
    /// in comes out, field by field.
    @Test func everyCombinationOfFieldsReadsBack() {
        var rng = SplitMix64(seed: 3)
        let samples = [
            "", "Ana", "Conceição Araújo", "x@exemplo.com.br", String(repeating: "Rua longa ", count: 40), "SP",
        ]
        for _ in 0..<2_000 {
            func pick() -> String? {
                let r = Int(rng.next() % UInt64(samples.count + 1))
                return r == samples.count ? nil : samples[r]
            }
            let address = PostalAddress(
                street: pick(), number: pick(), complement: pick(), district: pick(), city: pick(), state: pick(),
                zip: pick())
            let name = pick() ?? "Maria"
            let (email, phone, segment) = (pick(), pick(), pick())
            let c = Customer(
                id: CustomerID("C1"), name: name, document: document, email: email, phone: phone, address: address,
                segment: segment)
            #expect(c.name == name)
            #expect(c.email == email)
            #expect(c.phone == phone)
            #expect(c.segment == segment)
            #expect(c.address == address)
            #expect(c.hasContact(for: .email) == (email != nil))
            #expect(c.hasContact(for: .sms) == (phone != nil))
            #expect(c.hasContact(for: .letter) == address.isComplete)
        }
    }

    @Test func settersChangeOneFieldAndKeepTheOthers() {
        var c = Customer(
            id: CustomerID("C1"), name: "José da Silva", document: document, email: "jose@exemplo.com.br",
            phone: "+5511987654321",
            address: PostalAddress(street: "Rua A", number: "10", city: "São Paulo", state: "SP", zip: "01310100"),
            segment: "B2C")
        c.email = nil
        #expect(c.email == nil && c.name == "José da Silva" && c.phone == "+5511987654321" && c.segment == "B2C")
        c.address.complement = "apto 5"
        #expect(c.address.complement == "apto 5" && c.address.street == "Rua A" && c.address.zip == "01310100")
        c.name = "Ana"
        #expect(c.name == "Ana" && c.address.city == "São Paulo" && c.segment == "B2C")
        c.segment = nil
        c.address = PostalAddress()
        #expect(c.segment == nil && !c.hasContact(for: .letter) && c.phone == "+5511987654321" && c.name == "Ana")
    }
}
