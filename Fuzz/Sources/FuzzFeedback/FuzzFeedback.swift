import CFuzzDriver
import Foundation
import FuzzSupport
@testable import Regua

/// The readers of `regua feedback` on hostile files: bounces (an mbox split into messages, each
/// read as an RFC 3464 delivery status notification, with the MIME multipart and header reading
/// under it) and the SMS gateway's delivery reports (a CSV log, with or without its header).
///
/// The first byte of the input chooses the reader (even: mailbox and DSN; odd: DLR log); the rest
/// is the file. A nil report or an empty row list is the documented answer to garbage; a crash, a
/// sanitizer report, a hang, or a report that breaks its own promises (an empty or repeated
/// candidate id, a recipient's status with a space) is a finding.
enum FuzzFeedback {
    static func mailbox(_ bytes: [UInt8]) {
        // The whole input as one message, and as an mbox of messages.
        var messages = [bytes]
        messages += MailboxReader.mbox(bytes)
        for m in messages {
            guard let dsn = DeliveryStatusReport.parse(m) else {
                FuzzSupport.note("not a DSN")
                continue
            }
            precondition(Set(dsn.candidateIDs).count == dsn.candidateIDs.count, "repeated candidate id")
            precondition(!dsn.candidateIDs.contains(""), "empty candidate id")
            for r in dsn.recipients {
                precondition(!r.status.contains(" "), "status keeps its comment")
                _ = DeliveryStatusReport.eventKind(r)
            }
            FuzzSupport.note("DSN: \(dsn.recipients.count) recipients, ids \(dsn.candidateIDs)")
        }
    }

    /// The DLR log's reader on the bytes (not through a file: Foundation's `FileManager.contents`
    /// leaks its 4 KiB buffer on an empty file, which LeakSanitizer reports as ours).
    static func deliveryReports(_ bytes: [UInt8]) {
        let rows = FeedbackReader.rows(bytes)
        for row in rows { _ = Day(iso: (row["at"] ?? "").prefix(10)) }
        FuzzSupport.note("DLR: \(rows.count) rows")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if data[0] % 2 == 0 { FuzzFeedback.mailbox(bytes) } else { FuzzFeedback.deliveryReports(bytes) }
    return 0
}

/// The entry point SwiftPM links for this executable (its `main`, renamed): libFuzzer's driver.
@_cdecl("FuzzFeedback_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    regua_fuzz_main(argc, argv)
}
