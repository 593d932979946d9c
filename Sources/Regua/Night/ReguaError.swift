/// A failure of a command, carrying the exit code SPEC §6 gives it.
public struct ReguaError: Error, CustomStringConvertible, Sendable {
    /// SPEC §6 exit codes.
    public enum Code: Int32, Sendable {
        /// Invalid rule book, flags or a refused night: nothing done.
        case refused = 2
        /// Could not read or write: nothing recorded.
        case io = 3
        /// Another run holds the ledger.
        case locked = 4
    }

    /// The exit code the command ends with.
    public var code: Code
    /// What happened, for the operator.
    public var message: String
    /// Rule book problems, one per line as `FILE:LINE:COLUMN: message`.
    public var diagnostics: [Diagnostic]

    /// Creates a failure with its exit code, message and any rule book diagnostics.
    public init(_ code: Code, _ message: String, diagnostics: [Diagnostic] = []) {
        self.code = code
        self.message = message
        self.diagnostics = diagnostics
    }

    /// The message, then each diagnostic on its own line.
    public var description: String {
        ([message] + diagnostics.map(\.description)).joined(separator: "\n")
    }
}
