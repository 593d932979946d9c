/// The header block of an RFC 5322 message, unfolded: enough to find recipients, ids and the
/// fields of a delivery report. Names compare case-insensitively.
public struct MailHeaders: Sendable {
    /// (name, value) in the order written.
    public var fields: [(name: String, value: String)]

    /// The headers of a message (up to its first empty line); the body offset too.
    public static func parse(_ bytes: [UInt8]) -> MailHeaders { split(bytes).headers }

    /// The headers and where the body starts.
    public static func split(_ bytes: [UInt8]) -> (headers: MailHeaders, bodyStart: Int) {
        var fields: [(String, String)] = []
        var i = 0
        var current: (String, String)?
        while i < bytes.count {
            var j = i
            while j < bytes.count && bytes[j] != 10 { j += 1 }
            var line = bytes[i..<j]
            if line.last == 13 { line = line.dropLast() }
            i = j + 1
            if line.isEmpty { break }
            if line.first == 32 || line.first == 9 {
                current?.1 += " " + String(decoding: line, as: UTF8.self).trimmingSpaces
                continue
            }
            if let c = current { fields.append(c) }
            if let colon = line.firstIndex(of: 58) {
                current = (
                    String(decoding: line[..<colon], as: UTF8.self).trimmingSpaces,
                    String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces
                )
            } else {
                current = nil
            }
        }
        if let c = current { fields.append(c) }
        return (MailHeaders(fields: fields), min(i, bytes.count))
    }

    /// Every value of a header.
    public func values(_ name: String) -> [String] {
        let n = name.lowercased()
        return fields.filter { $0.name.lowercased() == n }.map(\.value)
    }

    /// The first value of a header.
    public func first(_ name: String) -> String? { values(name).first }

    /// The addresses of an address-list header value: `<a@b>` parts, else bare `a@b` words.
    public static func addresses(_ value: String) -> [String] {
        var out: [String] = []
        var rest = Substring(value)
        while let lt = rest.firstIndex(of: "<"), let gt = rest[lt...].firstIndex(of: ">") {
            out.append(String(rest[rest.index(after: lt)..<gt]))
            rest = rest[rest.index(after: gt)...]
        }
        if out.isEmpty {
            out = value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map(String.init).filter {
                $0.contains("@")
            }
        }
        return out
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
