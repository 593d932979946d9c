import Foundation
import Testing
@testable import Regua

/// The PNG writer, checked by its check values and by Python's zlib reading the file back.
@Suite("PNG writer")
struct PNGTests {
    @Test("CRC-32 and Adler-32 check values")
    func checkValues() {
        #expect(PNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNG.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(PNG.adler32([]) == 1)
        // Past the 5552-byte chunking: the same as the plain definition.
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        var a: UInt32 = 1, b: UInt32 = 0
        for x in big {
            a = (a + UInt32(x)) % 65521
            b = (b + a) % 65521
        }
        #expect(PNG.adler32(big) == b << 16 | a)
    }

    @Test("the CRC four bytes at a time is the CRC a byte at a time, for every length 0…600 and random registers")
    func crcTwin() {
        var rng = SplitMix64(seed: 0xEDB8_8320)
        for length in 0...600 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let register = UInt32(truncatingIfNeeded: rng.next())
            #expect(PNG.crc32Update(register, bytes) == PNG.crc32UpdateByBytes(register, bytes), "length \(length)")
        }
        let big = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 40503) }
        #expect(PNG.crc32Update(0xFFFF_FFFF, big) == PNG.crc32UpdateByBytes(0xFFFF_FFFF, big))
    }

    @Test(
        "a stored zlib stream of more than one block inflates back (Python zlib)",
        .enabled(if: ExternalTool.python3 != nil, "python3 is not installed"))
    func zlibStream() throws {
        let data = (0..<150_000).map { UInt8(truncatingIfNeeded: $0 * 31 + $0 / 7) }
        let z = try ExternalTool.temporaryFile(PNG.zlibStored(data), suffix: ".z")
        let raw = try ExternalTool.temporaryFile(data, suffix: ".raw")
        defer {
            try? FileManager.default.removeItem(atPath: z)
            try? FileManager.default.removeItem(atPath: raw)
        }
        let script =
            "import sys,zlib; sys.exit(0 if zlib.decompress(open(sys.argv[1],'rb').read()) == open(sys.argv[2],'rb').read() else 3)"
        let r = try ExternalTool.run(ExternalTool.python3!, ["-c", script, z, raw])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test(
        "every chunk's CRC holds, IHDR says 1-bit greyscale, and the pixels inflate as drawn",
        .enabled(if: ExternalTool.python3 != nil, "python3 is not installed"))
    func pythonReadsBack() throws {
        // A 13 × 5 checkerboard-with-a-diagonal: rows not a multiple of 8 pixels.
        func black(_ x: Int, _ y: Int) -> Bool { (x + y) % 2 == 0 || x == y }
        let png = PNG.bilevel(width: 13, height: 5, isBlack: black)
        let file = try ExternalTool.temporaryFile(png, suffix: ".png")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let script = """
            import sys, zlib, struct
            d = open(sys.argv[1], 'rb').read()
            assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
            i, chunks = 8, []
            while i < len(d):
                n, = struct.unpack('>I', d[i:i+4]); t = d[i+4:i+8]; body = d[i+8:i+8+n]
                crc, = struct.unpack('>I', d[i+8+n:i+12+n])
                assert zlib.crc32(t + body) == crc, t
                chunks.append((t, body)); i += 12 + n
            assert [c[0] for c in chunks] == [b'IHDR', b'IDAT', b'IEND']
            w, h, depth, colour, comp, filt, inter = struct.unpack('>IIBBBBB', chunks[0][1])
            assert (w, h, depth, colour, comp, filt, inter) == (13, 5, 1, 0, 0, 0, 0)
            raw = zlib.decompress(chunks[1][1])
            rows = []
            for y in range(h):
                line = raw[y * 3:(y + 1) * 3]
                assert line[0] == 0
                rows.append(''.join('#' if not (line[1 + x // 8] >> (7 - x % 8)) & 1 else '.' for x in range(w)))
            print('\\n'.join(rows))
            """
        let r = try ExternalTool.run(ExternalTool.python3!, ["-c", script, file])
        #expect(r.status == 0, "\(r.stderr)")
        let expected = (0..<5).map { y in String((0..<13).map { black($0, y) ? "#" : "." }) }.joined(separator: "\n")
        #expect(r.stdout.trimmingCharacters(in: .newlines) == expected)
        if let fileTool = ExternalTool.find("file") {
            let f = try ExternalTool.run(fileTool, [file])
            #expect(f.stdout.contains("PNG image data, 13 x 5, 1-bit grayscale"))
        }
    }
}
