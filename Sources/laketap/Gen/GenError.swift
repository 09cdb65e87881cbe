/// A failure of `laketap gen` that ArgumentParser prints as `Error: <message>`.
struct GenError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
