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
    /// What could be read of the book despite the problems (its company, and the profiles and
    /// steps that validate), so that `regua check` can still render the templates with sample
    /// data; nil when not even the company could be read.
    public var partial: RuleBook?
    /// Wraps the problems found (and the templates and partial book read, if any).
    public init(_ diagnostics: [Diagnostic], templates: [String: TemplateSource] = [:], partial: RuleBook? = nil) {
        self.diagnostics = diagnostics
        self.templates = templates
        self.partial = partial
    }
    /// Every problem, one per line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
