/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, seedable generator, so that the same
/// seed gives the same data on every machine (no system randomness).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n` (n > 0); the modulo bias is negligible for the small n used here.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// A number in the closed range.
    mutating func within(_ r: ClosedRange<Int>) -> Int { r.lowerBound + below(r.count) }

    /// True with probability `perMille / 1000`.
    mutating func chance(_ perMille: Int) -> Bool { below(1000) < perMille }

    /// A random element.
    mutating func pick<T>(_ list: [T]) -> T { list[below(list.count)] }
}
