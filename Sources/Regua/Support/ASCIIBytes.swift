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
}
