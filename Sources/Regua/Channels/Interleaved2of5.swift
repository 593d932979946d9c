/// Interleaved 2 of 5, the symbology of the boleto barcode (FEBRABAN): digits in pairs, the
/// first drawn in the bars and the second in the spaces, each as five elements of which two
/// are wide; start pattern narrow bar-space-bar-space, stop pattern wide bar, narrow space,
/// narrow bar.
enum Interleaved2of5 {
    /// Wide (true) / narrow (false) elements of each digit.
    private static let patterns: [[Bool]] = [
        [false, false, true, true, false],  // 0
        [true, false, false, false, true],  // 1
        [false, true, false, false, true],  // 2
        [true, true, false, false, false],  // 3
        [false, false, true, false, true],  // 4
        [true, false, true, false, false],  // 5
        [false, true, true, false, false],  // 6
        [false, false, false, true, true],  // 7
        [true, false, false, true, false],  // 8
        [false, true, false, true, false],  // 9
    ]

    /// The symbol's elements in order, alternating bar and space starting with a bar; `true`
    /// is wide. `nil` unless `digits` is an even number of ASCII digits.
    static func elements(_ digits: String) -> [Bool]? {
        let d = digits.utf8.map { Int($0) - 48 }
        guard !d.isEmpty, d.count % 2 == 0, d.allSatisfy({ (0...9).contains($0) }) else { return nil }
        var out: [Bool] = [false, false, false, false]
        for pair in stride(from: 0, to: d.count, by: 2) {
            let bars = patterns[d[pair]], spaces = patterns[d[pair + 1]]
            for i in 0..<5 {
                out.append(bars[i])
                out.append(spaces[i])
            }
        }
        out += [true, false, false]
        return out
    }

    /// Draws the symbol with its bottom-left corner at (x, y); returns its width in points.
    @discardableResult
    static func draw(
        _ digits: String, into content: inout PDFContent, x: Double, y: Double,
        narrow: Double, height: Double
    ) -> Double {
        guard let elements = elements(digits) else { return 0 }
        // In narrow-bar units across and the bar height up, so each bar is a few small integers.
        content.scaled(narrow, height, origin: x, y)
        var cursor = 0
        for (i, wide) in elements.enumerated() {
            let w = wide ? 3 : 1
            if i % 2 == 0 { content.unitRect(x: cursor, y: 0, width: w, height: 1) }
            cursor += w
        }
        content.fill()
        content.restore()
        return Double(cursor) * narrow
    }
}
