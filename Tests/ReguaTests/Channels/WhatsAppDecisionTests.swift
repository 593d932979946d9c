import Foundation
import Testing

@testable import Regua

/// The `whatsapp` channel in the night's decision (SPEC §3 Channel, Held back): a phone and a
/// `whatsapp_opt_in` on or before the night, else the fallback or `no_contact`; counted in the
/// weekly cap, held on quiet days, and a number WhatsApp refused falls back.
@Suite struct WhatsAppDecisionTests {
    typealias F = DeciderFixtures

    static func book(fallback: Channel? = .sms) -> RuleBook {
        var steps = F.defaultSteps
        var step = Step(
            id: "whatsapp_d10", offset: 10,
            action: .message(channel: .whatsapp, template: "atraso_sms", fallback: fallback), index: 3)
        step.whatsapp = WhatsAppTemplate(name: "cobranca_atraso", parameters: ["customer.first_name"])
        steps[3] = step
        return F.book(steps: steps)
    }

    static func customer(_ id: String, optIn: String?, phone: String? = "+5511987654321", optOut: Set<Channel> = [])
        -> Customer
    {
        var c = F.customer(id, phone: phone, optOut: optOut)
        c.whatsappOptIn = optIn.flatMap { Day(iso: $0) }
        return c
    }

    /// 10 days overdue on Monday 2026-11-23.
    static let title = F.title("t1", "c1", due: "2026-11-13")

    @Test(
        arguments: [
            // (opt-in, phone, opt_out, fallback, the channel of the message or the hold)
            ("2026-01-10", true, false, Channel.sms, "whatsapp"),
            ("2026-11-23", true, false, Channel.sms, "whatsapp"),  // agreed on the very day: counts
            ("2026-11-24", true, false, Channel.sms, "sms"),  // agreed after the night
            (nil, true, false, Channel.sms, "sms"),
            ("2026-01-10", false, false, Channel.sms, "no_contact"),  // SMS needs the phone too
            ("2026-01-10", false, false, Channel.letter, "letter"),
            ("2026-01-10", true, true, Channel.sms, "sms"),  // refused WhatsApp, takes SMS
            (nil, true, false, nil, "no_contact"),
        ] as [(String?, Bool, Bool, Channel?, String)])
    func whatsAppNeedsAPhoneAndAnOptInByTheNight(
        optIn: String?, phone: Bool, optOut: Bool, fallback: Channel?, expected: String
    ) {
        let c = Self.customer(
            "c1", optIn: optIn, phone: phone ? "+5511987654321" : nil, optOut: optOut ? [.whatsapp] : [])
        let d = F.decide([c], [Self.title], asOf: "2026-11-23", book: Self.book(fallback: fallback))
        let a = d.action("t1", "whatsapp_d10")
        if let m = d.messages.first {
            #expect(m.channel.rawValue == expected && a?.kind == .sent)
        } else {
            #expect(a?.reason?.rawValue == expected)
        }
    }

    @Test func aRefusedChannelWithoutFallbackIsOptOut() {
        let c = Self.customer("c1", optIn: "2026-01-10", optOut: [.whatsapp])
        let d = F.decide([c], [Self.title], asOf: "2026-11-23", book: Self.book(fallback: nil))
        #expect(d.messages.isEmpty && d.action("t1", "whatsapp_d10")?.reason == .optOut)
    }

    @Test func whatsAppCountsTowardsTheWeeklyCapAndQuietDays() {
        var h = LedgerHistory()
        h.recentMessages[CustomerID("c1")] = [
            Day(iso: "2026-11-18")!, Day(iso: "2026-11-19")!, Day(iso: "2026-11-20")!,
        ]
        let c = Self.customer("c1", optIn: "2026-01-10")
        let capped = F.decide([c], [Self.title], asOf: "2026-11-23", book: Self.book(), history: h)
        #expect(capped.action("t1", "whatsapp_d10")?.reason == .contactCap)
        // Sunday 2026-11-22 is a quiet day of the book: held, then due again on Monday.
        let sunday = F.decide([c], [F.title("t1", "c1", due: "2026-11-12")], asOf: "2026-11-22", book: Self.book())
        #expect(sunday.action("t1", "whatsapp_d10")?.reason == .quietDay)
    }

    @Test func aNumberWhatsAppRefusedFallsBackToSMSOnTheSameNumber() {
        let c = Self.customer("c1", optIn: "2026-01-10")
        var h = LedgerHistory()
        h.unusableContacts[CustomerID("c1")] = [
            UnusableContact(
                kind: .whatsapp, valueHash: ContactHash.phone("+5511987654321"), issue: .undeliveredWhatsApp,
                since: Day(iso: "2026-11-20")!)
        ]
        let d = F.decide([c], [Self.title], asOf: "2026-11-23", book: Self.book(), history: h)
        #expect(d.messages.map(\.channel) == [.sms])
        // A new number in customers.csv is usable for WhatsApp again.
        var moved = c
        moved.phone = "+5511912345678"
        #expect(
            F.decide([moved], [Self.title], asOf: "2026-11-23", book: Self.book(), history: h).messages.map(\.channel)
                == [.whatsapp])
        // A number SMS refused (kind phone) says nothing about WhatsApp.
        h.unusableContacts[CustomerID("c1")] = [
            UnusableContact(
                kind: .phone, valueHash: ContactHash.phone("+5511987654321"), issue: .undeliveredSMS,
                since: Day(iso: "2026-11-20")!)
        ]
        #expect(
            F.decide([c], [Self.title], asOf: "2026-11-23", book: Self.book(), history: h).messages.map(\.channel) == [
                .whatsapp
            ])
    }

    @Test func theHoldSaysWhatIsMissing() {
        let later = Self.customer("c1", optIn: "2026-12-01")
        #expect(
            HoldText.contactProblem(.whatsapp, later, asOf: Day(iso: "2026-11-23"))
                == "o whatsapp_opt_in do cliente (01/12/2026) é posterior a esta noite")
        #expect(HoldText.contactProblem(.whatsapp, Self.customer("c1", optIn: nil)).contains("whatsapp_opt_in"))
        #expect(
            HoldText.contactProblem(.whatsapp, Self.customer("c1", optIn: "2026-01-01", phone: nil)).contains(
                "coluna phone"))
    }
}
