import Foundation

/// The map sections of a rule book: version, timezone, company, bank, calendar, policy.
extension RuleBookChecker {
    /// `version: 1`, the only format this code reads.
    func version(_ node: YAMLNode) -> Int? {
        guard let v = int(node, "version", in: Int.min...Int.max) else { return nil }
        guard v == 1 else {
            error(node, "a versão \(v) do livro de regras não é suportada; este Regua lê a versão 1")
            return nil
        }
        return v
    }

    /// An IANA time zone Foundation knows.
    func timeZone(_ node: YAMLNode) -> String? {
        guard let id = text(node, "timezone") else { return nil }
        guard TimeZone(identifier: id) != nil else {
            error(
                node, "fuso horário desconhecido '\(YAMLNode.excerpt(id))'; use um nome IANA como America/Sao_Paulo",
                hint: KeySuggestion.hint(for: id, in: TimeZone.knownTimeZoneIdentifiers.sorted()))
            return nil
        }
        return id
    }

    /// `company`: the sender.
    func company(_ node: YAMLNode) -> Company? {
        let known = ["name", "document", "email", "phone", "pix_key", "city", "address", "payment_url"]
        guard let f = fields(node, of: "a seção company", known: known) else { return nil }
        let name = require(f, "name").flatMap { text($0, "name") }
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { error(f["name"]!, "'name' está em branco") }
        var document: Document?
        if let node = require(f, "document"), let raw = text(node, "document") {
            // The value is not echoed: a sole trader's CPF is personal data.
            document = Document.parse(raw)
            if document == nil {
                error(node, "'document' não é um CPF ou CNPJ válido (tamanho ou dígitos verificadores)")
            }
        }
        let email = f["email"].flatMap { text($0, "email") }
        if let email, let node = f["email"], !Self.looksLikeEmail(email) {
            error(node, "'email' não é um endereço de e-mail (nome@dominio)")
        }
        let optional = { (key: String) in f[key].flatMap { self.text($0, key) } }
        let paymentURL = f["payment_url"].flatMap(paymentURL)
        guard let name, let document else { return nil }
        return Company(
            name: name, document: document, email: email, phone: optional("phone"),
            pixKey: optional("pix_key"), city: optional("city"), address: optional("address"),
            paymentURL: paymentURL)
    }

    /// `company.payment_url`, checked; a problem is reported at the offending character.
    func paymentURL(_ node: YAMLNode) -> PaymentURLTemplate? {
        guard let raw = text(node, "payment_url") else { return nil }
        do {
            return try PaymentURLTemplate(parsing: raw)
        } catch {
            // A quoted value starts one column after its quote; a block scalar's position is
            // its first line's (offsets past a line break are not mapped).
            let quoted: Int
            if case .scalar(_, let plain) = node.kind, !plain { quoted = 1 } else { quoted = 0 }
            var at = node.location
            at.column += quoted + error.offset
            self.error(
                at: at, error.message,
                hint: "exemplo: https://pagar.exemplo.com.br/cobranca/{message_id}?cliente={customer_id}")
            return nil
        }
    }

    /// One `@`, something on each side, a dot in the domain, no spaces.
    static func looksLikeEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !s.contains(" ")
    }

    /// Banks whose CNAB 240 layout Regua writes.
    static let supportedBanks = [("001", "Banco do Brasil"), ("341", "Itaú"), ("104", "Caixa")]

    /// `bank`: the beneficiary account.
    func bank(_ node: YAMLNode) -> BankAccount? {
        guard let f = fields(node, of: "a seção bank", known: ["code", "agency", "account", "agreement", "wallet"])
        else {
            return nil
        }
        var code: String?
        if let node = require(f, "code"), let text = text(node, "code") {
            if Self.supportedBanks.contains(where: { $0.0 == text }) {
                code = text
            } else {
                let list = Self.supportedBanks.map { "\"\($0.0)\" (\($0.1))" }.joined(separator: ", ")
                error(node, "o código de banco '\(YAMLNode.excerpt(text))' não é suportado; use um destes: \(list)")
            }
        }
        let agency = require(f, "agency").flatMap { numberWithDigit($0, "agency", maxDigits: 5) }
        let account = require(f, "account").flatMap { numberWithDigit($0, "account", maxDigits: 12) }
        // Itaú's CNAB 240 has no convênio; the other banks identify the beneficiary by it.
        let agreementNode = code == "341" ? f["agreement"] : require(f, "agreement")
        let agreement = agreementNode.flatMap { digits($0, "agreement", maxDigits: 20) }
        let wallet = require(f, "wallet").flatMap { digits($0, "wallet", maxDigits: 3) }
        guard let code, let agency, let account, let wallet, agreementNode == nil || agreement != nil else {
            return nil
        }
        return BankAccount(
            code: code, agency: agency.number, agencyDigit: agency.digit, account: account.number,
            accountDigit: account.digit, agreement: agreement ?? "", wallet: wallet)
    }

    /// `1234` or `1234-5`; the check digit may be `X` (Banco do Brasil's módulo 11 gives 10).
    private func numberWithDigit(_ node: YAMLNode, _ name: String, maxDigits: Int) -> (number: String, digit: String?)?
    {
        guard let text = text(node, name) else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let number = parts[0]
        let digit = parts.count == 2 ? parts[1].uppercased() : nil
        guard parts.count <= 2, (1...maxDigits).contains(number.count), number.utf8.allSatisfy(RuleByte.isDigit),
            digit.map({ $0.count == 1 && ($0 == "X" || $0.utf8.allSatisfy(RuleByte.isDigit)) }) ?? true
        else {
            error(
                node,
                "'\(name)' deve ter até \(maxDigits) dígitos, com o dígito verificador opcional, como \"1234-5\"; não '\(YAMLNode.excerpt(text))'"
            )
            return nil
        }
        return (String(number), digit)
    }

    /// Only digits, at most `maxDigits`.
    private func digits(_ node: YAMLNode, _ name: String, maxDigits: Int) -> String? {
        guard let text = text(node, name) else { return nil }
        guard (1...maxDigits).contains(text.count), text.utf8.allSatisfy(RuleByte.isDigit) else {
            error(node, "'\(name)' deve ter de 1 a \(maxDigits) dígitos, não '\(YAMLNode.excerpt(text))'")
            return nil
        }
        return text
    }

    /// `calendar`: national holidays or none, and extra dates.
    func calendar(_ node: YAMLNode) -> CalendarConfig {
        var config = CalendarConfig()
        guard let f = fields(node, of: "a seção calendar", known: ["holidays", "extra"]) else { return config }
        if let node = f["holidays"], let national = choice(node, "holidays", [("national", true), ("none", false)]) {
            config.nationalHolidays = national
        }
        if let node = f["extra"], let items = list(node, "extra") {
            for item in items {
                guard let text = text(item, "extra") else { continue }
                guard let day = Day(iso: text) else {
                    error(item, "'\(YAMLNode.excerpt(text))' em 'extra' não é uma data escrita AAAA-MM-DD")
                    continue
                }
                config.extra.append(day)
            }
            config.extra.sort()
        }
        return config
    }
}
