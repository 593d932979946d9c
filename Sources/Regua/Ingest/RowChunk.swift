/// What became of a row: the index of its item among the accepted ones, or of its reject.
enum RowOutcome: Sendable, Hashable {
    case item(Int)
    case reject(Int)

    /// The row was accepted.
    var isItem: Bool {
        if case .item = self { return true }
        return false
    }

    /// The same outcome once `items` items and `rejects` rejects come before it (chunks joined).
    func shifted(items: Int, rejects: Int) -> RowOutcome {
        switch self {
        case .item(let i): .item(i + items)
        case .reject(let r): .reject(r + rejects)
        }
    }
}

/// A row of a file that has a readable key (customer_id, title_id), in file order. 32 bytes: a
/// file of a million rows has as many, so the line, whether the row was refused as a whole and
/// its ``RowOutcome`` are packed in two `Int32`s — a detail of this type alone, which reads and
/// writes them only as the properties below.
struct Sighting: Sendable {
    /// The key as read.
    var key: String
    /// The key's hash (``KeyHash``, or `hashValue` once a non-ASCII key was seen), computed while
    /// the rows are read in pieces on every core.
    var hash: Int
    /// The line, negated for a row refused as a whole.
    private var signedLine: Int32
    /// ``RowOutcome/item(_:)`` as its index (≥ 0), ``RowOutcome/reject(_:)`` as `-index - 1`.
    private var packedOutcome: Int32

    init(key: String, hash: Int, line: Int, outcome: RowOutcome, broken: Bool) {
        self.key = key
        self.hash = hash
        signedLine = broken ? -Int32(line) : Int32(line)
        packedOutcome = Self.pack(outcome)
    }

    /// Line of the row.
    var line: Int { Int(signedLine.magnitude) }
    /// The row's item or reject.
    var outcome: RowOutcome {
        get { packedOutcome >= 0 ? .item(Int(packedOutcome)) : .reject(Int(-(packedOutcome + 1))) }
        set { packedOutcome = Self.pack(newValue) }
    }
    /// The row was refused as a whole (syntax, limits): it never counts as a duplicate.
    var broken: Bool { signedLine < 0 }

    /// The row was accepted.
    var accepted: Bool { packedOutcome >= 0 }

    private static func pack(_ outcome: RowOutcome) -> Int32 {
        switch outcome {
        case .item(let i): Int32(i)
        case .reject(let r): -Int32(r) - 1
        }
    }
}

/// Turns one valid row of a file into its item.
protocol RowParser: SendableMetatype {
    associatedtype Item: Sendable
    /// Column number and name of the key.
    static var keyColumn: Int { get }
    static var keyName: String { get }
    /// Whether items refer to another file's key (a title's customer_id), whose hash (as
    /// ``Sighting/hash``) is then kept next to each item (``RowChunk/linkHashes``).
    static var hasLink: Bool { get }
    /// The other file's key an item refers to (only called when ``hasLink``).
    static func link(_ item: Item) -> String
    /// The ids a reject of the current row names, as far as they can be read.
    static func rejectIDs(_ t: CSVTable) -> (customer: String?, title: String?)
    /// Whether the sightings of accepted rows are used even when the keys turn out increasing
    /// (customers: for the title check). When not (titles: only to find repeats, which
    /// increasing keys cannot have), they are written only once the order breaks, made again
    /// from the items with ``key(_:)`` and ``line(_:)``.
    static var needsSightingsWhenSorted: Bool { get }
    /// An accepted item's key and line, as its row had them.
    static func key(_ item: Item) -> String
    static func line(_ item: Item) -> Int
    /// The row's item, or why the row is refused.
    mutating func parse(_ t: CSVTable, key: String) throws(RowReject) -> Item
}

extension RowParser {
    static var hasLink: Bool { false }
    static func link(_ item: Item) -> String { "" }
    static var needsSightingsWhenSorted: Bool { true }
}

/// The rows of a file, read in order: accepted items, rejects, and every key seen.
///
/// Keys are checked for repeats afterwards (``RowChunk/refuseRepeatedKeys(file:keyName:)``),
/// so that a file can be read in pieces on every core (``Chunking/read(_:file:pieceBytes:parser:)``).
extension RowParser {
    /// A parser whose rows name no ids.
    static func rejectIDs(_ t: CSVTable) -> (customer: String?, title: String?) { (nil, nil) }
}

