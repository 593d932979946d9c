/// The mask penalty (N1–N4) on rows and columns held as words, for symbols up to version 25
/// (120 modules and the four light modules on either side fit 128 bits): every PIX BR Code.
/// Symbols up to version 9 (53 modules) are scored on 64-bit words, which take half the
/// instructions; the code is one generic over the word. The module-by-module ``QRMatrix/penalty()`` is its plain twin (and scores larger
/// symbols); `QRCodeTests` holds the two equal on random matrices, and holds
/// ``QRMatrix/bestMaskByBits()`` to the mask the plain score picks.
extension QRMatrix {
    /// Whether ``bitPenalty()`` can score this size.
    var fitsBitPenalty: Bool { size + 8 <= 128 }

    /// The same score as ``penalty()``.
    func bitPenalty() -> Int {
        let (rows, cols) = paddedLines()
        return Self.bitScore(rows: rows, cols: cols, size: size)
    }

    /// Each row and each column as a word: bit 4 + i is module i, four light bits either side.
    ///
    /// Every module is shifted in, dark or light, from the last one back (rows from their right
    /// end, columns from the bottom row up): the colours of the data are random, so a test per
    /// module would be mispredicted half the time.
    func paddedLines<W: FixedWidthInteger & UnsignedInteger>(
        as _: W.Type = UInt128.self
    ) -> (rows: [W], cols: [W]) {
        var rows = [W](repeating: 0, count: size)
        var cols = [W](repeating: 0, count: size)
        for y in stride(from: size - 1, through: 0, by: -1) {
            var row: W = 0
            for x in stride(from: size - 1, through: 0, by: -1) {
                let dark: W = modules[y * size + x] != 0 ? 1 : 0
                row = row << 1 | dark
                cols[x] = cols[x] << 1 | dark
            }
            rows[y] = row << 4
        }
        for x in 0..<size { cols[x] <<= 4 }
        return (rows, cols)
    }

    /// Whether the lines of this size fit 64-bit words.
    var fitsNarrowWords: Bool { size + 8 <= 64 }

    /// The mask ``bestMask()`` picks, scored on words: the rows and columns of the unmasked
    /// symbol are made once, and each mask's are those XOR the mask's own lines
    /// (``MaskLines``), which also carry the change of format information from mask 0's.
    /// Only for a matrix as ``QRCode`` builds it: function patterns drawn with mask 0's format
    /// bits, data placed, no mask applied.
    func bestMaskByBits() -> Int {
        let lines = MaskLines.all[version - 1]
        return fitsNarrowWords
            ? bestMask(xor: (lines.narrowRows, lines.narrowCols)) : bestMask(xor: (lines.rows, lines.cols))
    }

    private func bestMask<W: FixedWidthInteger & UnsignedInteger>(xor lines: (rows: [[W]], cols: [[W]])) -> Int {
        let (rows, cols) = paddedLines(as: W.self)
        var maskedRows = rows, maskedCols = cols
        var best = 0, bestScore = Int.max
        for m in 0..<8 {
            let xorRows = lines.rows[m], xorCols = lines.cols[m]
            for i in 0..<size {
                maskedRows[i] = rows[i] ^ xorRows[i]
                maskedCols[i] = cols[i] ^ xorCols[i]
            }
            let score = Self.bitScore(rows: maskedRows, cols: maskedCols, size: size)
            if score < bestScore { (best, bestScore) = (m, score) }
        }
        return best
    }

    /// N1–N4 of the padded rows and columns of a `size × size` symbol.
    static func bitScore<W: FixedWidthInteger & UnsignedInteger>(rows: [W], cols: [W], size: Int) -> Int {
        var score = 0
        var dark = 0
        let masks = LineMasks<W>(size: size)
        for i in 0..<size {
            score += bitLinePenalty(rows[i], masks) + bitLinePenalty(cols[i], masks)
            dark += rows[i].nonzeroBitCount
        }
        // N2: a 2 × 2 block where both rows agree at i and i + 1 and the upper row's i equals i + 1.
        let pairs = masks.pairs
        for y in 0..<(size - 1) {
            let a = rows[y] >> 4, b = rows[y + 1] >> 4
            let vertical = ~(a ^ b)
            let horizontal = ~(a ^ (a >> 1))
            score += 3 * (vertical & (vertical >> 1) & horizontal & pairs).nonzeroBitCount
        }
        let total = size * size
        return score + 10 * (abs(dark * 20 - total * 10) / total)
    }

