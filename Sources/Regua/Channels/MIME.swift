import Foundation

/// The byte-level encoders of an Internet message: header sanitising and folding (RFC 5322),
/// encoded-words (RFC 2047) and quoted-printable bodies (RFC 2045).
enum MIME {
    /// Lines are folded to this length where the content allows it (RFC 5322 §2.1.1 "SHOULD").
    static let foldWidth = 78
    /// Longest quoted-printable line, soft-break `=` included (RFC 2045 §6.7 rule 5).
    static let qpWidth = 76
    /// Longest encoded-word (RFC 2047 §2).
    static let encodedWordMax = 75

    // MARK: Header values

    /// A header value with every control character (C0, DEL, C1, Unicode line and paragraph
    /// separators) replaced by a space, runs of white space collapsed and the ends trimmed.
    ///
    /// This is the header-injection guard: after it, a value cannot end a header line.
    static func sanitize(_ value: String) -> String {
        var out = SpaceCollapser()
        for s in value.unicodeScalars { out.add(s) }
        return out.text
    }

    /// Builds a text in which every run of control characters and white space becomes one
    /// space, none at either end (``sanitize(_:)``, and SMS texts).
    struct SpaceCollapser {
        /// UTF-8 of the text so far (a scalar view grows more slowly, one scalar at a time).
        private var out: [UInt8] = []
        private var pendingSpace = false

        mutating func add(_ s: Unicode.Scalar) {
            if MIME.isControlOrSpace(s) {
                pendingSpace = !out.isEmpty
                return
            }
            if pendingSpace {
                out.append(UInt8(ascii: " "))
                pendingSpace = false
            }
            if s.isASCII {
                out.append(UInt8(s.value))
            } else {
                UTF8.encode(s) { out.append($0) }
            }
        }

        var text: String { String(decoding: out, as: UTF8.self) }
    }

