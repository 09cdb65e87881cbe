import Foundation
import Testing

/// A helper process that talks over stdin/stdout: it prints what the test needs on stdout and
/// stops when its stdin closes, so it also stops when the test process dies.
final class ScriptProcess: @unchecked Sendable {
    // `process` and the pipes are set once in `init` and used from one test at a time.
    private let process: Process
    private let input = Pipe()
    private let output = Pipe()

    init(executable: String, arguments: [String]) throws {
        self.process = Process()
        self.process.executableURL = URL(fileURLWithPath: executable)
        self.process.arguments = arguments
        self.process.standardInput = self.input
        self.process.standardOutput = self.output
        self.process.standardError = FileHandle.nullDevice
        try self.process.run()
    }

    /// The next line of output; `nil` at the end. Reads on a thread of its own, off the cooperative pool.
    func readLine() async -> String? {
        let handle = self.output.fileHandleForReading
        return await withCheckedContinuation { continuation in
            Thread {
                var line: [UInt8] = []
                while true {
                    let byte = handle.readData(ofLength: 1)
                    guard let first = byte.first else {
                        continuation.resume(returning: line.isEmpty ? nil : String(decoding: line, as: UTF8.self))
                        return
                    }
                    if first == UInt8(ascii: "\n") {
                        continuation.resume(returning: String(decoding: line, as: UTF8.self))
                        return
                    }
                    line.append(first)
                }
            }.start()
        }
    }

    /// Closes stdin (the script's signal to stop) and returns its last line of output.
    func finish() async -> String? {
        try? self.input.fileHandleForWriting.close()
        var last: String?
        while let line = await self.readLine() { last = line }
        self.process.waitUntilExit()
        return last
    }
}

/// Where the project's Python virtual environment is: `$LAKETAP_VENV`, `./.venv`, or `../main/.venv`
/// (next to the package, or next to the working directory).
enum TestEnvironment {
    static let isCI = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } ?? false

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static let venv: String? = {
        var candidates: [String] = []
        if let configured = ProcessInfo.processInfo.environment["LAKETAP_VENV"] { candidates.append(configured) }
        for base in [FileManager.default.currentDirectoryPath, Self.packageRoot] {
            candidates.append("\(base)/.venv")
            candidates.append("\(base)/../main/.venv")
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: "\($0)/bin/moto_server") }
    }()

    /// Tests that need moto run when it is installed, and always under CI (where a missing moto fails).
    static let motoAvailable = Self.venv != nil || Self.isCI

    static var python: String {
        if let venv = Self.venv { return "\(venv)/bin/python" }
        return "/usr/bin/python3"
    }
}

/// `moto_server` on a free 127.0.0.1 port, with an IAM user whose key the tests sign with, one
/// bucket, and SigV4 checking switched on (`/moto-api/reset-auth`). One server serves the whole
/// test run; it stops when the run ends.
struct MotoServer: Sendable {
    var endpoint: String
    var accessKeyID: String
    var secretAccessKey: String
    var bucket: String
    /// Kept for the life of the run: when it goes, stdin closes and moto stops.
    let process: ScriptProcess

    static let shared = Task<MotoServer, any Error> { try await MotoServer.start() }

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "moto_server not found: set LAKETAP_VENV or run scripts/install-deps.sh (it installs moto[server] into .venv)"
        }
    }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    private static func start() async throws -> MotoServer {
        guard let venv = TestEnvironment.venv else { throw Missing() }
        let process = try ScriptProcess(
            executable: "\(venv)/bin/python",
            arguments: ["-c", Self.script, "\(venv)/bin/moto_server"]
        )
        guard let line = await process.readLine(), let data = line.data(using: .utf8),
            let fields = try JSONSerialization.jsonObject(with: data) as? [String: String],
            let endpoint = fields["endpoint"], let accessKeyID = fields["accessKeyID"],
            let secretAccessKey = fields["secretAccessKey"], let bucket = fields["bucket"]
        else {
            throw Failed(description: "moto_server did not start (or its IAM setup failed)")
        }
        return MotoServer(
            endpoint: endpoint,
            accessKeyID: accessKeyID,
            secretAccessKey: secretAccessKey,
            bucket: bucket,
            process: process
        )
    }

    private static let script = """
        import json, os, socket, subprocess, sys, time, urllib.request
        import boto3
        s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
        moto = subprocess.Popen([sys.argv[1], "-H", "127.0.0.1", "-p", str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            endpoint = "http://127.0.0.1:%d" % port
            deadline = time.time() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close(); break
                except OSError:
                    if time.time() > deadline or moto.poll() is not None: sys.exit(1)
                    time.sleep(0.1)
            kw = dict(endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
            iam = boto3.client("iam", **kw)
            iam.create_user(UserName="laketap")
            iam.put_user_policy(UserName="laketap", PolicyName="s3all", PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
            key = iam.create_access_key(UserName="laketap")["AccessKey"]
            boto3.client("s3", **kw).create_bucket(Bucket="laketap-tests")
            urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset-auth", data=b"0",
                                   headers={"Content-Type": "text/plain"}, method="POST"))
            print(json.dumps({"endpoint": endpoint, "accessKeyID": key["AccessKeyId"],
                              "secretAccessKey": key["SecretAccessKey"], "bucket": "laketap-tests"}), flush=True)
            sys.stdin.read()
        finally:
            moto.kill(); moto.wait()  # moto_server ignores SIGTERM while connections are open
        """
}

/// A tiny HTTP server that answers the first `failures` requests (all when negative) with `status`
/// and an S3 error document with `code`, and later ones with an empty `200`. ``finish()`` stops it
/// and returns how many requests it saw.
struct FaultServer: Sendable {
    let port: Int
    private let process: ScriptProcess

    init(status: Int, failures: Int, code: String) async throws {
        self.process = try ScriptProcess(
            executable: TestEnvironment.python,
            arguments: ["-c", Self.script, String(status), String(failures), code]
        )
        guard let line = await self.process.readLine(), let port = Int(line) else {
            throw MotoServer.Failed(description: "the fault server did not start")
        }
        self.port = port
    }

    var endpoint: String { "http://127.0.0.1:\(self.port)" }

    func finish() async -> Int {
        await self.process.finish().flatMap { Int($0) } ?? -1
    }

    private static let script = """
        import http.server, sys, threading
        status, failures, code = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
        count = 0
        lock = threading.Lock()
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def answer(self):
                global count
                with lock:
                    count += 1
                    failing = failures < 0 or count <= failures
                length = int(self.headers.get("Content-Length") or 0)
                if length: self.rfile.read(length)
                body = b""
                if failing:
                    body = ("<?xml version=\\"1.0\\"?><Error><Code>%s</Code><Message>injected fault</Message></Error>"
                            % code).encode()
                self.send_response(status if failing else 200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD": self.wfile.write(body)
            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = answer
            def log_message(self, *args): pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sys.stdin.read()
        print(count, flush=True)
        """
}
