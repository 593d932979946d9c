import Foundation
import Logging

/// Everything a night reads before it decides: the rule book with its compiled templates, the
/// customers and receivables. Reading has no side effect.
struct NightInputs {
    var book: RuleBook
    var templates: TemplateSet
    var inputs: Inputs
    var options: NightOptions
    var logger: Logger

    /// Loads and validates; a rule book or template error is exit 2, an unreadable file exit 3.
    static func load(options: NightOptions, logger: Logger) throws -> NightInputs {
        var clock = StageClock()
        let (book, templates) = try loadBook(rulesDir: options.rulesDir)
        clock.lap("rule book")
        let inputs = try readInputs(options)
        clock.lap("files")
        var loaded = NightInputs(book: book, templates: templates, inputs: inputs, options: options, logger: logger)
        loaded.validateIssuedBoletos()
        clock.lap("boletos")
        logger.debug("ingest: \(clock.lapsDescription)")
        return loaded
    }

    /// An export gone wrong (wrong encoding, shifted columns) must not become a night: when a
    /// file's rejected rows are more than `policy.max_rejected_percent` of its data rows, the
    /// night is refused (exit 2) before anything is written or recorded (SPEC §1). The titles
    /// refused because their customer's row was refused are receivables rows like any other.
    func refuseBrokenExport() throws {
        let limit = book.policy.maxRejectedPercent
        let files = [
            (path: options.customers, accepted: inputs.customers.count),
            (path: options.receivables, accepted: inputs.titles.count),
        ]
        var problems: [String] = []
        for (i, f) in files.enumerated() {
            let name = (f.path as NSString).lastPathComponent
            // Both files may share a name in different folders; then the rejects are one list.
            if i == 1, name == (files[0].path as NSString).lastPathComponent { continue }
            let rejected = inputs.rejects.reduce(0) { $0 + ($1.file == name ? 1 : 0) }
            let accepted =
                i == 0 && name == (files[1].path as NSString).lastPathComponent
                ? files[0].accepted + files[1].accepted : f.accepted
            let rows = accepted + rejected
            guard rows > 0, Int64(rejected) * 100_000_000 > limit.micros * Int64(rows) else { continue }
            let share = Double(rejected) * 100 / Double(rows)
            problems.append(
                "\(f.path): \(rejected) of \(rows) rows rejected (\(String(format: "%.1f", share))%)")
        }
        guard !problems.isEmpty else { return }
        let first = inputs.rejects.first.map { " First reject: \($0.file) line \($0.line): \($0.reason)." } ?? ""
        throw ReguaError(
            .refused,
            "the night is refused: more rows were rejected than policy.max_rejected_percent (\(limit)%) allows — "
                + problems.joined(separator: "; ")
                + ". Nothing was written or recorded. Is the export broken (encoding other than UTF-8, shifted columns)? Fix it and run again, or raise max_rejected_percent in the rule book."
                + first)
    }

    /// customers.csv and receivables.csv; a file that cannot be read at all is exit 3.
    static func readInputs(_ options: NightOptions) throws -> Inputs {
        do {
            return try InputReader.read(customers: options.customers, receivables: options.receivables)
        } catch let e as InputError {
            throw ReguaError(.io, e.description + "; nothing was done")
        }
    }

    /// The rule book and its templates, or every problem at once (exit 2).
    static func loadBook(rulesDir: String) throws -> (RuleBook, TemplateSet) {
        do {
            let book: RuleBook
            do {
                book = try RuleBookLoader.load(directory: rulesDir)
            } catch var e as RuleBookErrors {
                // The YAML did not validate: the templates' own problems are reported with it,
                // so that one `regua check` shows every error of every kind.
                e.diagnostics = RuleBookLoader.sorted(e.diagnostics + TemplateSet.problems(in: e.templates))
                throw e
            }
            return (book, try TemplateSet(book: book))
        } catch let e as RuleBookErrors {
            throw ReguaError(
                .refused,
                "the rule book in \(rulesDir) does not validate (\(e.diagnostics.count) problem\(e.diagnostics.count == 1 ? "" : "s")); nothing was done",
                diagnostics: e.diagnostics)
        }
    }

