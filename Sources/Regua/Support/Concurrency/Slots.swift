/// Room in memory that several threads fill at once, each slot by exactly one of them: the
/// uninitialized room of an array being built (``Parallel/map(_:_:)``, the pieces of
/// ``Chunking``, the tables of ``KeyGroups``).
///
/// `@unchecked Sendable` is safe because of how it is used, which the compiler cannot see: the
/// memory belongs to an array (`Array(unsafeUninitializedCapacity:)`, `withUnsafeMutableBufferPointer`)
/// whose closure outlives every thread that writes (they are joined by `concurrentPerform`
/// before it returns); no two threads write the same slot at the same time (each writes its
/// own slots, or a region is handed whole from one thread to the next under a lock, as the
/// pieces of ``Chunking`` are); and nobody reads a slot before the thread that wrote it is
/// joined or has handed it over. `T` is `Sendable`, so the values themselves may cross threads.
struct Slots<T: Sendable>: @unchecked Sendable {
    /// The first slot.
    let base: UnsafeMutablePointer<T>
    /// How many slots there are.
    let count: Int

    /// The room of `buffer` (a dangling, never dereferenced start when it has none).
    init(_ buffer: UnsafeMutableBufferPointer<T>) {
        base = buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<T>.alignment)!
        count = buffer.count
    }

    /// The slots from `offset` on.
    func dropFirst(_ offset: Int) -> Slots {
        precondition(offset >= 0 && offset <= count, "no such slot")
        return Slots(base: base + offset, count: count - offset)
    }

    private init(base: UnsafeMutablePointer<T>, count: Int) {
        self.base = base
        self.count = count
    }

    /// Writes slot `i` (uninitialized until now).
    @inline(__always)
    func initialize(_ i: Int, to value: T) {
        precondition(i >= 0 && i < count, "no such slot")
        (base + i).initialize(to: value)
    }

    /// Replaces the value of slot `i` (initialized already).
    @inline(__always)
    func assign(_ i: Int, _ value: T) {
        precondition(i >= 0 && i < count, "no such slot")
        base[i] = value
    }
}
