/// Where one thread writes what it reads of a chunk: items, link hashes and sightings go into
/// regions of the file's final arrays (no copy when the chunks are joined), rejects into an
/// array of its own. A chunk is read by one thread, then handed whole to the thread that joins
/// it (``Slots``).
///
/// Unsafe by the name of its file: it writes the regions through pointers (initializing,
/// moving and, for a discarded chunk, destroying records in place), within the slots it was
/// given; its interface hands out only counts, rejects and where reading stopped.
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
