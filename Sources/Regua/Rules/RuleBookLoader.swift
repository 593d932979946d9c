/// Reads and validates the rules folder: every `*.yaml` / `*.yml` file directly in it, merged in
/// byte order of names, and the Mustache templates of its `templates/` folder.
public enum RuleBookLoader {
    /// Largest template file read, in bytes.
    public static let maxTemplateBytes = 256 * 1024

    /// Sections that are maps: each may be defined in one file only.
    static let mapSections = [
        "version", "timezone", "company", "bank", "calendar", "policy", "experiments", "bureau", "handoffs",
    ]
    /// Sections that are lists: concatenated across files.
    static let listSections = ["profiles", "steps"]

    /// Loads the rule book, or throws ``RuleBookErrors`` with every problem found, each as
    /// `FILE:LINE:COLUMN: message` (FILE is `directory/name`), sorted by file, line and column.
    public static func load(directory: String) throws -> RuleBook {
        let folder = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let checker = RuleBookChecker()
        let folderPlace = SourceLocation(file: folder, line: 1, column: 1)
        guard RuleFiles.isDirectory(folder) else {
            throw RuleBookErrors([Diagnostic(folderPlace, "a pasta de regras não existe ou não é uma pasta")])
        }
        guard let names = RuleFiles.names(in: folder, suffixes: [".yaml", ".yml"]) else {
            throw RuleBookErrors([Diagnostic(folderPlace, "não foi possível listar a pasta de regras")])
        }
        guard let firstName = names.first else {
            throw RuleBookErrors([Diagnostic(folderPlace, "nenhum arquivo de regras (*.yaml ou *.yml) nesta pasta")])
        }

        var hashed: [(name: String, bytes: [UInt8])] = []
        var merged = RuleBookSections()
        // Files that could not be read: what they held is unknown, so errors about something
        // missing (a section, a profile, the catch-all) would mislead and are not reported.
        var broken: [String] = []
        for name in names {
            let path = folder + "/" + name
            do throws(Diagnostic) {
                let bytes = try RuleFiles.readUTF8(
                    path: path, limit: YAMLReader.maxFileBytes, what: "arquivo de regras")
                hashed.append((name, bytes))
                merged.add(try YAMLReader.parse(bytes, file: path), checker: checker)
            } catch {
                checker.add(error)
                broken.append(path)
            }
        }
        let templates = loadTemplates(folder: folder, checker: checker, hashed: &hashed)

        let bookPlace = SourceLocation(file: folder + "/" + firstName, line: 1, column: 1)
        let version = merged["version"].flatMap { checker.version($0) } ?? 1
        let timeZone = merged["timezone"].flatMap { checker.timeZone($0) } ?? "America/Sao_Paulo"
        var company: Company?
        if let node = merged["company"] {
            company = checker.company(node)
        } else if broken.isEmpty {
            checker.error(
                at: bookPlace,
                "o livro de regras não tem a seção 'company' (o nome e o documento da empresa são obrigatórios)")
        }
        let bank = merged["bank"].flatMap { checker.bank($0) }
        let calendar = merged["calendar"].map { checker.calendar($0) } ?? CalendarConfig()
        let policy = checker.policy(merged["policy"])
        let profiles = checker.profiles(merged.profiles, place: bookPlace, broken: broken)
        let experiments = checker.experiments(merged["experiments"])
        var context = RuleBookChecker.StepContext(
            profileIDs: profiles.map(\.id), hasBank: merged["bank"] != nil,
            returnOnlyBank: bank.flatMap { $0.code == "104" ? $0.code : nil }, complete: broken.isEmpty,
            templateFiles: Set(templates.keys), templatesFolder: folder + "/templates")
        context.experiments = experiments
        let bureau = merged["bureau"].flatMap { checker.bureau($0) }
        let handoffs = checker.handoffs(merged["handoffs"])
        context.hasBureau = merged["bureau"] != nil
        context.handoffIDs = handoffs.map(\.id)
        let steps = checker.steps(merged.steps, context: context)

        let diagnostics = sorted(checker.diagnostics)
        guard diagnostics.isEmpty, let company else {
            let partial = company.map {
                RuleBook(
                    version: version, timeZone: timeZone, company: $0, bank: bank, calendar: calendar, policy: policy,
                    profiles: profiles, steps: steps, templates: templates)
            }
            throw RuleBookErrors(diagnostics, templates: templates, partial: partial)
        }
        var book = RuleBook(
            version: version, timeZone: timeZone, company: company, bank: bank, calendar: calendar,
            policy: policy, profiles: profiles, steps: steps, templates: templates,
            hash: hash(hashed))
        book.experiments = experiments
        book.bureau = bureau
        book.handoffs = handoffs
        return book
    }

