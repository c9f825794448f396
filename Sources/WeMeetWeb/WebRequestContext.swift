import Hummingbird
import NIOCore

/// The web app's request context: Hummingbird's basic one, plus the address a request came
/// from (wrong passwords are throttled per source, ``LoginThrottle``).
package struct WebRequestContext: RequestContext, RemoteAddressRequestContext {
    package var coreContext: CoreRequestContextStorage
    package let remoteAddress: SocketAddress?

    package init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The source's IP address, as the throttle counts it.
    package var sourceAddress: String { remoteAddress?.ipAddress ?? "" }
}
