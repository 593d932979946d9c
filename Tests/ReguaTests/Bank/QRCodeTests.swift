import Foundation
import Testing
@testable import Regua

/// The QR encoder, held to the standard's published values and read back by zbar (a decoder
/// nobody here wrote) on thousands of payloads of every length and every version.
@Suite("QR code")
struct QRCodeTests {
    static let hasZbar = ExternalTool.zbarimg != nil

    @Test("ISO/IEC 18004 Annex I: \"01234567\" at 1-M gives the published data and EC codewords")
    func annexExample() throws {
        var bits = QRBitBuffer()
        bits.append(0b0001, count: 4)
        bits.append(8, count: 10)
        for (value, width) in [(12, 10), (345, 10), (67, 7)] { bits.append(value, count: width) }
        let data = QRCode.padded(bits, version: 1)
        #expect(
            data == [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11])
        let all = QRTables.codewords(version: 1, data: data)
        #expect(Array(all.suffix(10)) == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
        // The numeric-mode symbol built by the type itself carries the same codewords.
        let symbol = try #require(QRCode(numeric: "01234567", version: 1))
        #expect(symbol.size == 21)
    }

    @Test("format information of level M (ISO/IEC 18004 Table C.1) and version information (Table D.1)")
    func bchCodes() {
        let formats = [
            "101010000010010", "101000100100101", "101111001111100", "101101101001011",
            "100010111111001", "100000011001110", "100111110010111", "100101010100000",
        ]
        for (mask, expected) in formats.enumerated() {
            #expect(QRMatrix.formatBits(mask: mask) == Int(expected, radix: 2), "mask \(mask)")
        }
        #expect(QRMatrix.versionBits(7) == 0x07C94)
        #expect(QRMatrix.versionBits(21) == 0x15683)
        #expect(QRMatrix.versionBits(40) == 0x28C69)
    }

    @Test("capacity per version matches the standard's table for byte mode at level M")
    func capacities() {
        // ISO/IEC 18004 Table 7, level M, byte mode.
        let expected: [Int: Int] = [1: 14, 2: 26, 5: 84, 7: 122, 9: 180, 10: 213, 15: 412, 40: 2331]
        for (version, bytes) in expected {
            #expect(QRCode.fits(bytes, version: version), "v\(version)")
            #expect(!QRCode.fits(bytes + 1, version: version), "v\(version)")
        }
        #expect(QRCode(bytes: [UInt8](repeating: 65, count: 2332)) == nil)
        #expect(QRCode(bytes: [UInt8](repeating: 65, count: 2331))?.version == 40)
        #expect(QRMatrix.alignmentCentres(32) == [6, 34, 60, 86, 112, 138])
        #expect(QRTables.totalCodewords(40) == 3706 && QRTables.totalCodewords(1) == 26)
    }

    @Test("the same payload gives the same symbol; a module outside the symbol is light")
    func determinism() throws {
        let a = try #require(QRCode(text: "PIX")), b = try #require(QRCode(text: "PIX"))
        #expect(a == b && a.version == 1)
        #expect(!a.isDark(x: -1, y: 0) && !a.isDark(x: 21, y: 0))
        // Finder pattern corners are dark; the separator beside them light.
        #expect(a.isDark(x: 0, y: 0) && a.isDark(x: 20, y: 0) && a.isDark(x: 0, y: 20) && !a.isDark(x: 7, y: 0))
    }

    /// Random printable ASCII (what a BR Code holds), reproducible from the seed.
    static func payload(length: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return (0..<length).map { _ in UInt8(32 + rng.next() % 95) }
    }

    /// Writes each payload's symbol as a PNG and returns what zbar reads, in order.
    static func scanned(_ payloads: [[UInt8]], scale: Int) throws -> [String] {
        let dir = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var files: [String] = []
        for (i, p) in payloads.enumerated() {
            let symbol = try #require(QRCode(bytes: p))
            let path = dir.appendingPathComponent("q\(i).png").path
            try Data(symbol.png(scale: scale)).write(to: URL(fileURLWithPath: path))
            files.append(path)
        }
        return try ExternalTool.scan(files, extra: ExternalTool.qrOnly)
    }

    @Test(
        "zbar reads back 1,800 random payloads of every length 1…360 (versions 1–14)",
        .enabled(if: hasZbar, "zbarimg (zbar-tools) is not installed"))
    func everyShortLength() throws {
        var payloads: [[UInt8]] = []
        for length in 1...360 {
            for k in 0..<5 { payloads.append(Self.payload(length: length, seed: UInt64(length * 10 + k))) }
        }
        let read = try Self.scanned(payloads, scale: 2)
        #expect(read.count == payloads.count)
        for (i, p) in payloads.enumerated() where i < read.count {
            #expect(read[i] == String(decoding: p, as: UTF8.self), "payload \(i) of \(p.count) bytes")
            if read[i] != String(decoding: p, as: UTF8.self) { break }
        }
    }

    @Test(
        "zbar reads back the fullest and the emptiest payload of every version 1–40",
        .enabled(if: hasZbar, "zbarimg (zbar-tools) is not installed"))
    func everyVersion() throws {
        var payloads: [[UInt8]] = []
        var versions: [Int] = []
        for v in 1...40 {
            let most = (1...2331).last { QRCode.fits($0, version: v) }!
            let least = v == 1 ? 1 : largest(version: v - 1) + 1
            for n in [least, most] {
                payloads.append(Self.payload(length: n, seed: UInt64(v * 7919 + n)))
                versions.append(v)
            }
        }
        for (p, v) in zip(payloads, versions) { #expect(QRCode(bytes: p)?.version == v) }
        let read = try Self.scanned(payloads, scale: 2)
        #expect(read == payloads.map { String(decoding: $0, as: UTF8.self) })
    }

    @Test(
        "zbar reads real PIX BR Codes back to the same payload",
        .enabled(if: hasZbar, "zbarimg (zbar-tools) is not installed"))
    func pixCodes() throws {
        let merchant = PixBRCode.Merchant(
            key: "cobranca@exemplo.com.br", name: "Exemplo Comércio Ltda", city: "São Paulo")
        let uuidKey = PixBRCode.Merchant(
            key: "123e4567-e89b-12d3-a456-426614174000", name: "Conceição & Filhos Comércio de Peças",
            city: "Ribeirão Preto")
        var codes: [String] = []
        for cents in [1, 99, 15_000, 123_456, 99_999_999_99] {
            codes.append(merchant.payload(amount: Money(cents: Int64(cents)), txid: "R20261123ab12cd34ef56ab78"))
            codes.append(uuidKey.payload(amount: Money(cents: Int64(cents)), txid: "***"))
        }
        codes.append(merchant.payload(amount: nil, txid: "R1"))
        let read = try Self.scanned(codes.map { Array($0.utf8) }, scale: 3)
        #expect(read == codes)
    }
}

