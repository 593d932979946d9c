import Testing

@testable import Regua

/// The unsafe memory helpers of ingest (``UnsafeBytes``, ``TextBytes``, ``FileBuffer``) against
/// plain references: byte-by-byte loads, arrays written element by element, filters.
@Suite struct UnsafeBytesTests {
    typealias F = IngestFixtures

    private static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    /// Little-endian: byte 0 is the lowest.
    private static func plainWord(_ b: [UInt8], _ i: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[i + $1]) << UInt64(8 * $1) }
    }

    @Test func wordsAndVectorsAreTheBytesAtEveryOffset() {
        let bytes = Self.randomBytes(64, seed: 7)
        bytes.withUnsafeBufferPointer { b in
            for i in 0...(bytes.count - 8) {
                #expect(UnsafeBytes.word(b, i) == Self.plainWord(bytes, i), "word at \(i)")
            }
            for i in 0...(bytes.count - 16) {
                let v = UnsafeBytes.vector16(b, i)
                #expect((0..<16).map { v[$0] } == Array(bytes[i..<(i + 16)]), "vector at \(i)")
            }
            // A word ending exactly at the end of a slice of the bytes.
            let tail = CellBytes(rebasing: b[50..<58])
            #expect(UnsafeBytes.word(tail, 0) == Self.plainWord(bytes, 50))
        }
    }

    @Test func anArrayHoldsWhatItsSlotsWereGiven() {
        for capacity in [0, 1, 5, 1_000, 300_000] {
            // Written out of order (as ``KeyGroups`` writes its records), then only a prefix of
            // the room counted.
            let used = capacity / 2 + capacity % 2
            let strings: [String] = UnsafeBytes.array(capacity: capacity, prefault: capacity > 1_000) { slots in
                for i in (0..<used).reversed() { slots.initialize(i, to: "s\(i)") }
                return used
            }
            #expect(strings == (0..<used).map { "s\($0)" }, "capacity \(capacity)")
        }
    }

    @Test func threeArraysAreFilledAtOnce() {
        let (a, b, c): ([Int], [String], [Int32]) = UnsafeBytes.arrays(capacities: (10, 0, 4)) { x, _, z in
            for i in 0..<10 { x.initialize(i, to: i * i) }
            for i in 0..<3 { z.initialize(i, to: Int32(-i)) }
            return (10, 0, 3)
        }
        #expect(a == (0..<10).map { $0 * $0 })
        #expect(b.isEmpty)
        #expect(c == [0, -1, -2])
    }

    @Test func anArrayIsUpdatedThroughItsSlots() {
        var values = [Int](repeating: -1, count: 100)
        UnsafeBytes.update(&values) { slots in
            for i in stride(from: 0, to: 100, by: 3) { slots.assign(i, i) }
        }
        #expect(values == (0..<100).map { $0 % 3 == 0 ? $0 : -1 })
    }

    /// Appending without controls: the bytes when none is a C0 control or DEL, nothing
    /// otherwise; after text already there, through many growths of a one-byte buffer.
    @Test func textWithoutControlsIsAppendedAndTextWithOneIsNot() {
        var rng = SplitMix64(seed: 42)
        let out = TextBytes(capacity: 1)
        var expected: [UInt8] = []
        for round in 0..<2_000 {
            let length = Int(rng.next() % 40)
            var cell = (0..<length).map { _ in UInt8(32 + rng.next() % 95) }
            if length > 0, rng.next() % 3 == 0 {
                let controls: [UInt8] = [0, 9, 10, 13, 31, 127]
                cell[Int(rng.next() % UInt64(length))] = controls[Int(rng.next() % 6)]
            }
            let plain = !cell.contains { $0 < 32 || $0 == 127 }
            let appended = cell.withUnsafeBufferPointer { out.appendWithoutControls($0) }
            #expect(appended == plain, "round \(round): \(cell)")
            if plain { expected += cell }
            #expect(out.count == expected.count)
        }
        #expect(Array(out.buffer) == expected)
        out.append(Array("é!".utf8)[...])
        #expect(Array(out.buffer) == expected + Array("é!".utf8))
    }

    @Test(arguments: [1, Int.max])
    func aFileBufferHashesItsBytes(mapFrom: Int) throws {
        let dir = F.directory()
        defer { F.remove(dir) }
        for size in [0, 1, 65, 100_000] {
            let bytes = Self.randomBytes(size, seed: UInt64(size))
            let path = try F.write(bytes, "f\(size).csv", in: dir)
            let buffer = try FileBytes.read(path, limit: 1 << 30, mapFrom: mapFrom)
            #expect(buffer.sha256Hex() == Hashing.sha256Hex(bytes), "size \(size)")
        }
    }

    /// Numbers written from digits: a CEP keeps its leading zeros, an E.164 number is `+55`
    /// and the national digits, as a plain digit filter gives them.
    @Test func zipsAndPhonesKeepEveryDigit() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<2_000 {
            let digits = String(format8: rng.next() % 100_000_000)
            let written = String(digits.prefix(5)) + "-" + String(digits.suffix(3))
            #expect(ContactFields.zip(written) == (digits == "00000000" ? nil : digits), "\(written)")
            let ddd = [11, 21, 31, 41, 51, 61, 71, 81, 91, 99][Int(rng.next() % 10)]
            let mobile = "9" + String(format8: rng.next() % 100_000_000)
            let text = "(\(ddd)) \(mobile.prefix(5))-\(mobile.suffix(4))"
            #expect(BrazilianPhone.e164(text) == "+55\(ddd)\(mobile)", "\(text)")
        }
    }
}

extension String {
    /// `value` in eight digits, leading zeros kept (a plain reference: one digit at a time).
    fileprivate init(format8 value: UInt64) {
        var v = value
        var digits: [Character] = []
        for _ in 0..<8 {
            digits.insert(Character(String(v % 10)), at: 0)
            v /= 10
        }
        self = String(digits)
    }
}
