import Foundation
import Testing
@testable import Regua

@Suite("Boleto barcode and linha digitável")
struct BoletoTests {
    // BANKING.md worked examples.
    static let bbBarcode = "00192376900000135000000001238798777770016818"
    static let bbLinha = "00190.00009 01238.798779 77700.168188 2 37690000013500"
    static let itauBarcode = "34192102100000150001091234567812341234512000"
    static let itauLinha = "34191.09123 34567.812341 12345.120005 2 10210000015000"

    @Test("BANKING.md examples: barcode → linha and back", arguments: [(bbBarcode, bbLinha), (itauBarcode, itauLinha)])
    func workedExamples(barcode: String, linha: String) throws {
        let digits = String(linha.filter(\.isNumber))
        #expect(Boleto.linha(fromBarcode: barcode) == digits)
        #expect(Boleto.format(linha: digits) == linha)
        #expect(Boleto.barcode(fromLinha: linha) == barcode)
        #expect(Boleto.barcode(fromLinha: digits) == barcode)
        #expect(Boleto.validate(barcode: barcode))
        #expect(Boleto.validate(linhaDigitavel: linha))
    }

    @Test("BB example built from its fields: convênio 1238798, sequence 7777700168, carteira 18")
    func bancoDoBrasilFromFields() throws {
        let bank = BankAccount(code: "001", agency: "4042", account: "61900", agreement: "1238798", wallet: "18")
        let due = Day(year: 2008, month: 2, day: 1)!
        #expect(try Boleto.dueDateFactor(for: due) == 3769)
        let code = try Boleto.make(bank: bank, nossoNumero: "7777700168", dueDate: due, amount: Money(cents: 13_500))
        #expect(code.barcode == Self.bbBarcode)
        #expect(code.formatted == Self.bbLinha)
        #expect(code.linhaDigitavel == Self.bbLinha.filter(\.isNumber))
        // The full 17 digits are accepted too.
        let again = try Boleto.make(
            bank: bank, nossoNumero: "12387987777700168", dueDate: due, amount: Money(cents: 13_500))
        #expect(again == code)
    }

    /// BANKING.md's Itaú free field reads carteira 109, nosso número 12345678, DAC 1, agency
    /// 2341, account 23451, DAC 2, 000. The account DAC holds; the nosso-número DAC does not:
    /// for carteira 109 Itaú's rule covers agency+account+carteira+nosso número (→ 3), and the
    /// example's 1 is módulo 10 of carteira+nosso número only (the rule of carteiras 112, 126…).
    @Test("Itaú example fields: everything but the nosso-número DAC reproduces")
    func itauExampleFields() throws {
        let free = String(Self.itauBarcode.suffix(25))
        #expect(free == "109" + "12345678" + "1" + "2341" + "23451" + "2" + "000")
        #expect(CheckDigits.mod10("2341" + "23451") == 2)
        #expect(CheckDigits.mod10("109" + "12345678") == 1)
        #expect(CheckDigits.mod10("2341" + "23451" + "109" + "12345678") == 3)

        let bank = BankAccount(code: "341", agency: "2341", account: "23451", agreement: "", wallet: "109")
        let due = Day(year: 2025, month: 3, day: 15)!
        #expect(try Boleto.dueDateFactor(for: due) == 1021)
        let code = try Boleto.make(bank: bank, nossoNumero: "12345678", dueDate: due, amount: Money(cents: 15_000))
        let built = Array(code.barcode)
        let example = Array(Self.itauBarcode)
        #expect(String(built[0..<4]) == "3419")
        #expect(String(built[5..<44]).replacingCharacter(at: 25, with: "1") == String(example[5..<44]))
        #expect(built[30] == "3")
        #expect(Boleto.validate(barcode: code.barcode))
    }

