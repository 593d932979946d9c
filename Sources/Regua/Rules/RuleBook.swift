/// The validated rule book: the finance team's YAML, merged from every file of the rules folder.
///
/// Built only by ``RuleBookLoader``; every value here has been checked, so the decider can trust it.
public struct RuleBook: Sendable {
    /// The rule book's format version (`version`).
    public var version: Int
    /// IANA time zone identifier (default `America/Sao_Paulo`).
    public var timeZone: String
    /// The sender (`company` section).
    public var company: Company
    /// Beneficiary account for the remittance; required when a step asks for a remittance.
    public var bank: BankAccount?
    /// Which days are holidays (`calendar` section).
    public var calendar: CalendarConfig
    /// Fees, limits and sending rules (`policy` section).
    public var policy: Policy
    /// In book order; the last matches everyone.
    public var profiles: [Profile]
    /// In book order.
    public var steps: [Step]
    /// Template sources keyed by file name without the folder, e.g. `atraso.email.mustache`.
    public var templates: [String: TemplateSource]
    /// Champion/challenger experiments (`experiments`), in book order.
    public var experiments: [Experiment] = []
    /// The credit bureau `bureau: include` steps write to.
    public var bureau: BureauConfig?
    /// Agencies and lawyers `handoff` steps hand titles to.
    public var handoffs: [Handoff] = []
    /// SHA-256 (hex) of every rule file and template, in byte order of their names.
    public var hash: String

    /// Creates a rule book from values already validated.
    public init(
        version: Int = 1, timeZone: String = "America/Sao_Paulo", company: Company, bank: BankAccount? = nil,
        calendar: CalendarConfig = CalendarConfig(), policy: Policy = Policy(), profiles: [Profile],
        steps: [Step], templates: [String: TemplateSource] = [:], hash: String = ""
    ) {
        self.version = version
        self.timeZone = timeZone
        self.company = company
        self.bank = bank
        self.calendar = calendar
        self.policy = policy
        self.profiles = profiles
        self.steps = steps
        self.templates = templates
        self.hash = hash
    }

    /// The step with this id.
    public func step(_ id: String) -> Step? { steps.first { $0.id == id } }
}

/// A template file's text and where it came from (for `FILE:LINE:COLUMN` errors).
public struct TemplateSource: Sendable, Hashable {
    /// Path of the template file, for error locations.
    public var path: String
    /// The template's text.
    public var text: String
    /// Creates a template source from its path and text.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// The sender: used in messages, letters, the PIX code and the remittance.
public struct Company: Sendable, Hashable {
    /// The company's name.
    public var name: String
    /// The company's CNPJ or CPF.
    public var document: Document
    /// The company's e-mail address, if any.
    public var email: String?
    /// The company's phone number, if any.
    public var phone: String?
    /// The company's PIX key, used in the PIX copia-e-cola.
    public var pixKey: String?
    /// The company's city, if any.
    public var city: String?
    /// The company's address, if any.
    public var address: String?
    /// `payment_url`: the payment page, with `{message_id}`, `{customer_id}`, `{txid}`.
    public var paymentURL: PaymentURLTemplate?

    /// Creates the sender's data.
    public init(
        name: String, document: Document, email: String? = nil, phone: String? = nil, pixKey: String? = nil,
        city: String? = nil, address: String? = nil, paymentURL: PaymentURLTemplate? = nil
    ) {
        self.paymentURL = paymentURL
        self.name = name
        self.document = document
        self.email = email
        self.phone = phone
        self.pixKey = pixKey
        self.city = city
        self.address = address
    }
}

/// The beneficiary account at the bank (CNAB 240 and boletos).
public struct BankAccount: Sendable, Hashable {
    /// Three-digit bank code: `001` Banco do Brasil, `341` Itaú, …
    public var code: String
    /// Agency digits, without check digit.
    public var agency: String
    /// The agency's check digit, if given.
    public var agencyDigit: String?
    /// Account digits, without check digit.
    public var account: String
    /// The account's check digit, if given.
    public var accountDigit: String?
    /// Convênio.
    public var agreement: String
    /// Carteira.
    public var wallet: String