struct RowChunk<Item: Sendable>: Sendable {
    var items: [Item] = []
    /// For a parser with a link, the hash of each item's link key (same order as `items`).
    var linkHashes: [Int] = []
    var rejects: [Reject] = []
    /// Every row that had a readable key, in file order; for a parser that does not need them
    /// when the keys are increasing (``RowParser/needsSightingsWhenSorted``), only the refused
    /// rows' as long as ``keysIncreasing``.
    var sightings: [Sighting] = []
    /// Every key is ASCII and comes after the one before in byte order (an export sorted by
    /// its key, as ERPs usually write them): then no key can repeat and the check is skipped.
    /// (Only for ASCII: two different non-ASCII byte strings can be the same String.)
    var keysIncreasing = false
    /// Every key and link is ASCII: the hashes are ``KeyHash``'s, else they must be made again
    /// with ``rehashAsStrings(link:)`` before keys are compared.
    var allASCII = false

    /// Refuses every row whose key an earlier row had, as "duplicate KEY (first seen on line N)";
    /// this reason wins over any other of the row's cells. A row refused as a whole keeps its
    /// reason. Returns, for each sighting, the sighting that first had its key.
    @discardableResult
    mutating func refuseRepeatedKeys(
        file: String, keyName: String, ids: (Item) -> (customer: String?, title: String?)
    ) -> [Int32] {
        if keysIncreasing { return firstOccurrences() }
        let first = firstOccurrences()
        refuseRepeatedKeys(firstOccurrences: first, file: file, keyName: keyName, ids: ids)
        return first
    }

    /// For each sighting, the sighting that first had its key (what
    /// ``refuseRepeatedKeys(file:keyName:ids:)`` returns, without refusing anything).
    func firstOccurrences() -> [Int32] {
        keysIncreasing ? (0..<Int32(sightings.count)).map { $0 } : keyGroups().firstOccurrences()
    }

    /// The keys of every sighting, grouped (``KeyGroups/firstOccurrences(split:)`` then finds
    /// the repeats).
    func keyGroups() -> KeyGroups {
        sightings.withUnsafeBufferPointer { list in
            KeyGroups(count: list.count, bits: KeyGroups.bits(for: list.count), hash: { list[$0].hash }) {
                list[$0].key
            }
        }
    }

    /// ``refuseRepeatedKeys(file:keyName:)`` given, for each sighting, the first with its key.
    mutating func refuseRepeatedKeys(
        firstOccurrences first: [Int32], file: String, keyName: String,
        ids: (Item) -> (customer: String?, title: String?)
    ) {
        var dropped: [Bool] = []
        for (later, earliest) in first.enumerated() where earliest != Int32(later) {
            let s = sightings[later]
            if s.broken { continue }
            let reason = "\(keyName) repetido (já visto na linha \(sightings[Int(earliest)].line))"
            switch s.outcome {
            case .item(let i):
                if dropped.isEmpty { dropped = [Bool](repeating: false, count: items.count) }
                dropped[i] = true
                let named = ids(items[i])
                rejects.append(
                    Reject(
                        file: file, line: s.line, column: keyName, reason: reason, customerID: named.customer,
                        titleID: named.title))
            case .reject(let r):
                rejects[r].column = keyName
                rejects[r].reason = reason
            }
        }
        if !dropped.isEmpty { dropItems(dropped) }
    }

    /// Hashes every key (and every item's link, given `link`) with `hashValue`: the hash that
    /// agrees with String equality for any text.
    mutating func rehashAsStrings(link: ((Item) -> String)?) {
        for i in sightings.indices { sightings[i].hash = sightings[i].key.hashValue }
        if let link {
            for i in items.indices { linkHashes[i] = link(items[i]).hashValue }
        }
    }

    /// Removes the items marked (and their link hashes), keeping the order of the rest.
    mutating func dropItems(_ dropped: [Bool]) {
        items.removeMarked(dropped)
        if !linkHashes.isEmpty { linkHashes.removeMarked(dropped) }
    }
}
