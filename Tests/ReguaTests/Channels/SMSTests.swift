import Foundation
import Testing
@testable import Regua

/// GSM 03.38 detection, transliteration, segment counting and sms.csv.
@Suite("SMS")
struct SMSTests {
    static let sentence =
        "Olá, João! Sua fatura de R$ 150,00 vence hoje.\nNão esqueça: pague até às 18h — evite a cobrança. Nº 3"

    @Test("a pt-BR sentence transliterated stays GSM-7; é and à are kept")
    func transliterated() {
        let s = SMS.prepare(Self.sentence, transliterate: true)
        #expect(
            s.text
                == "Ola, Joao! Sua fatura de R$ 150,00 vence hoje. Nao esqueca: pague até às 18h - evite a cobranca. No 3"
        )
        #expect(s.encoding == .gsm7)
        #expect(s.length == s.text.unicodeScalars.count)
        #expect(s.segments == 1)
    }

    @Test("without transliteration the same sentence is UCS-2, text kept")
    func notTransliterated() {
        let s = SMS.prepare(Self.sentence, transliterate: false)
        #expect(s.encoding == .ucs2)
        #expect(s.text == Self.sentence.replacingOccurrences(of: "\n", with: " "))
        #expect(s.length == s.text.utf16.count)
        #expect(s.segments == 2)  // 105 UTF-16 units: over 70, two parts of 67
    }

    @Test("white space, line breaks and control characters collapse to single spaces")
    func oneLine() {
        let s = SMS.prepare("  Linha 1\r\n\tLinha   2\u{00A0}fim\u{2028}\u{0007}x \n", transliterate: false)
        #expect(s.text == "Linha 1 Linha 2 fim x")
        #expect(s.encoding == .gsm7)
    }

    @Test(
        "transliteration keeps GSM-7 letters and maps the others",
        arguments: [
            ("ã", "a"), ("õ", "o"), ("â", "a"), ("ê", "e"), ("ô", "o"), ("á", "a"), ("í", "i"), ("ó", "o"), ("ú", "u"),
            ("ç", "c"), ("Ã", "A"), ("Á", "A"), ("Â", "A"), ("Ê", "E"), ("Í", "I"), ("Ó", "O"), ("Õ", "O"), ("Ô", "O"),
            ("Ú", "U"), ("ª", "a"), ("º", "o"), ("“x”", "\"x\""), ("‘x’", "'x'"), ("a–b—c", "a-b-c"), ("…", "..."),
            ("é", "é"), ("à", "à"), ("ü", "ü"), ("Ç", "Ç"), ("É", "É"), ("ñ", "ñ"), ("ß", "ß"), ("€", "€"),
            ("ŝ", "s"), ("a\u{0303}", "a"), ("x\u{200B}y", "xy"),
        ])
    func transliteration(input: String, output: String) {
        let s = SMS.prepare(input, transliterate: true)
        #expect(s.text == output)
        #expect(s.encoding == .gsm7)
    }

    /// `prepare` skips the NFC pass for text below U+0300: that text must be its own NFC,
    /// scalar for scalar (String's `==` would hide a difference: it compares canonically).
    @Test("text below U+0300 is already NFC: every scalar and every pair of them")
    func belowCombiningMarksIsNFC() {
        func nfcScalars(_ s: String) -> [Unicode.Scalar] {
            Array(s.precomposedStringWithCanonicalMapping.unicodeScalars)
        }
        let below = (1..<0x300).compactMap(Unicode.Scalar.init)
        for c in below {
            let s = String(String.UnicodeScalarView([c]))
            #expect(SMS.isNFCAsIs(s))
            #expect(nfcScalars(s) == [c], "U+\(String(c.value, radix: 16))")
        }
        // Composition joins a character only with a combining one that follows; none lies below
        // U+0300, which every pair checks (588,289 of them).
        for a in below {
            for b in below where nfcScalars(String(String.UnicodeScalarView([a, b]))) != [a, b] {
                Issue.record("U+\(String(a.value, radix: 16)) U+\(String(b.value, radix: 16)) changes under NFC")
            }
        }
        // From U+0300 on the shortcut does not apply: a combining mark composes with its base.
        #expect(!SMS.isNFCAsIs("a\u{0303}"))
        #expect(SMS.prepare("a\u{0303}o", transliterate: false).text == "ão")
    }

    @Test("characters with no GSM-7 form are kept and make the text UCS-2")
    func untransliterable() {
        let s = SMS.prepare("Pague já 😀", transliterate: true)
        #expect(s.text == "Pague ja 😀")
        #expect(s.encoding == .ucs2)
        #expect(s.length == 11)  // the emoji is a surrogate pair
    }

    @Test("the default alphabet has 127 characters besides ESC, and 9 + form feed in the extension")
    func alphabetSize() {
        #expect(GSM7.basic.count == 127)
        #expect(GSM7.extensionTable.count == 10)
    }

    @Test(
        "segment boundaries",
        arguments: [
            // GSM-7: 160 septets in one SMS, then 153 per part.
            (String(repeating: "a", count: 160), SMSEncoding.gsm7, 160, 1),
            (String(repeating: "a", count: 161), .gsm7, 161, 2),
            (String(repeating: "a", count: 306), .gsm7, 306, 2),
            (String(repeating: "a", count: 307), .gsm7, 307, 3),
            // Extension characters count two septets.
            (String(repeating: "€", count: 80), .gsm7, 160, 1),
            (String(repeating: "a", count: 159) + "[", .gsm7, 161, 2),
            (String(repeating: "{", count: 152), .gsm7, 304, 2),
            (String(repeating: "{", count: 81), .gsm7, 162, 2),
            // An escape pair is not split across parts: 152 + 2 + 152 = 306 septets take 3 parts.
            (String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 152), .gsm7, 306, 3),
            // UCS-2: 70 units in one SMS, then 67 per part.
            (String(repeating: "ã", count: 70), .ucs2, 70, 1),
            (String(repeating: "ã", count: 71), .ucs2, 71, 2),
            (String(repeating: "ã", count: 134), .ucs2, 134, 2),
            (String(repeating: "ã", count: 135), .ucs2, 135, 3),
            (String(repeating: "😀", count: 35), .ucs2, 70, 1),
            // A surrogate pair is not split: 66 + 2 + 66 = 134 units take 3 parts.
            (String(repeating: "ã", count: 66) + "😀" + String(repeating: "ã", count: 66), .ucs2, 134, 3),
            ("", .gsm7, 0, 0),
        ])
    func segments(text: String, encoding: SMSEncoding, length: Int, segments: Int) {
        let s = SMS.prepare(text, transliterate: false)
        #expect(s.encoding == encoding)
        #expect(s.length == length)
        #expect(s.segments == segments)
    }

    @Test("sms.csv: header, one physical line per message, RFC 4180 quoting, no formula change")
    func csv() throws {
        let rows = [
            SMSRow(
                messageID: "R20261123-0000000000000001", customerID: "C1", phone: "+5511987654321", step: "due_today",
                titleIDs: ["T1", "T2"], sms: SMS.prepare("Olá, \"Ana\": pague hoje", transliterate: true)),
            SMSRow(
                messageID: "R20261123-0000000000000002", customerID: "C2\r\nR9,x,y", phone: "+5511912345678",
                step: "overdue_d10",
                titleIDs: ["T3"], sms: SMS.prepare("=HYPERLINK(\"x\")", transliterate: true)),
        ]
        let bytes = SMS.csv(rows: rows)
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(
            lines == [
                "message_id,customer_id,phone,step,title_ids,encoding,segments,text",
                "R20261123-0000000000000001,C1,+5511987654321,due_today,T1;T2,GSM-7,1,\"Ola, \"\"Ana\"\": pague hoje\"",
                "R20261123-0000000000000002,\"C2  R9,x,y\",+5511912345678,overdue_d10,T3,GSM-7,1,\"=HYPERLINK(\"\"x\"\")\"",
                "",
            ])
        #expect(hasOnlyCRLFLineEnds(bytes))
        #expect(bytes.filter { $0 == 10 }.count == rows.count + 1)
    }

    @Test("CSVWriter itself quotes CR and LF, so even an unprepared cell stays inside its row")
    func csvWriterQuotesLineBreaks() {
        var w = CSVWriter(header: ["a", "b"], neutraliseFormulas: false)
        w.row(["x\r\ny", "z"])
        #expect(String(decoding: w.bytes, as: UTF8.self) == "a,b\r\n\"x\r\ny\",z\r\n")
    }
}
