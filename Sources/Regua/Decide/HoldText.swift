/// Holds and missing contacts in the words of the finance team (Brazilian Portuguese), for
/// `regua explain` and the report: what stopped a step for a customer and what to fix.
public enum HoldText {
    /// `e-mail`, `SMS`, `carta`.
    public static func channelName(_ c: Channel) -> String {
        switch c {
        case .email: "e-mail"
        case .sms: "SMS"
        case .letter: "carta"
        case .call: "ligação"
        case .whatsapp: "WhatsApp"
        }
    }

    /// What stops a channel for a customer: a refusal, the missing contact field by field
    /// (`asOf`: the night, for a WhatsApp opt-in given after it), or, for a contact that is
    /// there, the mark feedback left on it.
    public static func contactProblem(_ channel: Channel, _ c: Customer, asOf: Day? = nil) -> String {
        if c.optOut.contains(channel) { return "o cliente recusou \(channelName(channel)) (coluna opt_out)" }
        // Present, not refused, and still not usable: feedback marked it (SPEC §7).
        // (A WhatsApp opt-in is dated: without the night it cannot be told from one given later.)
        if c.hasContact(for: channel, on: asOf), channel != .whatsapp || asOf != nil {
            return
                "o contato de \(channelName(channel)) do cliente foi marcado inutilizável pelo retorno (devolução ou falha de entrega; veja worklist.csv)"
        }
        switch channel {
        case .email: return "o cliente não tem e-mail utilizável (coluna email)"
        case .sms: return "o cliente não tem celular utilizável (coluna phone)"
        case .call: return "o cliente não tem telefone utilizável para ligação (coluna phone)"
        case .whatsapp:
            guard c.phone != nil else { return "o cliente não tem celular utilizável para WhatsApp (coluna phone)" }
            guard let d = c.whatsappOptIn else {
                return "o cliente não tem whatsapp_opt_in (a data, AAAA-MM-DD, em que aceitou receber WhatsApp)"
            }
            if let asOf, asOf < d { return "o whatsapp_opt_in do cliente (\(d.br)) é posterior a esta noite" }
            return "o cliente não tem celular utilizável para WhatsApp (colunas phone e whatsapp_opt_in)"
        case .letter:
            let a = c.address
            let missing = [
                ("address_street", a.street), ("address_number", a.number), ("address_city", a.city),
                ("address_state", a.state), ("address_zip", a.zip),
            ].filter { $0.1 == nil }.map(\.0)
            return "o endereço do cliente está incompleto para carta (faltam: \(missing.joined(separator: ", ")))"
        }
    }

    /// The contact problems of a message step's channel and fallback, or nil for other steps.
    public static func contactProblems(step: Step?, customer: Customer) -> [String]? {
        guard case .message(let channel, _, let fallback)? = step?.action else { return nil }
        return ([channel] + (fallback.map { [$0] } ?? [])).map { contactProblem($0, customer) }
    }

    /// What the finance team can do about a hold.
    public static func whatToFix(_ r: HoldReason, step: Step?, customer: Customer?) -> String {
        switch r {
        case .noContact:
            let problems = customer.flatMap { contactProblems(step: step, customer: $0) }
            return "cadastre o contato em customers.csv"
                + (problems.map { ": " + $0.joined(separator: "; ") } ?? "")
        case .optOut:
            let problems = customer.flatMap { contactProblems(step: step, customer: $0) }
            return "o cliente recusou o canal; combine outro meio com ele ou dê ao degrau um fallback que ele aceite"
                + (problems.map { " (" + $0.joined(separator: "; ") + ")" } ?? "")
        case .noBankData: return "informe o nosso_numero do título em receivables.csv"
        case .belowMinAmount: return "nada a corrigir: o total é menor que min_amount"
        case .contactCap: return "nada a corrigir: volta a valer numa próxima noite dentro da janela"
        case .quietDay: return "nada a corrigir: volta a valer no próximo dia de envio dentro da janela"
        case .customerHold:
            return
                "o cliente está com bloqueio (coluna hold: \(customer?.hold ?? "")); tire o bloqueio em customers.csv quando a cobrança puder voltar"
        case .coveredByCredit: return "nada a corrigir: os créditos do cliente cobrem tudo o que ele deve; compense-os"
        case .requirementNotMet:
            let s = step?.requires.map { "'\($0.step)' enviado há pelo menos \($0.days) dias" } ?? "o degrau exigido"
            return "nada a corrigir agora: o degrau espera \(s) (requires); volta a valer dentro da janela"
        case .handedOff: return "nada a corrigir: o título foi passado a uma assessoria ou advogado (handoff)"
        case .outsideCallHours:
            return "nada a corrigir: a ligação sai no próximo dia com horário em call_hours, dentro da janela"
        }
    }

    /// A feedback issue in the finance team's words.
    public static func issueName(_ issue: ContactIssue) -> String {
        switch issue {
        case .bouncedEmail: "e-mail devolvido"
        case .undeliveredSMS: "SMS não entregue"
        case .returnedLetter: "carta devolvida pelo correio"
        case .undeliveredWhatsApp: "WhatsApp não entregue"
        }
    }
}
