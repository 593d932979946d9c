import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Seconds per stage of a night and the process's peak resident memory.
public struct StageTimings: Codable, Sendable, Equatable {
    /// Stage name (ingest, ledger, decide, render, write) → seconds, summed over its laps.
    public var seconds: [String: Double] = [:]
    /// Seconds of the whole run.
    public var total: Double = 0
    /// Peak resident set size of the process, in KiB (getrusage).
    public var peakRSSKiB: Int = 0
    /// Creates empty timings.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case seconds, total
        case peakRSSKiB = "peakRssKib"
    }
}

/// A monotonic stopwatch that charges the time since the last lap to a stage.
struct StageClock {
    private let start = DispatchTime.now().uptimeNanoseconds
    private var last = DispatchTime.now().uptimeNanoseconds
    private var timings = StageTimings()
    /// Every lap in order, for the debug log (`ledger 0.05s, decide 1.40s, ledger 0.02s, …`).
    private(set) var laps: [(stage: String, seconds: Double)] = []

    mutating func lap(_ stage: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        timings.seconds[stage, default: 0] += Double(now - last) / 1e9
        laps.append((stage, Double(now - last) / 1e9))
        last = now
    }

    /// The laps as one line.
    var lapsDescription: String {
        laps.map { "\($0.stage) \(String(format: "%.3f", $0.seconds))s" }.joined(separator: ", ")
    }

    func finish() -> StageTimings {
        var t = timings
        t.total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        t.peakRSSKiB = Int(usage.ru_maxrss)
        return t
    }
}
