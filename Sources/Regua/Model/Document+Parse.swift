extension Document {
    /// Reads a CPF (11 digits) or CNPJ (14 characters: digits, or the alphanumeric form of
    /// IN RFB 2.229/2024 with 12 alphanumerics and 2 numeric check digits), punctuation
    /// (`.` `-` `/` and spaces) allowed. Returns nil when the check digits do not hold.
    public static func parse(_ text: some StringProtocol) -> Document? {
        var chars: [UInt8] = []
        chars.reserveCapacity(14)
        for c in text.utf8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                chars.append(c)
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                chars.append(c - 32)
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: " "):
                continue
            default:
                return nil
            }
            if chars.count > 14 { return nil }
        }
        let value = String(decoding: chars, as: UTF8.self)
        if chars.count == 11 {
            guard chars.allSatisfy(isDigit), isValidCPF(chars) else { return nil }
            return Document(kind: .cpf, value: value)
        }
        if chars.count == 14 {
            guard isDigit(chars[12]), isDigit(chars[13]), isValidCNPJ(chars) else { return nil }
            return Document(kind: .cnpj, value: value)
        }
        return nil
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    private static func isValidCPF(_ d: [UInt8]) -> Bool {
        let n = d.map { Int($0 - 48) }
        if !n.contains(where: { $0 != n[0] }) { return false }  // 000.000.000-00, 111.111.111-11, …
        func digit(_ count: Int) -> Int {
            var sum = 0
            for i in 0..<count { sum += n[i] * (count + 1 - i) }
            let r = (sum * 10) % 11
            return r == 10 ? 0 : r
        }
        return digit(9) == n[9] && digit(10) == n[10]
    }

    /// Módulo 11 over character values (ASCII − 48), weights 2…9 from the right; this is the
    /// numeric rule and, unchanged, the alphanumeric one of IN RFB 2.229/2024.
    private static func isValidCNPJ(_ d: [UInt8]) -> Bool {
        let v = d.map { Int($0) - 48 }
        if d.allSatisfy(isDigit), !v.contains(where: { $0 != v[0] }) { return false }
        func digit(_ count: Int) -> Int {
            var sum = 0
            var w = 2
            for i in stride(from: count - 1, through: 0, by: -1) {
                sum += v[i] * w
                w = w == 9 ? 2 : w + 1
            }
            let r = sum % 11
            return r < 2 ? 0 : 11 - r
        }
        return digit(12) == v[12] && digit(13) == v[13]
    }
}
