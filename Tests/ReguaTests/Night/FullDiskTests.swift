import Foundation
import Testing
@testable import Regua

/// A disk that fills up mid-night: exit 3, nothing recorded, nothing half-written visible, and
/// the next run on a disk with room publishes the night. Needs root to mount a tiny tmpfs; the
/// test is skipped where mounting is not allowed.
@Suite(.serialized) struct FullDiskTests {
    static func sh(_ args: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    static let canMount: Bool = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent(
            "regua-mount-probe-\(UUID().uuidString)"
        ).path
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard sh(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe]) == 0 else { return false }
        return sh(["umount", probe]) == 0
    }()

    @Test(.enabled(if: canMount, "mounting a tmpfs needs root"))
    func fullDiskIsExit3AndRecordsNothing() throws {
        let w = try Workspace()
        let out = w.root + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        // 64 KiB: the night's e-mails and PDF do not fit.
        try #require(Self.sh(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", out]) == 0)
        defer { _ = Self.sh(["umount", out]) }
        do {
            _ = try w.run()
            Issue.record("expected the night to fail on a full disk")
        } catch let e as ReguaError {
            #expect(e.code == .io)
        }
        #expect(try w.ledger().lastNight() == nil)
        #expect(try w.allActions().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out + "/2026-11-23"))
        #expect(!FileManager.default.fileExists(atPath: out + "/.staging-2026-11-23"))
        // Room again: the same night goes through.
        _ = Self.sh(["umount", out])
        let r = try w.run()
        #expect(r.outcome == .published)
    }
}
