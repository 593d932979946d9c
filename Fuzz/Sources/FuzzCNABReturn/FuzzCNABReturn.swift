import CFuzzDriver
import FuzzSupport
import Regua

/// The CNAB 240 return reader on hostile files.
///
/// The first byte of the input chooses the account the file is read for (Banco do Brasil,
/// Itaú or Caixa, the three return dialects); the rest is the file. A ``BankError`` is the
/// documented refusal; a crash, a sanitizer report or a hang is a finding.
enum FuzzCNABReturn {
    static let accounts = [
        BankAccount(code: "001", agency: "4042", account: "61900-0", agreement: "1238798", wallet: "17-019"),
        BankAccount(code: "341", agency: "0810", account: "53678", agreement: "", wallet: "109"),
        BankAccount(code: "104", agency: "1234", account: "56789-0", agreement: "123456", wallet: "1"),
    ]
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let account = FuzzCNABReturn.accounts[Int(data[0]) % FuzzCNABReturn.accounts.count]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    do {
        let file = try CNAB240Return.parse(bytes, path: "fuzz.ret", expecting: account)
        precondition(!file.hash.isEmpty)
        FuzzSupport.note("read for \(account.code): \(file.events.count) events")
    } catch let error as BankError {
        FuzzSupport.note("refused for \(account.code): \(error)")
    } catch {
        preconditionFailure("CNAB240Return.parse threw something other than a BankError: \(error)")
    }
    return 0
}

/// The entry point SwiftPM links for this executable (its `main`, renamed): libFuzzer's driver.
@_cdecl("FuzzCNABReturn_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    regua_fuzz_main(argc, argv)
}
