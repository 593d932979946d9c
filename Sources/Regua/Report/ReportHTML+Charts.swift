/// Inline SVG bar charts for `report.html`: no script, no external resource, integer geometry
/// (so the same night always draws the same bytes), and a table beside each for print and
/// screen readers.
extension ReportHTML {
    /// One row of a horizontal bar chart.
    struct BarRow {
        /// Plain text at the left of the bar (escaped and shortened when drawn).
        var label: String
        /// Segments left to right, each a value in the chart's unit and a CSS class.
        var segments: [(value: Int64, style: String)]
        /// Plain text after the bar (escaped when drawn).
        var note: String
    }

    /// How a row's segments share the bar.
    enum BarLayout {
        /// Each segment starts where the previous ended (parts of a whole).
        case stacked
        /// Every segment starts at zero, drawn in order (nested shares: widest first).
        case overlaid
    }

    static let chartWidth = 880
    static let rowHeight = 30
    static let barHeight = 20

    /// A horizontal bar chart scaled so that `scale` fills the bar area.
    /// With `ticks`, a dashed guide and its label is drawn below the bars at each value, and
    /// the notes are aligned after the scale's end.
    static func barChart(
        _ rows: [BarRow], scale: Int64, layout: BarLayout, labelWidth: Int = 170,
        barWidth: Int = 430, ticks: [(value: Int64, label: String)] = [],
        ariaLabel: String
    ) -> String {
        let top = 6
        let barsBottom = top + rows.count * rowHeight
        let height = barsBottom + (ticks.isEmpty ? top : 22)
        var s =
            "<svg class=\"chart\" viewBox=\"0 0 \(chartWidth) \(height)\" width=\"\(chartWidth)\" "
            + "height=\"\(height)\" role=\"img\" aria-label=\"\(escape(ariaLabel))\">\n"
        let x0 = labelWidth + 10
        for tick in ticks {
            let x = x0 + pixels(tick.value, of: scale, width: barWidth)
            s +=
                "<line class=\"grid\" x1=\"\(x)\" y1=\"\(top - 2)\" x2=\"\(x)\" y2=\"\(barsBottom + 2)\"/>"
                + "<text class=\"tick\" x=\"\(x)\" y=\"\(barsBottom + 16)\" text-anchor=\"middle\">"
                + escape(tick.label) + "</text>\n"
        }
        s += "<line class=\"axis\" x1=\"\(x0)\" y1=\"\(top - 2)\" x2=\"\(x0)\" y2=\"\(barsBottom + 2)\"/>\n"
        for (i, row) in rows.enumerated() {
            let y = top + i * rowHeight + (rowHeight - barHeight) / 2
            let textY = y + barHeight / 2 + 5
            s +=
                "<text class=\"lbl\" x=\"\(labelWidth)\" y=\"\(textY)\" text-anchor=\"end\">"
                + escape(row.label, limit: 26) + "</text>"
            var end = 0
            var cumulative: Int64 = 0
            for seg in row.segments where seg.value > 0 {
                let x: Int
                let w: Int
                switch layout {
                case .stacked:
                    cumulative += seg.value
                    let e = max(pixels(cumulative, of: scale, width: barWidth), end + 1)
                    (x, w) = (end, e - end)
                    end = e
                case .overlaid:
                    w = max(pixels(seg.value, of: scale, width: barWidth), 1)
                    x = 0
                    end = max(end, w)
                }
                s += "<rect class=\"\(seg.style)\" x=\"\(x0 + x)\" y=\"\(y)\" width=\"\(w)\" height=\"\(barHeight)\"/>"
            }
            // With a scale drawn, notes line up past its end so no guide crosses them.
            let noteX = ticks.isEmpty ? x0 + end + 8 : x0 + max(end, barWidth) + 14
            s += "<text class=\"val\" x=\"\(noteX)\" y=\"\(textY)\">" + escape(row.note) + "</text>\n"
        }
        return s + "</svg>\n"
    }

    /// `value / scale` of `width` pixels, rounded half-up in integers.
    static func pixels(_ value: Int64, of scale: Int64, width: Int) -> Int {
        guard scale > 0 else { return 0 }
        return Int(roundHalfUp(Int128(min(value, scale)) * Int128(width), Int128(scale)))
    }

    /// A legend: a small swatch of each style with its label.
    static func legend(_ items: [(style: String, label: String)]) -> String {
        var s = "<p class=\"legend\">"
        for item in items {
            s +=
                "<span><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect class=\"\(item.style)\" "
                + "width=\"12\" height=\"12\"/></svg> " + escape(item.label) + "</span>"
        }
        return s + "</p>\n"
    }
}
