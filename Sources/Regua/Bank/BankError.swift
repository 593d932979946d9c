/// A refusal from the bank stage: a boleto, a remittance or a return file that cannot be
/// produced or trusted. Printed as `PATH:LINE: message` when it concerns a file's line.
public struct BankError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong and, where it helps, what to do.
    public var message: String
    /// The file read, for return files.
    public var path: String?
    /// 1-based line (record) of that file.
    public var line: Int?

    /// Creates an error; `path` and `line` locate it in a file when there is one.
    public init(_ message: String, path: String? = nil, line: Int? = nil) {
        self.message = message
        self.path = path
        self.line = line
    }

    /// `PATH:LINE: message`, or as much of it as is known.
    public var description: String {
        switch (path, line) {
        case let (p?, l?): return "\(p):\(l): \(message)"
        case let (p?, nil): return "\(p): \(message)"
        default: return message
        }
    }
}
