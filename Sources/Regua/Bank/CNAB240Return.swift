/// What a return record says happened to a title.
public enum ReturnEventKind: String, Sendable, Hashable, CaseIterable {
    /// Paid (liquidação): the title is settled.
    case settlement
    /// The bank registered the title.
    case entryConfirmed
    /// The bank refused to register the title (see the reasons).
    case entryRejected
    /// Written off (baixa) without payment.
    case writtenOff
    /// Protested and written off.
    case protested
    /// Anything else: fees, instruction confirmations or rejections, due-date changes…
    case other
}

/// One title's event in a return file (a segment T and its U).
public struct ReturnEvent: Sendable, Hashable {
    /// The bank's number of the title as the receivables hold it: BB the 17 digits, Itaú the
    /// 8 digits (without carteira and DAC), Caixa the 17 digits.
    public var nossoNumero: String
    /// The company's id sent in the remittance (T 106–130), else the seu número (T 59–73), trimmed.
    public var titleID: String?
    /// The movement code (T 16–17), two digits.
    public var movement: String
    /// The movement's meaning in this bank's table.
    public var kind: ReturnEventKind
    /// Due date (T 74–81).
    public var dueDate: Day?
    /// Title amount (T 82–96).
    public var amount: Money
    /// Amount paid (U 78–92), when not zero.
    public var paidAmount: Money?
    /// Date of the occurrence (U 138–145).
    public var occurrenceDate: Day?
    /// Date the money is credited (U 146–153).
    public var creditDate: Day?
    /// Reason codes (T 214–223; Itaú 214–221), two characters each, `00` and blanks left out.
    public var reasons: [String]

    /// Creates an event.
    public init(
        nossoNumero: String, titleID: String?, movement: String, kind: ReturnEventKind, dueDate: Day?,
        amount: Money, paidAmount: Money?, occurrenceDate: Day?, creditDate: Day?, reasons: [String]
    ) {
        self.nossoNumero = nossoNumero
        self.titleID = titleID
        self.movement = movement
        self.kind = kind
        self.dueDate = dueDate
        self.amount = amount
        self.paidAmount = paidAmount
        self.occurrenceDate = occurrenceDate
        self.creditDate = creditDate
        self.reasons = reasons
    }
}

/// A parsed and checked return file ("retorno").
public struct ReturnFile: Sendable, Hashable {
    /// Three-digit bank code of the file.
    public var bankCode: String
    /// The convênio in the header (BB 33–41, Caixa 59–64), leading zeros removed; empty for Itaú.
    public var agreement: String
    /// File sequence number (header 158–163).
    public var nsa: Int
    /// File date (header 144–151).
    public var date: Day?
    /// Events in file order.
    public var events: [ReturnEvent]
    /// Lower-case hex SHA-256 of the file's bytes, so reading it twice can be recognised.
    public var hash: String

    /// Creates a return file value.
    public init(bankCode: String, agreement: String, nsa: Int, date: Day?, events: [ReturnEvent], hash: String) {
        self.bankCode = bankCode
        self.agreement = agreement
        self.nsa = nsa
        self.date = date
        self.events = events
        self.hash = hash
    }
}

/// Reads CNAB 240 cobrança return files of Banco do Brasil (001), Itaú (341) and Caixa (104).
public enum CNAB240Return {
    /// Parses and checks a return file for `bank`'s account.
    ///
    /// Refuses, with a ``BankError`` naming `path` and the line: bytes that are not printable
    /// ASCII, a record that is not 240 characters (LF or CRLF ends accepted), a file of another
    /// bank, agreement or account, a remittance given as a return, a segment T without its U,
    /// batch or file counts that do not match, and a file without its trailer (truncated).
    public static func parse(_ bytes: [UInt8], path: String, expecting bank: BankAccount) throws -> ReturnFile {
        let parts: BankAccountParts
        do { parts = try bank.cnabParts() } catch let e as BankError { throw BankError(e.message, path: path) }
        let dialect = try CNAB240ReturnDialect(bankCode: parts.bank, path: path)
        let lines = try records(bytes, path: path)
        let reader = CNAB240ReturnReader(path: path, parts: parts, dialect: dialect, lines: lines)
        let file = try reader.read()
        return ReturnFile(
            bankCode: parts.bank, agreement: file.agreement, nsa: file.nsa, date: file.date,
            events: file.events, hash: Hashing.sha256Hex(bytes))
    }

    /// Splits the bytes into 240-byte records; checks the character set and every length.
    ///
    /// Line ends, blank lines and a DOS end-of-file mark (0x1A) after the last record are
    /// ignored; anywhere else they are refused.
    static func records(_ all: [UInt8], path: String) throws -> [ArraySlice<UInt8>] {
        var count = all.count
        while count > 0 && (all[count - 1] == 10 || all[count - 1] == 13 || all[count - 1] == 26) { count -= 1 }
        let bytes = all[0..<count]
        var out: [ArraySlice<UInt8>] = []
        var start = 0
        var line = 1
        var i = 0
        while i <= bytes.count {
            if i == bytes.count || bytes[i] == 10 {
                var end = i
                if end > start && bytes[end - 1] == 13 { end -= 1 }
                if i == bytes.count && start == end { break }  // empty file
                let record = bytes[start..<end]
                if let bad = record.firstIndex(where: { $0 < 32 || $0 > 126 }) {
                    let what = bytes[bad] > 126 ? "a byte that is not ASCII" : "a control character"
                    throw BankError(
                        "\(what) (0x\(hex2(bytes[bad]))) at column \(bad - start + 1)", path: path, line: line)
                }
                guard record.count == 240 else {
                    throw BankError(
                        "record has \(record.count) characters; CNAB 240 records have 240", path: path, line: line)
                }
                out.append(record)
                start = i + 1
                line += 1
            }
            i += 1
        }
        guard !out.isEmpty else { throw BankError("the file is empty", path: path) }
        return out
    }

    private static func hex2(_ b: UInt8) -> String {
        let d = Array("0123456789ABCDEF")
        return String([d[Int(b >> 4)], d[Int(b & 15)]])
    }
}
