@testable import Regua

/// A realistic night for report tests: the example rule book's ladder over a mid-size portfolio.
enum ReportSample {
    static func summary() -> Summary {
        Summary(
            asOf: "2026-11-23", rulesHash: "9f2c4e7a1b3d5f6a8c0e2d4b6a8f0c1e3d5b7a9c0e2f4a6b8d0c1e3f5a7b9c0d",
            inputsHash: "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809", quietDay: false,
            inputs: .init(customers: 4_812, titles: 12_345, rejectedRows: 3),
            messages: .init(
                total: 1_204, email: 803, sms: 312, letter: 89, call: 0, letterPages: 97, smsSegments: 401,
                outstanding: "1873402.17", updatedAmount: "1921877.40"),
            steps: [
                .init(
                    step: "reminder_d-5", offset: -5, kind: "email", titlesSent: 641, messagesSpoken: 588,
                    byChannel: ["email": 641], superseded: 0, held: 37, outstanding: "902114.55"),
                .init(
                    step: "due_today", offset: 0, kind: "sms", titlesSent: 233, messagesSpoken: 219,
                    byChannel: ["sms": 233], superseded: 4, held: 12, outstanding: "301877.00"),
                .init(
                    step: "overdue_d3", offset: 3, kind: "email", titlesSent: 287, messagesSpoken: 241,
                    byChannel: ["email": 214, "letter": 73], superseded: 9, held: 21, outstanding: "388120.90"),
                .init(
                    step: "overdue_d10", offset: 10, kind: "sms", titlesSent: 102, messagesSpoken: 93,
                    byChannel: ["sms": 102], superseded: 2, held: 5, outstanding: "176002.31"),
                .init(
                    step: "letter_d30", offset: 30, kind: "letter", titlesSent: 19, messagesSpoken: 16,
                    byChannel: ["letter": 19], superseded: 0, held: 1, outstanding: "105287.41"),
                .init(
                    step: "protest_d45", offset: 45, kind: "remittance:protest", titlesSent: 14, messagesSpoken: 0,
                    byChannel: [:], superseded: 0, held: 2, outstanding: "58310.00"),
            ],
            profiles: [
                .init(profile: "key_account", customers: 42, messages: 17),
                .init(profile: "good_payer", customers: 2_310, messages: 402),
                .init(profile: "chronic", customers: 388, messages: 301),
                .init(profile: "standard", customers: 2_072, messages: 484),
            ],
            heldBack: [
                .init(reason: "below_min_amount", titles: 41, messages: 39),
                .init(reason: "contact_cap", titles: 28, messages: 22),
                .init(reason: "opt_out", titles: 6, messages: 0),
                .init(reason: "no_contact", titles: 3, messages: 0),
            ],
            remittance: .init(
                files: [.init(name: "CB231101.REM", nsa: 118, records: 14)],
                instructions: ["protest": 14], total: 14),
            returns: .init(
                filesRead: ["RET_20261122.RET"], filesAlreadyRead: [], settlements: 57,
                settledAmount: "84213.09",
                occurrences: ["entryConfirmed": 31, "settlement": 57, "other": 2]),
            rejects: [.init(file: "customers.csv", rows: 1), .init(file: "receivables.csv", rows: 2)],
            // overdue / receivable = 4.530.000,00 / 10.000.000,00 = 45,3%.
            portfolio: .init(
                receivableTitles: 12_345, receivable: "10000000.00", overdueTitles: 4_210,
                overdue: "4530000.00", inDunningTitles: 5_102, inDunning: "5234567.89",
                feesReceivedTitles: 12, feesReceived: "310.40"),
            aging: [
                .init(bucket: "not_due", titles: 8_135, outstanding: "5470000.00"),
                .init(bucket: "1-15", titles: 1_902, outstanding: "1234567.89"),
                .init(bucket: "16-30", titles: 811, outstanding: "902331.10"),
                .init(bucket: "31-60", titles: 644, outstanding: "788410.55"),
                .init(bucket: "61-90", titles: 402, outstanding: "610022.46"),
                .init(bucket: "91-180", titles: 301, outstanding: "590110.00"),
                .init(bucket: "180+", titles: 150, outstanding: "404558.00"),
            ])
    }

    static let rejects = [
        Reject(
            file: "customers.csv", line: 17, column: "document",
            reason: "CPF inválido: dígitos verificadores não conferem"),
        Reject(
            file: "receivables.csv", line: 204, column: "due_date",
            reason: "data inválida \"2026-02-30\" (use AAAA-MM-DD)"),
        Reject(
            file: "receivables.csv", line: 9_911, column: "customer_id",
            reason: "cliente C-99 não existe em customers.csv"),
    ]

    static let remittances = (1...14).map { i in
        RemittanceLine(
            titleID: "NF-2026-\(1000 + i)", customerID: "C-\(300 + i)", instruction: "protest",
            dueDate: "09/10/2026", amount: Money(cents: Int64(250_000 + i * 31_337)))
    }

    static let effectiveness = [
        StepEffectiveness(
            step: "reminder_d-5", offset: -5, titlesReached: 5_120, paidWithin3: 1_843, paidWithin7: 2_611,
            paidWithin15: 3_302, paidWithin30: 3_511, recovered: Money(cents: 412_330_017)),
        StepEffectiveness(
            step: "due_today", offset: 0, titlesReached: 1_877, paidWithin3: 604, paidWithin7: 822,
            paidWithin15: 1_015, paidWithin30: 1_015, recovered: Money(cents: 98_122_040)),
        StepEffectiveness(
            step: "overdue_d3", offset: 3, titlesReached: 2_210, paidWithin3: 391, paidWithin7: 688,
            paidWithin15: 1_004, paidWithin30: 1_004, recovered: Money(cents: 121_877_310)),
        StepEffectiveness(
            step: "overdue_d10", offset: 10, titlesReached: 803, paidWithin3: 88, paidWithin7: 160,
            paidWithin15: 251, paidWithin30: 251, recovered: Money(cents: 30_411_900)),
        StepEffectiveness(
            step: "protest_d45", offset: 45, titlesReached: 96, paidWithin3: 7, paidWithin7: 19,
            paidWithin15: 31, paidWithin30: 31, recovered: Money(cents: 9_877_120)),
    ]

    static func html() -> String {
        ReportHTML.render(
            summary: summary(), rejects: rejects, remittances: remittances,
            effectiveness: effectiveness, companyName: "Exemplo Comércio Ltda")
    }
}
