import Foundation
import Logging
#if canImport(Glibc)
    import Glibc
#endif

/// Runs one night: the only place where the order of side effects is decided.
///
/// The order, and why a crash at any point is safe:
///
/// 1. Load and validate the rule book and templates (exit 2), read the inputs (exit 3).
///    Nothing is written yet.
/// 2. Take the ledger lock (exit 4 if held), then read the return files (exit 2 if refused).
///    The ledger is any ``Ledger`` (``LedgerLocation`` opens the one `--state` names).
/// 3. Open the ledger and classify the night: new, already published (same hashes → nothing to
///    do), committed but not published (a crash between steps 7 and 9), or refused.
/// 4. Decide (pure). `--dry-run` stops here.
/// 5. Build every file in `out/.staging-<date>/` (the e-mails are written while the letters
///    render), each fsync'ed, then the manifest, then the directories. A crash here leaves only
///    a staging folder, removed by the next run, and nothing recorded.
/// 6. Allocate NSAs, which were chosen before step 5 and are recorded in step 7.
/// 7. Commit the night to the ledger in ONE transaction (status `committed`). Its rows are
///    inserted on another thread while step 5 runs, but the transaction may COMMIT only after
///    step 5's flush (``CommitGate``); a failed step 5 rolls it back. A crash before the
///    commit records nothing (SQLite's journal undoes the open transaction); a crash after it
///    leaves a committed night whose output is in staging: the next run rebuilds it byte for
///    byte (the decision is a function of the ledger *before* the night, which the commit did
///    not change) and publishes it.
/// 8. Rename the staging folder to `out/<date>/` and fsync `out/`. Readers see all or nothing.
/// 9. Mark the night `published`. A crash between 8 and 9 is recognised by the folder's
///    presence and finished by marking it.
public struct NightRunner {
    /// What the run was asked to do.
    public var options: NightOptions
    /// Where progress and problems are logged.
    public var logger: Logger

    /// Creates a runner for the given options.
    public init(options: NightOptions, logger: Logger = Logger(label: "regua")) {
        self.options = options
        self.logger = logger
    }

    /// Fault injection for the crash tests: `REGUA_CRASH_AT=<point>` kills the process with
    /// SIGKILL at that point, exactly as a power loss would.
    static func crashPoint(_ name: String) {
        if ProcessInfo.processInfo.environment["REGUA_CRASH_AT"] == name {
            kill(getpid(), SIGKILL)
        }
    }