    /// Every `templates/*.mustache` file, keyed by file name; each UTF-8 (a BOM is dropped) and
    /// at most ``maxTemplateBytes``.
    private static func loadTemplates(
        folder: String, checker: RuleBookChecker,
        hashed: inout [(name: String, bytes: [UInt8])]
    ) -> [String: TemplateSource] {
        let templatesFolder = folder + "/templates"
        guard RuleFiles.isDirectory(templatesFolder),
            let names = RuleFiles.names(in: templatesFolder, suffixes: [".mustache"])
        else { return [:] }
        var out: [String: TemplateSource] = [:]
        for name in names {
            let path = templatesFolder + "/" + name
            do throws(Diagnostic) {
                var bytes = try RuleFiles.readUTF8(path: path, limit: maxTemplateBytes, what: "modelo")
                hashed.append(("templates/" + name, bytes))
                if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
                out[name] = TemplateSource(path: path, text: String(decoding: bytes, as: UTF8.self))
            } catch {
                checker.add(error)
            }
        }
        return out
    }

    /// SHA-256 over every file's name and bytes, in byte order of names.
    private static func hash(_ files: [(name: String, bytes: [UInt8])]) -> String {
        var builder = HashBuilder()
        for file in files.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }) {
            builder.add(label: file.name, file.bytes)
        }
        return builder.finish()
    }

    /// By file (bytes), line, column, then message; duplicates (an alias copy of a bad node
    /// reports twice) removed.
    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let ordered = diagnostics.sorted { a, b in
            if a.location.file != b.location.file {
                return a.location.file.utf8.lexicographicallyPrecedes(b.location.file.utf8)
            }
            if a.location.line != b.location.line { return a.location.line < b.location.line }
            if a.location.column != b.location.column { return a.location.column < b.location.column }
            return a.message.utf8.lexicographicallyPrecedes(b.message.utf8)
        }
        var out: [Diagnostic] = []
        for d in ordered where out.last != d { out.append(d) }
        return out
    }
}

/// The top-level sections of every rule file, merged: map sections once, lists concatenated.
struct RuleBookSections {
    private var maps: [String: (key: YAMLNode, value: YAMLNode)] = [:]
    private(set) var profiles: [YAMLNode] = []
    private(set) var steps: [YAMLNode] = []

    /// A map section's value, when given (and not null).
    subscript(_ name: String) -> YAMLNode? {
        guard let v = maps[name]?.value, !v.isNull else { return nil }
        return v
    }

    /// Adds one file's sections, reporting a map section already defined in another file.
    mutating func add(_ root: YAMLNode, checker: RuleBookChecker) {
        let known = RuleBookLoader.mapSections + RuleBookLoader.listSections
        guard let f = checker.fields(root, of: "um arquivo de regras", known: known) else { return }
        for name in f.order {
            let key = f.key(name)!
            guard let value = f[name] else { continue }
            if RuleBookLoader.listSections.contains(name) {
                guard let items = checker.list(value, name) else { continue }
                if name == "profiles" { profiles += items } else { steps += items }
            } else if let first = maps[name] {
                checker.error(
                    key,
                    "'\(name)' já foi definida em \(first.key.location); uma seção só pode estar em um arquivo")
            } else {
                maps[name] = (key, value)
            }
        }
    }
}
