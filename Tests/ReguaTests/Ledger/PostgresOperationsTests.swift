import Foundation
import GRDB
import Testing

@testable import Regua

/// `regua deliver`, `regua feedback` and `regua prune` on a PostgreSQL ledger (``PostgresServer``)
/// against the same commands on the SQLite ledger, all through the real `regua` binary with the
/// same inputs: the same per-message outcomes and attempts, nothing handed over twice (also by
/// two delivers started together), the same contacts marked unusable by the same reports read
/// twice and the same next night, the same folders removed and titles archived by a prune.
/// The gateway is a small sendmail script that writes down every message it takes (its VERP
/// envelope names the message) and refuses the ones listed in its `fail` file.
@Suite(.serialized) struct PostgresOperationsTests {
    static var ready: Bool { PostgresServer.enabled && CrashTests.haveBinary }
    static var why: Comment {
        CrashTests.haveBinary ? PostgresServer.skipReason : "build the regua binary first (make test does)"
    }

    /// One ledger and its published nights: the SQLite file with out/, or a PostgreSQL database with out-pg/.
    struct Side: CustomStringConvertible {
        var name: String
        var state: String
        var out: String
        var description: String { name }

        static func both(_ w: Workspace) throws -> [Side] {
            let url = try PostgresServer.shared.get().newDatabase()
            return [
                Side(name: "sqlite", state: w.root + "/var/regua.sqlite", out: "out"),
                Side(name: "postgres", state: url, out: "out-pg"),
            ]
        }

        func ledger() throws -> any OperationsLedger { try LedgerLocation(state: state).openForOperations() }
    }

    /// A sendmail stand-in in a folder of its own: appends the message id of every message it
    /// takes to `received`; exits 75 for the ids listed in `fail`; sleeps `delay` seconds first.
    struct Gateway {
        let folder: String
        var script: String { folder + "/sendmail" }
        var gateways: String { folder + "/gateways.yaml" }
        var failFile: String { folder + "/fail" }

