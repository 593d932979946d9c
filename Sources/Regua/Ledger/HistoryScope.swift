/// Which titles a night's history is read for: the night reads only what it
/// decides (SPEC §5: its cost depends on the portfolio it reads, not on the ledger's age).
public struct HistoryScope: Sendable {
    /// The titles whose steps, bank state and escalation are read; `nil` reads every title.
    /// The contacts of the last 7 days are read for every customer: a week of messages is small
    /// whatever the ledger's age.
    public var titles: [TitleID]?

    /// Creates a scope; `nil` for every title.
    public init(titles: [TitleID]?) {
        self.titles = titles
    }

    /// Every title the ledger knows (audits and tests).
    public static let everything = HistoryScope(titles: nil)

    /// The titles of a night.
    public static func night(titles: [Title]) -> HistoryScope {
        HistoryScope(titles: titles.map(\.id))
    }
}

/// A list of keys as one JSON array text, for `json_each(?)` in SQLite (`unnest(?::text[])`
/// in PostgreSQL): one parameter however many keys, no temporary table.
enum JSONKeyList {
    static func encode(_ keys: some Sequence<String>) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        var first = true
        for key in keys {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            for b in key.utf8 {
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    out.append(UInt8(ascii: "\\"))
                    out.append(b)
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: Array("\\u00".utf8))
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0xF)])
                default:
                    out.append(b)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }
}
