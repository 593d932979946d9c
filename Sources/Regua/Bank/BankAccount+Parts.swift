/// The pieces of a ``BankAccount`` as bank layouts need them: digits only, check digits split
/// off, the Banco do Brasil wallet variation split from the wallet.
struct BankAccountParts: Sendable, Hashable {
    /// Three-digit bank code.
    var bank: String
    /// Agency digits, leading zeros kept as given.
    var agency: String
    /// The agency's check digit (`0`–`9` or `X`), when known.
    var agencyDigit: String?
    /// Account digits.
    var account: String
    /// The account's check digit, when known.
    var accountDigit: String?
    /// Convênio digits (may be empty for banks that have none, like Itaú).
    var agreement: String
    /// Carteira digits.
    var wallet: String
    /// Banco do Brasil's carteira variation (`019` in `17-019`), when given.
    var walletVariation: String?
}

extension BankAccount {
    /// Splits and checks the account's fields; throws when one holds anything but digits.
    ///
    /// The rule book may write `account: "56789-0"` and `agency: "1234-5"`: the part after the
    /// dash is the check digit unless `accountDigit`/`agencyDigit` are set. A wallet written
    /// `17-019` (or `17/019`) is carteira 17, variation 019 (Banco do Brasil).
    func cnabParts() throws -> BankAccountParts {
        let bank = try digitsOnly(code, field: "bank code")
        guard (1...3).contains(bank.count) else {
            throw BankError("bank code \"\(code)\" must have 3 digits (001 Banco do Brasil, 341 Itaú)")
        }
        let (agencyNumber, agencyDash) = try split(agency, field: "agency")
        let (accountNumber, accountDash) = try split(account, field: "account")
        let (walletNumber, variation) = try split(wallet, field: "wallet", separators: ["-", "/"])
        if let v = variation, !v.allSatisfy(\.isASCIIDigit) {
            throw BankError("wallet variation \"\(v)\" must be digits, as in 17-019")
        }
        return BankAccountParts(
            bank: String(repeating: "0", count: 3 - bank.count) + bank,
            agency: agencyNumber,
            agencyDigit: try checkDigit(agencyDigit, agencyDash, field: "agency"),
            account: accountNumber,
            accountDigit: try checkDigit(accountDigit, accountDash, field: "account"),
            agreement: try digitsOnly(agreement, field: "agreement (convênio)", allowEmpty: true),
            wallet: walletNumber,
            walletVariation: variation)
    }

    private func digitsOnly(_ text: String, field: String, allowEmpty: Bool = false) throws -> String {
        let t = text.filter { $0 != " " && $0 != "." }
        guard t.allSatisfy(\.isASCIIDigit), allowEmpty || !t.isEmpty else {
            throw BankError("\(field) \"\(text)\" must be digits")
        }
        return t
    }

    private func split(_ text: String, field: String, separators: Set<Character> = ["-"]) throws -> (String, String?) {
        let t = text.filter { $0 != " " && $0 != "." }
        let pieces = t.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
        guard pieces.count <= 2, let first = pieces.first, !first.isEmpty, first.allSatisfy(\.isASCIIDigit) else {
            throw BankError("\(field) \"\(text)\" must be digits, optionally followed by -check digit")
        }
        if pieces.count == 2 {
            let second = String(pieces[1]).uppercased()
            guard !second.isEmpty else { throw BankError("\(field) \"\(text)\" ends with a dash") }
            return (String(first), second)
        }
        return (String(first), nil)
    }

    private func checkDigit(_ explicit: String?, _ fromDash: String?, field: String) throws -> String? {
        let given = explicit.map { $0.filter { $0 != " " }.uppercased() }
        guard let d = (given?.isEmpty == false ? given : nil) ?? fromDash else {
            return nil
        }
        guard d.count == 1, d.allSatisfy({ $0.isASCIIDigit || $0 == "X" }) else {
            throw BankError("\(field) check digit \"\(d)\" must be one digit or X")
        }
        return d
    }
}
