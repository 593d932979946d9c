/// A place in an input file: 1-based line and column.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file's path.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    /// Creates a location in a file.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COLUMN`.
    public var description: String { "\(file):\(line):\(column)" }
}

/// A problem found in a rule book or template, printed as `FILE:LINE:COLUMN: message`.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where the problem is.
    public var location: SourceLocation
    /// What the problem is.
    public var message: String
    /// A suggestion, e.g. the nearest known key.
    public var hint: String?

    /// Creates a diagnostic at a location, with an optional hint.
    public init(_ location: SourceLocation, _ message: String, hint: String? = nil) {
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// `FILE:LINE:COLUMN: message (hint)`.
    public var description: String {
        "\(location): \(message)" + (hint.map { " (\($0))" } ?? "")
    }
}

/// Every problem of a rule book at once; thrown when it does not validate (exit 2).
public struct RuleBookErrors: Error, Sendable, CustomStringConvertible {
    /// The problems found, in order.
    public var diagnostics: [Diagnostic]
    /// The template files read before the book failed, so that their own problems are
    /// reported in the same pass (empty when the failure came after the templates were checked).
    public var templates: [String: TemplateSource]
    /// Wraps the problems found (and the templates read, if any).
    public init(_ diagnostics: [Diagnostic], templates: [String: TemplateSource] = [:]) {
        self.diagnostics = diagnostics
        self.templates = templates
    }
    /// Every problem, one per line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
