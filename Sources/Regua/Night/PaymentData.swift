/// The payment data a message carries: a boleto for each title with a nosso número and a PIX
/// copia-e-cola for the message's total updated amount. One function for the night and for
/// `regua check --preview`, so that a preview shows exactly what a night would send.
enum PaymentData {
    /// The PIX receiver of a company: its key, name and city (São Paulo when it gives none).
    static func merchant(_ company: Company) -> PixBRCode.Merchant? {
        company.pixKey.map { PixBRCode.Merchant(key: $0, name: company.name, city: company.city ?? "SAO PAULO") }
    }

    /// The message with its boletos (for its *outstanding* amount and *original* due date; the
    /// bank adds the fees at payment) and its PIX code (the message id's letters and digits as
    /// txid). A title whose boleto cannot be made simply goes without one.
    static func apply(to message: PlannedMessage, issuer: BoletoIssuer?, pix: PixBRCode.Merchant?) -> PlannedMessage {
        var m = message
        if let issuer {
            for k in m.titles.indices where m.titles[k].barcode == nil {
                guard let nosso = m.titles[k].title.nossoNumero else { continue }
                if let code = try? issuer.make(
                    nossoNumero: nosso, dueDate: m.titles[k].title.dueDate,
                    amount: m.titles[k].outstanding)
                {
                    m.titles[k].barcode = code.barcode
                    m.titles[k].linhaDigitavel = code.linhaDigitavel
                }
            }
        }
        // Nothing to pay (credits cover the message): no PIX code, which without an amount would
        // let the customer type any.
        if let pix {
            let txid = PixBRCode.txid(forMessageID: m.id)
            let payable = m.pixAmount.cents > 0
            m.pixTxid = payable ? txid : nil
            m.pixCode = payable ? pix.payload(amount: m.pixAmount, txid: txid) : nil
        }
        return m
    }
}
