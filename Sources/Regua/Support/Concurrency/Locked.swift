import Synchronization

/// A value shared by threads, every access under its lock: the one locked-value type of the
/// package (modelled on swift-nio's `NIOLockedValueBox`, built on the standard library's
/// `Mutex`), for results written on one thread and read on another, and for state that
/// several threads update.
///
/// A class, so that closures which escape (a thread's body, a URLSession callback) can share it;
/// `Mutex` itself cannot be captured by them. It is `Sendable` as checked by the compiler: its
/// only stored property is the `Mutex`, which is.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    /// A box holding `value`.
    init(_ value: Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with the value, holding the lock; whatever it returns is returned.
    func withLock<R: Sendable, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        try mutex.withLock { (value: inout Value) throws(E) -> R in try body(&value) }
    }

    /// The value now (a copy, read under the lock).
    var value: Value {
        get { withLock { $0 } }
    }

    /// Replaces the value (under the lock).
    func set(_ newValue: Value) {
        withLock { $0 = newValue }
    }
}
