import Foundation
import WeMeetAttachments
import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetStore
import WeMeetSync

/// One record of a group feed (Protocol.md §10.2), decoded from an entry: the content type
/// says which, the payload is a JSON object (posts of private groups are sealed first).
package enum GroupRecord: Sendable {
    /// Content types of group feeds.
    package enum ContentType {
        /// `{"creator","public","nonce","name","member_name"}`: the author joins (its first
        /// entry; the creator's creates the group). Repeated to join again after leaving.
        package static let join: UInt16 = 0x0301
        /// `{"action":"invite"|"remove"|"admin","member":NODE-ID}`: an admin changes membership.
        package static let member: UInt16 = 0x0302
        /// `{}`: the author leaves.
        package static let leave: UInt16 = 0x0303
        /// `{"key":KEY-ID,"wraps":{NODE-ID: WRAP}}`: an admin hands a group key to members.
        package static let key: UInt16 = 0x0304
        /// A post or comment (sealed in private groups).
        package static let post: UInt16 = 0x0310
        /// `{"id":HEX64,"seq":N}`: the author recalls its own post at `seq` of this feed
        /// (sealed in private groups, as posts are).
        package static let recall: UInt16 = 0x0311
        /// A moment (moments feed, kind 4): `{"text"}`.
        package static let moment: UInt16 = 0x0401
    }

    /// What a membership record cites (Protocol.md §10.3): for each other author of the
    /// group, the seq of its feed up to which the writer had applied everything — the
    /// record's causal past. Absent in records of earlier versions (they are ignored).
    package typealias Citations = [String: UInt64]

    package struct Join: Codable, Sendable {
        package var creator: String
        package var `public`: Bool
        package var nonce: String
        package var name: String
        package var memberName: String?
        package var deps: Citations?

        package enum CodingKeys: String, CodingKey {
            case creator, `public`, nonce, name, deps
            case memberName = "member_name"
        }

        package init(_ definition: GroupDefinition, memberName: String, deps: Citations) {
            creator = Hex.encode(definition.creator.rawRepresentation)
            self.public = definition.isPublic
            nonce = Hex.encode(definition.nonce)
            name = definition.name
            self.memberName = memberName
            self.deps = deps
        }

        /// The definition, when well formed.
        package var definition: GroupDefinition? {
            guard let creatorBytes = try? Hex.decode(creator), creatorBytes.count == 32,
                let key = try? Ed25519.PublicKey(rawRepresentation: creatorBytes),
                let nonceBytes = try? Hex.decode(nonce), nonceBytes.count == 16,
                (try? GroupDefinition.validate(name: name)) != nil
            else { return nil }
            return GroupDefinition(creator: key, isPublic: self.public, nonce: nonceBytes, name: name)
        }
    }

    package struct Member: Codable, Sendable {
        package var action: String
        package var member: String
        package var deps: Citations?

        package init(action: String, member: String, deps: Citations? = nil) {
            self.action = action
            self.member = member
            self.deps = deps
        }
    }

    package struct Leave: Codable, Sendable {
        package var deps: Citations?

        package init(deps: Citations? = nil) {
            self.deps = deps
        }
    }

    package struct Key: Codable, Sendable {
        /// The key ID, 32 hex digits.
        package var key: String
        /// The key ID this key replaces (nil for a group's first key): keys form a chain, and
        /// the current key is its tip (§10.4), never the newest by anyone's clock.
        package var replaces: String?
        /// Node ID → hex of the key sealed for that member.
        package var wraps: [String: String]
        package var deps: Citations?

        package init(key: String, replaces: String? = nil, wraps: [String: String], deps: Citations? = nil) {
            self.key = key
            self.replaces = replaces
            self.wraps = wraps
            self.deps = deps
        }
    }

    /// A recall (撤回, §10.2): the author asks readers to hide its own post at `seq` of the
    /// same feed, whose entry ID is `id`.
    package struct Recall: Codable, Equatable, Sendable {
        package var id: String
        package var seq: UInt64

        package init(id: String, seq: UInt64) {
            self.id = id
            self.seq = seq
        }
    }

    /// The body of a post, sealed in private groups.
    package struct Post: Codable, Sendable {
        package var text: String
        /// The entry ID (hex) of the post this one comments on.
        package var reply: String?
        /// Photos, voice notes and files (§13.2); omitted when there are none.
        package var attachments: [AttachmentReference]?
        /// Members this post mentions (@), by node ID (§10.2); omitted when none. Junk here
        /// (not a list of strings) is dropped and the post stands.
        package var mentions: [String]?
        /// The post this one quotes, answering it (§10.2); omitted when none. One that does
        /// not decode is dropped and the post stands.
        package var quote: QuoteReference?

        /// At most this many mentions are written, and a list longer than this is ignored.
        package static let maximumMentions = 64

        package init(
            text: String, reply: String? = nil, attachments: [AttachmentReference]? = nil, mentions: [String]? = nil,
            quote: QuoteReference? = nil
        ) {
            self.text = text
            self.reply = reply
            self.attachments = attachments?.isEmpty == true ? nil : attachments
            self.mentions = mentions?.isEmpty == true ? nil : mentions
            self.quote = quote
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            text = try container.decode(String.self, forKey: .text)
            reply = try container.decodeIfPresent(String.self, forKey: .reply)
            attachments = try container.decodeIfPresent([AttachmentReference].self, forKey: .attachments)
            mentions = try? container.decodeIfPresent([String].self, forKey: .mentions)
            quote = try? container.decodeIfPresent(QuoteReference.self, forKey: .quote)
        }

        /// Whether this post mentions `nodeID` (a list over the maximum mentions nobody).
        package func mentions(_ nodeID: NodeID) -> Bool {
            guard let mentions, mentions.count <= Self.maximumMentions else { return false }
            return mentions.contains { (try? NodeID($0)) == nodeID }
        }
    }

    case join(Join)
    case member(Member)
    case leave(Leave)
    case key(Key)
    case post

    /// The record's citations, nil for a post or a record without them.
    package var deps: Citations? {
        switch self {
        case .join(let record): record.deps
        case .member(let record): record.deps
        case .leave(let record): record.deps
        case .key(let record): record.deps
        case .post: nil
        }
    }

    /// Decodes the record of `entry`, or nil for malformed or unknown ones (ignored).
    package init?(_ entry: Entry) {
        let data = Data(entry.payload)
        let decoder = JSONDecoder()
        switch entry.contentType {
        case ContentType.join:
            guard let join = try? decoder.decode(Join.self, from: data) else { return nil }
            self = .join(join)
        case ContentType.member:
            guard let member = try? decoder.decode(Member.self, from: data) else { return nil }
            self = .member(member)
        case ContentType.leave:
            self = .leave((try? decoder.decode(Leave.self, from: data)) ?? Leave())
        case ContentType.key:
            guard let key = try? decoder.decode(Key.self, from: data) else { return nil }
            self = .key(key)
        case ContentType.post:
            self = .post
        default:
            return nil
        }
    }

    /// JSON as group records are written: sorted keys, no escaped slashes.
    package static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The record types are plain strings, numbers and dictionaries of them: encoding cannot fail.
        guard let data = try? encoder.encode(value) else { preconditionFailure("a group record did not encode") }
        return Array(data)
    }
}