    // brcobranca spec/brcobranca/boleto/itau_spec.rb and banco_brasil_spec.rb: independent examples.
    @Test(
        "Independent examples (brcobranca specs)",
        arguments: [
            (
                "341", "0810", "53678", "", "175", "12345678", "2009-08-14", Int64(0),
                "34191.75124 34567.840813 05367.890000 1 43290000000000"
            ),
            (
                "341", "0810", "53678", "", "175", "258281", "2008-02-02", Int64(13_500),
                "34191.75009 25828.170818 05367.890000 1 37700000013500"
            ),
            // Carteira 168: the DAC covers carteira + nosso número only (brcobranca 418d927; an
            // older revision of that spec computed it over agency/account too).
            (
                "341", "0810", "53678", "", "168", "258281", "2004-09-05", Int64(13_500),
                "34191.68004 25828.100815 05367.890000 7 25250000013500"
            ),
            // 2029: the factor after the 2025 restart (2548).
            (
                "341", "1248", "02124", "", "109", "00010152", "2029-05-20", Int64(675_787),
                "34191.09008 01015.271248 80212.460002 4 25480000675787"
            ),
            (
                "001", "4042", "61900", "12387989", "18", "777700168", "2008-02-01", Int64(13_500),
                "00190.00009 01238.798977 77700.168188 3 37690000013500"
            ),
            (
                "001", "4042", "61900", "1238798", "18", "7777700168", "2008-02-03", Int64(72_356),
                "00190.00009 01238.798779 77700.168188 5 37710000072356"
            ),
            (
                "001", "4042", "61900", "123879", "18", "1234", "2008-02-01", Int64(13_500),
                "00191.23876 90123.440423 00061.900189 2 37690000013500"
            ),
        ])
    func independentExamples(
        code: String, agency: String, account: String, agreement: String, wallet: String,
        nossoNumero: String, due: String, cents: Int64, linha: String
    ) throws {
        let bank = BankAccount(code: code, agency: agency, account: account, agreement: agreement, wallet: wallet)
        let made = try Boleto.make(
            bank: bank, nossoNumero: nossoNumero, dueDate: Day(iso: due)!, amount: Money(cents: cents))
        #expect(made.formatted == linha)
        #expect(Boleto.barcode(fromLinha: linha) == made.barcode)
    }

    @Test("Due-date factor boundaries and the 2025 restart")
    func factorBoundaries() throws {
        #expect(try Boleto.dueDateFactor(for: Day(iso: "2000-07-03")!) == 1000)
        #expect(try Boleto.dueDateFactor(for: Day(iso: "2025-02-21")!) == 9999)
        #expect(try Boleto.dueDateFactor(for: Day(iso: "2025-02-22")!) == 1000)
        #expect(try Boleto.dueDateFactor(for: Day(iso: "2025-02-23")!) == 1001)
        #expect(try Boleto.dueDateFactor(for: Day(iso: "2025-03-15")!) == 1021)
        #expect(throws: BankError.self) { try Boleto.dueDateFactor(for: Day(iso: "2000-07-02")!) }
    }

    @Test("Every single-digit change of a valid code fails validation")
    func mutationsFail() {
        for code in [Self.bbBarcode, Self.itauBarcode] {
            var chars = Array(code)
            for i in chars.indices {
                let original = chars[i]
                chars[i] = original == "9" ? "0" : Character(String(original.wholeNumberValue! + 1))
                #expect(!Boleto.validate(barcode: String(chars)), "barcode with position \(i + 1) changed")
                chars[i] = original
            }
        }
        for linha in [Self.bbLinha, Self.itauLinha] {
            let digits = Array(linha.filter(\.isNumber))
            for i in digits.indices {
                var d = digits
                d[i] = d[i] == "9" ? "0" : Character(String(d[i].wholeNumberValue! + 1))
                #expect(!Boleto.validate(linhaDigitavel: String(d)), "linha with digit \(i + 1) changed")
            }
        }
        #expect(!Boleto.validate(barcode: String(Self.bbBarcode.dropLast())))
        #expect(!Boleto.validate(linhaDigitavel: Self.bbLinha + "0"))
        #expect(!Boleto.validate(linhaDigitavel: Self.bbLinha.replacingOccurrences(of: " ", with: "-")))
    }

