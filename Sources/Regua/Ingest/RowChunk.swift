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

/// Where one thread writes what it reads of a chunk: items, link hashes and sightings go into
/// regions of the file's final arrays (no copy when the chunks are joined), rejects into an
/// array of its own. A chunk is read by one thread, then handed whole to the thread that joins
/// it (``Slots``).
struct ChunkWriter<Item: Sendable>: Sendable {
    private let itemSlots: Slots<Item>
    private let linkSlots: Slots<Int>?
    private let sightingSlots: Slots<Sighting>
    private var items: UnsafeMutablePointer<Item> { itemSlots.base }
    private var links: UnsafeMutablePointer<Int>? { linkSlots?.base }
    private var sightings: UnsafeMutablePointer<Sighting> { sightingSlots.base }
    /// Most records this chunk may write (its number of line starts).
    private(set) var capacity: Int
    private(set) var itemCount = 0
    private(set) var sightingCount = 0
    var rejects: [Reject] = []
    /// Where reading stopped: offset and line.
    private(set) var endOffset = 0
    private(set) var endLine = 1
    /// The keys seen so far are ASCII and strictly increasing (``RowChunk/keysIncreasing``).
    private(set) var keysIncreasing = true
    /// Every key and link seen so far is ASCII (``RowChunk/allASCII``).
    private(set) var allASCII = true
    private(set) var firstKey: String?
    private(set) var lastKey: String?
    /// The accepted rows' sightings are not written while the keys are increasing (only the
    /// refused rows' are): ``RowParser/needsSightingsWhenSorted`` is false.
    private(set) var deferring: Bool

    init(
        items: Slots<Item>, links: Slots<Int>?, sightings: Slots<Sighting>, capacity: Int, deferring: Bool = false
    ) {
        itemSlots = items
        linkSlots = links
        sightingSlots = sightings
        self.capacity = capacity
        self.deferring = deferring
    }

    /// Records a row's key, in file order.
    private mutating func see<P: RowParser>(
        _ parser: P.Type, _ key: String, line: Int, outcome: RowOutcome, broken: Bool
    ) where P.Item == Item {
        // The hash tells whether the key is ASCII too; only a deferred sighting goes without it.
        let hashed = deferring ? nil : KeyHash.of(key)
        if keysIncreasing {
            let ascii = hashed?.ascii ?? ASCIIBytes.isASCII(key)
            if let last = lastKey {
                keysIncreasing = ascii && UTF8Order.precedes(last, key)
            } else {
                keysIncreasing = ascii
                firstKey = key
            }
            lastKey = key
            if deferring {
                // Increasing keys are ASCII, so `allASCII` holds; an accepted row's sighting
                // can be made again from its item if the order breaks later.
                if keysIncreasing, outcome.isItem { return }
                // This row's own item (the last one, if accepted) is seen just below.
                if !keysIncreasing { writeDeferredSightings(P.self, items: outcome.isItem ? itemCount - 1 : itemCount) }
            }
        }
        precondition(sightingCount < capacity, "more records than line starts")
        let (hash, ascii) = hashed ?? KeyHash.of(key)
        allASCII = allASCII && ascii
        (sightings + sightingCount).initialize(
            to: Sighting(key: key, hash: hash, line: line, outcome: outcome, broken: broken))
        sightingCount += 1
    }

    /// Ends ``deferring``: writes the sightings of the first `items` items (all by default)
    /// among the refused rows' already written, in file order (a merge by line from the back,
    /// in place).
    mutating func writeDeferredSightings<P: RowParser>(_ parser: P.Type, items count: Int? = nil)
    where P.Item == Item {
        guard deferring else { return }
        deferring = false
        let written = count ?? itemCount
        let total = sightingCount + written
        precondition(total <= capacity, "more records than line starts")
        var refused = sightingCount - 1
        var item = written - 1
        var out = total - 1
        while item >= 0 {
            let line = P.line(items[item])
            if refused >= 0, sightings[refused].line > line {
                (sightings + out).moveInitialize(from: sightings + refused, count: 1)
                refused -= 1
            } else {
                let key = P.key(items[item])
                let (hash, _) = KeyHash.of(key)
                (sightings + out).initialize(
                    to: Sighting(key: key, hash: hash, line: line, outcome: .item(item), broken: false))
                item -= 1
            }
            out -= 1
        }
        // The refused rows before the first item are already in place.
        sightingCount = total
    }

