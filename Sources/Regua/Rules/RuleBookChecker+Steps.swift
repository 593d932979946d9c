/// `steps`: the rungs of the ladder, each a message or a bank instruction.
extension RuleBookChecker {
    /// Keys a step knows.
    static let stepKeys = [
        "id", "offset", "channel", "template", "fallback", "remittance", "profiles", "except_profiles",
        "requires", "offer", "experiment", "bureau", "handoff", "whatsapp_template", "parameters",
    ]

    /// Furthest a step may sit from the due date, in days (ten years).
    static let maxOffset = 3_650

    /// What a step is checked against: the rest of the book.
    struct StepContext {
        /// Ids of every profile defined.
        var profileIDs: [String]
        /// Whether the book has a `bank` section.
        var hasBank: Bool
        /// The bank's code when it is one Regua reads return files of but cannot write
        /// remittances for (Caixa, 104).
        var returnOnlyBank: String? = nil
        /// False when a rule file could not be read: a profile or the bank may be in it, so
        /// their absence is not reported.
        var complete: Bool
        /// File names in `templates/`.
        var templateFiles: Set<String>
        /// The `templates/` folder as the user named it, for messages.
        var templatesFolder: String
        /// The book's experiments, which a step's `experiment` must name.
        var experiments: [Experiment] = []
        /// Whether the book has a `bureau` section (a `bureau: include` step needs one).
        var hasBureau = false
        /// Ids of `handoffs`, which a `handoff` step must name.
        var handoffIDs: [String] = []
    }

    /// Reads the merged step list.
    func steps(_ items: [YAMLNode], context: StepContext) -> [Step] {
        var out: [Step] = []
        var seen: [String: SourceLocation] = [:]
        var requiresNodes: [Int: (Step.Requirement, YAMLNode)] = [:]
        for item in items {
            guard let f = fields(item, of: "um degrau", known: Self.stepKeys) else { continue }
            let idNode = require(f, "id")
            let id = idNode.flatMap {
                name($0, "id", allowed: RuleByte.isIdentifier, described: "letras, dígitos, '_', '.' e '-'")
            }
            if let id, let idNode {
                if let first = seen[id] {
                    error(idNode, "o degrau '\(id)' já foi definido em \(first)")
                } else {
                    seen[id] = idNode.location
                }
            }
            let offset = require(f, "offset").flatMap { int($0, "offset", in: -Self.maxOffset...Self.maxOffset) }
            let action = self.action(f, step: Self.shownID(f), context: context)
            let audience = self.audience(f, context: context)
            let requires = f["requires"].flatMap { requirement($0) }
            guard let id, let offset, let action, let audience, seen[id] == idNode?.location else { continue }
            if f["requires"] != nil, requires == nil { continue }  // its error is reported
            var step = Step(
                id: id, offset: offset, action: action, profiles: audience.only.map(Set.init),
                exceptProfiles: Set(audience.except ?? []), index: out.count, location: item.location)
            step.requires = requires
            if let node = f["experiment"] {
                guard let e = stepExperiment(node, experiments: context.experiments) else { continue }
                step.experiment = e
            }
            if let node = f["offer"] {
                guard step.channel != nil else {
                    error(node, "'offer' vai numa mensagem (channel e template); o degrau '\(id)' não envia mensagem")
                    continue
                }
                guard let terms = offer(node) else { continue }
                step.offer = terms
            }
            if case .message(let channel, _, let fallback) = step.action, channel == .whatsapp || fallback == .whatsapp
            {
                guard let t = whatsappTemplate(f, step: id) else { continue }
                step.whatsapp = t
            } else if let key = ["whatsapp_template", "parameters"].first(where: { f[$0] != nil }), let node = f[key] {
                error(
                    node,
                    "'\(key)' vai num degrau que fala por WhatsApp (channel ou fallback: whatsapp); o degrau '\(id)' não fala"
                )
                continue
            }
            if let r = step.requires, let node = f["requires"] { requiresNodes[out.count] = (r, node) }
            out.append(step)
        }
        checkRequirements(out, requiresNodes)
        return out
    }

