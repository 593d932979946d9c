import Testing

@testable import Regua

private typealias F = DeciderFixtures

/// SPEC §3 Channel: a contact feedback marked unusable counts as lacking, for the value it was
/// marked for; a new value in customers.csv is usable again.
@Suite struct UnusableContactTests {
    static func history(_ marks: [(String, ContactKind, String, ContactIssue)]) -> LedgerHistory {
        var h = LedgerHistory()
        for (id, kind, hash, issue) in marks {
            h.unusableContacts[CustomerID(id), default: []].append(
                UnusableContact(kind: kind, valueHash: hash, issue: issue, since: Day(iso: "2026-11-20")!))
        }
        return h
    }

    @Test func bouncedEmailTakesTheFallbackOrIsHeldNoContact() {
        let bounced = F.customer("bounced", email: "velho@example.com")
        let renewed = F.customer("renewed", email: "novo@example.com")
        let noAddress = F.customer("noaddr", email: "velho2@example.com", address: PostalAddress())
        let h = Self.history([
            ("bounced", .email, ContactHash.email("VELHO@example.com "), .bouncedEmail),
            ("renewed", .email, ContactHash.email("velho@example.com"), .bouncedEmail),
            ("noaddr", .email, ContactHash.email("velho2@example.com"), .bouncedEmail),
        ])
        let customers = [bounced, renewed, noAddress]
        let titles = customers.map { F.title("t-\($0.id.raw)", $0.id.raw, due: "2026-11-18") }
        let d = F.decide(customers, titles, asOf: "2026-11-23", history: h)
        #expect(d.action("t-bounced", "overdue_d3")?.channel == .letter)
        #expect(d.action("t-bounced", "overdue_d3")?.kind == .sent)
        #expect(d.action("t-renewed", "overdue_d3")?.channel == .email)
        #expect(d.action("t-noaddr", "overdue_d3")?.reason == .noContact)
        #expect(d.action("t-noaddr", "overdue_d3")?.kind == .held)
        // Without the marks every one of them gets the e-mail.
        let plain = F.decide(customers, titles, asOf: "2026-11-23")
        #expect(plain.messages.map(\.channel) == [.email, .email, .email])
    }

    @Test func aMarkOnAnotherContactOrCustomerChangesNothing() {
        let c = F.customer("c1", email: "a@example.com", phone: "+5511987654321")
        let h = Self.history([
            ("c1", .phone, ContactHash.phone("+5511987654321"), .undeliveredSMS),
            ("c2", .email, ContactHash.email("a@example.com"), .bouncedEmail),
        ])
        let t = F.title("t1", "c1", due: "2026-11-18")
        #expect(F.decide([c], [t], asOf: "2026-11-23", history: h).action("t1", "overdue_d3")?.channel == .email)
        // The SMS step of the same customer is held: its phone is the one marked.
        let sms = F.title("t2", "c1", due: "2026-11-23")
        let d = F.decide([c], [sms], asOf: "2026-11-23", history: h)
        #expect(d.action("t2", "due_today")?.reason == .noContact)
    }

    @Test func explainNamesTheIssue() {
        let c = F.customer("c1", email: "a@example.com", address: PostalAddress())
        let h = Self.history([("c1", .email, ContactHash.email("a@example.com"), .bouncedEmail)])
        let e = NightDecider(book: F.book(), asOf: Day(iso: "2026-11-23")!).explain(
            customer: c, titles: [F.title("t1", "c1", due: "2026-11-18")], history: h)
        let verdicts = e.titles[0].steps.map(\.verdict.description)
        #expect(verdicts.contains("due, held back: no_contact (bounced_email)"))
        let withAddress = F.customer("c1", email: "a@example.com")
        let e2 = NightDecider(book: F.book(), asOf: Day(iso: "2026-11-23")!).explain(
            customer: withAddress, titles: [F.title("t1", "c1", due: "2026-11-18")], history: h)
        #expect(
            e2.titles[0].steps.map(\.verdict.description).contains(
                "email contact unusable (bounced_email): fallback letter"))
    }

    @Test func addressHashIgnoresCaseAndSpacesOnly() {
        let a = PostalAddress(street: "Rua A", number: "1", city: "São Paulo", state: "SP", zip: "01001000")
        var b = a
        b.street = " RUA A "
        #expect(ContactHash.address(a) == ContactHash.address(b))
        b.number = "2"
        #expect(ContactHash.address(a) != ContactHash.address(b))
        #expect(ContactHash.phone("5511987654321") == ContactHash.phone("+5511987654321"))
        #expect(ContactHash.email("a@b.com") != ContactHash.phone("a@b.com"))
    }
}
