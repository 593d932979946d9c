/// The check-digit rules of Brazilian bank documents (boleto, agencies, accounts).
///
/// Every function takes ASCII digits and returns nil for anything else, so a caller can never
/// compute a digit over a string that is not a number.
public enum CheckDigits {
    /// Módulo 10: weights 2, 1, 2, 1… from the right, the digits of each product summed,
    /// digit = (10 − sum mod 10) mod 10. Used by the linha digitável fields and Itaú's DACs.
    public static func mod10(_ digits: some StringProtocol) -> Int? {
        guard let values = digitValues(digits) else { return nil }
        var sum = 0
        var weight = 2
        for v in values.reversed() {
            let p = v * weight
            sum += p / 10 + p % 10
            weight = weight == 2 ? 1 : 2
        }
        return (10 - sum % 10) % 10
    }

    /// The boleto's general check digit (barcode position 5): módulo 11 with weights 2…9
    /// repeating from the right, digit = 11 − sum mod 11, where 0, 10 and 11 become 1.
    public static func mod11Boleto(_ digits: some StringProtocol) -> Int? {
        guard let sum = weightedSum(digits) else { return nil }
        let d = 11 - sum % 11
        return (d == 0 || d == 10 || d == 11) ? 1 : d
    }

    /// Banco do Brasil's agency and account check digit: módulo 11 with weights 2…9 from the
    /// right, digit = 11 − sum mod 11, where 10 is `X` and 11 is `0`
    /// (laravel-boleto `CalculoDV::bbAgencia`/`bbContaCorrente`; agency 0001 → 9).
    public static func mod11BancoDoBrasil(_ digits: some StringProtocol) -> String? {
        guard let sum = weightedSum(digits) else { return nil }
        let d = 11 - sum % 11
        switch d {
        case 10: return "X"
        case 11: return "0"
        default: return String(d)
        }
    }

    private static func weightedSum(_ digits: some StringProtocol) -> Int? {
        guard let values = digitValues(digits) else { return nil }
        var sum = 0
        var weight = 2
        for v in values.reversed() {
            sum += v * weight
            weight = weight == 9 ? 2 : weight + 1
        }
        return sum
    }

    private static func digitValues(_ digits: some StringProtocol) -> [Int]? {
        var out: [Int] = []
        out.reserveCapacity(digits.utf8.count)
        for c in digits.utf8 {
            guard c >= 48, c <= 57 else { return nil }
            out.append(Int(c - 48))
        }
        return out.isEmpty ? nil : out
    }
}
