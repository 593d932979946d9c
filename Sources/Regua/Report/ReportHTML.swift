/// One bank instruction of the night as the report shows it.
public struct RemittanceLine: Sendable, Hashable {
    /// The title's id ("seu número").
    public var titleID: String
    /// The customer's id.
    public var customerID: String
    /// The ``RemittanceInstruction`` raw value (`register`, `protest`…).
    public var instruction: String
    /// The title's due date, `DD/MM/YYYY` (an ISO date is converted when shown).
    public var dueDate: String
    /// The amount the instruction is about (the title's outstanding).
    public var amount: Money

    /// Creates a remittance line.
    public init(titleID: String, customerID: String, instruction: String, dueDate: String, amount: Money) {
        self.titleID = titleID
        self.customerID = customerID
        self.instruction = instruction
        self.dueDate = dueDate
        self.amount = amount
    }
}

/// `report.html`: the night for the finance team, in pt-BR, in one self-contained file.
///
/// No script, no font, image or style from the network: inline CSS (with a print stylesheet)
/// and inline SVG charts, so it opens offline, prints on A4 and can be mailed as is. Every
/// value from the inputs is escaped. The output is a pure function of the arguments.
public enum ReportHTML {
    /// Rows of the reject table; the rest are counted and left to `rejects.csv`.
    public static let rejectRowLimit = 1_000

    /// Renders the report of one night.
    public static func render(
        summary: Summary, rejects: [Reject], remittances: [RemittanceLine],
        effectiveness: [StepEffectiveness]?, companyName: String, people: ReportPeople? = nil
    ) -> String {
        let night = date(summary.asOf)
        var h = "<!DOCTYPE html>\n<html lang=\"pt-BR\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>Régua de cobrança · " + night + " · " + escape(companyName, limit: 120) + "</title>\n"
        h += "<style>\n" + stylesheet + "</style>\n</head>\n<body>\n<main>\n"
        h += "<header>\n<p class=\"eyebrow\">Régua de cobrança · relatório da noite</p>\n"
        h += "<h1>" + escape(companyName, limit: 120) + "</h1>\n"
        h += "<p class=\"night\">Noite de " + night + "</p>\n</header>\n"
        if summary.quietDay {
            h +=
                "<p class=\"notice\">Dia sem envio (domingo, feriado ou dia de silêncio): todas as mensagens "
                + "da noite foram retidas e voltam a valer nas próximas noites dentro da janela de cada etapa.</p>\n"
        }
        if summary.inputs.rejectedRows > 0 {
            h +=
                "<p class=\"notice warn\">" + count(summary.inputs.rejectedRows, "linha rejeitada", "linhas rejeitadas")
                + " na entrada: veja <a href=\"#rejeitadas\">Linhas rejeitadas</a>.</p>\n"
        }
        h += portfolioSection(summary)
        h += agingSection(summary.aging)
        h += funnelSection(summary)
        h += heldSection(summary.heldBack)
        if let people {
            h += heldCustomersSection(people)
            h += worklistSection(people, counts: summary.worklist)
        }
        if let effectiveness { h += effectivenessSection(effectiveness) }
        h += remittanceSection(summary.remittance, remittances)
        h += returnsSection(summary.returns)
        h += profilesSection(summary.profiles)
        h += rejectsSection(summary, rejects, people: people)
        h +=
            "<footer><div>Regras (SHA-256): <code>" + escape(summary.rulesHash, limit: 80) + "</code></div>"
            + "<div>Entradas (SHA-256): <code>" + escape(summary.inputsHash, limit: 80) + "</code></div></footer>\n"
        return h + "</main>\n</body>\n</html>\n"
    }

