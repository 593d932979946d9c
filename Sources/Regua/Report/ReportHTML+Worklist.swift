/// The report's "Pendências" section: the rows of `worklist.csv`, what people must fix.
extension ReportHTML {
    /// The pt-BR name of a worklist issue.
    static func worklistLabel(_ issue: WorklistIssue) -> String {
        switch issue {
        case .noEmail: "Sem e-mail"
        case .noPhone: "Sem telefone"
        case .noAddress: "Endereço incompleto"
        case .bouncedEmail: "E-mail devolvido"
        case .undeliveredSMS: "SMS não entregue"
        case .returnedLetter: "Carta devolvida"
        case .undeliveredWhatsApp: "WhatsApp não entregue"
        case .optOut: "Canal recusado pelo cliente"
        case .hold: "Cliente com bloqueio"
        case .uncertainDelivery: "Entrega incerta"
        }
    }

    /// One row per customer and issue (the first ``ReportPeople/limit``), with the counts per
    /// issue; a night with nothing to fix says so.
    static func worklistSection(_ people: ReportPeople, counts: Summary.WorklistCounts?) -> String {
        var h = "<section id=\"pendencias\">\n<h2>Pendências: o que corrigir (worklist.csv)</h2>\n"
        guard !people.worklist.isEmpty else {
            return h + "<p class=\"muted\">Nenhuma pendência nesta noite.</p>\n</section>\n"
        }
        if let counts {
            h +=
                "<p>" + count(counts.rows, "pendência", "pendências") + " de "
                + count(counts.customers, "cliente", "clientes") + ": "
                + counts.byIssue.map { c in
                    escape(WorklistIssue(rawValue: c.issue).map(worklistLabel) ?? c.issue) + " " + String(c.rows)
                }.joined(separator: ", ") + ".</p>\n"
        }
        h +=
            "<table class=\"people\">\n<thead><tr><th>Cliente</th><th>Nome</th><th>Pendência</th>"
            + "<th>O que corrigir</th><th>Etapas</th><th class=\"n\">Em aberto</th></tr></thead>\n<tbody>\n"
        for r in people.worklist {
            h +=
                "<tr><td><code>" + escape(r.customerID.raw, limit: 60) + "</code></td><td>" + escape(r.name, limit: 120)
                + "</td><td>" + escape(worklistLabel(r.issue)) + "</td><td class=\"wrap\">"
                + escape(r.detail, limit: 600)
                + "</td><td>" + escape(r.stepsHeld.joined(separator: ", "), limit: 200) + "</td><td class=\"n\">"
                + escape(r.outstanding.br) + "</td></tr>\n"
        }
        h += "</tbody>\n</table>\n"
        if people.worklistTotal > people.worklist.count {
            h +=
                "<p class=\"muted\">e mais "
                + count(people.worklistTotal - people.worklist.count, "pendência", "pendências")
                + " em worklist.csv</p>\n"
        }
        return h + "</section>\n"
    }
}
