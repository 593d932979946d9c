/// Valid (and deliberately invalid) CPF and CNPJ numbers for generated data.
enum SampleDocuments {
    private static let alphanumerics = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    /// Eleven CPF digits with correct check digits (wrong ones when `broken`).
    static func cpf(_ rng: inout SplitMix64, broken: Bool = false) -> [UInt8] {
        var d = (0..<9).map { _ in UInt8(48 + rng.below(10)) }
        if Set(d).count == 1 { d[0] = 48 + (d[0] - 48 + 1) % 10 }
        for count in [9, 10] {
            var sum = 0
            for i in 0..<count { sum += Int(d[i] - 48) * (count + 1 - i) }
            let r = (sum * 10) % 11
            d.append(UInt8(48 + (r == 10 ? 0 : r)))
        }
        if broken { d[10] = 48 + (d[10] - 48 + 1) % 10 }
        return d
    }

    /// Fourteen CNPJ characters with correct check digits: digits, or (when `alphanumeric`)
    /// the IN RFB 2.229/2024 form with letters in the first twelve.
    static func cnpj(_ rng: inout SplitMix64, alphanumeric: Bool) -> [UInt8] {
        var d: [UInt8]
        if alphanumeric {
            d = (0..<8).map { _ in rng.pick(alphanumerics) } + Array("0001".utf8)
            if rng.chance(300) { d[8..<12] = ArraySlice((0..<4).map { _ in rng.pick(alphanumerics) }) }
        } else {
            d = (0..<8).map { _ in UInt8(48 + rng.below(10)) } + Array("0001".utf8)
        }
        for count in [12, 13] {
            var sum = 0
            var w = 2
            for i in stride(from: count - 1, through: 0, by: -1) {
                sum += (Int(d[i]) - 48) * w
                w = w == 9 ? 2 : w + 1
            }
            let r = sum % 11
            d.append(UInt8(48 + (r < 2 ? 0 : 11 - r)))
        }
        return d
    }

    /// `123.456.789-09` / `12.345.678/0001-95`.
    static func punctuated(_ d: [UInt8]) -> String {
        let s = String(decoding: d, as: UTF8.self)
        return Document(kind: d.count == 11 ? .cpf : .cnpj, value: s).formatted
    }
}
