import Foundation

/// The GSM 03.38 (3GPP TS 23.038 §6.2.1) default alphabet and its extension table, and the
/// transliteration that keeps pt-BR text inside them.
enum GSM7 {
    /// The 128 characters of the default alphabet (LF and CR included; ESC excluded).
    static let basic: Set<Unicode.Scalar> = {
        let table =
            "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
        return Set(table.unicodeScalars)
    }()

    /// Characters of the extension table: each costs two septets (ESC + code).
    static let extensionTable: Set<Unicode.Scalar> = Set("\u{0C}^{}\\[~]|€".unicodeScalars)

    /// Septets a scalar takes, or `nil` when GSM-7 cannot carry it.
    static func septets(_ s: Unicode.Scalar) -> Int? {
        if s.value < 0x80 {
            let n = asciiSeptets[Int(s.value)]
            return n == 0 ? nil : Int(n)
        }
        if basic.contains(s) { return 1 }
        if extensionTable.contains(s) { return 2 }
        return nil
    }

    /// ``septets(_:)`` of each ASCII scalar (0: not in GSM-7), read from the two tables once.
    private static let asciiSeptets: [UInt8] = (0..<128).map { v -> UInt8 in
        let s = Unicode.Scalar(UInt8(v))
        return basic.contains(s) ? 1 : extensionTable.contains(s) ? 2 : 0
    }

    /// Closest GSM-7 spelling of characters that are not in it. Characters that ARE in the
    /// default alphabet (é è à ü Ç É …) are never here: they are kept.
    static let transliterations: [Unicode.Scalar: String] = {
        var t: [Unicode.Scalar: String] = [:]
        func map(_ from: String, _ to: String) { for s in from.unicodeScalars { t[s] = to } }
        map("áâãā", "a"); map("ÁÂÃÀĀ", "A")
        map("êëēę", "e"); map("ÊËÈĒ", "E")
        map("íîïī", "i"); map("ÍÎÏÌ", "I")
        map("óôõō", "o"); map("ÓÔÕÒŌ", "O")
        map("úûū", "u"); map("ÚÛÙŪ", "U")
        map("ç", "c"); map("ýÿ", "y"); map("ÝŸ", "Y")
        map("ª", "a"); map("º°", "o")
        map("‘’‚‛′´`", "'"); map("“”„‟″«»", "\"")
        map("‐‑‒–—―−", "-"); map("…", "..."); map("•", "*"); map("·", "-")
        map("×", "x"); map("÷", "/"); map("œ", "oe"); map("Œ", "OE")
        map("™", "TM"); map("©", "(c)"); map("®", "(R)"); map("¢", "c")
        map("\u{00AD}\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}", "")  // invisible: drop
        return t
    }()

    /// Transliterates one scalar: the table first, then the base letter of a decomposable
    /// character (ŝ → s) when that base is GSM-7; a lone combining mark is dropped. Anything
    /// else is kept as it is (and makes the text UCS-2).
    static func transliterate(_ s: Unicode.Scalar) -> String {
        if septets(s) != nil { return String(s) }
        if let t = transliterations[s] { return t }
        if s.properties.generalCategory == .nonspacingMark { return "" }
        let decomposed = String(s).decomposedStringWithCanonicalMapping.unicodeScalars
            .filter { $0.properties.generalCategory != .nonspacingMark }
        if !decomposed.isEmpty, decomposed.allSatisfy({ septets($0) != nil }) {
            return String(String.UnicodeScalarView(decomposed))
        }
        return String(s)
    }
}
