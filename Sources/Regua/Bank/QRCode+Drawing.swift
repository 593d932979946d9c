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

    /// Draws the symbol `width` points wide quiet zone included, with its bottom-left corner
    /// (quiet zone included) at (x, y): one image mask of one sample per module, stretched over
    /// the symbol (the quiet zone is left unpainted). Drawn as rectangles, one per run of dark
    /// modules, the 53-module symbol of a PIX code was ~8 KB of the content stream and 39 % of a
    /// letter-heavy night's letters.pdf; the mask is ~850 bytes. PDF readers and printers paint
    /// image masks without smoothing, so the modules keep their sharp edges.
    func draw(into content: inout PDFContent, x: Double, y: Double, width: Double) {
        let module = width / Double(size + 2 * Self.quietZone)
        let side = module * Double(size)
        content.scaled(
            side, side, origin: x + module * Double(Self.quietZone), y + module * Double(Self.quietZone))
        content.imageMask(width: size, height: size, rows: maskRows())
        content.restore()
    }

    /// The modules as rows of bits, 1 for dark, the top row first, each row padded with zero
    /// bits to whole bytes: the samples of ``draw(into:x:y:width:)``'s image mask.
    func maskRows() -> [UInt8] {
        var rows: [UInt8] = []
        rows.reserveCapacity((size + 7) / 8 * size)
        for y in 0..<size {
            let start = y * size
            var byte: UInt8 = 0
            for x in 0..<size {
                // Shifted in from the right, a byte's first module ends in its highest bit.
                byte = (byte << 1) | (modules[start + x] != 0 ? 1 : 0)
                if x & 7 == 7 {
                    rows.append(byte)
                    byte = 0
                }
            }
            if size & 7 != 0 { rows.append(byte << UInt8(8 - (size & 7))) }
        }
        return rows
    }
}