    /// Control characters and white space that must not survive into a header as-is.
    static func isControlOrSpace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return true }
        if v < 0x80 { return v == 0x20 }  // the other ASCII white space is below 0x20
        if v == 0x2028 || v == 0x2029 { return true }
        return s.properties.isWhitespace
    }

    /// Whether the (sanitised) value can be written as plain ASCII words, each short enough to
    /// be folded onto a line of its own, and without `=?` (which a reader would decode).
    static func isPlainFoldable(_ value: String, reserve: Int) -> Bool {
        guard value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return false }
        // Printable ASCII from here on: a byte is a character, so bytes are looked at.
        if zip(value.utf8, value.utf8.dropFirst()).contains(where: {
            $0 == UInt8(ascii: "=") && $1 == UInt8(ascii: "?")
        }) {
            return false
        }
        return asciiWords(value).allSatisfy { $0.utf8.count + 1 + reserve <= foldWidth }
    }

    /// The space-separated words of printable ASCII text (what `split(separator: " ")` gives,
    /// without breaking it into characters).
    static func asciiWords(_ value: String) -> [String] {
        value.utf8.split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: Encoded-words

    /// Splits text into RFC 2047 `B` encoded-words of at most ``encodedWordMax`` characters;
    /// the first one fits in `firstRoom` characters when it can. Splits fall on grapheme
    /// boundaries (on scalar boundaries inside an over-long grapheme), never inside a UTF-8
    /// sequence, so each word decodes on its own.
    static func encodedWords(_ text: String, firstRoom: Int) -> [String] {
        let overhead = "=?UTF-8?B?".utf8.count + "?=".utf8.count
        func maxBytes(room: Int) -> Int { max(0, (min(room, encodedWordMax) - overhead) / 4 * 3) }

        var words: [String] = []
        var chunk: [UInt8] = []
        var limit = maxBytes(room: firstRoom)
        if limit < 12 { limit = maxBytes(room: encodedWordMax) }  // too little room: start on a new line
        let fullLimit = maxBytes(room: encodedWordMax)

        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?UTF-8?B?" + base64(chunk) + "?=")
            chunk.removeAll(keepingCapacity: true)
            limit = fullLimit
        }
        func add<C: Collection<UInt8>>(_ piece: C) {
            if chunk.count + piece.count > limit { flush() }
            chunk += piece
        }
        for g in text {
            if g.utf8.count <= fullLimit {
                add(g.utf8)
            } else {
                for s in g.unicodeScalars { add(String(s).utf8) }
            }
        }
        flush()
        return words
    }

    /// Standard base64 with padding (RFC 4648 §4), as `Data.base64EncodedString()` writes it.
    static func base64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        appendBase64(bytes[...], to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Base64 in lines of 76 characters (57 bytes each), every line ended by CRLF (RFC 2045
    /// §6.8), appended straight to `out`: the body of an attachment.
    static func appendBase64Lines(_ bytes: [UInt8], to out: inout [UInt8]) {
        let lines = (bytes.count + 56) / 57
        out.reserveCapacity(out.count + (bytes.count + 2) / 3 * 4 + 2 * lines)
        var start = 0
        while start < bytes.count {
            let end = min(start + 57, bytes.count)
            appendBase64(bytes[start..<end], to: &out)
            out.append(13)
            out.append(10)
            start = end
        }
    }

    /// The base64 of `bytes`, padded, appended to `out`.
    private static func appendBase64(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        let alphabet = base64Alphabet
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i + 3 <= end {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(n >> 18)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = end - i
        if rest > 0 {
            let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            out.append(alphabet[Int(n >> 18)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
    }

    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    // MARK: Folding

    /// Writes `Name: token token …` folding between tokens with CRLF + space so that lines
    /// stay within ``foldWidth`` whenever a single token allows it. Tokens never contain
    /// white space or line breaks.
    static func headerLine(name: String, tokens: [String]) -> [UInt8] {
        var out = Array((name + ":").utf8)
        var lineLength = out.count
        for token in tokens {
            let t = Array(token.utf8)
            if lineLength + 1 + t.count > foldWidth && lineLength > name.utf8.count + 1 {
                out += [13, 10, 32]
                lineLength = 1
            } else {
                out.append(32)
                lineLength += 1
            }
            out += t
            lineLength += t.count
        }
        out += [13, 10]
        return out
    }

    /// Tokens of an unstructured header value (Subject, X- headers): plain ASCII words when
    /// that is faithful and foldable, otherwise encoded-words of the whole value.
    static func unstructuredTokens(_ raw: String, nameLength: Int) -> [String] {
        let value = sanitize(raw)
        if value.isEmpty { return [] }
        if isPlainFoldable(value, reserve: 0) {
            return asciiWords(value)
        }
        return encodedWords(value, firstRoom: foldWidth - nameLength - 2)
    }

    /// Tokens of a display name (RFC 5322 `phrase`): atoms as they are, a quoted-string when
    /// the ASCII name holds specials, encoded-words when it holds anything else.
    static func phraseTokens(_ raw: String, nameLength: Int) -> [String] {
        let value = sanitize(raw)
        if value.isEmpty { return [] }
        if isPlainFoldable(value, reserve: 2) {
            let words = asciiWords(value)
            if words.allSatisfy({ $0.utf8.allSatisfy(isAtext) }) { return words }
            var quoted = "\""
            for c in value.unicodeScalars {
                if c == "\"" || c == "\\" { quoted.unicodeScalars.append("\\") }
                quoted.unicodeScalars.append(c)
            }
            quoted += "\""
            if quoted.utf8.count + nameLength + 2 <= foldWidth { return [quoted] }
        }
        return encodedWords(value, firstRoom: foldWidth - nameLength - 2)
    }

    /// RFC 5322 `atext`: the characters of an atom.
    static func isAtext(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"),
            UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    // MARK: Quoted-printable

    /// Encodes text as quoted-printable: UTF-8 bytes, `=` and everything outside printable
    /// ASCII as `=XX`, trailing white space encoded, soft line breaks keeping every line within
    /// ``qpWidth``; CRLF, CR or LF in the text become hard CRLF breaks. A `.` or `From ` at the
    /// start of a line is encoded too, so no transport can mistake or mangle it.
    static func quotedPrintable(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { src in
            // Each byte gives at most 3 (`=XX`, or CR LF for a lone LF), and a soft break (3)
            // comes after at least 25 of them (a line holds 73 before one): 4 a byte is room
            // enough, written once.
            [UInt8](unsafeUninitializedCapacity: 4 * src.count + 8) { out, written in
                var w = 0
                eachLine(src) { line in
                    if line.lowerBound > 0 {
                        out[w] = 13
                        out[w + 1] = 10
                        w += 2
                    }
                    encodeLine(src, line, into: out, at: &w)
                }
                written = w
            }
        }
    }

    /// Splits bytes on CRLF, CR or LF.
    static func splitLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        bytes.withUnsafeBufferPointer { b in eachLine(b) { lines.append(bytes[$0]) } }
        return lines
    }

    /// Calls `body` with the range of each line of `bytes`, in order: lines end at CRLF, CR or
    /// LF (not included), and there is always a last one after the last line end, maybe empty.
    @inline(__always)
    static func eachLine(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        var start = 0
        while true {
            var end = start
            while end < bytes.count, bytes[end] != 13, bytes[end] != 10 { end += 1 }
            body(start..<end)
            if end == bytes.count { return }
            start = bytes[end] == 13 && end + 1 < bytes.count && bytes[end + 1] == 10 ? end + 2 : end + 1
        }
    }

    private static let hexDigits: (UInt8, UInt8) = (UInt8(ascii: "0"), UInt8(ascii: "A") - 10)

    /// One line (no line break in `range`) of ``quotedPrintable(_:)``, written at `w`.
    private static func encodeLine(
        _ src: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: UnsafeMutableBufferPointer<UInt8>,
        at w: inout Int
    ) {
        var length = 0
        let last = range.upperBound - 1
        @inline(__always) func startsFrom(_ i: Int) -> Bool {
            i + 5 <= range.upperBound && src[i] == UInt8(ascii: "F") && src[i + 1] == UInt8(ascii: "r")
                && src[i + 2] == UInt8(ascii: "o") && src[i + 3] == UInt8(ascii: "m") && src[i + 4] == 32
        }
        @inline(__always) func appendEncoded(_ b: UInt8) {
            let high = b >> 4, low = b & 15
            out[w] = UInt8(ascii: "=")
            out[w + 1] = high < 10 ? hexDigits.0 + high : hexDigits.1 + high
            out[w + 2] = low < 10 ? hexDigits.0 + low : hexDigits.1 + low
            w += 3
        }
        for i in range {
            let b = src[i]
            let isLast = i == last
            let startsLine = length == 0
            let literal: Bool
            switch b {
            case 32, 9: literal = !isLast
            case UInt8(ascii: "="): literal = false
            case UInt8(ascii: "."): literal = !startsLine
            case UInt8(ascii: "F"): literal = !(startsLine && startsFrom(i))
            case 33...126: literal = true
            default: literal = false
            }
            let width = literal ? 1 : 3
            // Leave room for the soft-break "=" unless this is the line's last byte.
            if length + width > (isLast ? qpWidth : qpWidth - 1) {
                out[w] = UInt8(ascii: "=")
                out[w + 1] = 13
                out[w + 2] = 10
                w += 3
                length = 0
                // A byte that now starts a physical line may need encoding after all.
                if b == UInt8(ascii: ".") || (b == UInt8(ascii: "F") && startsFrom(i)) {
                    appendEncoded(b)
                    length = 3
                    continue
                }
            }
            if literal {
                out[w] = b
                w += 1
            } else {
                appendEncoded(b)
            }
            length += width
        }
    }
}
