/// `company.payment_url`: the address of the company's payment page, with placeholders that
/// each message fills in — `{message_id}`, `{customer_id}`, `{txid}` (SPEC §4).
///
/// Checked when the rule book loads, so that no message ever carries an unsafe link: it must
/// be `https://host/...`, made only of the characters RFC 3986 allows in a URI (no spaces,
/// quotes, `<>`, backslashes or non-ASCII letters, which could end the link early or break
/// the HTML it sits in), with `%` followed by two hex digits, and placeholders only after the
/// host (a value can never choose the server). Values are percent-encoded when filled in.
public struct PaymentURLTemplate: Sendable, Hashable {
    /// One part of the address.
    enum Piece: Sendable, Hashable {
        case literal(String)
        case messageID, customerID, txid
    }

    let pieces: [Piece]

    /// The placeholders a payment URL may use.
    public static let placeholders = ["message_id", "customer_id", "txid"]

    /// A problem with the text: its 0-based offset in characters and a message in pt-BR.
    public struct Problem: Error, Sendable, Hashable {
        /// Offset of the offending character, in Unicode scalars from the start of the value.
        public var offset: Int
        /// What is wrong, for the finance team.
        public var message: String
    }

    /// Parses and checks a payment URL template.
    public init(parsing text: String) throws(Problem) {
        let scalars = Array(text.unicodeScalars)
        guard text.hasPrefix("https://") else {
            throw Problem(
                offset: 0,
                message: "'payment_url' deve começar com https:// (um link de pagamento sem criptografia não é aceito)")
        }
        // The host ends at the first "/", "?" or "#" after "https://".
        let hostStart = 8
        var hostEnd = scalars.count
        for i in hostStart..<scalars.count where ["/", "?", "#"].contains(scalars[i]) {
            hostEnd = i
            break
        }
        guard hostEnd > hostStart else {
            throw Problem(offset: hostStart, message: "'payment_url' não tem o nome do servidor depois de https://")
        }
        var pieces: [Piece] = []
        var literal = ""
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "{" {
                guard let close = scalars[i...].firstIndex(of: "}") else {
                    throw Problem(offset: i, message: "'{' sem o '}' que fecha o marcador em 'payment_url'")
                }
                let name = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
                let piece: Piece
                switch name {
                case "message_id": piece = .messageID
                case "customer_id": piece = .customerID
                case "txid": piece = .txid
                default:
                    throw Problem(
                        offset: i,
                        message:
                            "marcador desconhecido '{\(YAMLNode.excerpt(name))}' em 'payment_url'; use {message_id}, {customer_id} ou {txid}"
                    )
                }
                guard i >= hostEnd else {
                    throw Problem(
                        offset: i, message: "um marcador não pode fazer parte do nome do servidor em 'payment_url'")
                }
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = ""
                pieces.append(piece)
                i = close + 1
                continue
            }
            guard c.isASCII, Self.allowed[Int(c.value)] else {
                let shown = c.value < 0x20 || c.value == 0x7F ? "um caractere de controle" : "'\(Character(c))'"
                throw Problem(
                    offset: i,
                    message:
                        "caractere não permitido em 'payment_url': \(shown); um endereço seguro usa só letras e dígitos ASCII e - . _ ~ : / ? # [ ] @ ! $ & ( ) * + , ; = %"
                )
            }
            if c == "%" {
                let hex = scalars.dropFirst(i + 1).prefix(2)
                guard hex.count == 2, hex.allSatisfy({ $0.properties.isASCIIHexDigit }) else {
                    throw Problem(
                        offset: i,
                        message: "'%' em 'payment_url' deve vir seguido de dois dígitos hexadecimais (%20, %2F…)")
                }
            }
            literal.unicodeScalars.append(c)
            i += 1
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }

    /// Printable ASCII that may stand in a URI as written (RFC 3986 unreserved and reserved
    /// characters, and `%`), minus `'`, which would end a single-quoted HTML attribute.
    private static let allowed: [Bool] = (0..<128).map { v in
        let c = UInt8(v)
        if ASCIIBytes.isAlphanumeric(c) { return true }
        return Array("-._~:/?#[]@!$&()*+,;=%".utf8).contains(c)
    }

    /// The address for one message: each placeholder replaced by its value, percent-encoded
    /// except for RFC 3986's unreserved characters.
    public func url(messageID: String, customerID: String, txid: String) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .literal(let s): out += s
            case .messageID: out += Self.percentEncoded(messageID)
            case .customerID: out += Self.percentEncoded(customerID)
            case .txid: out += Self.percentEncoded(txid)
            }
        }
        return out
    }

    /// UTF-8 bytes, unreserved ones (`A–Z a–z 0–9 - . _ ~`) as they are, others `%XX`.
    static func percentEncoded(_ s: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in s.utf8 {
            if ASCIIBytes.isAlphanumeric(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
                || b == UInt8(ascii: "_")
                || b == UInt8(ascii: "~")
            {
                out.append(b)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