    @Test(
        "Bad input throws with a clear message",
        arguments: [
            (BankAccount(code: "237", agency: "1", account: "1", agreement: "", wallet: "09"), "1", "not supported"),
            (
                BankAccount(code: "001", agency: "4042", account: "61900", agreement: "1238798", wallet: "18"),
                "12345678901", "too long"
            ),
            (
                BankAccount(code: "341", agency: "0810", account: "53678", agreement: "", wallet: "109"), "123456789",
                "too long"
            ),
            (
                BankAccount(code: "341", agency: "0810", account: "53678", agreement: "", wallet: "198"), "1",
                "not supported"
            ),
            (
                BankAccount(code: "341", agency: "0810", account: "53678-1", agreement: "", wallet: "109"), "1",
                "check digit should be 9"
            ),
            (
                BankAccount(code: "001", agency: "4042", account: "61900", agreement: "1234", wallet: "18"), "1",
                "convênio"
            ),
        ])
    func badInput(bank: BankAccount, nossoNumero: String, message: String) {
        do {
            _ = try Boleto.make(
                bank: bank, nossoNumero: nossoNumero, dueDate: Day(iso: "2026-01-10")!, amount: Money(cents: 100))
            Issue.record("expected an error containing \(message)")
        } catch let e as BankError {
            #expect(e.message.contains(message), "\(e.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("Amount over ten digits and dates before 2000-07-03 are refused")
    func limits() throws {
        let bank = BankAccount(code: "001", agency: "4042", account: "61900", agreement: "1238798", wallet: "18")
        let due = Day(iso: "2026-01-10")!
        #expect(throws: BankError.self) {
            try Boleto.make(bank: bank, nossoNumero: "1", dueDate: due, amount: Money(cents: 10_000_000_000))
        }
        #expect(throws: BankError.self) {
            try Boleto.make(bank: bank, nossoNumero: "1", dueDate: Day(iso: "1999-12-31")!, amount: Money(cents: 1))
        }
        let max = try Boleto.make(bank: bank, nossoNumero: "1", dueDate: due, amount: Money(cents: 9_999_999_999))
        #expect(max.barcode.dropFirst(9).prefix(10) == "9999999999")
    }
}

extension String {
    fileprivate func replacingCharacter(at offset: Int, with c: Character) -> String {
        var a = Array(self)
        a[offset] = c
        return String(a)
    }
}

/// ``BoletoIssuer/check(nossoNumero:)`` answers plain numbers without building the free field;
/// it must refuse exactly what the free field refuses, for every layout and length.
@Suite struct NossoNumeroCheckTests {
    static let accounts: [BankAccount] = [
        BankFixtures.bb,
        BankAccount(code: "001", agency: "4042", account: "61900", agreement: "12387989", wallet: "17"),
        BankAccount(code: "001", agency: "4042", account: "61900", agreement: "123879", wallet: "18"),
        BankFixtures.itau,
        // Accounts whose own fields do not fit: no shortcut, every number is refused.
        BankAccount(code: "341", agency: "0810", account: "53678", agreement: "", wallet: "198"),
        BankAccount(code: "001", agency: "4042", account: "61900", agreement: "12345", wallet: "17"),
    ]

    @Test(arguments: 0..<accounts.count)
    func agreesWithTheFreeField(_ k: Int) throws {
        let issuer = try BoletoIssuer(bank: Self.accounts[k])
        var candidates = ["", "0", "a1", "12 34", "1.2-3", "١٢"]
        for n in 1...20 {
            candidates.append(String(repeating: "9", count: n))
            candidates.append("0" + String(repeating: "7", count: n))
            candidates.append(String(repeating: "0", count: n) + "5")
        }
        candidates.append("1238798" + "0000000042")  // 17 digits starting with the convênio
        for nn in candidates {
            let viaField = (try? Boleto.freeField(issuer.parts, nossoNumero: nn)) != nil
            let viaCheck = (try? issuer.check(nossoNumero: nn)) != nil
            #expect(viaField == viaCheck, "\(Self.accounts[k].code)/\(Self.accounts[k].agreement) nosso número \(nn)")
        }
    }
}
