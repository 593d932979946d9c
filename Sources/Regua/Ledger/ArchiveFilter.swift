import Foundation

/// A Bloom filter of the archived title ids, kept by `regua prune`: a night asks the archive only
/// for the few titles the filter cannot rule out, instead of probing it once per title of the
/// night. It never misses an archived title (no false negatives); about 1 % of the others pass.
struct ArchiveFilter {
    /// The bits, 64 to a word; the count is a power of two.
    private(set) var words: [UInt64]
    /// Bit positions per id.
    static let hashes = 7

    /// A filter sized for `count` ids at about ten bits each.
    init(capacity count: Int) {
        var bits = 1 << 12
        while bits < count * 10 { bits <<= 1 }
        words = [UInt64](repeating: 0, count: bits / 64)
    }

    /// A filter read back from ``data``; nil when the bytes are not one.
    init?(data: Data) {
        guard data.count >= 512, data.count % 8 == 0, (data.count / 8) & (data.count / 8 - 1) == 0 else { return nil }
        words = data.withUnsafeBytes { raw in
            (0..<(data.count / 8)).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) }
        }
    }

    /// The bits as bytes (little-endian words), for the ledger.
    var data: Data { words.withUnsafeBytes { Data($0) } }

    /// Two 64-bit FNV-1a hashes of the id's UTF-8 bytes (double hashing gives the positions).
    private static func hash(_ id: String) -> (UInt64, UInt64) {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in id.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b &+ UInt64(byte)) &* 0x9E37_79B9_7F4A_7C15
            b ^= b >> 29
        }
        return (a, b | 1)
    }

    /// The ids it holds at about ten bits each (about 1 % false positives); more raise that.
    var capacity: Int { words.count * 64 / 10 }

    private var mask: UInt64 { UInt64(words.count * 64 - 1) }

    /// Adds an id.
    mutating func insert(_ id: String) {
        let (a, b) = Self.hash(id)
        for i in 0..<UInt64(Self.hashes) {
            let bit = (a &+ i &* b) & mask
            words[Int(bit >> 6)] |= 1 << (bit & 63)
        }
    }

    /// False only when the id was never inserted.
    func mightContain(_ id: String) -> Bool {
        let (a, b) = Self.hash(id)
        for i in 0..<UInt64(Self.hashes) {
            let bit = (a &+ i &* b) & mask
            if words[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
        }
        return true
    }
}
