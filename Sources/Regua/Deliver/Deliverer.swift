import Foundation
import Logging

/// What `regua deliver` is asked to do.
public struct DeliveryOptions: Sendable {
    /// The night; nil means the last published one.
    public var asOf: Day?
    /// Only these channels (`email`, `sms`, `whatsapp`); nil means every configured one.
    public var only: Set<String>?
    /// Hand over again the messages left `uncertain` by an earlier, killed run.
    public var resendUncertain: Bool
    /// Say what would be handed over; hand over and record nothing.
    public var dryRun: Bool
    /// The folder of published nights.
    public var outDir: String
    /// The ledger.
    public var statePath: String
    /// Only this shard's folder of a sharded night; nil means every published shard.
    public var shard: Shard?

    /// Options with the defaults of the command line.
    public init(
        asOf: Day? = nil, only: Set<String>? = nil, resendUncertain: Bool = false, dryRun: Bool = false,
        outDir: String = "out", statePath: String = "var/regua.sqlite", shard: Shard? = nil
    ) {
        self.shard = shard
        self.asOf = asOf
        self.only = only
        self.resendUncertain = resendUncertain
        self.dryRun = dryRun
        self.outDir = outDir
        self.statePath = statePath
    }
}

/// What happened to one message in a `deliver` run.
public struct MessageDelivery: Sendable, Codable, Hashable {
    /// What this run did with it.
    public enum Outcome: String, Sendable, Codable {
        /// Handed over and taken.
        case accepted
        /// Handed over and refused (or never reached the gateway); tried again next time.
        case failed
        /// Handed over, no answer: not handed over again without `--resend-uncertain`.
        case uncertain
        /// Accepted by an earlier run: left alone.
        case alreadyAccepted = "already_accepted"
        /// Left uncertain by an earlier run and not resent.
        case heldUncertain = "held_uncertain"
        /// Failed `max_attempts` times: left for people.
        case gaveUp = "gave_up"
        /// `--dry-run`: would be handed over.
        case wouldSend = "would_send"
    }
    /// The message id.
    public var messageID: String
    /// `email`, `sms`, `whatsapp`.
    public var channel: String
    /// What happened.
    public var outcome: Outcome
    /// Attempts recorded for it after this run.
    public var attempts: Int
    /// The gateway's answer (this run's, or the last recorded).
    public var answer: String?
}

/// The result of a `deliver` run.
public struct DeliveryReport: Sendable, Codable {
    /// The night delivered.
    public var night: String
    /// Every message of the night's chosen channels, in order.
    public var messages: [MessageDelivery]
    /// Shards of a sharded night not published yet, `K/N`: none of their messages was handed over.
    public var unpublishedShards: [String] = []
    /// Count per outcome.
    public var counts: [String: Int] {
        var c: [String: Int] = [:]
        for m in messages { c[m.outcome.rawValue, default: 0] += 1 }
        return c
    }
    /// 0 when nothing is left to do; 1 when a message failed, gave up or stays uncertain (done,
    /// but someone should look); SPEC §6.
    /// A shard not published yet is left to do as well.
    public var exitCode: Int32 {
        messages.contains { [.failed, .uncertain, .heldUncertain, .gaveUp].contains($0.outcome) }
            || !unpublishedShards.isEmpty ? 1 : 0
    }

    enum CodingKeys: String, CodingKey { case night, messages, counts, unpublishedShards }
    /// Encodes the night, the messages and the counts.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(night, forKey: .night)
        try c.encode(messages, forKey: .messages)
        try c.encode(counts, forKey: .counts)
        try c.encode(unpublishedShards, forKey: .unpublishedShards)
    }
    /// Decodes a report (tests read `--json` back).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        night = try c.decode(String.self, forKey: .night)
        messages = try c.decode([MessageDelivery].self, forKey: .messages)
        unpublishedShards = try c.decodeIfPresent([String].self, forKey: .unpublishedShards) ?? []
    }
    init(night: String, messages: [MessageDelivery], unpublishedShards: [String] = []) {
        self.night = night
        self.messages = messages
        self.unpublishedShards = unpublishedShards
    }
}

