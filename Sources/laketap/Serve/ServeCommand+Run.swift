extension ServeCommand {
    static func serve(_ settings: ServeSettings) async throws {
        throw ConfigurationError("serve: the service is wired in the next commit")
    }
}
