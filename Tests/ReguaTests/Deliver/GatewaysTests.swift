import Foundation
import Testing

@testable import Regua

/// The gateways file: SPEC §7's shape, secrets only by variable name, errors where they are.
@Suite struct GatewaysTests {
    @Test func specExampleReads() throws {
        let g = try Gateways.parse(
            """
            email:
              sendmail: /usr/sbin/sendmail
              envelope: bounces@exemplo.com.br
            sms:
              kannel: {url: "http://127.0.0.1:13013/cgi-bin/sendsms", user: regua, password_env: KANNEL_PASSWORD,
                       dlr_url: "http://127.0.0.1:8080/dlr?id=%i&status=%d"}
            whatsapp: {url: "https://graph.facebook.com/v21.0/PHONE_NUMBER_ID/messages", token_env: WHATSAPP_TOKEN}
            max_attempts: 3
            """)
        #expect(g.email?.transport == .sendmail(path: "/usr/sbin/sendmail", arguments: []))
        #expect(g.email?.envelopeSender(messageID: "R20261123-ab") == "bounces+R20261123-ab@exemplo.com.br")
        guard case .kannel(let k)? = g.sms else { Issue.record("no kannel"); return }
        #expect(k.passwordEnv == "KANNEL_PASSWORD" && k.dlrMask == 31 && k.dlrURL?.hasSuffix("status=%d") == true)
        #expect(g.whatsapp?.tokenEnv == "WHATSAPP_TOKEN")
        #expect(g.maxAttempts == 3)
        #expect(g.secretNames.map(\.name) == ["KANNEL_PASSWORD", "WHATSAPP_TOKEN"])
    }

    @Test func smtpDefaults() throws {
        let g = try Gateways.parse(
            "email:\n  smtp: {host: smtp.exemplo.com.br, user: cobranca, password_env: SMTP_PASSWORD}\n  envelope: b@exemplo.com.br\n"
        )
        guard case .smtp(let s)? = g.email?.transport else { Issue.record("no smtp"); return }
        #expect(s.port == 587 && s.tls == .starttls && s.user == "cobranca" && s.passwordEnv == "SMTP_PASSWORD")
    }

    @Test func everyProblemAtItsPlace() {
        let text = """
            email:
              smtp: {host: h, user: u}
              envelope: not-an-address
            sms:
              kannel: {url: "ftp://x", user: u, password: s3cret}
            whatsapp: {url: "https://x/y", token_env: "9bad"}
            max_attempt: 2
            """
        do {
            _ = try Gateways.parse(text, file: "gw.yaml")
            Issue.record("accepted a broken file")
        } catch let e as RuleBookErrors {
            let lines = e.diagnostics.map(\.description)
            #expect(
                lines.contains { $0.hasPrefix("gw.yaml:2:9: a seção email.smtp tem 'user' mas não 'password_env'") })
            #expect(lines.contains { $0.hasPrefix("gw.yaml:3:13: 'envelope' deve ser um endereço") })
            #expect(lines.contains { $0.hasPrefix("gw.yaml:5:37: chave desconhecida 'password' na seção sms.kannel") })
            #expect(lines.contains { $0.hasPrefix("gw.yaml:5:17: 'url' deve ser uma URL http:// ou https://") })
            #expect(lines.contains { $0.hasPrefix("gw.yaml:5:11: falta 'password_env' na seção sms.kannel") })
            #expect(
                lines.contains { $0.hasPrefix("gw.yaml:6:43: 'token_env' deve ser o nome de uma variável de ambiente") }
            )
            #expect(
                lines.contains {
                    $0.hasPrefix("gw.yaml:7:1: chave desconhecida 'max_attempt' no arquivo de gateways")
                        && $0.contains("max_attempts")
                })
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func syntaxErrorHasItsPlace() {
        #expect(throws: RuleBookErrors.self) { try Gateways.parse("email: [unclosed\n") }
        #expect(throws: RuleBookErrors.self) { try Gateways.parse("max_attempts: 2\n") }  // no gateway at all
    }
}

/// The shipped example of deploy/ reads as it says.
@Suite struct ShippedGatewaysExampleTests {
    @Test func deployExampleIsValid() throws {
        let g = try Gateways.load(path: Workspace.repoRoot + "/deploy/gateways.example.yaml")
        #expect(g.email?.transport == .sendmail(path: "/usr/sbin/sendmail", arguments: []))
        #expect(g.secretNames.map(\.name) == ["KANNEL_PASSWORD", "WHATSAPP_TOKEN"])
    }
}
