extension Document {
    /// Reads a CPF (11 digits) or CNPJ (14 characters: digits, or the alphanumeric form of
    /// IN RFB 2.229/2024 with 12 alphanumerics and 2 numeric check digits), punctuation
    /// (`.` `-` `/` and spaces) allowed. Returns nil when the check digits do not hold.
    public static func parse(_ text: some StringProtocol) -> Document? {
        let copy = Array(text.utf8)
        return copy.withUnsafeBufferPointer { parse(bytes: $0) }
    }

    /// ``parse(_:)`` from bytes, without a heap allocation for a valid CPF or CNPJ.
    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Document? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 15) { chars in
            var n = 0
            for c in bytes {
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    chars[n] = c
                case UInt8(ascii: "a")...UInt8(ascii: "z"):
                    chars[n] = c - 32
                case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: " "):
                    continue
                default:
                    return nil
                }
                n += 1
                if n > 14 { return nil }
            }
            let d = UnsafeBufferPointer(rebasing: chars[0..<n])
            if n == 11 {
                guard d.allSatisfy(isDigit), isValidCPF(d) else { return nil }
                return Document(kind: .cpf, value: String(decoding: d, as: UTF8.self))
            }
            if n == 14 {
                guard isDigit(d[12]), isDigit(d[13]), isValidCNPJ(d) else { return nil }
                return Document(kind: .cnpj, value: String(decoding: d, as: UTF8.self))
            }
            return nil
        }
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    private static func isValidCPF(_ d: UnsafeBufferPointer<UInt8>) -> Bool {
        if !d.contains(where: { $0 != d[0] }) { return false }  // 000.000.000-00, 111.111.111-11, …
        func digit(_ count: Int) -> Int {
            var sum = 0
            for i in 0..<count { sum += Int(d[i] - 48) * (count + 1 - i) }
            let r = (sum * 10) % 11
            return r == 10 ? 0 : r
        }
        return digit(9) == Int(d[9] - 48) && digit(10) == Int(d[10] - 48)
    }

    /// Módulo 11 over character values (ASCII − 48), weights 2…9 from the right; this is the
    /// numeric rule and, unchanged, the alphanumeric one of IN RFB 2.229/2024.
    private static func isValidCNPJ(_ d: UnsafeBufferPointer<UInt8>) -> Bool {
        if d.allSatisfy(isDigit), !d.contains(where: { $0 != d[0] }) { return false }
        func digit(_ count: Int) -> Int {
            var sum = 0
            var w = 2
            for i in stride(from: count - 1, through: 0, by: -1) {
                sum += (Int(d[i]) - 48) * w
                w = w == 9 ? 2 : w + 1
            }
            let r = sum % 11
            return r < 2 ? 0 : 11 - r
        }
        return digit(12) == Int(d[12]) - 48 && digit(13) == Int(d[13]) - 48
    }
}
