/// The mask penalty (N1–N4) on rows and columns held as 128-bit words, for symbols up to
/// version 25 (120 modules and the four light modules on either side fit one word): every PIX
/// BR Code. The module-by-module ``QRMatrix/penalty()`` is its plain twin (and scores larger
/// symbols); `QRCodeTests` holds the two equal on random matrices.
extension QRMatrix {
    /// Whether ``bitPenalty()`` can score this size.
    var fitsBitPenalty: Bool { size + 8 <= 128 }

    /// The same score as ``penalty()``.
    func bitPenalty() -> Int {
        var rows = [UInt128](repeating: 0, count: size)
        var cols = [UInt128](repeating: 0, count: size)
        for y in 0..<size {
            for x in 0..<size where modules[y * size + x] != 0 {
                rows[y] |= 1 << UInt128(x + 4)
                cols[x] |= 1 << UInt128(y + 4)
            }
        }
        var score = 0
        var dark = 0
        for i in 0..<size {
            score += linePenalty(rows[i]) + linePenalty(cols[i])
            dark += rows[i].nonzeroBitCount
        }
        // N2: a 2 × 2 block where both rows agree at i and i + 1 and the upper row's i equals i + 1.
        let pairs: UInt128 = (1 << UInt128(size - 1)) - 1
        for y in 0..<(size - 1) {
            let a = rows[y] >> 4, b = rows[y + 1] >> 4
            let vertical = ~(a ^ b)
            let horizontal = ~(a ^ (a >> 1))
            score += 3 * (vertical & (vertical >> 1) & horizontal & pairs).nonzeroBitCount
        }
        let total = size * size
        return score + 10 * (abs(dark * 20 - total * 10) / total)
    }

    /// N1 and N3 of one padded line (bit 4 + i is module i; four light bits either side).
    private func linePenalty(_ line: UInt128) -> Int {
        var score = 0
        // N1: runs between the points where a module differs from the next.
        let modulesOnly = line >> 4
        var changes = (modulesOnly ^ (modulesOnly >> 1)) & ((1 << UInt128(size - 1)) - 1)
        var start = 0
        while changes != 0 {
            let i = changes.trailingZeroBitCount
            let run = i - start + 1
            if run >= 5 { score += run - 2 }
            start = i + 1
            changes &= changes - 1
        }
        if size - start >= 5 { score += size - start - 2 }
        // N3: 1011101 with 0000 after it, or before it, at every start position at once.
        let starts: UInt128 = (1 << UInt128(size + 8 - 10)) - 1
        var after = starts, before = starts
        for (k, bit) in Self.finderWithLightAfter.enumerated() {
            let shifted = line >> UInt128(k)
            after &= bit ? shifted : ~shifted
        }
        for (k, bit) in Self.finderWithLightBefore.enumerated() {
            let shifted = line >> UInt128(k)
            before &= bit ? shifted : ~shifted
        }
        return score + 40 * (after.nonzeroBitCount + before.nonzeroBitCount)
    }

    private static let finderWithLightAfter = [true, false, true, true, true, false, true, false, false, false, false]
    private static let finderWithLightBefore = [false, false, false, false, true, false, true, true, true, false, true]
}
