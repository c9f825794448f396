import Foundation
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetSync

/// What the random-schedule and fault-injection suites share: seeds from the environment,
/// waiting for the next thing to happen, and checking conversations against what was
/// acknowledged.

/// The seeds in environment variable `variable` ("1,2,3"), else `fallback`.
package func seeds(from variable: String, default fallback: String) -> [UInt64] {
    let text = ProcessInfo.processInfo.environment[variable] ?? fallback
    return text.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
}

/// Returns at the next message, post or sync event of any of the nodes (or after `timeout`,
/// when nothing more is coming, so the caller looks again).
package func nextEvent(_ homes: [String], orAfter timeout: Duration) async {
    await withTaskGroup(of: Void.self) { group in
        for home in homes {
            group.addTask {
                try? await ControlClient(home: NodeHome(path: home)).followEvents { event in
                    !([.dm, .sync, .group].contains(event.type.family) || event.type == .peerConnected)
                }
            }
        }
        group.addTask { try? await Task.sleep(for: timeout) }
        await group.next()
        group.cancelAll()
    }
}

/// One direction of a conversation: messages from node `from` to node `to` (indexes).
package struct Conversation: Hashable {
    package var from: Int
    package var to: Int

    package init(from: Int, to: Int) {
        self.from = from
        self.to = to
    }
}

/// What is not yet as it must be: each conversation on both ends holds exactly the
/// acknowledged texts, once, in order (`wemeet messages NAME --json`); `at` limits the check
/// to the nodes of those indexes (the others may be down).
package func conversationProblems(
    _ expected: [Conversation: [String]], names: [String], homes: [String], at sides: Set<Int>? = nil
) -> [String] {
    var problems: [String] = []
    for (pair, texts) in expected {
        for (side, peer, direction) in [(pair.to, pair.from, "in"), (pair.from, pair.to, "out")]
        where sides?.contains(side) ?? true {
            guard let result = try? wemeet("messages", names[peer], "--json", "--home", homes[side]),
                result.status == 0,
                let json = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                let messages = json["messages"] as? [[String: Any]]
            else {
                problems.append("\(names[side]) did not answer")
                continue
            }
            let seen = messages.filter { $0["direction"] as? String == direction }.compactMap { $0["text"] as? String }
            if seen != texts {
                problems.append(
                    "\(names[side]) has \(seen.count) of \(texts.count) \(names[pair.from])→\(names[pair.to])")
            }
        }
    }
    return problems
}