    /// Faults in this chunk's regions of the arrays at once (see ``Prefault``); the sightings'
    /// only when they are all written.
    func prefault() {
        Prefault.forWriting(items, count: capacity)
        if !deferring { Prefault.forWriting(sightings, count: capacity) }
        if let links { Prefault.forWriting(links, count: capacity) }
    }

    /// Reads the table's rows until its end (of the file or of the chunk).
    mutating func read<P: RowParser>(_ t: inout CSVTable, _ parser: inout P, file: String) where P.Item == Item {
        while t.next() {
            let line = t.line
            if let problem = t.rowProblem() {
                if let key = t.readableKey(P.keyColumn) {
                    see(P.self, key, line: line, outcome: .reject(rejects.count), broken: true)
                }
                let ids = P.rejectIDs(t)
                rejects.append(
                    Reject(
                        file: file, line: line, column: problem.column, reason: problem.reason,
                        customerID: ids.customer, titleID: ids.title))
                continue
            }
            do throws(RowReject) {
                let key = try t.key(P.keyColumn)
                do throws(RowReject) {
                    precondition(itemCount < capacity, "more records than line starts")
                    // Built in place: a title or customer is a large struct, not worth a copy.
                    (items + itemCount).initialize(to: try parser.parse(t, key: key))
                    if let links {
                        let (hash, ascii) = KeyHash.of(P.link(items[itemCount]))
                        allASCII = allASCII && ascii
                        (links + itemCount).initialize(to: hash)
                    }
                    itemCount += 1
                    see(P.self, key, line: line, outcome: .item(itemCount - 1), broken: false)
                } catch {
                    see(P.self, key, line: line, outcome: .reject(rejects.count), broken: false)
                    throw error
                }
            } catch {
                let ids = P.rejectIDs(t)
                rejects.append(
                    Reject(
                        file: file, line: line, column: error.column, reason: error.reason,
                        customerID: ids.customer, titleID: ids.title))
            }
        }
        endOffset = t.position
        endLine = t.positionLine
    }

    /// Moves the next chunk's items, link hashes and sightings right behind this chunk's (they
    /// were written further on in the same arrays, in the region right after this chunk's) and
    /// takes over its region, rejects and end.
    mutating func append<P: RowParser>(_ next: consuming ChunkWriter<Item>, _ parser: P.Type) where P.Item == Item {
        var next = next
        let increasing =
            keysIncreasing && next.keysIncreasing
            && lastKey.flatMap { last in next.firstKey.map { UTF8Order.precedes(last, $0) } } ?? true
        if !increasing {
            writeDeferredSightings(P.self)
            next.writeDeferredSightings(P.self)
        }
        let itemBase = itemCount
        let rejectBase = rejects.count
        if next.items != items + itemCount {
            (items + itemCount).moveInitialize(from: next.items, count: next.itemCount)
            if let links, let nextLinks = next.links {
                (links + itemCount).moveInitialize(from: nextLinks, count: next.itemCount)
            }
        }
        if next.sightings != sightings + sightingCount {
            (sightings + sightingCount).moveInitialize(from: next.sightings, count: next.sightingCount)
        }
        for i in sightingCount..<(sightingCount + next.sightingCount) {
            sightings[i].outcome = sightings[i].outcome.shifted(items: itemBase, rejects: rejectBase)
        }
        itemCount += next.itemCount
        sightingCount += next.sightingCount
        capacity += next.capacity
        rejects.append(contentsOf: next.rejects)
        if let nextFirst = next.firstKey {
            keysIncreasing = increasing
            firstKey = firstKey ?? nextFirst
            lastKey = next.lastKey
        }
        allASCII = allASCII && next.allASCII
        endOffset = next.endOffset
        endLine = next.endLine
    }

    /// Destroys what this chunk wrote (a chunk whose reading turned out to be wrong).
    func discard() {
        items.deinitialize(count: itemCount)
        links?.deinitialize(count: itemCount)
        sightings.deinitialize(count: sightingCount)
    }

    /// Lets the chunk read on past its own range, with room for `capacity` records in all.
    mutating func widen(to capacity: Int) {
        self.capacity = capacity
    }
}
