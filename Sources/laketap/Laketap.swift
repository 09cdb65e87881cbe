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
