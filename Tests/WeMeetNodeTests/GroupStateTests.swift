import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync

@testable import WeMeetNode

/// The membership fold of Protocol.md §10.3: every node holding the same records agrees.
@Suite("Group membership fold")
struct GroupStateTests {
    static let creator = NodeID(publicKey: Ed25519.PrivateKey().publicKey)
    static let bob = NodeID(publicKey: Ed25519.PrivateKey().publicKey)
    static let carol = NodeID(publicKey: Ed25519.PrivateKey().publicKey)

    /// The creator's records, Bob's and Carol's, each citing the others' feeds up to the
    /// seqs given (what its author had seen).
    static func operations(public isPublic: Bool) -> (GroupID, [GroupState.Operation]) {
        let definition = GroupDefinition(
            creator: creator.publicKey, isPublic: isPublic, nonce: Array(repeating: 7, count: 16), name: "G")
        func op(
            _ author: NodeID, _ seq: UInt64, _ record: GroupRecord, _ deps: [NodeID: UInt64] = [:]
        )
            -> GroupState.Operation
        {
            GroupState.Operation(author: author, seq: seq, record: record, deps: deps)
        }
        let join = GroupRecord.join(GroupRecord.Join(definition, memberName: "x", deps: [:]))
        return (
            definition.id,
            [
                op(creator, 1, join),
                op(creator, 2, .member(.init(action: "invite", member: bob.description))),
                op(bob, 1, join, [creator: 2]),
                op(carol, 1, join, [creator: 1]),
                op(bob, 2, .member(.init(action: "remove", member: creator.description)), [creator: 2]),
                op(creator, 3, .member(.init(action: "admin", member: bob.description)), [bob: 2]),
                op(bob, 3, .leave(.init()), [creator: 3]),
            ]
        )
    }

    static var heads: [NodeID: UInt64] { [creator: 3, bob: 3, carol: 1] }

    @Test func privateGroupsFollowInvitesAdminsAndLeaves() {
        let (id, operations) = Self.operations(public: false)
        let state = GroupState(id: id, operations: operations.shuffled(), heads: Self.heads)
        #expect(state.role(of: Self.creator) == .member && state.isAdmin(Self.creator))
        #expect(state.role(of: Self.bob) == .left && !state.isAdmin(Self.bob))
        #expect(state.role(of: Self.carol) == nil)  // joined without an invite
        // A non-admin's removal of the creator had no effect; the creator named Bob admin.
        let untilAdmin = GroupState(id: id, operations: Array(operations.prefix(6)), heads: Self.heads)
        #expect(untilAdmin.isAdmin(Self.bob))
    }

    @Test func publicGroupsNeedNoInviteAndTheEarliestMemberInheritsAdmin() {
        let (id, operations) = Self.operations(public: true)
        let leave = GroupState.Operation(author: Self.creator, seq: 4, record: .leave(.init()), deps: [Self.bob: 3])
        var heads = Self.heads
        heads[Self.creator] = 4
        let state = GroupState(id: id, operations: operations + [leave], heads: heads)
        #expect(state.role(of: Self.carol) == .member)
        #expect(state.role(of: Self.creator) == .left)
        #expect(state.isAdmin(Self.carol))  // the one member left
        #expect(!state.needsRotation)  // public groups have no keys
    }

    @Test func aRecordCitingWhatIsNotHeldWaitsAndIsNotCited() {
        let (id, operations) = Self.operations(public: false)
        // Bob's leave cites the creator's seq 3, which this node does not hold yet.
        var heads = Self.heads
        heads[Self.creator] = 2
        let state = GroupState(id: id, operations: Array(operations.prefix(5)) + [operations[6]], heads: heads)
        #expect(state.role(of: Self.bob) == .member, "the leave waits for what it cites")
        #expect(state.citations[Self.bob] == 2, "the next record cites Bob only up to what is placed")
    }

    /// The example of Protocol.md §10.3: a removed admin's invitation that did not see the
    /// removal is void, and so is its later post, whichever of the two records goes first.
    @Test func theExampleOfTheSpecFoldsAsWritten() {
        for _ in 0..<8 {
            let creator = NodeID(publicKey: Ed25519.PrivateKey().publicKey)
            let m = NodeID(publicKey: Ed25519.PrivateKey().publicKey)
            let x = NodeID(publicKey: Ed25519.PrivateKey().publicKey)
            let definition = GroupDefinition(
                creator: creator.publicKey, isPublic: false, nonce: Array(repeating: 1, count: 16), name: "G")
            let join = GroupRecord.join(GroupRecord.Join(definition, memberName: "x", deps: [:]))
            func member(_ action: String, _ who: NodeID) -> GroupRecord {
                .member(.init(action: action, member: who.description))
            }
            let operations = [
                GroupState.Operation(author: creator, seq: 1, record: join, deps: [:]),
                GroupState.Operation(author: creator, seq: 2, record: member("invite", m), deps: [:]),
                GroupState.Operation(author: m, seq: 1, record: join, deps: [creator: 2]),
                GroupState.Operation(author: creator, seq: 3, record: member("admin", m), deps: [m: 1]),
                GroupState.Operation(author: m, seq: 2, record: member("invite", x), deps: [creator: 3]),
                GroupState.Operation(author: creator, seq: 4, record: member("remove", m), deps: [m: 1]),
            ]
            let state = GroupState(id: definition.id, operations: operations.shuffled(), heads: [creator: 4, m: 3])
            #expect(state.role(of: x) == nil)
            #expect(state.role(of: m) == .removed)
            #expect(!state.mayPost(m, seq: 3))
            #expect(state.isAdmin(creator) && state.members == [creator])
        }
    }
}
