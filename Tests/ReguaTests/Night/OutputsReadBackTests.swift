import Foundation
import Testing
@testable import Regua

/// The published night read back by standard tools: Python's email package for the e-mails,
/// poppler for the PDF, and the CNAB layout's fixed widths for the remittance.
@Suite struct OutputsReadBackTests {
    static func tool(_ name: String) -> Bool {
        ["/usr/bin/", "/usr/local/bin/", "/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + name) }
    }

    static func capture(_ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: tool("python3"), "python3 is needed to parse e-mails"))
    func everyEmailParsesWithAccentsAndNamesItsTitles() throws {
        let w = try Workspace()
        let r = try w.run()
        let dir = r.folder! + "/email"
        let script = """
            import email, email.policy, json, os, sys
            out = []
            for name in sorted(os.listdir(sys.argv[1])):
                with open(os.path.join(sys.argv[1], name), 'rb') as f:
                    m = email.message_from_binary_file(f, policy=email.policy.default)
                parts = {p.get_content_type(): p.get_content() for p in m.walk() if p.get_content_type().startswith('text/')}
                out.append({'file': name, 'subject': str(m['subject']), 'to': str(m['to']),
                            'mid': str(m['message-id']), 'customer': str(m['x-regua-customer']),
                            'step': str(m['x-regua-step']), 'titles': str(m['x-regua-titles']),
                            'types': sorted(parts), 'text': parts.get('text/plain', ''),
                            'defects': len(m.defects)})
            print(json.dumps(out))
            """
        let (status, json) = try Self.capture(["python3", "-c", script, dir])
        #expect(status == 0)
        let messages = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
        #expect(messages.count == r.summary?.messages.email)
        let customers = try String(contentsOfFile: w.root + "/fixtures/customers.csv", encoding: .utf8)
        for m in messages {
            #expect(m["types"] as! [String] == ["text/html", "text/plain"])
            #expect(m["defects"] as! Int == 0)
            #expect((m["mid"] as! String).contains((m["file"] as! String).replacingOccurrences(of: ".eml", with: "")))
            #expect(!(m["subject"] as! String).isEmpty)
            #expect(!(m["subject"] as! String).contains("=?"), "subject decoded")
            // The To display name is the customer's accented name from customers.csv.
            let to = m["to"] as! String
            let name =
                to.split(separator: "<").first.map {
                    $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                } ?? ""
            #expect(customers.contains(name), "\(name)")
            // Every title named in the header appears in the text.
            for t in (m["titles"] as! String).split(separator: ",") {
                #expect((m["text"] as! String).contains(t.trimmingCharacters(in: .whitespaces)))
            }
        }
        #expect(messages.contains { ($0["text"] as! String).contains("ç") || ($0["text"] as! String).contains("ã") })
    }

    @Test(.enabled(if: tool("pdfinfo") && tool("pdftotext"), "poppler-utils is needed to read the PDF"))
    func lettersPDFHasThePagesLettersCSVSays() throws {
        let w = try Workspace()
        let r = try w.run()
        let pdf = r.folder! + "/letters.pdf"
        let (_, info) = try Self.capture(["pdfinfo", pdf])
        let pages = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.map {
            Int($0.split(separator: " ").last!)!
        }
        let csv = try String(contentsOfFile: r.folder! + "/letters.csv", encoding: .utf8)
        let rows = csv.split(separator: "\r\n").dropFirst()
        let header = csv.split(separator: "\r\n").first!.split(separator: ",")
        let countIndex = header.firstIndex(of: "page_count")!
        // page_count is before any quoted cell (the address), so a plain split is exact up to it.
        let total = rows.map { Int($0.split(separator: ",")[countIndex])! }.reduce(0, +)
        #expect(pages == total)
        #expect(rows.count == r.summary?.messages.letter)
        let (_, text) = try Self.capture(["pdftotext", "-layout", pdf, "-"])
        #expect(text.contains("Conceição"))
        #expect(text.contains("São Paulo"))
    }

    @Test func remittanceRecordsAre240WithCRLFAndCountsAddUp() throws {
        let w = try Workspace()
        try w.protestWithoutTheLetter()
        let r = try w.run()
        let remessa = try FileManager.default.contentsOfDirectory(atPath: r.folder! + "/remessa")
        #expect(remessa.count == 1)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: r.folder! + "/remessa/" + remessa[0])))
        #expect(bytes.count % 242 == 0)
        let records = stride(from: 0, to: bytes.count, by: 242).map { Array(bytes[$0..<$0 + 242]) }
        for rec in records {
            #expect(rec[240] == 13 && rec[241] == 10)
            #expect(rec[0..<240].allSatisfy { $0 >= 32 && $0 < 127 })
        }
        let trailer = String(decoding: records.last![0..<240], as: UTF8.self)
        #expect(Int(trailer.dropFirst(23).prefix(6)) == records.count, "file trailer 24–29 counts every record")
        #expect(String(decoding: records[0][142..<143], as: UTF8.self) == "1", "143: remittance")
        #expect(String(decoding: records[0][157..<163], as: UTF8.self) == "000001", "158–163: NSA 1 on a new ledger")
        let protests = records.filter {
            $0[13] == UInt8(ascii: "P") && String(decoding: $0[15..<17], as: UTF8.self) == "09"
        }
        #expect(protests.count == r.summary?.remittance.instructions["protest"])
    }
}
