/// Byte tests on eight bytes at once (little-endian loads: byte 0 is the lowest).
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080
    static let commas = ones &* 44
    static let lineFeeds = ones &* 10
    static let quotes = ones &* 34

    /// High bit set in each byte of `w` equal to the byte repeated in `pattern`. Exact for the
    /// lowest such byte (a borrow can only mark bytes above a true match), which is all the
    /// callers use: `trailingZeroBitCount >> 3` is the index of the first match.
    @inline(__always)
    static func equalMask(_ w: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = w ^ pattern
        return (x &- ones) & ~x & highBits
    }

    /// High bit set in every byte of `w` that is a comma, an LF or a quote (exact for every
    /// byte, not only the lowest: the sums cannot carry from one byte into the next).
    @inline(__always)
    static func stopMask(_ w: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        // High bit set in each byte of x that is not zero.
        @inline(__always) func nonzero(_ x: UInt64) -> UInt64 { ((x & low7) &+ low7) | x }
        return ~(nonzero(w ^ commas) & nonzero(w ^ lineFeeds) & nonzero(w ^ quotes)) & highBits
    }

    /// High bit set in the bytes of `w` below `n` (n ≤ 128); nonzero exactly when one is.
    @inline(__always)
    static func lessMask(_ w: UInt64, _ n: UInt8) -> UInt64 {
        (w &- ones &* UInt64(n)) & ~w & highBits
    }

    /// The offset of the first eight-byte word of `b` in which `suspect` marks a byte (or of
    /// the tail shorter than a word): the bytes before it need no closer look.
    @inline(__always)
    static func cleanWords(_ b: CellBytes, _ suspect: (UInt64) -> UInt64) -> Int {
        var i = 0
        while i + 8 <= b.count, suspect(UnsafeBytes.word(b, i)) == 0 { i += 8 }
        return i
    }

    /// A mask of the lowest `k` bytes (0 ≤ k < 8).
    @inline(__always)
    static func lowBytes(_ k: Int) -> UInt64 {
        (1 << UInt64(k &* 8)) &- 1
    }
}
