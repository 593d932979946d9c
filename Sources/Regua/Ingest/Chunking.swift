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
        precondition(from >= 0 && from <= to && to <= b.count, "no such range")
        var count = 0
        var p = from
        let lineFeed = SIMD16<UInt8>(repeating: 10)
        let one = SIMD16<UInt8>(repeating: 1)
        let zero = SIMD16<UInt8>()
        while p + 16 <= to {
            var lanes = SIMD16<UInt8>()
            var vectors = 0
            while vectors < 255, p + 16 <= to {
                let v = UnsafeBytes.vector16(b, p)
                lanes &+= zero.replacing(with: one, where: v .== lineFeed)
                p += 16
                vectors += 1
            }
            for i in 0..<16 { count += Int(lanes[i]) }
        }
        while p < to {
            if b[p] == 10 { count += 1 }
            p += 1
        }
        return count
    }

    /// Reads every row of a table, in pieces on every core when the file is large.
    static func read<P: RowParser>(
        _ table: CSVTable, file: String, pieceBytes: Int = pieceBytes, parser: @escaping @Sendable () -> P
    ) -> RowChunk<P.Item> {
        let reading = PieceReading(table, file: file, pieceBytes: pieceBytes, parser: parser)
        let lineFeeds = Parallel.map(reading.pieces) { reading.lineFeeds(piece: $0) }
        return reading.withArrays(lineFeeds: lineFeeds) { join in
            Parallel.each(reading.pieces) { join.read(piece: $0) }
        }
    }

    /// Reads every row of two tables, the pieces of both shared by the cores (the first table's
    /// first).
    static func read<P: RowParser, Q: RowParser>(
        _ first: CSVTable, file firstFile: String, parser firstParser: @escaping @Sendable () -> P,
        _ second: CSVTable, file secondFile: String, parser secondParser: @escaping @Sendable () -> Q,
        pieceBytes: Int = pieceBytes
    ) -> (RowChunk<P.Item>, RowChunk<Q.Item>) {
        let a = PieceReading(first, file: firstFile, pieceBytes: pieceBytes, parser: firstParser)
        let b = PieceReading(second, file: secondFile, pieceBytes: pieceBytes, parser: secondParser)
        let lineFeeds = Parallel.map(a.pieces + b.pieces) {
            $0 < a.pieces ? a.lineFeeds(piece: $0) : b.lineFeeds(piece: $0 - a.pieces)
        }
        var rowsB: RowChunk<Q.Item>?
        let rowsA = a.withArrays(lineFeeds: Array(lineFeeds[..<a.pieces])) { joinA in
            rowsB = b.withArrays(lineFeeds: Array(lineFeeds[a.pieces...])) { joinB in
                Parallel.each(a.pieces + b.pieces) {
                    $0 < a.pieces ? joinA.read(piece: $0) : joinB.read(piece: $0 - a.pieces)
                }
            }
        }
        return (rowsA, rowsB!)
    }
}

/// One file read in pieces: where they start, and (``withArrays(lineFeeds:_:)``) their room in
/// the final arrays. Shared by the threads that read the pieces, so it holds only constants.
private struct PieceReading<P: RowParser>: Sendable {
    /// The header and the file's bytes.
    let table: CSVTable.Shared
    let file: String
    let parser: @Sendable () -> P
    /// Where each piece's records start (``Chunking/cuts(_:dataStart:pieceBytes:)``).
    let cuts: [Int]

    var pieces: Int { cuts.count }

    init(_ table: CSVTable, file: String, pieceBytes: Int, parser: @escaping @Sendable () -> P) {
        self.table = table.shared
        self.file = file
        self.parser = parser
        cuts = Chunking.cuts(table.buffer, dataStart: table.position, pieceBytes: pieceBytes)
    }

    /// Offset one past piece `k`'s record starts.
    func end(_ k: Int) -> Int { k + 1 < cuts.count ? cuts[k + 1] : table.bytes.buffer.count }

    /// Piece `k`'s LF bytes.
    func lineFeeds(piece k: Int) -> Int {
        Chunking.lineFeeds(in: table.bytes.buffer, from: cuts[k], to: end(k))
    }