    /// N1 and N3 of one padded line (bit 4 + i is module i; four light bits either side), every
    /// position at once.
    ///
    /// N1: a run of L ≥ 5 scores L − 2, which is its L − 4 windows of five equal modules plus 2
    /// for the run (the first of those windows). N3: the core 1011101 at i with four light
    /// modules at i + 7…i + 10, or four light at i…i + 3 and the core at i + 4.
    static func bitLinePenalty<W: FixedWidthInteger & UnsignedInteger>(_ line: W, size: Int) -> Int {
        bitLinePenalty(line, LineMasks<W>(size: size))
    }

    /// ``bitLinePenalty(_:size:)`` with the size's masks made once for all lines of a symbol.
    static func bitLinePenalty<W: FixedWidthInteger & UnsignedInteger>(_ line: W, _ masks: LineMasks<W>) -> Int {
        let m = line >> 4
        let equalNext = ~(m ^ (m >> 1)) & masks.pairs
        let five = equalNext & (equalNext >> 1) & (equalNext >> 2) & (equalNext >> 3)
        let runs = five & ~(five << 1)
        let n1 = five.nonzeroBitCount + 2 * runs.nonzeroBitCount

        let light = ~line
        let light2 = light & (light >> 1)
        let light4 = light2 & (light2 >> 2)
        let dark3 = line & (line >> 1) & (line >> 2)
        let core = line & (light >> 1) & (dark3 >> 2) & (light >> 5) & (line >> 6) & masks.starts
        // Most lines hold no finder-like pattern: count only when one is there.
        guard core != 0 else { return n1 }
        let after = core & (light4 >> 7)
        let before = light4 & (core >> 4) & masks.starts
        return n1 + 40 * (after.nonzeroBitCount + before.nonzeroBitCount)
    }

    /// What every line of a `size`-module symbol masks with: the module pairs (i, i + 1) of the
    /// line, and the starts of an 11-module window inside the padded line.
    struct LineMasks<W: FixedWidthInteger & UnsignedInteger> {
        let pairs: W
        let starts: W

        init(size: Int) {
            pairs = (1 << W(size - 1)) - 1
            starts = (1 << W(size + 8 - 10)) - 1
        }
    }
}

/// Per version 1…25 and mask, the rows and columns (padded as ``QRMatrix/paddedLines()``)
/// that turn an unmasked symbol into the masked one: the mask's data modules, and the format
/// modules where mask `m`'s format information differs from mask 0's. The layout depends on
/// the version only; about 0.8 MB, built on first use.
struct MaskLines: Sendable {
    let rows: [[UInt128]]
    let cols: [[UInt128]]
    /// The same lines as 64-bit words, for the versions whose lines fit them (else empty).
    let narrowRows: [[UInt64]]
    let narrowCols: [[UInt64]]

    static let all: [MaskLines] = (1...25).map { version in
        var blank = QRMatrix(version: version)
        blank.drawFunctionPatterns()
        var rows: [[UInt128]] = []
        var cols: [[UInt128]] = []
        for mask in 0..<8 {
            var masked = blank
            masked.applyMask(mask)
            masked.drawFormatBits(mask: mask)
            var change = blank
            for i in change.modules.indices { change.modules[i] = masked.modules[i] ^ blank.modules[i] }
            let lines = change.paddedLines()
            rows.append(lines.rows)
            cols.append(lines.cols)
        }
        let narrow = blank.fitsNarrowWords
        func words(_ lines: [[UInt128]]) -> [[UInt64]] {
            narrow ? lines.map { $0.map { UInt64(exactly: $0)! } } : []
        }
        return MaskLines(rows: rows, cols: cols, narrowRows: words(rows), narrowCols: words(cols))
    }
}
