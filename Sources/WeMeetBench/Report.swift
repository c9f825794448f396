import Foundation

/// Prints the benchmark table or JSON.
enum Report {
    static func print(_ figures: [Figure], json: Bool, quick: Bool) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let rows = figures.map { figure in
                Row(
                    name: figure.name, value: figure.value, unit: figure.unit, ceiling: figure.ceiling,
                    ratio: figure.ratio, target: figure.target, met: figure.met)
            }
            Swift.print(String(decoding: try! encoder.encode(Output(quick: quick, figures: rows)), as: UTF8.self))
            return
        }
        let header = ["figure", "value", "unit", "ceiling", "ratio", "target", "met"]
        let rows = figures.map { figure in
            [
                figure.name, format(figure.value), figure.unit, figure.ceiling.map(format) ?? "",
                figure.ratio.map { String(format: "%.0f%%", $0 * 100) } ?? "",
                figure.target.map { figure.ceiling != nil ? String(format: "≥ %.0f%%", $0 * 100) : format($0) } ?? "",
                figure.met.map { $0 ? "yes" : "NO" } ?? "",
            ]
        }
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max()!
        }
        for (index, row) in ([header] + rows).enumerated() {
            Swift.print(
                row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(
                    separator: "  "))
            if index == 0 { Swift.print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        if quick { Swift.print("(--quick: short runs, figures are indicative only)") }
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
    }

    struct Row: Encodable {
        var name: String
        var value: Double
        var unit: String
        var ceiling: Double?
        var ratio: Double?
        var target: Double?
        var met: Bool?
    }

    struct Output: Encodable {
        var quick: Bool
        var figures: [Row]
    }
}
