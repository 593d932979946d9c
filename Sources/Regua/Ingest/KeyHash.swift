/// The hash that groups keys (``KeyGroups``) when every key of both files is ASCII: two ASCII
/// strings are equal Strings exactly when their bytes are equal, so a hash of the bytes will
/// do, at a few nanoseconds instead of SipHash's tens. A night with a non-ASCII key anywhere
/// hashes every key again with `hashValue` (``RowChunk/rehashAsStrings(link:)``), as two
/// different byte strings can then be the same String (`"K"` and the Kelvin sign `"K"`).
///
/// 64×64→128-bit multiplications folded (as in wyhash), keyed by a random per-process secret
/// so that keys cannot be crafted to share a group; results never depend on it.
enum KeyHash {
    private static let secrets: (UInt64, UInt64, UInt64) = {
        var g = SystemRandomNumberGenerator()
        // Odd, so that no multiplication by a secret loses bits.
        return (g.next() | 1, g.next() | 1, g.next() | 1)
    }()

    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return high ^ low
    }

    /// The hash of a key's UTF-8 bytes, and whether they are all ASCII.
    static func of(_ key: String) -> (hash: Int, ascii: Bool) {
        var key = key
        return key.withUTF8 { of(bytes: $0) }
    }

    /// The hash of bytes, and whether they are all ASCII.
    static func of(bytes b: CellBytes) -> (hash: Int, ascii: Bool) {
        let (s0, s1, s2) = secrets
        let n = b.count
        var h = s0 ^ UInt64(n)
        var seen: UInt64 = 0
        var i = 0
        if n > 0 {
            while i + 16 <= n {
                let x = UnsafeBytes.word(b, i)
                let y = UnsafeBytes.word(b, i + 8)
                seen |= x | y
                h = fold(x ^ s1, y ^ h)
                i += 16
            }
            var x: UInt64 = 0
            var y: UInt64 = 0
            if i + 8 <= n {
                x = UnsafeBytes.word(b, i)
                i += 8
                var shift: UInt64 = 0
                while i < n {
                    y |= UInt64(b[i]) << shift
                    shift += 8
                    i += 1
                }
            } else {
                var shift: UInt64 = 0
                while i < n {
                    x |= UInt64(b[i]) << shift
                    shift += 8
                    i += 1
                }
            }
            seen |= x | y
            h = fold(x ^ s1, y ^ h ^ s2)
        }
        return (Int(bitPattern: UInt(fold(h ^ s2, UInt64(n) ^ s1))), seen & 0x8080_8080_8080_8080 == 0)
    }
}