extension QRCodeTests {
    /// N1 and N3 of one line, module by module as the standard words them: the plain twin of
    /// ``QRMatrix/linePenalty(_:size:)``.
    static func referenceLinePenalty(_ modules: [UInt8]) -> Int {
        func at(_ i: Int) -> UInt8 { i >= 0 && i < modules.count ? modules[i] : 0 }
        var score = 0
        var i = 0
        while i < modules.count {
            var j = i
            while j < modules.count, modules[j] == modules[i] { j += 1 }
            if j - i >= 5 { score += 3 + (j - i - 5) }
            i = j
        }
        let core: [UInt8] = [1, 0, 1, 1, 1, 0, 1]
        for start in -4..<(modules.count + 4) where (0..<7).allSatisfy({ at(start + $0) == core[$0] }) {
            if (1...4).allSatisfy({ at(start - $0) == 0 }) { score += 40 }
            if (0..<4).allSatisfy({ at(start + 7 + $0) == 0 }) { score += 40 }
        }
        return score
    }

    @Test("the kept mask patterns invert exactly the modules the formulas do, for every version they cover")
    func maskPatternsTwin() {
        var rng = SplitMix64(seed: 18004)
        for version in 1...(QRMatrix.patternVersions + 1) {
            var m = QRMatrix(version: version)
            m.drawFunctionPatterns()
            for i in m.modules.indices where m.isFunction[i] == 0 { m.modules[i] = UInt8(rng.next() % 2) }
            for mask in 0..<8 {
                var fast = m
                var plain = m
                fast.applyMask(mask)
                plain.applyMaskByFormula(mask)
                #expect(fast.modules == plain.modules, "version \(version), mask \(mask)")
                #expect(fast.modules != m.modules)
            }
        }
    }