    /// `whatsapp_template` (the name approved at Meta) and `parameters` (template variables, in
    /// the order of the template's `{{1}}`, `{{2}}`, …), each checked like a template's variable.
    private func whatsappTemplate(_ f: RuleFields, step: String) -> WhatsAppTemplate? {
        guard let nameNode = f["whatsapp_template"] else {
            error(
                f.node,
                "o degrau '\(step)' fala por WhatsApp e precisa de 'whatsapp_template' (o nome do modelo aprovado na Meta)",
                hint: "whatsapp_template: cobranca_atraso, parameters: [customer.first_name, totals.updated_amount_br]")
            return nil
        }
        guard let name = text(nameNode, "whatsapp_template") else { return nil }
        var ok = true
        if !WhatsAppTemplate.isValidName(name) {
            error(
                nameNode,
                "'whatsapp_template' deve ser o nome do modelo na Meta: letras minúsculas, dígitos e '_', não '\(YAMLNode.excerpt(name))'"
            )
            ok = false
        }
        var parameters: [String] = []
        if let node = f["parameters"] {
            guard let items = list(node, "parameters") else { return nil }
            for item in items {
                guard let p = text(item, "parameters") else {
                    ok = false
                    continue
                }
                if let why = WhatsAppTemplate.problem(with: p) {
                    error(
                        item, "o parâmetro '\(YAMLNode.excerpt(p))' de 'whatsapp_template' \(why)",
                        hint: KeySuggestion.hint(for: p, in: TemplateContext.schema.rootNames))
                    ok = false
                }
                parameters.append(p)
            }
        }
        return ok ? WhatsAppTemplate(name: name, parameters: parameters) : nil
    }

    /// Keys of `offer` and of its `installments`.
    static let offerKeys = [
        "discount_percent", "waive_fee_percent", "waive_interest_percent", "valid_days", "installments",
    ]
    static let installmentKeys = ["max", "min_amount", "interest_percent_month"]

    /// `offer`: a settlement the message carries (SPEC §3 Offers).
    private func offer(_ node: YAMLNode) -> OfferTerms? {
        guard let f = fields(node, of: "offer", known: Self.offerKeys) else { return nil }
        var ok = true
        func share(_ key: String) -> Percent {
            guard let n = f[key] else { return Percent(micros: 0) }
            guard let p = percent(n, key) else {
                ok = false
                return Percent(micros: 0)
            }
            if p.micros > 100_000_000 {
                error(n, "'\(key)' é uma porcentagem de 0 a 100, não \(p)")
                ok = false
            }
            return p
        }
        let discount = share("discount_percent")
        let fee = share("waive_fee_percent")
        let interest = share("waive_interest_percent")
        let valid = require(f, "valid_days").flatMap { int($0, "valid_days", in: 0...365) }
        var plans: OfferTerms.InstallmentTerms?
        if let n = f["installments"] {
            guard let i = fields(n, of: "offer.installments", known: Self.installmentKeys) else { return nil }
            let max = require(i, "max").flatMap { int($0, "max", in: 1...120) }
            if let max, max < 2, let m = i["max"] {
                error(
                    m,
                    "'installments.max' de \(max) não oferece parcela nenhuma (as parcelas vão de 2 até max); use 2 ou mais, ou tire 'installments'"
                )
                ok = false
            }
            var minimum = Money.zero
            if let m = i["min_amount"], let t = text(m, "min_amount") {
                if let v = Money(decimal: t), v.cents > 0 {
                    minimum = v
                } else {
                    error(
                        m,
                        "'min_amount' deve ser um valor em reais maior que zero, como 50.00, não '\(YAMLNode.excerpt(t))'"
                    )
                    ok = false
                }
            }
            let rate =
                i["interest_percent_month"].flatMap { percent($0, "interest_percent_month") } ?? Percent(micros: 0)
            if let max { plans = .init(max: max, minAmount: minimum, interestPercentMonth: rate) } else { ok = false }
        }
        guard ok, let valid else { return nil }
        return OfferTerms(
            discountPercent: discount, waiveFeePercent: fee, waiveInterestPercent: interest, validDays: valid,
            installments: plans)
    }

