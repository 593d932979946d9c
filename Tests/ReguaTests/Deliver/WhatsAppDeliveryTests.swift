import Foundation
import Testing

@testable import Regua

/// A portfolio whose every customer gets a WhatsApp message on Monday 2026-11-23 (title
/// `T-Cnn`, R$ 1.000,00 due 2026-11-13: the ladder's 10-day step, which speaks on WhatsApp with an
/// SMS fallback); C01 owes a second title, due Monday 11-16, whose 10-day step comes on 11-26,
/// and a third, due 11-17, added by a test for 11-27.
enum WhatsAppDeliveryFixtures {
    /// A CPF with valid check digits (the usual mod-11 rule) for a 9-digit base.
    static func cpf(_ base: Int) -> String {
        var d = String(base).map { Int(String($0))! }
        for length in [9, 10] {
            let s = (0..<length).reduce(0) { $0 + d[$1] * (length + 1 - $1) }
            let r = s * 10 % 11
            d.append(r == 10 ? 0 : r)
        }
        return d.map(String.init).joined()
    }

    static func id(_ i: Int) -> String { "C" + (i < 10 ? "0" : "") + String(i) }
    /// E.164 phone of customer i (as whatsapp.jsonl writes it).
    static func phone(_ i: Int) -> String { "+55119876543" + (i < 10 ? "0" : "") + String(i) }

    static func workspace(customers n: Int) throws -> Workspace {
        let w = try Workspace()
        let ladder = w.root + "/rules/10-regua.yaml"
        let text = try String(contentsOfFile: ladder, encoding: .utf8)
        let sms =
            "  - id: overdue_d10\n    offset: 10\n    channel: sms\n    template: atraso_sms\n    except_profiles: [key_account]\n"
        precondition(text.contains(sms), "the shipped 10-day step changed")
        try text.replacingOccurrences(of: sms, with: WhatsAppNightTests.step).write(
            toFile: ladder, atomically: true, encoding: .utf8)
        var c = [
            "customer_id,name,document,email,phone,address_street,address_number,address_city,address_state,address_zip,whatsapp_opt_in"
        ]
        var r = ["customer_id,title_id,amount,due_date"]
        for i in 1...n {
            // Written as people write phones; whatsapp.jsonl has them in E.164.
            let p = phone(i)
            let written = "(11) 98765-43" + p.suffix(2)
            c.append(
                "\(id(i)),Cliente Número \(i),\(cpf(123_456_000 + i)),,\(written),Rua A,\(i),São Paulo,SP,01001000,2026-01-10"
            )
            r.append("\(id(i)),T-\(id(i)),1000.00,2026-11-13")
        }
        r.append("C01,T2-C01,400.00,2026-11-16")
        try (c.joined(separator: "\n") + "\n").write(
            toFile: w.root + "/fixtures/customers.csv", atomically: true, encoding: .utf8)
        try (r.joined(separator: "\n") + "\n").write(
            toFile: w.root + "/fixtures/receivables.csv", atomically: true, encoding: .utf8)
        return w
    }
}

/// `regua deliver` (the real binary) POSTs every `whatsapp.jsonl` object to a Cloud-API-style
/// endpoint on loopback with the bearer token of the environment variable the gateways file
/// names: each arrives once, 5xx and 4xx answers are retried up to `max_attempts` and then given
/// up, a peer that never answers leaves the message `uncertain` (and the deliverer goes on), a
/// kill at any moment hands nothing over twice; `regua feedback --whatsapp-status` marks a number
/// that WhatsApp could not reach, and the next night falls back to SMS.
@Suite(
    .serialized,
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: CrashTests.binary),
        "build the regua binary first (make test does)"))
struct WhatsAppDeliveryTests {
    static let token = "EAAG-test-\(UUID().uuidString)"
    static let tokenEnv = "REGUA_TEST_WHATSAPP_TOKEN"

