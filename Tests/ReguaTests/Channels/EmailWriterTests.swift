import Foundation
import Testing
@testable import Regua

/// The e-mail writer, read back by Python's standard `email` package (an independent
/// RFC 5322 / MIME parser) where python3 is installed.
@Suite("E-mail writer")
struct EmailWriterTests {
    static let parser = #"""
        import sys, json, email
        from email import policy
        raw = open(sys.argv[1], 'rb').read()
        m = email.message_from_bytes(raw, policy=policy.default)
        def mailboxes(h):
            return [[a.display_name, a.addr_spec] for a in m[h].addresses]
        parts = []
        for p in m.walk():
            if p.is_multipart():
                continue
            parts.append({'type': p.get_content_type(), 'charset': p.get_content_charset(),
                          'cte': str(p['Content-Transfer-Encoding']), 'content': p.get_content()})
        print(json.dumps({
            'keys': list(m.keys()),
            'subject': str(m['Subject']),
            'from': mailboxes('From'), 'to': mailboxes('To'),
            'messageID': str(m['Message-ID']),
            'date': m['Date'].datetime.isoformat(),
            'customer': str(m['X-Regua-Customer']), 'step': str(m['X-Regua-Step']),
            'titles': str(m['X-Regua-Titles']),
            'type': m.get_content_type(), 'boundary': m.get_boundary(),
            'parts': parts,
            'defects': [type(d).__name__ for p in m.walk() for d in p.defects],
        }))
        """#

    /// Parses a message with Python's `email` and returns its JSON summary.
    static func parse(_ bytes: [UInt8]) throws -> [String: Any] {
        let file = try ExternalTool.temporaryFile(bytes, suffix: ".eml")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try ExternalTool.run(ExternalTool.python3!, ["-c", parser, file])
        #expect(r.status == 0, "python3 failed: \(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
        return json as? [String: Any] ?? [:]
    }

    static func input(
        subject: String = "Fatura vencida há 3 dias — ação necessária", toName: String = "João da Conceição",
        text: String = "Olá, João.\n\nSua fatura de R$ 1.234,56 venceu em 20/11/2026.\nPague com o código abaixo.",
        headers: [(String, String)]? = nil
    ) -> EmailInput {
        EmailInput(
            from: (name: "Exemplo Comércio Ltda", address: "cobranca@exemplo.com.br"),
            to: (name: toName, address: "joao@example.com.br"), subject: subject, text: text,
            html: EmailWriter.htmlFromText(text, title: subject), messageID: "R20261123-ab12cd34ef56ab78",
            domain: "exemplo.com.br", date: Day(year: 2026, month: 11, day: 23)!,
            headers: headers
                ?? EmailInput.reguaHeaders(customerID: "C001", step: "overdue_d3", titleIDs: ["T-1", "T-2"]))
    }

    static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
    }

    @Test(
        "accented subject, names and bodies survive a round trip through Python's email",
        .enabled(if: ExternalTool.python3 != nil, "python3 is not installed"))
    func roundTrip() throws {
        let i = Self.input()
        let m = try Self.parse(EmailWriter.render(i))
        #expect(m["defects"] as? [String] == [])
        #expect(m["subject"] as? String == i.subject)
        #expect(m["from"] as? [[String]] == [["Exemplo Comércio Ltda", "cobranca@exemplo.com.br"]])
        #expect(m["to"] as? [[String]] == [["João da Conceição", "joao@example.com.br"]])
        #expect(m["messageID"] as? String == "<R20261123-ab12cd34ef56ab78@exemplo.com.br>")
        #expect(m["date"] as? String == "2026-11-23T08:00:00-03:00")
        #expect(m["customer"] as? String == "C001")
        #expect(m["step"] as? String == "overdue_d3")
        #expect(m["titles"] as? String == "T-1, T-2")
        #expect(m["type"] as? String == "multipart/alternative")
        #expect(m["boundary"] as? String == EmailWriter.boundary(for: i.messageID))
        let parts = m["parts"] as? [[String: Any]] ?? []
        #expect(parts.map { $0["type"] as? String } == ["text/plain", "text/html"])
        #expect(parts.allSatisfy { $0["charset"] as? String == "utf-8" && $0["cte"] as? String == "quoted-printable" })
        let text = (parts.first?["content"] as? String ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        #expect(text == i.text)
        let html = (parts.last?["content"] as? String ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        #expect(html == i.html)
        #expect(html.contains("<p>Olá, João.</p>"))
    }

    @Test("lines split at CRLF, CR and LF, with a last line after the last break")
    func linesSplitAtEveryKindOfBreak() {
        let cases: [(String, [String])] = [
            ("", [""]), ("a", ["a"]), ("a\r", ["a", ""]), ("a\n", ["a", ""]), ("a\r\n", ["a", ""]),
            ("\r\r\n\n", ["", "", "", ""]), ("a\rb\nc\r\nd", ["a", "b", "c", "d"]), ("\n\r", ["", "", ""]),
        ]
        for (text, lines) in cases {
            let split = MIME.splitLines(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
            #expect(split == lines, "\(text.debugDescription)")
        }
    }

    @Test("long non-ASCII subjects fold into encoded-words of at most 75 characters")
    func encodedWordLimits() throws {
        let subject = String(repeating: "Cobrança ação não-paga çãõé ", count: 12)
        let bytes = EmailWriter.render(Self.input(subject: subject))
        let header = Self.lines(bytes).prefix { !$0.isEmpty }
        for line in header { #expect(line.utf8.count <= 78, "\(line)") }
        let words = header.flatMap { $0.split(separator: " ") }.filter { $0.hasPrefix("=?UTF-8?B?") }
        #expect(words.count > 5)
        for w in words {
            #expect(w.utf8.count <= 75)
            // Each word holds whole characters: its payload is valid UTF-8 by itself.
            let payload = w.dropFirst(10).dropLast(2)
            let data = try #require(Data(base64Encoded: String(payload)))
            #expect(String(data: data, encoding: .utf8) != nil)
        }
        if ExternalTool.python3 != nil {
            let m = try Self.parse(bytes)
            #expect(m["subject"] as? String == MIME.sanitize(subject))
        }
    }

    @Test(
        "CR/LF in a display name, subject or X- header cannot add a header",
        .enabled(if: ExternalTool.python3 != nil, "python3 is not installed"))
    func headerInjection() throws {
        let i = Self.input(
            subject: "Oi\r\nBcc: y@evil.example", toName: "Ana\r\nBcc: x@evil.example",
            headers: [
                ("X-Regua-Customer", "C1\nBcc: z@evil.example"), ("X-Regua-Step", "s\r\n\r\n<b>body</b>"),
                ("Bcc", "w@evil.example"), ("X-Bad:Name", "v"),
            ])
        let bytes = EmailWriter.render(i)
        let m = try Self.parse(bytes)
        let keys = (m["keys"] as? [String] ?? []).map { $0.lowercased() }
        #expect(!keys.contains("bcc"))
        #expect(
            keys == [
                "date", "from", "to", "subject", "message-id", "mime-version", "x-regua-customer",
                "x-regua-step", "content-type",
            ])
        #expect(m["to"] as? [[String]] == [["Ana Bcc: x@evil.example", "joao@example.com.br"]])
        #expect(m["subject"] as? String == "Oi Bcc: y@evil.example")
        #expect(m["customer"] as? String == "C1 Bcc: z@evil.example")
        // Every header line is a field or a continuation: nothing starts a new field.
        for line in Self.lines(bytes).prefix(while: { !$0.isEmpty }) {
            #expect(
                line.hasPrefix(" ") || line.split(separator: ":").first.map { !$0.contains(" ") } == true, "\(line)")
        }
    }

    @Test("an unsafe recipient address never reaches the header")
    func unsafeAddress() {
        var i = Self.input()
        i.to.address = "x@evil.example>\r\nBcc: y@evil.example"
        let text = String(decoding: EmailWriter.render(i), as: UTF8.self)
        #expect(!text.contains("evil"))
        #expect(text.contains("<\(EmailWriter.unsafeAddressPlaceholder)>"))
    }

    @Test(
        "safe addresses",
        arguments: [
            ("ana@exemplo.com.br", true), ("o'brien+cobranca@mail.example.com", true), ("a.b.c@x-y.com", true),
            ("ana@localhost", false), ("ana@@x.com", false), (".ana@x.com", false), ("ana.@x.com", false),
            ("an..a@x.com", false),
            ("ana @x.com", false), ("\"ana\"@x.com", false), ("ana@x.com\r\nBcc: y@z.com", false),
            ("joão@x.com", false),
            ("ana@-x.com", false), ("ana@x_y.com", false), ("ana@[127.0.0.1]", false), ("", false),
            ("ana@x.com.", false),
            ("ana<b>@x.com", false), (String(repeating: "a", count: 65) + "@x.com", false),
        ])
    func safeAddresses(address: String, safe: Bool) {
        #expect(EmailWriter.isSafeAddress(address) == safe)
    }

    @Test("quoted-printable lines stay within 76 characters and use CRLF only")
    func qpLineLengths() {
        let long =
            String(repeating: "Pagamento em atraso: ação=necessária é já ", count: 30) + "fim  \n"
            + String(repeating: "ç", count: 200)
        let bytes = EmailWriter.render(Self.input(text: long))
        #expect(hasOnlyCRLFLineEnds(bytes))
        let body = Self.lines(bytes).drop { !$0.isEmpty }
        #expect(body.count > 20)
        for line in body { #expect(line.utf8.count <= 76, "\(line)") }
        // No trailing white space survives: RFC 2045 asks for it to be encoded.
        for line in body { #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t")) }
    }

    @Test(
        "quoted-printable encodes =, non-ASCII, line-start dots and trailing spaces",
        arguments: [
            ("a=b", "a=3Db"), ("ação", "a=C3=A7=C3=A3o"), ("x \ny", "x=20\r\ny"), (".\nFrom me", "=2E\r\n=46rom me"),
            ("a\r\nb\rc", "a\r\nb\r\nc"), ("€", "=E2=82=AC"),
        ])
    func qpExamples(text: String, encoded: String) {
        #expect(String(decoding: MIME.quotedPrintable(text), as: UTF8.self) == encoded)
    }

    /// The encoder as first written (line by line over an array, byte by byte), kept as the
    /// reference the faster one must match byte for byte.
    private static func referenceQP(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 13 || bytes[i] == 10 {
                lines.append(bytes[start..<i])
                if bytes[i] == 13, i + 1 < bytes.count, bytes[i + 1] == 10 { i += 1 }
                start = i + 1
            }
            i += 1
        }
        lines.append(bytes[start..<bytes.count])
        var out: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for (n, line) in lines.enumerated() {
            if n > 0 { out += [13, 10] }
            var length = 0
            func startsFrom(_ i: Int) -> Bool { line[i...].starts(with: Array("From ".utf8)) }
            for i in line.indices {
                let b = line[i]
                let isLast = i == line.endIndex - 1
                let literal: Bool
                switch b {
                case 32, 9: literal = !isLast
                case UInt8(ascii: "="): literal = false
                case UInt8(ascii: "."): literal = length != 0
                case UInt8(ascii: "F"): literal = !(length == 0 && startsFrom(i))
                case 33...126: literal = true
                default: literal = false
                }
                let width = literal ? 1 : 3
                if length + width > (isLast ? 76 : 75) {
                    out += Array("=\r\n".utf8)
                    length = 0
                    if b == UInt8(ascii: ".") || (b == UInt8(ascii: "F") && startsFrom(i)) {
                        out += [UInt8(ascii: "="), hex[Int(b >> 4)], hex[Int(b & 15)]]
                        length = 3
                        continue
                    }
                }
                out += literal ? [b] : [UInt8(ascii: "="), hex[Int(b >> 4)], hex[Int(b & 15)]]
                length += width
            }
        }
        return out
    }

    @Test("quoted-printable gives the reference encoder's bytes on random text")
    func qpMatchesReference() {
        let pieces = [
            "a", "Z", " ", "\t", "=", ".", "F", "From ", "From", "\n", "\r", "\r\n", "é", "ção", "€", "😀", "\u{0}",
            "\u{7F}", "~", String(repeating: "x", count: 70), String(repeating: "é", count: 30),
        ]
        var rng = SystemRandomNumberGenerator()
        for round in 0..<4_000 {
            let text = (0..<Int.random(in: 0...40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
                .joined()
            #expect(MIME.quotedPrintable(text) == Self.referenceQP(text), "round \(round): \(Array(text.utf8))")
        }
        for text in ["", "\n", "\r\n", "x\n", "\nx", "\r", "\r\r\n\n", ".", "From x"] {
            #expect(MIME.quotedPrintable(text) == Self.referenceQP(text), "\(Array(text.utf8))")
        }
    }

    /// The header helpers as first written (through `Character`s, `Data` and Foundation's
    /// `contains`), kept as references the byte-level ones must match.
    private static func referenceEncodedWords(_ text: String, firstRoom: Int) -> [String] {
        let overhead = "=?UTF-8?B?".utf8.count + "?=".utf8.count
        func maxBytes(room: Int) -> Int { max(0, (min(room, MIME.encodedWordMax) - overhead) / 4 * 3) }
        var words: [String] = []
        var chunk: [UInt8] = []
        var limit = maxBytes(room: firstRoom)
        if limit < 12 { limit = maxBytes(room: MIME.encodedWordMax) }
        let fullLimit = maxBytes(room: MIME.encodedWordMax)
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
            chunk.removeAll(keepingCapacity: true)
            limit = fullLimit
        }
        func add(_ piece: [UInt8]) {
            if chunk.count + piece.count > limit { flush() }
            chunk += piece
        }
        for g in text {
            let bytes = Array(String(g).utf8)
            if bytes.count <= fullLimit {
                add(bytes)
            } else {
                for s in g.unicodeScalars { add(Array(String(s).utf8)) }
            }
        }
        flush()
        return words
    }

    @Test("attachment base64 is Foundation's, in CRLF-ended lines of 76, for every length 0…600 and large files")
    func base64LinesMatchFoundation() {
        var rng = SplitMix64(seed: 2045)
        let lengths = Array(0...600) + [57 * 100, 57 * 100 + 1, 57 * 100 + 2, 123_457]
        for n in lengths {
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            var mine: [UInt8] = Array("head".utf8)
            EmailWriter.appendBase64Lines(bytes, to: &mine)
            let foundation = Data(bytes).base64EncodedString(
                options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            let want = "head" + foundation + (n == 0 ? "" : "\r\n")
            #expect(String(decoding: mine, as: UTF8.self) == want, "\(n) bytes")
        }
    }

    @Test("header encoding gives the reference helpers' results on random text")
    func headerHelpersMatchReferences() {
        var rng = SystemRandomNumberGenerator()
        for n in 0..<200 {
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(MIME.base64(bytes) == Data(bytes).base64EncodedString())
        }
        for c in UInt8.min...UInt8.max {
            #expect(MIME.isAtext(c) == (ASCIIBytes.isAlphanumeric(c) || Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(c)))
        }
        let pieces = [
            "a", "Fatura", " ", "  ", "é", "ção", "€", "😀", "👩‍👩‍👧", "e\u{301}", "=?", "=", "?", "\"", "x",
            "e" + String(repeating: "\u{301}", count: 40), String(repeating: "y", count: 80),
        ]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
                .joined()
            let room = Int.random(in: 0...80, using: &rng)
            #expect(MIME.encodedWords(text, firstRoom: room) == Self.referenceEncodedWords(text, firstRoom: room))
            let ascii = String(decoding: text.utf8.filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self)
            #expect(MIME.asciiWords(ascii) == ascii.split(separator: " ").map(String.init))
            for reserve in [0, 2] {
                let expected =
                    ascii.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && !ascii.contains("=?")
                    && ascii.split(separator: " ").allSatisfy { $0.utf8.count + 1 + reserve <= MIME.foldWidth }
                #expect(MIME.isPlainFoldable(ascii, reserve: reserve) == expected)
                #expect(!MIME.isPlainFoldable(text, reserve: reserve) || text == ascii)
            }
        }
    }

    @Test("a soft break never splits an =XX escape")
    func qpSoftBreak() {
        let qp = String(decoding: MIME.quotedPrintable(String(repeating: "é", count: 40)), as: UTF8.self)
        let lines = qp.components(separatedBy: "\r\n")
        #expect(lines.count == 4)  // 240 encoded characters, 75 per line before the "="
        #expect(lines[0] == String(repeating: "=C3=A9", count: 12) + "=C3=")
        for line in lines.dropLast() { #expect(line.hasSuffix("=") && line.utf8.count <= 76) }
    }

    @Test("the same input gives the same bytes; another message id another boundary")
    func determinism() {
        let a = EmailWriter.render(Self.input())
        #expect(a == EmailWriter.render(Self.input()))
        var other = Self.input()
        other.messageID = "R20261123-0000000000000001"
        #expect(EmailWriter.boundary(for: other.messageID) != EmailWriter.boundary(for: Self.input().messageID))
        #expect(String(decoding: a, as: UTF8.self).hasPrefix("Date: Mon, 23 Nov 2026 08:00:00 -0300\r\n"))
    }

    @Test(
        "RFC 5322 dates use English names and the as-of day only",
        arguments: [
            ((2026, 11, 23), "Mon, 23 Nov 2026 08:00:00 -0300"), ((2024, 2, 29), "Thu, 29 Feb 2024 08:00:00 -0300"),
            ((2027, 1, 3), "Sun, 3 Jan 2027 08:00:00 -0300"),
        ])
    func dates(ymd: (Int, Int, Int), expected: String) {
        #expect(EmailWriter.rfc5322Date(Day(year: ymd.0, month: ymd.1, day: ymd.2)!) == expected)
    }

    @Test("display names: atoms plain, specials quoted, non-ASCII encoded")
    func displayNames() {
        #expect(MIME.phraseTokens("Ana Maria", nameLength: 2) == ["Ana", "Maria"])
        #expect(MIME.phraseTokens("Silva, Ana \"Aninha\"", nameLength: 2) == ["\"Silva, Ana \\\"Aninha\\\"\""])
        #expect(MIME.phraseTokens("Ação", nameLength: 2) == ["=?UTF-8?B?QcOnw6Nv?="])
        #expect(MIME.phraseTokens("=?UTF-8?B?QQ==?=", nameLength: 2).first?.hasPrefix("=?UTF-8?B?PT9VVEY") == true)
    }

    @Test("Message-ID: a domain from the company e-mail; nothing hostile reaches the header")
    func messageIDs() {
        #expect(EmailInput.messageIDDomain(companyEmail: "cobranca@exemplo.com.br") == "exemplo.com.br")
        #expect(EmailInput.messageIDDomain(companyEmail: nil) == EmailWriter.fallbackDomain)
        #expect(EmailInput.messageIDDomain(companyEmail: "x@evil>\r\nBcc: y") == EmailWriter.fallbackDomain)
        #expect(
            EmailWriter.messageIDHeader(id: "R20261123-ab12cd34ef56ab78", domain: "exemplo.com.br")
                == "<R20261123-ab12cd34ef56ab78@exemplo.com.br>")
        #expect(EmailWriter.messageIDHeader(id: "a>b\r\nc", domain: "bad domain") == "<a-b--c@regua.invalid>")
    }

    @Test("X-Regua headers for a planned message name its customer, speaking step and every title")
    func reguaHeadersForMessage() {
        let step = Step(
            id: "overdue_d3", offset: 3, action: .message(channel: .email, template: "atraso", fallback: nil), index: 2)
        let titles = ["T-1", "T-2"].map { id in
            DunnedTitle(
                title: Title(
                    id: TitleID(id), customerID: CustomerID("C001"), dueDate: Day(year: 2026, month: 11, day: 20)!,
                    amount: Money(cents: 10_000)),
                effectiveDueDate: Day(year: 2026, month: 11, day: 20)!, daysOverdue: 3,
                outstanding: Money(cents: 10_000), lateFee: .zero, interest: .zero)
        }
        let message = PlannedMessage(
            id: "R20261123-ab12cd34ef56ab78", customer: sampleCustomer(), profile: "standard",
            channel: .email, step: step, template: "atraso", titles: titles,
            titleSteps: ["overdue_d3", "reminder_d-5"])
        let headers = EmailInput.reguaHeaders(for: message)
        #expect(headers.map(\.0) == ["X-Regua-Customer", "X-Regua-Step", "X-Regua-Titles"])
        #expect(headers.map(\.1) == ["C001", "overdue_d3", "T-1, T-2"])
    }

    @Test("HTML from text escapes markup and keeps paragraphs and line breaks")
    func htmlFromText() {
        let html = EmailWriter.htmlFromText("Olá <b>Ana</b> & \"cia\" 'x'\nlinha 2\n\n\nparágrafo\u{7}2", title: "T<1>")
        #expect(html.hasPrefix("<!doctype html>\n"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<title>T&lt;1&gt;</title>"))
        #expect(
            html.contains(
                "<p>Olá &lt;b&gt;Ana&lt;/b&gt; &amp; &quot;cia&quot; &#39;x&#39;<br>\nlinha 2</p>\n<p>parágrafo 2</p>"))
        #expect(!html.contains("<b>"))
    }
}
