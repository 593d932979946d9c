/// "Did you mean …?": the known name nearest to a misspelt one.
enum KeySuggestion {
    /// The candidate nearest to `word` by edit distance (ignoring case), when near enough to be
    /// a plausible typo: at most a third of the word's length (at least one) edits away. Ties
    /// go to the earlier candidate.
    static func nearest(to word: String, in candidates: [String]) -> String? {
        let w = Array(word.lowercased().unicodeScalars)
        let limit = max(1, w.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let d = distance(w, Array(candidate.lowercased().unicodeScalars))
            if d <= limit, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        return best?.name
    }

    /// The hint text for a suggestion, or nil: the key a Portuguese word means
    /// (``RuleKeyGlossary``), else the nearest by spelling.
    static func hint(for word: String, in candidates: [String]) -> String? {
        if let meant = RuleKeyGlossary.meaning(of: word, in: candidates) { return "você quis dizer '\(meant)'?" }
        return nearest(to: word, in: candidates).map { "você quis dizer '\($0)'?" }
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// neighbours (`ofsfet`, `offest`) each cost one.
    static func distance<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d = min(d, before[j - 2] + 1)
                }
                current[j] = d
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
