import Foundation

/// How an SMS is carried: GSM 03.38 seven-bit default alphabet, or UCS-2 (UTF-16).
public enum SMSEncoding: String, Sendable, Hashable {
    /// GSM 03.38 default alphabet (7-bit septets), with its extension table.
    case gsm7 = "GSM-7"
    /// UCS-2 / UTF-16 code units, for any other text.
    case ucs2 = "UCS-2"
}

/// An SMS text ready for the gateway: one line, its encoding and what it costs.
public struct SMSText: Sendable, Hashable {
    /// The text as it will be sent (single line, trimmed).
    public var text: String
    /// GSM-7 when every character is in the default alphabet or its extension, else UCS-2.
    public var encoding: SMSEncoding
    /// Length in the encoding's units: septets (extension characters count 2) for GSM-7,
    /// UTF-16 code units for UCS-2.
    public var length: Int
    /// Number of SMS parts the gateway will send (0 for an empty text).
    public var segments: Int

    /// Creates a prepared text.
    public init(text: String, encoding: SMSEncoding, length: Int, segments: Int) {
        self.text = text
        self.encoding = encoding
        self.length = length
        self.segments = segments
    }
}

/// One row of `sms.csv`.
public struct SMSRow: Sendable, Hashable {
    /// The message id (`R20261123-…`).
    public var messageID: String
    /// The customer's id.
    public var customerID: String
    /// E.164 phone number.
    public var phone: String
    /// The speaking step's id.
    public var step: String
    /// Every title of the message, in order.
    public var titleIDs: [String]
    /// The prepared text.
    public var sms: SMSText

    /// Creates a row.
    public init(messageID: String, customerID: String, phone: String, step: String, titleIDs: [String], sms: SMSText) {
        self.messageID = messageID
        self.customerID = customerID
        self.phone = phone
        self.step = step
        self.titleIDs = titleIDs
        self.sms = sms
    }

    /// A row for a planned SMS message (`phone` empty when the customer has none).
    public init(message: PlannedMessage, sms: SMSText) {
        self.init(
            messageID: message.id, customerID: message.customer.id.raw, phone: message.customer.phone ?? "",
            step: message.step.id, titleIDs: message.titles.map { $0.title.id.raw }, sms: sms)
    }
}

/// SMS text preparation (GSM 03.38 detection, transliteration, segment count) and `sms.csv`.
public enum SMS {
    /// Septets in a single GSM-7 SMS, and per part of a concatenated one (7 septets go to the UDH).
    public static let gsm7Single = 160, gsm7Part = 153
    /// UTF-16 units in a single UCS-2 SMS, and per part of a concatenated one.
    public static let ucs2Single = 70, ucs2Part = 67

    /// Makes a rendered text sendable: white space runs, line breaks and control characters
    /// become single spaces and the ends are trimmed (an SMS is one line of the CSV); with
    /// `transliterate`, characters outside GSM-7 get their closest GSM-7 spelling (ã → a,
    /// ç → c, “ → ", – → -, … → ...), while those GSM-7 has (é, à, ü, Ç, É) are kept.
    public static func prepare(_ text: String, transliterate: Bool) -> SMSText {
        // Text below U+0300 (ASCII, Latin-1, Latin Extended: all of Portuguese) is its own NFC,
        // and GSM-7 characters are kept as they are: only the others go through the (costly)
        // normalisation and transliteration.
        let nfc = isNFCAsIs(text) ? text : text.precomposedStringWithCanonicalMapping
        var out = MIME.SpaceCollapser()
        for s in nfc.unicodeScalars {
            if !transliterate || GSM7.septets(s) != nil {
                out.add(s)
            } else {
                for p in GSM7.transliterate(s).unicodeScalars { out.add(p) }
            }
        }
        return measure(out.text)
    }

    /// Whether every scalar is below U+0300, where no character has a canonical decomposition
    /// that NFC would not compose back and none combines with its neighbour (combining marks,
    /// Hangul jamo and the singletons all lie above): such a text is already in NFC.
    static func isNFCAsIs(_ text: String) -> Bool {
        ASCIIBytes.isASCII(text) || text.unicodeScalars.allSatisfy { $0.value < 0x300 }
    }

    /// Encoding, length and segments of a text as it is (no clean-up).
    public static func measure(_ text: String) -> SMSText {
        var costs: [Int] = []
        var isGSM = true
        for s in text.unicodeScalars {
            guard let n = GSM7.septets(s) else {
                isGSM = false
                break
            }
            costs.append(n)
        }
        if isGSM {
            return SMSText(
                text: text, encoding: .gsm7, length: costs.reduce(0, +),
                segments: segments(costs: costs, single: gsm7Single, part: gsm7Part))
        }
        let units = text.unicodeScalars.map { $0.value > 0xFFFF ? 2 : 1 }
        return SMSText(
            text: text, encoding: .ucs2, length: units.reduce(0, +),
            segments: segments(costs: units, single: ucs2Single, part: ucs2Part))
    }

    /// Parts needed for characters of the given unit costs. A text that fits `single` is one
    /// part; otherwise parts of `part` units are filled in order, and a character is never
    /// split across parts (an escape pair or a surrogate pair moves whole to the next part, as
    /// gateways do), so this equals ceil(n / part) except when such a pair straddles a border.
    static func segments(costs: [Int], single: Int, part: Int) -> Int {
        let total = costs.reduce(0, +)
        if total == 0 { return 0 }
        if total <= single { return 1 }
        var count = 1
        var used = 0
        for c in costs {
            if used + c > part {
                count += 1
                used = 0
            }
            used += c
        }
        return count
    }

    /// Columns of `sms.csv`.
    public static let csvHeader = [
        "message_id", "customer_id", "phone", "step", "title_ids", "encoding", "segments", "text",
    ]

    /// `sms.csv` for the SMS gateway: RFC 4180, CRLF, a header row. Formulas are not
    /// neutralised (the gateway must get the text as written), but every cell has control
    /// characters turned into spaces, so each message is exactly one physical line.
    public static func csv(rows: [SMSRow]) -> [UInt8] {
        var w = CSVWriter(header: csvHeader, neutraliseFormulas: false)
        for r in rows {
            w.row(
                [
                    r.messageID, r.customerID, r.phone, r.step, r.titleIDs.joined(separator: ";"),
                    r.sms.encoding.rawValue, String(r.sms.segments), r.sms.text,
                ].map(oneLine))
        }
        return w.bytes
    }

    /// A cell with every control character and line separator replaced by a space.
    static func oneLine(_ cell: String) -> String {
        guard cell.unicodeScalars.contains(where: isLineBreaking) else { return cell }
        return String(String.UnicodeScalarView(cell.unicodeScalars.map { isLineBreaking($0) ? " " : $0 }))
    }

    private static func isLineBreaking(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || v == 0x2028 || v == 0x2029
    }
}
