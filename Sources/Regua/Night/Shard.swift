import Crypto

/// One shard of a sharded night, `--shard K/N` (SPEC §5 "Past one machine"): the customers
/// whose shard is K, where a customer's shard is int(first 8 hex digits of
/// SHA-256(customer_id), 16) mod N.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// This shard's index, 0 ≤ index < count.
    public let index: Int
    /// How many shards the night has.
    public let count: Int

    /// A shard K of N, or nil unless 0 ≤ K < N.
    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `K/N` as given to `--shard`, or nil when it is not two numbers with 0 ≤ K < N.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let k = Int(parts[0]), let n = Int(parts[1])
        else { return nil }
        self.init(index: k, count: n)
    }

    /// The shard (0 ..< count) of a customer: the first 32 bits of SHA-256 of its id's UTF-8,
    /// big-endian, modulo `count`.
    public static func of(_ customer: CustomerID, count: Int) -> Int {
        let digest = Array(SHA256.hash(data: Array(customer.raw.utf8)))
        let first = UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
        return Int(first % UInt32(count))
    }

    /// Whether a customer belongs to this shard.
    public func contains(_ customer: CustomerID) -> Bool { Self.of(customer, count: count) == index }

    /// The shard's folder under `out/<date>/`: `shard-K-of-N`.
    public var folderName: String { "shard-\(index)-of-\(count)" }

    /// `K/N`, as `--shard` takes it.
    public var description: String { "\(index)/\(count)" }
}