    @Test("the 128-bit penalty equals the module-by-module one on 1,200 random matrices of sizes 21–117")
    func bitPenaltyTwin() {
        var rng = SplitMix64(seed: 2015)
        for n in 0..<1200 {
            let version = 1 + n % 25
            var m = QRMatrix(version: version)
            let density = 2 + rng.next() % 6
            for i in m.modules.indices { m.modules[i] = rng.next() % density == 0 ? 1 : 0 }
            if n % 4 == 0 { m.drawFunctionPatterns() }  // real finders, timing and long runs
            #expect(m.fitsBitPenalty)
            #expect(m.bitPenalty() == m.penalty(), "matrix \(n), version \(version)")
            if m.fitsNarrowWords {
                let (rows, cols) = m.paddedLines(as: UInt64.self)
                #expect(QRMatrix.bitScore(rows: rows, cols: cols, size: m.size) == m.penalty(), "matrix \(n)")
            }
        }
        #expect(QRMatrix(version: 9).fitsNarrowWords && !QRMatrix(version: 10).fitsNarrowWords)
        #expect(!QRMatrix(version: 26).fitsBitPenalty)
    }

    @Test("the word line penalty equals the plain one on 3,000 random lines of every width up to version 25")
    func bitLinePenaltyTwin() {
        var rng = SplitMix64(seed: 7_8_3)
        for n in 0..<3000 {
            let size = 21 + 4 * Int(rng.next() % 25)
            var line = (0..<size).map { _ in UInt8(rng.next() % (n % 3 == 0 ? 8 : 2) == 0 ? 1 : 0) }
            if n % 4 == 0 {
                let at = Int(rng.next() % UInt64(size - 7))
                for (k, v) in [1, 0, 1, 1, 1, 0, 1].enumerated() { line[at + k] = UInt8(v) }
            }
            if n % 7 == 0 { for i in 0..<Int(rng.next() % UInt64(size)) { line[i] = 1 } }  // a long dark run
            var word: UInt128 = 0
            for (i, v) in line.enumerated() where v != 0 { word |= 1 << UInt128(4 + i) }
            #expect(QRMatrix.bitLinePenalty(word, size: size) == Self.referenceLinePenalty(line), "line \(n)")
            if size + 8 <= 64 {
                #expect(
                    QRMatrix.bitLinePenalty(UInt64(word), size: size) == Self.referenceLinePenalty(line), "line \(n)")
            }
        }
    }

    @Test("the mask chosen on words is the mask the plain score chooses, on 600 random symbols of versions 1–25")
    func bestMaskTwin() {
        var rng = SplitMix64(seed: 18_004_783)
        var chosen = Set<Int>()
        for n in 0..<600 {
            // Small versions (every BR Code) most often; every version up to 25 some times.
            let version = n % 3 == 0 ? 1 + n / 3 % 25 : 1 + Int(rng.next() % 12)
            var m = QRMatrix(version: version)
            m.drawFunctionPatterns()
            let density = 2 + rng.next() % 4
            for i in m.modules.indices where m.isFunction[i] == 0 { m.modules[i] = rng.next() % density == 0 ? 1 : 0 }
            var plain = m
            let fast = m.bestMaskByBits()
            #expect(fast == plain.bestMaskByScoring(), "symbol \(n), version \(version)")
            chosen.insert(fast)
        }
        #expect(chosen.count == 8, "random symbols pick every mask some time")
    }

    @Test("each mask's lines are exactly what applying the mask and its format information changes")
    func maskLinesTwin() {
        var rng = SplitMix64(seed: 2_015_25)
        for version in 1...25 {
            var m = QRMatrix(version: version)
            m.drawFunctionPatterns()
            for i in m.modules.indices where m.isFunction[i] == 0 { m.modules[i] = UInt8(rng.next() % 2) }
            let (rows, cols) = m.paddedLines()
            for mask in 0..<8 {
                var masked = m
                masked.applyMaskByFormula(mask)
                masked.drawFormatBits(mask: mask)
                let want = masked.paddedLines()
                let lines = MaskLines.all[version - 1]
                #expect(zip(rows, lines.rows[mask]).map { $0 ^ $1 } == want.rows, "version \(version), mask \(mask)")
                #expect(zip(cols, lines.cols[mask]).map { $0 ^ $1 } == want.cols, "version \(version), mask \(mask)")
                if m.fitsNarrowWords {
                    #expect(lines.narrowRows[mask] == lines.rows[mask].map { UInt64($0) })
                    #expect(lines.narrowCols[mask] == lines.cols[mask].map { UInt64($0) })
                } else {
                    #expect(lines.narrowRows.isEmpty && lines.narrowCols.isEmpty)
                }
            }
        }
    }

    @Test("the PNG packed by module rows is the PNG drawn pixel by pixel, at scales 1–10, for 300 payloads")
    func pngTwin() {
        for n in 0..<300 {
            let payload = Self.payload(length: 1 + n * 7 % 400, seed: UInt64(n))
            let code = QRCode(bytes: payload)!
            let scale = 1 + n % 10
            #expect(code.png(scale: scale) == code.pngByPixels(scale: scale), "payload \(n), scale \(scale)")
        }
    }

    @Test("the drawing is one image mask over the symbol whose samples are its modules, for 300 payloads")
    func drawingIsTheModules() throws {
        for n in 0..<300 {
            let payload = Self.payload(length: 1 + n * 11 % 600, seed: UInt64(5_000 + n))
            let code = QRCode(bytes: payload)!
            let (x, y, width) = (Double(n % 97) * 1.37, 800 - Double(n % 13) * 61.3, 60 + Double(n % 7) * 12.5)
            var content = PDFContent()
            code.draw(into: &content, x: x, y: y, width: width)
            let lines = String(decoding: content.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
            // The unit square is the symbol: the quiet zone's width inside the corner, no more.
            let module = width / Double(code.size + 2 * QRCode.quietZone)
            let q = Double(QRCode.quietZone)
            let side = PDFContent.number(module * Double(code.size))
            let corner = "\(PDFContent.number(x + module * q)) \(PDFContent.number(y + module * q))"
            #expect(lines.first == "q \(side) 0 0 \(side) \(corner) cm", "payload \(n)")
            #expect(lines[1] == "BI /W \(code.size) /H \(code.size) /IM true /BPC 1 /D [1 0] /F /AHx ID")
            #expect(lines.suffix(3) == [">", "EI", "Q"], "payload \(n)")
            // Each hex line is one row: a sample of 1 (painted, by /D [1 0]) exactly where a module is dark.
            let rows = Array(lines.dropFirst(2).dropLast(3))
            try #require(rows.count == code.size, "payload \(n)")
            for (row, hex) in rows.enumerated() {
                let bytes = try #require(Self.bytes(hex: hex))
                try #require(bytes.count == (code.size + 7) / 8)
                for col in 0..<(bytes.count * 8) {
                    let painted = bytes[col / 8] & (0x80 >> UInt8(col % 8)) != 0
                    if painted != code.isDark(x: col, y: row) {
                        Issue.record("payload \(n): module (\(col), \(row)) is \(painted ? "painted" : "blank")")
                        return
                    }
                }
            }
        }
    }

    /// Hex digits, two per byte; nil if any is not one.
    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let b = UInt8(String(decoding: digits[i..<(i + 2)], as: UTF8.self), radix: 16) else { return nil }
            out.append(b)
        }
        return out
    }

    @Test("the Reed–Solomon remainder equals plain long division on 2,000 random blocks of every degree level M uses")
    func reedSolomonTwin() {
        var rng = SplitMix64(seed: 0x11D)
        let degrees = Array(Set(QRTables.ecPerBlock.dropFirst())).sorted()
        for n in 0..<2000 {
            let degree = degrees[n % degrees.count]
            let generator = ReedSolomon.generator(degree: degree)
            let block = (0..<(1 + Int(rng.next() % 140))).map { _ in
                UInt8(truncatingIfNeeded: rng.next() % (n % 4 == 0 ? 3 : 256))
            }
            let plain = ReedSolomon.remainderByDivision(block[...], generator: generator)
            #expect(
                ReedSolomon.remainder(block[...], products: ReedSolomon.levelMProducts[degree]) == plain, "block \(n)")
        }
    }

    @Test("the fast line penalty equals the plain one on 3,000 random lines")
    func linePenaltyTwin() {
        var rng = SplitMix64(seed: 18004)
        for n in 0..<3000 {
            let size = 21 + 4 * Int(rng.next() % 40)
            // Mostly random, sometimes long runs and planted finder patterns.
            var line = (0..<size).map { _ in UInt8(rng.next() % (n % 3 == 0 ? 8 : 2) == 0 ? 1 : 0) }
            if n % 5 == 0 {
                let at = Int(rng.next() % UInt64(size - 7))
                for (k, v) in [1, 0, 1, 1, 1, 0, 1].enumerated() { line[at + k] = UInt8(v) }
            }
            let padded = [0, 0, 0, 0] + line + [0, 0, 0, 0]
            #expect(QRMatrix.linePenalty(padded, size: size) == Self.referenceLinePenalty(line), "line \(n)")
        }
    }
}

