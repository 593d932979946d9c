#if canImport(Glibc)
    import Glibc
#endif

/// Byte order of texts (what `a.utf8.lexicographicallyPrecedes(b.utf8)` says), with one
/// `memcmp` over each text's contiguous UTF-8 instead of a generic element-by-element walk:
/// ids are compared millions of times a night when titles and customers are put in order.
enum UTF8Order {
    static func precedes(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool in
                let n = min(x.count, y.count)
                if n > 0 {
                    let c = memcmp(x.baseAddress!, y.baseAddress!, n)
                    if c != 0 { return c < 0 }
                }
                return x.count < y.count
            }
        }
        if let answer = fast ?? nil { return answer }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
