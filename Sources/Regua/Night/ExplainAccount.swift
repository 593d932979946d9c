/// `regua explain` in words: one customer's night told to the finance analyst in Brazilian
/// Portuguese — which profile and why the ones before it did not match (the condition and the
/// customer's value), each title's situation ("vence amanhã", "vencido há 3 dias"; nothing of
/// the kind for a paid or cancelled title), each step's verdict, and what is missing when a
/// message is held. Dates are written dd/mm/aaaa throughout.
enum ExplainAccount {
    /// The account's lines.
    static func lines(_ e: CustomerExplanation, book: RuleBook) -> [String] {
        var out: [String] = []
        let name = e.customer.map { " — \($0.name)" } ?? ""
        let night = e.night.map { ", noite de \($0.br)" } ?? ""
        out.append("Cliente \(e.customerID.raw)\(name)\(night): perfil \(e.profile)")
        for check in e.profileChecks {
            if check.matched {
                let conditions = book.profiles.first { $0.id == check.profile }?.conditions ?? []
                out.append(
                    "  perfil \(check.profile): vale"
                        + (conditions.isEmpty
                            ? " (sem condições: vale para todos)"
                            : " (\(conditions.map(\.ruleText).joined(separator: "; ")))"))
            } else {
                let failed = check.failed.map { "\($0.condition) (o cliente: \($0.value))" }
                out.append("  perfil \(check.profile): não vale — falhou " + failed.joined(separator: "; "))
            }
        }
        let f = e.facts
        out.append(
            "  fatos: late_payments_12m = \(f.latePayments12m) (pagamentos em atraso em 12 meses); total_overdue = \(f.totalOverdue.br) (total vencido); oldest_days_overdue = \(f.oldestDaysOverdue) (maior atraso, em dias)"
        )
        for r in e.rejectedRows {
            let title = r.titleID.map { " (título \($0))" } ?? ""
            let column = r.column.isEmpty ? "" : ", coluna \(r.column)"
            out.append(
                "  atenção: a linha \(r.line) de \(r.file)\(title) foi rejeitada\(column) e não entra nesta noite: \(r.reason)"
            )
        }
        for t in e.titles {
            out.append("  " + titleLine(t))
            for (stepID, verdict) in t.steps {
                out.append("    \(stepID): " + self.verdict(verdict, step: book.step(stepID), e: e, book: book))
            }
        }
        if e.titles.isEmpty { out.append("  nenhum título deste cliente em receivables.csv") }
        for m in e.messages {
            let titles = m.titles.map(\.raw).joined(separator: ", ")
            let fate =
                m.heldBy.map { "retida: " + hold($0, step: book.step(m.step), e: e, book: book) } ?? "sai nesta noite"
            out.append(
                "  mensagem \(m.id) por \(HoldText.channelName(m.channel)) (degrau \(m.step)), títulos \(titles) — \(fate)"
            )
        }
        if e.messages.isEmpty { out.append("  nenhuma mensagem para este cliente nesta noite") }
        return out
    }

    /// `título NF-1 (em aberto): vencimento 20/11/2026, vencido há 3 dias; saldo R$ 100,00, atualizado R$ 103,00`.
    static func titleLine(_ t: TitleExplanation) -> String {
        var due = "vencimento \(t.dueDate.br)"
        if t.effectiveDueDate != t.dueDate {
            due += " (cai em dia sem expediente bancário; conta a partir de \(t.effectiveDueDate.br))"
        }
        let head = "título \(t.titleID.raw) (\(statusName(t.status))): \(due)"
        if t.suppressed != nil {
            return head + " — " + suppression(t)
        }
        var line = head + ", " + situation(daysOverdue: t.daysOverdue) + "; saldo \(t.outstanding.br)"
        if t.updatedAmount != t.outstanding { line += ", atualizado com multa e juros \(t.updatedAmount.br)" }
        return line
    }

    /// Why a title is not dunned, in words.
    static func suppression(_ t: TitleExplanation) -> String {
        switch t.status {
        case .paid: return "pago; não é cobrado"
        case .cancelled: return "cancelado; não é cobrado"
        case .disputed: return "em disputa; a cobrança fica suspensa enquanto durar"
        case .promised:
            if let p = t.promiseDate { return "promessa de pagamento até \(p.br); não é cobrado até lá" }
            return "promessa de pagamento; não é cobrado"
        case .open: return "nada em aberto (saldo zero); não é cobrado"
        case .renegotiated:
            return "renegociado (fechado por um acordo); não é cobrado — as parcelas do acordo são títulos próprios"
        }
    }

    /// `vence hoje`, `vence amanhã`, `vence em 3 dias`, `venceu ontem`, `vencido há 3 dias`.
    static func situation(daysOverdue n: Int) -> String {
        switch n {
        case 0: "vence hoje"
        case -1: "vence amanhã"
        case ..<0: "vence em \(-n) dias"
        case 1: "venceu ontem (vencido há 1 dia)"
        default: "vencido há \(n) dias"
        }
    }

