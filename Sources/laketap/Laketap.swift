import ArgumentParser

@main
struct Laketap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "laketap",
        abstract: "Turns streams of JSON events into a query-ready Parquet data lake.",
        version: "0.1.0",
        subcommands: [ConvertCommand.self, GenCommand.self, InspectCommand.self, ServeCommand.self]
    )
}

extension Laketap {
    /// Tunes the allocator for `convert` before any thread but the main one exists, so every thread
    /// shares the arena it sets up (see ``AllocatorTuning``).
    static func main() async {
        if CommandLine.arguments.dropFirst().first == "convert" { AllocatorTuning.forBatchConversion() }
        await Self.main(nil)
    }
}