    /// Runs the night in the order above and says how it ended.
    public func run() throws -> NightResult {
        umask(0o077)  // LGPD: every file we create is readable by its owner only.

        var clock = StageClock()
        // 1. Rule book, templates, inputs: read only, so a bad book stops before anything exists.
        var loaded = try NightInputs.load(options: options, logger: logger)
        try loaded.refuseBrokenExport()
        let shard = options.shard
        // A shard reads the return files whole and keeps its own titles' events: it needs every
        // title to tell another shard's from one missing in the receivables.
        let allTitles = shard != nil && !options.returnFiles.isEmpty ? loaded.inputs.titles : nil
        if let shard {
            loaded.inputs = Self.restricted(loaded.inputs, to: shard)
        }
        clock.lap("ingest")

        // 2. One run at a time (per ledger file, and per shard; per night and shard in PostgreSQL).
        let book = loaded.book
        let asOf = options.asOf ?? Self.today(in: book.timeZone)
        let location = try LedgerLocation(state: options.statePath)
        let lock: AnyObject?
        if options.dryRun {
            lock = nil
        } else if let shard, case .file(let path) = location {
            lock = try RunLock(ledgerPath: path + "." + shard.folderName)
        } else {
            lock = try location.lock(LedgerLockKey(night: asOf, shard: shard.map { $0.index + 1 } ?? 0))
        }
        defer { withExtendedLifetime(lock) {} }
        Self.crashPoint("after-lock")
        logger.info(
            "night \(asOf.iso): \(loaded.inputs.customers.count) customers, \(loaded.inputs.titles.count) titles, \(loaded.inputs.rejects.count) rejected rows"
        )

        // 3. The ledger and the state of this night.
        let ledger: any Ledger
        do {
            if options.dryRun {
                ledger = try location.openForReading()  // a dry run never changes its bytes (its rows)
            } else if shard != nil, case .file(let path) = location {
                // The shards of a night wait for one another's (short) commits.
                ledger = try SQLiteLedger.openShared(path: path, busyTimeout: 120)
            } else {
                ledger = try location.openForWriting()
            }
        } catch let e as LedgerError {
            throw ReguaError(.io, e.description + "; nothing was done")
        }
        clock.lap("ledger")  // the lock and the ledger's opening (its schema, on a first night)
        let returns = try loaded.readReturnFiles(ledger: ledger, asOf: asOf, shard: shard, allTitles: allTitles)
        clock.lap("ingest")
        let inputsHash = loaded.inputsHash(returnHashes: returns.allHashes)
        let finalFolder = options.outDir + "/" + asOf.iso + (shard.map { "/" + $0.folderName } ?? "")
        let folderExists = FileManager.default.fileExists(atPath: finalFolder)
        if let shard {
            if !options.dryRun {
                try ledger.claimShard(night: asOf, shard: shard, rulesHash: book.hash)
                try ledger.recordRuns(as: shard)
            }
        } else if try ledger.nightIsSharded(asOf) {
            throw ReguaError(
                .refused,
                "night \(asOf.iso) is run in shards (out/\(asOf.iso)/shard-K-of-N/); an unsharded run of it is refused; nothing was done"
            )
        }

        var replaces: Int64?
        var rebuildOf: NightRecord?
        let lastNight = try shard.map { try ledger.lastNight(shard: $0, before: nil) } ?? ledger.lastNight()
        if let last = lastNight, last.night > asOf {
            throw ReguaError(
                .refused,
                "night \(asOf.iso) is before the last recorded night \(last.night.iso); a past night cannot be run again"
            )
        }
        // A night too far after the last one loses the steps of the nights between (SPEC §5).
        let gap = try (shard.map { try ledger.lastNight(shard: $0, before: asOf) } ?? ledger.lastNight(before: asOf))
            .flatMap {
                NightGap(after: $0.night, night: asOf, catchUpDays: book.policy.catchUpDays)
            }
        let refuseGap = {
            guard let gap, !options.acceptGap else { return }
            throw ReguaError(.refused, Self.gapMessage(gap, night: asOf, catchUpDays: book.policy.catchUpDays))
        }
        if let existing = try shard.map({ try ledger.night(asOf, shard: $0) }) ?? ledger.night(asOf) {
            let same = existing.rulesHash == book.hash && existing.inputsHash == inputsHash
            let visible = existing.status == .published || folderExists
            switch (visible, same) {
            case (true, true):
                if existing.status != .published, !options.dryRun { try ledger.markPublished(runID: existing.runID) }
                if folderExists {
                    logger.info(
                        "night \(asOf.iso) is already published with the same inputs and rule book; nothing to do")
                    clock.lap("ledger")
                    return NightResult(
                        outcome: existing.status == .published ? .alreadyPublished : .completed, asOf: asOf,
                        summary: nil, folder: finalFolder, rejects: loaded.inputs.rejects,
                        exitCode: Int32(existing.exitCode), notes: returns.notes, timings: clock.finish())
                }
                rebuildOf = existing  // published, but its folder is gone: write it again, record nothing
            case (true, false):
                guard options.force else {
                    throw ReguaError(
                        .refused,
                        "night \(asOf.iso) was already published with a different \(existing.rulesHash != book.hash ? "rule book" : "input") (run \(existing.runID)); rerun with --force to replace it (recorded), or run the next night"
                    )
                }
                replaces = existing.runID
                logger.warning("--force: replacing published night \(asOf.iso) (run \(existing.runID))")
            case (false, true):
                rebuildOf = existing  // committed, not published: finish it
            case (false, false):
                try refuseGap()  // decided again: the same guard as a new night
                logger.warning(
                    "night \(asOf.iso) was committed but never published and its inputs changed; discarding it")
                if !options.dryRun { try ledger.discardUnpublished(runID: existing.runID) }
            }
        } else {
            try refuseGap()
        }
        if let gap, options.acceptGap, rebuildOf == nil {
            logger.warning("--accept-gap: the steps of nights \(gap) (\(gap.count)) are let go")
        }

        // 4. Decide.
        // Settlements of earlier nights only: tonight's come from tonight's files (re-read on a
        // rebuild or a --force), so a replaced run's settlements do not leak into the new one.
        let settlements = try ledger.settlements(upTo: asOf.adding(days: -1), titles: loaded.inputs.titles.map(\.id))
            .merging(returns.newSettlements) { _, new in new }
        let titles = NightInputs.applying(settlements: settlements, to: loaded.inputs.titles)
        let history = try ledger.history(before: asOf, scope: .night(titles: titles))
        clock.lap("ledger")
        var decision = NightDecider(book: book, asOf: asOf)
            .decide(customers: loaded.inputs.customers, titles: titles, history: history)
        // The dossier of a title handed off tonight lists every step sent for it with its
        // channel: read for those few titles from the audit trail.
        if !decision.handoffs.isEmpty {
            let steps = try ledger.sentSteps(titles: decision.handoffs.map(\.title.title.id), before: asOf)
            for i in decision.handoffs.indices {
                decision.handoffs[i].history = steps[decision.handoffs[i].title.title.id] ?? []
            }
        }
        let exitCode: Int32 = loaded.inputs.rejects.isEmpty ? 0 : 1
        clock.lap("decide")
        logger.info("decided: \(Self.decisionCounts(decision))")
        // The volume guard: a night far bigger than the company ever sends is more likely a
        // broken export (every title overdue, a wrong as-of date) than a night to send.
        // A shard holds one N-th of the customers (SHA-256 spreads them evenly), so it checks
        // its share of the night's limit: the union of N shards is held to what one process is.
        var forcedOverMax: Int?
        if let max = book.policy.maxMessages, decision.messages.count > Self.messageLimit(max, shard: shard) {
            if rebuildOf == nil, !options.force {
                let limit = Self.messageLimit(max, shard: shard)
                let share = shard.map { " — this shard's share, max_messages / \($0.count) = \(limit)" } ?? ""
                throw ReguaError(
                    .refused,
                    "night \(asOf.iso) would send \(decision.messages.count) messages, more than policy.max_messages (\(max)\(share)); nothing was done. Check the inputs (an export with every title overdue? a wrong --as-of?), then raise max_messages in the rule book or rerun with --force (recorded)"
                )
            }
            forcedOverMax = max
            if rebuildOf == nil {
                logger.warning("--force: sending \(decision.messages.count) messages, over policy.max_messages \(max)")
            }
        }

        // 6 (before 5, because the files carry them). NSAs: a rebuilt night reuses its own.
        // The night's files take consecutive NSAs from the first (buildFiles numbers them).
        var firstNSA =
            try rebuildOf?.remittanceFiles.first?.nsa
            ?? ledger.nextNSA(bankCode: book.bank?.code ?? "", agreement: book.bank?.agreement ?? "")
        if let shard, let bank = book.bank, rebuildOf == nil, !options.dryRun, !decision.remittances.isEmpty {
            // Shards allocate their NSAs from the shared ledger, a block each (never one another's).
            let items = decision.remittances.map { r in
                RemittanceItem(
                    title: r.title.title, customer: r.customer, instruction: r.instruction,
                    dueDate: r.title.title.dueDate, lateFeePercent: book.policy.lateFeePercent,
                    interestPercentMonth: book.policy.interestPercentMonth)
            }
            let count = try CNAB240Remittance.fileCount(bank: bank, company: book.company, date: asOf, items: items)
            firstNSA = try ledger.reserveNSA(
                night: asOf, shard: shard, bankCode: bank.code, agreement: bank.agreement, count: count)
        }

        // Which steps paid off in the last 90 nights, for the report: from the ledger before
        // tonight only, so a rerun renders the same report.
        let effectiveness = try EffectivenessStats.read(
            ledger, from: asOf.adding(days: -90), to: asOf.adding(days: -1), titles: titles,
            tonight: settlements)
        var outputs = try NightOutputs(
            book: book, templates: loaded.templates, decision: decision, asOf: asOf,
            inputs: loaded.inputs, returns: returns, rulesHash: book.hash,
            inputsHash: inputsHash, effectiveness: effectiveness, logger: logger)
        outputs.feesReceived = Self.feesReceived(titles)
        outputs.acceptedGap = gap
        outputs.forcedOverMaxMessages = forcedOverMax
        outputs.inputFiles = [options.customers, options.receivables]
        outputs.worklist = Worklist.make(
            decision: decision, customers: loaded.inputs.customers, titles: titles, history: history, book: book,
            shard: shard)
        clock.lap("ledger")
        if options.dryRun {
            try outputs.renderAll(firstNSA: firstNSA)
            clock.lap("render")
            return NightResult(
                outcome: .dryRun, asOf: asOf, summary: outputs.summary, folder: nil,
                rejects: loaded.inputs.rejects, exitCode: exitCode, notes: returns.notes,
                timings: clock.finish())
        }

        // 5. Staging: the night's files are written to a folder nobody reads (the e-mails
        // while the rest renders), flushed to disk, and only then recorded.
        Self.crashPoint("before-staging")
        let staging =
            try shard.map {
                try StagingFolder(
                    outDir: options.outDir + "/" + asOf.iso, night: asOf, name: ".staging-" + $0.folderName)
            } ?? StagingFolder(outDir: options.outDir, night: asOf)

        // 7 (its rows). The ledger transaction is filled on another thread while the files are
        // rendered, written and flushed; it may COMMIT only when `gate` opens, after the flush
        // (the remittance files, known once rendered, come with the opening).
        let gate = CommitGate()
        var committing: BackgroundJob<Result<Int64, Error>>?
        var shardCommit: NightCommit?
        if rebuildOf == nil {
            var night = NightCommit(
                night: asOf, rulesHash: book.hash, inputsHash: inputsHash, forced: replaces != nil,
                exitCode: Int(exitCode),
                actions: decision.actions, remittanceFiles: [],
                instructions: decision.remittances.map {
                    ($0.title.title.id, $0.instruction, $0.title.title.dueDate)
                },
                returnFiles: returns.newFiles,
                settlements: returns.newSettlements.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 },
                replacesRunID: replaces, acceptedGap: gap, forcedVolume: forcedOverMax != nil,
                seenTitles: titles.map(\.id))
            night.offers = Self.offerRecords(decision)
            if shard != nil {
                shardCommit = night  // committed after the flush: the shards share the ledger's write lock
            } else {
                committing = BackgroundJob("regua ledger") { [night] in
                    Result { try ledger.commit(night, before: gate.waitUntilOpen) }
                }
            }
        }
        do {
            try outputs.renderAll(firstNSA: firstNSA, staging: staging, window: options.emailWindow)
            clock.lap("render")
            logger.info("rendered \(outputs.files.count + staging.entries.count) files")
            try outputs.write(to: staging, crashPoint: Self.crashPoint)
            try staging.syncDirectories()
        } catch {
            gate.close()  // the transaction rolls back: nothing recorded
            committing?.wait()
            staging.discard()
            throw error
        }
        Self.crashPoint("after-staging")
        clock.lap("write")
        logger.info("staged in \(staging.root); recording the night in the ledger")

