import Foundation

/// An RFC 3464 delivery status notification, as much of it as feedback needs: who it is about,
/// what happened to each recipient, and which of our messages it returns.
public struct DeliveryStatusReport: Sendable, Hashable {
    /// One recipient's part of the report.
    public struct Recipient: Sendable, Hashable {
        /// `Original-Recipient`, else `Final-Recipient`, without its `rfc822;` type.
        public var address: String
        /// `failed`, `delayed`, `delivered`, `relayed`, `expanded`.
        public var action: String
        /// `5.1.1` and the like.
        public var status: String
    }

    /// Every recipient the report speaks of.
    public var recipients: [Recipient]
    /// Message ids the report points at, best first: the VERP envelope (`LOCAL+<id>@…`) of its
    /// To / Delivered-To / X-Original-To or of the report's sender fields, then the left side of
    /// the returned message's Message-ID.
    public var candidateIDs: [String]
    /// The report's date (Arrival-Date, else its Date header).
    public var day: Day?

    /// Reads a message; nil when it is not a `multipart/report` of `delivery-status`.
    public static func parse(_ bytes: [UInt8]) -> DeliveryStatusReport? {
        let (headers, bodyStart) = MailHeaders.split(bytes)
        guard let ct = headers.first("Content-Type"), ct.lowercased().hasPrefix("multipart/report"),
            let boundary = parameter("boundary", of: ct)
        else { return nil }
        var ids: [String] = []
        for name in ["Delivered-To", "X-Original-To", "To"] {
            for v in headers.values(name) { ids += MailHeaders.addresses(v).compactMap(verpID) }
        }
        var recipients: [Recipient] = []
        var day = headers.first("Date").flatMap(Self.day(rfc5322:))
        var returnedIDs: [String] = []
        var sawStatus = false
        for part in parts(Array(bytes[bodyStart...]), boundary: boundary) {
            let (ph, start) = MailHeaders.split(part)
            let type = (ph.first("Content-Type") ?? "text/plain").lowercased()
            let body = Array(part[start...])
            if type.hasPrefix("message/delivery-status") {
                sawStatus = true
                let groups = fieldGroups(body)
                if let perMessage = groups.first {
                    if let a = perMessage.first("Arrival-Date").flatMap(Self.day(rfc5322:)) { day = a }
                    for v in perMessage.values("X-Postfix-Sender") + perMessage.values("Original-Envelope-Id") {
                        if let id = verpID(typed(v)) { ids.append(id) }
                    }
                }
                for g in groups.dropFirst() {
                    guard let action = g.first("Action")?.lowercased() else { continue }
                    let addr = typed(g.first("Original-Recipient") ?? g.first("Final-Recipient") ?? "")
                    let status = (g.first("Status") ?? "").split(separator: " ").first.map(String.init) ?? ""
                    recipients.append(Recipient(address: addr, action: action, status: status))
                }
            } else if type.hasPrefix("message/rfc822") || type.hasPrefix("text/rfc822-headers") {
                let inner = MailHeaders.parse(body)
                if let mid = inner.first("Message-ID") ?? inner.first("Message-Id"),
                    let lt = mid.firstIndex(of: "<"), let at = mid[lt...].firstIndex(of: "@")
                {
                    returnedIDs.append(String(mid[mid.index(after: lt)..<at]))
                }
                for v in inner.values("Return-Path") { ids += MailHeaders.addresses(v).compactMap(verpID) }
            }
        }
        guard sawStatus else { return nil }
        var seen = Set<String>()
        let candidates = (ids + returnedIDs).filter { !$0.isEmpty && seen.insert($0).inserted }
        return DeliveryStatusReport(recipients: recipients, candidateIDs: candidates, day: day)
    }

    /// What a recipient's part says against the address: `hard` (failed, 5.x.x), `soft`
    /// (failed, 4.x.x), or nil (delivered, delayed, relayed…).
    public static func eventKind(_ r: Recipient) -> ContactEventKind? {
        guard r.action == "failed" else { return nil }
        if r.status.hasPrefix("5.") { return .hard }
        if r.status.hasPrefix("4.") { return .soft }
        return nil
    }

    /// `LOCAL+<id>@DOMAIN` → `<id>`.
    static func verpID(_ address: String) -> String? {
        guard let plus = address.firstIndex(of: "+"), let at = address.lastIndex(of: "@"), plus < at else { return nil }
        let id = address[address.index(after: plus)..<at]
        return id.isEmpty ? nil : String(id)
    }

