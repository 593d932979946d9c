import Foundation
import Testing

/// deploy/kubernetes, deploy/slurm and deploy/systemd read as their schedulers read them, with
/// the fields a sharded night depends on (SPEC §5 "Past one machine").
@Suite struct DeployManifestTests {
    static let deploy = Workspace.repoRoot + "/deploy"
    static let hasPyYAML: Bool = {
        guard let python3 = ExternalTool.python3 else { return false }
        return (try? ExternalTool.run(python3, ["-c", "import yaml"]).status) == 0
    }()

    /// The Kubernetes documents, parsed by PyYAML (not our reader) and handed back as JSON.
    static func kubernetesDocuments() throws -> [[String: Any]] {
        let script = """
            import json, sys, yaml
            with open(sys.argv[1]) as f:
                print(json.dumps([d for d in yaml.safe_load_all(f) if d is not None]))
            """
        let r = try ExternalTool.run(ExternalTool.python3!, ["-c", script, deploy + "/kubernetes/regua-night.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    }

    @Test(.enabled(if: hasPyYAML, "python3 with PyYAML (python3-yaml) is not installed"))
    func kubernetesCronJobLaunchesAnIndexedJobOfShards() throws {
        let docs = try Self.kubernetesDocuments()
        let kinds = docs.compactMap { $0["kind"] as? String }
        #expect(Set(kinds) == ["CronJob", "PersistentVolumeClaim", "Secret"])
        let cron = try #require(docs.first { $0["kind"] as? String == "CronJob" })
        #expect(cron["apiVersion"] as? String == "batch/v1")
        let spec = try #require(cron["spec"] as? [String: Any])
        #expect(spec["concurrencyPolicy"] as? String == "Forbid")
        #expect((spec["startingDeadlineSeconds"] as? Int).map { $0 > 0 } == true)
        #expect((spec["schedule"] as? String)?.split(separator: " ").count == 5)
        let job = try #require((spec["jobTemplate"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(job["completionMode"] as? String == "Indexed")
        let completions = try #require(job["completions"] as? Int)
        #expect(completions >= 1)
        let pod = try #require((job["template"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(pod["restartPolicy"] as? String == "Never")
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        let command = ((container["command"] as? [String]) ?? []) + ((container["args"] as? [String]) ?? [])
        let line = command.joined(separator: " ")
        #expect(line.contains("--shard \"${JOB_COMPLETION_INDEX}/${REGUA_SHARDS}\""))
        let env = try #require(container["env"] as? [[String: Any]])
        // N in the command is the Job's completions: one shard per index.
        let shards = env.first { $0["name"] as? String == "REGUA_SHARDS" }?["value"] as? String
        #expect(shards == String(completions))
        // The ledger URL from the Secret, not written in the manifest.
        let state = try #require(env.first { $0["name"] as? String == "REGUA_STATE" })
        let ref = (state["valueFrom"] as? [String: Any])?["secretKeyRef"] as? [String: Any]
        let secret = try #require(docs.first { $0["kind"] as? String == "Secret" })
        #expect(ref?["name"] as? String == (secret["metadata"] as? [String: Any])?["name"] as? String)
        #expect(line.contains("--state \"${REGUA_STATE}\""))
        // The night folders on the PersistentVolumeClaim, mounted where --out points.
        let claim = try #require(docs.first { $0["kind"] as? String == "PersistentVolumeClaim" })
        let claimName = (claim["metadata"] as? [String: Any])?["name"] as? String
        let volume = try #require((pod["volumes"] as? [[String: Any]])?.first)
        #expect((volume["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String == claimName)
        let mount = try #require((container["volumeMounts"] as? [[String: Any]])?.first)
        let mountPath = try #require(mount["mountPath"] as? String)
        #expect(line.contains("--out " + mountPath + "/out"))
        #expect(mount["name"] as? String == volume["name"] as? String)
    }

    /// `#SBATCH` directives as Slurm reads them: the lines before the first command.
    static func sbatchDirectives(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let l = line.trimmingCharacters(in: .whitespaces)
            if l.isEmpty || (l.hasPrefix("#") && !l.hasPrefix("#SBATCH")) { continue }
            guard l.hasPrefix("#SBATCH ") else { break }  // Slurm stops at the first command
            let option = l.dropFirst("#SBATCH ".count)
            let parts = option.split(separator: "=", maxSplits: 1)
            out[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return out
    }

    @Test func slurmArrayRunsOneShardPerTask() throws {
        let path = Self.deploy + "/slurm/regua-night.sbatch"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let d = Self.sbatchDirectives(text)
        let array = try #require(d["--array"])
        // 0-31%4: tasks 0…31, 4 at a time; the default REGUA_SHARDS is the array's size.
        let range = array.split(separator: "%")[0].split(separator: "-").compactMap { Int($0) }
        #expect(range.count == 2 && range[0] == 0)
        #expect(text.contains("REGUA_SHARDS=\"${REGUA_SHARDS:-\(range[1] + 1)}\""))
        #expect(text.contains("--shard \"${SLURM_ARRAY_TASK_ID}/${REGUA_SHARDS}\""))
        #expect(d["--job-name"] != nil && d["--time"] != nil)
        let bash = try #require(ExternalTool.find("bash"))
        let syntax = try ExternalTool.run(bash, ["-n", path])
        #expect(syntax.status == 0, "\(syntax.stderr)")
    }

    /// A unit file's `Key=value` lines by section.
    static func unit(_ name: String) throws -> [String: [String: String]] {
        let text = try String(contentsOfFile: deploy + "/systemd/" + name, encoding: .utf8)
        var out: [String: [String: String]] = [:]
        var section = ""
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            if line.hasPrefix("[") {
                section = String(line.dropFirst().dropLast())
            } else if let eq = line.firstIndex(of: "=") {
                out[section, default: [:]][String(line[..<eq])] = String(line[line.index(after: eq)...])
            }
        }
        return out
    }

    @Test func systemdTimersCatchUpAMissedNight() throws {
        for timer in ["regua-nightly.timer", "regua-shard@.timer"] {
            let t = try Self.unit(timer)
            #expect(t["Timer"]?["Persistent"] == "true", "\(timer)")
            #expect(t["Timer"]?["OnCalendar"] != nil, "\(timer)")
        }
        let shard = try Self.unit("regua-shard@.service")
        #expect(shard["Service"]?["Type"] == "oneshot")
        #expect(shard["Service"]?["UMask"] == "0077")
        #expect(shard["Service"]?["ExecStart"]?.contains("--shard %i/${REGUA_SHARDS}") == true)
        for service in ["regua-nightly.service", "regua-shard@.service"] {
            // OnFailure= is a [Unit] key; systemd ignores it under [Service].
            let u = try Self.unit(service)
            #expect(u["Unit"]?["OnFailure"] != nil && u["Service"]?["OnFailure"] == nil, "\(service)")
        }
        if let analyze = ExternalTool.find("systemd-analyze") {
            let r = try ExternalTool.run(
                analyze,
                ["verify", "--man=no"]
                    + ["regua-nightly.service", "regua-shard@.service", "regua-shard@.timer"].map {
                        Self.deploy + "/systemd/" + $0
                    })
            // verify complains about the missing binary and user on a build machine; the syntax must pass.
            #expect(!r.stderr.contains("Unknown section") && !r.stderr.contains("Unknown key"), "\(r.stderr)")
        }
    }

    @Test func everySchedulerHasAReadme() {
        for dir in ["kubernetes", "slurm", "systemd"] {
            #expect(FileManager.default.fileExists(atPath: Self.deploy + "/" + dir + "/README.md"), "\(dir)")
        }
    }
}
