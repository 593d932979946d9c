import Foundation
import Testing

@testable import Regua

/// The model's text forms against Python, a reader nobody here wrote: which amount, rate and
/// date texts are read and what they read as (Python's `re` grammar, `decimal` and `datetime`),
/// the pt-BR amount text read back by Python, half-up rounding against `ROUND_HALF_UP`, CPF and
/// CNPJ check digits, punctuation and masks against a Python implementation of the Receita
/// Federal's rules, and the order of ids against Python's sort of UTF-8 bytes.
///
/// Amounts stay below 10^15 cents: the largest amount `Money(decimal:)` reads is being decided.
@Suite(.enabled(if: ExternalTool.python3 != nil))
struct ModelTextAgainstPythonTests {
    /// Runs a Python program on `input` (a file whose path is its `sys.argv[1]`), returns its
    /// output lines.
    static func python(_ program: String, input: [String]) throws -> [String] {
        let path = try ExternalTool.temporaryFile(Array((input.joined(separator: "\n") + "\n").utf8), suffix: ".txt")
        let run = try ExternalTool.run(ExternalTool.python3!, ["-c", program, path])
        try #require(run.status == 0, "\(run.stderr)")
        return run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Random texts made of pieces that look like amounts, rates or dates, and some that do not.
    static func candidates(seed: UInt64, count: Int, pieces: [String], maxPieces: Int) -> [String] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            (0..<rng.within(0...maxPieces)).map { _ in rng.pick(pieces) }.joined()
        }
    }

    // MARK: - Money

    /// `Money(decimal:)` reads exactly the texts `[0-9]+(\.[0-9]{1,2})?` describes, as the cents
    /// Python's Decimal gives; a sign, a comma, three decimals, a bare dot, spaces, exponents and
    /// non-ASCII digits are refused.
    @Test func amountTextIsReadExactlyWhenPythonsGrammarReadsIt() throws {
        let pieces = [
            "0", "1", "5", "9", "42", "007", "123", ".", ".", ".5", ".05", ".123", "-", "+", ",", " ", "e3", "١", "R$",
        ]
        var texts = Self.candidates(seed: 1, count: 6_000, pieces: pieces, maxPieces: 6)
        var rng = SplitMix64(seed: 2)
        // Plain amounts of every length up to 15 digits of reais, with 0, 1 or 2 decimals.
        for _ in 0..<3_000 {
            let whole = (0..<rng.within(1...15)).map { _ in String(rng.below(10)) }.joined()
            let decimals = rng.below(3)
            let frac = (0..<decimals).map { _ in String(rng.below(10)) }.joined()
            texts.append(decimals == 0 ? whole : whole + "." + frac)
        }
        // At most 15 digits before the dot: the largest amount read is being decided (see above).
        texts = texts.filter {
            $0.utf8.count <= 18 && $0.split(separator: ".", omittingEmptySubsequences: false)[0].count <= 15
        }
        let lines = try Self.python(
            """
            import re, sys
            from decimal import Decimal
            for s in open(sys.argv[1], encoding="utf-8").read().split("\\n")[:-1]:
                if re.fullmatch(r"[0-9]+(\\.[0-9]{1,2})?", s, flags=re.ASCII):
                    print(int(Decimal(s) * 100))
                else:
                    print("refused")
            """, input: texts)
        try #require(lines.count == texts.count)
        var read = 0
        for (text, line) in zip(texts, lines) {
            let cents = Money(decimal: text)?.cents
            #expect(cents.map(String.init) ?? "refused" == line, "'\(text)'")
            #expect(Money(decimalBytes: ArraySlice(Array(text.utf8)))?.cents == cents, "'\(text)'")
            if cents != nil { read += 1 }
        }
        #expect(read > 3_000 && read < texts.count - 3_000, "both answers tried: \(read) of \(texts.count)")
    }

    /// The machine text reads back to the same cents; the people's text (`R$ 1.234,56`, and the
    /// spreadsheet's `1234,56`) is read by Python, dots dropped and the comma made a point, to
    /// the same cents, with the digits grouped by three exactly as Python's `{:,}` groups them.
    @Test func everyTextFormReadsBackToTheSameCents() throws {
        var rng = SplitMix64(seed: 3)
        var amounts: [Int64] = [0, 1, 9, 10, 99, 100, 101, 99_999, 100_000, 123_456, 999_999_999_999_999]
        for _ in 0..<4_000 {
            let digits = rng.within(1...15)
            var v: Int64 = 0
            for _ in 0..<digits { v = v * 10 + Int64(rng.below(10)) }
            amounts.append(rng.chance(150) ? -v : v)
        }
        let forms = amounts.map { c -> String in
            let m = Money(cents: c)
            return [m.plain, m.br, m.brNumber, CSVWriter.peopleAmount(m), String(c)].joined(separator: "\t")
        }
        let lines = try Self.python(
            """
            import sys
            from decimal import Decimal
            def people(s):
                return Decimal(s.replace(".", "").replace(",", "."))
            for line in open(sys.argv[1], encoding="utf-8").read().split("\\n")[:-1]:
                plain, br, number, sheet, cents = line.split("\\t")
                c = int(cents)
                grouped = f"{abs(Decimal(c)) / 100:,.2f}".translate(str.maketrans(",.", ".,"))
                ok = [
                    int(Decimal(plain) * 100) == c,
                    br.startswith("R$ ") and int(people(br[3:]) * 100) == c,
                    number == ("-" if c < 0 else "") + grouped,
                    int(people(number) * 100) == c,
                    "." not in sheet and int(Decimal(sheet.replace(",", ".")) * 100) == c,
                    br == "R$ " + number,
                ]
                print("".join("1" if x else "0" for x in ok))
            """, input: forms)
        try #require(lines.count == amounts.count)
        for (c, line) in zip(amounts, lines) {
            #expect(line == "111111", "\(c): \(Money(cents: c).br) / \(Money(cents: c).plain) → \(line)")
            if c >= 0 { #expect(Money(decimal: Money(cents: c).plain) == Money(cents: c), "\(c)") }
        }
    }

    /// Half away from zero, as `Decimal.quantize(ROUND_HALF_UP)` rounds, for numerators of either
    /// sign up to 10^30 and exact halves.
    @Test func roundHalfUpIsPythonsRoundHalfUp() throws {
        var rng = SplitMix64(seed: 4)
        var cases: [(Int128, Int128)] = [(5, 10), (-5, 10), (15, 10), (-15, 10), (1, 2), (-1, 2), (0, 7), (3, 3)]
        for _ in 0..<4_000 {
            let d = Int128(rng.pick([2, 3, 10, 30, 100, 365, 1_000_000, 100_000_000, 3_000_000_000]))
            var n = Int128(rng.next() >> 1) * Int128(rng.within(1...1_000_000_000))
            if rng.chance(300) { n = (n / d) * d + d / 2 }  // an exact half when d is even
            if rng.chance(500) { n = -n }
            cases.append((n, d))
        }
        let lines = try Self.python(
            """
            import sys
            from decimal import Decimal, ROUND_HALF_UP, getcontext
            getcontext().prec = 80
            for line in open(sys.argv[1]).read().split("\\n")[:-1]:
                n, d = line.split()
                print((Decimal(n) / Decimal(d)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            """, input: cases.map { "\($0.0) \($0.1)" })
        try #require(lines.count == cases.count)
        for (c, line) in zip(cases, lines) {
            #expect(String(roundHalfUp(c.0, c.1)) == line, "\(c.0) / \(c.1)")
        }
    }

    /// A rule book's rate (`2.0`, `0.033`) is read when `[0-9]{1,9}(\.[0-9]{1,6})?` describes
    /// it, as Python's millionths; its description is the shortest decimal with one decimal at
    /// least, the value kept.
    @Test func ratesAreReadAndWrittenAsPythonReadsAndWritesThem() throws {
        let pieces = ["0", "1", "2", "5", "99", "033", "000001", "1234567", ".", ".5", "-", ",", " ", "e2", "0000000"]
        let texts = Self.candidates(seed: 5, count: 5_000, pieces: pieces, maxPieces: 4).filter { !$0.isEmpty }
        let lines = try Self.python(
            """
            import re, sys
            from decimal import Decimal
            for s in open(sys.argv[1]).read().split("\\n")[:-1]:
                if re.fullmatch(r"[0-9]{1,9}(\\.[0-9]{1,6})?", s, flags=re.ASCII):
                    micros = int(Decimal(s) * 1000000)
                    whole, frac = divmod(micros, 1000000)
                    text = f"{whole}.{frac:06d}".rstrip("0")
                    if text.endswith("."): text += "0"
                    print(micros, text)
                else:
                    print("refused")
            """, input: texts)
        try #require(lines.count == texts.count)
        var read = 0
        for (text, line) in zip(texts, lines) {
            let p = Percent(decimal: text)
            if line == "refused" {
                #expect(p == nil, "'\(text)' read as \(p?.micros ?? 0)")
            } else {
                read += 1
                let f = line.split(separator: " ").map(String.init)
                #expect(p?.micros == Int64(f[0]), "'\(text)'")
                #expect(p?.description == f[1], "'\(text)'")
                #expect(Percent(decimal: f[1])?.micros == Int64(f[0]))
            }
        }
        #expect(read > 500 && read < texts.count - 500, "\(read)")
    }

    // MARK: - Day

    /// `Day(iso:)` reads exactly what `[0-9]{4}-[0-9]{2}-[0-9]{2}` describes and `datetime.date`
    /// accepts (years 1 to 9999, real days): mutated dates, impossible days, other writings.
    @Test func isoDatesAreReadExactlyWhenPythonReadsThem() throws {
        var rng = SplitMix64(seed: 6)
        var texts: [String] = ["0001-01-01", "9999-12-31", "0000-12-31", "2024-02-29", "2100-02-29", "2000-02-29"]
        let alphabet = Array("0123456789-/ T:x")
        for _ in 0..<6_000 {
            let y = rng.pick([rng.within(0...9999), rng.within(1890...2110)])
            let m = rng.within(0...13)
            let d = rng.within(0...32)
            var t = Array(pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2))
            switch rng.below(6) {
            case 0: t[rng.below(t.count)] = rng.pick(alphabet)
            case 1: t.remove(at: rng.below(t.count))
            case 2: t.insert(rng.pick(alphabet), at: rng.below(t.count + 1))
            case 3: t = Array(pad(d, 2) + "/" + pad(m, 2) + "/" + pad(y, 4))
            default: break
            }
            texts.append(String(t))
        }
        let lines = try Self.python(
            """
            import datetime, re, sys
            epoch = datetime.date(1970, 1, 1).toordinal()
            for s in open(sys.argv[1]).read().split("\\n")[:-1]:
                if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", s, flags=re.ASCII):
                    print("refused"); continue
                try:
                    d = datetime.date(int(s[0:4]), int(s[5:7]), int(s[8:10]))
                except ValueError:
                    print("refused"); continue
                print(d.toordinal() - epoch, d.strftime("%d/%m/") + f"{d.year:04d}", d.isoweekday())
            """, input: texts)
        try #require(lines.count == texts.count)
        var read = 0
        for (text, line) in zip(texts, lines) {
            let day = Day(iso: text)
            if line == "refused" {
                #expect(day == nil, "'\(text)' read as \(day?.iso ?? "")")
                continue
            }
            read += 1
            let f = line.split(separator: " ").map(String.init)
            #expect(day.map { String($0.ordinal) } == f[0], "'\(text)'")
            #expect(day?.iso == text)
            #expect(day?.br == f[1], "'\(text)'")
            #expect(day?.weekday.rawValue == Int(f[2]), "'\(text)'")
        }
        #expect(read > 1_000 && read < texts.count - 1_000, "\(read)")
    }

    /// Month lengths and day counts between far-apart days, against `calendar.monthrange` and
    /// `datetime` subtraction, at the ends of the calendar too.
    @Test func monthLengthsAndDistancesAgreeWithPython() throws {
        var rng = SplitMix64(seed: 7)
        var years = [1, 4, 100, 400, 1582, 1600, 1700, 1900, 2000, 2024, 2100, 2400, 9999]
        years += (0..<200).map { _ in rng.within(1...9999) }
        let pairs = (0..<2_000).map { _ -> (Int, Int, Int, Int, Int, Int) in
            func date() -> (Int, Int, Int) {
                let y = rng.within(1...9999)
                let m = rng.within(1...12)
                return (y, m, rng.within(1...Day.daysInMonth(year: y, month: m)))
            }
            let (a, b) = (date(), date())
            return (a.0, a.1, a.2, b.0, b.1, b.2)
        }
        let input = years.map { "m \($0)" } + pairs.map { "d \($0.0) \($0.1) \($0.2) \($0.3) \($0.4) \($0.5)" }
        let lines = try Self.python(
            """
            import calendar, datetime, sys
            for line in open(sys.argv[1]).read().split("\\n")[:-1]:
                f = line.split()
                if f[0] == "m":
                    y = int(f[1])
                    print(" ".join(str(calendar.monthrange(y, m)[1]) for m in range(1, 13)))
                else:
                    a = datetime.date(int(f[1]), int(f[2]), int(f[3]))
                    b = datetime.date(int(f[4]), int(f[5]), int(f[6]))
                    print((b - a).days)
            """, input: input)
        try #require(lines.count == input.count)
        for (y, line) in zip(years, lines) {
            #expect((1...12).map { String(Day.daysInMonth(year: y, month: $0)) }.joined(separator: " ") == line, "\(y)")
        }
        for (p, line) in zip(pairs, lines.dropFirst(years.count)) {
            let a = try #require(Day(year: p.0, month: p.1, day: p.2))
            let b = try #require(Day(year: p.3, month: p.4, day: p.5))
            let n = try #require(Int(line))
            #expect(b.days(since: a) == n, "\(a) → \(b)")
            #expect(a.adding(days: n) == b)
            #expect((a < b) == (n > 0))
        }
        #expect(Day(year: 10_000, month: 1, day: 1) == nil && Day(year: 0, month: 12, day: 31) == nil)
    }

    // MARK: - CPF and CNPJ

    /// `Document.parse` against a Python implementation of the rules (CPF: eleven digits not all
    /// equal, módulo 11 with weights 10…2 and 11…2; CNPJ: twelve characters 0–9/A–Z worth their
    /// ASCII code − 48 and two numeric check digits, weights 5…2,9…2 and 6…2,9…2; `.` `-` `/` and
    /// spaces ignored, lower-case letters read as capitals): the same answer, value, punctuated
    /// form and mask, for documents right, wrong by one character, or neither.
    @Test func documentsAreReadAsPythonsImplementationOfTheRulesReadsThem() throws {
        var rng = SplitMix64(seed: 8)
        let alphanumerics = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        func digits(_ n: Int) -> [Character] { (0..<n).map { _ in Character(String(rng.below(10))) } }
        func withCheckDigits(_ body: [Character], weights: [[Int]]) -> [Character] {
            var out = body
            for w in weights {
                let values = out.map { Int($0.asciiValue!) - 48 }
                let r = zip(values, w.suffix(values.count)).reduce(0) { $0 + $1.0 * $1.1 } % 11
                out.append(Character(String(r < 2 ? 0 : 11 - r)))
            }
            return out
        }
        let cpfWeights = [Array((2...10).reversed()), Array((2...11).reversed())]
        let cnpjWeights = [[5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]]
        var texts: [String] = ["529.982.247-25", "11.222.333/0001-81", "12.ABC.345/01DE-35", "111.111.111-11", ""]
        for i in 0..<8_000 {
            var chars: [Character]
            switch i % 4 {
            case 0: chars = withCheckDigits(digits(9), weights: cpfWeights)
            case 1: chars = withCheckDigits(digits(12), weights: cnpjWeights)
            case 2: chars = withCheckDigits((0..<12).map { _ in rng.pick(alphanumerics) }, weights: cnpjWeights)
            default:
                chars =
                    rng.chance(500)
                    ? Array(repeating: rng.pick(Array("0123456789")), count: rng.pick([11, 14]))
                    : digits(rng.pick([10, 11, 12, 14, 15]))
            }
            if rng.chance(300) { chars[rng.below(chars.count)] = rng.pick(alphanumerics) }  // one character off
            if rng.chance(300) {
                chars = chars.map { $0.isLetter && rng.chance(500) ? Character($0.lowercased()) : $0 }
            }
            var text = String(chars)
            if rng.chance(500) { text = chars.count == 11 || chars.count == 14 ? GeneratedFiles.punctuate(text) : text }
            if rng.chance(100) {
                var t = Array(text)
                t.insert(rng.pick(Array(".-/ _\tÁ,")), at: rng.below(t.count + 1))
                text = String(t)
            }
            texts.append(text)
        }
        let lines = try Self.python(
            """
            import sys
            W1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
            W2 = [6] + W1
            def dv(values, weights):
                r = sum(v * w for v, w in zip(values, weights)) % 11
                return 0 if r < 2 else 11 - r
            def parse(s):
                chars = []
                for c in s:
                    if c in ".-/ ": continue
                    if "a" <= c <= "z": c = chr(ord(c) - 32)
                    if not ("0" <= c <= "9" or "A" <= c <= "Z"): return None
                    chars.append(c)
                v = [ord(c) - 48 for c in chars]
                if len(chars) == 11:
                    if not all(c.isdigit() for c in chars) or len(set(chars)) == 1: return None
                    if dv(v[:9], range(10, 1, -1)) != v[9] or dv(v[:10], range(11, 1, -1)) != v[10]: return None
                    t = "".join(chars)
                    return "cpf", t, f"{t[:3]}.{t[3:6]}.{t[6:9]}-{t[9:]}"
                if len(chars) == 14:
                    if not (chars[12].isdigit() and chars[13].isdigit()): return None
                    if all(c.isdigit() for c in chars) and len(set(chars)) == 1: return None
                    if dv(v[:12], W1) != v[12] or dv(v[:13], W2) != v[13]: return None
                    t = "".join(chars)
                    return "cnpj", t, f"{t[:2]}.{t[2:5]}.{t[5:8]}/{t[8:12]}-{t[12:]}"
                return None
            for s in open(sys.argv[1], encoding="utf-8").read().split("\\n")[:-1]:
                d = parse(s)
                if d is None: print("refused"); continue
                kind, value, formatted = d
                print(kind, value, formatted, "*" * (len(value) - 4) + value[-4:])
            """, input: texts)
        try #require(lines.count == texts.count)
        var accepted: [Document.Kind: Int] = [:]
        var alphanumeric = 0
        for (text, line) in zip(texts, lines) {
            let doc = Document.parse(text)
            if line == "refused" {
                #expect(doc == nil, "'\(text)' read as \(doc?.value ?? "")")
                continue
            }
            let f = line.split(separator: " ").map(String.init)
            #expect(doc?.kind.rawValue == f[0], "'\(text)'")
            #expect(doc?.value == f[1], "'\(text)'")
            #expect(doc?.formatted == f[2], "'\(text)'")
            #expect(doc?.masked == f[3], "'\(text)'")
            if let doc {
                accepted[doc.kind, default: 0] += 1
                if doc.value.contains(where: \.isLetter) { alphanumeric += 1 }
                #expect(Document.parse(doc.formatted) == doc)
            }
        }
        #expect(accepted[.cpf, default: 0] > 1_000 && accepted[.cnpj, default: 0] > 2_000, "\(accepted)")
        #expect(alphanumeric > 800)
        #expect(lines.filter { $0 == "refused" }.count > 1_500)
    }

    // MARK: - Ids

    /// Customer and title ids sort by their UTF-8 bytes, as Python sorts `s.encode()`: accents,
    /// decomposed accents, symbols, emoji, prefixes of one another.
    @Test func idsSortAsPythonSortsTheirUTF8Bytes() throws {
        let pieces = [
            "C", "c", "T", "0", "1", "9", "10", "é", "e\u{301}", "Ç", "ç", "-", "_", " ", "€", "😀", "ÿ", "~", "Z",
        ]
        var ids = Self.candidates(seed: 9, count: 3_000, pieces: pieces, maxPieces: 5)
        ids.append(contentsOf: ["", "C", "C0", "C00", "C1", "C10", "C9"])
        let lines = try Self.python(
            """
            import sys
            ids = open(sys.argv[1], encoding="utf-8").read().split("\\n")[:-1]
            order = sorted(range(len(ids)), key=lambda i: (ids[i].encode("utf-8"), i))
            print("\\n".join(str(i) for i in order))
            """, input: ids)
        try #require(lines.count == ids.count)
        let python = lines.map { ids[Int($0)!] }
        let customers = ids.map(CustomerID.init).sorted().map(\.raw)
        let titles = ids.map(TitleID.init).sorted().map(\.raw)
        // Equal texts sort together either way; compare the byte sequences.
        #expect(customers.map { Array($0.utf8) } == python.map { Array($0.utf8) })
        #expect(titles.map { Array($0.utf8) } == python.map { Array($0.utf8) })
    }
}
