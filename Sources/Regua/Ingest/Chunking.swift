import Dispatch
import Foundation

/// Reading CSV files in pieces on every core, with a result identical to one pass.
///
/// A file's rows are cut at line starts into pieces of about ``pieceBytes``. The pieces of the
/// files read together go to the cores in file order, each core taking the next piece as soon as
/// it is free, so that no core waits while another still has a long share (the hashing thread,
/// the rest of the machine and the rows themselves make equal shares end at different times).
/// Each piece writes into its own region of the file's final arrays, sized by its line starts;
/// a file's pieces are joined in file order as soon as the pieces before them are, by whichever
/// core finished last, moving each piece's part down behind the part before it.
///
/// A piece's reader starts at a line start, which is a record start unless a quoted cell of the
/// pieces before holds line ends across the cut: then the joined reader did not stop exactly at
/// the cut, the piece's work is thrown away, and the joined reader simply reads on.
enum Chunking {
    /// Bytes of rows in a piece (about 2 MiB: a few milliseconds of reading, so the cores end
    /// within one piece of each other); a file with fewer is read in one piece.
    static let pieceBytes = 2 << 20
    /// Most pieces a file is cut into.
    static let maxPieces = 256

    /// Line starts cutting the rows `b[dataStart...]` into pieces of about `size` bytes: the
    /// first is `dataStart`; each next one is the line start after the next multiple of the
    /// piece size. Piece `k` holds the records that start in `cuts[k]..<cuts[k + 1]` (the last
    /// one up to the end).
    static func cuts(_ b: UnsafeBufferPointer<UInt8>, dataStart: Int, pieceBytes size: Int) -> [Int] {
        let rows = b.count - dataStart
        let count = min(maxPieces, max(1, rows / max(size, 1)))
        var cuts = [dataStart]
        for k in 1..<count {
            var p = dataStart + rows / count * k
            while p < b.count, b[p] != 10 { p += 1 }
            p += 1
            if p < b.count, p > cuts[cuts.count - 1] { cuts.append(p) }
        }
        return cuts
    }

    /// The 1-based line at `offset`: one more than the LF bytes before it (as the reader counts,
    /// LFs inside quoted cells included).
    static func line(at offset: Int, in b: UnsafeBufferPointer<UInt8>) -> Int {
        lineFeeds(in: b, from: 0, to: offset) + 1
    }

