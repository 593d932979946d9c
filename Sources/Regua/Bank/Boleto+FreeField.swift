/// The bank-specific 25 digits of a barcode (positions 20–44, "campo livre").
extension Boleto {
    /// Itaú carteiras whose nosso-número DAC covers only carteira + nosso número
    /// (brcobranca `boleto/itau.rb`, after Itaú's manual); all others also cover agency/account.
    static let itauShortDACWallets: Set<String> = ["112", "126", "131", "146", "150", "168"]
    /// Itaú carteiras with another free field (seu número + client code): not supported.
    static let itauSpecialWallets: Set<String> = ["106", "107", "122", "142", "143", "195", "196", "198"]

    /// The free field for the account's bank; throws for what it cannot express.
    static func freeField(_ p: BankAccountParts, nossoNumero: String) throws -> String {
        let nn = nossoNumero.filter { $0 != " " && $0 != "." && $0 != "-" }
        guard !nn.isEmpty, nn.allSatisfy(\.isASCIIDigit) else {
            throw BankError("nosso número \"\(nossoNumero)\" must be digits")
        }
        switch p.bank {
        case "001": return try bancoDoBrasil(p, nossoNumero: nn)
        case "341": return try itau(p, nossoNumero: nn)
        default:
            throw BankError("boletos of bank \(p.bank) are not supported (only 001 Banco do Brasil and 341 Itaú)")
        }
    }

    /// Banco do Brasil: convênio of 7 (or 8) digits → `000000` + nosso número of 17 (convênio +
    /// 10- (or 9-) digit sequence) + carteira; convênio of 6 → convênio + nosso número of 5 +
    /// agency (4) + account (8) + carteira.
    private static func bancoDoBrasil(_ p: BankAccountParts, nossoNumero nn: String) throws -> String {
        let wallet = try fit(p.wallet, 2, "Banco do Brasil carteira")
        switch p.agreement.count {
        case 7, 8:
            return "000000" + (try bbNossoNumero17(p, nn)) + wallet
        case 6:
            let nn = Boleto.dropPaddingZeros(nn, to: 5)
            guard nn.count <= 5 else {
                throw BankError("nosso número \(nn) is too long: a 6-digit Banco do Brasil convênio takes 5 digits")
            }
            return p.agreement + pad5(nn) + (try fit(p.agency, 4, "agency")) + (try fit(p.account, 8, "account"))
                + wallet
        default:
            throw BankError(
                "Banco do Brasil convênio \"\(p.agreement)\" has \(p.agreement.count) digits; supported: 6, 7 and 8")
        }
    }

    /// The 17-digit nosso número of a 7- or 8-digit BB convênio: the sequence (up to 10 or 9
    /// digits) prefixed by the convênio, or already 17 digits starting with it.
    static func bbNossoNumero17(_ p: BankAccountParts, _ nn: String) throws -> String {
        let sequence = 17 - p.agreement.count
        guard p.agreement.count == 7 || p.agreement.count == 8 else {
            throw BankError(
                "a 17-digit Banco do Brasil nosso número needs a convênio of 7 or 8 digits, not \"\(p.agreement)\"")
        }
        if nn.count == 17 {
            guard nn.hasPrefix(p.agreement) else {
                throw BankError("nosso número \(nn) does not start with the convênio \(p.agreement)")
            }
            return nn
        }
        let nn = Boleto.dropPaddingZeros(nn, to: sequence)
        guard nn.count <= sequence else {
            throw BankError(
                "nosso número \(nn) is too long: Banco do Brasil takes a \(sequence)-digit sequence after the \(p.agreement.count)-digit convênio"
            )
        }
        return p.agreement + String(repeating: "0", count: sequence - nn.count) + nn
    }

    /// Itaú: carteira (3) + nosso número (8) + DAC + agency (4) + account (5) + DAC + `000`.
    private static func itau(_ p: BankAccountParts, nossoNumero nn: String) throws -> String {
        let wallet = try itauWallet(p)
        let nn = Boleto.dropPaddingZeros(nn, to: 8)
        guard nn.count <= 8 else { throw BankError("nosso número \(nn) is too long: Itaú takes 8 digits") }
        let nn8 = String(repeating: "0", count: 8 - nn.count) + nn
        let agency = try fit(p.agency, 4, "Itaú agency")
        let account = try fit(p.account, 5, "Itaú account")
        let accountDAC = try itauAccountDAC(p)
        return wallet + nn8
            + String(itauNossoNumeroDAC(agency: agency, account: account, wallet: wallet, nossoNumero: nn8))
            + agency + account + accountDAC + "000"
    }

    /// The Itaú carteira as 3 digits; throws for the carteiras with another free field.
    static func itauWallet(_ p: BankAccountParts) throws -> String {
        let wallet = try fit(p.wallet, 3, "Itaú carteira")
        guard !itauSpecialWallets.contains(wallet) else {
            throw BankError("Itaú carteira \(wallet) uses a free field with seu número and client code; not supported")
        }
        return wallet
    }

    /// Módulo 10 of agency + account + carteira + nosso número (carteira + nosso número only for
    /// the carteiras in ``itauShortDACWallets``).
    static func itauNossoNumeroDAC(agency: String, account: String, wallet: String, nossoNumero: String) -> Int {
        let base = itauShortDACWallets.contains(wallet) ? wallet + nossoNumero : agency + account + wallet + nossoNumero
        return CheckDigits.mod10(base) ?? 0  // digits by construction
    }

    /// Módulo 10 of agency (4) + account (5); throws when the account digit given in the rule
    /// book disagrees, since a wrong DAC makes Itaú reject every record (error 91).
    static func itauAccountDAC(_ p: BankAccountParts) throws -> String {
        let agency = try fit(p.agency, 4, "Itaú agency")
        let account = try fit(p.account, 5, "Itaú account")
        let dac = String(CheckDigits.mod10(agency + account) ?? 0)
        if let given = p.accountDigit, given != dac {
            throw BankError("Itaú account \(agency)/\(account)-\(given): the check digit should be \(dac)")
        }
        return dac
    }

    /// Left-pads digits with zeros to `width`; throws when they are longer.
    /// ERPs pad the nosso número with zeros to their own width ("00000006848"); leading zeros
    /// beyond the bank's width are padding, not digits, and are dropped.
    static func dropPaddingZeros(_ digits: String, to width: Int) -> String {
        var d = Substring(digits)
        while d.count > width, d.first == "0" { d = d.dropFirst() }
        return String(d)
    }

    static func fit(_ digits: String, _ width: Int, _ what: String) throws -> String {
        guard digits.count <= width else {
            throw BankError("\(what) \(digits) has \(digits.count) digits; at most \(width) fit")
        }
        return String(repeating: "0", count: width - digits.count) + digits
    }

    private static func pad5(_ s: String) -> String { String(repeating: "0", count: 5 - s.count) + s }
}
