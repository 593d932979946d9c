import Foundation
import Logging

/// What `regua feedback` reads.
public struct FeedbackOptions: Sendable {
    /// Maildir folders or mbox files of DSN reports.
    public var dsn: [String] = []
    /// CSVs `message_id,status,at` of SMS delivery reports.
    public var smsDLR: [String] = []
    /// CSVs `message_id,reason` of returned letters.
    public var returnedLetters: [String] = []
    /// JSON lines of WhatsApp statuses.
    public var whatsappStatus: [String] = []
    /// The folder of published nights (where a message's contact is found when `deliver` did
    /// not hand it over).
    public var outDir = "out"
    /// The ledger.
    public var statePath = "var/regua.sqlite"
    /// Today, for reports without a date (tests fix it).
    public var today: Day?

    /// Options with the command line's defaults.
    public init(
        dsn: [String] = [], smsDLR: [String] = [], returnedLetters: [String] = [], whatsappStatus: [String] = [],
        outDir: String = "out", statePath: String = "var/regua.sqlite", today: Day? = nil
    ) {
        self.dsn = dsn
        self.smsDLR = smsDLR
        self.returnedLetters = returnedLetters
        self.whatsappStatus = whatsappStatus
        self.outDir = outDir
        self.statePath = statePath
        self.today = today
    }
}

/// One report read, as `--json` lists it.
public struct FeedbackItem: Sendable, Codable, Hashable {
    /// `dsn`, `sms_dlr`, `returned_letter`, `whatsapp_status`.
    public var source: String
    /// The file it came from.
    public var file: String
    /// The message it is about, when found.
    public var messageID: String?
    /// `hard`, `soft`, `undelivered`, `returned`, `failed`, `ignored` (says nothing against the
    /// contact), `unmatched` (no message of ours), `already_read`.
    public var outcome: String
    /// The issue newly marked by this report (`bounced_email`, …), when it tipped the rule.
    public var marked: String?
    /// The customer, when known.
    public var customerID: String?
}

/// The result of a `feedback` run.
public struct FeedbackReport: Sendable, Codable {
    /// Every report read, in order.
    public var items: [FeedbackItem]
    /// Contacts newly marked unusable.
    public var marked: Int { items.filter { $0.marked != nil }.count }
    /// The first night the new marks count for.
    public var effectiveFrom: String
}

/// `regua feedback`: reads what the gateways and the post sent back and marks contacts
/// unusable by SPEC §7's rules. Each report is recorded by identity, so reading it again changes
/// nothing.
public struct FeedbackReader {
    /// What to read.
    public var options: FeedbackOptions
    /// Operator log.
    public var logger: Logger

    /// A reader for one run.
    public init(options: FeedbackOptions, logger: Logger = Logger(label: "regua.feedback")) {
        self.options = options
        self.logger = logger
    }

