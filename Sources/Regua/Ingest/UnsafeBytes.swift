/// The raw memory reads and writes of ingest outside its scanner (``UnsafeCSVScanner``) and
/// its chunks (``ChunkWriter``), each behind a checked, value-level interface: loads of
/// whole words from cell and file bytes, the growable bytes a row's text goes into, and
/// arrays written slot by slot before they are whole.
///
/// Unsafe by name: everything here reads or writes through pointers. Every entry point checks
/// its range, so a caller cannot reach past the memory it names.
enum UnsafeBytes {
    /// The eight bytes of `b` from offset `i` as one little-endian word (`i + 8 <= b.count`).
    @inline(__always)
    static func word(_ b: CellBytes, _ i: Int) -> UInt64 {
        precondition(i >= 0 && i + 8 <= b.count, "a word past the bytes")
        return UnsafeRawPointer(b.baseAddress.unsafelyUnwrapped + i).loadUnaligned(as: UInt64.self)
    }

    /// The sixteen bytes of `b` from offset `i` as one vector (`i + 16 <= b.count`).
    @inline(__always)
    static func vector16(_ b: CellBytes, _ i: Int) -> SIMD16<UInt8> {
        precondition(i >= 0 && i + 16 <= b.count, "a vector past the bytes")
        return UnsafeRawPointer(b.baseAddress.unsafelyUnwrapped + i).loadUnaligned(as: SIMD16<UInt8>.self)
    }

    /// An array of room for `capacity` elements, of which `fill` initializes (through the
    /// ``Slots`` it is given, from any thread, each slot once) the first `n` it returns; with
    /// `prefault`, its pages are made present first (``Prefault``), as all are about to be written.
    static func array<T: Sendable>(capacity: Int, prefault: Bool = false, _ fill: (Slots<T>) -> Int) -> [T] {
        [T](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            if prefault, let base = buffer.baseAddress { Prefault.forWriting(base, count: capacity) }
            let n = fill(Slots(buffer))
            precondition(n >= 0 && n <= capacity, "more elements than room")
            initialized = n
        }
    }

    /// Three arrays made as ``array(capacity:prefault:_:)`` makes one, filled by one call (the
    /// pieces of a file write their items, link hashes and sightings at once).
    static func arrays<A: Sendable, B: Sendable, C: Sendable>(
        capacities: (Int, Int, Int), _ fill: (Slots<A>, Slots<B>, Slots<C>) -> (Int, Int, Int)
    ) -> ([A], [B], [C]) {
        var b: [B] = []
        var c: [C] = []
        let a = [A](unsafeUninitializedCapacity: capacities.0) { aBuffer, aCount in
            b = [B](unsafeUninitializedCapacity: capacities.1) { bBuffer, bCount in
                c = [C](unsafeUninitializedCapacity: capacities.2) { cBuffer, cCount in
                    let n = fill(Slots(aBuffer), Slots(bBuffer), Slots(cBuffer))
                    precondition(
                        n.0 >= 0 && n.0 <= capacities.0 && n.1 >= 0 && n.1 <= capacities.1 && n.2 >= 0
                            && n.2 <= capacities.2, "more elements than room")
                    (aCount, bCount, cCount) = n
                }
            }
        }
        return (a, b, c)
    }

    /// A String of ASCII bytes written in place by `write` into room for `capacity` of them
    /// (no array; up to 15 bytes, a small String without an allocation); `write` returns how
    /// many it wrote, from the start. Bytes outside ASCII would be repaired as UTF-8.
    static func asciiString(capacity: Int, _ write: (ASCIIRoom) -> Int) -> String {
        String(unsafeUninitializedCapacity: capacity) { out in
            out.initialize(repeating: 32)
            let n = write(ASCIIRoom(bytes: out))
            precondition(n >= 0 && n <= capacity, "more bytes than room")
            return n
        }
    }

    /// Runs `body` on the elements of `array` as ``Slots`` (to be assigned from any thread,
    /// each slot at most once).
    static func update<T: Sendable>(_ array: inout [T], _ body: (Slots<T>) -> Void) {
        array.withUnsafeMutableBufferPointer { body(Slots($0)) }
    }
}

/// The room of ``UnsafeBytes/asciiString(capacity:_:)``: bytes set by index, each index checked.
struct ASCIIRoom {
    fileprivate let bytes: UnsafeMutableBufferPointer<UInt8>

    /// Byte `i` of the room (`0..<capacity`).
    subscript(i: Int) -> UInt8 {
        get {
            precondition(i >= 0 && i < bytes.count, "no such byte")
            return bytes[i]
        }
        nonmutating set {
            precondition(i >= 0 && i < bytes.count, "no such byte")
            bytes[i] = newValue
        }
    }
}

/// Growable bytes that a row's text is appended to: one capacity check and a copy per append,
/// not the generic path of an array (a quarter of a million customers, a dozen cells each).
final class TextBytes {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1_024) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes so far (valid until the next append).
    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Empties the buffer, keeping its room.
    func removeAll() { count = 0 }

    /// Room for `extra` more bytes, and where they go.
    @inline(__always)
    private func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        if count + extra > capacity { grow(count + extra) }
        return base + count
    }

    /// Appends bytes.
    @inline(__always)
    func append(_ b: CellBytes) {
        guard let from = b.baseAddress else { return }
        reserve(b.count).update(from: from, count: b.count)
        count += b.count
    }

    /// Appends bytes of an array.
    func append(_ b: ArraySlice<UInt8>) {
        b.withUnsafeBufferPointer { append($0) }
    }

    /// Appends a String's UTF-8.
    func append(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    /// Appends `b` unless it holds a C0 control or DEL (the only controls ASCII has): copied and
    /// checked in one pass of eight bytes at a time; when it holds one, nothing is appended and
    /// the answer is false.
    func appendWithoutControls(_ b: CellBytes) -> Bool {
        let n = b.count
        // Room for the cell and for the last word's bytes past it (written, then not counted).
        let to = reserve(n + 8)
        var controls: UInt64 = 0
        var i = 0
        while i + 8 <= n {
            let w = UnsafeBytes.word(b, i)
            UnsafeMutableRawPointer(to + i).storeBytes(of: w, as: UInt64.self)
            controls |= SWAR.lessMask(w, 32) | SWAR.equalMask(w, SWAR.ones &* 127)
            i += 8
        }
        while i < n {
            let c = b[i]
            to[i] = c
            if c < 32 || c == 127 { controls = 1 }
            i += 1
        }
        if controls != 0 { return false }
        count += n
        return true
    }

    private func grow(_ needed: Int) {
        let bigger = max(capacity * 2, needed)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = bigger
    }
}