    /// A step's verdict for a title, in words.
    static func verdict(_ v: StepVerdict, step: Step?, e: CustomerExplanation, book: RuleBook) -> String {
        switch v {
        case .notForProfile: return "não se aplica ao perfil \(e.profile) (profiles/except_profiles do degrau)"
        case .otherArm(let x, let arm):
            return "só existe para o braço \(arm.rawValue) do experimento \(x), e o cliente está no outro"
        case .notYet(let d): return "ainda não: a janela do degrau abre em \(d.br)"
        case .windowClosed(let d): return "a janela do degrau fechou em \(d.br)"
        case .alreadySent(let d): return "já enviado na noite de \(d.br)"
        case .supersededEarlier: return "superado por um degrau mais avançado numa noite anterior"
        case .higherAlreadySent(let s): return "um degrau mais avançado (\(s)) já foi enviado; a régua não volta atrás"
        case .superseded(let s): return "devido, mas superado nesta noite por \(s), mais avançado"
        case .sent(let c, let m):
            guard let c else {
                switch step?.action {
                case .bureauInclude?:
                    return
                        "devido: o título é incluído no birô de crédito nesta noite (bureau/\(book.bureau?.name ?? "").csv)"
                case .handoff(let id)?: return "devido: o título é passado a \(id) nesta noite (handoff/\(id).csv)"
                default: return "devido: vai ao banco no arquivo de remessa desta noite"
                }
            }
            var text = "devido: sai por \(HoldText.channelName(c))" + (m.map { " na mensagem \($0)" } ?? "")
            if case .message(let own, _, _)? = step?.action, own != c, let customer = e.customer {
                text += " (canal alternativo, fallback: \(HoldText.contactProblem(own, customer, asOf: e.night)))"
            }
            return text
        case .held(let r): return "devido, mas retido: " + hold(r, step: step, e: e, book: book)
        case .heldUnusable(let marks):
            guard case .message(let own, _, let fallback)? = step?.action, let customer = e.customer else {
                let issues = marks.sorted { $0.key < $1.key }.map { HoldText.issueName($0.value) }
                return "devido, mas retido: no_contact: contato inutilizável (\(issues.joined(separator: ", ")))"
            }
            let problems = ([own] + (fallback.map { [$0] } ?? [])).map { c in
                marks[c].map { "o contato de \(HoldText.channelName(c)) está inutilizável (\(HoldText.issueName($0)))" }
                    ?? HoldText.contactProblem(c, customer, asOf: e.night)
            }
            return "devido, mas retido: no_contact: " + problems.joined(separator: "; ")
                + (fallback == nil ? " (o degrau não tem fallback)" : "")
        case .fallback(let from, let to, let issue):
            return
                "o contato de \(HoldText.channelName(from)) está inutilizável (\(HoldText.issueName(issue))): sai por \(HoldText.channelName(to)) (fallback)"
        case .backfill(let c, let m):
            return "recuperação (backfill): sai" + (c.map { " por \(HoldText.channelName($0))" } ?? "")
                + (m.map { " na mensagem \($0)" } ?? "")
        }
    }

    /// Why a message or step is held, naming what is missing or refused.
    static func hold(_ r: HoldReason, step: Step?, e: CustomerExplanation, book: RuleBook) -> String {
        switch r {
        case .quietDay: return "dia sem envio (quiet_days ou feriado)"
        case .belowMinAmount:
            return "o total em aberto da mensagem fica abaixo de min_amount (\(book.policy.minAmount.br))"
        case .contactCap:
            return
                "o cliente já recebeu max_contacts_per_week (\(book.policy.maxContactsPerWeek.map(String.init) ?? "-")) mensagens em 7 dias"
        case .noBankData: return "o título não tem nosso_numero, e o banco precisa dele para a instrução"
        case .customerHold:
            return
                "o cliente está com bloqueio (hold: \(e.customer?.hold ?? "")); nada sai além do que encerra uma cobrança"
        case .coveredByCredit: return "os créditos do cliente cobrem todo o saldo dos seus títulos"
        case .requirementNotMet:
            let s = step?.requires.map { "'\($0.step)' enviado há pelo menos \($0.days) dias" } ?? "o degrau exigido"
            return "o degrau exige \(s) (requires), e isso ainda não aconteceu"
        case .handedOff: return "o título já foi passado a uma assessoria ou advogado (handoff)"
        case .outsideCallHours: return "hoje não há horário de ligação (policy.call_hours não tem este dia)"
        case .optOut, .noContact:
            guard case .message(let channel, _, let fallback)? = step?.action, let c = e.customer else {
                return r == .optOut ? "o cliente recusou o canal (opt_out)" : "falta o contato do canal (no_contact)"
            }
            let reasons = ([channel] + (fallback.map { [$0] } ?? [])).map {
                HoldText.contactProblem($0, c, asOf: e.night)
            }
            return (r == .optOut ? "opt_out: " : "no_contact: ") + reasons.joined(separator: "; ")
        }
    }

    /// `em aberto`, `pago`, `cancelado`, `em disputa`, `prometido`.
    static func statusName(_ s: TitleStatus) -> String {
        switch s {
        case .open: "em aberto"
        case .paid: "pago"
        case .cancelled: "cancelado"
        case .disputed: "em disputa"
        case .promised: "prometido"
        case .renegotiated: "renegociado"
        }
    }
}
