import Foundation

/// One message of a published night, as a gateway gets it.
public struct OutgoingMessage: Sendable {
    /// What is handed over.
    public enum Payload: Sendable {
        /// The `.eml` bytes and the envelope recipients read from its To/Cc headers.
        case email(bytes: [UInt8], recipients: [String])
        /// A row of `sms.csv`.
        case sms(phone: String, text: String, encoding: String, segments: Int, step: String, titleIDs: [String])
        /// A line of `whatsapp.jsonl` (one JSON object) and its E.164 recipient.
        case whatsapp(line: [UInt8], to: String)
    }
    /// The message id (`R20261123-…`).
    public var id: String
    /// `email`, `sms` or `whatsapp`.
    public var channel: String
    /// The customer it is for.
    public var customerID: CustomerID
    /// ``ContactHash`` of where it goes (what the ledger keeps instead of the contact).
    public var contactHash: String
    /// The content.
    public var payload: Payload
}

/// Reads the messages of a published night folder (`out/<date>/`): `email/*.eml`, `sms.csv`,
/// `whatsapp.jsonl`, in a fixed order (channel, then message id).
public enum Outbox {
    /// Channel names `--only` accepts.
    public static let channels = ["email", "sms", "whatsapp"]

    /// Every message of the night's folder for the given channels.
    public static func read(folder: String, channels wanted: Set<String>) throws -> [OutgoingMessage] {
        var out: [OutgoingMessage] = []
        let fm = FileManager.default
        if wanted.contains("email"), let names = try? fm.contentsOfDirectory(atPath: folder + "/email") {
            for name in names.sorted() where name.hasSuffix(".eml") {
                let path = folder + "/email/" + name
                guard let data = fm.contents(atPath: path) else {
                    throw ReguaError(.io, "cannot read \(path)")
                }
                let bytes = [UInt8](data)
                let headers = MailHeaders.parse(bytes)
                let recipients = (headers.values("To") + headers.values("Cc")).flatMap(MailHeaders.addresses)
                guard let customer = headers.first("X-Regua-Customer"), let first = recipients.first else {
                    throw ReguaError(.io, "\(path) has no X-Regua-Customer or no recipient; is this a Regua night?")
                }
                out.append(
                    OutgoingMessage(
                        id: String(name.dropLast(4)), channel: "email", customerID: CustomerID(customer),
                        contactHash: ContactHash.email(first), payload: .email(bytes: bytes, recipients: recipients)))
            }
        }
        if wanted.contains("sms"), let data = fm.contents(atPath: folder + "/sms.csv") {
            for r in CSVRows.records(String(decoding: data, as: UTF8.self)) {
                guard let id = r["message_id"], let phone = r["phone"], let text = r["text"],
                    let customer = r["customer_id"]
                else { throw ReguaError(.io, "\(folder)/sms.csv lacks message_id, customer_id, phone or text") }
                out.append(
                    OutgoingMessage(
                        id: id, channel: "sms", customerID: CustomerID(customer), contactHash: ContactHash.phone(phone),
                        payload: .sms(
                            phone: phone, text: text, encoding: r["encoding"] ?? "GSM-7",
                            segments: Int(r["segments"] ?? "") ?? 1, step: r["step"] ?? "",
                            titleIDs: (r["title_ids"] ?? "").split(separator: ";").map(String.init))))
            }
        }
        if wanted.contains("whatsapp"), let data = fm.contents(atPath: folder + "/whatsapp.jsonl") {
            for (n, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
                guard let obj = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                    let id = obj["message_id"] as? String, let to = obj["to"] as? String,
                    let customer = obj["customer_id"] as? String
                else { throw ReguaError(.io, "\(folder)/whatsapp.jsonl line \(n + 1) is not a message object") }
                out.append(
                    OutgoingMessage(
                        id: id, channel: "whatsapp", customerID: CustomerID(customer),
                        contactHash: ContactHash.phone(to),
                        payload: .whatsapp(line: [UInt8](line), to: to)))
            }
        }
        let order = Dictionary(uniqueKeysWithValues: channels.enumerated().map { ($1, $0) })
        return out.sorted { (order[$0.channel]!, $0.id) < (order[$1.channel]!, $1.id) }
    }
}