    /// Creates a beneficiary account.
    public init(
        code: String, agency: String, agencyDigit: String? = nil, account: String, accountDigit: String? = nil,
        agreement: String, wallet: String
    ) {
        self.code = code
        self.agency = agency
        self.agencyDigit = agencyDigit
        self.account = account
        self.accountDigit = accountDigit
        self.agreement = agreement
        self.wallet = wallet
    }
}

/// Which days are holidays.
public struct CalendarConfig: Sendable, Hashable {
    /// `holidays: national`: Brazilian national holidays and bank closing days.
    public var nationalHolidays: Bool
    /// `extra`: local holidays.
    public var extra: [Day]

    /// Creates a holiday configuration.
    public init(nationalHolidays: Bool = true, extra: [Day] = []) {
        self.nationalHolidays = nationalHolidays
        self.extra = extra
    }
}

/// The `policy` section.
public struct Policy: Sendable, Hashable {
    /// Late fee (multa) on overdue titles, at most 2%.
    public var lateFeePercent: Percent
    /// Interest per month on overdue titles.
    public var interestPercentMonth: Percent
    /// Minimum total outstanding for a message to be sent (`min_amount`).
    public var minAmount: Money
    /// `nil` means no cap.
    public var maxContactsPerWeek: Int?
    /// Nights a missed step's window stays open (`catch_up_days`).
    public var catchUpDays: Int
    /// Weekdays on which every message is held (`quiet_days`).
    public var quietDays: Set<Weekday>
    /// Segments above which an SMS is logged and refused by `regua check` (`sms.max_segments`).
    public var smsMaxSegments: Int
    /// Accents outside GSM-7 become plain letters in SMS (`sms.transliterate`).
    public var smsTransliterate: Bool
    /// Titles never reached get the latest step they passed, once (`backfill`).
    public var backfill: Bool
    /// A file whose rejected rows pass this share of its data rows refuses the night
    /// (`max_rejected_percent`, default 5): an export gone wrong must not become a night.
    public var maxRejectedPercent: Percent = Percent(micros: 5_000_000)
    /// `call_hours`: the hours calls may be made per kind of day; nil = any day that is not quiet.
    public var callHours: CallHours?
    /// A night that would send more messages than this is refused unless `--force`
    /// (`max_messages`); `nil` means no limit.
    public var maxMessages: Int?

    /// Creates a policy; the defaults are those of an absent key.
    public init(
        lateFeePercent: Percent = Percent(micros: 0), interestPercentMonth: Percent = Percent(micros: 0),
        minAmount: Money = .zero, maxContactsPerWeek: Int? = nil, catchUpDays: Int = 3,
        quietDays: Set<Weekday> = [], smsMaxSegments: Int = 2, smsTransliterate: Bool = true,
        backfill: Bool = false
    ) {
        self.lateFeePercent = lateFeePercent
        self.interestPercentMonth = interestPercentMonth
        self.minAmount = minAmount
        self.maxContactsPerWeek = maxContactsPerWeek
        self.catchUpDays = catchUpDays
        self.quietDays = quietDays
        self.smsMaxSegments = smsMaxSegments
        self.smsTransliterate = smsTransliterate
        self.backfill = backfill
    }
}

/// A customer profile: the first whose conditions all hold wins.
public struct Profile: Sendable, Hashable {
    /// The profile's id.
    public var id: String
    /// All must hold; empty matches everyone.
    public var conditions: [Condition]
    /// Where the profile is defined in the rule book.
    public var location: SourceLocation?