    /// A boleto the ERP already issued is used as given only when its check digits hold; a row
    /// with a broken one is refused like any other bad row.
    ///
    /// Titles are independent, so runs of them are checked on every core (the nosso número
    /// check alone was a second of one core at a million titles). The runs only report what
    /// changes (a boleto completed, a row refused), applied in input order afterwards, so a
    /// million titles are not copied to keep them all, and the kept titles and rejects come out
    /// exactly as a single pass would give them.
    mutating func validateIssuedBoletos() {
        let issuer = book.bank.flatMap { try? BoletoIssuer(bank: $0) }
        let file = options.receivables
        let count = inputs.titles.count
        let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 2, count / 4096))
        let titles = inputs.titles
        let parts = Parallel.mapRanges(count, chunks: chunks) { range in
            Self.boletoChanges(titles, range, issuer: issuer, file: file)
        }
        var refused: [Int] = []
        for part in parts {
            for (i, change) in part {
                switch change {
                case .completed(let barcode, let linha):
                    inputs.titles[i].barcode = barcode
                    inputs.titles[i].linhaDigitavel = linha
                case .refused(let reject):
                    inputs.rejects.append(reject)
                    refused.append(i)
                }
            }
        }
        if !refused.isEmpty {
            var dropped = [Bool](repeating: false, count: inputs.titles.count)
            for i in refused { dropped[i] = true }
            inputs.titles.removeMarked(dropped)
            inputs.rejects.sort { ($0.file, $0.line) < ($1.file, $1.line) }
        }
    }

    /// What ``validateIssuedBoletos()`` changes in a title.
    private enum BoletoChange {
        /// Barcode and linha digitável, each made from the other where only one was given.
        case completed(barcode: String, linha: String)
        case refused(Reject)
    }

    /// One run of ``validateIssuedBoletos()``: the titles of `range` that change, in input order.
    private static func boletoChanges(
        _ titles: [Title], _ range: Range<Int>, issuer: BoletoIssuer?, file: String
    ) -> [(index: Int, change: BoletoChange)] {
        var changes: [(index: Int, change: BoletoChange)] = []
        func refuse(_ i: Int, _ column: String, _ reason: String) {
            changes.append(
                (
                    i,
                    .refused(
                        Reject(
                            file: file, line: titles[i].line, column: column, reason: reason,
                            customerID: titles[i].customerID.raw, titleID: titles[i].id.raw))
                ))
        }
        for i in range {
            let given = (barcode: titles[i].barcode, linha: titles[i].linhaDigitavel)
            if let b = given.barcode, !Boleto.validate(barcode: b) {
                refuse(i, "barcode", "os dígitos verificadores do código de barras (barcode) não conferem")
                continue
            }
            var barcode = given.barcode
            var linha = given.linha
            if let l = linha {
                guard Boleto.validate(linhaDigitavel: l), let fromLinha = Boleto.barcode(fromLinha: l) else {
                    refuse(i, "linha_digitavel", "os dígitos verificadores da linha digitável não conferem")
                    continue
                }
                if let b = barcode, b != fromLinha {
                    refuse(i, "linha_digitavel", "a linha digitável e o código de barras descrevem boletos diferentes")
                    continue
                }
                barcode = fromLinha
            }
            if let b = barcode, linha == nil { linha = Boleto.linha(fromBarcode: b) }
            if let issuer, let nn = titles[i].nossoNumero, barcode == nil {
                // The nosso número must fit the bank's layout, or no boleto and no remittance
                // record could carry it; refusing the row here keeps one title from stopping the night.
                do {
                    try issuer.check(nossoNumero: nn)
                } catch let e as BankError {
                    refuse(i, "nosso_numero", e.message)
                    continue
                } catch {}
            }
            if let barcode, let linha, barcode != given.barcode || linha != given.linha {
                changes.append((i, .completed(barcode: barcode, linha: linha)))
            }
        }
        return changes
    }

    /// The night's input identity: customers, receivables and the return files, in order.
    func inputsHash(returnHashes: [String]) -> String {
        var h = HashBuilder()
        h.add(label: "customers", Array(inputs.customersHash.utf8))
        h.add(label: "receivables", Array(inputs.receivablesHash.utf8))
        for r in returnHashes { h.add(label: "retorno", Array(r.utf8)) }
        return h.finish()
    }

    /// Reads the `--retorno` files: refuses the night on a foreign, truncated or malformed file;
    /// a file already read on an earlier night changes nothing and says so.
    ///
    /// A shard (`shard`, with `allTitles` the whole receivables before the shard's restriction)
    /// reads every file whole and keeps the events of its own customers' titles; an event whose
    /// title is in no receivables row goes to shard 0 (as a reject whose customer is unknown). Its
    /// reading is recorded under `<hash>:shard-K-of-N`, so each shard reads a file once, and a
    /// file an unsharded night already read is read by no shard.
    func readReturnFiles(ledger: Ledger, asOf: Day, shard: Shard? = nil, allTitles: [Title]? = nil) throws
        -> ReturnFilesRead
    {
        var out = ReturnFilesRead()
        guard !options.returnFiles.isEmpty else { return out }
        guard let bank = book.bank else {
            throw ReguaError(.refused, "--retorno needs a `bank` section in the rule book; nothing was done")
        }
        var byNosso: [String: TitleID] = [:]
        var ids = Set<TitleID>()
        var customerOf: [TitleID: CustomerID] = [:]
        for t in allTitles ?? inputs.titles {
            ids.insert(t.id)
            if let n = t.nossoNumero { byNosso[Self.trimZeros(n)] = t.id }
            if shard != nil, customerOf[t.id] == nil { customerOf[t.id] = t.customerID }
        }
        /// Whether an event of this title is this run's: every event unsharded; a shard's own.
        func mine(_ title: TitleID?) -> Bool {
            guard let shard else { return true }
            guard let title, let customer = customerOf[title] else { return shard.index == 0 }
            return shard.contains(customer)
        }
        var readTonight = Set<String>()
        for path in options.returnFiles {
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw ReguaError(
                    .io, "cannot read return file \(path): \(error.localizedDescription); nothing was done")
            }
            let hash = Hashing.sha256Hex(bytes)
            out.allHashes.append(hash)
            let key = shard.map { hash + ":" + $0.folderName } ?? hash
            if shard != nil, let night = try ledger.returnFileNight(hash: hash) {
                out.notes.append(
                    "return file \(path) was read whole by the unsharded night \(night.iso); it changes nothing")
                out.alreadyRead.append((path as NSString).lastPathComponent)
                continue
            }
            if let night = try ledger.returnFileNight(hash: key), night != asOf {
                out.notes.append("return file \(path) was already read on night \(night.iso); it changes nothing")
                out.alreadyRead.append((path as NSString).lastPathComponent)
                continue
            }
            // The same file given twice tonight (or a copy under another name) is read once.
            guard readTonight.insert(hash).inserted else {
                out.notes.append("return file \(path) is a copy of one already read tonight; it changes nothing")
                out.alreadyRead.append((path as NSString).lastPathComponent)
                continue
            }
            let file: ReturnFile
            do {
                file = try CNAB240Return.parse(bytes, path: path, expecting: bank)
            } catch {
                throw ReguaError(.refused, "return file refused: \(error); nothing was done")
            }
            var events: [ReturnEventRecord] = []
            for e in file.events {
                let title =
                    e.titleID.map(TitleID.init).flatMap { ids.contains($0) ? $0 : nil }
                    ?? byNosso[Self.trimZeros(e.nossoNumero)]
                    ?? (e.nossoNumero.hasPrefix(bank.agreement) && !bank.agreement.isEmpty
                        ? byNosso[Self.trimZeros(String(e.nossoNumero.dropFirst(bank.agreement.count)))] : nil)
                    // A title missing from tonight's receivables (or refused tonight) is still
                    // settled by the id the bank sent back, so it is not dunned when it returns.
                    ?? e.titleID.flatMap { $0.isEmpty ? nil : TitleID($0) }
                guard mine(title) else { continue }  // another shard's title
                out.occurrences[e.kind.rawValue, default: 0] += 1
                if e.kind == .settlement, let title {
                    let paid = e.paidAmount ?? e.amount
                    let date = e.occurrenceDate ?? e.creditDate ?? asOf
                    out.newSettlements[title] = Settlement(paidAmount: paid, paidDate: date)
                    out.settledAmount += paid
                }
                events.append(
                    ReturnEventRecord(
                        titleID: title, nossoNumero: e.nossoNumero, movement: e.movement,
                        kind: e.kind.rawValue, paidAmount: e.paidAmount,
                        occurrenceDate: e.occurrenceDate, reasons: e.reasons.joined(separator: ",")))
            }
            out.newFiles.append(
                ReturnFileRecord(
                    hash: key, name: (path as NSString).lastPathComponent,
                    bankCode: file.bankCode, nsa: file.nsa, events: events))
        }
        return out
    }

    static func trimZeros(_ s: String) -> String {
        let t = s.drop { $0 == "0" }
        return t.isEmpty ? "0" : String(t)
    }

    /// Settlements from return files win over an `open` (or `promised`) status in the receivables.
    static func applying(settlements: [TitleID: Settlement], to titles: [Title]) -> [Title] {
        guard !settlements.isEmpty else { return titles }
        return titles.map { t in
            guard let s = settlements[t.id], t.status == .open || t.status == .promised else { return t }
            var u = t
            u.status = .paid
            u.paidAmount = s.paidAmount
            u.paidDate = s.paidDate
            return u
        }
    }
}

/// What the night's return files said.
struct ReturnFilesRead {
    var newFiles: [ReturnFileRecord] = []
    var newSettlements: [TitleID: Settlement] = [:]
    var allHashes: [String] = []
    var alreadyRead: [String] = []
    var notes: [String] = []
    var occurrences: [String: Int] = [:]
    var settledAmount = Money.zero
}