        // 7. Commit.
        gate.open(remittanceFiles: outputs.remittanceFiles)
        var commitResult = committing?.wait()
        if let shardCommit {
            let files = outputs.remittanceFiles
            commitResult = Result { try ledger.commit(shardCommit, before: { files }) }
        }
        let runID = try commitResult?.get() ?? rebuildOf?.runID
        Self.crashPoint("after-commit")
        clock.lap("ledger")

        // 8. Publish.
        try staging.publish(to: finalFolder, replacedSuffix: replaces.map { "replaced-\($0)" })
        Self.crashPoint("after-publish")
        clock.lap("write")

        // 9. Mark published.
        if let runID, rebuildOf?.status != .published { try ledger.markPublished(runID: runID) }
        clock.lap("ledger")
        let outcome: NightResult.Outcome =
            rebuildOf == nil ? .published : (rebuildOf!.status == .published ? .republished : .completed)
        logger.debug("laps: \(clock.lapsDescription)")
        logger.info("night \(asOf.iso) \(outcome.rawValue) in \(finalFolder)")
        return NightResult(
            outcome: outcome, asOf: asOf, summary: outputs.summary, folder: finalFolder,
            rejects: loaded.inputs.rejects, exitCode: exitCode, notes: returns.notes, timings: clock.finish())
    }

    /// The most messages a night may send before `--force` is needed: `policy.max_messages`,
    /// or for shard K of N its share, max_messages / N rounded up.
    static func messageLimit(_ max: Int, shard: Shard?) -> Int {
        guard let n = shard?.count, n > 1 else { return max }
        return (max + n - 1) / n
    }

    /// The inputs of one shard: its customers, their titles, and the rejected rows of its
    /// customers (a rejected row whose customer_id could not be read goes to shard 0).
    static func restricted(_ inputs: Inputs, to shard: Shard) -> Inputs {
        var out = inputs
        out.customers = inputs.customers.filter { shard.contains($0.id) }
        out.titles = inputs.titles.filter { shard.contains($0.customerID) }
        out.rejects = inputs.rejects.filter { r in
            r.customerID.map { shard.contains(CustomerID($0)) } ?? (shard.index == 0)
        }
        return out
    }

    /// Why a night after a gap is refused, naming the nights whose steps would be lost and
    /// what the operator can do instead.
    static func gapMessage(_ gap: NightGap, night: Day, catchUpDays: Int) -> String {
        let nights =
            gap.count == 1
            ? "night \(gap.firstLost.iso)" : "the \(gap.count) nights \(gap.firstLost.iso) to \(gap.lastLost.iso)"
        return """
            night \(night.iso) is \(night.days(since: gap.lastNight)) days after the last recorded night \
            \(gap.lastNight.iso), more than catch_up_days (\(catchUpDays)) + 1: the steps due on \(nights) \
            would be lost, and those nights could never be run afterwards; nothing was done. Run the \
            missed nights first, oldest first (regua run --as-of \(gap.firstLost.iso), and so on), or \
            rerun with --accept-gap to let them go (recorded in the ledger and shown in the summary)
            """
    }

    /// What the decider decided, counted as the summary counts it (so logs and summary agree).
    static func decisionCounts(_ d: NightDecision) -> String {
        var heldTitles = 0
        var superseded = 0
        for a in d.actions {
            switch a.kind {
            case .held: heldTitles += 1
            case .superseded: superseded += 1
            case .sent: break
            }
        }
        let titles = d.messages.reduce(0) { $0 + $1.titles.count }
        return "\(d.messages.count) messages for \(titles) titles, \(heldTitles) (title, step) pairs held back "
            + "(\(d.heldMessages.count) messages), \(superseded) superseded, \(d.remittances.count) bank instructions"
    }

    /// The offers the night's messages carry, as the ledger records them.
    static func offerRecords(_ d: NightDecision) -> [OfferRecord] {
        d.messages.compactMap { m in
            m.offer.map {
                OfferRecord(
                    messageID: m.id, customerID: m.customer.id, stepID: m.step.id, titleIDs: m.titles.map(\.title.id),
                    offer: $0)
            }
        }
    }

    /// Titles paid with more than their amount, and the excess: the late fee and interest a
    /// customer paid with a late boleto (SPEC §1: not an error).
    static func feesReceived(_ titles: [Title]) -> (titles: Int, amount: Money) {
        var count = 0
        var sum = Money.zero
        for t in titles where t.kind == .invoice && t.paidAmount > t.amount {
            count += 1
            sum += t.paidAmount - t.amount
        }
        return (count, sum)
    }

    /// Today in the rule book's time zone (a 02:00 run in São Paulo is that day's night).
    public static func today(in timeZone: String) -> Day {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "America/Sao_Paulo")!
        let c = cal.dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }
}

/// Holds a ledger transaction open until the night's files are on disk.
final class CommitGate: Sendable {
    private let signal = DispatchSemaphore(value: 0)
    /// Set before the signal, read after the wait.
    private let files = Locked<[RemittanceFileRecord]?>(nil)

    /// Lets the transaction commit, with the night's remittance files.
    func open(remittanceFiles: [RemittanceFileRecord]) {
        files.set(remittanceFiles)
        signal.signal()
    }

    /// Makes the transaction roll back.
    func close() {
        files.set(nil)
        signal.signal()
    }

    /// Waits for ``open(remittanceFiles:)`` or ``close()``; throws after ``close()``.
    func waitUntilOpen() throws -> [RemittanceFileRecord] {
        signal.wait()
        guard let files = files.value else {
            throw ReguaError(.io, "the night's files could not be written; nothing recorded")
        }
        return files
    }
}