    /// `requires: {step: S, days: D}`: the step waits until S was sent for the title D days before.
    private func requirement(_ node: YAMLNode) -> Step.Requirement? {
        guard let f = fields(node, of: "requires", known: ["step", "days"]) else { return nil }
        let s = require(f, "step").flatMap { text($0, "step") }
        let days: Int? = f["days"].map { int($0, "days", in: 0...Self.maxOffset) } ?? 0
        guard let s, let days else { return nil }
        return Step.Requirement(step: s, days: days)
    }

    /// A required step must exist, be another step, and come no later on the ladder (a title
    /// that got a later step never gets an earlier one, so the requirement could never be met).
    private func checkRequirements(_ steps: [Step], _ nodes: [Int: (Step.Requirement, YAMLNode)]) {
        for (i, (r, node)) in nodes.sorted(by: { $0.key < $1.key }) {
            let step = steps[i]
            guard let target = steps.first(where: { $0.id == r.step }) else {
                error(
                    node,
                    "'requires' de '\(step.id)' cita o degrau '\(YAMLNode.excerpt(r.step))', que não existe nesta régua",
                    hint: KeySuggestion.hint(for: r.step, in: steps.map(\.id)))
                continue
            }
            if target.id == step.id {
                error(node, "o degrau '\(step.id)' não pode exigir a si mesmo em 'requires'")
            } else if target.offset > step.offset {
                error(
                    node,
                    "'requires' de '\(step.id)' (offset \(step.offset)) cita '\(target.id)', que vem depois na régua (offset \(target.offset)): um título que recebeu um degrau posterior nunca volta a este, então a exigência nunca seria cumprida"
                )
            }
        }
    }

