extension QRCode {
    /// The symbol as a PNG, `scale` pixels per module, quiet zone included.
    ///
    /// Each module row is packed once (all white, then the pixels of every run of dark modules
    /// cleared, whole bytes at a time inside a run) and its line repeated `scale` times into the
    /// image data; ``pngByPixels(scale:)`` is the plain twin the tests hold it to, byte for byte.
    public func png(scale: Int) -> [UInt8] {
        let s = max(1, scale), q = Self.quietZone
        let side = (size + 2 * q) * s
        let rowBytes = (side + 7) / 8
        // A line is its filter type byte (0, None) and the packed row, white 1; the bits past
        // the right edge stay 0, as PNG.packRow leaves them.
        var white = [UInt8](repeating: 0xFF, count: rowBytes + 1)
        white[0] = 0
        if side % 8 != 0 { white[rowBytes] = 0xFF << UInt8(8 - side % 8) }
        var raw: [UInt8] = []
        raw.reserveCapacity(side * (rowBytes + 1))
        for _ in 0..<(q * s) { raw += white }
        var line = white
        for y in 0..<size {
            line = white
            let row = y * size
            var x = 0
            while x < size {
                guard modules[row + x] != 0 else {
                    x += 1
                    continue
                }
                var end = x + 1
                while end < size, modules[row + end] != 0 { end += 1 }
                Self.clear(&line, pixels: (x + q) * s, to: (end + q) * s)
                x = end
            }
            for _ in 0..<s { raw += line }
        }
        for _ in 0..<(q * s) { raw += white }
        return PNG.bilevel(width: side, height: side, filteredRows: raw)
    }

    /// Clears pixels [first, last) of a line (black), the packed row starting at byte 1: a mask
    /// on the first and the last byte, whole bytes between.
    private static func clear(_ line: inout [UInt8], pixels first: Int, to last: Int) {
        let a = first >> 3, b = (last - 1) >> 3
        let head: UInt8 = 0xFF >> UInt8(first & 7)  // bits from `first` to the byte's end
        let tail: UInt8 = 0xFF << UInt8(7 - (last - 1) & 7)  // bits from the byte's start to `last`
        if a == b {
            line[1 + a] &= ~(head & tail)
            return
        }
        line[1 + a] &= ~head
        for i in (a + 1)..<b { line[1 + i] = 0 }
        line[1 + b] &= ~tail
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
