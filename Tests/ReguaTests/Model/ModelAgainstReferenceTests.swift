/// Day arithmetic against Foundation's Gregorian Calendar over random dates; Money's machine
/// text read back and its pt-BR text against a plain grouping written here; CPF and CNPJ check
/// digits against a plain reference implementation of the Receita Federal's módulo 11 (and the
/// published examples); the order of channels.
import Foundation
import Testing

@testable import Regua

@Suite struct ModelAgainstReferenceTests {
    // MARK: - Day against Foundation

    static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// Random ordinals from 1583 (after the Julian cutover Foundation models) to 9999.
    static func randomOrdinals(seed: UInt64, count: Int) -> [Int32] {
        let low = Day(year: 1583, month: 1, day: 1)!.ordinal
        let high = Day(year: 9999, month: 12, day: 31)!.ordinal
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in low + Int32(rng.below(Int(high - low) + 1)) }
    }

    @Test func componentsAndWeekdayAgreeWithFoundationsCalendar() {
        for ordinal in Self.randomOrdinals(seed: 11, count: 4_000) + [0, -1, 1, 20_415, 10_957, 11_016] {
            let day = Day(ordinal: ordinal)
            let date = Date(timeIntervalSince1970: Double(ordinal) * 86_400)
            let f = Self.utc.dateComponents([.year, .month, .day, .weekday], from: date)
            let c = day.components
            #expect(c.year == f.year && c.month == f.month && c.day == f.day, "ordinal \(ordinal)")
            // Foundation counts Sunday = 1; ISO counts Monday = 1, Sunday = 7.
            let iso = (f.weekday! + 5) % 7 + 1
            #expect(day.weekday.rawValue == iso, "ordinal \(ordinal)")
        }
    }

    @Test func buildingADayFromItsPartsGivesFoundationsDate() throws {
        var rng = SplitMix64(seed: 12)
        for _ in 0..<3_000 {
            let y = rng.within(1583...9999)
            let m = rng.within(1...12)
            let d = rng.within(1...31)
            let parts = DateComponents(year: y, month: m, day: d)
            let valid = Self.utc.range(
                of: .day, in: .month, for: Self.utc.date(from: DateComponents(year: y, month: m))!)!
            let day = Day(year: y, month: m, day: d)
            if valid.contains(d) {
                let date = try #require(Self.utc.date(from: parts))
                let expected = Int32((date.timeIntervalSince1970 / 86_400).rounded(.down))
                #expect(day?.ordinal == expected, "\(y)-\(m)-\(d)")
                #expect(Day.daysInMonth(year: y, month: m) == valid.count)
            } else {
                #expect(day == nil, "\(y)-\(m)-\(d) does not exist")
            }
        }
    }

    @Test func addingAndSubtractingDaysIsWhatTheCalendarSays() throws {
        var rng = SplitMix64(seed: 13)
        for ordinal in Self.randomOrdinals(seed: 14, count: 1_500) {
            let n = rng.within(-20_000...20_000)
            let day = Day(ordinal: ordinal)
            let later = day.adding(days: n)
            let date = Date(timeIntervalSince1970: Double(ordinal) * 86_400)
            let moved = try #require(Self.utc.date(byAdding: .day, value: n, to: date))
            let f = Self.utc.dateComponents([.year, .month, .day], from: moved)
            if (1583...9999).contains(f.year!) {
                let c = later.components
                #expect(c.year == f.year && c.month == f.month && c.day == f.day)
            }
            #expect(later.days(since: day) == n)
            #expect(day.days(since: later) == -n)
            #expect((later > day) == (n > 0))
            #expect((later == day) == (n == 0))
        }
    }

    @Test func textFormsAreTheComponentsZeroPadded() {
        for ordinal in Self.randomOrdinals(seed: 15, count: 2_000) {
            let day = Day(ordinal: ordinal)
            let c = day.components
            let iso = String(format: "%04ld-%02ld-%02ld", c.year, c.month, c.day)
            #expect(day.iso == iso)
            #expect(day.description == iso)
            #expect(day.br == String(format: "%02ld/%02ld/%04ld", c.day, c.month, c.year))
            #expect(day.ddmmyyyy == String(format: "%02ld%02ld%04ld", c.day, c.month, c.year))
            #expect(Day(iso: iso) == day)
            #expect(Day(isoBytes: ArraySlice(Array(iso.utf8))) == day)
        }
    }

    @Test(arguments: [
        "2026-1-23", "2026-01-3", "26-11-23", "2026/11/23", "2026-11-23 ", " 2026-11-23", "2026-13-01",
        "2026-00-10", "2026-11-00", "2026-11-31", "2100-02-29", "1900-02-29", "0000-01-01", "2026-1a-01",
        "2026-11-2x", "+026-11-23", "23/11/2026", "", "2026-11-230",
    ])
    func malformedOrImpossibleISOTextIsRefused(text: String) {
        #expect(Day(iso: text) == nil)
    }

    @Test func leapYearsFollowTheGregorianRule() {
        for year in 1583...2_500 {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            #expect((Day(year: year, month: 2, day: 29) != nil) == leap, "\(year)")
            let start = Day(year: year, month: 1, day: 1)!
            let next = Day(year: year + 1, month: 1, day: 1)!
            #expect(next.days(since: start) == (leap ? 366 : 365))
        }
    }

    @Test func weekdayNamesInBothLanguagesReadBack() {
        for w in Weekday.allCases { #expect(Weekday(name: w.name) == w) }
        #expect(Weekday(name: "Sábado") == .saturday)
        #expect(Weekday(name: "TERÇA") == .tuesday)
        #expect(Weekday(name: "domingo") == .sunday)
        #expect(Weekday(name: "sun") == nil)
        #expect(Weekday(name: "") == nil)
        // 2026-11-23 is a Monday (published calendars); a week of days walks the enum in order.
        let monday = Day(iso: "2026-11-23")!
        #expect((0..<7).map { monday.adding(days: $0).weekday } == Weekday.allCases)
    }

    // MARK: - Money

    /// `1.234.567,89` the plain way: digits grouped by three from the right.
    static func brGrouped(_ cents: Int64) -> String {
        let a = cents.magnitude
        let digits = Array(String(a / 100))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(".") }
            out.append(ch)
        }
        let frac = a % 100
        return (cents < 0 ? "-" : "") + out + "," + (frac < 10 ? "0" : "") + String(frac)
    }

    @Test func plainTextReadsBackToTheSameCents() {
        var rng = SplitMix64(seed: 21)
        let scales: [UInt64] = [100, 10_000, 1_000_000, 100_000_000, 10_000_000_000_000, 999_999_999_999_999_999]
        for _ in 0..<5_000 {
            let cents = Int64(rng.next() % rng.pick(scales))
            let m = Money(cents: cents)
            #expect(Money(decimal: m.plain) == m, "\(cents)")
            #expect(m.plain == String(cents / 100) + "." + String(format: "%02lld", cents % 100))
            #expect(m.brNumber == Self.brGrouped(cents))
            #expect(m.br == "R$ " + Self.brGrouped(cents))
            #expect(Money(cents: -cents).brNumber == (cents == 0 ? "0,00" : "-" + Self.brGrouped(cents)))
        }
    }

    @Test func oneDecimalAndNoDecimalAreTensAndWholeReais() {
        var rng = SplitMix64(seed: 22)
        for _ in 0..<2_000 {
            let whole = Int64(rng.below(10_000_000))
            let tenth = Int64(rng.below(10))
            #expect(Money(decimal: "\(whole)")?.cents == whole * 100)
            #expect(Money(decimal: "\(whole).\(tenth)")?.cents == whole * 100 + tenth * 10)
            #expect(Money(decimal: "\(whole).0\(tenth)")?.cents == whole * 100 + tenth)
            // Leading zeros are digits like any other.
            #expect(Money(decimal: "000\(whole).5")?.cents == whole * 100 + 50)
        }
    }

    @Test(arguments: [
        "", ".", "1.", ".5", "-1.00", "+1.00", "1,00", "1.000,00", "1.234", "1.2.3", " 1.00", "1.00 ", "1e3",
        "R$ 1,00", "١٢", "12345678901234567", "99999999999999999.99", "0x10",
    ])
    func textThatIsNotAPlainAmountIsRefused(text: String) {
        #expect(Money(decimal: text) == nil)
    }

    @Test func sixteenDigitsOfReaisIsTheLargestAmountAndDoesNotOverflow() {
        let largest = String(repeating: "9", count: 16) + ".99"
        #expect(Money(decimal: largest)?.cents == 999_999_999_999_999_999)
        #expect(Money(decimal: "1" + String(repeating: "0", count: 16)) == nil)
    }

    @Test func arithmeticIsOnCents() {
        var rng = SplitMix64(seed: 23)
        for _ in 0..<1_000 {
            let a = Int64(rng.below(1_000_000_000))
            let b = Int64(rng.below(1_000_000_000))
            #expect((Money(cents: a) + Money(cents: b)).cents == a + b)
            #expect((Money(cents: a) - Money(cents: b)).cents == a - b)
            var c = Money(cents: a)
            c += Money(cents: b)
            #expect(c.cents == a + b)
            #expect((Money(cents: a) < Money(cents: b)) == (a < b))
        }
        #expect(CSVWriter.peopleAmount(Money(cents: 123_456)) == "1234,56")
        #expect(CSVWriter.peopleAmount(Money(cents: 5)) == "0,05")
    }

    // MARK: - CPF and CNPJ against a plain reference

    /// The check digit of módulo 11 with weights rising from 2 at the right, as the Receita
    /// Federal publishes it for CNPJ (weights 2…9 repeating) and CPF (2…11, never repeating).
    static func mod11(_ values: [Int], maxWeight: Int, cpf: Bool) -> Int {
        var sum = 0
        for (i, v) in values.reversed().enumerated() {
            let weight = cpf ? i + 2 : (i % (maxWeight - 1)) + 2
            sum += v * weight
        }
        let r = sum % 11
        return r < 2 ? 0 : 11 - r
    }

    static func referenceCPF(_ s: String) -> Bool {
        let v = s.compactMap(\.wholeNumberValue)
        guard v.count == 11, s.count == 11, Set(v).count > 1 else { return false }
        return mod11(Array(v[0..<9]), maxWeight: 11, cpf: true) == v[9]
            && mod11(Array(v[0..<10]), maxWeight: 11, cpf: true) == v[10]
    }

    /// Characters count as their ASCII code minus 48 (IN RFB 2.229/2024): `A` is 17.
    static func referenceCNPJ(_ s: String) -> Bool {
        let chars = Array(s.uppercased().unicodeScalars)
        guard chars.count == 14 else { return false }
        let values = chars.map { Int($0.value) - 48 }
        guard chars.prefix(12).allSatisfy({ ("0"..."9").contains($0) || ("A"..."Z").contains($0) }),
            chars.suffix(2).allSatisfy({ ("0"..."9").contains($0) })
        else { return false }
        if chars.allSatisfy({ ("0"..."9").contains($0) }) && Set(chars).count == 1 { return false }
        return mod11(Array(values[0..<12]), maxWeight: 9, cpf: false) == values[12]
            && mod11(Array(values[0..<13]), maxWeight: 9, cpf: false) == values[13]
    }

    @Test func publishedExamplesAreValid() {
        // Examples the Receita Federal and SERPRO publish (including the alphanumeric CNPJ).
        #expect(Document.parse("529.982.247-25") == Document(kind: .cpf, value: "52998224725"))
        #expect(Document.parse("11.222.333/0001-81") == Document(kind: .cnpj, value: "11222333000181"))
        #expect(Document.parse("12.ABC.345/01DE-35") == Document(kind: .cnpj, value: "12ABC34501DE35"))
        #expect(Document.parse("12.abc.345/01de-35") == Document(kind: .cnpj, value: "12ABC34501DE35"))
        #expect(Self.referenceCPF("52998224725"))
        #expect(Self.referenceCNPJ("11222333000181"))
        #expect(Self.referenceCNPJ("12ABC34501DE35"))
        #expect(Document.parse("529.982.247-24") == nil)
        #expect(Document.parse("111.111.111-11") == nil)
        #expect(Document.parse("00.000.000/0000-00") == nil)
    }

    @Test func randomCPFsAreAcceptedExactlyWhenTheReferenceAcceptsThem() {
        var rng = SplitMix64(seed: 31)
        var accepted = 0
        for i in 0..<20_000 {
            var digits = (0..<11).map { _ in rng.below(10) }
            if i % 2 == 0 {
                // Half get correct check digits, so both answers are exercised often.
                digits[9] = Self.mod11(Array(digits[0..<9]), maxWeight: 11, cpf: true)
                digits[10] = Self.mod11(Array(digits[0..<10]), maxWeight: 11, cpf: true)
            }
            let text = digits.map(String.init).joined()
            let parsed = Document.parse(text)
            #expect((parsed != nil) == Self.referenceCPF(text), "\(text)")
            if let parsed {
                accepted += 1
                #expect(parsed.kind == .cpf && parsed.value == text)
                #expect(Document.parse(parsed.formatted) == parsed)
                #expect(parsed.masked == "*******" + String(text.suffix(4)))
            }
        }
        #expect(accepted > 9_000 && accepted < 12_000)
    }

    @Test func randomCNPJsNumericAndAlphanumericAgreeWithTheReference() {
        var rng = SplitMix64(seed: 32)
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var accepted = 0
        for i in 0..<20_000 {
            let alphanumeric = i % 3 == 0
            var chars: [Character] = (0..<12).map { _ in
                alphanumeric ? rng.pick(alphabet) : Character(String(rng.below(10)))
            }
            let values = chars.map { Int($0.asciiValue!) - 48 }
            var d12 = rng.below(10)
            var d13 = rng.below(10)
            if i % 2 == 0 {
                d12 = Self.mod11(values, maxWeight: 9, cpf: false)
                d13 = Self.mod11(values + [d12], maxWeight: 9, cpf: false)
            }
            chars += [Character(String(d12)), Character(String(d13))]
            let text = String(chars)
            let parsed = Document.parse(text)
            #expect((parsed != nil) == Self.referenceCNPJ(text), "\(text)")
            if let parsed {
                accepted += 1
                #expect(parsed.kind == .cnpj && parsed.value == text)
                #expect(Document.parse(parsed.formatted) == parsed)
                #expect(Document.parse(text.lowercased()) == parsed)
            }
        }
        #expect(accepted > 9_000 && accepted < 12_000)
    }

    @Test(arguments: [
        "5299822472", "529982247250", "529.982.247_25", "529982247-2a", "52998224725\n", "AB998224725",
        "11222333000181X", "11.222.333/0001-8A", "11222333000", "", "-", "12ABC34501DE3", "ÁBC34501DE3512",
    ])
    func textThatIsNeitherACPFNorACNPJIsRefused(text: String) {
        #expect(Document.parse(text) == nil)
    }

    @Test func punctuationAnywhereIsIgnored() {
        #expect(Document.parse("5 2 9 9 8 2 2 4 7 2 5")?.value == "52998224725")
        #expect(Document.parse("529-982-247/25")?.value == "52998224725")
        #expect(Document.parse("..11222333000181..")?.value == "11222333000181")
        #expect(Document(kind: .cnpj, value: "11222333000181").formatted == "11.222.333/0001-81")
        #expect(Document(kind: .cpf, value: "123").formatted == "123")
        #expect(Document(kind: .cpf, value: "123").masked == "***")
    }

    // MARK: - Channel

    @Test func channelsSortInTheirDeclaredOrderAndReadTheirNames() {
        #expect(Channel.allCases.map(\.rawValue) == ["email", "sms", "letter", "call", "whatsapp"])
        var rng = SplitMix64(seed: 41)
        for _ in 0..<200 {
            let shuffled = (0..<rng.within(0...12)).map { _ in rng.pick(Channel.allCases) }
            let sorted = shuffled.sorted()
            let expected = Channel.allCases.flatMap { c in shuffled.filter { $0 == c } }
            #expect(sorted == expected)
        }
        for c in Channel.allCases { #expect(Channel(rawValue: c.rawValue) == c) }
        #expect(Channel(rawValue: "Email") == nil)
        #expect(
            RemittanceInstruction.stepInstructions.allSatisfy { RemittanceInstruction(rawValue: $0.rawValue) == $0 })
        #expect(RemittanceInstruction.writeOff.rawValue == "write_off")
    }
}
