import Foundation
import Testing

@testable import Regua

/// The PDF text encoding of the letters (WinAnsiEncoding, code page 1252) against Python's
/// `cp1252` codec for every character of the Basic Multilingual Plane: a character cp1252 has
/// is written as its byte (controls excepted: they become a space, so no letter carries one);
/// one it lacks becomes a space when it is a space separator, else `?` — never a wrong letter.
@Suite(.enabled(if: ExternalTool.python3 != nil))
struct WinAnsiAgainstPythonTests {
    @Test func everyCharacterIsItsCP1252ByteOrAVisibleStandIn() throws {
        let run = try ExternalTool.run(
            ExternalTool.python3!,
            [
                "-c",
                """
                import sys, unicodedata
                out = []
                for i in range(0x10000):
                    if 0xD800 <= i <= 0xDFFF:
                        out.append("s")
                        continue
                    try:
                        out.append("%02x" % chr(i).encode("cp1252")[0])
                    except UnicodeEncodeError:
                        out.append("Z" if unicodedata.category(chr(i)) == "Zs" else "-")
                sys.stdout.write(" ".join(out))
                """,
            ])
        try #require(run.status == 0, "\(run.stderr)")
        let answers = run.stdout.split(separator: " ")
        try #require(answers.count == 0x10000)
        var encodable = 0
        for (i, answer) in answers.enumerated() {
            guard answer != "s", let scalar = Unicode.Scalar(UInt32(i)) else { continue }
            let code = WinAnsi.code(scalar)
            switch answer {
            case "-":
                #expect(code == UInt8(ascii: "?") || code == 0x20, "U+\(String(i, radix: 16))")
                if scalar.properties.generalCategory != .control, !scalar.properties.isWhitespace {
                    #expect(code == UInt8(ascii: "?"), "U+\(String(i, radix: 16))")
                }
            case "Z":
                #expect(code == 0x20, "U+\(String(i, radix: 16)) is a space separator")
            default:
                encodable += 1
                let byte = UInt8(answer, radix: 16)!
                #expect(code == (i < 0x20 || i == 0x7F ? 0x20 : byte), "U+\(String(i, radix: 16))")
            }
        }
        // cp1252 has 251 characters (five of 0x80–0x9F are undefined).
        #expect(encodable == 251)
    }

    /// Whole strings: composed first (`c` + U+0327 is `ç`), invisible format characters dropped,
    /// then byte for byte what Python's codec writes for the composed text.
    @Test func stringsAreComposedThenEncodedLikeCP1252() throws {
        let samples = [
            "Cobrança de São João", "Ac\u{327}a\u{303}o", "R$ 1.234,56 – “aviso” … €", "zero\u{200B}width\u{FEFF}",
            "soft\u{AD}hyphen", "Œuvre Šimon Ž", "naïve café",
        ]
        for s in samples {
            let run = try ExternalTool.run(
                ExternalTool.python3!,
                [
                    "-c",
                    "import sys, unicodedata\n"
                        + "t = ''.join(c for c in unicodedata.normalize('NFC', sys.argv[1]) if unicodedata.category(c) != 'Cf')\n"
                        + "sys.stdout.write(t.encode('cp1252', errors='replace').hex())",
                    s,
                ])
            try #require(run.status == 0, "\(run.stderr)")
            let hex = WinAnsi.encode(s).map { String(format: "%02x", $0) }.joined()
            #expect(hex == run.stdout, "\(s.debugDescription)")
        }
    }
}
