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
    ///
    /// Every bar's rectangle ends with the same y, one of two widths and the height, so those
    /// two tails are written once and each bar writes only its x: the same bytes as
    /// ``drawByRectangles(_:into:x:y:narrow:height:)``, the plain twin the tests hold it to.
    @discardableResult
    static func draw(
        _ digits: String, into content: inout PDFContent, x: Double, y: Double,
        narrow: Double, height: Double
    ) -> Double {
        guard let elements = elements(digits) else { return 0 }
        func tail(_ w: Double) -> [UInt8] {
            [0x20] + PDFContent.numberBytes(y) + [0x20] + PDFContent.numberBytes(w) + [0x20]
                + PDFContent.numberBytes(height) + Array(" re f\n".utf8)
        }
        let narrowTail = tail(narrow), wideTail = tail(narrow * 3)
        var cursor = x
        for (i, wide) in elements.enumerated() {
            let w = wide ? narrow * 3 : narrow
            if i % 2 == 0 {
                content.appendNumber(cursor)
                content.appendRaw(wide ? wideTail : narrowTail)
            }
            cursor += w
        }
        return cursor - x
    }

    /// ``draw(_:into:x:y:narrow:height:)`` a bar at a time through ``PDFContent/fillRect(x:y:width:height:)``.
    @discardableResult
    static func drawByRectangles(
        _ digits: String, into content: inout PDFContent, x: Double, y: Double,
        narrow: Double, height: Double
    ) -> Double {
        guard let elements = elements(digits) else { return 0 }
        var cursor = x
        for (i, wide) in elements.enumerated() {
            let w = wide ? narrow * 3 : narrow
            if i % 2 == 0 { content.fillRect(x: cursor, y: y, width: w, height: height) }
            cursor += w
        }
        return cursor - x
    }
}
