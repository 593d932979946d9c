import Foundation

/// The static PIX "copia e cola" code (BR Code, EMV QRCPS merchant-presented, as adopted by
/// the Banco Central do Brasil's Manual de Padrões para Iniciação do Pix).
public enum PixBRCode {
    /// The payload for a PIX key, ending with its CRC (field 63).
    ///
    /// The merchant name and city become upper-case ASCII without accents, cut to 25 and 15
    /// characters; an empty one becomes `NAO INFORMADO` / `BRASIL` (the fields are mandatory).
    /// The txid keeps its ASCII letters and digits; when none remain or more than 25 do, it
    /// is `***` (cutting could make two messages share one id). The amount is written
    /// `150.00`, and left out when nil or not positive (the payer types it). A key longer than
    /// 77 characters (the longest a PIX key can be) is cut so the code stays well-formed.
    public static func payload(
        key: String, merchantName: String, merchantCity: String, amount: Money?,
        txid: String
    ) -> String {
        Merchant(key: key, name: merchantName, city: merchantCity).payload(amount: amount, txid: txid)
    }

    /// A message's txid: the last 25 letters and digits of its id (the message id is the txid,
    /// SPEC §3, within the BR Code's 25 alphanumerics).
    public static func txid(forMessageID id: String) -> String {
        id.utf8.allSatisfy({ $0 < 0x80 })
            ? String(decoding: id.utf8.filter(ASCIIBytes.isAlphanumeric).suffix(25), as: UTF8.self)
            : String(id.filter { $0.isLetter || $0.isNumber }.suffix(25))
    }

    /// A receiver whose key, name and city are cleaned once, for many payloads in a night.
    public struct Merchant: Sendable {
        let accountField: String
        let name: String
        let city: String

        /// Cleans the key, name and city as ``PixBRCode/payload(key:merchantName:merchantCity:amount:txid:)`` says.
        public init(key: String, name merchantName: String, city merchantCity: String) {
            let cleanKey = String(key.filter { !$0.isWhitespace }.prefix(77))
            var name = String(CNABText.normalized(merchantName).prefix(25))
            var city = String(CNABText.normalized(merchantCity).prefix(15))
            while name.hasSuffix(" ") { name.removeLast() }
            while city.hasSuffix(" ") { city.removeLast() }
            self.name = name.isEmpty ? "NAO INFORMADO" : name
            self.city = city.isEmpty ? "BRASIL" : city
            accountField = PixBRCode.field(
                "26", PixBRCode.field("00", "br.gov.bcb.pix") + PixBRCode.field("01", cleanKey))
        }

        /// The payload for an amount and txid, ending with its CRC (field 63).
        public func payload(amount: Money?, txid: String) -> String {
            var p = PixBRCode.field("00", "01")
            p += accountField
            p += PixBRCode.field("52", "0000")
            p += PixBRCode.field("53", "986")
            if let a = amount, a.cents > 0 { p += PixBRCode.field("54", a.plain) }
            p += PixBRCode.field("58", "BR")
            p += PixBRCode.field("59", name)
            p += PixBRCode.field("60", city)
            p += PixBRCode.field("62", PixBRCode.field("05", PixBRCode.txidValue(txid)))
            p += "6304"
            return p + PixBRCode.hex4(PixBRCode.crc16(Array(p.utf8)))
        }
    }

    /// CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR
    /// ("123456789" → 0x29B1).
    public static func crc16(_ bytes: [UInt8]) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for b in bytes {
            crc ^= UInt16(b) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }

    /// The txid as written in field 62-05.
    static func txidValue(_ txid: String) -> String {
        if txid.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII (every txid Regua makes): its letters and digits, byte for byte.
            let kept = txid.utf8.filter(ASCIIBytes.isAlphanumeric)
            guard (1...25).contains(kept.count) else { return "***" }
            return String(decoding: kept, as: UTF8.self)
        }
        var kept = ""
        for ch in txid {
            if ch.isASCII {
                if ch.isLetter || ch.isNumber { kept.append(ch) }
                continue
            }
            // "ç" → "c": the base letter of the canonical decomposition, case kept.
            let base = String(ch).decomposedStringWithCanonicalMapping.unicodeScalars.first.map(Character.init)
            if let b = base, b.isASCII, b.isLetter || b.isNumber { kept.append(b) }
        }
        guard (1...25).contains(kept.count) else { return "***" }
        return kept
    }

    /// ID + two-digit length + value; lengths count UTF-8 bytes (all values here are ASCII
    /// except, possibly, a key).
    static func field(_ id: String, _ value: String) -> String {
        id + pad(min(value.utf8.count, 99), 2) + value
    }

    static func hex4(_ v: UInt16) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([
            digits[Int(v >> 12)], digits[Int((v >> 8) & 15)], digits[Int((v >> 4) & 15)], digits[Int(v & 15)],
        ])
    }
}
