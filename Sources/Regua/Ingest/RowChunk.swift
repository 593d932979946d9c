/// A row of a file that has a readable key (customer_id, title_id), in file order.
struct Sighting: Sendable {
    /// The key as read.
    var key: String
    /// Line of the row.
    var line: Int
    /// Index of the row's item when accepted (≥ 0), else `-(index of its reject) - 1`.
    var outcome: Int
    /// The row was refused as a whole (syntax, limits): it never counts as a duplicate.
    var broken: Bool

    /// The row was accepted.
    var accepted: Bool { outcome >= 0 }
}

/// Turns one valid row of a file into its item.
protocol RowParser {
    associatedtype Item: Sendable
    /// Column number and name of the key.
    static var keyColumn: Int { get }
    static var keyName: String { get }
    /// The row's item, or why the row is refused.
    mutating func parse(_ t: CSVTable, key: String) throws(RowReject) -> Item
}

/// The rows of (a chunk of) a file, read in order: accepted items, rejects, and every key seen.
///
/// Keys are checked for repeats afterwards (``RowChunk/refuseRepeatedKeys(file:keyName:)``),
/// so that a file can be read as two chunks on two threads and joined with plain appends.
struct RowChunk<Item: Sendable>: Sendable {
    var items: [Item] = []
    var rejects: [Reject] = []
    var sightings: [Sighting] = []
    /// Where reading stopped: offset and line.
    var endOffset = 0
    var endLine = 1

    init(expectedRows: Int, reserveItems: Int) {
        sightings.reserveCapacity(expectedRows)
        items.reserveCapacity(reserveItems)
    }

    /// Reads the table's rows until its end.
    mutating func read<P: RowParser>(_ t: inout CSVTable, _ parser: inout P, file: String) where P.Item == Item {
        while t.next() {
            let line = t.line
            if let problem = t.rowProblem() {
                if let key = t.readableKey(P.keyColumn) {
                    sightings.append(Sighting(key: key, line: line, outcome: -rejects.count - 1, broken: true))
                }
                rejects.append(Reject(file: file, line: line, column: problem.column, reason: problem.reason))
                continue
            }
            do throws(RowReject) {
                let key = try t.key(P.keyColumn)
                do throws(RowReject) {
                    items.append(try parser.parse(t, key: key))
                    sightings.append(Sighting(key: key, line: line, outcome: items.count - 1, broken: false))
                } catch {
                    sightings.append(Sighting(key: key, line: line, outcome: -rejects.count - 1, broken: false))
                    throw error
                }
            } catch {
                rejects.append(Reject(file: file, line: line, column: error.column, reason: error.reason))
            }
        }
        endOffset = t.position
        endLine = t.positionLine
    }

    /// Appends the chunk that follows this one in the file.
    mutating func append(_ next: RowChunk) {
        let itemBase = items.count
        let rejectBase = rejects.count
        items.append(contentsOf: next.items)
        rejects.append(contentsOf: next.rejects)
        sightings.reserveCapacity(sightings.count + next.sightings.count)
        for var s in next.sightings {
            s.outcome = s.outcome >= 0 ? s.outcome + itemBase : s.outcome - rejectBase
            sightings.append(s)
        }
        endOffset = next.endOffset
        endLine = next.endLine
    }

    /// Refuses every row whose key an earlier row had, as "duplicate KEY (first seen on line N)";
    /// this reason wins over any other of the row's cells. A row refused as a whole keeps its
    /// reason. Returns, for each sighting, the sighting that first had its key.
    @discardableResult
    mutating func refuseRepeatedKeys(file: String, keyName: String) -> [Int32] {
        let groups = sightings.withUnsafeBufferPointer { list in
            KeyGroups(count: list.count, bits: KeyGroups.bits(for: list.count)) { list[$0].key }
        }
        let first = groups.firstOccurrences()
        var dropped: [Bool] = []
        for (later, earliest) in first.enumerated() where earliest != Int32(later) {
            let s = sightings[later]
            if s.broken { continue }
            let reason = "duplicate \(keyName) (first seen on line \(sightings[Int(earliest)].line))"
            if s.accepted {
                if dropped.isEmpty { dropped = [Bool](repeating: false, count: items.count) }
                dropped[s.outcome] = true
                rejects.append(Reject(file: file, line: s.line, column: keyName, reason: reason))
            } else {
                rejects[-s.outcome - 1].column = keyName
                rejects[-s.outcome - 1].reason = reason
            }
        }
        if !dropped.isEmpty { dropItems(dropped) }
        return first
    }

    /// Removes the items marked, keeping the order of the rest. Items are large structs: they
    /// are moved bitwise, not copied and released one by one.
    mutating func dropItems(_ dropped: [Bool]) {
        var kept = 0
        items.withUnsafeMutableBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            for i in 0..<buffer.count where !dropped[i] {
                if kept != i {
                    let keep = (p + i).move()
                    (p + i).moveInitialize(from: p + kept, count: 1)
                    (p + kept).initialize(to: keep)
                }
                kept += 1
            }
        }
        items.removeLast(items.count - kept)
    }
}
