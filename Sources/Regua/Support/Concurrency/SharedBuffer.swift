/// A view of memory that several threads read at once and nobody writes: a whole input file's
/// bytes, read in pieces on every core and hashed on another thread meanwhile.
///
/// `@unchecked Sendable` is safe because of how it is used, which the compiler cannot see:
/// a `SharedBuffer` is made only over memory that is never written again (a file's bytes once
/// read, or its read-only mapping), and whose owner (the ``FileBuffer``) is kept alive until
/// every thread that reads it is done (the ingest waits for them before it returns). Reading
/// the same bytes from several threads is no race.
struct SharedBuffer<Element: Sendable>: @unchecked Sendable {
    /// The memory, to be read only.
    let buffer: UnsafeBufferPointer<Element>

    /// A view of `buffer`, which nobody may write from now on.
    init(_ buffer: UnsafeBufferPointer<Element>) {
        self.buffer = buffer
    }
}
