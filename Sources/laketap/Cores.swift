import Foundation

enum Cores {
    /// The cores this process may run on: its CPU affinity on Linux (so under `taskset -c 0`, 1), which
    /// `ProcessInfo.activeProcessorCount` does not reflect.
    static func available() -> Int {
        let all = ProcessInfo.processInfo.activeProcessorCount
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") })
        else { return all }
        // "Cpus_allowed_list:\t0-3,6" lists ranges and single cores.
        var count = 0
        for part in line.dropFirst("Cpus_allowed_list:".count).split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if bounds.count == 1 { count += 1 }
            if bounds.count == 2 && bounds[1] >= bounds[0] { count += bounds[1] - bounds[0] + 1 }
        }
        return count > 0 ? min(count, max(all, 1)) : all
    }
}
