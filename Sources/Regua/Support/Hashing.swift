import Crypto

/// SHA-256 helpers for the manifest, the ledger's input hashes and deterministic ids.
public enum Hashing {
    /// Lower-case hex SHA-256 of bytes.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        hex(SHA256.hash(data: Array(bytes)))
    }

    /// Lower-case hex SHA-256 of a string's UTF-8.
    public static func sha256Hex(_ text: String) -> String { sha256Hex(Array(text.utf8)) }

    /// A plain incremental SHA-256 (no labels, unlike ``HashBuilder``) whose digest so far can
    /// be read and the hashing go on: a file that carries the hash of its own first part is
    /// hashed once for both.
    struct Stream {
        private var hasher = SHA256()

        /// Adds bytes.
        mutating func update(_ bytes: [UInt8]) { hasher.update(data: bytes) }

        /// The lower-case hex digest of everything added so far.
        var hex: String { Hashing.hex(hasher.finalize()) }
    }

    /// Lower-case hex of a digest.
    public static func hex(_ digest: some Sequence<UInt8>) -> String {
        let table = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in digest {
            out.append(table[Int(b >> 4)])
            out.append(table[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// An incremental SHA-256 for several inputs (e.g. every rule file in order).
public struct HashBuilder {
    private var hasher = SHA256()
    /// Creates an empty hash.
    public init() {}
    /// Adds a labelled chunk; the label and length prefix keep ("ab","c") apart from ("a","bc").
    public mutating func add(label: String, _ bytes: some Collection<UInt8>) {
        hasher.update(data: Array((label + "\u{0}" + String(bytes.count) + "\u{0}").utf8))
        hasher.update(data: Array(bytes))
    }
    /// The hex digest.
    public func finish() -> String { Hashing.hex(hasher.finalize()) }
}