/// `regua deliver`: hands a published night's messages to the gateways, exactly once or said.
///
/// The order of side effects, per message: (1) the ledger records the attempt `uncertain`,
/// durably; (2) the message is handed over; (3) the ledger records `accepted` or `failed`. A
/// kill between 1 and 3 leaves `uncertain`, which no later run hands over again unless told
/// to (`--resend-uncertain`): a message is never handed over twice behind the operator's back.
public struct Deliverer {
    /// What to do.
    public var options: DeliveryOptions
    /// Where to.
    public var gateways: Gateways
    /// Where secrets are read from (the process environment by default).
    public var environment: [String: String]
    /// Operator log.
    public var logger: Logger

    /// A deliverer for one run.
    public init(
        options: DeliveryOptions, gateways: Gateways,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "regua.deliver")
    ) {
        self.options = options
        self.gateways = gateways
        self.environment = environment
        self.logger = logger
    }

    /// For the crash tests: `REGUA_CRASH_AT=deliver-after-begin|deliver-after-handover` ends the
    /// process there, as a kill would.
    static func crashPoint(_ name: String) {
        if ProcessInfo.processInfo.environment["REGUA_CRASH_AT"] == name { kill(getpid(), SIGKILL) }
    }

    /// The channels this run delivers: those asked for that have a gateway.
    func channels() throws -> Set<String> {
        var configured: Set<String> = []
        if gateways.email != nil { configured.insert("email") }
        if gateways.sms != nil { configured.insert("sms") }
        if gateways.whatsapp != nil { configured.insert("whatsapp") }
        guard let only = options.only else { return configured }
        for c in only where !configured.contains(c) {
            throw ReguaError(.refused, "--only \(c): the gateways file has no \(c) gateway")
        }
        return only
    }

    /// The handovers of the channels in use, with their secrets read; a missing secret is
    /// refused before anything is handed over.
    func handovers(for channels: Set<String>) throws -> [String: Handover] {
        func secret(_ name: String?) throws -> String? {
            guard let name else { return nil }
            guard let v = environment[name], !v.isEmpty else {
                throw ReguaError(.refused, "environment variable \(name) (named by the gateways file) is not set")
            }
            return v
        }
        var out: [String: Handover] = [:]
        if channels.contains("email"), let e = gateways.email {
            switch e.transport {
            case .sendmail(let path, let args, let timeout):
                out["email"] = SendmailHandover(path: path, arguments: args, timeout: timeout, email: e)
            case .smtp(let s): out["email"] = SMTPHandover(settings: s, password: try secret(s.passwordEnv), email: e)
            }
        }
        if channels.contains("sms"), let s = gateways.sms {
            switch s {
            case .kannel(let k): out["sms"] = KannelHandover(settings: k, password: try secret(k.passwordEnv)!)
            case .json(let h): out["sms"] = JSONPostHandover(name: "json", settings: h, token: try secret(h.tokenEnv))
            }
        }
        if channels.contains("whatsapp"), let w = gateways.whatsapp {
            out["whatsapp"] = JSONPostHandover(name: "whatsapp", settings: w, token: try secret(w.tokenEnv))
        }
        return out
    }

    /// Delivers the night; `progress` is told after each message (done, total).
    public func run(progress: ((Int, Int, MessageDelivery) -> Void)? = nil) throws -> DeliveryReport {
        let channels = try channels()
        let location = try LedgerLocation(state: options.statePath)
        guard location.exists else {
            throw ReguaError(.refused, "no ledger at \(options.statePath); run `regua run` first")
        }
        let ledger = try location.openForOperations()
        let plan = try DeliveryFolders.resolve(
            statuses: try ledger.nightStatuses(upTo: options.asOf), asOf: options.asOf, shard: options.shard,
            outDir: options.outDir)
        // One deliver per folder at a time: a shard's pod delivers its own folder while another
        // delivers another's; a whole-night deliver holds every shard it delivers. (A file lock
        // next to an SQLite ledger; an advisory lock keyed by night and shard on PostgreSQL.)
        let locks =
            options.dryRun
            ? []
            : try plan.folders.map { f in try location.lock(.deliver(night: plan.night, shard: f.shard)) }
        defer { withExtendedLifetime(locks) {} }
        let day = plan.night
        let handovers = try handovers(for: channels)
        var messages: [OutgoingMessage] = []
        for f in plan.folders { messages += try Outbox.read(folder: f.path, channels: channels) }
        let known = try ledger.deliveries(night: day)
        logger.info("deliver \(day.iso): \(messages.count) messages (\(channels.sorted().joined(separator: ", ")))")
        for s in plan.unpublishedShards {
            logger.warning(
                "deliver \(day.iso): shard \(s) is not published yet; its messages wait for the next deliver")
        }
        var results: [MessageDelivery] = []
        defer { for h in handovers.values { h.finish() } }
        for (i, m) in messages.enumerated() {
            let prior = known[m.id]
            let r = try deliver(m, prior: prior, via: handovers[m.channel]!, ledger: ledger, night: day)
            results.append(r)
            progress?(i + 1, messages.count, r)
        }
        return DeliveryReport(
            night: day.iso, messages: results, unpublishedShards: plan.unpublishedShards.map(\.description))
    }

    private func deliver(
        _ m: OutgoingMessage, prior: DeliveryRecord?, via h: Handover, ledger: any OperationsLedger, night: Day
    ) throws -> MessageDelivery {
        func result(_ o: MessageDelivery.Outcome, _ attempts: Int, _ answer: String?) -> MessageDelivery {
            MessageDelivery(messageID: m.id, channel: m.channel, outcome: o, attempts: attempts, answer: answer)
        }
        let attempts = prior?.attempts ?? 0
        switch prior?.state {
        case .accepted?: return result(.alreadyAccepted, attempts, prior?.answer)
        case .uncertain? where !options.resendUncertain: return result(.heldUncertain, attempts, prior?.answer)
        case .failed? where attempts >= gateways.maxAttempts: return result(.gaveUp, attempts, prior?.answer)
        default: break
        }
        if options.dryRun { return result(.wouldSend, attempts, nil) }
        do {
            try h.open()
        } catch {
            throw ReguaError(
                .io,
                "\(h.name): \(error); nothing more was handed over (\(m.id) and the rest of the night wait for the next deliver, no attempt counted)"
            )
        }
        guard
            let attempt = try ledger.beginAttempt(
                messageID: m.id, night: night, channel: m.channel, customerID: m.customerID, contactHash: m.contactHash)
        else { return result(.alreadyAccepted, attempts, nil) }
        Self.crashPoint("deliver-after-begin")
        let answer = h.hand(m)
        Self.crashPoint("deliver-after-handover")
        switch answer {
        case .accepted(let code):
            try ledger.finishAttempt(messageID: m.id, state: .accepted, answer: code)
            logger.debug("\(m.id): accepted by \(h.name) (\(code))")
            return result(.accepted, attempt, code)
        case .failed(let why):
            try ledger.finishAttempt(messageID: m.id, state: .failed, answer: Self.ledgerAnswer(why))
            logger.warning("\(m.id): \(h.name) refused it (attempt \(attempt) of \(gateways.maxAttempts)): \(why)")
            return result(.failed, attempt, why)
        case .uncertain(let why):
            // Left `uncertain` in the ledger on purpose: it may have reached the gateway.
            logger.error("\(m.id): \(h.name) may or may not have it: \(why); not resent without --resend-uncertain")
            return result(.uncertain, attempt, why)
        }
    }

    /// The part of an answer the ledger may keep: its leading code (`smtp 550 5.1.1`,
    /// `http 503`, `sendmail exit 75`), never text that may quote an address.
    static func ledgerAnswer(_ why: String) -> String {
        // `http 503: {"error": …}`: the status keeps its code, the colon after it is not a word.
        let words = why.split(separator: " ").prefix(3).map { $0.hasSuffix(":") ? $0.dropLast() : $0 }
        return words.prefix { w in !w.isEmpty && w.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." } }
            .joined(separator: " ")
    }
}
