import Dispatch

/// Splitting a CSV file in two so that both cores read it, with a result identical to one pass.
///
/// The second chunk starts at a line start near the middle. The first chunk's reader must stop
/// exactly there (no record running across it); otherwise the second chunk's work is thrown
/// away and the first chunk simply reads on.
enum Chunking {
    /// Below this many bytes of rows a file is read in one pass.
    static let minimumSplitBytes = 4 << 20

    /// The line start nearest after the middle of the rows, or nil when not worth splitting.
    static func split(_ b: UnsafeBufferPointer<UInt8>, dataStart: Int, minimum: Int = minimumSplitBytes) -> Int? {
        guard b.count - dataStart >= max(minimum, 2) else { return nil }
        var p = dataStart + (b.count - dataStart) / 2
        while p < b.count, b[p] != 10 { p += 1 }
        return p + 1 < b.count ? p + 1 : nil
    }

    /// The 1-based line at `offset`: one more than the LF bytes before it (as the reader counts,
    /// LFs inside quoted cells included).
    static func line(at offset: Int, in b: UnsafeBufferPointer<UInt8>) -> Int {
        lineFeeds(in: b, from: 0, to: offset) + 1
    }

    /// The LF bytes in `b[from..<to]`, eight at a time.
    static func lineFeeds(in b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        guard let base = b.baseAddress else { return 0 }
        var count = 0
        var p = from
        let ones: UInt64 = 0x0101_0101_0101_0101
        while p + 8 <= to {
            let x = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self) ^ (ones &* 10)
            // High bit set exactly in the bytes of x that are zero, i.e. the LFs.
            let nonzero = ((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x
            count += (~nonzero & 0x8080_8080_8080_8080).nonzeroBitCount
            p += 8
        }
        while p < to {
            if base[p] == 10 { count += 1 }
            p += 1
        }
        return count
    }

    /// Runs two pieces of work at once and returns both results.
    static func both<A, B>(_ a: () -> A, _ b: () -> B) -> (A, B) {
        let slots = Pair<A, B>()
        withoutActuallyEscaping(a) { a in
            withoutActuallyEscaping(b) { b in
                DispatchQueue.concurrentPerform(iterations: 2) { i in
                    if i == 0 { slots.a = a() } else { slots.b = b() }
                }
            }
        }
        return (slots.a!, slots.b!)
    }

    /// Reads every row of a table, in two chunks on two threads when the file is large.
    ///
    /// A record starts on a line of its own, so the line starts of each chunk bound its
    /// records: the final arrays are allocated once at that size, the first chunk fills them
    /// from the front and the second from behind the first chunk's bound, and joining them
    /// moves the second chunk's part down (nothing when every line was a record).
    static func read<P: RowParser>(
        _ table: CSVTable, file: String, minimumSplitBytes: Int = minimumSplitBytes, parser: () -> P
    ) -> RowChunk<P.Item> {
        let b = table.buffer
        let start = table.position
        let startLine = table.positionLine
        let middle = split(b, dataStart: start, minimum: minimumSplitBytes)
        let (firstStarts, secondStarts): (Int, Int)
        if let middle {
            (firstStarts, secondStarts) = both(
                { lineFeeds(in: b, from: start, to: middle) + 1 }, { lineFeeds(in: b, from: middle, to: b.count) + 1 })
        } else {
            (firstStarts, secondStarts) = (lineFeeds(in: b, from: start, to: b.count) + 1, 0)
        }
        let capacity = firstStarts + secondStarts
        var items: [P.Item] = []
        var links: [Int] = []
        var rejects: [Reject] = []
        var increasing = false
        var ascii = false
        let sightings = [Sighting](unsafeUninitializedCapacity: capacity) { sightingBuffer, sightingCount in
            items = [P.Item](unsafeUninitializedCapacity: capacity) { itemBuffer, itemCount in
                links = [Int](unsafeUninitializedCapacity: P.hasLink ? capacity : 0) { linkBuffer, linkCount in
                    let front = ChunkWriter<P.Item>(
                        items: itemBuffer.baseAddress!, links: P.hasLink ? linkBuffer.baseAddress! : nil,
                        sightings: sightingBuffer.baseAddress!, capacity: firstStarts,
                        deferring: !P.needsSightingsWhenSorted)
                    var all: ChunkWriter<P.Item>
                    if let middle {
                        var (first, second) = both(
                            {
                                var t = table.rows(from: start, stop: middle, line: startLine)
                                var p = parser()
                                var w = front
                                w.prefault()
                                w.read(&t, &p, file: file)
                                return w
                            },
                            {
                                var t = table.rows(from: middle, stop: b.count, line: startLine + firstStarts - 1)
                                var p = parser()
                                var w = ChunkWriter<P.Item>(
                                    items: itemBuffer.baseAddress! + firstStarts,
                                    links: P.hasLink ? linkBuffer.baseAddress! + firstStarts : nil,
                                    sightings: sightingBuffer.baseAddress! + firstStarts, capacity: secondStarts,
                                    deferring: !P.needsSightingsWhenSorted)
                                w.prefault()
                                w.read(&t, &p, file: file)
                                return w
                            })
                        if first.endOffset == middle {
                            first.append(second, P.self)
                        } else {
                            // A quoted cell ran across the middle: the second chunk started inside a row.
                            second.discard()
                            first.widen(to: capacity)
                            var t = table.rows(from: first.endOffset, stop: b.count, line: first.endLine)
                            var p = parser()
                            first.read(&t, &p, file: file)
                        }
                        all = first
                    } else {
                        var t = table
                        var p = parser()
                        all = front
                        all.prefault()
                        all.read(&t, &p, file: file)
                    }
                    precondition(!all.deferring || all.keysIncreasing, "sightings left unwritten")
                    linkCount = P.hasLink ? all.itemCount : 0
                    itemCount = all.itemCount
                    sightingCount = all.sightingCount
                    rejects = all.rejects
                    increasing = all.keysIncreasing
                    ascii = all.allASCII
                }
            }
        }
        return RowChunk(
            items: items, linkHashes: links, rejects: rejects, sightings: sightings, keysIncreasing: increasing,
            allASCII: ascii)
    }
}

/// Two result slots written by two threads, each by one only.
private final class Pair<A, B>: @unchecked Sendable {
    var a: A?
    var b: B?
}
