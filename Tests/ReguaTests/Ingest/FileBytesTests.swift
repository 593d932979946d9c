import Foundation
import Testing

@testable import Regua

/// Input files read into memory or mapped: the same bytes either way, and a file rewritten
/// while it is read is noticed.
@Suite struct FileBytesTests {
    typealias F = IngestFixtures

    private static func contents(_ b: FileBuffer) -> [UInt8] { Array(b.bytes) }

    @Test(arguments: [0, 1, 4095, 4096, 4097, 100_000])
    func mappedAndReadGiveTheFileBytes(size: Int) throws {
        let dir = F.directory()
        defer { F.remove(dir) }
        var rng = SplitMix64(seed: UInt64(size))
        let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let path = try F.write(bytes, "f.csv", in: dir)
        let mapped = try FileBytes.read(path, limit: 1 << 30, mapFrom: 1)
        let read = try FileBytes.read(path, limit: 1 << 30, mapFrom: Int.max)
        #expect(Self.contents(mapped) == bytes)
        #expect(Self.contents(read) == bytes)
        #expect(mapped.change() == nil)
        #expect(read.change() == nil)
    }

    @Test(arguments: [1, Int.max])
    func aFileWrittenToWhileReadIsAChange(mapFrom: Int) throws {
        let dir = F.directory()
        defer { F.remove(dir) }
        let path = try F.write(Array("title_id,customer_id\nT1,C1\n".utf8), "r.csv", in: dir)
        let grown = try FileBytes.read(path, limit: 1 << 20, mapFrom: mapFrom)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("T2,C1\n".utf8))
        handle.closeFile()
        #expect(grown.change() == "its size went from 27 to 33 bytes")

        // Same size, other bytes: the modification time tells.
        let rewritten = try FileBytes.read(path, limit: 1 << 20, mapFrom: mapFrom)
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: path)
        #expect(rewritten.change() == "its modification time changed")
    }

    @Test(arguments: [1, Int.max])
    func aFileReplacedOrRemovedIsNoChange(mapFrom: Int) throws {
        let dir = F.directory()
        defer { F.remove(dir) }
        let original = Array("customer_id\nC1\n".utf8)
        let path = try F.write(original, "c.csv", in: dir)
        let buffer = try FileBytes.read(path, limit: 1 << 20, mapFrom: mapFrom)
        // An export written beside and renamed over the old one: what was read is all the old file.
        let next = try F.write(Array("customer_id\nC1\nC2\n".utf8), "c.csv.new", in: dir)
        #expect(rename(next, path) == 0)
        #expect(buffer.change() == nil)
        #expect(Self.contents(buffer) == original)
        #expect(unlink(path) == 0)
        #expect(buffer.change() == nil)
        #expect(Self.contents(buffer) == original)
    }

    @Test func aDirectoryIsRefused() throws {
        let dir = F.directory()
        defer { F.remove(dir) }
        #expect(throws: FileBytes.Failure.self) { try FileBytes.read(dir, limit: 1 << 20, mapFrom: 1) }
    }
}

/// A pipe (`--customers /dev/stdin`, `<(zcat …)`) is read whole and is no change, though its
/// times move while it is written.
@Suite struct FileBytesPipeTests {
    @Test func aPipeWrittenWhileReadIsReadWhole() throws {
        let dir = IngestFixtures.directory()
        defer { IngestFixtures.remove(dir) }
        let path = dir + "/fifo"
        #expect(mkfifo(path, 0o600) == 0)
        let chunk = Array(repeating: UInt8(ascii: "x"), count: 64 * 1024)
        let writer = Thread {
            let fd = open(path, O_WRONLY)
            for _ in 0..<16 {
                chunk.withUnsafeBytes { _ = write(fd, $0.baseAddress!, $0.count) }
                usleep(2_000)
            }
            close(fd)
        }
        writer.start()
        let buffer = try FileBytes.read(path, limit: 1 << 30, mapFrom: 1)
        #expect(buffer.count == 16 * chunk.count)
        #expect(buffer.change() == nil)
    }
}
