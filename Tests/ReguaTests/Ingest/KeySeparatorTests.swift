import Testing
@testable import Regua

/// Ids travel through output files as lists ("A;B" in sms.csv and letters.csv, "A, B" in
/// X-Regua-Titles): an id holding a separator would read as two ids, so its row is refused.
@Suite struct KeySeparatorTests {
    typealias F = IngestFixtures

    @Test(arguments: ["T;1", "T,1"])
    func titleIDWithASeparatorIsRefused(id: String) throws {
        let customers = F.customersHeader + "\n" + F.customer("C1") + "\n"
        let receivables =
            "title_id,customer_id,due_date,amount\n\"\(id)\",C1,2026-11-25,10.00\nT2,C1,2026-11-25,10.00\n"
        let inputs = try F.read(customers: customers, receivables: receivables)
        #expect(inputs.titles.map(\.id.raw) == ["T2"])
        #expect(inputs.rejects.count == 1)
        #expect(inputs.rejects.first?.line == 2)
        #expect(inputs.rejects.first?.column == "title_id")
    }

    @Test func hugeAmountsAreRefusedNotTrapped() {
        // 17 digits of reais would overflow Int64 cents (and used to trap).
        #expect(Money(decimal: "99999999999999999") == nil)
        #expect(Money(decimal: "999999999999999.99") == Money(cents: 99_999_999_999_999_999))
    }
}
