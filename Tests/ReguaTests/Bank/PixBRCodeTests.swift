import Testing
@testable import Regua

@Suite("PIX static BR Code")
struct PixBRCodeTests {
    /// A TLV walk: every field is ID (2 digits) + length (2 digits) + value of that length.
    static func fields(_ payload: String) -> [(id: String, value: String)]? {
        let u = Array(payload.utf8)
        var out: [(String, String)] = []
        var i = 0
        while i < u.count {
            guard i + 4 <= u.count, let len = Int(String(decoding: u[(i + 2)..<(i + 4)], as: UTF8.self)),
                i + 4 + len <= u.count
            else { return nil }
            out.append(
                (
                    String(decoding: u[i..<(i + 2)], as: UTF8.self),
                    String(decoding: u[(i + 4)..<(i + 4 + len)], as: UTF8.self)
                ))
            i += 4 + len
        }
        return out
    }

    static func value(_ payload: String, _ path: String...) -> String? {
        var current = payload
        for id in path {
            guard let f = fields(current), let hit = f.first(where: { $0.id == id }) else { return nil }
            current = hit.value
        }
        return current
    }

    @Test("CRC-16/CCITT-FALSE check value")
    func crcCheckValue() {
        #expect(PixBRCode.crc16(Array("123456789".utf8)) == 0x29B1)
        #expect(PixBRCode.crc16([]) == 0xFFFF)
    }

    @Test("BANKING.md example reproduces byte for byte")
    func bankingExample() {
        let expected =
            "00020126360014br.gov.bcb.pix0114123456780001955204000053039865406150.005802BR5918EMPRESA TESTE LTDA6009SAO PAULO62150511FAT2025000163045D28"
        let p = PixBRCode.payload(
            key: "12345678000195", merchantName: "Empresa Teste Ltda", merchantCity: "São Paulo",
            amount: Money(cents: 15_000), txid: "FAT20250001")
        #expect(p == expected)
    }

    @Test("Every length is right and the CRC covers the payload up to 6304")
    func tlvWalk() throws {
        let p = PixBRCode.payload(
            key: "cobranca@exemplo.com.br", merchantName: "Açougue & Padaria São João da Boa Vista Ltda",
            merchantCity: "São João da Boa Vista", amount: Money(cents: 123_456), txid: "R20261123-00ab")
        let f = try #require(Self.fields(p))
        #expect(f.map(\.id) == ["00", "26", "52", "53", "54", "58", "59", "60", "62", "63"])
        #expect(Self.value(p, "26", "00") == "br.gov.bcb.pix")
        #expect(Self.value(p, "26", "01") == "cobranca@exemplo.com.br")
        #expect(Self.value(p, "54") == "1234.56")
        #expect(Self.value(p, "59") == "ACOUGUE E PADARIA SAO JOA")
        #expect(Self.value(p, "60") == "SAO JOAO DA BOA")
        #expect(Self.value(p, "62", "05") == "R2026112300ab")
        let crc = try #require(Self.value(p, "63"))
        #expect(crc.count == 4 && crc == crc.uppercased())
        let body = Array(p.utf8.dropLast(4))
        #expect(String(PixBRCode.crc16(body), radix: 16, uppercase: true).leftPadded(4) == crc)
    }

    @Test(
        "Without amount field 54 is absent; a bad txid becomes ***",
        arguments: [
            ("", "***"), ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "***"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXY", "ABCDEFGHIJKLMNOPQRSTUVWXY"),
            ("ção", "cao"), ("FAT-1", "FAT1"), ("😀", "***"),
        ])
    func txidAndAmount(txid: String, expected: String) throws {
        let p = PixBRCode.payload(key: "+5511987654321", merchantName: "", merchantCity: "", amount: nil, txid: txid)
        let f = try #require(Self.fields(p))
        #expect(!f.contains { $0.id == "54" })
        #expect(Self.value(p, "62", "05") == expected)
        #expect(Self.value(p, "59") == "NAO INFORMADO")
    }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
