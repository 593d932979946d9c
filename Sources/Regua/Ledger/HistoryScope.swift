/// Which titles and customers a night's history is read for: the night reads only what it
/// decides (SPEC §5: its cost depends on the portfolio it reads, not on the ledger's age).
public struct HistoryScope: Sendable {
    /// The titles whose steps and bank state are read; `nil` reads every title.
    public var titles: [TitleID]?
    /// The customers whose recent contacts are read; `nil` reads every customer.
    public var customers: [CustomerID]?

    /// Creates a scope; `nil` for every title or customer.
    public init(titles: [TitleID]?, customers: [CustomerID]?) {
        self.titles = titles
        self.customers = customers
    }

    /// Every title and customer the ledger knows (audits and tests).
    public static let everything = HistoryScope(titles: nil, customers: nil)

    /// The titles of a night and their customers (a customer without titles is sent nothing).
    public static func night(titles: [Title]) -> HistoryScope {
        var seen = Set<CustomerID>()
        var customers: [CustomerID] = []
        for t in titles where seen.insert(t.customerID).inserted { customers.append(t.customerID) }
        return HistoryScope(titles: titles.map(\.id), customers: customers)
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
