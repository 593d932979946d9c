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
        guard let base = b.baseAddress else { return 1 }
        var count = 0
        var p = 0
        let ones: UInt64 = 0x0101_0101_0101_0101
        while p + 8 <= offset {
            let x = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self) ^ (ones &* 10)
            // High bit set exactly in the bytes of x that are zero, i.e. the LFs.
            let nonzero = ((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x
            count += (~nonzero & 0x8080_8080_8080_8080).nonzeroBitCount
            p += 8
        }
        while p < offset {
            if base[p] == 10 { count += 1 }
            p += 1
        }
        return count + 1
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
    static func read<P: RowParser>(
        _ table: CSVTable, file: String, bytesPerRow: Int,
        minimumSplitBytes: Int = minimumSplitBytes, parser: () -> P
    ) -> RowChunk<P.Item> {
        let b = table.buffer
        let start = table.position
        let startLine = table.positionLine
        let rows = (b.count - start) / bytesPerRow + 16
        guard let middle = split(b, dataStart: start, minimum: minimumSplitBytes) else {
            var t = table
            var p = parser()
            var chunk = RowChunk<P.Item>(expectedRows: rows, reserveItems: rows)
            chunk.read(&t, &p, file: file)
            return chunk
        }
        var (first, second): (RowChunk<P.Item>, RowChunk<P.Item>) = both(
            {
                var t = table.rows(from: start, stop: middle, line: startLine)
                var p = parser()
                var chunk = RowChunk<P.Item>(expectedRows: rows / 2, reserveItems: rows)
                chunk.read(&t, &p, file: file)
                return chunk
            },
            {
                var t = table.rows(from: middle, stop: b.count, line: line(at: middle, in: b))
                var p = parser()
                var chunk = RowChunk<P.Item>(expectedRows: rows / 2, reserveItems: rows / 2 + 16)
                chunk.read(&t, &p, file: file)
                return chunk
            })
        if first.endOffset == middle {
            first.append(second)
        } else {
            // A quoted cell ran across the middle: the second chunk started inside a row.
            second = RowChunk(expectedRows: 0, reserveItems: 0)  // free it before reading on
            var t = table.rows(from: first.endOffset, stop: b.count, line: first.endLine)
            var p = parser()
            first.read(&t, &p, file: file)
        }
        return first
    }
}

/// Two result slots written by two threads, each by one only.
private final class Pair<A, B>: @unchecked Sendable {
    var a: A?
    var b: B?
}
