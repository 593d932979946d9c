import Dispatch

/// Work spread over the cores: two jobs at once, or `count` jobs taken by the cores as they are
/// free (`DispatchQueue.concurrentPerform`), with results in index order so that nothing depends
/// on which thread did what.
///
/// The closures are `@Sendable`, so the compiler checks that they share nothing mutable; each
/// job returns what it made instead of writing into a captured variable.
enum Parallel {
    /// Runs two pieces of work at once and returns both results.
    static func both<A: Sendable, B: Sendable>(_ a: @Sendable () -> A, _ b: @Sendable () -> B) -> (A, B) {
        let results = map(2) { i -> Either<A, B> in i == 0 ? .first(a()) : .second(b()) }
        guard case .first(let x) = results[0], case .second(let y) = results[1] else {
            preconditionFailure("each job returns its own kind")
        }
        return (x, y)
    }

    /// Runs `work` for `0..<count` on every core, each core taking the next index as it is free.
    static func each(_ count: Int, _ work: @Sendable (Int) -> Void) {
        if count == 1 {
            work(0)
        } else if count > 1 {
            DispatchQueue.concurrentPerform(iterations: count, execute: work)
        }
    }

    /// ``each(_:_:)`` returning the results in index order.
    static func map<T: Sendable>(_ count: Int, _ work: @Sendable (Int) -> T) -> [T] {
        if count <= 1 { return count == 1 ? [work(0)] : [] }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let slots = Slots(buffer)
            each(count) { slots.initialize($0, to: work($0)) }
            initialized = count
        }
    }

    /// ``map(_:_:)`` over `0..<total` cut into `chunks` equal ranges: each result is the work
    /// of one range, in order.
    static func mapRanges<T: Sendable>(_ total: Int, chunks: Int, _ work: @Sendable (Range<Int>) -> T) -> [T] {
        map(chunks) { chunk in work((total * chunk / chunks)..<(total * (chunk + 1) / chunks)) }
    }

    /// One of the two results of ``both(_:_:)``.
    private enum Either<A: Sendable, B: Sendable>: Sendable {
        case first(A)
        case second(B)
    }
}