        init(delay: Double = 0) throws {
            folder =
                FileManager.default.temporaryDirectory.appendingPathComponent("regua-pgops-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try """
            #!/bin/sh
            d="$(dirname "$0")"
            id=""
            for a in "$@"; do case "$a" in bounces+*) id="${a#bounces+}"; id="${id%@*}";; esac; done
            cat > /dev/null
            sleep \(delay)
            if [ -f "$d/fail" ] && grep -qx "$id" "$d/fail"; then echo 'mailbox unavailable' >&2; exit 75; fi
            echo "$id" >> "$d/received"
            exit 0

            """.write(toFile: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script)
            try """
            email:
              sendmail: \(script)
              envelope: bounces@regua.test
            max_attempts: 5

            """.write(toFile: gateways, atomically: true, encoding: .utf8)
        }

        func fail(_ ids: [String]) throws {
            if ids.isEmpty {
                try? FileManager.default.removeItem(atPath: failFile)
            } else {
                try (ids.joined(separator: "\n") + "\n").write(toFile: failFile, atomically: true, encoding: .utf8)
            }
        }

        /// Every message id taken, in order, one line each (repeats kept).
        func received() -> [String] {
            ((try? String(contentsOfFile: folder + "/received", encoding: .utf8)) ?? "").split(separator: "\n").map(
                String.init)
        }

        func done() { try? FileManager.default.removeItem(atPath: folder) }
    }

    struct CLI {
        var status: Int32
        var stdout: String
        var stderr: String
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
        }
    }

    /// Starts the `regua` binary with its output in files (two may run at once).
    static func start(_ args: [String]) throws -> (Process, String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("regua-pgops-out-\(UUID().uuidString)")
            .path
        _ = FileManager.default.createFile(atPath: base + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: base + ".err", contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CrashTests.binary)
        p.arguments = args
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
        try p.run()
        return (p, base)
    }

    static func finish(_ started: (Process, String)) -> CLI {
        let (p, base) = started
        p.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        return CLI(
            status: p.terminationStatus,
            stdout: (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")
    }

    static func regua(_ args: [String]) throws -> CLI { finish(try start(args)) }

    static func night(_ w: Workspace, _ side: Side, _ iso: String, _ extra: [String] = []) throws -> Int32 {
        let r = try PostgresLedgerTests.run(w, iso, state: side.state, out: side.out, extra)
        #expect(r.status <= 1, "\(side) night \(iso): \(r.stderr)")
        return r.status
    }

    static func deliverArgs(_ w: Workspace, _ side: Side, _ g: Gateway, _ iso: String) -> [String] {
        [
            "deliver", "--as-of", iso, "--gateways", g.gateways, "--only", "email", "--out", w.root + "/" + side.out,
            "--state", side.state, "--json",
        ]
    }

    /// A deliver's report as message id → "outcome/attempts/answer".
    static func outcomes(_ r: CLI) -> [String: String] {
        var out: [String: String] = [:]
        for m in (r.json["messages"] as? [[String: Any]]) ?? [] {
            let id = m["message_id"] as? String ?? "?"
            out[id] = "\(m["outcome"] as? String ?? "?")/\(m["attempts"] as? Int ?? -1)/\(m["answer"] as? String ?? "")"
        }
        return out
    }

    static func outcomeOnly(_ o: [String: String]) -> [String: String] {
        o.mapValues { String($0.split(separator: "/", omittingEmptySubsequences: false)[0]) }
    }

    // MARK: - 1. deliver

    @Test(.enabled(if: ready, why)) func deliverHandsOverTheSameAndRetriesTheFailedOnBothLedgers() throws {
        let w = try DeliveryFixtures.workspace()
        let sides = try Side.both(w)
        let iso = "2026-11-25"
        for s in sides { #expect(try Self.night(w, s, iso) == 0) }
        #expect(Workspace.tree(w.night(iso)) == Workspace.tree(w.root + "/out-pg/" + iso))
        // One reminder e-mail per customer that night (DeliveryFixtures); H1's is refused at first.
        let emails = w.emails(iso)
        #expect(emails.count == DeliveryFixtures.customers.count)
        #expect(Set(emails.values) == Set(DeliveryFixtures.customers.map(\.id)))
        let refused = try #require(emails.first { $0.value == "H1" }?.key)
        let others = Set(emails.keys).subtracting([refused])

        var rounds: [String: [[String: String]]] = [:]
        for s in sides {
            let g = try Gateway()
            defer { g.done() }
            try g.fail([refused])
            // First: every e-mail goes once; the refused one is failed.
            let first = try Self.regua(Self.deliverArgs(w, s, g, iso))
            #expect(first.status == 1, "\(s): \(first.stderr)")
            let o1 = Self.outcomes(first)
            #expect(Set(o1.keys) == Set(emails.keys), "\(s)")
            #expect(o1[refused] == "failed/1/sendmail exit 75: mailbox unavailable", "\(s)")
            #expect(others.allSatisfy { o1[$0]?.hasPrefix("accepted/1/") == true }, "\(s): \(o1)")
            #expect(g.received().sorted() == others.sorted(), "\(s)")
            // Again, still refused: the failed one is tried again, the accepted ones left alone.
            let second = try Self.regua(Self.deliverArgs(w, s, g, iso))
            #expect(second.status == 1, "\(s): \(second.stderr)")
            let o2 = Self.outcomes(second)
            #expect(o2[refused] == "failed/2/sendmail exit 75: mailbox unavailable", "\(s)")
            #expect(others.allSatisfy { o2[$0]?.hasPrefix("already_accepted/1/") == true }, "\(s): \(o2)")
            #expect(g.received().sorted() == others.sorted(), "\(s): handed over twice")
            // The gateway takes it now: accepted at the third attempt, the others still once.
            try g.fail([])
            let third = try Self.regua(Self.deliverArgs(w, s, g, iso))
            #expect(third.status == 0, "\(s): \(third.stderr)")
            let o3 = Self.outcomes(third)
            #expect(o3[refused]?.hasPrefix("accepted/3/") == true, "\(s): \(o3)")
            #expect(others.allSatisfy { o3[$0]?.hasPrefix("already_accepted/1/") == true }, "\(s): \(o3)")
            #expect(g.received().sorted() == emails.keys.sorted(), "\(s): every e-mail exactly once")
            // A fourth hands nothing over.
            let fourth = try Self.regua(Self.deliverArgs(w, s, g, iso))
            #expect(fourth.status == 0)
            #expect(Set(Self.outcomeOnly(Self.outcomes(fourth)).values) == ["already_accepted"], "\(s)")
            #expect(g.received().count == emails.count, "\(s)")
            // The ledger says the same.
            let records = try s.ledger().deliveries(night: Day(iso: iso)!)
            #expect(Set(records.keys) == Set(emails.keys), "\(s)")
            #expect(records.values.allSatisfy { $0.state == .accepted && $0.channel == "email" }, "\(s)")
            #expect(records.mapValues(\.attempts) == emails.mapValues { $0 == "H1" ? 3 : 1 }, "\(s)")
            #expect(records.mapValues(\.customerID.raw) == emails, "\(s)")
            #expect(try s.ledger().deliveries(in: .failed).isEmpty, "\(s)")
            rounds[s.name] = [o1, o2, o3].map { $0 }
        }
        #expect(rounds["sqlite"]?.count == 3)
        #expect(rounds["postgres"] == rounds["sqlite"], "the same outcomes, attempts and answers on both ledgers")
        let sq = try sides[0].ledger().deliveries(night: Day(iso: iso)!)
        let pg = try sides[1].ledger().deliveries(night: Day(iso: iso)!)
        #expect(pg.mapValues(\.contactHash) == sq.mapValues(\.contactHash))
        #expect(pg.mapValues(\.answer) == sq.mapValues(\.answer))
    }

    // MARK: - 2. two delivers at once

    @Test(.enabled(if: ready, why)) func twoDeliversStartedTogetherNeverHandAMessageOverTwice() throws {
        let w = try DeliveryFixtures.workspace()
        let sides = try Side.both(w)
        let iso = "2026-11-25"
        for s in sides { #expect(try Self.night(w, s, iso) == 0) }
        let ids = Set(w.emails(iso).keys)
        #expect(ids.count == DeliveryFixtures.customers.count)
        for s in sides {
            do {
                // Slow enough that the two overlap: each message takes 0.2 s.
                let g = try Gateway(delay: 0.2)
                defer { g.done() }
                let a = try Self.start(Self.deliverArgs(w, s, g, iso))
                let b = try Self.start(Self.deliverArgs(w, s, g, iso))
                let ra = Self.finish(a)
                let rb = Self.finish(b)
                let statuses = [ra.status, rb.status].sorted()
                // One delivers; the other finds the night's deliver lock taken (exit 4): the first
                // needs at least a second for the five e-mails, the second starts within milliseconds.
                #expect(statuses == [0, 4], "\(s): \(ra.stderr) / \(rb.stderr)")
                let got = g.received()
                #expect(got.count == Set(got).count, "\(s): a message was handed over twice: \(got)")
                #expect(Set(got) == ids, "\(s)")
                if let loser = [ra, rb].first(where: { $0.status == 4 }) {
                    #expect(!loser.stderr.isEmpty, "\(s): exit 4 without a word")
                }
                let again = try Self.regua(Self.deliverArgs(w, s, g, iso))
                #expect(again.status == 0)
                #expect(Set(Self.outcomeOnly(Self.outcomes(again)).values) == ["already_accepted"], "\(s)")
                #expect(g.received().count == ids.count, "\(s)")
                let records = try s.ledger().deliveries(night: Day(iso: iso)!)
                #expect(
                    Set(records.keys) == ids && records.values.allSatisfy { $0.state == .accepted && $0.attempts == 1 })
            }
        }
    }

    // MARK: - 3. feedback

    @Test(.enabled(if: ready, why)) func feedbackMarksTheSameContactsOnceAndTheNextNightIsTheSame() throws {
        // K1 has no e-mail, so on 11-26 its overdue_d3 step goes by letter (SQLite, in this process).
        let (w, letterID) = try DeliveryFixtures.letterWorkspace()
        let sides = try Side.both(w)
        let pg = sides[1]
        for iso in ["2026-11-25", "2026-11-26"] {
            #expect(try Self.night(w, pg, iso) == 0)
            #expect(Workspace.tree(w.night(iso)) == Workspace.tree(w.root + "/out-pg/" + iso), "night \(iso)")
        }
        // H2's SMS of 11-25 is reported undelivered (Kannel 16) twice: its phone becomes unusable.
        let sms = CSVRows.records(try String(contentsOfFile: w.night("2026-11-25") + "/sms.csv", encoding: .utf8))
        let h2sms = try #require(sms.first { $0["customer_id"] == "H2" }?["message_id"])
        let dlr = w.root + "/dlr.csv"
        try "message_id,status,at\n\(h2sms),16,2026-11-25T10:00:00Z\n\(h2sms),16,2026-11-25T14:00:00Z\n"
            .write(toFile: dlr, atomically: true, encoding: .utf8)
        let returned = w.root + "/devolvidas.csv"
        try
            "message_id,reason,returned_at\r\n\(letterID),mudou-se,2026-11-27\r\nR20991231-ffffffffffffffff,desconhecido,2026-11-27\r\n"
            .write(toFile: returned, atomically: true, encoding: .utf8)

        var reports: [String: [[String]]] = [:]
        var marks: [String: [String]] = [:]
        for s in sides {
            let args = [
                "feedback", "--sms-dlr", dlr, "--returned-letters", returned, "--out", w.root + "/" + s.out,
                "--state", s.state, "--json",
            ]
            var lines: [[String]] = []
            for _ in 0..<2 {
                let r = try Self.regua(args)
                #expect(r.status == 0, "\(s): \(r.stderr)")
                #expect(r.json["effective_from"] as? String == "2026-11-27", "\(s): the night after the last published")
                lines.append(
                    ((r.json["items"] as? [[String: Any]]) ?? []).map { i in
                        [i["source"], i["message_id"], i["outcome"], i["marked"], i["customer_id"]]
                            .map { ($0 as? String) ?? "-" }.joined(separator: "|")
                    })
            }
            // First read: two undelivered reports (the second tips SPEC §7's rule), the returned
            // letter (one is enough), and a letter of no message of ours.
            #expect(
                lines[0] == [
                    "sms_dlr|\(h2sms)|undelivered|-|H2", "sms_dlr|\(h2sms)|undelivered|undelivered_sms|H2",
                    "returned_letter|\(letterID)|returned|returned_letter|K1", "returned_letter|-|unmatched|-|-",
                ], "\(s): \(lines[0])")
            // Read again: every report already read, nothing marked.
            #expect(lines[1].count == 4)
            #expect(
                lines[1].allSatisfy { $0.split(separator: "|", omittingEmptySubsequences: false)[2] == "already_read" },
                "\(s): \(lines[1])")
            #expect(lines[1].allSatisfy { $0.split(separator: "|", omittingEmptySubsequences: false)[3] == "-" })
            reports[s.name] = lines
            marks[s.name] = try s.ledger().unusableContacts().map { u in
                [
                    u.customerID.raw, u.contact.kind.rawValue, u.contact.issue.rawValue, u.contact.since.iso,
                    u.contact.valueHash,
                ].joined(separator: "|")
            }.sorted()
        }
        #expect(reports["postgres"] == reports["sqlite"])
        let unusable = try #require(marks["sqlite"])
        #expect(unusable.count == 2)
        #expect(unusable.contains { $0.hasPrefix("K1|address|returned_letter|2026-11-27|") }, "\(unusable)")
        #expect(unusable.contains { $0.hasPrefix("H2|phone|") }, "\(unusable)")
        #expect(marks["postgres"] == unusable, "the same contacts unusable on both ledgers")

        // The next nights decide with those marks the same way on both ledgers.
        for iso in ["2026-11-27", "2026-12-08"] {
            for s in sides { _ = try Self.night(w, s, iso, ["--accept-gap"]) }
            #expect(Workspace.tree(w.night(iso)) == Workspace.tree(w.root + "/out-pg/" + iso), "night \(iso) differs")
        }
        let rows = try WorklistTests.spreadsheetRows(w.night("2026-12-08") + "/worklist.csv").dropFirst()
        let k1 = try #require(rows.first { $0[0] == "K1" && $0[2] == "returned_letter" }, "\(rows)")
        #expect(k1[4] == "proposta_d15")
        let pgRows = try WorklistTests.spreadsheetRows(w.root + "/out-pg/2026-12-08/worklist.csv").dropFirst()
        #expect(Array(pgRows) == Array(rows))
        // H2 gets no SMS from 11-27 on (its phone is unusable); the 11-25 night had one.
        for iso in ["2026-11-27", "2026-12-08"] {
            let later = CSVRows.records((try? String(contentsOfFile: w.night(iso) + "/sms.csv", encoding: .utf8)) ?? "")
            #expect(!later.contains { $0["customer_id"] == "H2" }, "\(iso)")
        }
    }

    // MARK: - 4. prune

    static func archivedTitles(_ s: Side) throws -> [String] {
        if s.name == "sqlite" {
            let q = try DatabaseQueue(path: s.state)
            return try q.read { db in
                try String.fetchAll(db, sql: "SELECT title_id FROM archived_title_state ORDER BY title_id")
            }
        }
        let r = try PostgresServer.shared.get().psql(
            s.state, "SELECT title_id FROM archived_title_state ORDER BY title_id")
        #expect(r.status == 0, "\(r.output)")
        return r.output.split(separator: "\n").map(String.init)
    }

    static func hotTitles(_ s: Side) throws -> [String] {
        if s.name == "sqlite" {
            let q = try DatabaseQueue(path: s.state)
            return try q.read { db in try String.fetchAll(db, sql: "SELECT title_id FROM title_state ORDER BY title_id")
            }
        }
        let r = try PostgresServer.shared.get().psql(s.state, "SELECT title_id FROM title_state ORDER BY title_id")
        #expect(r.status == 0, "\(r.output)")
        return r.output.split(separator: "\n").map(String.init)
    }

    @Test(.enabled(if: ready, why)) func pruneRemovesTheSameFoldersAndArchivesTheSameTitles() throws {
        let w = try DeliveryFixtures.workspace()
        let sides = try Side.both(w)
        for iso in ["2026-11-23", "2026-11-24", "2026-11-25"] {
            for s in sides { #expect(try Self.night(w, s, iso) == 0) }
        }
        // K1 leaves the receivables (paid, say): its two titles are last seen on 11-25.
        let receivables = w.root + "/fixtures/receivables.csv"
        let kept = try String(contentsOfFile: receivables, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("K1,") }
        try (kept.joined(separator: "\n") + "\n").write(toFile: receivables, atomically: true, encoding: .utf8)
        for iso in ["2026-12-10"] {
            for s in sides { _ = try Self.night(w, s, iso, ["--accept-gap"]) }
        }
        let allTitles = DeliveryFixtures.customers.flatMap { ["A-" + $0.id, "B-" + $0.id] }.sorted()
        // The night's commit moved K1's titles, missing for a week, to the archive (on both ledgers).
        let lastSeenK1 = Day(iso: "2026-11-25")!
        let k1 = ["A-K1", "B-K1"]
        #expect(lastSeenK1.iso < CompactState.staleBefore(Day(iso: "2026-12-10")!), "the fixture should archive K1")
        for s in sides {
            #expect(try Self.archivedTitles(s) == k1, "\(s)")
            #expect(try Self.hotTitles(s) == allTitles.filter { !k1.contains($0) }, "\(s)")
        }

        // Keep 5 days from 12-10: the cutoff is 12-05; the nights before it go. K1 is archived
        // already, so the prune archives nothing more.
        let asOf = Day(iso: "2026-12-10")!
        let cutoff = asOf.adding(days: -5)
        let expectedFolders = ["2026-11-23", "2026-11-24", "2026-11-25"]
        let expectedArchived: [String] = []

        var seen: [String: [String]] = [:]
        for s in sides {
            let base = [
                "prune", "--keep-days", "5", "--as-of", asOf.iso, "--out", w.root + "/" + s.out, "--state", s.state,
                "--json",
            ]
            let dry = try Self.regua(base + ["--dry-run"])
            #expect(dry.status == 0, "\(s): \(dry.stderr)")
            #expect(dry.json["folders"] as? [String] == expectedFolders, "\(s): \(dry.stdout)")
            #expect(dry.json["titles_archived"] as? Int == expectedArchived.count, "\(s): \(dry.stdout)")
            #expect(try s.ledger().prunes().isEmpty, "\(s): a dry run recorded a prune")
            #expect(try Self.archivedTitles(s) == k1, "\(s): a dry run archived")

            let done = try Self.regua(base)
            #expect(done.status == 0, "\(s): \(done.stderr)")
            #expect(done.json["folders"] as? [String] == expectedFolders, "\(s): \(done.stdout)")
            #expect(done.json["cutoff"] as? String == cutoff.iso)
            #expect(done.json["titles_archived"] as? Int == expectedArchived.count, "\(s)")
            let left = try FileManager.default.contentsOfDirectory(atPath: w.root + "/" + s.out).filter {
                !$0.hasPrefix(".")
            }
            #expect(left.sorted() == ["2026-12-10"], "\(s)")
            #expect(try Self.archivedTitles(s) == k1, "\(s)")
            #expect(try Self.hotTitles(s) == allTitles.filter { !k1.contains($0) }, "\(s)")
            let recorded = try s.ledger().prunes()
            #expect(recorded.count == 1, "\(s)")
            #expect(recorded.first?.folders == expectedFolders, "\(s)")
            #expect(
                recorded.first?.cutoff == cutoff.iso && recorded.first?.keepDays == 5
                    && recorded.first?.asOf == asOf.iso)
            #expect(recorded.first?.titlesArchived == expectedArchived.count, "\(s)")
            // A second prune finds nothing more and is recorded too.
            let again = try Self.regua(base)
            #expect(again.status == 0)
            #expect(again.json["folders"] as? [String] == [] && again.json["titles_archived"] as? Int == 0, "\(s)")
            #expect(try s.ledger().prunes().count == 2, "\(s)")
            seen[s.name] = [done.stdout, again.stdout]
        }
        #expect(seen["postgres"] == seen["sqlite"], "the same prune reports on both ledgers")

        // K1 comes back: its archived state returns, and the next night is the same on both.
        try DeliveryFixtures.receivablesCSV().write(toFile: receivables, atomically: true, encoding: .utf8)
        for s in sides { _ = try Self.night(w, s, "2026-12-11") }
        #expect(Workspace.tree(w.night("2026-12-11")) == Workspace.tree(w.root + "/out-pg/2026-12-11"))
        #expect(!Workspace.tree(w.night("2026-12-11")).isEmpty)
        for s in sides { #expect(try Self.hotTitles(s) == allTitles, "\(s): the archived titles came back") }

        // A prune counted from a later day (no night since) archives what was last seen more than
        // CompactState.lastSeenSlack days before its cutoff: every title, alike on both ledgers.
        var later: [String: String] = [:]
        for s in sides {
            let r = try Self.regua([
                "prune", "--keep-days", "5", "--as-of", "2026-12-31", "--out", w.root + "/" + s.out, "--state",
                s.state, "--json",
            ])
            #expect(r.status == 0, "\(s): \(r.stderr)")
            #expect(r.json["titles_archived"] as? Int == allTitles.count, "\(s): \(r.stdout)")
            #expect(try Self.archivedTitles(s) == allTitles && Self.hotTitles(s).isEmpty, "\(s)")
            later[s.name] = r.stdout
        }
        #expect(later["postgres"] == later["sqlite"])
    }
}
