import Foundation

@testable import Regua

/// A Cloud-API-style WhatsApp endpoint on loopback (tests only): Python's `http.server` on a free
/// port logs every POST (path, Authorization, Idempotency-Key, Content-Type, the raw body and the
/// body parsed by Python's `json`) before it answers, and answers each recipient (`to`) from a
/// plan read again at every request: `200` (the Cloud API's `{"messages":[{"id":"wamid…"}]}`),
/// any other status with an error object, `hang` (read the request, never answer) or `trickle`
/// (a 200 whose body comes a byte every half second, never complete).
final class WhatsAppEndpoint: @unchecked Sendable {  // fields set once in init; the files are the test's own
    let root: String
    let port: Int
    let log: String
    let planFile: String
    private let process: Process

    static let script = """
        import http.server, json, os, signal, sys, threading, time
        # A child of a test thread inherits its blocked signals (SIGTERM among them).
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        port, log, plan_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
        lock, seen = threading.Lock(), {}

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def body(self):
                n = self.headers.get('Content-Length')
                if n is not None:
                    return self.rfile.read(int(n))
                raw = b''
                while True:  # chunked
                    size = int(self.rfile.readline().strip().split(b';')[0], 16)
                    if size == 0:
                        self.rfile.readline()
                        return raw
                    raw += self.rfile.read(size)
                    self.rfile.readline()

            def answer(self, status, obj):
                data = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(data)))
                self.send_header('Connection', 'close')
                self.end_headers()
                self.wfile.write(data)
                self.close_connection = True

            def do_POST(self):
                raw = self.body()
                body = json.loads(raw)
                with open(plan_file, encoding='utf-8') as f:
                    plan = json.load(f)
                to = body.get('to', '')
                with lock:
                    k = seen.get(to, 0)
                    seen[to] = k + 1
                    with open(log, 'a', encoding='utf-8') as f:
                        f.write(json.dumps({'path': self.path, 'authorization': self.headers.get('Authorization'),
                            'idempotency_key': self.headers.get('Idempotency-Key'),
                            'content_type': self.headers.get('Content-Type'),
                            'raw': raw.decode('utf-8'), 'body': body}) + '\\n')
                        f.flush()
                        os.fsync(f.fileno())
                answers = plan.get('answers', {}).get(to, ['200'])
                a = answers[min(k, len(answers) - 1)]
                time.sleep(plan.get('delay', 0))
                if a == 'hang':
                    time.sleep(3600)
                    return
                if a == 'trickle':
                    self.send_response(200)
                    self.send_header('Content-Type', 'application/json')
                    self.send_header('Content-Length', '100000')
                    self.end_headers()
                    try:
                        for _ in range(7200):
                            self.wfile.write(b' ')
                            self.wfile.flush()
                            time.sleep(0.5)
                    except OSError:
                        pass
                    return
                if a == '200':
                    self.answer(200, {'messaging_product': 'whatsapp', 'contacts': [{'input': to, 'wa_id': to[1:]}],
                        'messages': [{'id': 'wamid.' + body.get('biz_opaque_callback_data', '')}]})
                else:
                    self.answer(int(a), {'error': {'message': 'refused by the test', 'type': 'OAuthException',
                        'code': 131000 if a.startswith('5') else 100}})

            def log_message(self, *a):
                pass

        class S(http.server.ThreadingHTTPServer):
            daemon_threads = True

        S(('127.0.0.1', port), H).serve_forever()

        """

    /// Starts the endpoint; `answers` maps a recipient (E.164) to the answers of its first,
    /// second, … POST (the last one repeats); everyone else gets 200.
    init(answers: [String: [String]] = [:], delay: Double = 0) throws {
        root = try peerFolder("whatsapp")
        port = try freePort()
        log = root + "/posts.jsonl"
        planFile = root + "/plan.json"
        try Self.write(answers: answers, delay: delay, to: planFile)
        try Self.script.write(toFile: root + "/endpoint.py", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [root + "/endpoint.py", String(port), log, planFile]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        guard waitForPort(port) else { throw PeerError("the WhatsApp endpoint did not start") }
    }

    /// Changes how the endpoint answers from the next request on.
    func plan(answers: [String: [String]], delay: Double = 0) throws {
        try Self.write(answers: answers, delay: delay, to: planFile)
    }

    private static func write(answers: [String: [String]], delay: Double, to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: ["answers": answers, "delay": delay])
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    deinit {
        // SIGKILL, not terminate(): a process started from a test thread inherits that thread's
        // blocked signals, SIGTERM among them, and would never end (the parked test's hang).
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The URL of the messages endpoint of a phone number id.
    var url: String { "http://127.0.0.1:\(port)/v21.0/123456789/messages" }

    /// Every POST received, in order, read with Python's json.
    func posts() throws -> [[String: Any]] {
        guard FileManager.default.fileExists(atPath: log) else { return [] }
        return try WhatsAppNightTests.pythonJSONLines(log)
    }

    /// How many POSTs each recipient got.
    func postsPerRecipient() throws -> [String: Int] {
        var out: [String: Int] = [:]
        for p in try posts() { out[((p["body"] as? [String: Any])?["to"] as? String) ?? "?", default: 0] += 1 }
        return out
    }
}