    /// Reads every source given.
    public func run() throws -> FeedbackReport {
        let location = try LedgerLocation(state: options.statePath)
        guard location.exists else {
            throw ReguaError(.refused, "no ledger at \(options.statePath); nothing was delivered to read feedback for")
        }
        let ledger = try location.openForOperations()
        let today = options.today ?? Self.todayUTC()
        // A mark counts from the night after the last one published: a published night is
        // final and never decided again with what was learnt after it.
        let since = (try ledger.lastNight()).map { $0.night.adding(days: 1) } ?? today
        var ctx = Context(ledger: ledger, outDir: options.outDir)
        var items: [FeedbackItem] = []

        for path in options.dsn {
            for (n, bytes) in try MailboxReader.messages(at: path).enumerated() {
                let identity = Hashing.sha256Hex(bytes)
                guard let dsn = DeliveryStatusReport.parse(bytes) else {
                    items.append(try record(ledger, "dsn", path, identity, nil, nil, nil, "ignored", since))
                    continue
                }
                let match = try dsn.candidateIDs.lazy.compactMap { try ctx.message($0) }.first
                if dsn.recipients.isEmpty {
                    items.append(try record(ledger, "dsn", path, identity, match, nil, nil, "ignored", since))
                }
                for (k, r) in dsn.recipients.enumerated() {
                    let kind = DeliveryStatusReport.eventKind(r)
                    let contact = match.map { ($0.customerID, ContactKind.email, ContactHash.email(r.address)) }
                    items.append(
                        try record(
                            ledger, "dsn", path, identity + "#\(k)", match, contact,
                            kind.map { ContactEvent(kind: $0, day: dsn.day ?? today) },
                            match == nil ? "unmatched" : kind?.rawValue ?? "ignored", since))
                }
                _ = n
            }
        }
        for path in options.smsDLR {
            for row in try Self.csv(path) {
                let id = row["message_id"] ?? ""
                let status = (row["status"] ?? "").trimmingSpaces
                let at = row["at"] ?? ""
                let identity = Hashing.sha256Hex("sms_dlr\u{0}\(id)\u{0}\(status)\u{0}\(at)")
                let match = try ctx.message(id)
                let undelivered = status == "2" || status == "16"
                let contact = try match.flatMap { m in
                    try ctx.contactHash(m, kind: .phone).map { (m.customerID, ContactKind.phone, $0) }
                }
                let day = Day(iso: at.prefix(10)) ?? today
                items.append(
                    try record(
                        ledger, "sms_dlr", path, identity, match, contact,
                        undelivered ? ContactEvent(kind: .undelivered, day: day) : nil,
                        match == nil ? "unmatched" : undelivered ? "undelivered" : "ignored", since))
            }
        }
        for path in options.returnedLetters {
            for row in try Self.csv(path) {
                let id = (row["message_id"] ?? "").trimmingSpaces
                let identity = Hashing.sha256Hex("returned_letter\u{0}\(id)")
                let match = try ctx.message(id)
                let contact = try match.flatMap { m in
                    try ctx.contactHash(m, kind: .address).map { (m.customerID, ContactKind.address, $0) }
                }
                let day = (row["returned_at"] ?? row["date"]).flatMap { Day(iso: $0.prefix(10)) } ?? today
                items.append(
                    try record(
                        ledger, "returned_letter", path, identity, match, contact,
                        ContactEvent(kind: .returned, day: day), match == nil ? "unmatched" : "returned", since))
            }
        }
        for path in options.whatsappStatus {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ReguaError(.io, "cannot read \(path)")
            }
            for line in data.split(separator: UInt8(ascii: "\n")) where !line.allSatisfy({ $0 == 32 || $0 == 13 }) {
                for s in Self.whatsappStatuses(Data(line)) {
                    let id = s["biz_opaque_callback_data"] as? String ?? ""
                    let status = (s["status"] as? String ?? "").lowercased()
                    let wamid = s["id"] as? String ?? ""
                    let identity = Hashing.sha256Hex("whatsapp_status\u{0}\(wamid)\u{0}\(id)\u{0}\(status)")
                    let match = try ctx.message(id)
                    let contact = try match.flatMap { m in
                        try ctx.contactHash(m, kind: .whatsapp).map { (m.customerID, ContactKind.whatsapp, $0) }
                    }
                    let ts = (s["timestamp"] as? String).flatMap(Double.init) ?? (s["timestamp"] as? Double)
                    let day = ts.map { Self.dayUTC(Date(timeIntervalSince1970: $0)) } ?? today
                    items.append(
                        try record(
                            ledger, "whatsapp_status", path, identity, match, contact,
                            status == "failed" ? ContactEvent(kind: .failed, day: day) : nil,
                            match == nil ? "unmatched" : status == "failed" ? "failed" : "ignored", since))
                }
            }
        }
        for i in items where i.marked != nil {
            logger.notice("\(i.customerID ?? "?"): contact marked unusable (\(i.marked!)) from night \(since.iso)")
        }
        return FeedbackReport(items: items, effectiveFrom: since.iso)
    }

    private func record(
        _ ledger: any OperationsLedger, _ source: String, _ file: String, _ identity: String, _ match: MatchedMessage?,
        _ contact: (CustomerID, ContactKind, String)?, _ event: ContactEvent?, _ outcome: String, _ since: Day
    ) throws -> FeedbackItem {
        let f = FeedbackRecord(
            identity: identity, source: source, messageID: match?.id,
            contact: contact.map { (customerID: $0.0, kind: $0.1, hash: $0.2) }, event: contact == nil ? nil : event,
            outcome: outcome)
        let (fresh, marked) = try ledger.recordFeedback(f, since: since)
        return FeedbackItem(
            source: source, file: file, messageID: match?.id, outcome: fresh ? outcome : "already_read",
            marked: marked?.rawValue, customerID: match?.customerID.raw)
    }

    static func csv(_ path: String) throws -> [[String: String]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReguaError(.io, "cannot read \(path)")
        }
        return rows(Array(data))
    }

    /// The rows of a DLR or returned-letters log, by lower-cased header; a log without its header
    /// row gets `message_id,status,at` (or `message_id,reason` for rows of fewer than 3 cells).
    static func rows(_ data: [UInt8]) -> [[String: String]] {
        var rows = CSVRows.parse(String(decoding: data, as: UTF8.self))
        // A DLR log may come without its header row: message_id,status,at.
        if let first = rows.first, first.first?.lowercased().trimmingSpaces != "message_id" {
            rows.insert(first.count >= 3 ? ["message_id", "status", "at"] : ["message_id", "reason"], at: 0)
        }
        // An empty log (a gateway that reported nothing yet) has no rows, not even a header.
        guard let first = rows.first else { return [] }
        let header = first.map { $0.trimmingSpaces.lowercased() }
        return rows.dropFirst().map { r in
            var m: [String: String] = [:]
            for (k, v) in zip(header, r) { m[k] = v }
            return m
        }
    }

    /// The status objects of a line: a bare status, or a webhook (`entry[].changes[].value.statuses[]`).
    static func whatsappStatuses(_ line: Data) -> [[String: Any]] {
        guard let obj = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else { return [] }
        if obj["status"] != nil { return [obj] }
        if let statuses = obj["statuses"] as? [[String: Any]] { return statuses }
        var out: [[String: Any]] = []
        for e in obj["entry"] as? [[String: Any]] ?? [] {
            for c in e["changes"] as? [[String: Any]] ?? [] {
                out += ((c["value"] as? [String: Any])?["statuses"] as? [[String: Any]]) ?? []
            }
        }
        return out
    }

    static func dayUTC(_ d: Date) -> Day {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day], from: d)
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }

    static func todayUTC() -> Day { dayUTC(Date()) }
}

