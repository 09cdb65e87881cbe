import Foundation
import Yams

/// Settings from one YAML file, `LAKETAP_*` environment variables and command-line flags, in rising
/// precedence, flattened to dotted keys (`server.port`, `streams.events.partition_by`).
///
/// Scalars are kept as text and typed by ``ServeSettings``; sequences as lists of text. Every value
/// remembers where it came from, so an error can say "LAKETAP_SERVER_PORT: expected a port".
struct ConfigurationLayers {
    struct Value: Equatable {
        enum Content: Equatable {
            case scalar(String)
            case list([String])

            /// A value given as one piece of text (environment, `--set`): lists are comma-separated.
            init(text: String, isList: Bool) {
                guard isList else {
                    self = .scalar(text)
                    return
                }
                self = .list(
                    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                )
            }
        }

        var content: Content
        var origin: String
    }

    private(set) var values: [String: Value] = [:]

    init() {}

    /// Keys set, in order.
    var keys: [String] { self.values.keys.sorted() }

    subscript(key: String) -> Value? { self.values[key] }

    mutating func set(_ key: String, _ content: Value.Content, origin: String) {
        self.values[key] = Value(content: content, origin: origin)
    }

    /// Loads a YAML document: nested mappings become dotted keys.
    mutating func load(yaml text: String, origin: String) throws(ConfigurationError) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError("\(origin): not valid YAML: \(error)")
        }
        guard let root else { return }
        guard case .mapping = root else {
            throw ConfigurationError("\(origin): expected a mapping of settings at the top level")
        }
        try self.flatten(root, prefix: "", origin: origin)
    }

    private mutating func flatten(_ node: Node, prefix: String, origin: String) throws(ConfigurationError) {
        switch node {
        case .mapping(let mapping):
            // An empty mapping (`streams: {events: {}}`) still declares the key.
            if mapping.count == 0, !prefix.isEmpty { self.set(prefix, .list([]), origin: origin) }
            for (keyNode, valueNode) in mapping {
                guard let key = keyNode.string, !key.isEmpty, !key.contains(".") else {
                    throw ConfigurationError("\(origin): '\(keyNode)' under '\(prefix)' is not a valid key")
                }
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                let line = keyNode.mark.map { ":\($0.line)" } ?? ""
                try self.flatten(valueNode, prefix: path, origin: "\(origin)\(line)")
            }
        case .sequence(let sequence):
            var items: [String] = []
            for item in sequence {
                guard case .scalar(let scalar) = item else {
                    throw ConfigurationError("\(origin): '\(prefix)' must be a list of plain values")
                }
                items.append(scalar.string)
            }
            self.set(prefix, .list(items), origin: origin)
        case .scalar(let scalar):
            // A YAML null (`key:` or `key: ~`) leaves the default in place.
            if scalar.style == .plain, ["", "~", "null"].contains(scalar.string) { return }
            self.set(prefix, .scalar(scalar.string), origin: origin)
        }
    }

    /// Applies `LAKETAP_<KEY>` variables for the given keys (`server.port` ← `LAKETAP_SERVER_PORT`).
    /// List-valued keys take comma-separated values.
    mutating func load(environment: [String: String], keys: [ServeSettings.Key]) {
        for key in keys {
            guard let text = environment[key.environmentName] else { continue }
            self.set(key.name, Value.Content(text: text, isList: key.isList), origin: key.environmentName)
        }
    }

    /// Applies `key=value` assignments from `--set`.
    mutating func load(assignments: [String], keys: [ServeSettings.Key]) throws(ConfigurationError) {
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ConfigurationError("--set \(assignment): expected KEY=VALUE")
            }
            let name = String(assignment[..<equals])
            let text = String(assignment[assignment.index(after: equals)...])
            // Global list keys, and a stream's tokens (`streams.<name>.tokens`).
            let isList =
                keys.first { $0.name == name }?.isList
                ?? (name.hasPrefix("streams.") && name.hasSuffix(".tokens"))
            self.set(name, Value.Content(text: text, isList: isList), origin: "--set \(name)")
        }
    }
}

struct ConfigurationError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
