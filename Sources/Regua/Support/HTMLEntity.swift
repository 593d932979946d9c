/// The five characters HTML text escapes, with the spellings swift-mustache writes (`&#39;` for
/// the apostrophe), so that the night's renderer and the e-mail's HTML part give its bytes.
enum HTMLEntity {
    /// The entity for `& < > " '`, nil for any other scalar.
    @inline(__always)
    static func of(_ s: Unicode.Scalar) -> String? {
        switch s {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "\"": "&quot;"
        case "'": "&#39;"
        default: nil
        }
    }
}
