extension QRCode {
    /// The symbol as a PNG, `scale` pixels per module, quiet zone included.
    ///
    /// Each module row is packed once (all white, then the pixels of every run of dark modules
    /// cleared, whole bytes at a time inside a run) and repeated `scale` times straight into the
    /// image data; ``pngByPixels(scale:)`` is the plain twin the tests hold it to, byte for byte.
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
            var x = 0
            while x < size {
                guard modules[row + x] != 0 else {
                    x += 1
                    continue
                }
                var end = x + 1
                while end < size, modules[row + end] != 0 { end += 1 }
                // Pixels [first, last) go black: single bits up to a byte boundary, whole
                // bytes, then single bits.
                var p = (x + q) * s
                let last = (end + q) * s
                while p < last, p & 7 != 0 {
                    packed[p >> 3] &= ~(0x80 >> UInt8(p & 7))
                    p += 1
                }
                while p + 8 <= last {
                    packed[p >> 3] = 0
                    p += 8
                }
                while p < last {
                    packed[p >> 3] &= ~(0x80 >> UInt8(p & 7))
                    p += 1
                }
                x = end
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
    /// one rectangle, in module units (one `cm` scales them), so a version-10 symbol is some
    /// hundreds of short integer rectangles: `x y w 1 re`, where a row's ` y ` is written once
    /// and copied into each of its rectangles (the drawing showed in the night's profile, ~3 %
    /// of its CPU). ``drawByRects(into:x:y:width:)`` is the plain twin the tests hold it to.
    func draw(into content: inout PDFContent, x: Double, y: Double, width: Double) {
        let module = width / Double(size + 2 * Self.quietZone)
        content.scaled(
            module, module, origin: x + module * Double(Self.quietZone), y + module * Double(Self.quietZone))
        var middle: [UInt8] = []
        for row in 0..<size {
            let start = row * size
            var col = 0
            middle.removeAll(keepingCapacity: true)
            while col < size {
                guard modules[start + col] != 0 else {
                    col += 1
                    continue
                }
                var end = col + 1
                while end < size, modules[start + end] != 0 { end += 1 }
                if middle.isEmpty {
                    // Row 0 is the top row: its bottom edge is `size - 1` modules above the origin.
                    middle.append(0x20)
                    PDFContent.appendDecimal(UInt64(size - 1 - row), to: &middle)
                    middle.append(0x20)
                }
                content.unitRun(x: col, middle: middle, width: end - col)
                col = end
            }
        }
        content.fill()
        content.restore()
    }

    /// ``draw(into:x:y:width:)`` module by module through ``isDark(x:y:)``, one
    /// ``PDFContent/unitRect(x:y:width:height:)`` per run.
    func drawByRects(into content: inout PDFContent, x: Double, y: Double, width: Double) {
        let module = width / Double(size + 2 * Self.quietZone)
        content.scaled(
            module, module, origin: x + module * Double(Self.quietZone), y + module * Double(Self.quietZone))
        for row in 0..<size {
            var col = 0
            while col < size {
                guard isDark(x: col, y: row) else {
                    col += 1
                    continue
                }
                var end = col
                while end < size, isDark(x: end, y: row) { end += 1 }
                // Row 0 is the top row: its bottom edge is `size - 1` modules above the origin.
                content.unitRect(x: col, y: size - 1 - row, width: end - col, height: 1)
                col = end
            }
        }
        content.fill()
        content.restore()
    }
}
