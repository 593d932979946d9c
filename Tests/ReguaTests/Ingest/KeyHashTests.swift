import Testing

@testable import Regua

/// The byte hash of ASCII keys, and the fall-back to String hashing when any key is not ASCII.
@Suite struct KeyHashTests {
    typealias F = IngestFixtures

    @Test func asciiIsToldForEveryLengthAndPosition() {
        for length in 0...40 {
            let plain = String(repeating: "a", count: length)
            #expect(KeyHash.of(plain).ascii, "length \(length)")
            for position in 0..<length {
                var bytes = Array(plain.utf8)
                bytes[position] = 0xC3
                let r = bytes.withUnsafeBufferPointer { KeyHash.of(bytes: $0) }
                #expect(!r.ascii, "length \(length), 0xC3 at \(position)")
            }
        }
    }

    @Test func equalKeysHashAlikeAndDifferentOnesApart() {
        // Every key differs from the others in one byte, or in length only.
        var keys: [String] = []
        for length in 1...33 {
            for position in 0..<length {
                for c in ["0", "1", "Z"] {
                    keys.append(
                        String(repeating: "A", count: position) + c
                            + String(repeating: "A", count: length - position - 1))
                }
            }
        }
        keys = Array(Set(keys))
        let hashes = keys.map { KeyHash.of($0).hash }
        #expect(Set(hashes).count == keys.count)
        for k in keys.prefix(50) {
            let copy = String(decoding: Array(k.utf8), as: UTF8.self)
            #expect(KeyHash.of(copy).hash == KeyHash.of(k).hash)
        }
    }

    @Test func idsLikeAnERPsSpreadOverTheGroups() {
        let bits = 8
        var counts = [Int](repeating: 0, count: 1 << bits)
        let n = 200_000
        for i in 0..<n {
            let id = "C" + String(i + 1_000_000)
            let h = UInt64(bitPattern: Int64(KeyHash.of(id).hash))
            counts[Int(h >> UInt64(64 - bits))] += 1
        }
        let mean = n >> bits
        #expect(counts.max()! < mean * 3 / 2 && counts.min()! > mean / 2, "\(counts.min()!)...\(counts.max()!)")
    }

    /// Probes grouped in parts and matched group by group on every core find what a dictionary
    /// of first occurrences finds: repeated keys (the first wins), unknown probes, groups with
    /// probes in some parts only, one part to many, few groups to many.
    @Test func probesMatchedInPartsFindTheFirstEqualKey() {
        var rng = SplitMix64(seed: 5)
        let keys = (0..<3_000).map { _ in "C\(rng.next() % 2_000)" }
        let probes = (0..<5_000).map { _ in "C\(rng.next() % 2_600)" }
        var first: [String: Int] = [:]
        for (i, k) in keys.enumerated() where first[k] == nil { first[k] = i }
        let expected = probes.map { first[$0] }
        for bits in [0, 3, 8] {
            let groups = KeyGroups(count: keys.count, bits: bits, hash: { KeyHash.of(keys[$0]).hash }) { keys[$0] }
            for parts in [1, 2, 7, 64] {
                let grouped = (0..<parts).map {
                    KeyGroups.part(
                        count: probes.count, $0, of: parts, bits: bits, hash: { KeyHash.of(probes[$0]).hash },
                        key: { probes[$0] })
                }
                #expect(grouped.map(\.records.count).reduce(0, +) == probes.count)
                #expect(
                    Array(groups.match(parts: grouped, count: probes.count)) == expected, "bits \(bits), parts \(parts)"
                )
            }
        }
    }

    /// ``KeyGroups/firstMatches(count:key:probes:probe:)`` finds what a dictionary of first
    /// occurrences finds, with every text ASCII (``KeyHash``) and with one that is not (the
    /// standard hash, canonically equal texts matching): for each key the first equal key, for
    /// each probe the first equal key or nil (unknown probes, repeated keys, several parts).
    @Test(arguments: [false, true])
    func firstMatchesFindWhatADictionaryFinds(nonASCII: Bool) {
        var rng = SplitMix64(seed: nonASCII ? 11 : 7)
        let keys = (0..<40_000).map { _ in "C\(rng.next() % 30_000)" } + (nonASCII ? ["Jos\u{E9}", "K1"] : [])
        let probes =
            (0..<50_000).map { _ in "C\(rng.next() % 36_000)" } + (nonASCII ? ["Jose\u{301}", "\u{212A}1"] : [])
        var first: [String: Int] = [:]
        for (i, k) in keys.enumerated() where first[k] == nil { first[k] = i }
        let (ofKeys, ofProbes) = KeyGroups.firstMatches(
            count: keys.count, key: { keys[$0] }, probes: probes.count, probe: { probes[$0] })
        #expect(ofKeys.map { Int($0) } == keys.map { first[$0]! })
        #expect(Array(ofProbes) == probes.map { first[$0] })
        #expect(ofProbes.contains(nil) && ofProbes.contains { $0 != nil })
        if nonASCII { #expect(ofProbes.suffix(2).allSatisfy { $0 != nil }) }
    }

    /// A customer_id written as ASCII in one file and as a canonically equal non-ASCII text in
    /// the other (Kelvin sign for K; e + combining acute for é) is the same customer.
    @Test(arguments: [
        ("K1", "\u{212A}1"), ("\u{212A}1", "K1"), ("Jos\u{E9}", "Jose\u{301}"), ("Jose\u{301}", "Jos\u{E9}"),
    ])
    func customerIdsMatchAsTextAcrossTheFiles(pair: (String, String)) throws {
        let (inCustomers, inTitles) = pair
        let customers = F.customersHeader + "\n" + F.customer(inCustomers) + "\n" + F.customer("C2") + "\n"
        let receivables =
            "title_id,customer_id,due_date,amount\nT1,\(inTitles),2026-11-25,10.00\nT2,C2,2026-11-25,10.00\n"
            + "T3,C3,2026-11-25,10.00\n"
        for split in [1, Int.max] {
            let inputs = try F.read(customers: customers, receivables: receivables, pieceBytes: split)
            #expect(inputs.titles.map(\.id.raw) == ["T1", "T2"])
            #expect(inputs.rejects.map(\.line) == [4])
        }
    }
}
