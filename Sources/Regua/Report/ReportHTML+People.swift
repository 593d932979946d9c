/// The report's sections that name customers: whom a hold or a rejected row concerns and what
/// to fix, bounded to ``ReportPeople/limit`` rows each.
extension ReportHTML {
    /// "Clientes retidos": one row per customer and reason.
    static func heldCustomersSection(_ people: ReportPeople) -> String {
        guard !people.held.isEmpty else { return "" }
        var h = "<section id=\"clientes-retidos\">\n<h2>Clientes retidos e o que corrigir</h2>\n"
        h +=
            "<table class=\"people\">\n<thead><tr><th>Cliente</th><th>Nome</th><th>Motivo</th><th>Etapas</th>"
            + "<th>Títulos</th><th>O que fazer</th></tr></thead>\n<tbody>\n"
        for p in people.held {
            h +=
                "<tr><td><code>" + escape(p.customerID, limit: 60) + "</code></td><td>" + escape(p.name, limit: 120)
                + "</td><td>" + escape(holdLabel(p.reason)) + "</td><td>"
                + escape(p.steps.joined(separator: ", "), limit: 200) + "</td><td>"
                + escape(p.titleIDs.joined(separator: ", "), limit: 200) + "</td><td class=\"wrap\">"
                + escape(p.whatToFix) + "</td></tr>\n"
        }
        h += "</tbody>\n</table>\n"
        if people.heldTotal > people.held.count {
            h +=
                "<p class=\"muted\">e mais "
                + count(people.heldTotal - people.held.count, "cliente retido", "clientes retidos")
                + " (o <code>regua explain CLIENTE</code> mostra cada um)</p>\n"
        }
        return h + "</section>\n"
    }

    /// The rejected rows with the customer each names and what to fix.
    static func rejectedPeopleTable(_ people: ReportPeople) -> String {
        var h =
            "<p class=\"muted\">Corrija estas linhas no sistema de origem e exporte os arquivos de novo: "
            + "uma linha rejeitada não entra na noite (e os títulos de um cliente rejeitado também não).</p>\n"
        h +=
            "<table class=\"rejects\">\n<thead><tr><th>Arquivo</th><th class=\"n\">Linha</th><th>Cliente</th>"
            + "<th>Nome</th><th>Título</th><th>Coluna</th><th>O que corrigir</th></tr></thead>\n<tbody>\n"
        for line in people.rejects {
            let r = line.reject
            h +=
                "<tr><td>" + escape(r.file, limit: 40) + "</td><td class=\"n\">" + String(r.line) + "</td><td><code>"
                + escape(line.customerID ?? "—", limit: 60) + "</code></td><td>"
                + escape(line.customerName ?? "—", limit: 120) + "</td><td>" + escape(line.titleID ?? "—", limit: 60)
                + "</td><td>" + escape(r.column.isEmpty ? "—" : r.column, limit: 40) + "</td><td class=\"wrap\">"
                + escape(r.reason) + "</td></tr>\n"
        }
        h += "</tbody>\n</table>\n"
        if people.rejectsTotal > people.rejects.count {
            h +=
                "<p class=\"muted\">e mais " + count(people.rejectsTotal - people.rejects.count, "linha", "linhas")
                + " em rejects.csv</p>\n"
        }
        return h
    }
}
