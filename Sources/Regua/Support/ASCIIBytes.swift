/// Byte tests for text known to be ASCII, where `Character` properties would cost a Unicode
/// table lookup per character.
enum ASCIIBytes {
    /// `A`–`Z`, `a`–`z`, `0`–`9`: what `Character.isLetter || .isNumber` says of an ASCII character.
    static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }
}
