/// A way of reaching a customer with a message.
public enum Channel: String, CaseIterable, Sendable, Hashable, Comparable {
    case email, sms, letter
    /// A line of `calls.csv` for the call centre, with the agent's script.
    case call
    /// A WhatsApp template message (`whatsapp.jsonl`), the text approved at Meta.
    case whatsapp

    /// Channels sort in this order in every output.
    public static func < (a: Channel, b: Channel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// An instruction to the bank, carried by the CNAB remittance file.
public enum RemittanceInstruction: String, CaseIterable, Sendable, Hashable {
    /// Entry of a title (movement 01).
    case register
    /// Write-off request (movement 02).
    case writeOff = "write_off"
    /// Change of due date (movement 06); follows the data, not a rule step.
    case changeDue = "change_due"
    /// Protest (movement 09).
    case protest
    /// Stop protest (movement 10/11); follows the data, not a rule step.
    case stopProtest = "stop_protest"

    /// Instructions a rule step may ask for; the others follow from the ledger and the data.
    public static let stepInstructions: [RemittanceInstruction] = [.register, .protest, .writeOff]
}
