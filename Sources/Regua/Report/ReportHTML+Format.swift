/// Escaping, pt-BR numbers and pt-BR labels for `report.html`.
///
/// Every value that reaches the page goes through ``escape(_:limit:)``: ids and reject reasons
/// come from input files and are hostile until proven otherwise.
extension ReportHTML {
    /// Text made safe for an HTML text node or a quoted attribute: control and bidi characters
    /// become spaces, markup characters become entities, and anything longer than `limit`
    /// characters is cut with "…" (a megabyte cell must not turn the report into a megabyte).
    static func escape(_ text: String, limit: Int = 300) -> String {
        var s = BrazilianFormat.clean(text)
        if s.count > limit { s = String(s.prefix(limit)) + "…" }
        return EmailWriter.escapeHTML(s)
    }

    /// `12.345`: a count with pt-BR thousands dots.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var groups: [Substring] = []
        var rest = Substring(digits)
        while rest.count > 3 {
            groups.insert(rest.suffix(3), at: 0)
            rest = rest.dropLast(3)
        }
        groups.insert(rest, at: 0)
        return (n < 0 ? "-" : "") + groups.joined(separator: ".")
    }

    /// `1 título`, `12.345 títulos`.
    static func count(_ n: Int, _ singular: String, _ plural: String) -> String {
        count(n) + " " + (n == 1 ? singular : plural)
    }

    /// `45,3%`: `part / whole` with one decimal, rounded half-up in integers; "—" when
    /// `whole` is zero (a share of nothing is not 0%).
    static func percent(_ part: Int64, of whole: Int64) -> String {
        guard whole > 0 else { return "—" }
        let tenths = roundHalfUp(Int128(part) * 1000, Int128(whole))
        return String(tenths / 10) + "," + String(tenths.magnitude % 10) + "%"
    }

    /// A summary amount (`"1234.56"`, possibly negative) as money; nil when it is not one.
    static func money(_ decimal: String) -> Money? {
        if decimal.hasPrefix("-") {
            return Money(decimal: decimal.dropFirst()).map { Money(cents: -$0.cents) }
        }
        return Money(decimal: decimal)
    }

    /// `R$ 1.234,56` for a summary amount; the escaped text itself if it is not an amount.
    static func brl(_ decimal: String) -> String {
        money(decimal)?.br ?? escape(decimal)
    }

    /// `23/11/2026` for an ISO date; a date already written `DD/MM/YYYY`, or anything else,
    /// is shown as given (escaped).
    static func date(_ text: String) -> String {
        Day(iso: text)?.br ?? escape(text)
    }

    /// `D-5`, `D0`, `D+3`: a step's offset as the finance team writes it.
    static func offset(_ n: Int) -> String {
        n == 0 ? "D0" : n < 0 ? "D" + String(n) : "D+" + String(n)
    }

    // Labels below are plain text (escape them like any value); unknown keys come back as given.

    /// The pt-BR name of an aging bucket of ``Portfolio/buckets``.
    static func agingLabel(_ bucket: String) -> String {
        switch bucket {
        case "not_due": "A vencer"
        case "1-15": "1–15 dias"
        case "16-30": "16–30 dias"
        case "31-60": "31–60 dias"
        case "61-90": "61–90 dias"
        case "91-180": "91–180 dias"
        case "180+": "Mais de 180 dias"
        default: bucket
        }
    }

    /// The pt-BR name of a ``HoldReason`` raw value (the raw value itself if it names none).
    static func holdLabel(_ reason: String) -> String {
        guard let known = HoldReason(rawValue: reason) else { return reason }
        return switch known {
        case .quietDay: "Dia sem envio (domingo, feriado ou dia de silêncio)"
        case .belowMinAmount: "Abaixo do valor mínimo"
        case .contactCap: "Limite de contatos por semana"
        case .optOut: "Canal recusado pelo cliente"
        case .noContact: "Sem contato para o canal"
        case .noBankData: "Sem nosso número (dados bancários)"
        case .customerHold: "Cliente com bloqueio (hold)"
        case .coveredByCredit: "Coberto por créditos do cliente"
        case .requirementNotMet: "Degrau exigido ainda não enviado (requires)"
        case .handedOff: "Título já passado a assessoria ou advogado"
        case .outsideCallHours: "Dia sem horário de ligação"
        }
    }

    /// The pt-BR name of a channel raw value (or `remittance`).
    static func channelLabel(_ channel: String) -> String {
        if channel == "remittance" { return "Banco" }
        guard let known = Channel(rawValue: channel) else { return channel }
        return switch known {
        case .email: "E-mail"
        case .sms: "SMS"
        case .letter: "Carta"
        case .call: "Ligação"
        case .whatsapp: "WhatsApp"
        }
    }

    /// The pt-BR name of a ``RemittanceInstruction`` raw value.
    static func instructionLabel(_ instruction: String) -> String {
        switch instruction {
        case RemittanceInstruction.register.rawValue: "Registro"
        case RemittanceInstruction.writeOff.rawValue: "Baixa"
        case RemittanceInstruction.changeDue.rawValue: "Alteração de vencimento"
        case RemittanceInstruction.protest.rawValue: "Protesto"
        case RemittanceInstruction.stopProtest.rawValue: "Sustação de protesto"
        default: instruction
        }
    }

    /// The pt-BR name of a step kind of ``Summary/StepLine/kind`` (`email`, `remittance:protest`…).
    static func kindLabel(_ kind: String) -> String {
        if kind.hasPrefix("remittance:") {
            return "Banco: " + instructionLabel(String(kind.dropFirst(11))).lowercased()
        }
        return kind.isEmpty ? "—" : channelLabel(kind)
    }

    /// The pt-BR name of a return-file occurrence kind (either spelling of ``ReturnEventKind``).
    static func occurrenceLabel(_ kind: String) -> String {
        switch kind {
        case "settlement": "Liquidação"
        case "entryConfirmed", "entry_confirmed": "Entrada confirmada"
        case "entryRejected", "entry_rejected": "Entrada rejeitada"
        case "writtenOff", "written_off": "Baixa sem pagamento"
        case "protested": "Protestado"
        case "other": "Outras ocorrências"
        default: kind
        }
    }
}
