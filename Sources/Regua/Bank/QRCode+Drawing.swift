extension QRCode {
    /// The symbol as a PNG, `scale` pixels per module, quiet zone included.
    public func png(scale: Int) -> [UInt8] {
        let s = max(1, scale), q = Self.quietZone
        let side = (size + 2 * q) * s
        // Each module row is packed once and repeated `scale` times.
        var rows: [[UInt8]] = []
        rows.reserveCapacity(side)
        for my in -q..<(size + q) {
            let packed = PNG.packRow(width: side) { x in isDark(x: x / s - q, y: my) }
            for _ in 0..<s { rows.append(packed) }
        }
        return PNG.bilevel(width: side, packedRows: rows)
    }

    /// Draws the symbol as filled rectangles, `width` points wide quiet zone included, with its
    /// bottom-left corner (quiet zone included) at (x, y). Runs of dark modules in a row become
    /// one rectangle, so a version-10 symbol is some hundreds of them.
    func draw(into content: inout PDFContent, x: Double, y: Double, width: Double) {
        let module = width / Double(size + 2 * Self.quietZone)
        let left = x + module * Double(Self.quietZone)
        let top = y + width - module * Double(Self.quietZone)
        for row in 0..<size {
            var col = 0
            while col < size {
                guard isDark(x: col, y: row) else {
                    col += 1
                    continue
                }
                var end = col
                while end < size, isDark(x: end, y: row) { end += 1 }
                content.rect(
                    x: left + Double(col) * module, y: top - Double(row + 1) * module,
                    width: Double(end - col) * module, height: module)
                col = end
            }
        }
        content.fill()
    }
}