    static func portfolioSection(_ s: Summary) -> String {
        let p = s.portfolio
        let receivable = money(p.receivable)?.cents ?? 0
        var h = "<section id=\"carteira\">\n<h2>Carteira</h2>\n<div class=\"cards\">\n"
        h += card("A receber", brl(p.receivable), count(p.receivableTitles, "título", "títulos"))
        h += card(
            "Vencidos", brl(p.overdue),
            count(p.overdueTitles, "título", "títulos") + " · "
                + percent(money(p.overdue)?.cents ?? 0, of: receivable) + " da carteira", style: "alert")
        h += card(
            "Em cobrança", brl(p.inDunning),
            count(p.inDunningTitles, "título", "títulos") + " · "
                + percent(money(p.inDunning)?.cents ?? 0, of: receivable) + " da carteira")
        h +=
            "</div>\n<p class=\"muted\">Entradas: " + count(s.inputs.customers, "cliente", "clientes") + ", "
            + count(s.inputs.titles, "título", "títulos") + ", "
            + count(s.inputs.rejectedRows, "linha rejeitada", "linhas rejeitadas") + ".</p>\n</section>\n"
        return h
    }

    static func agingSection(_ aging: [Summary.AgingLine]) -> String {
        let cents = aging.map { money($0.outstanding)?.cents ?? 0 }
        let total = cents.reduce(0, +)
        var h =
            "<section id=\"aging\">\n<h2>Aging</h2>\n<p class=\"muted\">Valor em aberto por dias de atraso "
            + "na data da noite.</p>\n"
        let rows = aging.indices.map { i in
            BarRow(
                label: agingLabel(aging[i].bucket), segments: [(cents[i], "age\(min(i, 6))")],
                note: brl(aging[i].outstanding) + " · " + count(aging[i].titles, "título", "títulos"))
        }
        h +=
            "<figure>\n" + barChart(rows, scale: cents.max() ?? 0, layout: .stacked, ariaLabel: "Aging da carteira")
            + "</figure>\n"
        h +=
            "<table>\n<thead><tr><th>Faixa</th><th class=\"n\">Títulos</th><th class=\"n\">Valor em aberto</th>"
            + "<th class=\"n\">% do valor</th></tr></thead>\n<tbody>\n"
        for (i, a) in aging.enumerated() {
            h +=
                "<tr><td>" + escape(agingLabel(a.bucket)) + "</td><td class=\"n\">" + count(a.titles)
                + "</td><td class=\"n\">" + brl(a.outstanding) + "</td><td class=\"n\">"
                + percent(cents[i], of: total) + "</td></tr>\n"
        }
        return h + "</tbody>\n</table>\n</section>\n"
    }

    /// Channels in the order every output uses, then the bank.
    static let funnelStyles: [(key: String, style: String)] = [
        ("email", "c-email"), ("sms", "c-sms"), ("letter", "c-letter"), ("remittance", "c-bank"),
    ]

