/// The `policy` section: fees, thresholds, caps and quiet days.
extension RuleBookChecker {
    /// Keys `policy` knows.
    static let policyKeys = [
        "late_fee_percent", "interest_percent_month", "min_amount", "max_contacts_per_week", "catch_up_days",
        "quiet_days", "sms", "backfill", "max_rejected_percent", "max_messages",
        "call_hours",
    ]

    /// Highest late fee (multa de mora) on consumer debts: Código de Defesa do Consumidor
    /// (Lei 8.078/1990), art. 52, §1º.
    static let maxLateFee = Percent(micros: 2_000_000)

    /// Reads `policy`; absent keys keep their defaults (catch-up 3 days, SMS of 2 segments).
    func policy(_ node: YAMLNode?) -> Policy {
        var p = Policy(catchUpDays: 3)
        guard let node, let f = fields(node, of: "a seção policy", known: Self.policyKeys) else { return p }
        if let n = f["late_fee_percent"], let v = percent(n, "late_fee_percent") {
            if v.micros > Self.maxLateFee.micros {
                error(
                    n,
                    "uma multa de \(v)% passa dos 2% que o Código de Defesa do Consumidor permite (Lei 8.078/1990, art. 52, §1º)"
                )
            } else {
                p.lateFeePercent = v
            }
        }
        if let n = f["interest_percent_month"], let v = percent(n, "interest_percent_month") {
            p.interestPercentMonth = v
        }
        if let n = f["min_amount"], let text = text(n, "min_amount") {
            if let m = Money(decimal: text) {
                p.minAmount = m
            } else {
                error(
                    n,
                    "'min_amount' deve ser um valor em reais como 10.00 (ponto antes dos centavos), não '\(YAMLNode.excerpt(text))'"
                )
            }
        }
        if let n = f["max_contacts_per_week"], let v = int(n, "max_contacts_per_week", in: 1...1_000) {
            p.maxContactsPerWeek = v
        }
        if let n = f["catch_up_days"], let v = int(n, "catch_up_days", in: 0...365) { p.catchUpDays = v }
        if let n = f["quiet_days"], let items = list(n, "quiet_days") {
            for item in items {
                guard let text = text(item, "quiet_days") else { continue }
                if let day = Weekday(name: text) {
                    p.quietDays.insert(day)
                } else {
                    error(
                        item,
                        "'\(YAMLNode.excerpt(text))' em 'quiet_days' não é um dia da semana (segunda … domingo, ou monday … sunday)",
                        hint: KeySuggestion.hint(for: text, in: Weekday.allCases.map(\.name)))
                }
            }
        }
        if let n = f["sms"], let sms = fields(n, of: "a seção policy.sms", known: ["max_segments", "transliterate"]) {
            if let s = sms["max_segments"], let v = int(s, "max_segments", in: 1...10) { p.smsMaxSegments = v }
            if let s = sms["transliterate"], let v = bool(s, "transliterate") { p.smsTransliterate = v }
        }
        if let n = f["backfill"], let v = bool(n, "backfill") { p.backfill = v }
        if let n = f["max_rejected_percent"], let v = percent(n, "max_rejected_percent") {
            if v.micros > 100_000_000 {
                error(n, "'max_rejected_percent' é uma porcentagem de 0 a 100, não \(v)")
            } else {
                p.maxRejectedPercent = v
            }
        }
        if let n = f["max_messages"], let v = int(n, "max_messages", in: 1...100_000_000) { p.maxMessages = v }
        if let n = f["call_hours"],
            let h = fields(n, of: "policy.call_hours", known: ["weekdays", "saturday", "sunday"])
        {
            var hours = CallHours()
            for key in ["weekdays", "saturday", "sunday"] {
                guard let node = h[key], let t = text(node, key) else { continue }
                guard let w = CallWindow(text: t) else {
                    error(
                        node,
                        "'\(key)' em call_hours deve ser um horário como \"08:00-20:00\" (início antes do fim), não '\(YAMLNode.excerpt(t))'"
                    )
                    continue
                }
                switch key {
                case "weekdays": hours.weekdays = w
                case "saturday": hours.saturday = w
                default: hours.sunday = w
                }
            }
            p.callHours = hours
        }
        return p
    }

    /// A non-negative decimal percentage with up to six decimals.
    func percent(_ node: YAMLNode, _ name: String) -> Percent? {
        guard let text = text(node, name) else { return nil }
        guard let p = Percent(decimal: text) else {
            error(
                node,
                "'\(name)' deve ser um número decimal não negativo como 2.0 (até 6 casas), não '\(YAMLNode.excerpt(text))'"
            )
            return nil
        }
        return p
    }
}
