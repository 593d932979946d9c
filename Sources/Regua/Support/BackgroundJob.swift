import Foundation

/// Work that runs beside the night's main thread and blocks (file creation, a ledger
/// transaction waiting for the flush): it gets a thread of its own, so it never holds one of
/// the few pool threads that the parallel stages (`concurrentPerform`) share out by core.
final class BackgroundJob: @unchecked Sendable {  // `done` orders the closure before `wait()` returns
    private let done = DispatchSemaphore(value: 0)
    private var finished = false

    /// Starts `work` on a new thread.
    init(_ name: String, _ work: @escaping @Sendable () -> Void) {
        let thread = Thread { [done] in
            work()
            done.signal()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Waits until the work is done (at once after the first wait).
    func wait() {
        if finished { return }
        done.wait()
        finished = true
    }
}
