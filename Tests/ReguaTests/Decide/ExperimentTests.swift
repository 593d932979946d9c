import Testing

@testable import Regua

/// SPEC §3 Experiments: the split, checked against Python's hashlib, and steps per arm.
@Suite struct ExperimentTests {
    typealias F = DeciderFixtures

    // int(hashlib.sha256(b"sms_cedo:" + id).hexdigest()[:8], 16) % 100, computed in Python.
    @Test(arguments: [
        ("C001", 43), ("C002", 82), ("C003", 88), ("C004", 44), ("C005", 5), ("José", 22), ("C-100", 61),
    ])
    func bucketsAgreeWithAnIndependentSHA256(customer: String, bucket: Int) {
        #expect(Experiment.bucket(experiment: "sms_cedo", customer: CustomerID(customer)) == bucket)
        let e = Experiment(id: "sms_cedo", challengerPercent: 44)
        #expect(e.arm(for: CustomerID(customer)) == (bucket < 44 ? .challenger : .champion))
    }

    @Test func theShareOfChallengersIsThePercent() {
        // Python: 989 of C00000…C09999 fall below 10.
        let e = Experiment(id: "sms_cedo", challengerPercent: 10)
        let n = (0..<10_000).filter {
            e.arm(for: CustomerID("C" + String(repeating: "0", count: 5 - String($0).count) + String($0)))
                == .challenger
        }.count
        #expect(n == 989)
        #expect(Experiment(id: "x", challengerPercent: 0).arm(for: CustomerID("C005")) == .champion)
        #expect(Experiment(id: "x", challengerPercent: 100).arm(for: CustomerID("C005")) == .challenger)
    }

    @Test func aStepOfAnArmExistsOnlyForThatArmAndEveryActionRecordsTheArms() {
        var steps = F.defaultSteps
        // An early SMS for the challengers (C005 is in it at 10%; C001 is not).
        var early = Step(
            id: "sms_d5", offset: 5, action: .message(channel: .sms, template: "atraso_sms", fallback: nil), index: 6)
        early.experiment = StepExperiment(id: "sms_cedo", arm: .challenger)
        steps.append(early)
        var book = F.book(steps: steps)
        book.experiments = [Experiment(id: "sms_cedo", challengerPercent: 10)]
        let titles = [F.title("t1", "C001", due: "2026-11-17"), F.title("t5", "C005", due: "2026-11-17")]  // 6 days
        let d = F.decide([F.customer("C001"), F.customer("C005")], titles, asOf: "2026-11-23", book: book)
        #expect(d.sentPairs == ["t1": "overdue_d3", "t5": "sms_d5"])
        #expect(d.action("t5", "overdue_d3")?.kind == .superseded)
        #expect(d.action("t1", "sms_d5") == nil)
        #expect(d.actions.filter { $0.customerID.raw == "C001" }.allSatisfy { $0.arms == "sms_cedo=champion" })
        #expect(d.actions.filter { $0.customerID.raw == "C005" }.allSatisfy { $0.arms == "sms_cedo=challenger" })
        // explain says why the champion does not get it.
        let ex = NightDecider(book: book, asOf: Day(iso: "2026-11-23")!).explain(
            customer: F.customer("C001"), titles: [titles[0]], history: .empty)
        #expect(
            ex.titles[0].steps.contains {
                $0.stepID == "sms_d5" && $0.verdict == .otherArm(experiment: "sms_cedo", arm: .challenger)
            })
        // Without experiments, no arms are recorded.
        #expect(F.decide([F.customer("C001")], [titles[0]], asOf: "2026-11-23").actions.allSatisfy { $0.arms == nil })
    }

    @Test func theRuleBookReadsExperimentsAndRefusesBadOnes() throws {
        let book = """
            version: 1
            company: { name: Exemplo, document: 11.222.333/0001-81 }
            experiments:
              - id: sms_cedo
                challenger_percent: 10
              - id: carta
                challenger_percent: 150
            profiles:
              - id: standard
            steps:
              - id: sms_d5
                offset: 5
                channel: sms
                template: s
                experiment: { id: sms_cedo, arm: challenger }
              - id: sms_d6
                offset: 6
                channel: sms
                template: s
                experiment: { id: sms_tarde, arm: challenger }
              - id: sms_d7
                offset: 7
                channel: sms
                template: s
                experiment: { id: sms_cedo, arm: desafiante }

            """
        let f = try RulesFixture(["r.yaml": book, "templates/s.sms.mustache": "Oi"])
        let errors = f.errors()
        #expect(errors.contains { $0.hasPrefix("r.yaml:7:25:") && $0.contains("challenger_percent") }, "\(errors)")
        #expect(
            errors.contains { $0.hasPrefix("r.yaml:20:") && $0.contains("'sms_tarde' não está em 'experiments'") },
            "\(errors)")
        #expect(errors.contains { $0.hasPrefix("r.yaml:25:") && $0.contains("desafiante") }, "\(errors)")
        #expect(errors.count == 3, "\(errors)")
    }
}
