import Testing
@testable import Regua

@Suite struct DayTests {
    @Test func roundTripsISO() {
        let d = Day(iso: "2026-11-23")!
        #expect(d.iso == "2026-11-23")
        #expect(d.br == "23/11/2026")
        #expect(d.weekday == .monday)
        #expect(Day(iso: "1970-01-01")!.ordinal == 0)
        #expect(Day(iso: "2026-02-29") == nil)
        #expect(Day(iso: "2024-02-29") != nil)
    }
}
