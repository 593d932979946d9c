import Foundation
import Testing
@testable import Regua

/// Random boletos, PIX codes and CNAB 240 files checked against references written from the
/// published layouts (/work/shared/domain/BANKING.md): Python's own date arithmetic and
/// `binascii.crc_hqx` for the factor and the CRC, plain módulo 10/11 in Python for the check
/// digits, and the CNAB positions walked record by record here.
@Suite struct BankReferenceTests {
    typealias F = BankFixtures

    /// Runs a Python script with `input` on stdin and returns its stdout lines.
    static func python(_ script: String, input: String) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let stdin = Pipe()
        let stdout = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        try p.run()
        // Written from another thread so a large answer cannot block both pipes.
        let data = Data(input.utf8)
        let writer = Thread {
            stdin.fileHandleForWriting.write(data)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "python3 failed")
        return String(decoding: out, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    static func digits(_ n: Int, using rng: inout some RandomNumberGenerator) -> String {
        String((0..<n).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
    }

    // MARK: - Boleto

    /// The factor as the notes define it: days since 1997-10-07; past 9999 it restarts at 1000.
    static let factorScript = """
        import sys, datetime
        base = datetime.date(1997, 10, 7)
        for line in sys.stdin:
            d = datetime.date.fromisoformat(line.strip())
            days = (d - base).days
            f = days
            while f > 9999:
                f -= 9000
            print(f)
        """

    @Test("The due-date factor of every day from 2000-07-03 to 2048-12-31 is Python's day count, rolled over past 9999")
    func everyDueDateFactor() throws {
        let first = Day(iso: "2000-07-03")!
        let last = Day(iso: "2048-12-31")!
        let days = (0...last.days(since: first)).map { first.adding(days: $0) }
        let expected = try Self.python(Self.factorScript, input: days.map(\.iso).joined(separator: "\n") + "\n")
        try #require(expected.count == days.count)
        var rollovers: [String] = []
        var previous: Int?
        for (day, want) in zip(days, expected) {
            let got = try Boleto.dueDateFactor(for: day)
            if got != Int(want) {
                Issue.record("\(day.iso): factor \(got), expected \(want)")
                break
            }
            if let p = previous, got < p { rollovers.append(day.iso) }
            previous = got
        }
        // One restart in the range, on the day the notes give.
        #expect(rollovers == ["2025-02-22"])
    }

    /// Everything in a barcode but the bank's free field, and the whole linha, from plain rules.
    static let boletoScript = """
        import sys, datetime
        base = datetime.date(1997, 10, 7)
        def mod11(s):
            total, w = 0, 2
            for ch in reversed(s):
                total += int(ch) * w
                w = 2 if w == 9 else w + 1
            d = 11 - total % 11
            return 1 if d in (0, 10, 11) else d
        def mod10(s):
            total, w = 0, 2
            for ch in reversed(s):
                p = int(ch) * w
                total += p // 10 + p % 10
                w = 1 if w == 2 else 2
            return (10 - total % 10) % 10
        for line in sys.stdin:
            bank, due, cents, free = line.split()
            days = (datetime.date.fromisoformat(due) - base).days
            while days > 9999:
                days -= 9000
            body = bank + "9" + "%04d" % days + "%010d" % int(cents) + free
            bar = body[:4] + str(mod11(body)) + body[4:]
            f1 = bar[0:4] + bar[19:24]
            f2 = bar[24:34]
            f3 = bar[34:44]
            f1 += str(mod10(f1)); f2 += str(mod10(f2)); f3 += str(mod10(f3))
            linha = f1[:5] + "." + f1[5:] + " " + f2[:5] + "." + f2[5:] + " " + f3[:5] + "." + f3[5:] + " " + bar[4] + " " + bar[5:19]
            print(bar + "|" + linha)
        """

    @Test("400 random boletos of Banco do Brasil and Itaú: barcode and linha are the plain reference's")
    func randomBoletos() throws {
        var rng = SystemRandomNumberGenerator()
        let first = Day(iso: "2000-07-03")!
        var made: [(bank: String, due: Day, cents: Int64, code: BoletoCode)] = []
        for k in 0..<400 {
            let bb = k % 2 == 0
            let account = bb ? F.bb : F.itau
            let width = bb ? 10 : 8
            let nosso = Self.digits(Int.random(in: 1...width, using: &rng), using: &rng)
            let due = first.adding(days: Int.random(in: 0...17_000, using: &rng))
            // Amounts across every width, zero and the ten-digit maximum included.
            let cents: Int64 =
                k == 1
                ? 0
                : k == 3
                    ? 9_999_999_999
                    : Int64.random(in: 0...9_999_999_999, using: &rng) >> Int64.random(in: 0...30, using: &rng)
            let code = try Boleto.make(bank: account, nossoNumero: nosso, dueDate: due, amount: Money(cents: cents))
            made.append((bb ? "001" : "341", due, cents, code))
        }
        let input =
            made.map { m in
                let free = String(m.code.barcode.dropFirst(19))
                return "\(m.bank) \(m.due.iso) \(m.cents) \(free)"
            }.joined(separator: "\n") + "\n"
        let expected = try Self.python(Self.boletoScript, input: input)
        try #require(expected.count == made.count)
        for (m, line) in zip(made, expected) {
            let parts = line.split(separator: "|").map(String.init)
            #expect(m.code.barcode.utf8.count == 44)
            #expect(m.code.barcode == parts[0], "\(m.due.iso) \(m.cents)")
            #expect(m.code.formatted == parts[1], "\(m.due.iso) \(m.cents)")
            #expect(m.code.linhaDigitavel == parts[1].filter(\.isNumber))
            #expect(m.code.linhaDigitavel.utf8.count == 47)
            #expect(Boleto.validate(barcode: m.code.barcode))
            #expect(Boleto.validate(linhaDigitavel: m.code.formatted))
            #expect(Boleto.barcode(fromLinha: m.code.formatted) == m.code.barcode)
        }
    }

    /// Módulo 11 as the notes give it, written out here: weights 2…9 from the right, 11 − sum
    /// mod 11, where 0, 10 and 11 become 1.
    static func plainMod11(_ digits: [UInt8]) -> UInt8 {
        var sum = 0
        for (k, d) in digits.reversed().enumerated() { sum += Int(d - 48) * (2 + k % 8) }
        let dv = 11 - sum % 11
        return UInt8(dv == 0 || dv == 10 || dv == 11 ? 1 : dv)
    }

    @Test("A barcode with two adjacent digits swapped is refused exactly when its check digit no longer holds")
    func transpositionsAreCaught() throws {
        var rng = SystemRandomNumberGenerator()
        var tried = 0
        var caught = 0
        while tried < 300 {
            let code = try Boleto.make(
                bank: F.bb, nossoNumero: Self.digits(10, using: &rng),
                dueDate: Day(iso: "2026-12-10")!.adding(days: Int.random(in: 0...3000, using: &rng)),
                amount: Money(cents: Int64.random(in: 1...99_999_999, using: &rng)))
            var b = Array(code.barcode.utf8)
            let i = [Int](5..<43).randomElement(using: &rng)!
            guard b[i] != b[i + 1] else { continue }
            b.swapAt(i, i + 1)
            tried += 1
            let body = Array(b[0..<4] + b[5...])
            let holds = Self.plainMod11(body) == b[4] - 48
            #expect(Boleto.validate(barcode: String(decoding: b, as: UTF8.self)) == holds, "\(code.barcode) at \(i)")
            if !holds { caught += 1 }
        }
        // Weights of neighbours differ by 1 or 7, never a multiple of 11: only the digits that
        // all map to 1 let a swap through, so most swaps are caught.
        #expect(caught > tried / 2, "\(caught) of \(tried)")
    }

    // MARK: - PIX

    static let crcScript = """
        import sys, binascii
        for line in sys.stdin:
            p = line.rstrip("\\n")
            print("%04X" % binascii.crc_hqx(p[:-4].encode("utf-8"), 0xFFFF))
        """

    /// The top-level TLV fields of a payload, or nil when a length runs past the end.
    static func tlv(_ s: String) -> [(id: String, value: String)]? {
        let u = Array(s.utf8)
        var out: [(String, String)] = []
        var i = 0
        while i < u.count {
            guard i + 4 <= u.count, let n = Int(String(decoding: u[(i + 2)..<(i + 4)], as: UTF8.self)),
                i + 4 + n <= u.count
            else { return nil }
            out.append(
                (
                    String(decoding: u[i..<(i + 2)], as: UTF8.self),
                    String(decoding: u[(i + 4)..<(i + 4 + n)], as: UTF8.self)
                ))
            i += 4 + n
        }
        return out
    }

    @Test("300 random PIX codes: every TLV length holds, the fields are in order, the CRC is Python's crc_hqx")
    func randomPixCodes() throws {
        var rng = SystemRandomNumberGenerator()
        let names = [
            "Exemplo Comércio Ltda", "Açougue São João", "PADARIA PÃO QUENTE & CIA", "José", "",
            "Distribuidora de Materiais de Construção Irmãos Araújo",
        ]
        let cities = ["São Paulo", "Florianópolis", "Rio de Janeiro", "Itaú de Minas", "", "Santa Bárbara d'Oeste"]
        var payloads: [(String, key: String, cents: Int64?, txid: String)] = []
        for _ in 0..<300 {
            let key: String =
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: "cobranca\(Int.random(in: 0...999, using: &rng))@exemplo.com.br"
                case 1: "+55119" + Self.digits(8, using: &rng)
                case 2: Self.digits(14, using: &rng)
                default: UUID().uuidString.lowercased()
                }
            let cents: Int64? = Bool.random(using: &rng) ? Int64.random(in: 1...999_999_999, using: &rng) : nil
            let txid = "R" + Self.digits(Int.random(in: 0...30, using: &rng), using: &rng)
            let p = PixBRCode.payload(
                key: key, merchantName: names.randomElement(using: &rng)!,
                merchantCity: cities.randomElement(using: &rng)!, amount: cents.map(Money.init(cents:)), txid: txid)
            payloads.append((p, key, cents, txid))
        }
        let crcs = try Self.python(Self.crcScript, input: payloads.map(\.0).joined(separator: "\n") + "\n")
        try #require(crcs.count == payloads.count)
        for ((p, key, cents, txid), crc) in zip(payloads, crcs) {
            let fields = try #require(Self.tlv(p), "\(p)")
            let ids = fields.map(\.id)
            #expect(ids == ["00", "26", "52", "53"] + (cents == nil ? [] : ["54"]) + ["58", "59", "60", "62", "63"])
            var byID: [String: String] = [:]
            for f in fields { byID[f.id] = f.value }
            #expect(byID["00"] == "01")
            #expect(byID["52"] == "0000")
            #expect(byID["53"] == "986")
            #expect(byID["58"] == "BR")
            #expect(byID["63"] == crc, "\(p)")
            let account = try #require(Self.tlv(byID["26"] ?? ""))
            #expect(account.map(\.id) == ["00", "01"])
            #expect(account.first?.value == "br.gov.bcb.pix")
            #expect(account.last?.value == key)
            if let c = cents {
                let cc = c % 100
                #expect(byID["54"] == "\(c / 100)." + (cc < 10 ? "0" : "") + "\(cc)")
            }
            let extra = try #require(Self.tlv(byID["62"] ?? ""))
            #expect(extra.map(\.id) == ["05"])
            // A txid of 1–25 letters and digits goes as is; a longer one is not cut but replaced.
            #expect(extra.first?.value == (txid.count <= 25 ? txid : "***"))
            for (id, limit) in [("59", 25), ("60", 15)] {
                let v = try #require(byID[id])
                #expect(!v.isEmpty && v.utf8.count <= limit, "\(id) '\(v)'")
                #expect(v.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && !($0 >= 0x61 && $0 <= 0x7A) }, "\(id) '\(v)'")
                #expect(!v.hasSuffix(" ") && !v.hasPrefix(" "))
            }
        }
    }

    // MARK: - CNAB 240

    struct Planned {
        var item: RemittanceItem
        var nosso: String
        var fee: Bool
    }

    static let instructions: [RemittanceInstruction] = [
        .register, .register, .writeOff, .changeDue, .protest, .stopProtest,
    ]

    static func movement(_ i: RemittanceInstruction, bb: Bool) -> String {
        switch i {
        case .register: "01"
        case .writeOff: "02"
        case .changeDue: "06"
        case .protest: "09"
        case .stopProtest: bb ? "10" : "18"
        }
    }

    static func ddmmyyyy(_ d: Day) -> String {
        let p = d.iso.split(separator: "-")
        return String(p[2] + p[1] + p[0])
    }

    @Test("60 random remittance files: 240 bytes and CRLF each, record order, batch and file counts, P/Q/R per title")
    func randomRemittances() throws {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<60 {
            let bb = round % 2 == 0
            let bank = bb ? F.bb : F.itau
            var plan: [Planned] = []
            for k in 0..<Int.random(in: 1...25, using: &rng) {
                let nosso = String(Int.random(in: 1...99_999_999, using: &rng))
                let instruction = Self.instructions.randomElement(using: &rng)!
                let fee = Bool.random(using: &rng)
                let cents = Int64.random(in: 1...500_000_000, using: &rng)
                let t = Title(
                    id: TitleID("T\(round)-\(k)"), customerID: CustomerID("C1"),
                    dueDate: Day(iso: "2026-11-23")!.adding(days: Int.random(in: -60...400, using: &rng)),
                    amount: Money(cents: cents), issueDate: Day(iso: "2026-11-01")!, nossoNumero: nosso)
                let item = RemittanceItem(
                    title: t, customer: F.customer(), instruction: instruction, dueDate: t.dueDate,
                    lateFeePercent: Percent(decimal: fee ? ["2", "1.5", "0.25"].randomElement(using: &rng)! : "0")!,
                    interestPercentMonth: Percent(decimal: "1")!)
                // Segment R only for a registration with a late fee.
                plan.append(Planned(item: item, nosso: nosso, fee: fee && instruction == .register))
            }
            let perBatch = Bool.random(using: &rng) ? Int.random(in: 3...12, using: &rng) : 99_999
            let nsa = Int.random(in: 1...999_999, using: &rng)
            let bytes = try CNAB240Remittance.build(
                bank: bank, company: F.company, nsa: nsa, date: F.fileDate, items: plan.map(\.item),
                maxDetailsPerBatch: perBatch)
            // Every line: 240 ASCII bytes then CR LF.
            #expect(bytes.count % 242 == 0)
            for start in stride(from: 0, to: bytes.count, by: 242) {
                #expect(bytes[start + 240] == 13 && bytes[start + 241] == 10, "record at \(start)")
                #expect(bytes[start..<(start + 240)].allSatisfy { $0 >= 0x20 && $0 < 0x7F })
            }
            let records = try #require(F.records(bytes))
            let code = bb ? "001" : "341"
            #expect(records.allSatisfy { F.field($0, 1, 3) == code })
            let header = records[0]
            #expect(F.field(header, 4, 8) == "00000")
            #expect(F.field(header, 143, 143) == "1")
            #expect(F.field(header, 144, 151) == "23112026")
            #expect(F.field(header, 158, 163) == String(repeating: "0", count: 6 - String(nsa).count) + String(nsa))
            let trailer = records[records.count - 1]
            #expect(F.field(trailer, 4, 8) == "99999")

            // Walk the batches: each is 1, its details numbered from 1, then 5 with its count.
            var i = 1
            var batch = 0
            var planIndex = 0
            while i < records.count - 1 {
                batch += 1
                let b = String(repeating: "0", count: 4 - String(batch).count) + String(batch)
                #expect(F.field(records[i], 4, 8) == b + "1")
                #expect(F.field(records[i], 9, 11) == "R01")
                i += 1
                var sequence = 0
                while i < records.count - 1 && F.field(records[i], 8, 8) == "3" {
                    let p = plan[planIndex]
                    let segments = p.fee ? ["P", "Q", "R"] : ["P", "Q"]
                    for s in segments {
                        let r = records[i]
                        sequence += 1
                        #expect(F.field(r, 4, 7) == b)
                        #expect(Int(F.field(r, 9, 13)) == sequence)
                        #expect(F.field(r, 14, 14) == s, "title \(planIndex) of round \(round)")
                        #expect(F.field(r, 16, 17) == Self.movement(p.item.instruction, bb: bb))
                        if s == "P" {
                            #expect(F.field(r, 78, 85) == Self.ddmmyyyy(p.item.dueDate))
                            #expect(Int64(F.field(r, 86, 100)) == p.item.title.amount.cents)
                            #expect(F.field(r, 196, 220).trimmingCharacters(in: .whitespaces) == p.item.title.id.raw)
                            if bb {
                                #expect(F.field(r, 38, 57).trimmingCharacters(in: .whitespaces).hasSuffix(p.nosso))
                            } else {
                                let n = String(repeating: "0", count: 8 - p.nosso.count) + p.nosso
                                #expect(F.field(r, 41, 48) == n)
                            }
                        }
                        if s == "Q" { #expect(F.field(r, 19, 33) == "000052998224725") }
                        if s == "R" {
                            let want = p.item.lateFeePercent.micros / 10_000
                            #expect(F.field(r, 66, 66) == "2")
                            #expect(Int64(F.field(r, 75, 89)) == want)
                            #expect(F.field(r, 67, 74) == Self.ddmmyyyy(p.item.dueDate.adding(days: 1)))
                        }
                        i += 1
                    }
                    planIndex += 1
                }
                #expect(sequence <= perBatch)
                #expect(F.field(records[i], 4, 8) == b + "5")
                #expect(Int(F.field(records[i], 18, 23)) == sequence + 2)
                i += 1
            }
            #expect(planIndex == plan.count, "every title written once, in order")
            #expect(Int(F.field(trailer, 18, 23)) == batch)
            #expect(Int(F.field(trailer, 24, 29)) == records.count)
            let details = plan.reduce(0) { $0 + ($1.fee ? 3 : 2) }
            #expect(records.count == details + 2 * batch + 2)
        }
    }
}
