/// A QR code symbol (ISO/IEC 18004:2015), error correction level M: the PIX BR Code's picture.
///
/// Build one from bytes (byte mode, the smallest version 1–40 that holds them, the mask of
/// lowest penalty) and read its modules; draw it with a quiet zone of ``quietZone`` modules on
/// every side. The symbol depends only on the bytes, so the same payload always gives the same
/// picture.
public struct QRCode: Sendable, Hashable {
    /// The symbol version, 1…40; the symbol is `17 + 4 × version` modules wide.
    public let version: Int
    /// Modules per side, quiet zone not included.
    public let size: Int
    /// The mask pattern chosen, 0…7.
    public let mask: Int
    /// Row-major modules, `size × size`; 1 is dark.
    let modules: [UInt8]

    /// Light modules the standard asks around the symbol (ISO/IEC 18004 §6.3.8).
    public static let quietZone = 4

    /// The largest byte payload a level-M symbol holds (version 40).
    public static let maxBytes = 2331

    /// The symbol of `bytes` in byte mode at level M; nil when they exceed ``maxBytes``.
    public init?(bytes: [UInt8]) {
        guard let version = (1...40).first(where: { Self.fits(bytes.count, version: $0) }) else { return nil }
        var bits = QRBitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: version <= 9 ? 8 : 16)
        for b in bytes { bits.append(Int(b), count: 8) }
        self.init(version: version, bits: bits)
    }

    /// The symbol of a text's UTF-8 bytes (a BR Code is ASCII).
    public init?(text: String) { self.init(bytes: Array(text.utf8)) }

    /// A numeric-mode symbol of decimal digits at the version given: only for checking the
    /// codewords against the standard's worked example (Annex I, "01234567" at 1-M).
    init?(numeric digits: String, version: Int) {
        let d = digits.utf8.map { Int($0) - 48 }
        guard d.allSatisfy({ (0...9).contains($0) }), (1...9).contains(version) else { return nil }
        var bits = QRBitBuffer()
        bits.append(0b0001, count: 4)
        bits.append(d.count, count: 10)
        var i = 0
        while i < d.count {
            let n = min(3, d.count - i)
            let value = d[i..<(i + n)].reduce(0) { $0 * 10 + $1 }
            bits.append(value, count: n * 3 + 1)
            i += n
        }
        guard bits.count <= QRTables.dataCodewords(version) * 8 else { return nil }
        self.init(version: version, bits: bits)
    }

    private init(version: Int, bits: QRBitBuffer) {
        let codewords = QRTables.codewords(version: version, data: Self.padded(bits, version: version))
        var matrix: QRMatrix
        if version <= QRMatrix.patternVersions {
            let layout = QRLayout.all[version - 1]
            matrix = layout.blank
            matrix.placeData(codewords, at: layout.dataModules)
        } else {
            matrix = QRMatrix(version: version)
            matrix.drawFunctionPatterns()
            matrix.placeData(codewords)
        }
        let mask = matrix.bestMask()
        matrix.applyMask(mask)
        matrix.drawFormatBits(mask: mask)
        self.version = version
        self.size = matrix.size
        self.mask = mask
        self.modules = matrix.modules
    }

    /// Whether the module at column `x`, row `y` (from the top-left, quiet zone excluded) is dark.
    public func isDark(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < size && y < size && modules[y * size + x] != 0
    }

    /// The data codewords, padded to the version's capacity (terminator, zero bits, 0xEC 0x11…).
    static func padded(_ input: QRBitBuffer, version: Int) -> [UInt8] {
        var bits = input
        let capacity = QRTables.dataCodewords(version) * 8
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var pad = 0xEC
        while bits.count < capacity {
            bits.append(pad, count: 8)
            pad ^= 0xEC ^ 0x11
        }
        return bits.bytes
    }

    /// Whether `count` bytes fit a byte-mode segment of this version.
    static func fits(_ count: Int, version: Int) -> Bool {
        4 + (version <= 9 ? 8 : 16) + 8 * count <= QRTables.dataCodewords(version) * 8
            && count < (version <= 9 ? 256 : 65536)
    }
}

/// Bits appended most significant first, packed into bytes.
struct QRBitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    /// Appends the low `count` bits of `value`, as many at a time as the last byte has room
    /// for (a BR Code is a thousand-odd bits, eight at a time).
    mutating func append(_ value: Int, count n: Int) {
        var left = n
        while left > 0 {
            let used = count & 7
            if used == 0 { bytes.append(0) }
            let take = min(8 - used, left)
            let chunk = (value >> (left - take)) & ((1 << take) - 1)
            bytes[bytes.count - 1] |= UInt8(chunk << (8 - used - take))
            count += take
            left -= take
        }
    }
}