    static func funnelSection(_ s: Summary) -> String {
        let m = s.messages
        var h = "<section id=\"funil\">\n<h2>Funil da noite</h2>\n<div class=\"cards\">\n"
        h += card(
            "Mensagens", count(m.total), brl(m.outstanding) + " em aberto · " + brl(m.updatedAmount) + " atualizado")
        let total = Int64(m.total)
        h += card("E-mails", count(m.email), percent(Int64(m.email), of: total) + " das mensagens")
        h += card(
            "SMS", count(m.sms),
            count(m.smsSegments, "segmento", "segmentos") + " · "
                + percent(Int64(m.sms), of: total) + " das mensagens")
        h += card(
            "Cartas", count(m.letter),
            count(m.letterPages, "página", "páginas") + " · "
                + percent(Int64(m.letter), of: total) + " das mensagens")
        if let w = m.whatsapp {
            h += card("WhatsApp", count(w), percent(Int64(w), of: total) + " das mensagens")
        }
        h += "</div>\n"
        guard !s.steps.isEmpty else {
            return h + "<p class=\"empty\">Nenhuma etapa devida nesta noite.</p>\n</section>\n"
        }
        // Per step: titles sent by channel (remittance steps have no channel: the bank), then held
        // and superseded, so the bar reads as "due tonight" and its parts.
        var rows: [BarRow] = []
        var scale: Int64 = 0
        for step in s.steps {
            var segs: [(value: Int64, style: String)] = []
            var byChannel = step.byChannel
            let onChannels = byChannel.values.reduce(0, +)
            byChannel["remittance", default: 0] += max(step.titlesSent - onChannels, 0)
            for (key, style) in funnelStyles { segs.append((Int64(byChannel[key] ?? 0), style)) }
            for key in byChannel.keys.sorted() where !funnelStyles.contains(where: { $0.key == key }) {
                segs.append((Int64(byChannel[key]!), "c-other"))
            }
            segs.append((Int64(step.held), "c-held"))
            segs.append((Int64(step.superseded), "c-super"))
            scale = max(scale, segs.reduce(0) { $0 + $1.value })
            var note = count(step.titlesSent, "enviado", "enviados")
            if step.held > 0 { note += " · " + count(step.held, "retido", "retidos") }
            if step.superseded > 0 { note += " · " + count(step.superseded, "substituído", "substituídos") }
            rows.append(BarRow(label: step.step + " (" + offset(step.offset) + ")", segments: segs, note: note))
        }
        h +=
            "<figure>\n"
            + legend([
                ("c-email", "E-mail"), ("c-sms", "SMS"), ("c-letter", "Carta"), ("c-bank", "Banco"),
                ("c-held", "Retido"), ("c-super", "Substituído por etapa mais avançada"),
            ])
        h +=
            barChart(
                rows, scale: scale, layout: .stacked, labelWidth: 210, barWidth: 400,
                ariaLabel: "Títulos por etapa e canal") + "</figure>\n"
        h +=
            "<table>\n<thead><tr><th>Etapa</th><th>Prazo</th><th>Tipo</th><th class=\"n\">Títulos enviados</th>"
            + "<th class=\"n\">E-mail</th><th class=\"n\">SMS</th><th class=\"n\">Carta</th>"
            + "<th class=\"n\">Mensagens</th><th class=\"n\">Retidos</th><th class=\"n\">Substituídos</th>"
            + "<th class=\"n\">Em aberto</th></tr></thead>\n<tbody>\n"
        for step in s.steps {
            h +=
                "<tr><td class=\"id\">" + escape(step.step, limit: 40) + "</td><td class=\"id\">" + offset(step.offset)
                + "</td><td>"
                + escape(kindLabel(step.kind)) + "</td><td class=\"n\">" + count(step.titlesSent) + "</td>"
            for key in ["email", "sms", "letter"] {
                h += "<td class=\"n\">" + count(step.byChannel[key] ?? 0) + "</td>"
            }
            h +=
                "<td class=\"n\">" + count(step.messagesSpoken) + "</td><td class=\"n\">" + count(step.held)
                + "</td><td class=\"n\">" + count(step.superseded) + "</td><td class=\"n\">" + brl(step.outstanding)
                + "</td></tr>\n"
        }
        return h + "</tbody>\n</table>\n</section>\n"
    }

    static func heldSection(_ held: [Summary.HeldLine]) -> String {
        var h = "<section id=\"retidas\">\n<h2>Retidas por motivo</h2>\n"
        guard !held.isEmpty else {
            return h + "<p class=\"empty\">Nenhuma mensagem retida nesta noite.</p>\n</section>\n"
        }
        h +=
            "<p class=\"muted\">Etapas devidas que não saíram; as retidas por dia sem envio, valor mínimo ou "
            + "limite de contatos voltam a valer nas próximas noites dentro da janela.</p>\n"
        h +=
            "<table>\n<thead><tr><th>Motivo</th><th class=\"n\">Títulos</th><th class=\"n\">Mensagens</th></tr></thead>\n<tbody>\n"
        for line in held {
            h +=
                "<tr><td>" + escape(holdLabel(line.reason)) + "</td><td class=\"n\">" + count(line.titles)
                + "</td><td class=\"n\">" + count(line.messages) + "</td></tr>\n"
        }
        return h + "</tbody>\n</table>\n</section>\n"
    }

