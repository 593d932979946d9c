/// Keys (customer_id, title_id) spread into small groups by hash, so that finding repeats and
/// matching titles to customers run in cache instead of paying a memory miss per key in a
/// table of a million (the cost that dominated ingest with a `Dictionary`).
///
/// Hashes are seeded (``KeyHash``'s random secret, or the standard library's SipHash), so
/// crafted keys cannot pile into one group on purpose; results never depend on the seed (they
/// are per key, not per order). All keys grouped and matched must have the same kind of hash.
struct KeyGroups {
    struct Record {
        var hash: Int
        var key: String
        /// The key's index in the caller's list.
        var id: Int32
    }

    /// An empty slot of a probing table (``prepare(_:for:)``): a table holds record indices,
    /// never negative.
    private static let empty: Int32 = -1

    /// Records grouped by the top `bits` of their hash; within a group, in id order.
    private(set) var records: [Record]
    /// Group `g` is `records[starts[g]..<starts[g + 1]]`.
    private(set) var starts: [Int]
    let bits: Int

    /// Enough groups for about 256 keys each.
    static func bits(for count: Int) -> Int {
        var bits = 0
        while (256 << bits) < count, bits < 16 { bits += 1 }
        return bits
    }

    @inline(__always)
    private static func group(_ hash: Int, _ bits: Int) -> Int {
        bits == 0 ? 0 : Int(UInt64(bitPattern: Int64(hash)) >> UInt64(64 - bits))
    }

    /// Groups keys `0..<count` given by `key`, whose hash is `hash` (computed by the caller,
    /// usually while reading the rows on every core).
    init(count: Int, bits: Int, hash: (Int) -> Int, key: (Int) -> String) {
        self.bits = bits
        let groups = 1 << bits
        var next = [Int](repeating: 0, count: groups + 1)
        for i in 0..<count { next[Self.group(hash(i), bits) + 1] += 1 }
        for g in 0..<groups { next[g + 1] += next[g] }
        starts = next
        records = UnsafeBytes.array(capacity: count, prefault: true) { slots in
            for i in 0..<count {
                let h = hash(i)
                let g = Self.group(h, bits)
                slots.initialize(next[g], to: Record(hash: h, key: key(i), id: Int32(i)))
                next[g] += 1
            }
            return count
        }
    }

    /// For each key, the id of the first key equal to it (its own id when it is the first).
    /// With `split`, ranges of the groups are done on every core.
    func firstOccurrences(split: Bool = false) -> [Int32] {
        UnsafeBytes.array(capacity: records.count) { slots in
            eachGroupRange(split: split) { firstOccurrences(groups: $0, into: slots) }
            return records.count
        }
    }

    /// Runs `body` for ranges of the groups that together cover them all, each core taking the
    /// next range as it is free (one range, on this thread, when not `split`). Keys of one
    /// group are only ever compared with each other, so the ranges are independent.
    private func eachGroupRange(split: Bool = true, _ body: @Sendable (Range<Int>) -> Void) {
        let groups = starts.count - 1
        let jobs = split ? min(groups, 32) : 1
        Parallel.each(jobs) { body((groups * $0 / jobs)..<(groups * ($0 + 1) / jobs)) }
    }

