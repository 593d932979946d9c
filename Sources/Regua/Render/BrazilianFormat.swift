/// The ways Brazilians write dates, documents, phones and payment lines, for customer-facing text.
public enum BrazilianFormat {
    /// Month names in pt-BR, January first.
    public static let monthNames = [
        "janeiro", "fevereiro", "março", "abril", "maio", "junho",
        "julho", "agosto", "setembro", "outubro", "novembro", "dezembro",
    ]

    /// `23 de novembro de 2026`; the first of a month is written `1º de dezembro de 2026`.
    public static func longDate(_ day: Day) -> String {
        let c = day.components
        let d = c.day == 1 ? "1º" : String(c.day)
        return d + " de " + monthNames[c.month - 1] + " de " + String(c.year)
    }

    /// A document with only its middle shown: `***.456.789-**` for a CPF (the gov.br LGPD
    /// convention), `**.345.678/0001-**` for a CNPJ. Never the whole number.
    public static func maskedDocument(_ document: Document) -> String {
        let v = Array(document.value)
        switch document.kind {
        case .cpf where v.count == 11:
            return "***." + String(v[3..<6]) + "." + String(v[6..<9]) + "-**"
        case .cnpj where v.count == 14:
            return "**." + String(v[2..<5]) + "." + String(v[5..<8]) + "/" + String(v[8..<12]) + "-**"
        default:
            return document.masked
        }
    }

    /// `(11) 98765-4321` for an E.164 Brazilian number; anything else is returned as given.
    public static func phone(_ e164: String) -> String {
        guard e164.hasPrefix("+55") else { return e164 }
        let d = Array(e164.dropFirst(3))
        guard d.allSatisfy(\.isASCIIDigit), d.count == 10 || d.count == 11 else { return e164 }
        let area = String(d[0..<2])
        let local = Array(d[2...])
        let split = local.count - 4
        return "(" + area + ") " + String(local[..<split]) + "-" + String(local[split...])
    }

    /// `00190.00009 01238.798779 77700.168188 2 37690000013500` for a linha digitável of 47
    /// digits (spaces and dots ignored); anything else is returned as given.
    public static func linhaDigitavel(_ text: String) -> String {
        let d = text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: ".") }
        guard d.count == 47, d.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return text }
        func s(_ r: Range<Int>) -> String { String(decoding: d[r], as: UTF8.self) }
        return s(0..<5) + "." + s(5..<10) + " " + s(10..<15) + "." + s(15..<21) + " "
            + s(21..<26) + "." + s(26..<32) + " " + s(32..<33) + " " + s(33..<47)
    }

    /// `2%`, `0,033%`: a rate as written in pt-BR.
    public static func percent(_ p: Percent) -> String {
        let whole = p.micros / 1_000_000
        var frac = pad(Int(p.micros % 1_000_000), 6)
        while frac.hasSuffix("0") { frac.removeLast() }
        return String(whole) + (frac.isEmpty ? "" : "," + frac) + "%"
    }

    /// Where a title stands: `vence hoje`, `vence em 1 dia`, `vence em 4 dias`,
    /// `vencido há 1 dia`, `vencido há 12 dias`.
    public static func situation(daysOverdue n: Int) -> String {
        if n == 0 { return "vence hoje" }
        let a = n.magnitude
        let days = a == 1 ? "1 dia" : String(a) + " dias"
        return n < 0 ? "vence em " + days : "vencido há " + days
    }

    /// The first word of a person's name; a company (CNPJ) keeps its whole name.
    public static func firstName(_ name: String, kind: Document.Kind) -> String {
        guard kind == .cpf else { return name }
        return name.split(whereSeparator: { $0 == " " }).first.map(String.init) ?? name
    }

    /// A name without the final period (or periods) and trailing spaces it may end with, for
    /// a sentence that puts its own period after it: `Ângela Atacadista S.A.` → `Ângela Atacadista S.A`.
    public static func withoutFinalPeriod(_ name: String) -> String {
        var s = Substring(name)
        while let last = s.last, last == "." || last == " " { s.removeLast() }
        return s.isEmpty ? name : String(s)
    }

    /// `Olá, Maria.` — `Olá, Ângela Atacadista S.A.`: a greeting ending with exactly one period,
    /// whether or not the name ends with one.
    public static func greeting(_ firstName: String) -> String {
        "Olá, " + withoutFinalPeriod(firstName) + "."
    }

    /// Replaces control characters (CR, LF, tab, NUL, bidi overrides, line separators) with a
    /// space, so a value can never start a new header, line or row in what it is rendered into.
    public static func clean(_ text: String) -> String {
        // Most values are plain text: skip the scalar-by-scalar copy when no byte could start
        // an unsafe scalar (C0 controls and DEL are < 0x20 or 0x7F; C1 controls are encoded from
        // 0xC2, the separators and bidi marks from 0xE2; accented letters, 0xC3, stay fast).
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) { return text }
        var out = String.UnicodeScalarView()
        var changed = false
        for u in text.unicodeScalars {
            if isUnsafe(u) {
                out.append(" ")
                changed = true
            } else {
                out.append(u)
            }
        }
        return changed ? String(out) : text
    }

    private static func isUnsafe(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x00...0x1F, 0x7F...0x9F: true  // C0 and C1 controls, DEL
        case 0x2028, 0x2029: true  // line and paragraph separators
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true  // bidi marks and overrides
        default: false
        }
    }
}
