/// The rule book's keys by their Portuguese names: an analyst who writes `canal:` in a step
/// or `multa:` in the policy is told the key she meant (`channel`, `late_fee_percent`).
enum RuleKeyGlossary {
    /// A Portuguese word (lower case, no accents, `_` between words) and the keys it may mean,
    /// in any section; the first that the section knows is suggested.
    static let entries: [(word: String, keys: [String])] = [
        ("versao", ["version"]), ("fuso", ["timezone"]), ("fuso_horario", ["timezone"]),
        ("empresa", ["company"]), ("banco", ["bank", "code"]), ("calendario", ["calendar"]),
        ("politica", ["policy"]), ("perfis", ["profiles"]), ("degraus", ["steps"]), ("etapas", ["steps"]),
        ("regua", ["steps"]),
        ("nome", ["name"]), ("razao_social", ["name"]), ("documento", ["document"]), ("cnpj", ["document"]),
        ("cpf", ["document"]), ("telefone", ["phone"]), ("fone", ["phone"]), ("chave_pix", ["pix_key"]),
        ("pix", ["pix_key"]), ("cidade", ["city"]), ("endereco", ["address"]),
        ("codigo", ["code"]), ("agencia", ["agency"]), ("conta", ["account"]), ("convenio", ["agreement"]),
        ("carteira", ["wallet"]),
        ("feriados", ["holidays", "extra"]), ("feriados_locais", ["extra"]), ("extras", ["extra"]),
        ("multa", ["late_fee_percent"]), ("juros", ["interest_percent_month"]),
        ("valor_minimo", ["min_amount"]), ("minimo", ["min_amount"]),
        ("contatos_por_semana", ["max_contacts_per_week"]), ("max_contatos", ["max_contacts_per_week"]),
        ("recuperacao", ["catch_up_days", "backfill"]), ("dias_sem_envio", ["quiet_days"]),
        ("silencio", ["quiet_days"]), ("partes", ["max_segments"]), ("segmentos", ["max_segments"]),
        ("transliterar", ["transliterate"]),
        ("quando", ["when"]), ("condicoes", ["when"]), ("segmento", ["segment"]), ("etiquetas", ["tags_any"]),
        ("tags", ["tags_any", "tags_all"]), ("pontuacao", ["score"]), ("atrasos", ["late_payments_12m"]),
        ("total_vencido", ["total_overdue"]), ("maior_atraso", ["oldest_days_overdue"]),
        ("dias", ["offset"]), ("deslocamento", ["offset"]), ("prazo", ["offset"]), ("canal", ["channel"]),
        ("modelo", ["template"]), ("alternativo", ["fallback"]), ("canal_alternativo", ["fallback"]),
        ("remessa", ["remittance"]), ("instrucao", ["remittance"]), ("exceto_perfis", ["except_profiles"]),
        ("exceto", ["except_profiles"]), ("id", ["id"]), ("identificador", ["id"]),
    ]

    /// The key among `candidates` that `word` means, if the glossary knows the word.
    static func meaning(of word: String, in candidates: [String]) -> String? {
        let plain: [Character: Character] = [
            "á": "a", "à": "a", "â": "a", "ã": "a", "é": "e", "ê": "e", "í": "i", "ó": "o", "ô": "o", "õ": "o",
            "ú": "u", "ü": "u", "ç": "c", "-": "_", " ": "_",
        ]
        let key = String(word.lowercased().map { plain[$0] ?? $0 })
        guard let keys = entries.first(where: { $0.word == key })?.keys else { return nil }
        return keys.first { candidates.contains($0) }
    }
}
