import Foundation
import Testing
@testable import Regua

/// The PNG writer, checked by its check values and by Python's zlib reading the file back.
@Suite("PNG writer")
struct PNGTests {
    @Test("CRC-32 check value")
    func checkValues() {
        #expect(PNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNG.crc32([]) == 0)
    }

    @Test(
        "the system zlib's streams inflate back with Python's zlib, empty, random and repetitive, of many sizes",
        .enabled(if: ExternalTool.python3 != nil, "python3 is not installed"))
    func zlibStream() throws {
        var rng = SystemRandomNumberGenerator()
        var inputs: [[UInt8]] = [[], [0], Array(repeating: 0xFF, count: 200_000)]
        for n in [1, 7, 100, 65_535, 65_536, 150_000] {
            inputs.append((0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) })
            inputs.append((0..<n).map { UInt8(truncatingIfNeeded: $0 * 31 + $0 / 7) })
        }
        let dir = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (i, data) in inputs.enumerated() {
            let z = Deflate.zlib(data)
            #expect(z.first == 0x78, "a zlib header (deflate, 32 KiB window)")
            try Data(z).write(to: dir.appendingPathComponent("\(i).z"))
            try Data(data).write(to: dir.appendingPathComponent("\(i).raw"))
        }
        // A QR code's pixel rows are mostly repeats: far smaller than stored.
        #expect(Deflate.zlib(inputs[2]).count < 2_000)
        let script = """
            import sys, zlib, os
            d = sys.argv[1]
            for i in range(int(sys.argv[2])):
                z = open(os.path.join(d, '%d.z' % i), 'rb').read()
                assert zlib.decompress(z) == open(os.path.join(d, '%d.raw' % i), 'rb').read(), i
            """
        let r = try ExternalTool.run(ExternalTool.python3!, ["-c", script, dir.path, String(inputs.count)])
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