    static func effectivenessSection(_ rows: [StepEffectiveness]) -> String {
        var h = "<section id=\"eficacia\">\n<h2>Eficácia das etapas</h2>\n"
        guard !rows.isEmpty else { return h + "<p class=\"empty\">Nenhuma etapa enviada no período.</p>\n</section>\n" }
        h +=
            "<p class=\"muted\">Dos títulos alcançados por cada etapa, a parte paga até 7, 15 e 30 dias depois do "
            + "envio, e o valor recebido em até 30 dias. Envios recentes ainda podem receber pagamentos.</p>\n"
        h +=
            "<figure>\n"
            + legend([("eff3", "Pagos em até 7 dias"), ("eff7", "em até 15 dias"), ("eff15", "em até 30 dias")])
        let bars = rows.map { r in
            let n = Int64(r.titlesReached)
            return BarRow(
                label: r.step + " (" + offset(r.offset) + ")",
                segments: [
                    (Int64(r.paidWithin30) * 1000 / max(n, 1), "eff15"),
                    (Int64(r.paidWithin15) * 1000 / max(n, 1), "eff7"),
                    (Int64(r.paidWithin7) * 1000 / max(n, 1), "eff3"),
                ],
                note: "7 d " + percent(Int64(r.paidWithin7), of: n) + " · 15 d " + percent(Int64(r.paidWithin15), of: n)
                    + " · 30 d " + percent(Int64(r.paidWithin30), of: n))
        }
        h +=
            barChart(
                bars, scale: 1000, layout: .overlaid, labelWidth: 210, barWidth: 400,
                ticks: [(0, "0%"), (250, "25%"), (500, "50%"), (750, "75%"), (1000, "100%")],
                ariaLabel: "Parte paga por etapa em 7, 15 e 30 dias") + "</figure>\n"
        h +=
            "<table>\n<thead><tr><th>Etapa</th><th>Prazo</th><th class=\"n\">Títulos alcançados</th>"
            + "<th class=\"n\">Pagos em 7 dias</th><th class=\"n\">Pagos em 15 dias</th><th class=\"n\">Pagos em 30 dias</th>"
            + "<th class=\"n\">Recuperado</th></tr></thead>\n<tbody>\n"
        for r in rows {
            let n = Int64(r.titlesReached)
            h +=
                "<tr><td class=\"id\">" + escape(r.step, limit: 40) + "</td><td class=\"id\">" + offset(r.offset)
                + "</td><td class=\"n\">"
                + count(r.titlesReached) + "</td>"
            for k in [r.paidWithin7, r.paidWithin15, r.paidWithin30] {
                h +=
                    "<td class=\"n\">" + count(k) + " <span class=\"muted\">(" + percent(Int64(k), of: n)
                    + ")</span></td>"
            }
            h += "<td class=\"n\">" + brl(r.recovered) + "</td></tr>\n"
        }
        return h + "</tbody>\n</table>\n</section>\n"
    }

    static func remittanceSection(_ r: Summary.Remittance, _ lines: [RemittanceLine]) -> String {
        var h = "<section id=\"banco\">\n<h2>Instruções ao banco</h2>\n"
        guard r.total > 0 || !lines.isEmpty || !r.files.isEmpty else {
            return h + "<p class=\"empty\">Nenhuma instrução ao banco nesta noite.</p>\n</section>\n"
        }
        h += "<ul class=\"facts\">"
        for f in r.files {
            h +=
                "<li>Arquivo <code>" + escape(f.name, limit: 120) + "</code> · NSA " + String(f.nsa) + " · "
                + count(f.records, "registro", "registros") + "</li>"
        }
        for key in r.instructions.keys.sorted() {
            h +=
                "<li>" + escape(instructionLabel(key)) + ": " + count(r.instructions[key]!, "título", "títulos")
                + "</li>"
        }
        h += "</ul>\n"
        guard !lines.isEmpty else { return h + "</section>\n" }
        h +=
            "<table>\n<thead><tr><th>Título</th><th>Cliente</th><th>Instrução</th><th>Vencimento</th>"
            + "<th class=\"n\">Valor</th></tr></thead>\n<tbody>\n"
        for line in lines {
            h +=
                "<tr><td>" + escape(line.titleID, limit: 40) + "</td><td>" + escape(line.customerID, limit: 40)
                + "</td><td>" + escape(instructionLabel(line.instruction)) + "</td><td>" + date(line.dueDate)
                + "</td><td class=\"n\">" + line.amount.br + "</td></tr>\n"
        }
        return h + "</tbody>\n</table>\n</section>\n"
    }

