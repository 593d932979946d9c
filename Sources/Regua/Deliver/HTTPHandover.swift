import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP exchange, synchronously, through URLSession.
enum HTTPExchange {
    /// The status and the first bytes of the body, or how it failed.
    enum Outcome {
        case answered(status: Int, body: String)
        /// The request never reached the server (refused, no route, bad URL).
        case notSent(String)
        /// The request may have reached it (time-out, connection lost mid-way).
        case unknown(String)
    }

    /// One request, answered or not within `request.timeoutInterval` seconds for the whole
    /// exchange (connect, send, answer). URLSession's own time-out is an idle time-out: a peer
    /// that trickles a byte now and then (or a stalled proxy) resets it forever, and the
    /// deliverer would wait for ever on one message. The deadline is held here; past it the task
    /// is cancelled and the outcome is `unknown` (the request may have reached the peer).
    static func perform(_ request: URLRequest) -> Outcome {
        let timeout = max(request.timeoutInterval, 0.1)
        let box = ExchangeBox()
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: config)
        let task = session.dataTask(with: request) { data, response, error in
            box.settle(outcome(data, response, error))
        }
        task.resume()
        if !box.wait(seconds: timeout) {
            box.settle(.unknown("no complete answer within \(Int(timeout.rounded(.up))) s"))
            // The cancelled task may still report on URLSession's queue; the box keeps the first outcome.
            task.cancel()
        }
        session.invalidateAndCancel()
        return box.outcome
    }

    private static func outcome(_ data: Data?, _ response: URLResponse?, _ error: Error?) -> Outcome {
        if let error {
            switch (error as? URLError)?.code {
            case .cannotConnectToHost?, .cannotFindHost?, .badURL?, .unsupportedURL?, .dnsLookupFailed?,
                .notConnectedToInternet?, .secureConnectionFailed?, .serverCertificateUntrusted?:
                return .notSent(error.localizedDescription)
            default:
                return .unknown(error.localizedDescription)
            }
        }
        if let http = response as? HTTPURLResponse {
            return .answered(
                status: http.statusCode, body: String(decoding: (data ?? Data()).prefix(300), as: UTF8.self))
        }
        return .unknown("no HTTP response")
    }

    /// A 2xx is accepted, another status failed; no answer is failed only when the request
    /// surely never left.
    static func result(_ o: Outcome, via name: String) -> HandoverResult {
        switch o {
        case .answered(let s, _) where (200..<300).contains(s): return .accepted("http \(s)")
        case .answered(let s, let body):
            return .failed(
                "http \(s)" + (body.isEmpty ? "" : ": " + body.trimmingCharacters(in: .whitespacesAndNewlines)))
        case .notSent(let why): return .failed("\(name) not reached: \(why)")
        case .unknown(let why): return .uncertain("\(name) gave no answer: \(why)")
        }
    }

    /// Percent-encoding for a query value: only unreserved characters stay as they are.
    static func queryEscape(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

/// The outcome of one exchange: the first of the task's answer and the deadline wins.
private final class ExchangeBox: Sendable {
    private let settled = Locked<HTTPExchange.Outcome?>(nil)
    private let settledSignal = DispatchSemaphore(value: 0)

    /// Records an outcome unless one is already recorded.
    func settle(_ o: HTTPExchange.Outcome) {
        let first = settled.withLock { value -> Bool in
            guard value == nil else { return false }
            value = o
            return true
        }
        if first { settledSignal.signal() }
    }

    /// Whether an outcome came within the seconds.
    func wait(seconds: TimeInterval) -> Bool {
        settledSignal.wait(timeout: .now() + seconds) == .success
    }

    /// The outcome recorded first.
    var outcome: HTTPExchange.Outcome { settled.value ?? .unknown("no answer") }
}

/// SMS through Kannel's `sendsms` HTTP GET.
public final class KannelHandover: Handover {
    let settings: Gateways.KannelSettings
    let password: String
    /// The name the ledger uses.
    public let name = "kannel"

    /// A handover to one smsbox.
    public init(settings: Gateways.KannelSettings, password: String) {
        self.settings = settings
        self.password = password
    }

    /// The sendsms URL of one message (tests read it back).
    public func url(for message: OutgoingMessage) -> String? {
        guard case .sms(let phone, let text, let encoding, _, _, _) = message.payload else { return nil }
        var q: [(String, String)] = [
            ("username", settings.user), ("password", password), ("to", phone), ("text", text),
            ("charset", "UTF-8"), ("coding", encoding == "UCS-2" ? "2" : "0"),
        ]
        if let from = settings.from { q.append(("from", from)) }
        if let dlr = settings.dlrURL {
            let id = HTTPExchange.queryEscape(message.id)
            let withID =
                dlr.contains("{message_id}")
                ? dlr.replacingOccurrences(of: "{message_id}", with: id)
                : dlr + (dlr.contains("?") ? "&" : "?") + "message_id=" + id
            q.append(("dlr-mask", String(settings.dlrMask)))
            q.append(("dlr-url", withID))
        }
        return settings.url + (settings.url.contains("?") ? "&" : "?")
            + q.map { $0.0 + "=" + HTTPExchange.queryEscape($0.1) }.joined(separator: "&")
    }

    /// One GET: Kannel's 202 ("0: Accepted for delivery", "3: Queued for later delivery") is
    /// accepted; a 4xx or 5xx answer failed.
    public func hand(_ message: OutgoingMessage) -> HandoverResult {
        guard let u = url(for: message), let url = URL(string: u) else { return .failed("not an SMS") }
        var r = URLRequest(url: url)
        r.timeoutInterval = 30
        return HTTPExchange.result(HTTPExchange.perform(r), via: "kannel")
    }

    /// Nothing held open.
    public func finish() {}
}

/// A JSON POST per message: SMS rows to a generic gateway, WhatsApp objects to a Cloud-API-style
/// endpoint.
public final class JSONPostHandover: Handover {
    let settings: Gateways.HTTPSettings
    let token: String?
    /// `json` (SMS) or `whatsapp`.
    public let name: String

    /// A handover to one endpoint with an optional bearer token.
    public init(name: String, settings: Gateways.HTTPSettings, token: String?) {
        self.name = name
        self.settings = settings
        self.token = token
    }

    /// The body POSTed for a message (tests read it back).
    public static func body(for message: OutgoingMessage) -> Data? {
        switch message.payload {
        case .sms(let phone, let text, let encoding, let segments, let step, let titles):
            let o: [String: Any] = [
                "message_id": message.id, "customer_id": message.customerID.raw, "to": phone, "text": text,
                "encoding": encoding, "segments": segments, "step": step, "title_ids": titles,
            ]
            return try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes])
        case .whatsapp(let line, let to):
            // The Cloud API's message object: the template as whatsapp.jsonl has it, the
            // message id back in every status through biz_opaque_callback_data.
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let template = obj["template"]
            else { return nil }
            let o: [String: Any] = [
                "messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "template",
                "template": template,
                "biz_opaque_callback_data": (obj["biz_opaque_callback_data"] as? String) ?? message.id,
            ]
            return try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes])
        case .email:
            return nil
        }
    }

    /// One POST; a 2xx is accepted.
    public func hand(_ message: OutgoingMessage) -> HandoverResult {
        guard let body = Self.body(for: message), let url = URL(string: settings.url) else {
            return .failed("no body for this message")
        }
        var r = URLRequest(url: url)
        r.httpMethod = "POST"
        r.httpBody = body
        r.timeoutInterval = TimeInterval(settings.timeout)
        r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        r.setValue(message.id, forHTTPHeaderField: "Idempotency-Key")
        if let token { r.setValue("Bearer " + token, forHTTPHeaderField: "Authorization") }
        return HTTPExchange.result(HTTPExchange.perform(r), via: name)
    }

    /// Nothing held open.
    public func finish() {}
}
