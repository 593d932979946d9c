/// The module grid of a QR symbol while it is built: function patterns (finders, separators,
/// timing, alignment, format and version information), the data in its two-column zigzag,
/// and the eight masks scored by the penalty rules N1–N4 (ISO/IEC 18004 §7.8).
struct QRMatrix {
    let version: Int
    let size: Int
    /// Row-major, 1 = dark.
    var modules: [UInt8]
    /// Row-major, 1 = part of a function pattern (never masked, never holds data).
    var isFunction: [UInt8]

    init(version: Int) {
        self.version = version
        size = 17 + 4 * version
        modules = [UInt8](repeating: 0, count: size * size)
        isFunction = modules
    }

    private mutating func setFunction(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y * size + x] = dark ? 1 : 0
        isFunction[y * size + x] = 1
    }

    // MARK: Function patterns

    /// Everything but the data; the format areas are reserved (written after masking).
    mutating func drawFunctionPatterns() {
        for i in 0..<size {
            setFunction(6, i, i % 2 == 0)
            setFunction(i, 6, i % 2 == 0)
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = cx + dx, y = cy + dy
                    guard x >= 0, y >= 0, x < size, y < size else { continue }
                    let d = max(abs(dx), abs(dy))
                    setFunction(x, y, d != 2 && d != 4)
                }
            }
        }
        let centres = Self.alignmentCentres(version)
        let last = centres.count - 1
        for (i, cx) in centres.enumerated() {
            for (j, cy) in centres.enumerated() {
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                for dy in -2...2 {
                    for dx in -2...2 { setFunction(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        drawFormatBits(mask: 0)
        drawVersionBits()
    }

    /// Row and column centres of the alignment patterns (ISO/IEC 18004 Annex E).
    static func alignmentCentres(_ version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let size = 17 + 4 * version
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        var out = [6]
        var pos = size - 7
        while out.count < count {
            out.insert(pos, at: 1)
            pos -= step
        }
        return out
    }

    /// The 15-bit format information of level M and `mask`: BCH(15,5) with generator 0x537,
    /// XORed with 0x5412 (§7.9).
    static func formatBits(mask: Int) -> Int {
        let data = (0b00 << 3) | mask  // level M's indicator is 00
        var r = data
        for _ in 0..<10 { r = (r << 1) ^ ((r >> 9) * 0x537) }
        return ((data << 10) | r) ^ 0x5412
    }

    /// The 18-bit version information: BCH(18,6) with generator 0x1F25 (§7.10).
    static func versionBits(_ version: Int) -> Int {
        var r = version
        for _ in 0..<12 { r = (r << 1) ^ ((r >> 11) * 0x1F25) }
        return (version << 12) | r
    }

    /// Both copies of the format information, and the dark module beside the lower finder.
    mutating func drawFormatBits(mask: Int) {
        let bits = Self.formatBits(mask: mask)
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { setFunction(8, i, bit(i)) }
        setFunction(8, 7, bit(6))
        setFunction(8, 8, bit(7))
        setFunction(7, 8, bit(8))
        for i in 9..<15 { setFunction(14 - i, 8, bit(i)) }
        for i in 0..<8 { setFunction(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { setFunction(8, size - 15 + i, bit(i)) }
        setFunction(8, size - 8, true)
    }

    private mutating func drawVersionBits() {
        guard version >= 7 else { return }
        let bits = Self.versionBits(version)
        for i in 0..<18 {
            let dark = (bits >> i) & 1 == 1
            let a = size - 11 + i % 3, b = i / 3
            setFunction(a, b, dark)
            setFunction(b, a, dark)
        }
    }

    // MARK: Data

    /// Codewords placed most significant bit first, in two-module columns from the
    /// bottom-right corner, upwards then downwards, skipping the vertical timing column;
    /// modules left over (remainder bits) stay light.
    mutating func placeData(_ codewords: [UInt8]) { placeData(codewords, at: dataModules()) }

    /// The modules that hold data, in the order ``placeData(_:)`` fills them (row-major
    /// indices): the two-module columns from the bottom-right corner, upwards then downwards,
    /// skipping the vertical timing column and every function pattern.
    func dataModules() -> [Int32] {
        var positions: [Int32] = []
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for vert in 0..<size {
                let y = upward ? size - 1 - vert : vert
                for x in [right, right - 1] where isFunction[y * size + x] == 0 {
                    positions.append(Int32(y * size + x))
                }
            }
            right -= 2
        }
        return positions
    }

    /// Codewords placed at `positions` (``dataModules()``, or those ``QRLayout`` keeps for the
    /// version), bit by bit; positions past the last bit stay light.
    mutating func placeData(_ codewords: [UInt8], at positions: [Int32]) {
        let bits = min(positions.count, codewords.count * 8)
        for i in 0..<bits {
            modules[Int(positions[i])] = (codewords[i >> 3] >> UInt8(7 - (i & 7))) & 1
        }
    }

    // MARK: Masks

    /// Whether mask `m` inverts the module at column x, row y (§7.8.2 Table 10).
    static func masks(_ m: Int, x: Int, y: Int) -> Bool {
        switch m {
        case 0: return (x + y) % 2 == 0
        case 1: return y % 2 == 0
        case 2: return x % 3 == 0
        case 3: return (x + y) % 3 == 0
        case 4: return (x / 3 + y / 2) % 2 == 0
        case 5: return x * y % 2 + x * y % 3 == 0
        case 6: return (x * y % 2 + x * y % 3) % 2 == 0
        default: return ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    /// XORs mask `m` over the data modules (applying it twice undoes it). Every BR Code fits
    /// the versions whose patterns are computed once (``maskPatterns``); larger symbols use the
    /// formulas (``applyMaskByFormula(_:)``, the reference the tests hold the patterns to).
    mutating func applyMask(_ m: Int) {
        guard version <= Self.patternVersions else { return applyMaskByFormula(m) }
        let pattern = Self.maskPatterns[version - 1][m]
        for i in modules.indices { modules[i] ^= pattern[i] }
    }

    /// The versions whose mask patterns are kept: up to 15 (77 × 77), past the longest BR Code.
    static let patternVersions = 15

    /// Per version (1…``patternVersions``) and mask, 1 where the mask inverts a data module:
    /// the masks and the function-pattern layout depend on the version only, and eight masks
    /// are tried twice for every code of a night (about 0.4 MB, built on first use).
    static let maskPatterns: [[[UInt8]]] = (1...patternVersions).map { version in
        var m = QRMatrix(version: version)
        m.drawFunctionPatterns()
        return (0..<8).map { mask in
            var pattern = [UInt8](repeating: 0, count: m.size * m.size)
            for y in 0..<m.size {
                for x in 0..<m.size where m.isFunction[y * m.size + x] == 0 && masks(mask, x: x, y: y) {
                    pattern[y * m.size + x] = 1
                }
            }
            return pattern
        }
    }

    /// ``applyMask(_:)`` module by module from the formulas of ISO/IEC 18004 Table 10.
    mutating func applyMaskByFormula(_ m: Int) {
        for y in 0..<size {
            for x in 0..<size where isFunction[y * size + x] == 0 && Self.masks(m, x: x, y: y) {
                modules[y * size + x] ^= 1
            }
        }
    }

    /// The mask of lowest penalty, each scored with its own format information drawn (the
    /// first of equal scores wins): on words (``bestMaskByBits()``) up to version 25, else
    /// ``bestMaskByScoring()``. Leaves the data unmasked.
    mutating func bestMask() -> Int {
        fitsBitPenalty ? bestMaskByBits() : bestMaskByScoring()
    }

    /// ``bestMask()`` as the standard words it: each mask applied with its format information
    /// and the whole symbol scored by ``penalty()``, then undone (the plain twin the tests hold
    /// ``bestMaskByBits()`` to, and the way of symbols past version 25).
    mutating func bestMaskByScoring() -> Int {
        var best = 0, bestScore = Int.max
        for m in 0..<8 {
            applyMask(m)
            drawFormatBits(mask: m)
            let score = penalty()
            if score < bestScore { (best, bestScore) = (m, score) }
            applyMask(m)
        }
        return best
    }

    /// N1: 3 + (run − 5) per run of five or more same-coloured modules in a row or column;
    /// N2: 3 per 2 × 2 block of one colour; N3: 40 per 1:1:3:1:1 finder-like pattern with four
    /// light modules on one side (the quiet zone counting as light); N4: 10 per 5 % the dark
    /// share strays from 50 %.
    ///
    /// Eight masks are scored for every code of a night, so each row and column is copied once
    /// into a line with four light modules on either side, and the finder-like patterns are
    /// found with an 11-bit sliding window instead of comparing module by module.
    func penalty() -> Int {
        var score = 0
        var dark = 0
        var line = [UInt8](repeating: 0, count: size + 8)
        for index in 0..<size {
            for horizontal in 0..<2 {
                if horizontal == 0 {
                    for i in 0..<size { line[4 + i] = modules[index * size + i] }
                } else {
                    for i in 0..<size { line[4 + i] = modules[i * size + index] }
                }
                score += Self.linePenalty(line, size: size)
            }
        }
        for y in 0..<size {
            let row = y * size
            for x in 0..<size {
                let v = modules[row + x]
                dark += Int(v)
                if x + 1 < size, y + 1 < size, v == modules[row + x + 1], v == modules[row + size + x],
                    v == modules[row + size + x + 1]
                {
                    score += 3
                }
            }
        }
        let total = size * size
        score += 10 * (abs(dark * 20 - total * 10) / total)
        return score
    }

    /// N1 and N3 of one row or column, given with four light modules on either side.
    static func linePenalty(_ line: [UInt8], size: Int) -> Int {
        var score = 0
        // N1 over the symbol's own modules.
        var run = 1
        for i in 5..<(4 + size) {
            if line[i] == line[i - 1] {
                run += 1
            } else {
                if run >= 5 { score += run - 2 }
                run = 1
            }
        }
        if run >= 5 { score += run - 2 }
        // N3: dark-light-dark×3-light-dark followed, or preceded, by four light modules.
        var window = 0
        for i in 0..<line.count {
            window = ((window << 1) | Int(line[i])) & 0x7FF
            if i >= 10, window == 0b101_1101_0000 || window == 0b000_0101_1101 { score += 40 }
        }
        return score
    }
}

/// What every symbol of a version starts from, for the versions whose masks are kept
/// (``QRMatrix/patternVersions``): the matrix with its function patterns drawn (mask 0's format
/// information), and the module of each data bit (``QRMatrix/dataModules()``). Both depend on
/// the version only, so they are made once.
struct QRLayout: Sendable {
    let blank: QRMatrix
    /// Row-major module indices, first data bit first.
    let dataModules: [Int32]

    static let all: [QRLayout] = (1...QRMatrix.patternVersions).map { QRLayout(version: $0) }

    init(version: Int) {
        var m = QRMatrix(version: version)
        m.drawFunctionPatterns()
        blank = m
        dataModules = m.dataModules()
    }
}
