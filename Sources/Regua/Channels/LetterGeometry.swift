/// Where things sit on an A4 letter page, in millimetres from the top-left corner.
///
/// The recipient block is placed for a window envelope with the window on the left, the
/// layout Brazilian mail houses take from the ISO/DIN standards that Correios' envelope sizes
/// follow (ISO 269 DL 110 × 220 mm and C6/5 114 × 229 mm, "envelope ofício"):
/// - DIN 680 puts the window of DL and C6/5 envelopes 20 mm from the left edge and 15 mm from
///   the bottom, 90 × 45 mm, so on a 110 mm tall envelope it spans 50–95 mm from the top.
/// - DIN 5008 "Form B" folds the A4 sheet at 105 mm and 210 mm (the fold marks drawn here),
///   so the top panel is 105 mm tall and, in a 110–114 mm envelope, may slide down by 5–9 mm.
///   Its address field is 20 mm from the left, 45–90 mm from the top: a 5 mm return-address
///   line, then the recipient.
/// - The recipient block therefore spans 20–110 mm across and 50–90 mm down (90 × 40 mm),
///   which stays inside the window whether the sheet rests at the top or the bottom of the
///   envelope; the sender's return line sits in small type just above it (45–50 mm).
enum LetterGeometry {
    /// Left and right margin of every text.
    static let marginX = 20.0
    /// Top of the letterhead (company name and sender lines).
    static let letterheadTop = 15.0
    /// The letterhead ends here, above the window.
    static let letterheadBottom = 42.0
    /// Baseline of the return-address line in the window (7 pt type).
    static let returnLineBaseline = 48.5
    /// Recipient block: left, top, width, height.
    static let recipientX = 20.0, recipientTop = 50.0, recipientWidth = 90.0, recipientHeight = 40.0
    /// Baseline of the place-and-date line (right-aligned).
    static let dateBaseline = 100.0
    /// Fold marks (DIN 5008 Form B) drawn in the left edge.
    static let foldMarks = [105.0, 210.0]
    /// Top of the body on the first page and on continuation pages.
    static let bodyTopFirst = 110.0, bodyTopNext = 20.0
    /// Baseline of the head of a continuation page (company name), above `bodyTopNext`.
    static let continuationHeadBaseline = 13.0
    /// The body and payment block end above this distance from the bottom.
    static let bodyBottom = 25.0
    /// Baseline of the page footer, from the bottom.
    static let footerBaseline = 12.0
    /// Boleto barcode height (banks' boleto layouts: 13 mm) and narrow module (0.254 mm, wide
    /// = 3 × narrow, which makes the 44-digit Interleaved 2 of 5 symbol 103 mm long).
    static let barcodeHeight = 13.0, barcodeNarrow = 0.254
}

/// pt-BR calendar words for letters.
enum PortugueseDate {
    /// Month names, lower case as pt-BR writes them.
    static let months = [
        "janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
        "setembro", "outubro", "novembro", "dezembro",
    ]

    /// `23 de novembro de 2026`; the first day of a month is written `1º`, as the norma culta asks.
    static func long(_ day: Day) -> String {
        let c = day.components
        let d = c.day == 1 ? "1º" : String(c.day)
        return "\(d) de \(months[c.month - 1]) de \(c.year)"
    }

    /// `São Paulo, 23 de novembro de 2026` (only the date when the city is empty).
    static func placeAndDate(city: String, day: Day) -> String {
        let place = city.trimmingCharacters(in: .whitespacesAndNewlines)
        return place.isEmpty ? long(day) : place + ", " + long(day)
    }
}
