/// The template variables by their meaning in Brazilian Portuguese: what an analyst types when
/// she means `due_date_br` (`{{vencimento}}`), so that `regua check` can suggest the variable by
/// meaning as well as by spelling. Printed by `regua check --glossary` and in the README.
public enum TemplateGlossary {
    /// One Portuguese word (accents dropped, lower case, words joined by `_`) and the variables
    /// it means, the likeliest first. Names of `titles` elements are written `titles.x`.
    public static let entries: [(word: String, variables: [String])] = [
        ("vencimento", ["titles.due_date_br", "titles.effective_due_date_br"]),
        ("data_vencimento", ["titles.due_date_br"]),
        ("vence", ["titles.due_date_br", "titles.situation_br"]),
        ("valor", ["titles.amount_br", "titles.updated_amount_br", "totals.updated_amount_br"]),
        ("valor_original", ["titles.amount_br", "totals.amount_br"]),
        ("valor_atualizado", ["titles.updated_amount_br", "totals.updated_amount_br"]),
        ("atualizado", ["titles.updated_amount_br", "totals.updated_amount_br"]),
        ("total", ["totals.updated_amount_br", "totals.outstanding_br", "totals.amount_br"]),
        ("saldo", ["titles.outstanding_br", "totals.outstanding_br"]),
        ("em_aberto", ["titles.outstanding_br", "totals.outstanding_br"]),
        ("devido", ["titles.outstanding_br", "totals.outstanding_br"]),
        ("divida", ["totals.outstanding_br", "totals.updated_amount_br"]),
        ("nome", ["customer.name", "customer.first_name"]),
        ("cliente", ["customer.name", "customer.first_name"]),
        ("primeiro_nome", ["customer.first_name"]),
        ("saudacao", ["customer.greeting"]),
        ("ola", ["customer.greeting"]),
        ("cpf", ["customer.document_masked"]),
        ("cnpj", ["customer.document_masked", "company.document"]),
        ("documento", ["customer.document_masked", "titles.title_id"]),
        ("email", ["customer.email", "company.email"]),
        ("telefone", ["customer.phone", "company.phone"]),
        ("celular", ["customer.phone"]),
        ("fone", ["customer.phone", "company.phone"]),
        ("endereco", ["customer.address_lines", "company.address"]),
        ("rua", ["customer.street"]),
        ("logradouro", ["customer.street"]),
        ("numero", ["customer.number", "titles.title_id"]),
        ("complemento", ["customer.complement"]),
        ("bairro", ["customer.district"]),
        ("cidade", ["customer.city", "company.city"]),
        ("estado", ["customer.state"]),
        ("uf", ["customer.state"]),
        ("cep", ["customer.zip"]),
        ("empresa", ["company.name"]),
        ("razao_social", ["company.name"]),
        ("credor", ["company.name"]),
        ("chave_pix", ["company.pix_key"]),
        ("pix", ["pix.copia_e_cola", "has_pix"]),
        ("copia_e_cola", ["pix.copia_e_cola"]),
        ("multa", ["titles.late_fee_br", "totals.late_fee_br", "policy.late_fee_percent_br"]),
        ("juros", ["titles.interest_br", "totals.interest_br", "policy.interest_percent_month_br"]),
        ("atraso", ["titles.situation_br", "titles.days_overdue_abs"]),
        ("dias_atraso", ["titles.days_overdue_abs", "titles.situation_br"]),
        ("dias", ["titles.days_overdue_abs"]),
        ("situacao", ["titles.situation_br"]),
        ("vencido", ["titles.is_overdue"]),
        ("parcela", ["titles.installment"]),
        ("boleto", ["titles.linha_digitavel", "titles.has_boleto"]),
        ("linha_digitavel", ["titles.linha_digitavel"]),
        ("codigo_barras", ["titles.barcode"]),
        ("codigo_de_barras", ["titles.barcode"]),
        ("titulo", ["titles.title_id"]),
        ("titulos", ["titles"]),
        ("nota", ["titles.title_id"]),
        ("nota_fiscal", ["titles.title_id"]),
        ("fatura", ["titles.title_id"]),
        ("faturas", ["titles"]),
        ("data", ["as_of_br", "as_of_long"]),
        ("hoje", ["as_of_br", "as_of_long"]),
        ("data_hoje", ["as_of_br"]),
        ("data_extenso", ["as_of_long"]),
        ("quantidade", ["totals.count"]),
        ("etapa", ["step.id"]),
        ("degrau", ["step.id"]),
        ("canal", ["step.channel"]),
        ("vencidos", ["overdue_titles", "totals_overdue.updated_amount_br"]),
        ("a_vencer", ["upcoming_titles", "totals_upcoming.outstanding_br"]),
        ("credito", ["totals.credits_br"]),
        ("creditos", ["totals.credits_br"]),
        ("a_pagar", ["totals.net_amount_br", "pix.amount_br"]),
        ("valor_liquido", ["totals.net_amount_br"]),
        ("link", ["payment_url"]),
        ("link_pagamento", ["payment_url"]),
        ("qrcode", ["pix.qr_src"]),
        ("qr_code", ["pix.qr_src"]),
        ("oferta", ["has_offer", "offer.cash_amount_br"]),
        ("acordo", ["has_offer", "offer.cash_amount_br"]),
        ("desconto", ["offer.savings_br"]),
        ("economia", ["offer.savings_br"]),
        ("a_vista", ["offer.cash_amount_br"]),
        ("validade", ["offer.valid_until_br"]),
        ("valido_ate", ["offer.valid_until_br"]),
        ("parcelas", ["offer.installments"]),
        ("parcelamento", ["offer.installments"]),
    ]

    /// The variables meant by a name written in Portuguese, or empty: the whole name first
    /// (`data_vencimento`), then its last dotted part (`cliente.nome` → `nome`), then the
    /// meanings of its `_` words together, at most four (`valor_total` → `valor`, `total`).
    /// Accents and case are ignored.
    public static func meanings(of name: String) -> [String] {
        let table = Dictionary(entries.map { ($0.word, $0.variables) }, uniquingKeysWith: { a, _ in a })
        let whole = normalized(name)
        if let hit = table[String(whole.map { $0 == "." ? "_" : $0 })] { return hit }
        let last = whole.split(separator: ".").last.map(String.init) ?? whole
        if let hit = table[last] { return hit }
        var out: [String] = []
        for word in last.split(separator: "_") {
            for v in table[String(word)] ?? [] where !out.contains(v) { out.append(v) }
        }
        return Array(out.prefix(4))
    }

    /// Lower case, without accents, `-` and spaces as `_`.
    static func normalized(_ s: String) -> String {
        let plain: [Character: Character] = [
            "á": "a", "à": "a", "â": "a", "ã": "a", "é": "e", "ê": "e", "í": "i", "ó": "o", "ô": "o", "õ": "o",
            "ú": "u", "ü": "u", "ç": "c", "-": "_", " ": "_",
        ]
        return String(s.lowercased().map { plain[$0] ?? $0 })
    }

    /// The glossary as a Markdown table (`regua check --glossary`, the README).
    public static var markdownTable: String {
        var out = "| se você pensou em… | use |\n|---|---|\n"
        for (word, variables) in entries {
            let shown = variables.map { v -> String in
                v.hasPrefix("titles.") ? "`\(v.dropFirst(7))` (em `{{#titles}}`)" : "`\(v)`"
            }
            out += "| \(word) | \(shown.joined(separator: ", ")) |\n"
        }
        return out
    }
}
