extension QRCode {
    /// The symbol as a PNG, `scale` pixels per module, quiet zone included.
    ///
    /// Each module row is packed once (all white, then every dark module's pixels cleared)
    /// and repeated `scale` times straight into the image data; ``pngByPixels(scale:)`` is the
    /// plain twin the tests hold it to, byte for byte.
    public func png(scale: Int) -> [UInt8] {
        let s = max(1, scale), q = Self.quietZone
        let side = (size + 2 * q) * s
        let rowBytes = (side + 7) / 8
        // White is 1; the bits past the right edge stay 0, as PNG.packRow leaves them.
        var white = [UInt8](repeating: 0xFF, count: rowBytes)
        if side % 8 != 0 { white[rowBytes - 1] = 0xFF << UInt8(8 - side % 8) }
        var raw: [UInt8] = []
        raw.reserveCapacity(side * (rowBytes + 1))
        func appendRow(_ row: [UInt8], times: Int) {
            for _ in 0..<times {
                raw.append(0)  // filter type None
                raw += row
            }
        }
        appendRow(white, times: q * s)
        var packed = white
        for y in 0..<size {
            packed = white
            let row = y * size
            for x in 0..<size where modules[row + x] != 0 {
                let first = (x + q) * s
                for p in first..<(first + s) { packed[p >> 3] &= ~(0x80 >> UInt8(p & 7)) }
            }
            appendRow(packed, times: s)
        }
        appendRow(white, times: q * s)
        return PNG.bilevel(width: side, height: side, filteredRows: raw)
    }

    /// ``png(scale:)`` pixel by pixel through ``isDark(x:y:)`` and ``PNG/packRow(width:isBlack:)``.
    func pngByPixels(scale: Int) -> [UInt8] {
        let s = max(1, scale), q = Self.quietZone
        let side = (size + 2 * q) * s
        return PNG.bilevel(width: side, height: side) { x, y in isDark(x: x / s - q, y: y / s - q) }
    }

    /// Draws the symbol as filled rectangles, `width` points wide quiet zone included, with its
    /// bottom-left corner (quiet zone included) at (x, y). Runs of dark modules in a row become
    /// one rectangle, so a version-10 symbol is some hundreds of them.
    ///
    /// A rectangle's four numbers depend only on its column, its row and its run's length, so
    /// each of those is written once per symbol (with the separators and operator around it)
    /// and the rectangles are assembled from the pieces: the same numbers from the same
    /// expressions, so the same bytes as ``drawByRectangles(into:x:y:width:)``, the plain twin
    /// the tests hold it to.
    func draw(into content: inout PDFContent, x: Double, y: Double, width: Double) {
        let module = width / Double(size + 2 * Self.quietZone)
        let left = x + module * Double(Self.quietZone)
        let top = y + width - module * Double(Self.quietZone)
        let space: [UInt8] = [0x20]
        let columns = (0..<size).map { PDFContent.numberBytes(left + Double($0) * module) + space }
        let rows = (0..<size).map { PDFContent.numberBytes(top - Double($0 + 1) * module) + space }
        let tail = space + PDFContent.numberBytes(module) + Array(" re\n".utf8)
        // Index 0 unused: a run is at least one module long.
        let runs = (0...size).map { PDFContent.numberBytes(Double($0) * module) + tail }
        for row in 0..<size {
            let line = row * size
            var col = 0
            while col < size {
                guard modules[line + col] != 0 else {
                    col += 1
                    continue
                }
                var end = col + 1
                while end < size, modules[line + end] != 0 { end += 1 }
                content.appendRaw(columns[col])
                content.appendRaw(rows[row])
                content.appendRaw(runs[end - col])
                col = end
            }
        }
        content.fill()
    }

    /// ``draw(into:x:y:width:)`` a rectangle at a time through ``PDFContent/rect(x:y:width:height:)``.
    func drawByRectangles(into content: inout PDFContent, x: Double, y: Double, width: Double) {
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
