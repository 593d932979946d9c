import Foundation

/// Work that runs beside the night's main thread and blocks (file creation, a ledger
/// transaction waiting for the flush): it gets a thread of its own, so it never holds one of
/// the few pool threads that the parallel stages (`concurrentPerform`) share out by core.
///
/// The job returns its result, which ``wait()`` hands back (no box written by one thread and
/// read by another); the result crosses threads through a ``Locked`` value.
final class BackgroundJob<Result: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// The result, once the work returned; kept after the first wait for the next ones.
    private let result = Locked<Result?>(nil)

    /// Starts `work` on a new thread.
    init(_ name: String, _ work: @escaping @Sendable () -> Result) {
        let thread = Thread { [done, result] in
            let value = work()
            result.set(value)
            done.signal()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Waits until the work is done (at once after the first wait) and returns its result.
    @discardableResult
    func wait() -> Result {
        if let value = result.value { return value }
        done.wait()
        return result.value!
    }
}
