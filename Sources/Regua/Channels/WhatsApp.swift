import Foundation

/// A step's WhatsApp template (`whatsapp_template`, `parameters`): the name Meta approved and the
/// template variables that fill its body's positional parameters `{{1}}`, `{{2}}`, … in order.
public struct WhatsAppTemplate: Sendable, Hashable {
    /// The template's name as approved at Meta (`cobranca_atraso`).
    public var name: String
    /// Template variables (`customer.first_name`, `totals.updated_amount_br`, `payment_url`).
    public var parameters: [String]
    /// The template's language: Regua writes pt-BR messages.
    public static let language = "pt_BR"

    /// Creates a template reference.
    public init(name: String, parameters: [String]) {
        self.name = name
        self.parameters = parameters
    }

    /// Whether a name is one Meta accepts: lower-case letters, digits and `_`, at most 512.
    public static func isValidName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 512
            && s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    /// Why a parameter cannot be a template variable, or nil when it can: it must name a text or
    /// number that every message has (not a list, a flag or a group).
    static func problem(with parameter: String) -> String? {
        let parts = parameter.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch TemplateSchema.walk(parts[...], in: TemplateContext.schema.root) {
        case .text?, .number?: return nil
        case nil: return "não é uma variável de modelo"
        case .group?: return "é um grupo de variáveis; escolha uma delas (\(parameter).…)"
        case .records?, .texts?: return "é uma lista; um parâmetro do WhatsApp é um texto só"
        case .flag?: return "é um sim/não, não um texto"
        }
    }
}

/// One line of `whatsapp.jsonl` (SPEC §4): the message a WhatsApp provider gets, in the shape of
/// the Cloud API's template message plus the keys that tie it to the ledger.
public struct WhatsAppMessage: Sendable, Hashable, Encodable {
    /// The message id (`R20261123-…`).
    public var messageID: String
    /// The customer's id.
    public var customerID: String
    /// The speaking step.
    public var step: String
    /// Every title of the message.
    public var titleIDs: [String]
    /// E.164 with `+`.
    public var to: String
    /// The message id again: the provider returns it in every status.
    public var bizOpaqueCallbackData: String
    /// The approved template and its parameter values.
    public var template: Template

    /// `template` of the Cloud API.
    public struct Template: Sendable, Hashable, Encodable {
        /// The approved name.
        public var name: String
        /// `{code: pt_BR, policy: deterministic}`.
        public var language: Language
        /// One `body` component with the parameters; none when the template has no parameters.
        public var components: [Component]
    }

    /// `language` of a template.
    public struct Language: Sendable, Hashable, Encodable {
        /// `pt_BR`.
        public var code: String
        /// `deterministic`: the provider uses exactly this language.
        public var policy: String
    }

    /// A template component.
    public struct Component: Sendable, Hashable, Encodable {
        /// `body`.
        public var type: String
        /// Positional parameters.
        public var parameters: [Parameter]
    }

    /// A `text` parameter.
    public struct Parameter: Sendable, Hashable, Encodable {
        /// `text`.
        public var type: String
        /// The value.
        public var text: String
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
        case customerID = "customer_id"
        case step
        case titleIDs = "title_ids"
        case to
        case bizOpaqueCallbackData = "biz_opaque_callback_data"
        case template
    }

    /// The message of a planned WhatsApp message, its parameters read from the message's
    /// template values (what a Mustache template would print for each variable).
    init(message m: PlannedMessage, template t: WhatsAppTemplate, scope: any TemplateObject) {
        messageID = m.id
        customerID = m.customer.id.raw
        step = m.step.id
        titleIDs = m.titles.map(\.title.id.raw)
        to = m.customer.phone ?? ""
        bizOpaqueCallbackData = m.id
        let values = t.parameters.map { Parameter(type: "text", text: Self.parameterText($0, scope: scope)) }
        template = Template(
            name: t.name, language: Language(code: WhatsAppTemplate.language, policy: "deterministic"),
            components: values.isEmpty ? [] : [Component(type: "body", parameters: values)])
    }

    /// Longest parameter text the Cloud API takes.
    static let maxParameterLength = 1_024

    /// The value of a variable, on one line (WhatsApp refuses line breaks, tabs and runs of
    /// spaces in a parameter) and at most 1,024 characters; `-` when the message has none (an
    /// empty parameter is refused by the provider).
    static func parameterText(_ path: String, scope: any TemplateObject) -> String {
        var object = scope
        var value: TemplateValue?
        for part in path.split(separator: ".") {
            if value != nil {
                guard case .object(let o)? = value else { return "-" }
                object = o
            }
            value = object.value(named: String(part))
            if value == nil { return "-" }
        }
        let raw: String
        switch value {
        case .text(let s)?: raw = s
        case .number(let n)?: raw = String(n)
        default: return "-"
        }
        let line = TemplateSet.oneLine(raw)
        guard !line.isEmpty else { return "-" }
        return line.count > maxParameterLength ? String(line.prefix(maxParameterLength - 1)) + "…" : line
    }

    /// `whatsapp.jsonl`: one JSON object per line, keys sorted, in the night's order.
    public static func jsonl(_ messages: [WhatsAppMessage]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out: [UInt8] = []
        for m in messages {
            out += Array(try encoder.encode(m))
            out.append(10)
        }
        return out
    }
}
