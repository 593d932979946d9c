/// A boleto's codes: the 44-digit barcode and the 47-digit linha digitável people type.
public struct BoletoCode: Sendable, Hashable {
    /// 44 digits: bank, currency, general check digit, due-date factor, amount, free field.
    public var barcode: String
    /// 47 digits, no punctuation.
    public var linhaDigitavel: String
    /// `00190.00009 01238.798779 77700.168188 2 37690000013500`: the linha as printed.
    public var formatted: String

    /// Creates the codes from their three forms (use ``Boleto/make(bank:nossoNumero:dueDate:amount:)``).
    public init(barcode: String, linhaDigitavel: String, formatted: String) {
        self.barcode = barcode
        self.linhaDigitavel = linhaDigitavel
        self.formatted = formatted
    }
}

/// Boleto barcodes and linhas digitáveis (FEBRABAN layout; bank free fields in
/// `Boleto+FreeField.swift`). See docs/BANKING-NOTES.md for sources.
public enum Boleto {
    /// Day 0 of the due-date factor: 1997-10-07.
    static let factorBase = Day(year: 1997, month: 10, day: 7)!

    /// Builds the barcode and linha digitável of a boleto of Banco do Brasil (001) or Itaú (341).
    ///
    /// Throws a ``BankError`` for an unsupported bank or carteira, a nosso número that does not
    /// fit the bank's free field, a due date before 2000-07-03 (no factor) or an amount over
    /// R$ 99.999.999,99 (ten digits of cents) or below zero.
    public static func make(bank: BankAccount, nossoNumero: String, dueDate: Day, amount: Money) throws -> BoletoCode {
        try make(parts: try bank.cnabParts(), nossoNumero: nossoNumero, dueDate: dueDate, amount: amount)
    }

    static func make(parts: BankAccountParts, nossoNumero: String, dueDate: Day, amount: Money) throws -> BoletoCode {
        let free = try freeField(parts, nossoNumero: nossoNumero)
        let factor = try dueDateFactor(for: dueDate)
        guard amount.cents >= 0, amount.cents <= 9_999_999_999 else {
            throw BankError("amount \(amount.br) does not fit the boleto's ten digits of cents (max R$ 99.999.999,99)")
        }
        let withoutDV = parts.bank + "9" + pad(factor, 4) + pad(Int(amount.cents), 10) + free
        guard withoutDV.utf8.count == 43, let dv = CheckDigits.mod11Boleto(withoutDV) else {
            throw BankError("internal: barcode of \(withoutDV.utf8.count + 1) digits")  // unreachable by construction
        }
        var bytes = Array(withoutDV.utf8)  // 43 ASCII digits
        bytes.insert(UInt8(ascii: "0") + UInt8(dv), at: 4)
        let barcode = String(decoding: bytes, as: UTF8.self)
        guard let linha = linha(fromBarcode: barcode), let formatted = format(linha: linha) else {
            throw BankError("internal: could not derive the linha digitável of \(barcode)")
        }
        return BoletoCode(barcode: barcode, linhaDigitavel: linha, formatted: formatted)
    }

    /// The due-date factor: days since 1997-10-07 (1000 = 2000-07-03, 9999 = 2025-02-21);
    /// from 2025-02-22 it restarts at 1000 and grows by one a day, in cycles of 9000 days.
    public static func dueDateFactor(for day: Day) throws -> Int {
        let days = day.days(since: factorBase)
        guard days >= 1000 else {
            throw BankError("due date \(day.iso) is before 2000-07-03, the first day a boleto factor can express")
        }
        return (days - 1000) % 9000 + 1000
    }

    /// Whether the text is 44 digits whose general check digit (position 5) holds.
    public static func validate(barcode: String) -> Bool {
        let u = Array(barcode.utf8)
        guard u.count == 44, u.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        let withoutDV = String(decoding: u[0..<4] + u[5...], as: UTF8.self)
        return CheckDigits.mod11Boleto(withoutDV) == Int(u[4] - 48)
    }

    /// Whether the text is a linha digitável (47 digits; dots and spaces allowed) whose three
    /// field check digits and general check digit all hold.
    public static func validate(linhaDigitavel: String) -> Bool {
        barcode(fromLinha: linhaDigitavel) != nil
    }

    /// The barcode a valid linha digitável stands for; nil when any check digit fails.
    public static func barcode(fromLinha linha: String) -> String? {
        guard let d = digits(linha), d.count == 47 else { return nil }
        func s(_ r: Range<Int>) -> String { String(decoding: d[r], as: UTF8.self) }
        let field1 = s(0..<9), field2 = s(10..<20), field3 = s(21..<31)
        guard CheckDigits.mod10(field1) == Int(d[9] - 48),
            CheckDigits.mod10(field2) == Int(d[20] - 48),
            CheckDigits.mod10(field3) == Int(d[31] - 48)
        else { return nil }
        let barcode = s(0..<4) + s(32..<33) + s(33..<47) + s(4..<9) + field2 + field3
        return validate(barcode: barcode) ? barcode : nil
    }