    /// Creates a profile.
    public init(id: String, conditions: [Condition] = [], location: SourceLocation? = nil) {
        self.id = id
        self.conditions = conditions
        self.location = location
    }
}

/// One condition of a profile's `when`.
public enum Condition: Sendable, Hashable {
    /// `segment: B2B` (or a list: any of them).
    case segment([String])
    /// `tags_any: [..]`.
    case tagsAny([String])
    /// `tags_all: [..]`.
    case tagsAll([String])
    /// `score: ">= 700"`, `late_payments_12m: "== 0"`, … Values are scaled by 100 so that
    /// money facts compare exactly (`total_overdue: ">= 1000.50"`).
    case number(NumberField, Comparison, hundredths: Int64)
}

/// A numeric field a profile can test.
public enum NumberField: String, Sendable, Hashable, CaseIterable {
    case score
    case latePayments12m = "late_payments_12m"
    case totalOverdue = "total_overdue"
    case oldestDaysOverdue = "oldest_days_overdue"
}

/// `>= > <= < == !=`.
public enum Comparison: String, Sendable, Hashable, CaseIterable {
    case ge = ">=", gt = ">", le = "<=", lt = "<", eq = "==", ne = "!="

    /// Applies the comparison.
    public func holds(_ a: Int64, _ b: Int64) -> Bool {
        switch self {
        case .ge: a >= b
        case .gt: a > b
        case .le: a <= b
        case .lt: a < b
        case .eq: a == b
        case .ne: a != b
        }
    }
}

/// A rung of the ladder.
public struct Step: Sendable, Hashable {
    /// What a step does: send a message or write a bank instruction.
    public enum Action: Sendable, Hashable {
        /// A message on a channel, with an optional fallback channel, rendered from a template.
        case message(channel: Channel, template: String, fallback: Channel?)
        /// A bank instruction, no message.
        case remittance(RemittanceInstruction)
        /// An `include` record of the credit bureau's file (negativação), no message.
        case bureauInclude
        /// The title's dossier handed to an agency or lawyer (`handoffs` id), no message.
        case handoff(String)
    }

    /// The step's id.
    public var id: String
    /// Days from the effective due date (negative before it).
    public var offset: Int
    /// The message or bank instruction the step sends.
    public var action: Action
    /// `profiles`: only these (nil = all).
    public var profiles: Set<String>?
    /// `except_profiles`.
    public var exceptProfiles: Set<String>
    /// Position in the book (0-based), for ties.
    public var index: Int
    /// Where the step is defined in the rule book.
    public var location: SourceLocation?
    /// `requires`: the step is a candidate for a title only once another step was sent for it
    /// at least some days before (SPEC §3 Requires).
    public var requires: Requirement?
    /// `offer`: the settlement terms the step's message carries (SPEC §3 Offers).
    public var offer: OfferTerms?
    /// `experiment`: the step exists only for customers in this arm of the experiment.
    public var experiment: StepExperiment?
    /// `whatsapp_template` and `parameters`: what a WhatsApp message of this step (its channel or
    /// its fallback) names; nil for a step that never speaks on WhatsApp.
    public var whatsapp: WhatsAppTemplate?

    /// A step that must have gone out for the title, and how many days before.
    public struct Requirement: Sendable, Hashable {
        /// The id of the step that must have been sent.
        public var step: String
        /// Days at least between that step's night and tonight.
        public var days: Int
        /// Creates a requirement.
        public init(step: String, days: Int) {
            self.step = step
            self.days = days
        }
    }

    /// Creates a step.
    public init(
        id: String, offset: Int, action: Action, profiles: Set<String>? = nil, exceptProfiles: Set<String> = [],
        index: Int, location: SourceLocation? = nil
    ) {
        self.id = id
        self.offset = offset
        self.action = action
        self.profiles = profiles
        self.exceptProfiles = exceptProfiles
        self.index = index
        self.location = location
    }

    /// Whether the step applies to a customer of this profile.
    public func applies(to profile: String) -> Bool {
        if let p = profiles, !p.contains(profile) { return false }
        return !exceptProfiles.contains(profile)
    }

    /// The message channel, or nil for a remittance step.
    public var channel: Channel? {
        if case .message(let c, _, _) = action { return c }
        return nil
    }

    /// The bank instruction, or nil for a message step.
    public var instruction: RemittanceInstruction? {
        if case .remittance(let i) = action { return i }
        return nil
    }
}
