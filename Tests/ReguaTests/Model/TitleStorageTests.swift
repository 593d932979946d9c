import Testing

@testable import Regua

/// The packed title storage gives back exactly what was put in.
@Suite struct TitleStorageTests {
    private static let days: [Day?] = [
        nil, Day(ordinal: 0), Day(ordinal: -1), Day(iso: "2026-11-23"), Day(ordinal: Int32.max),
        Day(ordinal: Int32.min + 1),
    ]
    private static let barcode = String(repeating: "1", count: 44)
    private static let linha = String(repeating: "2", count: 47)

    @Test func everyOptionalDateAndBoletoReadsBack() {
        for issue in Self.days {
            for paid in Self.days {
                for (code, linha) in [(nil, nil), (Self.barcode, nil), (nil, Self.linha), (Self.barcode, Self.linha)] {
                    let t = Title(
                        id: TitleID("T1"), customerID: CustomerID("C1"), dueDate: Day(iso: "2026-11-25")!,
                        amount: Money(cents: 100), issueDate: issue, status: .promised, paidDate: paid,
                        promiseDate: paid ?? issue, barcode: code, linhaDigitavel: linha, line: 2_000_000_000)
                    #expect(t.issueDate == issue)
                    #expect(t.paidDate == paid)
                    #expect(t.promiseDate == (paid ?? issue))
                    #expect(t.barcode == code)
                    #expect(t.linhaDigitavel == linha)
                    #expect(t.line == 2_000_000_000)
                    #expect(t.status == .promised)
                }
            }
        }
    }

    @Test func settersChangeOneFieldAndKeepTheOthers() {
        var t = Title(
            id: TitleID("T1"), customerID: CustomerID("C1"), dueDate: Day(iso: "2026-11-25")!,
            amount: Money(cents: 100), issueDate: Day(iso: "2026-10-01"), barcode: Self.barcode, line: 7)
        t.linhaDigitavel = Self.linha
        #expect(t.barcode == Self.barcode && t.linhaDigitavel == Self.linha)
        t.barcode = nil
        #expect(t.barcode == nil && t.linhaDigitavel == Self.linha)
        t.linhaDigitavel = nil
        #expect(t.barcode == nil && t.linhaDigitavel == nil)
        t.paidDate = Day(iso: "2026-11-20")
        t.issueDate = nil
        t.line += 1
        #expect(t.paidDate == Day(iso: "2026-11-20") && t.issueDate == nil && t.promiseDate == nil && t.line == 8)
        // A copy is a value: changing its boleto leaves the original's alone.
        var copy = t
        copy.barcode = Self.barcode
        #expect(t.barcode == nil && copy.barcode == Self.barcode)
    }

    @Test func aTitleTakesAtMost112Bytes() {
        #expect(MemoryLayout<Title>.stride <= 112)
    }
}
