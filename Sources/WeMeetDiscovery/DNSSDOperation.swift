import CDNSSD
import Dispatch

/// One live `DNSServiceRef`, driven by a Dispatch read source on its socket: each readable
/// event calls `DNSServiceProcessResult`, which runs the operation's callback on the queue.
///
/// Avahi's compatibility layer gives every ref its own thread and D-Bus client, and its
/// socket must not be read by anyone else (NIO would take ownership of it), hence Dispatch.
/// ``cancel()`` stops the source; the ref is deallocated once the source has let go of the
/// socket, and the callback context is released with it.
package final class DNSSDOperation {
    /// What a DNS-SD callback reported, in Swift types.
    package enum Reply: Sendable {
        case registered(error: Int32, name: String)
        case browsed(error: Int32, added: Bool, interface: UInt32, name: String, domain: String)
        case resolved(error: Int32, interface: UInt32, host: String, port: Int, txt: [UInt8])
        case record(error: Int32, added: Bool, interface: UInt32, type: UInt16, data: [UInt8])
    }

    /// Holds the reply handler; its address is the callbacks' context pointer.
    package final class Context {
        package let handle: (Reply) -> Void
        package init(_ handle: @escaping (Reply) -> Void) { self.handle = handle }

        package static func from(_ pointer: UnsafeMutableRawPointer?) -> Context {
            Unmanaged<Context>.fromOpaque(pointer!).takeUnretainedValue()
        }
    }

    /// The ref, for calls such as `DNSServiceUpdateRecord` (on the owner's queue only).
    package let ref: DNSServiceRef
    private let source: DispatchSourceRead

    /// Starts driving `ref`, whose callbacks use `context` (retained until the ref is gone).
    /// `failed` runs when `DNSServiceProcessResult` reports an error (the daemon went away).
    package init(
        ref: DNSServiceRef, context: Unmanaged<Context>, queue: DispatchQueue, failed: @escaping (Int32) -> Void
    ) {
        self.ref = ref
        // Confined to `queue`: the source's handlers are the only users of these values.
        nonisolated(unsafe) let ref = ref
        nonisolated(unsafe) let failed = failed
        source = DispatchSource.makeReadSource(fileDescriptor: DNSServiceRefSockFD(ref), queue: queue)
        source.setEventHandler {
            let rc = DNSServiceProcessResult(ref)
            if rc != Int32(kDNSServiceErr_NoError) { failed(rc) }
        }
        source.setCancelHandler {
            DNSServiceRefDeallocate(ref)
            context.release()
        }
        source.resume()
    }

    /// Stops the operation (idempotent). No callback runs after this returns on the queue.
    package func cancel() {
        source.cancel()
    }

    deinit { source.cancel() }
}
