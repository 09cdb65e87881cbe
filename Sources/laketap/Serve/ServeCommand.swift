import ArgumentParser
import Foundation

/// `laketap serve`: the ingestion service. Configuration comes from an optional YAML file,
/// `LAKETAP_*` environment variables and these flags, in rising precedence.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Accept JSON events over HTTP and land them as partitioned Parquet files.",
        discussion: """
            With no configuration, listens on 127.0.0.1:8080, buffers under ./laketap-data and writes the
            lake to ./lake, creating streams on first use:
              curl -X POST --data-binary @events.ndjson http://127.0.0.1:8080/v1/streams/events/records
            Settings come from --config FILE (YAML), then LAKETAP_* environment variables, then --set
            KEY=VALUE and the flags below. `laketap serve --help-config` lists every key with its default.
            """
    )

    @Option(help: "A YAML configuration file (also LAKETAP_CONFIG).")
    var config: String?

    @Option(help: "Address to listen on (server.host).")
    var host: String?

    @Option(help: "Port to listen on (server.port).")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "Directory of the write-ahead log (buffer.directory).")
    var dataDirectory: String?

    @Option(help: "Root directory of a local lake (lake.path), or s3://bucket/prefix for S3.")
    var lake: String?

    @Option(name: .customLong("set"), help: "KEY=VALUE for any configuration key; repeatable.")
    var assignments: [String] = []

    @Flag(help: "Print the effective configuration (secrets redacted) and exit.")
    var printConfig = false

    @Flag(help: "List every configuration key with its default and environment variable, and exit.")
    var helpConfig = false

    func loadSettings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServeSettings {
        var layers = ConfigurationLayers()
        if let path = self.config ?? environment["LAKETAP_CONFIG"] {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigurationError("cannot read \(path): \(error.localizedDescription)")
            }
            try layers.load(yaml: text, origin: path)
        }
        layers.load(environment: environment, keys: ServeSettings.keys)
        try layers.load(assignments: self.assignments, keys: ServeSettings.keys)
        if let host = self.host { layers.set("server.host", .scalar(host), origin: "--host") }
        if let port = self.port { layers.set("server.port", .scalar(String(port)), origin: "--port") }
        if let directory = self.dataDirectory {
            layers.set("buffer.directory", .scalar(directory), origin: "--data-dir")
        }
        if let lake = self.lake {
            if lake.hasPrefix("s3://") {
                let parts = lake.dropFirst("s3://".count).split(separator: "/", maxSplits: 1)
                let bucket = parts.first.map(String.init) ?? ""
                let prefix = parts.dropFirst().first.map(String.init) ?? ""
                layers.set("lake.store", .scalar("s3"), origin: "--lake")
                layers.set("lake.bucket", .scalar(bucket), origin: "--lake")
                layers.set("lake.prefix", .scalar(prefix), origin: "--lake")
            } else {
                layers.set("lake.store", .scalar("local"), origin: "--lake")
                layers.set("lake.path", .scalar(lake), origin: "--lake")
            }
        }
        return try ServeSettings(layers)
    }

    static func configurationHelp() -> String {
        var lines = ["Key | Default | Environment | Meaning"]
        for key in ServeSettings.keys {
            lines.append("\(key.name) | \(key.defaultValue) | \(key.environmentName) | \(key.help)")
        }
        lines.append("")
        lines.append(
            "Per stream, under streams.<name>. (YAML or --set): "
                + ServeSettings.streamKeys.sorted().joined(separator: ", ")
                + "; unset keys take defaults.<key>."
        )
        return lines.joined(separator: "\n")
    }
}

extension ServeCommand {
    func run() async throws {
        if self.helpConfig {
            print(Self.configurationHelp())
            return
        }
        let settings: ServeSettings
        do {
            settings = try self.loadSettings()
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("laketap serve: configuration: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        if self.printConfig {
            print(settings.redactedYAML)
            return
        }
        try await Self.serve(settings)
    }
}
