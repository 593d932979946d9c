import Dispatch

/// Reads the night's customers.csv and receivables.csv (SPEC §1).
///
/// Every bad row becomes a ``Reject`` and the rest goes on; only a file that cannot be used at
/// all throws an ``InputError`` naming the path and the cause.
public enum InputReader {
    /// Reads both files, hashes their bytes, and validates every row.
    ///
    /// Throws when a file cannot be read, is over ``CSVLimits/maxFileBytes``, has no readable
    /// header, lacks a required column (customers.csv's error first), or was written to while it
    /// was being read (``FileBuffer/change()``). Rejects are sorted by
    /// file name, then line. Large files are read in pieces on every core; the result is the same.
    public static func read(customers: String, receivables: String) throws -> Inputs {
        try read(customers: customers, receivables: receivables, pieceBytes: Chunking.pieceBytes)
    }

    /// ``read(customers:receivables:)`` cutting files into pieces of `pieceBytes` and mapping
    /// them from `mapFrom` bytes on (tests use small values to check that many pieces give
    /// exactly what one pass gives, and a mapped file what a file read into memory gives).
    static func read(
        customers: String, receivables: String, pieceBytes: Int, mapFrom: Int = FileBytes.mapThreshold
    ) throws -> Inputs {
        let (customerLoad, receivableLoad) = Parallel.both(
            { Result { () throws(InputError) in try load(customers, mapFrom: mapFrom) } },
            { Result { () throws(InputError) in try load(receivables, mapFrom: mapFrom) } })
        let customerBytes = try customerLoad.get()
        let receivableBytes = try receivableLoad.get()
        let customersName = fileName(customers)
        let receivablesName = fileName(receivables)
        // Hashing needs no result of parsing: it fills the gaps while the rest runs.
        let hashes = Locked((customers: "", receivables: ""))
        let hashing = DispatchGroup()
        DispatchQueue.global().async(group: hashing) {
            hashes.set((customerBytes.sha256Hex(), receivableBytes.sha256Hex()))
        }
        defer { hashing.wait() }  // the buffers must outlive the hashing, even on a throw
        let customerTable = try CSVTable(
            buffer: customerBytes.bytes, path: customers, file: customersName,
            names: CustomerColumn.names, required: CustomerColumn.required)
        let receivableTable = try CSVTable(
            buffer: receivableBytes.bytes, path: receivables, file: receivablesName,
            names: ReceivableColumn.names, required: ReceivableColumn.required)
        var (customerRows, titleRows) = Chunking.read(
            customerTable, file: customersName, parser: { CustomerRowParser() },
            receivableTable, file: receivablesName, parser: { TitleRowParser() }, pieceBytes: pieceBytes)
        // The byte hashes of the keys hold only if no key of either file is other than ASCII.
        if !(customerRows.allASCII && titleRows.allASCII) {
            customerRows.rehashAsStrings(link: nil)
            titleRows.rehashAsStrings(link: TitleRowParser.link)
        }
        // Repeated customers, then the grouping of their keys for the titles to be matched
        // against, beside the grouping of the titles' customer_ids in parts: all on every core.
        // Titles whose keys may repeat are grouped by key instead, their repeats refused, and
        // only then the customer_ids of the titles left grouped.
        let bits = KeyGroups.bits(for: titleRows.items.count)
        let parts = KeyGroups.partCount(for: titleRows.items.count)
        let linksNow = titleRows.keysIncreasing
        // The rows are moved out while the jobs read them, and back (so that refusing rows
        // copies nothing): each job returns what it made.
        let customersRead = consume customerRows
        let titlesRead = consume titleRows
        let early = Parallel.map(1 + (linksNow ? parts : 1)) { i -> EarlyWork in
            if i == 0 {
                let firsts = customersRead.firstOccurrences()
                return .customers(
                    firsts, TitleRowParser.knownCustomers(customersRead, firstSightings: firsts, bits: bits))
            } else if linksNow {
                return .links(TitleRowParser.linkPart(titlesRead, i - 1, of: parts, bits: bits))
            } else {
                return .titleGroups(titlesRead.keyGroups())
            }
        }
        customerRows = consume customersRead
        titleRows = consume titlesRead
        guard case .customers(let firsts, let known) = early[0] else {
            preconditionFailure("job 0 checks the customers")
        }
        customerRows.refuseRepeatedKeys(
            firstOccurrences: firsts, file: customersName, keyName: CustomerRowParser.keyName, ids: { ($0.id.raw, nil) }
        )
        var links: [KeyGroups] = early.dropFirst().compactMap {
            if case .links(let part) = $0 { part } else { nil }
        }
        if case .titleGroups(let titleGroups) = early.last {
            titleRows.refuseRepeatedKeys(
                firstOccurrences: titleGroups.firstOccurrences(split: true), file: receivablesName,
                keyName: TitleRowParser.keyName, ids: { ($0.customerID.raw, $0.id.raw) })
            let titlesLeft = consume titleRows
            links = Parallel.map(parts) { TitleRowParser.linkPart(titlesLeft, $0, of: parts, bits: bits) }
            titleRows = consume titlesLeft
        }
        TitleRowParser.checkCustomers(
            &titleRows, file: receivablesName, customersFile: customersName, customers: customerRows, known: known,
            links: links)
        let rejects = sortedRejects(customerRows.rejects + titleRows.rejects)
        hashing.wait()
        // Rows and hashes are of one version of each file only if nobody wrote to it meanwhile.
        for (buffer, path) in [(customerBytes, customers), (receivableBytes, receivables)] {
            if let change = buffer.change() {
                throw InputError(
                    path: path, kind: .unreadable,
                    message: "it changed while it was being read (\(change)); run again once it is complete")
            }
        }
        let (customersHash, receivablesHash) = hashes.value
        return Inputs(
            customers: customerRows.items, titles: titleRows.items, rejects: rejects,
            customersHash: customersHash, receivablesHash: receivablesHash)
    }

    /// What each of the first jobs after reading returns: for each customer sighting the first
    /// with its key, and the customer keys grouped; a part of the titles' customer_ids grouped, or the
    /// titles' own keys grouped (to refuse their repeats first).
    private enum EarlyWork: Sendable {
        case customers([Int32], TitleRowParser.KnownCustomers)
        case links(KeyGroups)
        case titleGroups(KeyGroups)
    }

    /// Rejects in the order of rejects.csv: by file name, then line.
    static func sortedRejects(_ rejects: [Reject]) -> [Reject] {
        rejects.sorted {
            $0.file != $1.file ? $0.file.utf8.lexicographicallyPrecedes($1.file.utf8) : $0.line < $1.line
        }
    }

    /// A file's bytes, or an error that names the path and the cause.
    static func load(_ path: String, mapFrom: Int = FileBytes.mapThreshold) throws(InputError) -> FileBuffer {
        do throws(FileBytes.Failure) {
            return try FileBytes.read(path, limit: CSVLimits.maxFileBytes, mapFrom: mapFrom)
        } catch {
            if error.tooLarge {
                throw InputError(
                    path: path, kind: .tooLarge,
                    message: "cannot read the file: \(error.cause) (2 GiB); split it or raise the limit")
            }
            throw InputError(path: path, kind: .unreadable, message: "cannot read the file: \(error.cause)")
        }
    }

    /// The last path component, as shown in rejects.
    static func fileName(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }
}
