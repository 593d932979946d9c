/// The report's stylesheet: system fonts only (nothing to download), tabular figures for
/// amounts, and a print stylesheet for A4 that keeps charts and table rows whole.
extension ReportHTML {
    static let stylesheet = """
        :root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --soft: #f5f7fa; --accent: #0b6e4f; }
        * { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        html { background: #eef1f5; }
        body { margin: 0; color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
          "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
        main { max-width: 1040px; margin: 24px auto; padding: 32px 40px; background: #fff;
          border: 1px solid var(--line); border-radius: 8px; }
        header { border-bottom: 3px solid var(--accent); padding-bottom: 12px; margin-bottom: 8px; }
        .eyebrow { margin: 0; color: var(--accent); font-size: 12px; font-weight: 600; letter-spacing: .06em;
          text-transform: uppercase; }
        h1 { margin: 4px 0 0; font-size: 26px; font-weight: 650; overflow-wrap: anywhere; }
        .night { margin: 2px 0 0; color: var(--muted); font-size: 16px; }
        h2 { margin: 0 0 10px; font-size: 18px; font-weight: 650; border-bottom: 1px solid var(--line);
          padding-bottom: 6px; }
        section { margin-top: 28px; }
        .muted { color: var(--muted); }
        p.muted { margin: 0 0 10px; font-size: 13px; }
        .empty { color: var(--muted); font-style: italic; margin: 4px 0; }
        .notice { margin: 14px 0 0; padding: 10px 14px; border-left: 4px solid #3e7cb1; background: #eaf2fb;
          border-radius: 4px; }
        .notice.warn { border-left-color: #d9822b; background: #fdf3e7; }
        .notice a { color: inherit; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px;
          margin-bottom: 12px; }
        .card { border: 1px solid var(--line); border-top: 3px solid var(--accent); border-radius: 6px;
          padding: 10px 14px; background: var(--soft); }
        .card.alert { border-top-color: #c23030; }
        .card .k { color: var(--muted); font-size: 12px; font-weight: 600; text-transform: uppercase;
          letter-spacing: .04em; }
        .card .v { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .card .d { color: var(--muted); font-size: 12.5px; min-height: 1em; }
        table { width: 100%; border-collapse: collapse; margin: 8px 0 4px; font-variant-numeric: tabular-nums; }
        table.narrow { width: auto; min-width: 360px; }
        th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        th { font-size: 12px; color: var(--muted); font-weight: 600; background: var(--soft); }
        td { overflow-wrap: break-word; }
        td.wrap { overflow-wrap: anywhere; }
        td.id { white-space: nowrap; }
        figure { margin: 0; }
        .n { text-align: right; white-space: nowrap; }
        tbody tr:nth-child(even) td { background: #fafbfc; }
        code { font: 12.5px ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
          overflow-wrap: anywhere; }
        .facts { margin: 0 0 8px; padding-left: 18px; }
        .legend { margin: 4px 0; font-size: 12.5px; color: var(--muted); }
        .legend span { margin-right: 14px; white-space: nowrap; }
        .legend svg { vertical-align: -1px; }
        svg.chart { display: block; width: 100%; max-width: 880px; height: auto; margin: 6px 0 10px; }
        svg.chart text { font-size: 13px; fill: var(--ink); font-variant-numeric: tabular-nums; }
        svg.chart text.val { fill: var(--muted); }
        svg .axis { stroke: #9aa5b1; stroke-width: 1; }
        svg .grid { stroke: #d9e2ec; stroke-width: 1; stroke-dasharray: 3 3; }
        svg.chart text.tick { font-size: 11px; fill: var(--muted); }
        .age0 { fill: #3f9c6d; } .age1 { fill: #f0b429; } .age2 { fill: #e8912d; } .age3 { fill: #de6b28; }
        .age4 { fill: #c94c2a; } .age5 { fill: #a7322b; } .age6 { fill: #7a1f25; }
        .c-email { fill: #2f6fb5; } .c-sms { fill: #7b5cc4; } .c-letter { fill: #b7791f; } .c-bank { fill: #2a7f79; }
        .c-other { fill: #52606d; } .c-held { fill: #f2c078; } .c-super { fill: #cbd2d9; }
        .eff15 { fill: #c6dcf2; } .eff7 { fill: #6fa3d9; } .eff3 { fill: #1f5f9e; }
        footer { margin-top: 32px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted);
          font-size: 12px; }
        footer div { margin: 2px 0; }
        @page { size: A4; margin: 14mm 12mm; }
        @media print {
          html, body { background: #fff; font-size: 11px; }
          main { max-width: none; margin: 0; padding: 0; border: 0; }
          .cards { grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px; }
          .card .v { font-size: 17px; }
          th, td { padding: 3px 6px; }
          section { break-inside: auto; }
          h2, figure, svg.chart, .cards, .card, tr { break-inside: avoid; page-break-inside: avoid; }
          h2 { break-after: avoid; page-break-after: avoid; }
          thead { display: table-header-group; }
          .notice a { text-decoration: none; }
        }

        """
}