    /// `rfc822; a@b` → `a@b`.
    static func typed(_ v: String) -> String {
        guard let semi = v.firstIndex(of: ";") else { return v.trimmingSpaces }
        return String(v[v.index(after: semi)...]).trimmingSpaces
    }

    /// A parameter of a MIME header value (`boundary="x"`).
    static func parameter(_ name: String, of value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let kv = piece.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var v = kv[1].trimmingCharacters(in: .whitespaces)
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            return v
        }
        return nil
    }

    /// The parts of a multipart body between `--boundary` lines.
    static func parts(_ body: [UInt8], boundary: String) -> [[UInt8]] {
        let marker = Array(("--" + boundary).utf8)
        var out: [[UInt8]] = []
        var current: [UInt8]?
        var i = 0
        while i < body.count {
            var j = i
            while j < body.count && body[j] != 10 { j += 1 }
            var line = body[i..<j]
            if line.last == 13 { line = line.dropLast() }
            if line.starts(with: marker) {
                if let c = current { out.append(c) }
                let rest = line.dropFirst(marker.count)
                if rest.starts(with: [45, 45]) { return out }
                current = []
            } else if current != nil {
                current! += body[i..<min(j + 1, body.count)]
            }
            i = j + 1
        }
        if let c = current { out.append(c) }
        return out
    }

    /// The groups of header-like fields of a `message/delivery-status` body.
    static func fieldGroups(_ body: [UInt8]) -> [MailHeaders] {
        var groups: [MailHeaders] = []
        var rest = body[...]
        while !rest.isEmpty {
            while rest.first == 13 || rest.first == 10 { rest = rest.dropFirst() }
            if rest.isEmpty { break }
            let (h, used) = MailHeaders.split(Array(rest))
            if !h.fields.isEmpty { groups.append(h) }
            guard used > 0 else { break }
            rest = rest.dropFirst(used)
        }
        return groups
    }

    /// The day of an RFC 5322 date (`Thu, 3 Dec 2026 07:51:53 +0000`).
    static func day(rfc5322 text: String) -> Day? {
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        for (k, w) in words.enumerated() {
            guard let m = months.firstIndex(of: w.lowercased()), k > 0, k + 1 < words.count,
                let d = Int(words[k - 1]), let y = Int(words[k + 1])
            else { continue }
            return Day(year: y, month: m + 1, day: d)
        }
        return nil
    }
}

/// Reads a `--dsn` source: a Maildir folder (its `new/` and `cur/`, or the files of a plain
/// folder) or an mbox file (messages split at `From ` lines).
public enum MailboxReader {
    /// Each message's bytes, in a stable order.
    public static func messages(at path: String) throws -> [[UInt8]] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ReguaError(.io, "\(path): no such Maildir folder or mbox file")
        }
        if isDir.boolValue {
            var files: [String] = []
            let sub = ["new", "cur"].filter { fm.fileExists(atPath: path + "/" + $0) }
            for dir in sub.isEmpty ? [""] : sub {
                let base = dir.isEmpty ? path : path + "/" + dir
                for name in (try? fm.contentsOfDirectory(atPath: base)) ?? [] where !name.hasPrefix(".") {
                    var d: ObjCBool = false
                    if fm.fileExists(atPath: base + "/" + name, isDirectory: &d), !d.boolValue {
                        files.append(base + "/" + name)
                    }
                }
            }
            return try files.sorted().map { p in
                guard let data = fm.contents(atPath: p) else { throw ReguaError(.io, "cannot read \(p)") }
                return [UInt8](data)
            }
        }
        guard let data = fm.contents(atPath: path) else { throw ReguaError(.io, "cannot read \(path)") }
        return mbox([UInt8](data))
    }

    /// The messages of an mbox: each starts at a line `From ` (which is dropped); `>From ` lines
    /// are unquoted (mboxrd).
    static func mbox(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var current: [UInt8]?
        var i = 0
        let from = Array("From ".utf8)
        while i < bytes.count {
            var j = i
            while j < bytes.count && bytes[j] != 10 { j += 1 }
            let line = bytes[i..<min(j + 1, bytes.count)]
            if line.starts(with: from) {
                if let c = current { out.append(c) }
                current = []
            } else if current != nil {
                var l = line[...]
                if l.first == 62, l.dropFirst().drop(while: { $0 == 62 }).starts(with: from) { l = l.dropFirst() }
                current! += l
            }
            i = j + 1
        }
        if let c = current { out.append(c) }
        return out
    }
}
