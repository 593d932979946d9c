extension Array {
    /// Removes the elements whose flag in `dropped` is set, keeping the order of the rest.
    ///
    /// Titles and customers are large structs and a night drops a few rows out of a million:
    /// the runs of kept elements are moved down bitwise (one memmove each, no retain or release),
    /// the dropped ones are parked aside and destroyed at the end. The old way swapped every
    /// element after the first drop, three copies of 150 bytes per title.
    mutating func removeMarked(_ dropped: [Bool]) {
        precondition(dropped.count == count, "one flag per element")
        let droppedCount = dropped.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard droppedCount > 0 else { return }
        let parked = UnsafeMutablePointer<Element>.allocate(capacity: droppedCount)
        defer { parked.deallocate() }
        var kept = 0
        withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            let n = buffer.count
            var parkedCount = 0
            var i = 0
            while i < n {
                if dropped[i] {
                    (parked + parkedCount).moveInitialize(from: p + i, count: 1)
                    parkedCount += 1
                    i += 1
                    continue
                }
                var j = i + 1
                while j < n, !dropped[j] { j += 1 }
                // [kept, i) is moved-from memory; the regions may overlap (memmove).
                if kept != i { (p + kept).moveInitialize(from: p + i, count: j - i) }
                kept += j - i
                i = j
            }
            // The tail takes the dropped elements back, to be destroyed by removeLast.
            (p + kept).moveInitialize(from: parked, count: parkedCount)
        }
        removeLast(count - kept)
    }
}
