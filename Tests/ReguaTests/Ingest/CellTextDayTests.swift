import Testing

@testable import Regua

/// Date cells read in place agree with `Day(iso:)` (a separate parser) on every kind of input.
@Suite struct CellTextDayTests {
    private static func cellDay(_ s: String) -> Day? {
        Array(s.utf8).withUnsafeBufferPointer { CellText.day($0) }
    }

    @Test func everyDayOfFourHundredYearsReadsBack() {
        var day = Day(iso: "1900-01-01")!
        let end = Day(iso: "2300-01-01")!
        while day < end {
            #expect(Self.cellDay(day.iso) == day, "\(day.iso)")
            day = Day(ordinal: day.ordinal + 1)
        }
    }

    @Test func badCellsAgreeWithTheISOParser() {
        var cases = [
            "2026-02-29", "2024-02-29", "2100-02-29", "2000-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
            "2026-01-00", "2026-01-32", "0000-01-01", "9999-12-31", "2026-1-01", "2026/01/01", "20260101",
            "2026-01-01 ", " 2026-01-01", "", "2026-01-011",
        ]
        // Every byte of a good date replaced by each of the bytes around the digits and the dash.
        let good = Array("2026-11-23".utf8)
        for i in good.indices {
            for c: UInt8 in [0, 32, 44, 45, 46, 47, 48, 57, 58, 65, 0x80, 0xC3, 0xFF] {
                var b = good
                b[i] = c
                cases.append(String(decoding: b, as: UTF8.self))
            }
        }
        for c in cases {
            #expect(Self.cellDay(c) == Day(iso: c), "\(c.debugDescription)")
        }
    }
}