    /// Allocates the final arrays from the pieces' LF counts, runs `body` (which reads every
    /// piece through the ``PieceJoin`` it is given) and returns what the joined pieces wrote.
    func withArrays(lineFeeds: [Int], _ body: (PieceJoin<P>) -> Void) -> RowChunk<P.Item> {
        // The line at each cut, and each piece's first slot in the arrays (its line starts bound
        // its records); the last slot bound is the arrays' capacity.
        var lines = [table.positionLine]
        var slots = [0]
        for k in 0..<cuts.count {
            lines.append(lines[k] + lineFeeds[k])
            // Line starts in the piece: at most one after each LF, plus its first.
            slots.append(slots[k] + lineFeeds[k] + 1)
        }
        let capacity = slots[cuts.count]
        var all: ChunkWriter<P.Item>!
        let (itemArray, linkArray, sightingArray) = UnsafeBytes.arrays(
            capacities: (capacity, P.hasLink ? capacity : 0, capacity)
        ) { (items: Slots<P.Item>, links: Slots<Int>, sightings: Slots<Sighting>) in
            let join = PieceJoin(
                self, lines: lines, slots: slots, items: items, links: P.hasLink ? links : nil, sightings: sightings)
            body(join)
            all = join.finish()
            precondition(!all.deferring || all.keysIncreasing, "sightings left unwritten")
            return (all.itemCount, P.hasLink ? all.itemCount : 0, all.sightingCount)
        }
        return RowChunk(
            items: itemArray, linkHashes: linkArray, rejects: all.rejects, sightings: sightingArray,
            keysIncreasing: all.keysIncreasing, allASCII: all.allASCII)
    }
}

/// The pieces of one file being read into the final arrays and joined in file order as soon
/// as the pieces before them are, by whichever thread finished last.
private final class PieceJoin<P: RowParser>: Sendable {
    private let reading: PieceReading<P>
    /// The line at each cut, and each piece's first slot in the arrays.
    private let lines: [Int]
    private let slots: [Int]
    private let items: Slots<P.Item>
    private let links: Slots<Int>?
    private let sightings: Slots<Sighting>
    private let state: Locked<JoinState>

    /// The join: pieces read and not yet joined, the next to join, whether a thread is joining
    /// (that thread has taken `joined` out meanwhile), and the pieces before `nextToJoin`, joined.
    /// A piece to join, and the pieces before it joined.
    private typealias Taken = (index: Int, piece: ChunkWriter<P.Item>, before: ChunkWriter<P.Item>?)

    private struct JoinState: Sendable {
        var waiting: [ChunkWriter<P.Item>?]
        var nextToJoin = 0
        var joining = false
        var joined: ChunkWriter<P.Item>?

        /// The next piece to join, with the pieces before it joined (taken out, so that the
        /// joining thread alone holds them); nil, and nobody joining, when it is not read yet.
        mutating func takeNext() -> Taken? {
            guard nextToJoin < waiting.count, let piece = waiting[nextToJoin] else {
                joining = false
                return nil
            }
            waiting[nextToJoin] = nil
            nextToJoin += 1
            let before = joined
            joined = nil  // the joining thread alone holds the rejects, so appending copies nothing
            return (nextToJoin - 1, piece, before)
        }
    }

    init(
        _ reading: PieceReading<P>, lines: [Int], slots: [Int], items: Slots<P.Item>, links: Slots<Int>?,
        sightings: Slots<Sighting>
    ) {
        self.reading = reading
        self.lines = lines
        self.slots = slots
        self.items = items
        self.links = links
        self.sightings = sightings
        state = Locked(JoinState(waiting: Array(repeating: nil, count: reading.pieces)))
    }

    /// Reads piece `k` into its region of the arrays, then joins what can be joined.
    func read(piece k: Int) {
        let slot = slots[k]
        var w = ChunkWriter<P.Item>(
            items: items.dropFirst(slot), links: links?.dropFirst(slot), sightings: sightings.dropFirst(slot),
            capacity: slots[k + 1] - slot, deferring: !P.needsSightingsWhenSorted)
        w.prefault()
        var t = reading.table.rows(from: reading.cuts[k], stop: reading.end(k), line: lines[k])
        var p = reading.parser()
        w.read(&t, &p, file: reading.file)
        let piece = w
        var next: Taken? = state.withLock { s in
            s.waiting[k] = piece
            // The joining thread will take this piece in its turn.
            if s.joining { return nil }
            s.joining = true
            return s.takeNext()
        }
        while let taken = next.take() {
            let all = join(taken.index, taken.piece, behind: taken.before)
            next = state.withLock { s in
                s.joined = all
                return s.takeNext()
            }
        }
    }

    /// The pieces joined, once every piece is read.
    func finish() -> ChunkWriter<P.Item> {
        state.withLock { s in
            precondition(s.nextToJoin == s.waiting.count && !s.joining, "pieces left unjoined")
            return s.joined!
        }
    }

    /// Piece `j` joined behind the pieces before it.
    private func join(
        _ j: Int, _ piece: consuming ChunkWriter<P.Item>, behind before: consuming ChunkWriter<P.Item>?
    ) -> ChunkWriter<P.Item> {
        guard var all = before else { return piece }
        if all.endOffset == reading.cuts[j] {
            all.append(piece, P.self)
        } else {
            // A record of the pieces before ran across the cut (a quoted cell holding line ends):
            // this piece's reader started inside it. Its region is the joined reader's to go on.
            piece.discard()
            all.widen(to: slots[j + 1])
            if all.endOffset < reading.end(j) {
                var t = reading.table.rows(from: all.endOffset, stop: reading.end(j), line: all.endLine)
                var p = reading.parser()
                all.read(&t, &p, file: reading.file)
            }
        }
        return all
    }
}