extension QRCodeTests {
    @Test("bits appended several at a time pack as one bit at a time does, on 2,000 random sequences")
    func bitBufferTwin() {
        var rng = SplitMix64(seed: 0b0100)
        for n in 0..<2000 {
            var fast = QRBitBuffer()
            var plain: [Bool] = []
            for _ in 0..<(Int(rng.next() % 60)) {
                let count = Int(rng.next() % 17)
                let value = Int(truncatingIfNeeded: rng.next() >> 1)  // bits above `count` must be ignored
                fast.append(value, count: count)
                for i in stride(from: count - 1, through: 0, by: -1) { plain.append((value >> i) & 1 == 1) }
            }
            var packed = [UInt8](repeating: 0, count: (plain.count + 7) / 8)
            for (i, bit) in plain.enumerated() where bit { packed[i / 8] |= 0x80 >> UInt8(i % 8) }
            #expect(fast.count == plain.count && fast.bytes == packed, "sequence \(n)")
        }
    }

    @Test("the padded lines shifted in module by module are the lines set bit by bit, on 500 random matrices")
    func paddedLinesTwin() {
        var rng = SplitMix64(seed: 1_28)
        for n in 0..<500 {
            var m = QRMatrix(version: 1 + n % 25)
            for i in m.modules.indices { m.modules[i] = rng.next() % (2 + UInt64(n % 5)) == 0 ? 1 : 0 }
            var rows = [UInt128](repeating: 0, count: m.size)
            var cols = [UInt128](repeating: 0, count: m.size)
            for y in 0..<m.size {
                for x in 0..<m.size where m.modules[y * m.size + x] != 0 {
                    rows[y] |= 1 << UInt128(x + 4)
                    cols[x] |= 1 << UInt128(y + 4)
                }
            }
            let lines = m.paddedLines()
            #expect(lines.rows == rows && lines.cols == cols, "matrix \(n)")
        }
    }

