/// Byte tests for text known to be ASCII, where `Character` properties would cost a Unicode
/// table lookup per character.
enum ASCIIBytes {
    /// Whether every byte of a text's UTF-8 is below 0x80.
    static func isASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { b in b.reduce(0, |) < 0x80 }
    }

    /// `A`–`Z`, `a`–`z`, `0`–`9`: what `Character.isLetter || .isNumber` says of an ASCII character.
    static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// Whether two ASCII byte strings are equal but for the case of their letters (what
    /// `caseInsensitiveCompare` says of ASCII text).
    @inline(__always)
    static func equalIgnoringCase<A: Collection<UInt8>, B: Collection<UInt8>>(_ a: A, _ b: B) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { p, q in
            p == q || (p | 0x20 == q | 0x20 && (p | 0x20) >= 0x61 && (p | 0x20) <= 0x7A)
        }
    }

    /// Whether `needle`'s UTF-8 bytes occur in `text`'s, byte for byte (what
    /// `text.utf8.firstRange(of: needle.utf8) != nil` says). A plain scan for the first byte,
    /// then a comparison: the standard library's generic search asked the runtime for type
    /// metadata at every step, and an e-mail's HTML is searched once per e-mail (11 % of a
    /// realistic night's CPU).
    static func contains(_ text: String, _ needle: String) -> Bool {
        let hay = Array(text.utf8), pin = Array(needle.utf8)
        guard let first = pin.first else { return true }
        guard hay.count >= pin.count else { return false }
        var i = 0
        let last = hay.count - pin.count
        while i <= last {
            if hay[i] == first {
                var j = 1
                while j < pin.count, hay[i + j] == pin[j] { j += 1 }
                if j == pin.count { return true }
            }
            i += 1
        }
        return false
    }
}
