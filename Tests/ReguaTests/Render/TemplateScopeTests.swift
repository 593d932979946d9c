import Mustache
import Testing
@testable import Regua

/// The lazy context a night renders with must answer every name exactly as the dictionary of
/// `TemplateContext.make` does, and render the same bytes.
@Suite struct TemplateScopeTests {
    /// A customer with control characters, accents and no e-mail, beside the usual one.
    static let messages: [PlannedMessage] = [
        RenderFixtures.message(),
        RenderFixtures.message(
            customer: Customer(
                id: CustomerID("C9"), name: "Jo\u{202E}ão\r\nda Silva\u{85}",
                document: Document.parse("12.345.678/0001-95")!,
                address: PostalAddress(street: "Rua\tB", city: "Brasília")), channel: .letter, pix: false),
        RenderFixtures.offerMessage(),
    ]

    private static let night = TemplateNight(
        company: RenderFixtures.company, asOf: RenderFixtures.asOf,
        policy: RenderFixtures.policy)

    /// Leaves as text (`nil` when absent), so values of different static types compare.
    private func leaf(_ v: Any?) -> String? { v.map { String(describing: $0) } }

    @Test(arguments: 0..<messages.count)
    func everyNameAnswersLikeTheDictionary(_ k: Int) throws {
        let m = Self.messages[k]
        let dict = TemplateContext.make(
            message: m, company: RenderFixtures.company, asOf: RenderFixtures.asOf,
            policy: RenderFixtures.policy)
        let scope = MessageScope(message: m, night: Self.night)
        let lists = ["titles", "overdue_titles", "upcoming_titles"]
        for name in TemplateContext.variables where !lists.contains(name) && name != "offer.installments" {
            let path = name.split(separator: ".").map(String.init)
            var d: Any? = dict
            var s: Any? = scope
            for part in path {
                d = (d as? MustacheParent)?.child(named: part)
                s = (s as? MustacheParent)?.child(named: part)
            }
            #expect(leaf(d) == leaf(s), "\(name)")
            #expect((d == nil) == (s == nil), "\(name)")
        }
        for list in lists {
            let dTitles = try #require(dict[list] as? [[String: Any]])
            let sTitles = try #require(scope.child(named: list) as? [TitleScope])
            #expect(dTitles.count == sTitles.count)
            for (dt, st) in zip(dTitles, sTitles) {
                for name in TemplateContext.titleVariables {
                    #expect(leaf(dt[name]) == leaf(st.child(named: name)), "\(list).\(name)")
                }
            }
        }
        let dPlans = (dict["offer"] as? [String: Any])?["installments"] as? [[String: Any]] ?? []
        let sPlans = ((scope.child(named: "offer") as? MustacheParent)?.child(named: "installments") as? [Any]) ?? []
        #expect(dPlans.count == sPlans.count && (m.offer == nil || !dPlans.isEmpty))
        for (dp, sp) in zip(dPlans, sPlans) {
            for name in TemplateContext.installmentEntries.map(\.0) {
                #expect(
                    leaf(dp[name]) == leaf((sp as? MustacheParent)?.child(named: name)), "offer.installments.\(name)")
            }
        }
        // The fixture has one title due today and one overdue: each list gets its own.
        #expect((dict["overdue_titles"] as? [[String: Any]])?.map { $0["title_id"] as? String } == ["NF-10294"])
        #expect((dict["upcoming_titles"] as? [[String: Any]])?.map { $0["title_id"] as? String } == ["NF-10273"])
        #expect(scope.child(named: "no_such_name") == nil)
    }

    @Test(arguments: 0..<messages.count)
    func shippedTemplatesRenderTheSameBytes(_ k: Int) throws {
        let book = try RenderFixtures.shippedBook()
        let set = try TemplateSet(book: book)
        let m = Self.messages[k]
        let dict = TemplateContext.make(
            message: m, company: book.company, asOf: RenderFixtures.asOf, policy: book.policy)
        let night = TemplateNight(company: book.company, asOf: RenderFixtures.asOf, policy: book.policy)
        var rendered = 0
        for step in RenderFixtures.shippedSteps {
            guard case .message(_, let template, _) = step.action else { continue }
            for c in Channel.allCases where set.has(template: template, channel: c) {
                let a = try set.render(template: template, channel: c, context: dict)
                let b = try set.render(template: template, channel: c, scope: MessageScope(message: m, night: night))
                #expect(a == b, "\(template).\(c.rawValue)")
                rendered += 1
            }
        }
        #expect(rendered > 0)
    }

    @Test(arguments: [
        "plain ASCII", "Conceição São Paulo", "a\u{7F}b", "a\u{85}b", "a\u{2028}b", "a\u{202E}b",
        "a\u{2066}b", "tab\there", "“aspas” – travessão…", "\u{0}", "",
    ])
    func cleanFastPathEqualsTheScalarWalk(_ text: String) {
        var slow = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            let unsafe: Bool =
                switch u.value {
                case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
                default: false
                }
            slow.append(unsafe ? " " : u)
        }
        #expect(BrazilianFormat.clean(text) == String(slow))
    }
}