    /// A message (channel, template, optional fallback) or a remittance, never both.
    private func action(_ f: RuleFields, step: String, context: StepContext) -> Step.Action? {
        let isMessage =
            f["channel"] != nil || f["template"] != nil || f["fallback"] != nil || f["whatsapp_template"] != nil
        let kinds = ["channel", "remittance", "bureau", "handoff"].filter { f[$0] != nil }
        if kinds.count > 1, let node = f[kinds[1]] {
            error(
                node,
                "o degrau '\(step)' tem ao mesmo tempo \(kinds.map { "'\($0)'" }.joined(separator: " e ")); um degrau faz uma coisa só: separe em degraus"
            )
            return nil
        }
        if let node = f["bureau"] {
            guard choice(node, "bureau", [("include", ())]) != nil else { return nil }
            if !context.hasBureau {
                if context.complete {
                    error(
                        node,
                        "o degrau '\(step)' inclui no birô de crédito, mas a régua não tem a seção 'bureau' (bureau: { name: serasa })"
                    )
                }
                return nil
            }
            return .bureauInclude
        }
        if let node = f["handoff"] {
            guard let id = text(node, "handoff") else { return nil }
            guard context.handoffIDs.contains(id) else {
                if context.complete {
                    error(
                        node, "o degrau '\(step)' passa para '\(YAMLNode.excerpt(id))', que não está em 'handoffs'",
                        hint: KeySuggestion.hint(for: id, in: context.handoffIDs))
                }
                return nil
            }
            return .handoff(id)
        }
        if let node = f["remittance"] {
            if isMessage {
                error(
                    node,
                    "o degrau '\(step)' tem ao mesmo tempo uma mensagem (channel, template) e 'remittance'; separe em dois degraus"
                )
                return nil
            }
            let options = RemittanceInstruction.stepInstructions.map { ($0.rawValue, $0) }
            guard let instruction = choice(node, "remittance", options) else { return nil }
            if !context.hasBank {
                if context.complete {
                    error(
                        node,
                        "o degrau '\(step)' pede uma remessa ao banco, mas o livro de regras não tem a seção 'bank'")
                }
                return nil
            }
            if let code = context.returnOnlyBank {
                // Refused here, with its place, rather than when the night builds the file.
                error(
                    node,
                    "o degrau '\(step)' pede uma remessa ao banco, mas o Regua escreve remessas CNAB 240 só para os bancos 001 e 341, não para o \(code) (do \(code) lê apenas os arquivos de retorno)"
                )
                return nil
            }
            return .remittance(instruction)
        }
        guard isMessage else {
            error(
                f.node,
                "o degrau '\(step)' precisa de 'channel' e 'template' (uma mensagem) ou de 'remittance' (uma instrução ao banco)"
            )
            return nil
        }
        let channels = Channel.allCases.map { ($0.rawValue, $0) }
        let channel = require(f, "channel").flatMap { choice($0, "channel", channels) }
        // A WhatsApp step names Meta's template, not a Mustache file; it needs `template` only for
        // a fallback channel's file.
        let whatsappOnly = channel == .whatsapp && f["fallback"] == nil && f["template"] == nil
        let templateNode = whatsappOnly ? f.node : require(f, "template")
        let template =
            whatsappOnly
            ? ""
            : templateNode.flatMap {
                name(
                    $0, "template", allowed: RuleByte.isTemplateName, described: "letras minúsculas, dígitos, '_' e '-'"
                )
            }
        var fallback: Channel?
        if let node = f["fallback"] {
            fallback = choice(node, "fallback", channels)
            if let fb = fallback, fb == channel {
                error(node, "'fallback' deve ser um canal diferente de '\(fb.rawValue)', o próprio canal do degrau")
                return nil
            }
            if let template, let fb = fallback {
                requireTemplate(template, fb, at: node, context: context)
            }
        }
        guard let channel, let template, let templateNode, f["fallback"] == nil || fallback != nil else { return nil }
        requireTemplate(template, channel, at: templateNode, context: context)
        return .message(channel: channel, template: template, fallback: fallback)
    }

    /// Reports a missing `templates/<template>.<channel>.mustache`.
    private func requireTemplate(_ template: String, _ channel: Channel, at node: YAMLNode, context: StepContext) {
        if channel == .whatsapp { return }  // Meta's template, named by whatsapp_template
        let file = "\(template).\(channel.rawValue).mustache"
        if !context.templateFiles.contains(file) {
            error(node, "o arquivo de modelo \(context.templatesFolder)/\(file) não existe")
        }
    }

    /// `profiles` (only these) or `except_profiles` (all but these), naming known profiles.
    /// Nil in a slot means "not given"; the outer nil means an error.
    private func audience(_ f: RuleFields, context: StepContext) -> (only: [String]?, except: [String]?)? {
        var only: [String]?
        var except: [String]?
        var ok = true
        for key in ["profiles", "except_profiles"] {
            guard let node = f[key] else { continue }
            guard let items = list(node, key) else {
                ok = false
                continue
            }
            var names: [String] = []
            for item in items {
                guard let name = text(item, key) else {
                    ok = false
                    continue
                }
                if context.profileIDs.contains(name) {
                    names.append(name)
                } else {
                    ok = false
                    guard context.complete else { continue }
                    error(
                        item, "'\(YAMLNode.excerpt(name))' em '\(key)' não é um perfil deste livro de regras",
                        hint: KeySuggestion.hint(for: name, in: context.profileIDs))
                }
            }
            if key == "profiles", items.isEmpty {
                ok = false
                error(node, "'profiles: []' não vale para ninguém; retire a chave para alcançar todos os perfis")
            }
            if key == "profiles" { only = names } else { except = names }
        }
        if only != nil, except != nil, let node = f.key("except_profiles") {
            ok = false
            error(node, "use 'profiles' ou 'except_profiles', não os dois")
        }
        return ok ? (only, except) : nil
    }
}
