/// `steps`: the rungs of the ladder, each a message or a bank instruction.
extension RuleBookChecker {
    /// Keys a step knows.
    static let stepKeys = [
        "id", "offset", "channel", "template", "fallback", "remittance", "profiles", "except_profiles",
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
    }

    /// Reads the merged step list.
    func steps(_ items: [YAMLNode], context: StepContext) -> [Step] {
        var out: [Step] = []
        var seen: [String: SourceLocation] = [:]
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
            guard let id, let offset, let action, let audience, seen[id] == idNode?.location else { continue }
            out.append(
                Step(
                    id: id, offset: offset, action: action, profiles: audience.only.map(Set.init),
                    exceptProfiles: Set(audience.except ?? []), index: out.count, location: item.location))
        }
        return out
    }

    /// A message (channel, template, optional fallback) or a remittance, never both.
    private func action(_ f: RuleFields, step: String, context: StepContext) -> Step.Action? {
        let isMessage = f["channel"] != nil || f["template"] != nil || f["fallback"] != nil
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
        let templateNode = require(f, "template")
        let template = templateNode.flatMap {
            name($0, "template", allowed: RuleByte.isTemplateName, described: "letras minúsculas, dígitos, '_' e '-'")
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