    /// The linha digitável (47 digits, no punctuation) of a valid barcode; nil when the
    /// barcode is not 44 digits or its check digit fails.
    public static func linha(fromBarcode barcode: String) -> String? {
        guard validate(barcode: barcode) else { return nil }
        let b = Array(barcode.utf8)  // 44 ASCII digits, as validated
        func s(_ r: Range<Int>) -> String { String(decoding: b[r], as: UTF8.self) }
        // The free field is positions 19..<44: its first 5, next 10 and last 10 digits.
        let field1 = s(0..<4) + s(19..<24)
        let field2 = s(24..<34)
        let field3 = s(34..<44)
        guard let dv1 = CheckDigits.mod10(field1), let dv2 = CheckDigits.mod10(field2),
            let dv3 = CheckDigits.mod10(field3)
        else { return nil }
        return field1 + String(dv1) + field2 + String(dv2) + field3 + String(dv3) + s(4..<5) + s(5..<19)
    }

    /// `AAAAA.AAAAA BBBBB.BBBBBB CCCCC.CCCCCC D EEEEEEEEEEEEEE` from 47 digits; nil otherwise.
    public static func format(linha: String) -> String? {
        guard let d = digits(linha), d.count == 47 else { return nil }
        func s(_ r: Range<Int>) -> String { String(decoding: d[r], as: UTF8.self) }
        return s(0..<5) + "." + s(5..<10) + " " + s(10..<15) + "." + s(15..<21) + " "
            + s(21..<26) + "." + s(26..<32) + " " + s(32..<33) + " " + s(33..<47)
    }

    /// The digits (ASCII bytes) of a text where only digits, dots and spaces may appear.
    private static func digits(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(48)
        for b in text.utf8 {
            if b >= 48 && b <= 57 {
                out.append(b)
            } else if b != UInt8(ascii: ".") && b != UInt8(ascii: " ") {
                return nil
            }
        }
        return out
    }
}

/// Boletos of one account: the account's fields are split and checked once, not per title.
public struct BoletoIssuer: Sendable {
    let parts: BankAccountParts
    /// Nosso números of only ASCII digits, at most this long after leading zeros, always fit the layout (0 when the
    /// account itself cannot issue boletos): ``check(nossoNumero:)`` answers them without
    /// building the free field, which at a million titles was a second of one core.
    private let alwaysFits: Int

    /// Throws a ``BankError`` when the account's fields are not digits where digits belong.
    public init(bank: BankAccount) throws {
        parts = try bank.cnabParts()
        var width =
            switch (parts.bank, parts.agreement.count) {
            case ("001", 7): 10
            case ("001", 8): 9
            case ("001", 6): 5
            case ("341", _): 8
            default: 0
            }
        // Confirms the reading above with the general rule, so the shortcut never accepts what
        // the free field would refuse: the widest plain number and the shortest must both fit.
        if width > 0,
            (try? Boleto.freeField(parts, nossoNumero: String(repeating: "9", count: width))) == nil
                || (try? Boleto.freeField(parts, nossoNumero: "1")) == nil
        {
            width = 0
        }
        alwaysFits = width
    }

    /// As ``Boleto/make(bank:nossoNumero:dueDate:amount:)``.
    public func make(nossoNumero: String, dueDate: Day, amount: Money) throws -> BoletoCode {
        try Boleto.make(parts: parts, nossoNumero: nossoNumero, dueDate: dueDate, amount: amount)
    }

    /// Throws a ``BankError`` when the nosso número cannot be expressed in this bank's layout.
    public func check(nossoNumero: String) throws {
        // Leading zeros beyond the bank's width are padding (``Boleto/dropPaddingZeros(_:to:)``);
        // 17 digits may be a whole Banco do Brasil nosso número and take the general rule.
        // Over the bytes at once: half a million titles of a night carry a nosso número.
        var text = nossoNumero
        let fits =
            alwaysFits > 0
            && text.withUTF8 { b in
                guard b.count != 17, !b.isEmpty else { return false }
                var significant = 0
                for c in b {
                    guard c >= 0x30, c <= 0x39 else { return false }
                    if significant > 0 || c != 0x30 { significant += 1 }
                }
                return significant <= alwaysFits
            }
        if fits { return }
        _ = try Boleto.freeField(parts, nossoNumero: nossoNumero)
    }
}