    static func gatewaysFile(_ w: Workspace, _ e: WhatsAppEndpoint, timeout: Int = 2) throws -> String {
        let path = w.root + "/gateways.yaml"
        try """
        whatsapp: {url: "\(e.url)", token_env: \(tokenEnv), timeout: \(timeout)}
        max_attempts: 3

        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A process of the real binary; stdout to a file (the `--json` document), stderr dropped.
    struct Run {
        var status: Int32
        var killed: Bool
        var stdout: String
        var seconds: Double
        /// `--json` of deliver: message id → outcome.
        func outcomes() throws -> [String: String] {
            let o = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
            var out: [String: String] = [:]
            for m in o?["messages"] as? [[String: Any]] ?? [] {
                out[m["message_id"] as! String] = m["outcome"] as? String
            }
            return out
        }
    }

    static func regua(_ args: [String], env: [String: String]) throws -> Run {
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("regua-wa-\(UUID().uuidString)")
            .path
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        let out = FileHandle(forWritingAtPath: outPath)!
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CrashTests.binary)
        p.arguments = args
        var e = ProcessInfo.processInfo.environment
        e[tokenEnv] = nil
        for (k, v) in env { e[k] = v }
        p.environment = e
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        let start = Date()
        try p.run()
        p.waitUntilExit()
        try? out.close()
        return Run(
            status: p.terminationStatus, killed: p.terminationReason == .uncaughtSignal,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            seconds: Date().timeIntervalSince(start))
    }

    static func deliverArgs(_ w: Workspace, _ gateways: String, _ extra: [String] = []) -> [String] {
        [
            "deliver", "--as-of", "2026-11-23", "--gateways", gateways, "--out", w.root + "/out",
            "--state", w.root + "/var/regua.sqlite", "--json",
        ] + extra
    }

    static var env: [String: String] { [tokenEnv: token] }

    /// The body the Cloud API gets for a line of whatsapp.jsonl: its `to`, `template` and
    /// `biz_opaque_callback_data` exactly, with the keys every Cloud API message has.
    static func expectedBody(_ line: [String: Any]) -> NSDictionary {
        NSDictionary(dictionary: [
            "messaging_product": "whatsapp", "recipient_type": "individual", "type": "template",
            "to": line["to"]!, "template": line["template"]!,
            "biz_opaque_callback_data": line["biz_opaque_callback_data"]!,
        ])
    }

    @Test func eachObjectArrivesOnceFailuresAreRetriedAndASilentPeerIsUncertain() throws {
        let w = try WhatsAppDeliveryFixtures.workspace(customers: 8)
        let night = try w.run("2026-11-23")
        #expect(night.summary?.messages.whatsapp == 8)
        let lines = try WhatsAppNightTests.pythonJSONLines(w.night("2026-11-23") + "/whatsapp.jsonl")
        let byPhone = Dictionary(uniqueKeysWithValues: lines.map { ($0["to"] as! String, $0) })
        #expect(Set(byPhone.keys) == Set((1...8).map(WhatsAppDeliveryFixtures.phone)))
        func message(_ i: Int) -> String { byPhone[WhatsAppDeliveryFixtures.phone(i)]!["message_id"] as! String }
        let (always503, once500, always400, silent, trickling) = (2, 3, 4, 5, 6)
        let p = WhatsAppDeliveryFixtures.phone
        let endpoint = try WhatsAppEndpoint(answers: [
            p(always503): ["503"], p(once500): ["500", "200"], p(always400): ["400"], p(silent): ["hang", "200"],
            p(trickling): ["trickle", "200"],
        ])
        let gw = try Self.gatewaysFile(w, endpoint)

        // Without the token in the environment nothing is handed over (exit 2).
        let refused = try Self.regua(Self.deliverArgs(w, gw), env: [:])
        #expect(refused.status == 2)
        #expect(try endpoint.posts().isEmpty)

        let first = try Self.regua(Self.deliverArgs(w, gw), env: Self.env)
        #expect(first.status == 1)
        var o = try first.outcomes()
        #expect(o.count == 8)
        for i in [1, 7, 8] { #expect(o[message(i)] == "accepted") }
        for i in [always503, once500, always400] { #expect(o[message(i)] == "failed") }
        // A peer that never answers, and one whose answer never ends (it resets an idle
        // time-out for ever), each cost the time-out (2 s), not the night.
        #expect(o[message(silent)] == "uncertain" && o[message(trickling)] == "uncertain")
        #expect(first.seconds < 30)

        let second = try Self.regua(Self.deliverArgs(w, gw), env: Self.env)
        o = try second.outcomes()
        for i in [1, 7, 8] { #expect(o[message(i)] == "already_accepted") }
        #expect(o[message(once500)] == "accepted")
        #expect(o[message(always503)] == "failed" && o[message(always400)] == "failed")
        #expect(o[message(silent)] == "held_uncertain" && o[message(trickling)] == "held_uncertain")

        let third = try Self.regua(Self.deliverArgs(w, gw), env: Self.env)
        o = try third.outcomes()
        #expect(o[message(always503)] == "failed" && o[message(always400)] == "failed")
        // max_attempts reached: given up, not POSTed again.
        let fourth = try Self.regua(Self.deliverArgs(w, gw), env: Self.env)
        #expect(fourth.status == 1)
        o = try fourth.outcomes()
        #expect(o[message(always503)] == "gave_up" && o[message(always400)] == "gave_up")
        #expect(o[message(silent)] == "held_uncertain" && o[message(once500)] == "already_accepted")

        var counts = try endpoint.postsPerRecipient()
        #expect(counts == [p(1): 1, p(2): 3, p(3): 2, p(4): 3, p(5): 1, p(6): 1, p(7): 1, p(8): 1])

        // Every POST: the messages path, the bearer token, JSON, the message id as idempotency
        // key, and the whatsapp.jsonl object's Cloud API part exactly (parsed by Python's json
        // and, from the raw bytes, by JSONSerialization).
        for post in try endpoint.posts() {
            #expect(post["path"] as? String == "/v21.0/123456789/messages")
            #expect(post["authorization"] as? String == "Bearer " + Self.token)
            #expect(post["content_type"] as? String == "application/json")
            let body = try #require(post["body"] as? [String: Any])
            let line = try #require(byPhone[body["to"] as? String ?? ""])
            #expect(NSDictionary(dictionary: body).isEqual(Self.expectedBody(line)))
            let raw = try JSONSerialization.jsonObject(with: Data((post["raw"] as? String ?? "").utf8))
            #expect(NSDictionary(dictionary: raw as? [String: Any] ?? [:]).isEqual(Self.expectedBody(line)))
            #expect(post["idempotency_key"] as? String == line["message_id"] as? String)
        }
        // The token is never written to the ledger or the night.
        let ledgerBytes = try Data(contentsOf: URL(fileURLWithPath: w.root + "/var/regua.sqlite"))
        #expect(ledgerBytes.range(of: Data(Self.token.utf8)) == nil)

        let records = try w.ledger().deliveries(night: Day(iso: "2026-11-23")!)
        #expect(records[message(1)]?.state == .accepted && records[message(1)]?.answer == "http 200")
        #expect(records[message(1)]?.contactHash == ContactHash.phone(p(1)))
        #expect(records[message(always503)]?.state == .failed && records[message(always503)]?.attempts == 3)
        #expect(records[message(always503)]?.answer == "http 503")
        #expect(records[message(always400)]?.answer == "http 400" && records[message(always400)]?.attempts == 3)
        #expect(records[message(once500)]?.state == .accepted && records[message(once500)]?.attempts == 2)
        #expect(records[message(silent)]?.state == .uncertain && records[message(silent)]?.attempts == 1)

        #expect(records[message(trickling)]?.state == .uncertain)

        // Only when told, the uncertain messages go again (they may now arrive twice: what the
        // flag warns about); the peer answers this time.
        let resent = try Self.regua(Self.deliverArgs(w, gw, ["--resend-uncertain"]), env: Self.env)
        o = try resent.outcomes()
        #expect(o[message(silent)] == "accepted" && o[message(trickling)] == "accepted")
        #expect(o[message(always503)] == "gave_up" && o[message(1)] == "already_accepted")
        counts = try endpoint.postsPerRecipient()
        #expect(counts[p(silent)] == 2 && counts[p(trickling)] == 2 && counts.values.reduce(0, +) == 15)
        #expect(try w.ledger().deliveries(night: Day(iso: "2026-11-23")!)[message(silent)]?.state == .accepted)
    }

    @Test func killedAtRandomMomentsNoMessageArrivesTwice() throws {
        let w = try WhatsAppDeliveryFixtures.workspace(customers: 12)
        _ = try w.run("2026-11-23")
        let lines = try WhatsAppNightTests.pythonJSONLines(w.night("2026-11-23") + "/whatsapp.jsonl")
        let all = Set(lines.map { $0["message_id"] as! String })
        #expect(all.count == 12)
        // Each answer takes a while, so that kills land before, during and after POSTs.
        let endpoint = try WhatsAppEndpoint(delay: 0.08)
        let gw = try Self.gatewaysFile(w, endpoint, timeout: 10)

        // Killed right after a POST, before its answer is recorded: uncertain, never re-sent.
        let crashed = try Self.regua(
            Self.deliverArgs(w, gw), env: Self.env.merging(["REGUA_CRASH_AT": "deliver-after-handover"]) { $1 })
        #expect(crashed.killed)
        #expect(try endpoint.posts().count == 1)

        var rng = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<10 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CrashTests.binary)
            p.arguments = Self.deliverArgs(w, gw)
            p.environment = ProcessInfo.processInfo.environment.merging(Self.env) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0.02...0.4, using: &rng))
            if !p.isRunning {
                p.waitUntilExit()
                break
            }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            kills += 1
        }
        let last = try Self.regua(Self.deliverArgs(w, gw), env: Self.env)
        let ids = try endpoint.posts().compactMap {
            ($0["body"] as? [String: Any])?["biz_opaque_callback_data"] as? String
        }
        let states = try w.ledger().deliveries(night: Day(iso: "2026-11-23")!).mapValues(\.state)
        let accepted = Set(states.filter { $0.value == .accepted }.keys)
        let uncertain = Set(states.filter { $0.value == .uncertain }.keys)
        #expect(ids.count == Set(ids).count, "a message arrived twice after \(kills) kills")
        #expect(accepted.isSubset(of: Set(ids)))
        #expect(Set(ids).isSubset(of: all))
        #expect(accepted.union(uncertain) == all)
        #expect(uncertain.count >= 1 && uncertain.count <= kills + 1)
        #expect(last.status == 1)  // the uncertain ones are left for the operator
        let o = try last.outcomes()
        #expect(Set(o.filter { $0.value == "held_uncertain" }.keys) == uncertain)
    }

    @Test func aFailedStatusSendsTheNextMessageByTheFallbackAndReadingItAgainChangesNothing() throws {
        let w = try WhatsAppDeliveryFixtures.workspace(customers: 3)
        _ = try w.run("2026-11-23")
        let endpoint = try WhatsAppEndpoint()
        let gw = try Self.gatewaysFile(w, endpoint)
        #expect(try Self.regua(Self.deliverArgs(w, gw), env: Self.env).status == 0)
        let lines = try WhatsAppNightTests.pythonJSONLines(w.night("2026-11-23") + "/whatsapp.jsonl")
        func message(_ c: String) -> String {
            lines.first { $0["customer_id"] as? String == c }!["message_id"] as! String
        }
        #expect(lines.first { $0["customer_id"] as? String == "C01" }?["title_ids"] as? [String] == ["T-C01"])

        // The provider's webhooks: C01's message failed (undeliverable), C02's was delivered and
        // read, one status is for a message that is not ours.
        func status(_ id: String, _ s: String, errors: Bool = false) -> [String: Any] {
            var o: [String: Any] = [
                "id": "wamid.\(id)", "status": s, "timestamp": "1763900000", "recipient_id": "5511987654301",
                "biz_opaque_callback_data": id,
            ]
            if errors { o["errors"] = [["code": 131026, "title": "Message undeliverable"]] }
            return o
        }
        let webhook: [String: Any] = [
            "object": "whatsapp_business_account",
            "entry": [
                [
                    "id": "1",
                    "changes": [
                        ["field": "messages", "value": ["statuses": [status(message("C01"), "failed", errors: true)]]]
                    ],
                ]
            ],
        ]
        var text = String(decoding: try JSONSerialization.data(withJSONObject: webhook), as: UTF8.self) + "\n"
        for s in [
            status(message("C02"), "delivered"), status(message("C02"), "read"),
            status("R20261123-ffffffffffffffff", "failed"),
        ] {
            text += String(decoding: try JSONSerialization.data(withJSONObject: s), as: UTF8.self) + "\n"
        }
        let file = w.root + "/statuses.jsonl"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let args = [
            "feedback", "--whatsapp-status", file, "--out", w.root + "/out", "--state", w.root + "/var/regua.sqlite",
            "--json",
        ]

        let read = try Self.regua(args, env: [:])
        #expect(read.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
        let items = try #require(report["items"] as? [[String: Any]])
        #expect(items.map { $0["outcome"] as? String } == ["failed", "ignored", "ignored", "unmatched"])
        #expect(items[0]["marked"] as? String == "undelivered_whatsapp" && items[0]["customer_id"] as? String == "C01")
        #expect(items.dropFirst().allSatisfy { $0["marked"] == nil })
        #expect(report["effective_from"] as? String == "2026-11-24")
        let marks = try w.ledger().unusableContacts()
        #expect(marks.map(\.customerID.raw) == ["C01"] && marks.first?.contact.kind == .whatsapp)
        #expect(marks.first?.contact.valueHash == ContactHash.phone(WhatsAppDeliveryFixtures.phone(1)))

        // The same file again: every report already read, nothing marked, the ledger's marks unchanged.
        let again = try Self.regua(args, env: [:])
        let items2 = try #require(
            (try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])?["items"]
                as? [[String: Any]])
        #expect(
            items2.count == 4 && items2.allSatisfy { $0["outcome"] as? String == "already_read" && $0["marked"] == nil }
        )
        #expect(try w.ledger().unusableContacts().count == 1)

        // A later night: C01's second title reaches the 10-day step; WhatsApp is unusable for
        // that number, so it goes by the step's fallback, an SMS to the same number.
        let next = try w.run("2026-11-26")
        let folder = try #require(next.folder)
        #expect(!FileManager.default.fileExists(atPath: folder + "/whatsapp.jsonl"))
        let sms = try EscalationNightTests.pythonCSV(folder + "/sms.csv")
        #expect(sms.map { $0["customer_id"]! } == ["C01"])
        #expect(sms.first?["title_ids"] == "T2-C01" && sms.first?["phone"] == WhatsAppDeliveryFixtures.phone(1))
        let explain = try Self.regua(
            [
                "explain", "C01", "--as-of", "2026-11-26", "--rules", w.root + "/rules", "--customers",
                w.root + "/fixtures/customers.csv",
                "--receivables", w.root + "/fixtures/receivables.csv", "--state", w.root + "/var/regua.sqlite",
            ],
            env: [:])
        #expect(
            explain.stdout.contains(
                "o contato de WhatsApp está inutilizável (WhatsApp não entregue): sai por SMS (fallback)"))

        // A new number in customers.csv is usable at once (the mark names the old one's hash):
        // the third title's 10-day step goes by WhatsApp to it the next night.
        let customers = w.root + "/fixtures/customers.csv"
        try (try String(contentsOfFile: customers, encoding: .utf8)).replacingOccurrences(
            of: "(11) 98765-4301", with: "(11) 91234-0001"
        )
        .write(toFile: customers, atomically: true, encoding: .utf8)
        let receivables = w.root + "/fixtures/receivables.csv"
        try (try String(contentsOfFile: receivables, encoding: .utf8) + "C01,T3-C01,250.00,2026-11-17\n").write(
            toFile: receivables, atomically: true, encoding: .utf8)
        let third = try w.run("2026-11-27")
        let wa = try WhatsAppNightTests.pythonJSONLines(try #require(third.folder) + "/whatsapp.jsonl")
        #expect(wa.map { $0["to"] as? String } == ["+5511912340001"])
    }
}