    /// ``firstOccurrences(split:)`` for the keys of some groups: writes only their ids' entries.
    private func firstOccurrences(groups: Range<Int>, into first: Slots<Int32>) {
        var table: [Int32] = []
        for g in groups where starts[g + 1] > starts[g] {
            let range = starts[g]..<starts[g + 1]
            let mask = Self.prepare(&table, for: range.count)
            for r in range {
                let rec = records[r]
                var i = rec.hash & mask
                while true {
                    let slot = table[i]
                    if slot == Self.empty {
                        table[i] = Int32(r)
                        first.initialize(Int(rec.id), to: rec.id)
                        break
                    }
                    let other = records[Int(slot)]
                    if other.hash == rec.hash, other.key == rec.key {
                        first.initialize(Int(rec.id), to: other.id)
                        break
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }

    /// How many parts `count` probes are grouped in: one for every 16,384, at most eight, so
    /// that the cores share the grouping evenly.
    static func partCount(for count: Int) -> Int { min(8, max(1, count / 16_384)) }

    /// Part `k` of `parts` of the probes `0..<count`: the probes of ``partRange(_:of:count:)``,
    /// grouped, their ids counted from the part's start (the parts are grouped on every core,
    /// each a job of its own, and matched by ``match(parts:count:)``).
    static func part(
        count: Int, _ k: Int, of parts: Int, bits: Int, hash: (Int) -> Int, key: (Int) -> String
    ) -> KeyGroups {
        let range = partRange(k, of: parts, count: count)
        return KeyGroups(count: range.count, bits: bits, hash: { hash(range.lowerBound + $0) }) {
            key(range.lowerBound + $0)
        }
    }

    /// The probes of part `k` of `parts`.
    static func partRange(_ k: Int, of parts: Int, count: Int) -> Range<Int> {
        (count * k / parts)..<(count * (k + 1) / parts)
    }

    /// For each of the probes `0..<count`, grouped in parts (every ``part(count:_:of:bits:hash:key:)``
    /// in order), the id of the first equal key here, or nil. Each group's keys are put in a table once and
    /// every part's probes of the group looked up in it; ranges of groups go to every core.
    func match(parts: [KeyGroups], count: Int) -> KeyMatches {
        precondition(parts.allSatisfy { $0.bits == bits }, "groupings differ")
        let offsets = (0..<parts.count).map { Self.partRange($0, of: parts.count, count: count).lowerBound }
        return KeyMatches(count: count) { slots in
            eachGroupRange { groups in
                var table: [Int32] = []
                for g in groups {
                    guard parts.contains(where: { $0.starts[g + 1] > $0.starts[g] }) else { continue }
                    let range = starts[g]..<starts[g + 1]
                    let mask = Self.prepare(&table, for: range.count)
                    for r in range {
                        var i = records[r].hash & mask
                        while table[i] != Self.empty { i = (i + 1) & mask }  // the first of equal keys stays in front
                        table[i] = Int32(r)
                    }
                    for (k, part) in parts.enumerated() {
                        for p in part.starts[g]..<part.starts[g + 1] {
                            let probe = part.records[p]
                            var i = probe.hash & mask
                            while true {
                                let slot = table[i]
                                if slot == Self.empty { break }
                                let rec = records[Int(slot)]
                                if rec.hash == probe.hash, rec.key == probe.key {
                                    slots.assign(offsets[k] + Int(probe.id), rec.id)
                                    break
                                }
                                i = (i + 1) & mask
                            }
                        }
                    }
                }
            }
        }
    }

    /// Clears `table` to hold `count` entries at most half full; returns the index mask.
    private static func prepare(_ table: inout [Int32], for count: Int) -> Int {
        var size = 16
        while size < count * 2 { size <<= 1 }
        if table.count < size {
            table = [Int32](repeating: empty, count: size)
        } else {
            for i in 0..<size { table[i] = empty }
        }
        return size - 1
    }
}

extension KeyGroups {
    /// Matches texts as Strings without a dictionary: for each of the keys `0..<count` (given
    /// by `key`), the index of the first key equal to it; for each of the probes
    /// `0..<probes`, the index of the first key equal to it, or nil. Hashed and matched on both
    /// cores, with ``KeyHash`` when every key and probe is ASCII and `hashValue` otherwise.
    static func firstMatches(
        count: Int, key: @Sendable (Int) -> String, probes: Int, probe: @Sendable (Int) -> String
    ) -> (keys: [Int32], probes: KeyMatches) {
        let half = probes / 2
        // The keys and the first half of the probes on one thread, the other half on the other;
        // each returns its hashes and whether every text was ASCII.
        func hash(_ strings: Bool) -> (keys: [Int], probes: [Int], ascii: Bool) {
            @Sendable func fill(_ range: Range<Int>, _ text: (Int) -> String) -> (hashes: [Int], ascii: Bool) {
                var ascii = true
                let hashes = range.map { i in
                    if strings { return text(i).hashValue }
                    let (h, a) = KeyHash.of(text(i))
                    ascii = ascii && a
                    return h
                }
                return (hashes, ascii)
            }
            let (a, b) = Parallel.both(
                {
                    let keys = fill(0..<count, key)
                    let firstProbes = fill(0..<half, probe)
                    return (keys, firstProbes)
                },
                { fill(half..<probes, probe) })
            return (a.0.hashes, a.1.hashes + b.hashes, a.0.ascii && a.1.ascii && b.ascii)
        }
        var hashes = hash(false)
        if !hashes.ascii { hashes = hash(true) }
        let keyHashes = hashes.keys
        let probeHashes = hashes.probes
        let bits = KeyGroups.bits(for: count)
        let parts = partCount(for: probes)
        // The keys' grouping beside the probes' parts, on every core.
        let grouped = Parallel.map(1 + parts) { i in
            i == 0
                ? KeyGroups(count: count, bits: bits, hash: { keyHashes[$0] }, key: key)
                : KeyGroups.part(count: probes, i - 1, of: parts, bits: bits, hash: { probeHashes[$0] }, key: probe)
        }
        let groups = grouped[0]
        return (groups.firstOccurrences(split: true), groups.match(parts: Array(grouped.dropFirst()), count: probes))
    }
}

/// For each probe of ``KeyGroups/match(parts:count:)``, the id of the first equal key, or nil
/// when no key equals it.
struct KeyMatches: RandomAccessCollection, Sendable {
    /// What ``ids`` holds for a probe that matched no key (key ids are never negative): four
    /// bytes a probe, not the eight of an `Int32?`, for a million titles.
    private static let none: Int32 = -1
    /// The id matched by each probe, or ``none``.
    private let ids: [Int32]

    /// Every one of `count` probes unmatched, then `fill` assigns the ids of those that match
    /// (from any thread, each probe's slot at most once).
    init(count: Int, fill: (Slots<Int32>) -> Void) {
        var ids = [Int32](repeating: Self.none, count: count)
        UnsafeBytes.update(&ids, fill)
        self.ids = ids
    }

    /// The first probe.
    var startIndex: Int { 0 }
    /// One past the last probe.
    var endIndex: Int { ids.count }

    /// The id of the key probe `i` matched, or nil.
    @inline(__always)
    subscript(i: Int) -> Int? {
        let id = ids[i]
        return id == Self.none ? nil : Int(id)
    }
}