    @Test("placing data by the kept positions gives the zigzag's matrix, for every kept version")
    func layoutPlacesAsTheZigzag() {
        var rng = SplitMix64(seed: 7_18004)
        for version in 1...QRMatrix.patternVersions {
            var zigzag = QRMatrix(version: version)
            zigzag.drawFunctionPatterns()
            let layout = QRLayout.all[version - 1]
            #expect(layout.blank.modules == zigzag.modules && layout.blank.isFunction == zigzag.isFunction)
            #expect(layout.dataModules.count == QRTables.rawDataModules(version))
            let codewords = (0..<QRTables.totalCodewords(version)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            zigzag.placeData(codewords)
            var placed = layout.blank
            placed.placeData(codewords, at: layout.dataModules)
            #expect(placed.modules == zigzag.modules, "version \(version)")
        }
    }

    @Test("the generators kept for level M are the generators computed, for every degree")
    func generatorsKept() {
        for degree in 1...30 { #expect(ReedSolomon.levelMGenerators[degree] == ReedSolomon.generator(degree: degree)) }
        #expect(Set(QRTables.ecPerBlock.dropFirst()).allSatisfy { $0 <= 30 })
    }
}

/// The largest byte count version `v` holds.
private func largest(version v: Int) -> Int {
    (0...2331).last { QRCode.fits($0, version: v) }!
}
