import Testing

@testable import Regua

/// Small model values against expectations written out by hand: an address's envelope lines
/// and CEP, a title's outstanding (never below zero), a diagnostic's `FILE:LINE:COLUMN`, the
/// order of channels, masks of short documents.
@Suite struct PlainModelValuesTests {
    @Test func anAddressPrintsTheLinesOfAnEnvelopeWindow() {
        let full = PostalAddress(
            street: "Av. Paulista", number: "1000", complement: "conj. 12", district: "Bela Vista", city: "São Paulo",
            state: "SP", zip: "01310100")
        #expect(full.isComplete)
        #expect(full.formattedZip == "01310-100")
        #expect(full.lines == ["Av. Paulista, 1000 - conj. 12", "Bela Vista", "São Paulo - SP", "CEP 01310-100"])
        let bare = PostalAddress(street: "Rua A", city: "Recife")
        #expect(!bare.isComplete)
        #expect(bare.lines == ["Rua A", "Recife"])
        #expect(PostalAddress(zip: "0131").formattedZip == "0131")  // not 8 digits: as given
        #expect(PostalAddress().lines.isEmpty && PostalAddress().formattedZip == nil)
        // Each of street, number, city, UF and CEP is needed; complement and district are not.
        let parts: [WritableKeyPath<PostalAddress, String?>] = [\.street, \.number, \.city, \.state, \.zip]
        for p in parts {
            var a = full
            a[keyPath: p] = nil
            #expect(!a.isComplete)
        }
        var optional = full
        optional.complement = nil
        optional.district = nil
        #expect(optional.isComplete)
        #expect(optional.lines == ["Av. Paulista, 1000", "São Paulo - SP", "CEP 01310-100"])
    }

    @Test func outstandingIsAmountLessPaidNeverBelowZero() {
        var rng = SplitMix64(seed: 10)
        for _ in 0..<2_000 {
            let amount = Int64(rng.below(1_000_000))
            let paid = Int64(rng.below(1_200_000))
            let t = Title(
                id: TitleID("T"), customerID: CustomerID("C"), dueDate: Day(iso: "2026-11-23")!,
                amount: Money(cents: amount), paidAmount: Money(cents: paid))
            #expect(t.outstanding.cents == Swift.max(0, amount - paid))
        }
    }

    @Test func diagnosticsReadFileLineColumnMessageAndHint() {
        let at = SourceLocation(file: "rules/10-regua.yaml", line: 12, column: 5)
        #expect(at.description == "rules/10-regua.yaml:12:5")
        #expect(
            Diagnostic(at, "chave desconhecida 'chanel'").description
                == "rules/10-regua.yaml:12:5: chave desconhecida 'chanel'")
        #expect(
            Diagnostic(at, "chave desconhecida 'chanel'", hint: "quis dizer 'channel'?").description
                == "rules/10-regua.yaml:12:5: chave desconhecida 'chanel' (quis dizer 'channel'?)")
        let errors = RuleBookErrors([
            Diagnostic(at, "a"), Diagnostic(SourceLocation(file: "b.yaml", line: 1, column: 1), "b"),
        ])
        #expect(errors.description == "rules/10-regua.yaml:12:5: a\nb.yaml:1:1: b")
    }

    @Test func channelsSortInTheOrderEveryOutputUses() {
        #expect(Channel.allCases == [.email, .sms, .letter, .call, .whatsapp])
        #expect([Channel.whatsapp, .letter, .email, .call, .sms].sorted() == Channel.allCases)
        for (i, a) in Channel.allCases.enumerated() {
            for (j, b) in Channel.allCases.enumerated() { #expect((a < b) == (i < j)) }
        }
        #expect(RemittanceInstruction.stepInstructions == [.register, .protest, .writeOff])
        #expect(
            RemittanceInstruction.allCases.map(\.rawValue) == [
                "register", "write_off", "change_due", "protest", "stop_protest",
            ])
    }

    @Test func documentsShowOnlyTheirLastFourCharacters() {
        #expect(Document(kind: .cpf, value: "52998224725").masked == "*******4725")
        #expect(Document(kind: .cnpj, value: "12ABC34501DE35").masked == "**********DE35")
        #expect(Document(kind: .cpf, value: "12345").masked == "*****")  // too short to show any
        #expect(Document(kind: .cpf, value: "123456").masked == "**3456")
        #expect(Document(kind: .cnpj, value: "123").formatted == "123")  // not 14: as given
    }
}