/// A message of ours that a report points at.
struct MatchedMessage {
    var id: String
    var customerID: CustomerID
    var night: Day
    var delivery: DeliveryRecord?
}

/// Looks messages and their contacts up once per feedback run.
private struct Context {
    let ledger: any OperationsLedger
    let outDir: String
    var messages: [String: MatchedMessage?] = [:]
    var outboxes: [Day: [String: OutgoingMessage]] = [:]
    var letters: [Day: [String: String]] = [:]

    init(ledger: any OperationsLedger, outDir: String) {
        self.ledger = ledger
        self.outDir = outDir
    }

    /// The message with this id, from its delivery record or the night's actions.
    mutating func message(_ id: String) throws -> MatchedMessage? {
        guard !id.isEmpty else { return nil }
        if let m = messages[id] { return m }
        var found: MatchedMessage?
        if let d = try ledger.delivery(messageID: id) {
            found = MatchedMessage(id: id, customerID: d.customerID, night: d.night, delivery: d)
        } else if let s = try ledger.sentMessage(id: id) {
            found = MatchedMessage(id: id, customerID: s.customerID, night: s.night, delivery: nil)
        }
        messages[id] = found
        return found
    }

    /// The hash of the contact a message went to: from its delivery record, else from the
    /// night's published files (a company whose own gateway sent them).
    mutating func contactHash(_ m: MatchedMessage, kind: ContactKind) throws -> String? {
        if let d = m.delivery { return d.contactHash }
        let folder = outDir + "/" + m.night.iso
        if kind == .address {
            if letters[m.night] == nil {
                var map: [String: String] = [:]
                if let data = FileManager.default.contents(atPath: folder + "/letters.csv") {
                    for r in CSVRows.records(String(decoding: data, as: UTF8.self)) {
                        guard let id = r["message_id"] else { continue }
                        func v(_ k: String) -> String? { r[k].flatMap { $0.isEmpty ? nil : $0 } }
                        map[id] = ContactHash.address(
                            PostalAddress(
                                street: v("address_street"), number: v("address_number"),
                                complement: v("address_complement"), district: v("address_district"),
                                city: v("address_city"), state: v("address_state"), zip: v("address_zip")))
                    }
                }
                letters[m.night] = map
            }
            return letters[m.night]![m.id]
        }
        if outboxes[m.night] == nil {
            let all = (try? Outbox.read(folder: folder, channels: Set(Outbox.channels))) ?? []
            outboxes[m.night] = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        }
        return outboxes[m.night]![m.id]?.contactHash
    }
}