    /// The LF bytes in `b[from..<to]`, sixteen at a time: each lane of a byte vector counts
    /// the LFs it saw, for at most 255 vectors before the lanes are added up (every byte of
    /// both files is counted once, to size the arrays before they are read).
    static func lineFeeds(in b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        guard let base = b.baseAddress else { return 0 }
        var count = 0
        var p = from
        let lineFeed = SIMD16<UInt8>(repeating: 10)
        let one = SIMD16<UInt8>(repeating: 1)
        while p + 16 <= to {
            var lanes = SIMD16<UInt8>()
            var vectors = 0
            while vectors < 255, p + 16 <= to {
                let v = UnsafeRawPointer(base + p).loadUnaligned(as: SIMD16<UInt8>.self)
                // A true lane of the mask is all ones: keep its lowest bit.
                lanes &+= SIMD16<UInt8>(truncatingIfNeeded: unsafeBitCast(v .== lineFeed, to: SIMD16<Int8>.self)) & one
                p += 16
                vectors += 1
            }
            for i in 0..<16 { count += Int(lanes[i]) }
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

    /// Runs `work` for `0..<count` on every core, each core taking the next index as it is free.
    static func each(_ count: Int, _ work: (Int) -> Void) {
        if count == 1 {
            work(0)
        } else if count > 1 {
            DispatchQueue.concurrentPerform(iterations: count, execute: work)
        }
    }

    /// ``each(_:_:)`` returning the results in index order.
    static func map<T>(_ count: Int, _ work: (Int) -> T) -> [T] {
        let slots = UnsafeMutablePointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
        defer {
            slots.deinitialize(count: count)
            slots.deallocate()
        }
        each(count) { slots[$0] = work($0) }
        return (0..<count).map { slots[$0]! }
    }

    /// Reads every row of a table, in pieces on every core when the file is large.
    static func read<P: RowParser>(
        _ table: CSVTable, file: String, pieceBytes: Int = pieceBytes, parser: @escaping () -> P
    ) -> RowChunk<P.Item> {
        let reading = PieceReading(table, file: file, pieceBytes: pieceBytes, parser: parser)
        each(reading.pieces) { reading.count(piece: $0) }
        return reading.withArrays { each(reading.pieces) { reading.read(piece: $0) } }
    }

    /// Reads every row of two tables, the pieces of both shared by the cores (the first table's
    /// first).
    static func read<P: RowParser, Q: RowParser>(
        _ first: CSVTable, file firstFile: String, parser firstParser: @escaping () -> P,
        _ second: CSVTable, file secondFile: String, parser secondParser: @escaping () -> Q,
        pieceBytes: Int = pieceBytes
    ) -> (RowChunk<P.Item>, RowChunk<Q.Item>) {
        let a = PieceReading(first, file: firstFile, pieceBytes: pieceBytes, parser: firstParser)
        let b = PieceReading(second, file: secondFile, pieceBytes: pieceBytes, parser: secondParser)
        each(a.pieces + b.pieces) { $0 < a.pieces ? a.count(piece: $0) : b.count(piece: $0 - a.pieces) }
        var rowsB: RowChunk<Q.Item>?
        let rowsA = a.withArrays {
            rowsB = b.withArrays {
                each(a.pieces + b.pieces) { $0 < a.pieces ? a.read(piece: $0) : b.read(piece: $0 - a.pieces) }
            }
        }
        return (rowsA, rowsB!)
    }
}

/// One file read in pieces: where they start, their room in the final arrays, and the join.
private final class PieceReading<P: RowParser>: @unchecked Sendable {
    private let table: CSVTable
    private let file: String
    private let parser: () -> P
    /// Where each piece's records start (``Chunking/cuts(_:dataStart:pieceBytes:)``).
    private let cuts: [Int]
    /// LF bytes in each piece, counted by the pieces' threads (each writes its own).
    private let lineFeeds: UnsafeMutableBufferPointer<Int>
    /// The line at each cut, and each piece's first slot in the arrays (its line starts bound its
    /// records); the last slot bound is the arrays' capacity.
    private var lines: [Int] = []
    private var slots: [Int] = []
    private var items: UnsafeMutablePointer<P.Item>?
    private var links: UnsafeMutablePointer<Int>?
    private var sightings: UnsafeMutablePointer<Sighting>?

    /// The join, under `lock`: pieces read and not yet joined, the next to join, and whether a
    /// thread is joining (only that thread touches `joined`).
    private let lock = NSLock()
    private var waiting: [ChunkWriter<P.Item>?]
    private var nextToJoin = 0
    private var joining = false
    /// The pieces before `nextToJoin`, joined.
    private var joined: ChunkWriter<P.Item>?

    var pieces: Int { cuts.count }

    init(_ table: CSVTable, file: String, pieceBytes: Int, parser: @escaping () -> P) {
        self.table = table
        self.file = file
        self.parser = parser
        cuts = Chunking.cuts(table.buffer, dataStart: table.position, pieceBytes: pieceBytes)
        lineFeeds = .allocate(capacity: cuts.count)
        lineFeeds.initialize(repeating: 0)
        waiting = Array(repeating: nil, count: cuts.count)
    }

    deinit { lineFeeds.deallocate() }

    /// Offset one past piece `k`'s record starts.
    private func end(_ k: Int) -> Int { k + 1 < cuts.count ? cuts[k + 1] : table.buffer.count }

    /// Counts piece `k`'s LF bytes.
    func count(piece k: Int) {
        lineFeeds[k] = Chunking.lineFeeds(in: table.buffer, from: cuts[k], to: end(k))
    }

    /// Allocates the final arrays from the counts, runs `body` (which reads every piece) and
    /// returns what the joined pieces wrote.
    func withArrays(_ body: () -> Void) -> RowChunk<P.Item> {
        lines = [table.positionLine]
        slots = [0]
        for k in 0..<cuts.count {
            lines.append(lines[k] + lineFeeds[k])
            // Line starts in the piece: at most one after each LF, plus its first.
            slots.append(slots[k] + lineFeeds[k] + 1)
        }
        let capacity = slots[cuts.count]
        var itemArray: [P.Item] = []
        var linkArray: [Int] = []
        var all: ChunkWriter<P.Item>!
        let sightingArray = [Sighting](unsafeUninitializedCapacity: capacity) { sightingBuffer, sightingCount in
            itemArray = [P.Item](unsafeUninitializedCapacity: capacity) { itemBuffer, itemCount in
                linkArray = [Int](unsafeUninitializedCapacity: P.hasLink ? capacity : 0) { linkBuffer, linkCount in
                    items = itemBuffer.baseAddress!
                    links = P.hasLink ? linkBuffer.baseAddress! : nil
                    sightings = sightingBuffer.baseAddress!
                    body()
                    precondition(nextToJoin == cuts.count && !joining, "pieces left unjoined")
                    all = joined!
                    precondition(!all.deferring || all.keysIncreasing, "sightings left unwritten")
                    linkCount = P.hasLink ? all.itemCount : 0
                    itemCount = all.itemCount
                    sightingCount = all.sightingCount
                }
            }
        }
        return RowChunk(
            items: itemArray, linkHashes: linkArray, rejects: all.rejects, sightings: sightingArray,
            keysIncreasing: all.keysIncreasing, allASCII: all.allASCII)
    }

    /// Reads piece `k` into its region of the arrays, then joins what can be joined.
    func read(piece k: Int) {
        let slot = slots[k]
        var w = ChunkWriter<P.Item>(
            items: items! + slot, links: links.map { $0 + slot }, sightings: sightings! + slot,
            capacity: slots[k + 1] - slot, deferring: !P.needsSightingsWhenSorted)
        w.prefault()
        var t = table.rows(from: cuts[k], stop: end(k), line: lines[k])
        var p = parser()
        w.read(&t, &p, file: file)
        lock.lock()
        waiting[k] = w
        if joining {
            // The joining thread will take this piece in its turn.
            lock.unlock()
            return
        }
        joining = true
        while nextToJoin < cuts.count, let next = waiting[nextToJoin] {
            waiting[nextToJoin] = nil
            let j = nextToJoin
            nextToJoin += 1
            lock.unlock()
            join(j, next)
            lock.lock()
        }
        joining = false
        lock.unlock()
    }

    /// Joins piece `j` behind the pieces before it.
    private func join(_ j: Int, _ piece: ChunkWriter<P.Item>) {
        guard var all = joined else {
            joined = piece
            return
        }
        joined = nil  // `all` alone holds the rejects, so appending to them copies nothing
        if all.endOffset == cuts[j] {
            all.append(piece, P.self)
        } else {
            // A record of the pieces before ran across the cut (a quoted cell holding line ends):
            // this piece's reader started inside it. Its region is the joined reader's to go on.
            piece.discard()
            all.widen(to: slots[j + 1])
            if all.endOffset < end(j) {
                var t = table.rows(from: all.endOffset, stop: end(j), line: all.endLine)
                var p = parser()
                all.read(&t, &p, file: file)
            }
        }
        joined = all
    }
}

/// Two result slots written by two threads, each by one only.
private final class Pair<A, B>: @unchecked Sendable {
    var a: A?
    var b: B?
}
