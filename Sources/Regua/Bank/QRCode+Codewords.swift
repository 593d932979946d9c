/// The block structure of level M (ISO/IEC 18004 Table 9) and the Reed–Solomon code over
/// GF(2⁸) with the field polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D).
enum QRTables {
    /// Error correction codewords per block at level M, by version (index 0 unused).
    static let ecPerBlock: [Int] = [
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
        26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ]
    /// Error correction blocks at level M, by version (index 0 unused).
    static let blocks: [Int] = [
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
        17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ]

    /// Modules left for data and error correction once the function patterns, format and
    /// version information are drawn (remainder bits included).
    static func rawDataModules(_ version: Int) -> Int {
        var n = (16 * version + 128) * version + 64
        if version >= 2 {
            let align = version / 7 + 2
            n -= (25 * align - 10) * align - 55
            if version >= 7 { n -= 36 }
        }
        return n
    }

    /// All codewords of a version (data and error correction).
    static func totalCodewords(_ version: Int) -> Int { rawDataModules(version) / 8 }

    /// Data codewords at level M.
    static func dataCodewords(_ version: Int) -> Int {
        totalCodewords(version) - ecPerBlock[version] * blocks[version]
    }

    /// The final message: data split into blocks (the short ones first), each block's error
    /// correction computed, then data and error correction interleaved codeword by codeword.
    static func codewords(version: Int, data: [UInt8]) -> [UInt8] {
        let count = blocks[version], ec = ecPerBlock[version]
        let total = totalCodewords(version)
        let shortBlocks = count - total % count
        let shortData = total / count - ec
        let products = ReedSolomon.levelMProducts[ec]
        var dataBlocks: [ArraySlice<UInt8>] = []
        var ecBlocks: [[UInt8]] = []
        var start = 0
        for b in 0..<count {
            let length = shortData + (b < shortBlocks ? 0 : 1)
            let block = data[start..<(start + length)]
            dataBlocks.append(block)
            ecBlocks.append(ReedSolomon.remainder(block, products: products))
            start += length
        }
        var out: [UInt8] = []
        out.reserveCapacity(total)
        for i in 0...shortData {
            for block in dataBlocks where i < block.count { out.append(block[block.startIndex + i]) }
        }
        for i in 0..<ec {
            for block in ecBlocks { out.append(block[i]) }
        }
        return out
    }
}

/// Reed–Solomon error correction as QR codes use it: generator ∏ (x − αⁱ), i = 0…n−1.
enum ReedSolomon {
    /// αⁱ for i = 0…254 (twice, so products need no modulo), and log α of 1…255.
    private static let tables: (exp: [UInt8], log: [Int]) = {
        var exp = [UInt8](repeating: 0, count: 512)
        var log = [Int](repeating: 0, count: 256)
        var x = 1
        for i in 0..<255 {
            exp[i] = UInt8(x)
            log[x] = i
            x <<= 1
            if x & 0x100 != 0 { x ^= 0x11D }
        }
        for i in 255..<512 { exp[i] = exp[i - 255] }
        return (exp, log)
    }()

    /// The product in GF(2⁸).
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return tables.exp[tables.log[Int(a)] + tables.log[Int(b)]]
    }

    /// ``generator(degree:)`` of every degree up to 30 (level M uses 10 to 28), computed once
    /// rather than for every code of a night; index 0 is empty.
    static let levelMGenerators: [[UInt8]] = (0...30).map { $0 == 0 ? [] : generator(degree: $0) }

    /// The generator polynomial's coefficients below the leading 1, highest degree first.
    static func generator(degree: Int) -> [UInt8] {
        var poly = [UInt8](repeating: 0, count: degree)
        poly[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                poly[j] = multiply(poly[j], root)
                if j + 1 < degree { poly[j] ^= poly[j + 1] }
            }
            root = multiply(root, 2)
        }
        return poly
    }

    /// Per degree up to 30, the generator's coefficients times every factor:
    /// `products[d][f × d + i]` is coefficient i of ``levelMGenerators```[d]` times f. 256 × d
    /// bytes a degree (about 120 kB in all), so a data codeword costs d look-ups and no logarithm.
    static let levelMProducts: [[UInt8]] = levelMGenerators.map { g in
        var table = [UInt8](repeating: 0, count: 256 * g.count)
        for f in 1..<256 {
            for (i, c) in g.enumerated() { table[f * g.count + i] = multiply(c, UInt8(f)) }
        }
        return table
    }

    /// The remainder of data · xⁿ divided by the generator whose products ``levelMProducts``
    /// keeps: the error correction codewords. Each data codeword shifts the register and adds
    /// one row of the table; ``remainderByDivision(_:generator:)`` is the plain twin the tests
    /// hold it to.
    static func remainder(_ data: ArraySlice<UInt8>, products: [UInt8]) -> [UInt8] {
        let n = products.count / 256
        var r = [UInt8](repeating: 0, count: n)
        for byte in data {
            let row = Int(byte ^ r[0]) * n
            for i in 0..<(n - 1) { r[i] = r[i + 1] ^ products[row + i] }
            r[n - 1] = products[row + n - 1]
        }
        return r
    }

    /// The remainder as polynomial long division is written: shift the register,
    /// add the generator times the leading factor.
    static func remainderByDivision(_ data: ArraySlice<UInt8>, generator: [UInt8]) -> [UInt8] {
        var r = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ r[0]
            r.removeFirst()
            r.append(0)
            if factor != 0 {
                for i in r.indices { r[i] ^= multiply(generator[i], factor) }
            }
        }
        return r
    }
}