    static func returnsSection(_ r: Summary.Returns) -> String {
        var h = "<section id=\"retornos\">\n<h2>Retornos do banco</h2>\n"
        guard !r.filesRead.isEmpty || !r.filesAlreadyRead.isEmpty else {
            return h + "<p class=\"empty\">Nenhum arquivo de retorno lido nesta noite.</p>\n</section>\n"
        }
        h += "<ul class=\"facts\">"
        for f in r.filesRead { h += "<li>Lido: <code>" + escape(f, limit: 120) + "</code></li>" }
        for f in r.filesAlreadyRead {
            h += "<li>Já lido em noite anterior (nada mudou): <code>" + escape(f, limit: 120) + "</code></li>"
        }
        h += "<li>Liquidações: " + count(r.settlements) + " · " + brl(r.settledAmount) + "</li>"
        if !r.occurrences.isEmpty {
            h +=
                "<li>Ocorrências: "
                + r.occurrences.keys.sorted().map { key in
                    escape(occurrenceLabel(key)) + " " + count(r.occurrences[key]!)
                }.joined(separator: " · ") + "</li>"
        }
        return h + "</ul>\n</section>\n"
    }

    static func profilesSection(_ profiles: [Summary.ProfileLine]) -> String {
        guard !profiles.isEmpty else { return "" }
        var h =
            "<section id=\"perfis\">\n<h2>Perfis</h2>\n<table class=\"narrow\">\n<thead><tr><th>Perfil</th>"
            + "<th class=\"n\">Clientes</th><th class=\"n\">Mensagens</th></tr></thead>\n<tbody>\n"
        for p in profiles {
            h +=
                "<tr><td>" + escape(p.profile, limit: 40) + "</td><td class=\"n\">" + count(p.customers)
                + "</td><td class=\"n\">" + count(p.messages) + "</td></tr>\n"
        }
        return h + "</tbody>\n</table>\n</section>\n"
    }

    static func rejectsSection(_ s: Summary, _ rejects: [Reject], people: ReportPeople? = nil) -> String {
        var h = "<section id=\"rejeitadas\">\n<h2>Linhas rejeitadas</h2>\n"
        guard !rejects.isEmpty || s.inputs.rejectedRows > 0 else {
            return h + "<p class=\"empty\">Nenhuma linha rejeitada.</p>\n</section>\n"
        }
        if !s.rejects.isEmpty {
            h += "<ul class=\"facts\">"
            for r in s.rejects {
                h +=
                    "<li><code>" + escape(r.file, limit: 120) + "</code>: "
                    + count(r.rows, "linha", "linhas") + "</li>"
            }
            h += "</ul>\n"
        }
        if let people, !people.rejects.isEmpty { return h + rejectedPeopleTable(people) + "</section>\n" }
        h +=
            "<table class=\"rejects\">\n<thead><tr><th>Arquivo</th><th class=\"n\">Linha</th><th>Coluna</th>"
            + "<th>Motivo</th></tr></thead>\n<tbody>\n"
        for r in rejects.prefix(rejectRowLimit) {
            h +=
                "<tr><td>" + escape(r.file, limit: 40) + "</td><td class=\"n\">" + String(r.line) + "</td><td>"
                + escape(r.column, limit: 40) + "</td><td class=\"wrap\">" + escape(r.reason) + "</td></tr>\n"
        }
        h += "</tbody>\n</table>\n"
        if rejects.count > rejectRowLimit {
            h += "<p class=\"muted\">e mais " + count(rejects.count - rejectRowLimit) + " linhas em rejects.csv</p>\n"
        }
        return h + "</section>\n"
    }

    /// A figure card: a caption, a big value and a detail line (all already HTML).
    static func card(_ caption: String, _ value: String, _ detail: String, style: String = "") -> String {
        "<div class=\"card" + (style.isEmpty ? "" : " " + style) + "\"><div class=\"k\">" + caption
            + "</div><div class=\"v\">" + value + "</div><div class=\"d\">" + detail + "</div></div>\n"
    }
}
